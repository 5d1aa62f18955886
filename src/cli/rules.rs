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

/// Prints the page of a rule, given by code or name, or of the rules that stand for another tool's code
/// (`plimsoll explain DL3002`).
pub(super) fn explain(args: ExplainArgs) -> i32 {
    if let Some(meta) = rules::find_page(&args.rule) {
        return super::write_stdout(meta.page);
    }
    let standing = rules::standing_for(&args.rule);
    if !standing.is_empty() {
        let names: Vec<String> = standing.iter().map(|r| format!("{} {}", r.meta.code, r.meta.name)).collect();
        let mut text = format!("`{}` is covered by {}.\n", args.rule, names.join(", "));
        for rule in standing {
            text.push('\n');
            text.push_str(rule.meta.page);
        }
        return super::write_stdout(&text);
    }
    let hint = match rules::did_you_mean(&args.rule) {
        Some(close) => format!(" (did you mean `{close}`?)"),
        None => String::new(),
    };
    eprintln!("error: no rule `{}`{hint}; `plimsoll rules` lists them", args.rule);
    EXIT_ERROR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistyped_codes_and_names_find_what_was_meant() {
        assert_eq!(rules::did_you_mean("root-usr"), Some("root-user"));
        assert_eq!(rules::did_you_mean("PLD2O1"), Some("PLD201"));
        assert_eq!(rules::did_you_mean("pld201x"), Some("PLD201"));
        assert_eq!(rules::did_you_mean("xyz"), None);
        assert_eq!(rules::did_you_mean("DL9999"), None);
    }

    #[test]
    fn other_tools_codes_find_the_rules_that_stand_for_them() {
        let codes = |c: &str| rules::standing_for(c).iter().map(|r| r.meta.code).collect::<Vec<_>>();
        assert_eq!(codes("DL3002"), ["PLD201"]);
        assert_eq!(codes("dl3002"), ["PLD201"]);
        assert_eq!(codes("CL-0001"), ["PLC303"]);
        assert!(codes("DL9999").is_empty());
    }

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
