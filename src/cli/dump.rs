//! `plimsoll dump`: the parse tree, in BuildKit's test format or as JSON.

use super::{DumpArgs, DumpFormat, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, read_source};
use crate::dockerfile::{self, buildkit, syntax};

pub(super) fn run(args: DumpArgs) -> i32 {
    let source = match read_source(&args.file) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_ERROR;
        }
    };
    let file = dockerfile::parse(&source.text);
    match args.format {
        DumpFormat::Buildkit => {
            // BuildKit prints no tree for a file its parser rejects.
            let rejected: Vec<_> = file.diagnostics.iter().filter(|d| d.code == syntax::SYNTAX_ERROR).collect();
            if rejected.is_empty() {
                print!("{}", buildkit::dump(&file));
                return EXIT_CLEAN;
            }
            for d in rejected {
                let at = source.line_col(d.range.start);
                eprintln!("{}:{}:{}: {}", source.path.display(), at.line, at.column, d.message);
            }
            EXIT_FINDINGS
        }
        DumpFormat::Json => match serde_json::to_string_pretty(&file) {
            Ok(json) => {
                println!("{json}");
                EXIT_CLEAN
            }
            Err(e) => {
                eprintln!("error: cannot print the tree as JSON: {e}");
                EXIT_ERROR
            }
        },
    }
}
