//! `plimsoll check`: find files, lint them in parallel, report in path order.

use std::io::{IsTerminal, Write};

use rayon::prelude::*;

use super::{CheckArgs, ColorChoice, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, read_source};
use crate::diagnostic::Severity;
use crate::render::human;
use crate::workspace::{self, FileKind};

pub(super) fn run(args: CheckArgs) -> i32 {
    let paths = if args.paths.is_empty() { vec![".".into()] } else { args.paths };
    let (targets, errors) = workspace::discover(&paths, args.kind);
    let mut failed = false;
    for e in &errors {
        eprintln!("error: {}: {}", e.path.display(), e.message);
        failed = true;
    }

    let results: Vec<_> = targets
        .par_iter()
        .map(|target| {
            let source = read_source(&target.path)?;
            let diagnostics = match target.kind {
                FileKind::Dockerfile => crate::lint_dockerfile(&source),
                FileKind::Compose => crate::lint_compose_file(&source),
            };
            Ok::<_, String>((source, diagnostics))
        })
        .collect();

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    };
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos, mut checked) = (0, 0, 0, 0);
    for result in results {
        match result {
            Ok((source, diagnostics)) => {
                checked += 1;
                for d in &diagnostics {
                    match d.severity {
                        Severity::Error => errors += 1,
                        Severity::Warning => warnings += 1,
                        Severity::Info => infos += 1,
                    }
                }
                human::render_file(&mut out, &source, &diagnostics, color, crate::code_name);
            }
            Err(message) => {
                eprintln!("error: {message}");
                failed = true;
            }
        }
    }
    out.push_str(&human::summary(errors, warnings, infos, checked));
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush()).is_err() {
        return EXIT_ERROR;
    }
    if failed {
        EXIT_ERROR
    } else if errors + warnings + infos > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
