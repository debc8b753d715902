fn main() {
    let args: Vec<String> = std::env::args().skip(2).collect();
    for path in args {
        match rulebook::Rulebook::from_path(&path) {
            Ok(rb) => println!("{path}: ok, {} rules\n{rb}", rb.rules().len()),
            Err(rulebook::Error::Rules(e)) => {
                let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
                let mut out = String::new();
                handler.render_report(&mut out, &e).unwrap();
                eprintln!("{out}");
            }
            Err(e) => eprintln!("{e}"),
        }
    }
}
