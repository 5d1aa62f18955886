use std::path::{Path, PathBuf};

use super::*;

fn toml(text: &str) -> Config {
    match parse_toml(text, Path::new("/p/plimsoll.toml")) {
        Ok(config) => config,
        Err(err) => panic!("unexpected error: {err}"),
    }
}

fn toml_err(text: &str) -> String {
    match parse_toml(text, Path::new("/p/plimsoll.toml")) {
        Ok(config) => panic!("expected an error, got {config:?}"),
        Err(err) => err.to_string(),
    }
}

fn hadolint(text: &str) -> Config {
    match parse_hadolint(text, Path::new("/p/.hadolint.yaml")) {
        Ok(config) => config,
        Err(err) => panic!("unexpected error: {err}"),
    }
}

fn hadolint_err(text: &str) -> String {
    match parse_hadolint(text, Path::new("/p/.hadolint.yaml")) {
        Ok(config) => panic!("expected an error, got {config:?}"),
        Err(err) => err.to_string(),
    }
}

fn values(list: &[Spanned<String>]) -> Vec<&str> {
    list.iter().map(|s| s.value.as_str()).collect()
}

/// The text a range covers.
fn at(text: &str, range: TextRange) -> &str {
    &text[range.as_usize()]
}

const FULL: &str = r#"select = ["PLD", "PLC1"]
extend-select = ["PLD605"]
ignore = ["PLD201", "root-user"]
fail-on = "warning"
trusted-registries = ["docker.io", "registry.corp.example/*", "*.gcr.io"]

[severity]
PLD101 = "error"
pinned-tags = "info"

[[per-path-ignores]]
path = "legacy/**"
ignore = ["PLD201"]

[[per-path-ignores]]
path = "Dockerfile.*"
ignore = ["PLD3"]

[rules.PLD101]
allow = ["scratch"]
max = 3
"#;

#[test]
fn every_key() {
    let config = toml(FULL);
    assert_eq!(config.source, ConfigSource { path: PathBuf::from("/p/plimsoll.toml"), kind: ConfigKind::Plimsoll });
    assert_eq!(config.select.as_deref().map(values), Some(vec!["PLD", "PLC1"]));
    assert_eq!(values(&config.extend_select), ["PLD605"]);
    assert_eq!(values(&config.ignore), ["PLD201", "root-user"]);
    assert_eq!(at(FULL, config.ignore[1].range), "\"root-user\"");
    assert_eq!(config.fail_on, Some(FailOn::Warning));
    assert_eq!(values(&config.trusted_registries), ["docker.io", "registry.corp.example/*", "*.gcr.io"]);
    let severity: Vec<_> = config.severity.iter().map(|(s, v)| (s.value.as_str(), v.value)).collect();
    assert_eq!(severity, [("PLD101", Severity::Error), ("pinned-tags", Severity::Info)]);
    assert_eq!(at(FULL, config.severity[0].0.range), "PLD101");
    assert_eq!(at(FULL, config.severity[0].1.range), "\"error\"");
    let globs: Vec<_> = config.per_path_ignores.iter().map(|p| p.glob.value.as_str()).collect();
    assert_eq!(globs, ["legacy/**", "Dockerfile.*"]);
    assert_eq!(values(&config.per_path_ignores[0].selectors), ["PLD201"]);
    let options = config.options_for("PLD101", "base-image");
    let allow = options.and_then(|t| t.get("allow")).and_then(|v| v.as_array()).map(|a| a.len());
    assert_eq!(allow, Some(1));
    assert_eq!(options.and_then(|t| t.get("max")).and_then(|v| v.as_integer()), Some(3));
    assert_eq!(values(&config.rule_option_selectors), ["PLD101"]);
    assert_eq!(at(FULL, config.rule_option_selectors[0].range), "PLD101");
}

#[test]
fn empty_file_is_default_config() {
    let config = toml("# nothing yet\n");
    assert_eq!(config.select, None);
    assert!(config.ignore.is_empty() && config.severity.is_empty() && config.per_path_ignores.is_empty());
    assert_eq!(config.fail_on, None);
}

#[test]
fn fail_on_values() {
    for (text, expected) in
        [("error", FailOn::Error), ("warning", FailOn::Warning), ("info", FailOn::Info), ("never", FailOn::Never)]
    {
        assert_eq!(toml(&format!("fail-on = \"{text}\"")).fail_on, Some(expected));
    }
    assert!(FailOn::Warning.fails(Severity::Error) && FailOn::Warning.fails(Severity::Warning));
    assert!(!FailOn::Warning.fails(Severity::Info) && !FailOn::Never.fails(Severity::Error));
    assert!(FailOn::Info.fails(Severity::Info) && !FailOn::Error.fails(Severity::Warning));
}

#[test]
fn per_path_ignores_as_table() {
    let config = toml("[per-path-ignores]\n\"legacy/**\" = [\"PLD201\"]\n\"*.dev\" = [\"PLD1\", \"root-user\"]\n");
    let globs: Vec<_> = config.per_path_ignores.iter().map(|p| p.glob.value.as_str()).collect();
    assert_eq!(globs, ["legacy/**", "*.dev"]);
    assert_eq!(values(&config.per_path_ignores[1].selectors), ["PLD1", "root-user"]);
}

#[test]
fn per_path_ignore_globs() {
    let config = toml(
        r#"[per-path-ignores]
"legacy/**" = ["A"]
"Dockerfile.*" = ["B"]
"services/*/Dockerfile" = ["C"]
"./vendor/" = ["D"]
"#,
    );
    let ignored = |path: &str| -> Vec<String> {
        let mut v: Vec<String> =
            config.ignored_selectors_for(Path::new(path)).into_iter().map(|s| s.value.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(ignored("/p/legacy/Dockerfile"), ["A"]);
    assert_eq!(ignored("/p/legacy/deep/er/Dockerfile.dev"), ["A", "B"]);
    assert_eq!(ignored("/p/app/Dockerfile.prod"), ["B"]);
    assert!(ignored("/p/app/Dockerfile").is_empty());
    // `*` stays in one folder.
    assert_eq!(ignored("/p/services/web/Dockerfile"), ["C"]);
    assert!(ignored("/p/services/web/deep/Dockerfile").is_empty());
    // A glob naming a folder covers what is inside.
    assert_eq!(ignored("/p/vendor/x/Dockerfile"), ["D"]);
    // Relative to the config's folder, so `legacy` elsewhere does not count; outside the folder nothing matches.
    assert!(ignored("/p/app/legacy/Dockerfile").is_empty());
    assert!(ignored("/elsewhere/legacy/Dockerfile").is_empty());
    assert_eq!(ignored("/p/app/../legacy/Dockerfile"), ["A"]);

    assert!(config.is_path_ignored(Path::new("/p/legacy/Dockerfile"), &|s| s == "A"));
    assert!(!config.is_path_ignored(Path::new("/p/legacy/Dockerfile"), &|s| s == "B"));
}

#[test]
fn trusted_registry_matching() {
    let config = toml(r#"trusted-registries = ["docker.io", "registry.corp.example/*", "*.gcr.io"]"#);
    // The rules match images against the patterns with `image::matches_registry_pattern`.
    let settings = config.rule_settings();
    let trusts = |image: &str| {
        let image = crate::image::ImageRef::parse(image).expect("an image reference");
        settings.trusted_registries.iter().any(|p| crate::image::matches_registry_pattern(&image, p))
    };
    assert!(trusts("docker.io/library/nginx:1"));
    assert!(trusts("Docker.IO/library/nginx:1"));
    assert!(!trusts("docker.io.evil.example/nginx:1"));
    assert!(trusts("eu.gcr.io/p/app:1"));
    assert!(!trusts("gcr.io.example/p/app:1"));
    assert!(trusts("registry.corp.example/team/x:1"));
    assert!(!trusts("quay.io/org/app:1"));
}

#[test]
fn unknown_key_names_it_and_the_valid_keys() {
    let err = toml_err("select = []\nselct = [\"PLD\"]\n");
    assert_eq!(
        err,
        "/p/plimsoll.toml:2:1: unknown key `selct` in plimsoll.toml; valid keys are `extend`, `select`, `extend-select`, \
         `ignore`, `fail-on`, `trusted-registries`, `severity`, `per-path-ignores` or `rules`"
    );
    let err = toml_err("\n  extend_select = []\n");
    assert!(err.starts_with("/p/plimsoll.toml:2:3: unknown key `extend_select`"), "{err}");
    assert!(err.ends_with("(did you mean `extend-select`?)"), "{err}");
    let err = toml_err("[[per-path-ignores]]\npath = \"a/**\"\nignores = [\"X\"]\n");
    assert!(err.starts_with("/p/plimsoll.toml:3:1: unknown key `ignores` in a `per-path-ignores` entry"), "{err}");
}

#[test]
fn wrong_types() {
    assert_eq!(
        toml_err("select = \"PLD\"\n"),
        "/p/plimsoll.toml:1:10: `select` must be an array of strings, not a string (write it in brackets: [\"...\"])"
    );
    assert_eq!(
        toml_err("ignore = [\"PLD1\", 3]\n"),
        "/p/plimsoll.toml:1:19: each item of `ignore` must be a string, not an integer"
    );
    assert_eq!(toml_err("fail-on = true\n"), "/p/plimsoll.toml:1:11: `fail-on` must be a string, not a boolean");
    assert_eq!(toml_err("severity = 1\n"), "/p/plimsoll.toml:1:12: `severity` must be a table, not an integer");
    assert_eq!(
        toml_err("[severity]\nPLD1 = 2\n"),
        "/p/plimsoll.toml:2:8: the severity of `PLD1` must be a string, not an integer"
    );
    assert_eq!(
        toml_err("[rules]\nPLD1 = 2\n"),
        "/p/plimsoll.toml:2:8: `rules.PLD1` must be a table of the rule's options, not an integer"
    );
    assert_eq!(
        toml_err("per-path-ignores = \"x\"\n"),
        "/p/plimsoll.toml:1:20: `per-path-ignores` must be a table of globs to rule lists or an array of tables, \
         not a string"
    );
    let err = toml_err("[[per-path-ignores]]\nignore = [\"X\"]\n");
    assert!(err.starts_with("/p/plimsoll.toml:1:1: a `per-path-ignores` entry needs `path`"), "{err}");
}

#[test]
fn bad_values() {
    assert_eq!(
        toml_err("[severity]\nPLD101 = \"fatal\"\n"),
        "/p/plimsoll.toml:2:10: invalid severity `fatal` for `PLD101`; expected `error`, `warning` or `info`"
    );
    assert_eq!(
        toml_err("fail-on = \"style\"\n"),
        "/p/plimsoll.toml:1:11: invalid `fail-on` value `style`; expected `error`, `warning`, `info` or `never`"
    );
}

#[test]
fn bad_glob() {
    let err = toml_err("[per-path-ignores]\n\"legacy/[abc\" = [\"PLD201\"]\n");
    assert!(err.starts_with("/p/plimsoll.toml:2:1: invalid glob `legacy/[abc`: "), "{err}");
    let err = toml_err("[[per-path-ignores]]\npath = \"a/{b\"\nignore = []\n");
    assert!(err.starts_with("/p/plimsoll.toml:2:8: invalid glob `a/{b`: "), "{err}");
}

#[test]
fn broken_toml() {
    assert_eq!(
        toml_err("select = [\"PLD\"\nignore = []\n"),
        "/p/plimsoll.toml:2:1: invalid TOML: missing comma between array elements, expected `,`"
    );
    assert_eq!(toml_err("ignore = []\nignore = []\n"), "/p/plimsoll.toml:2:1: invalid TOML: duplicate key");
}

#[test]
fn first_error_by_position_wins() {
    // Keys are read in sorted order; the error reported is the one nearest the top of the file.
    let err = toml_err("zzz = 1\naaa = 2\n");
    assert!(err.starts_with("/p/plimsoll.toml:1:1: unknown key `zzz`"), "{err}");
}

#[test]
fn validate_reports_unknown_selectors_with_positions() {
    let text = "select = [\"PLD\", \"PLX9\"]\nignore = [\"root-user\", \"nope\"]\n[severity]\nbogus = \"info\"\n\
                [per-path-ignores]\n\"a/**\" = [\"gone\"]\n[rules.missing]\nx = 1\n";
    let config = toml(text);
    let known = |s: &str| s.starts_with("PLD") || s == "root-user";
    let errors = config.validate(&known);
    let found: Vec<(String, Option<(u32, u32)>)> =
        errors.iter().map(|e| (at(text, e.range.unwrap_or_default()).to_owned(), e.line_col)).collect();
    assert_eq!(
        found,
        [
            ("\"PLX9\"".to_owned(), Some((1, 18))),
            ("\"nope\"".to_owned(), Some((2, 24))),
            ("bogus".to_owned(), Some((4, 1))),
            ("\"gone\"".to_owned(), Some((6, 11))),
            ("missing".to_owned(), Some((7, 8))),
        ]
    );
    assert_eq!(
        errors[0].to_string(),
        "/p/plimsoll.toml:1:18: unknown rule selector `PLX9`: expected a rule code, a code prefix, a rule name or a \
         category"
    );
    assert!(toml(FULL).validate(&|_| true).is_empty());
}

const HADOLINT_FULL: &str = "\
failure-threshold: style
format: json
formats: [json, sarif]
ignored:
  - DL3008
  - SC2086
override:
  error: [DL3001]
  warning:
    - DL3002
  info: [DL3003]
  style: [DL3004, DL3005]
trustedRegistries:
  - docker.io
  - \"*.gcr.io\"
label-schema:
  author: text
strict-labels: true
disable-ignore-pragma: false
no-color: true
no-fail: false
verbose: true
";

#[test]
fn hadolint_every_key() {
    let config = hadolint(HADOLINT_FULL);
    assert_eq!(config.source.kind, ConfigKind::Hadolint);
    assert_eq!(values(&config.ignore), ["DL3008", "SC2086"]);
    assert_eq!(at(HADOLINT_FULL, config.ignore[1].range), "SC2086");
    assert_eq!(values(&config.trusted_registries), ["docker.io", "*.gcr.io"]);
    let severity: Vec<_> = config.severity.iter().map(|(s, v)| (s.value.as_str(), v.value)).collect();
    assert_eq!(
        severity,
        [
            ("DL3001", Severity::Error),
            ("DL3002", Severity::Warning),
            ("DL3003", Severity::Info),
            ("DL3004", Severity::Info),
            ("DL3005", Severity::Info),
        ]
    );
    assert_eq!(config.fail_on, Some(FailOn::Info));
    assert_eq!(config.select, None);
    let errors = config.validate(&|s| s != "SC2086");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line_col, Some((6, 5)));
}

#[test]
fn hadolint_trusted_registries_string_or_list() {
    assert_eq!(values(&hadolint("trustedRegistries: docker.io\n").trusted_registries), ["docker.io"]);
    assert_eq!(values(&hadolint("trustedRegistries: [a.io, 'b.io:5000']\n").trusted_registries), ["a.io", "b.io:5000"]);
    assert!(hadolint("trustedRegistries:\n").trusted_registries.is_empty());
}

#[test]
fn hadolint_thresholds() {
    for (text, expected) in [
        ("error", FailOn::Error),
        ("warning", FailOn::Warning),
        ("info", FailOn::Info),
        ("style", FailOn::Info),
        ("ignore", FailOn::Never),
        ("none", FailOn::Never),
    ] {
        assert_eq!(hadolint(&format!("failure-threshold: {text}\n")).fail_on, Some(expected), "{text}");
    }
    assert_eq!(
        hadolint_err("failure-threshold: fatal\n"),
        "/p/.hadolint.yaml:1:20: invalid `failure-threshold` value `fatal`; expected `error`, `warning`, `info`, \
         `style`, `ignore` or `none`"
    );
}

#[test]
fn hadolint_empty_file_is_empty_config() {
    let config = hadolint("");
    assert!(config.ignore.is_empty() && config.fail_on.is_none());
    assert!(hadolint("# only a comment\n").severity.is_empty());
}

#[test]
fn hadolint_errors() {
    // Unknown top-level keys are ignored, as hadolint ignores them.
    let config = parse_hadolint("ignored: [DL3008]\nsomething-new: true\n", Path::new("/p/.hadolint.yaml"));
    assert!(config.is_ok(), "{config:?}");
    assert_eq!(
        hadolint_err("override:\n  fatal: [DL3000]\n"),
        "/p/.hadolint.yaml:2:3: unknown key `fatal` in `override`; valid keys are `error`, `warning`, `info` or `style`"
    );
    assert_eq!(
        hadolint_err("ignored:\n  nested: map\n"),
        "/p/.hadolint.yaml:2:3: `ignored` must be a list of strings, not a mapping"
    );
    assert_eq!(
        hadolint_err("ignored:\n  - [DL3008]\n"),
        "/p/.hadolint.yaml:2:5: each item of `ignored` must be a string, not a sequence"
    );
    assert_eq!(
        hadolint_err("override: [DL3008]\n"),
        "/p/.hadolint.yaml:1:11: `override` must be a mapping from severity to codes, not a sequence"
    );
    assert_eq!(
        hadolint_err("- DL3008\n"),
        "/p/.hadolint.yaml:1:1: a hadolint config must be a mapping of settings, not a sequence"
    );
    assert_eq!(
        hadolint_err("ignored: [DL3008\n"),
        "/p/.hadolint.yaml:2:1: invalid YAML: expected `,` or `]` in this list"
    );
    assert_eq!(
        hadolint_err("ignored:\n  - a\n - b\n"),
        "/p/.hadolint.yaml:3:2: invalid YAML: expected a `key:` at this indentation"
    );
    assert_eq!(
        hadolint_err("ignored: [a]\nno-color: true\nignored: [b]\n"),
        "/p/.hadolint.yaml:3:1: the key `ignored` is set twice; keep one"
    );
    let err = hadolint_err("ignored: [a]\n---\nignored: [b]\n");
    assert!(err.starts_with("/p/.hadolint.yaml:2:1: a hadolint config holds one YAML document"), "{err}");
}

#[test]
fn error_without_position_displays_path_only() {
    let err = ConfigError::whole_file(Path::new("/x/plimsoll.toml"), "cannot read the config: gone");
    assert_eq!(err.to_string(), "/x/plimsoll.toml: cannot read the config: gone");
}

#[test]
fn one_of_lists() {
    assert_eq!(one_of(&["a"]), "`a`");
    assert_eq!(one_of(&["a", "b"]), "`a` or `b`");
    assert_eq!(one_of(&[]), "");
}

#[test]
fn rule_options_keep_every_toml_type() {
    let config = toml("[rules.x]\nwhen = 1979-05-27\nsub = { a = 1.5 }\n[rules.root-user]\nallow = true\n");
    let x = config.options_for("PLD999", "x");
    assert!(x.and_then(|t| t.get("when")).is_some_and(|v| v.as_datetime().is_some()));
    let a = x.and_then(|t| t.get("sub")).and_then(|v| v.get("a")).and_then(|v| v.as_float());
    assert_eq!(a, Some(1.5));
    let allow = config.options_for("PLD201", "root-user").and_then(|t| t.get("allow")).and_then(|v| v.as_bool());
    assert_eq!(allow, Some(true));
    assert_eq!(values(&config.rule_option_selectors), ["x", "root-user"]);
}
