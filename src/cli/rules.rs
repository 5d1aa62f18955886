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
        ListFormat::Text => text_table(rules::all()),
    };
    super::write_stdout(&text)
}

/// The rules as a table whose columns are as wide as their longest entry (names grow with the catalog).
fn text_table(all: &[rules::Rule]) -> String {
    let width = |f: &dyn Fn(&rules::RuleMeta) -> usize| all.iter().map(|r| f(&r.meta)).max().unwrap_or(0);
    let code = width(&|m| m.code.len());
    let name = width(&|m| m.name.len());
    let category = width(&|m| m.category().name().len());
    let severity = width(&|m| m.severity.as_str().len());
    let mut out = String::new();
    for r in all {
        let m = &r.meta;
        let opt_in = if m.opt_in { " (opt-in)" } else { "" };
        out.push_str(&format!(
            "{:<code$}  {:<name$}  {:<category$}  {:<severity$}  {}{opt_in}\n",
            m.code,
            m.name,
            m.category().name(),
            m.severity.as_str(),
            m.summary
        ));
    }
    out
}

pub(super) fn explain(args: ExplainArgs) -> i32 {
    match rules::find(&args.rule) {
        Some(rule) => super::write_stdout(rule.meta.page),
        None => {
            eprintln!("error: no rule `{}`; `plimsoll rules` lists them", args.rule);
            EXIT_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_column_starts_at_the_same_place_on_every_line() {
        let table = text_table(rules::all());
        let starts: Vec<usize> = table
            .lines()
            .map(|line| {
                let code = line.split_whitespace().next().unwrap_or_default();
                let rule = rules::find(code).expect("a rule's line starts with its code");
                line.find(rule.meta.summary).expect("the summary is on the line")
            })
            .collect();
        assert!(starts.windows(2).all(|w| w[0] == w[1]), "{table}");
        assert_eq!(starts.len(), rules::all().len());
    }
}
