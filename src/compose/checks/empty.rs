//! `PLC024`: values that unset variables leave empty where Compose refuses an empty value. Compose replaces an
//! unset variable with an empty string; for a number, a boolean, a duration, a size, a pattern-checked name or
//! a part of a volume spec, the empty string is an error (`retries: ""`, `:/data`, `container_name: ""`).
//!
//! The value Compose reads is computed from the scalar and the variables its interpolation recorded (set
//! ones keep their value, unset ones become `""`), so the check holds whether the tree keeps `${VAR}` as
//! written or already holds the substituted text.

use std::collections::BTreeMap;

use super::{Checker, services};
use crate::compose::EMPTY_AFTER_INTERPOLATION;
use crate::compose::tree::{Place, Value};
use crate::diagnostic::{Diagnostic, Severity};

/// Service keys (dotted paths) whose value Compose converts to a number, a boolean, a duration or a size, or
/// checks against a pattern: each refuses an empty string (checked against `docker compose config` 2.40.3).
const NOT_EMPTY: &[(&str, &str)] = &[
    ("cpus", "a number"),
    ("cpu_count", "a number"),
    ("cpu_percent", "a number"),
    ("cpu_quota", "a number"),
    ("cpu_period", "a number"),
    ("cpu_rt_runtime", "a number"),
    ("cpu_rt_period", "a number"),
    ("cpu_shares", "a number"),
    ("oom_score_adj", "a number"),
    ("pids_limit", "a number"),
    ("scale", "a number"),
    ("deploy.replicas", "a number"),
    ("healthcheck.retries", "a number"),
    ("privileged", "a boolean"),
    ("read_only", "a boolean"),
    ("init", "a boolean"),
    ("tty", "a boolean"),
    ("stdin_open", "a boolean"),
    ("oom_kill_disable", "a boolean"),
    ("healthcheck.disable", "a boolean"),
    ("mem_limit", "a size"),
    ("memswap_limit", "a size"),
    ("mem_reservation", "a size"),
    ("mem_swappiness", "a number"),
    ("shm_size", "a size"),
    ("deploy.resources.limits.memory", "a size"),
    ("deploy.resources.limits.cpus", "a number"),
    ("stop_grace_period", "a duration"),
    ("healthcheck.interval", "a duration"),
    ("healthcheck.timeout", "a duration"),
    ("healthcheck.start_period", "a duration"),
    ("healthcheck.start_interval", "a duration"),
    ("container_name", "a name"),
    ("pull_policy", "a pull policy"),
];

pub(super) fn check(checker: &mut Checker<'_>, root: &Value) {
    // A value written once (under an anchor) and merged into many services is one thing to change: it is
    // reported once, at the text that defines it, naming the services, rather than once per service.
    let mut by_definition: BTreeMap<(Place, &str), (Vec<&str>, &Value, &str)> = BTreeMap::new();
    for (service, _, value) in services(root) {
        for (path, what) in NOT_EMPTY {
            let Some(v) = path.split('.').try_fold(value, |at, k| at.get(k)) else { continue };
            if compose_text(v).is_some_and(|t| t.trim().is_empty()) {
                let entry = by_definition.entry((v.origin.place, path)).or_insert((Vec::new(), v, what));
                entry.0.push(service);
            }
        }
    }
    for ((_, path), (names, v, what)) in by_definition {
        let unset = unset_words(v);
        match names.as_slice() {
            [service] => {
                let message = format!("{unset}: `{path}` of service `{service}` is empty, and Compose needs {what}");
                push(checker, v, message, "…");
            }
            _ => {
                let message =
                    format!("{unset}: `{path}` of services {} is empty, and Compose needs {what}", name_list(&names));
                push_at(checker, v, v.origin.place, message, "…");
            }
        }
    }
    for (_, _, value) in services(root) {
        let items = value.get("volumes").and_then(Value::as_seq).unwrap_or_default();
        for item in items {
            let Some(text) = compose_text(item) else { continue };
            let problem = if text.is_empty() {
                "the volume is empty"
            } else if text.starts_with(':') || text.ends_with(':') || text.contains("::") {
                "a part of the volume between its colons is empty"
            } else {
                continue;
            };
            let message =
                format!("{}: the volume reads `{text}` and {problem}, which Compose refuses", unset_words(item));
            push(checker, item, message, "./data");
        }
        let env_files = value.get("env_file");
        let env_items = match env_files.map(|v| (v, v.as_seq())) {
            Some((_, Some(items))) => {
                items.iter().map(|i| if i.as_map().is_some() { i.get("path") } else { Some(i) }).collect()
            }
            Some((v, None)) => vec![Some(v)],
            None => Vec::new(),
        };
        for item in env_items.into_iter().flatten() {
            if compose_text(item).is_some_and(|t| t.is_empty()) {
                let message =
                    format!("{}: the `env_file` path is empty, and Compose finds no file there", unset_words(item));
                push(checker, item, message, ".env");
            }
        }
    }
}

/// A warning whatever the project: the variable is usually set where the project is deployed. The help
/// gives the first unset variable a default like `example`.
fn push(checker: &mut Checker<'_>, value: &Value, message: String, example: &str) {
    push_at(checker, value, value.origin.use_place(), message, example);
}

/// [`push`] at a chosen place: the value's definition, for a value many services share.
fn push_at(checker: &mut Checker<'_>, value: &Value, place: Place, message: String, example: &str) {
    let first = value.origin.unset().next().map(|(variable, _, _)| variable);
    let help = format!(
        "set the variable where the project runs, or give it a default: `${{{}:-{example}}}`",
        first.unwrap_or("VAR")
    );
    let d = Diagnostic::new(EMPTY_AFTER_INTERPOLATION, Severity::Warning, place.range, message).with_help(help);
    checker.out.push((place.file, d));
}

/// "`a`, `b` and `c`", or "`a`, `b`, `c` and 4 more" for a long list.
fn name_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    match names.len() {
        0..=3 => match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
            None => String::new(),
        },
        n => format!("{} and {} more", quoted.join(", "), n - 3),
    }
}

/// "when `A` is unset" / "when `A` and `B` are unset".
fn unset_words(value: &Value) -> String {
    // The variables that left an empty string in the value (not those whose default was used), once each.
    let mut names: Vec<String> = Vec::new();
    for (variable, _, _) in value.origin.unset() {
        let name = format!("`{variable}`");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.as_slice() {
        [one] => format!("when {one} is unset"),
        [init @ .., last] => format!("when {} and {last} are unset", init.join(", ")),
        [] => "with its variables unset".to_owned(),
    }
}

/// The text Compose reads for a scalar where an unset variable left an empty string: the interpolated tree
/// already holds it. `None` for a value no unset variable touched (the value checks see those) or not a scalar.
fn compose_text(value: &Value) -> Option<&str> {
    value.origin.has_unset().then(|| value.as_str()).flatten()
}

#[cfg(test)]
mod tests {
    use super::super::tests::run_files_with;

    fn run(text: &str) -> Vec<(&'static str, String)> {
        run_files_with(&[("/p/compose.yaml", text)], &[("PORT", "80"), ("EMPTY", "")])
            .into_iter()
            .filter(|(c, _)| *c == "PLC024")
            .collect()
    }

    #[test]
    fn empty_values_compose_refuses() {
        let text = "services:\n  a:\n    image: x\n    container_name: \"${NAME}\"\n    volumes: [\"${DATA}:/data\", \"/a:${B}:ro\", \"${DIR}/x:/x\"]\n    healthcheck:\n      test: [CMD, \"true\"]\n      retries: \"${R}\"\n    cpus: \"${C:-1}\"\n    env_file: \"${ENVF}\"\n";
        assert_eq!(
            run(text),
            [
                ("PLC024", "when `NAME` is unset: `container_name` of service `a` is empty, and Compose needs a name @\"${NAME}\"".into()),
                ("PLC024", "when `DATA` is unset: the volume reads `:/data` and a part of the volume between its colons is empty, which Compose refuses @\"${DATA}:/data\"".into()),
                ("PLC024", "when `B` is unset: the volume reads `/a::ro` and a part of the volume between its colons is empty, which Compose refuses @\"/a:${B}:ro\"".into()),
                ("PLC024", "when `R` is unset: `healthcheck.retries` of service `a` is empty, and Compose needs a number @\"${R}\"".into()),
                ("PLC024", "when `ENVF` is unset: the `env_file` path is empty, and Compose finds no file there @\"${ENVF}\"".into()),
            ]
        );
    }

    #[test]
    fn a_value_many_services_share_is_reported_once_at_its_definition() {
        let text = "x-hc: &hc\n  test: [CMD, \"true\"]\n  retries: $R\nservices:\n  a:\n    image: x\n    healthcheck: *hc\n  b:\n    image: x\n    healthcheck:\n      <<: *hc\n  c:\n    image: x\n    healthcheck: *hc\n  d:\n    image: x\n    healthcheck: *hc\n";
        assert_eq!(
            run(text),
            [("PLC024", "when `R` is unset: `healthcheck.retries` of services `a`, `b`, `c` and 1 more is empty, and Compose needs a number @$R".into())]
        );
    }

    #[test]
    fn only_the_variables_that_left_it_empty_are_named() {
        let text = "services:\n  a:\n    image: x\n    volumes: [\"${SOCK:-/var/run/docker.sock}:/s:${RO}\"]\n";
        assert_eq!(
            run(text),
            [("PLC024", "when `RO` is unset: the volume reads `/var/run/docker.sock:/s:` and a part of the volume between its colons is empty, which Compose refuses @\"${SOCK:-/var/run/docker.sock}:/s:${RO}\"".into())]
        );
    }

    #[test]
    fn set_and_defaulted_variables_are_not_empty() {
        let text = "services:\n  a:\n    image: x\n    container_name: \"${NAME:-web}\"\n    volumes: [\"${PORT}:/data\", \"${D:-./d}:/d\"]\n    user: \"${U}\"\n";
        assert!(run(text).is_empty(), "{:?}", run(text));
    }
}
