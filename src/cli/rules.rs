//! `plimsoll rules` and `plimsoll explain`.

use super::{EXIT_ERROR, ExplainArgs, ListFormat, RulesArgs};
use crate::rules;

pub(super) fn list(args: RulesArgs) -> i32 {
    let text = match args.format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules::all()
                .iter()
                .map(|r| {
                    let m = &r.meta;
                    serde_json::json!({
                        "code": m.code,
                        "name": m.name,
                        "category": m.category().name(),
                        "severity": m.severity.as_str(),
                        "target": m.target,
                        "summary": m.summary,
                        "fixable": m.fix != rules::FixAvailability::None,
                        "opt_in": m.opt_in,
                        "equivalents": m.equivalents,
                    })
                })
                .collect();
            match serde_json::to_string_pretty(&list) {
                Ok(json) => json + "\n",
                Err(e) => {
                    eprintln!("error: {e}");
                    return EXIT_ERROR;
                }
            }
        }
        ListFormat::Text => {
            let mut out = String::new();
            for r in rules::all() {
                let m = &r.meta;
                let opt_in = if m.opt_in { " (opt-in)" } else { "" };
                out.push_str(&format!(
                    "{:<7} {:<24} {:<12} {:<8} {}{opt_in}\n",
                    m.code,
                    m.name,
                    m.category().name(),
                    m.severity.as_str(),
                    m.summary
                ));
            }
            out
        }
    };
    super::write_stdout(&text)
}

pub(super) fn explain(args: ExplainArgs) -> i32 {
    match rules::find_meta(&args.rule) {
        Some(meta) => super::write_stdout(meta.page),
        None => {
            eprintln!("error: no rule `{}`; `plimsoll rules` lists them", args.rule);
            EXIT_ERROR
        }
    }
}
