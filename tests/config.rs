//! Config discovery and loading from real folders under the target's temp dir.

use std::fs;
use std::path::{Path, PathBuf};

use plimsoll::config::{self, ConfigKind, FailOn};

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("config-tests").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

fn write(dir: &Path, relative: &str, text: &str) -> PathBuf {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(&path, text).expect("write file");
    path
}

fn found(start: &Path) -> Option<PathBuf> {
    config::discover(start).expect("discover").map(|config| config.source.path)
}

#[test]
fn nearest_plimsoll_config_wins() {
    let root = scratch("nearest");
    write(&root, "plimsoll.toml", "ignore = [\"top\"]\n");
    let middle = write(&root, "a/plimsoll.toml", "ignore = [\"middle\"]\n");
    fs::create_dir_all(root.join("a/b/c")).expect("mkdir");
    assert_eq!(found(&root.join("a/b/c")), Some(middle.clone()));
    assert_eq!(found(&root.join("a")), Some(middle));
    assert_eq!(found(&root), Some(root.join("plimsoll.toml")));
    let config = config::discover(&root.join("a/b")).expect("discover").expect("a config");
    assert_eq!(config.source.kind, ConfigKind::Plimsoll);
    assert_eq!(config.ignore[0].value, "middle");
}

#[test]
fn a_file_path_starts_from_its_folder() {
    let root = scratch("file-start");
    let toml = write(&root, "app/.plimsoll.toml", "");
    let dockerfile = write(&root, "app/Dockerfile", "FROM alpine\n");
    assert_eq!(found(&dockerfile), Some(toml));
}

#[test]
fn plimsoll_toml_beats_dot_plimsoll_toml_in_one_folder() {
    let root = scratch("both-names");
    write(&root, ".plimsoll.toml", "");
    let plain = write(&root, "plimsoll.toml", "");
    assert_eq!(found(&root), Some(plain));
}

#[test]
fn plimsoll_config_beats_hadolint_at_the_same_level_and_above() {
    let root = scratch("beats-hadolint");
    let toml = write(&root, "plimsoll.toml", "fail-on = \"never\"\n");
    write(&root, ".hadolint.yaml", "ignored: [DL3008]\n");
    write(&root, "sub/.hadolint.yaml", "ignored: [DL3009]\n");
    fs::create_dir_all(root.join("sub/deeper")).expect("mkdir");
    assert_eq!(found(&root), Some(toml.clone()));
    assert_eq!(found(&root.join("sub/deeper")), Some(toml));
}

#[test]
fn nearest_hadolint_config_is_imported_when_there_is_no_plimsoll_config() {
    let root = scratch("hadolint");
    write(&root, ".hadolint.yaml", "ignored: [DL3008]\n");
    let nearer = write(&root, "svc/.hadolint.yml", "failure-threshold: warning\ntrustedRegistries: docker.io\n");
    fs::create_dir_all(root.join("svc/x")).expect("mkdir");
    let config = config::discover(&root.join("svc/x")).expect("discover").expect("a config");
    assert_eq!(config.source.path, nearer);
    assert_eq!(config.source.kind, ConfigKind::Hadolint);
    assert_eq!(config.fail_on, Some(FailOn::Warning));
    assert_eq!(config.trusted_registries[0].value, "docker.io");
    // `.hadolint.yaml` beats `.hadolint.yml` in one folder.
    let yaml = write(&root, "svc/.hadolint.yaml", "");
    assert_eq!(found(&root.join("svc")), Some(yaml));
}

#[test]
fn nothing_in_the_tree() {
    let root = scratch("none");
    fs::create_dir_all(root.join("a")).expect("mkdir");
    // A config above the scratch folder (outside this test's control) may exist; none may be found inside.
    let path = config::find_config_file(&root.join("a")).expect("find");
    assert!(path.as_ref().is_none_or(|p| !p.starts_with(&root)), "{path:?}");
}

#[test]
fn a_broken_config_is_an_error_with_its_position() {
    let root = scratch("broken");
    let path = write(&root, "plimsoll.toml", "select = [\"PLD\"]\n\n[severity]\nPLD1 = \"loud\"\n");
    let err = config::discover(&root).expect_err("an invalid severity");
    assert_eq!(
        err.to_string(),
        format!("{}:4:8: invalid severity `loud` for `PLD1`; expected `error`, `warning` or `info`", path.display())
    );
    let yaml = write(&root, "y/.hadolint.yaml", "ignored: [DL3008\n");
    let err = config::load_file(&yaml).expect_err("broken YAML");
    assert!(err.line_col.is_some() && err.message.starts_with("invalid YAML"), "{err}");
}

#[test]
fn unreadable_config_is_an_error_without_position() {
    let root = scratch("unreadable");
    let err = config::load_file(&root.join("missing.toml")).expect_err("no such file");
    assert!(err.line_col.is_none());
    assert!(err.to_string().starts_with(&format!("{}: cannot read the config", root.join("missing.toml").display())));
    let bad = root.join("plimsoll.toml");
    fs::write(&bad, b"ignore = [\"\xff\"]\n").expect("write");
    let err = config::load_file(&bad).expect_err("not UTF-8");
    assert!(err.message.contains("not valid UTF-8"), "{err}");
}

#[test]
fn per_path_ignores_are_relative_to_the_discovered_config() {
    let root = scratch("per-path");
    write(&root, "repo/plimsoll.toml", "[per-path-ignores]\n\"legacy/**\" = [\"PLD201\"]\n");
    let dockerfile = write(&root, "repo/legacy/old/Dockerfile", "FROM alpine\n");
    let other = write(&root, "repo/app/Dockerfile", "FROM alpine\n");
    let config = config::discover(&dockerfile).expect("discover").expect("a config");
    assert!(config.is_path_ignored(&dockerfile, &|selector| selector == "PLD201"));
    assert!(!config.is_path_ignored(&other, &|selector| selector == "PLD201"));
}

#[test]
fn extend_builds_on_an_organisation_policy() {
    let root = scratch("extend");
    write(
        &root,
        "org/plimsoll.toml",
        "fail-on = \"warning\"\ntrusted-registries = [\"registry.corp.example/*\"]\nignore = [\"PLD106\"]\n\
         [severity]\nPLD101 = \"error\"\n[[per-path-ignores]]\npath = \"legacy/**\"\nignore = [\"PLD201\"]\n",
    );
    write(
        &root,
        "repo/plimsoll.toml",
        "extend = \"../org/plimsoll.toml\"\ntrusted-registries = [\"docker.io\"]\nignore = [\"PLD108\"]\n\
         [severity]\nPLD101 = \"info\"\n",
    );
    let config = config::discover(&root.join("repo")).expect("discover").expect("a config");
    assert_eq!(config.layers().len(), 2);
    assert_eq!(config.effective_fail_on(), Some(FailOn::Warning), "the organisation's fail-on applies");
    let trusted = config.rule_settings().trusted_registries;
    assert_eq!(trusted, ["registry.corp.example/*", "docker.io"], "the repository adds to the trusted registries");
    let ignored: Vec<&str> = config.effective_ignore().iter().map(|s| s.value.as_str()).collect();
    assert_eq!(ignored, ["PLD106", "PLD108"]);
    // Later files win for severities.
    let severities: Vec<&str> = config.effective_severity().iter().map(|(_, s)| s.value.as_str()).collect();
    assert_eq!(severities, ["error", "info"]);
    // The organisation's per-path globs are relative to its own folder.
    let ignored_for = |p: &str| config.ignored_selectors_for(&root.join(p)).len();
    assert_eq!(ignored_for("org/legacy/Dockerfile"), 1);
    assert_eq!(ignored_for("repo/legacy/Dockerfile"), 0);
    // The repository's own `select`/`fail-on` win when written.
    write(&root, "repo/plimsoll.toml", "extend = \"../org/plimsoll.toml\"\nfail-on = \"never\"\n");
    let config = config::discover(&root.join("repo")).expect("discover").expect("a config");
    assert_eq!(config.effective_fail_on(), Some(FailOn::Never));
}

#[test]
fn extend_errors_point_at_the_extend_value() {
    let root = scratch("extend-errors");
    write(&root, "plimsoll.toml", "select = [\"PLD\"]\nextend = \"nope/plimsoll.toml\"\n");
    let error = config::discover(&root).expect_err("missing file").to_string();
    assert!(error.contains("plimsoll.toml:2:10: `extend` names `"), "{error}");
    assert!(error.contains("nope/plimsoll.toml`, which is not a file"), "{error}");

    write(&root, "a/plimsoll.toml", "extend = \"../b/plimsoll.toml\"\n");
    write(&root, "b/plimsoll.toml", "\nextend = \"../a/plimsoll.toml\"\n");
    let error = config::discover(&root.join("a")).expect_err("cycle").to_string();
    assert!(error.contains("b/plimsoll.toml:2:10: `extend` makes a cycle: "), "{error}");
    assert!(error.matches("plimsoll.toml").count() >= 4, "{error}");

    // An unknown selector in the extended file is reported at its place in that file.
    write(&root, "c/plimsoll.toml", "ignore = [\"PLD2O1\"]\n");
    write(&root, "d/plimsoll.toml", "extend = \"../c/plimsoll.toml\"\n");
    let config = config::discover(&root.join("d")).expect("discover").expect("a config");
    let errors = config.validate(&|s| s != "PLD2O1");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].to_string().contains("c/plimsoll.toml:1:11: unknown rule selector `PLD2O1`"), "{}", errors[0]);
}
