//! Compose projects resolved as `docker compose` resolves them (issue 11): `dump -f` paths, `dump` in a folder,
//! `COMPOSE_FILE`, `COMPOSE_PROJECT_NAME`, `env_file` variables, and YAML 1.1 booleans reaching the rules.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use plimsoll::compose::project::{LoadOptions, MemoryFs};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compose-resolution").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test folder");
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
    std::fs::write(path, text).expect("write fixture");
}

/// `plimsoll ARGS` in `dir`, with a clean environment but for `env`.
fn plimsoll(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .expect("run plimsoll")
}

fn json(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// Issue 11, bug 3: `-f` paths are taken from the current folder (nested, `../`, absolute), the project folder
/// is the first file's, and a failed override prints no project.
#[test]
fn dump_reads_every_f_path_from_the_current_folder() {
    let root = scratch("dump-f");
    let app = root.join("app");
    write(&app, "compose.yaml", "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n");
    write(&app, "env/prod/override.yaml", "services:\n  web:\n    image: nginx:1.27\n");
    write(&root, "shared/extra.yaml", "services:\n  web:\n    user: app\n");
    let absolute = root.join("shared/absolute.yaml");
    write(&root, "shared/absolute.yaml", "services:\n  web:\n    read_only: true\n");
    let out = plimsoll(
        &[
            "dump",
            "-f",
            "compose.yaml",
            "-f",
            "env/prod/override.yaml",
            "-f",
            "../shared/extra.yaml",
            "-f",
            absolute.to_str().expect("path"),
        ],
        &app,
        &[],
    );
    let project = json(&out);
    let web = &project["services"]["web"];
    assert_eq!(web["image"], "nginx:1.27");
    assert_eq!(web["user"], "app");
    assert_eq!(web["read_only"], true);
    assert_eq!(project["name"], "app", "the project folder is the first file's");

    // From the parent folder, the same files by other paths.
    let out = plimsoll(&["dump", "-f", "app/compose.yaml", "-f", "app/env/prod/override.yaml"], &root, &[]);
    assert_eq!(json(&out)["services"]["web"]["image"], "nginx:1.27");

    // An override that cannot be parsed: the error at its place, and no project.
    write(&app, "env/prod/broken.yaml", "services:\n  web:\n    image: [unclosed\n");
    let out = plimsoll(&["dump", "-f", "compose.yaml", "-f", "env/prod/broken.yaml"], &app, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("env/prod/broken.yaml:3:"), "{stderr}");
    // A missing one is a usage error.
    let out = plimsoll(&["dump", "-f", "compose.yaml", "-f", "env/nope.yaml"], &app, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// `plimsoll dump` without a file prints the folder's project, as `docker compose config` does; with
/// `COMPOSE_FILE` (from `.env` or the environment, split at `COMPOSE_PATH_SEPARATOR`) it loads those files.
#[test]
fn dump_without_a_file_and_compose_file() {
    let dir = scratch("dump-folder");
    write(&dir, "compose.yaml", "services:\n  web:\n    image: nginx\n");
    write(&dir, "compose.override.yaml", "services:\n  web:\n    user: app\n");
    let project = json(&plimsoll(&["dump"], &dir, &[]));
    assert_eq!(project["services"]["web"]["user"], "app");

    write(&dir, "stack/base.yml", "services:\n  api:\n    image: api:1\n");
    write(&dir, "stack/prod.yml", "services:\n  api:\n    image: api:2\n");
    write(&dir, ".env", "COMPOSE_FILE=stack/base.yml:stack/prod.yml\n");
    let project = json(&plimsoll(&["dump"], &dir, &[]));
    assert_eq!(project["services"]["api"]["image"], "api:2");
    assert!(project["services"].get("web").is_none(), "{project}");

    // The environment wins over `.env`, with its own separator.
    let env = [("COMPOSE_FILE", "compose.yaml;stack/base.yml"), ("COMPOSE_PATH_SEPARATOR", ";")];
    let project = json(&plimsoll(&["dump"], &dir, &env));
    assert_eq!(project["services"]["api"]["image"], "api:1");
    assert_eq!(project["services"]["web"]["image"], "nginx");

    let empty = scratch("dump-empty");
    let out = plimsoll(&["dump"], &empty, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Compose file"));
}

/// `check .` loads the files `COMPOSE_FILE` names in `.env` as one project, whatever their names: the
/// privileged service of `stack.yml` (a name plimsoll would not pick up) is found, once, in that file, and the
/// override (which names no image) is not linted alone.
#[test]
fn check_loads_the_compose_file_setting() {
    let dir = scratch("check-compose-file");
    write(&dir, "compose.yaml", "services:\n  web:\n    image: nginx:1.27\n");
    write(&dir, "stack.yml", "services:\n  web:\n    privileged: yes\n");
    write(&dir, ".env", "COMPOSE_FILE=compose.yaml:stack.yml\n");
    let out = plimsoll(&["check", "--select", "PLC201", "--format", "json", "."], &dir, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("\"PLC201\"").count(), 1, "{text}");
    assert!(text.contains("stack.yml"), "{text}");
}

/// `COMPOSE_PROJECT_NAME` is predefined for interpolation: from the environment, or else the project name.
#[test]
fn compose_project_name_is_predefined() {
    let files = |text: &str| MemoryFs([(PathBuf::from("/p/shop/compose.yaml"), text.to_owned())].into());
    let load = |fs: &MemoryFs, env: &[(&str, &str)]| {
        let options = LoadOptions {
            dir: "/p/shop".into(),
            env: env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            ..Default::default()
        };
        let (project, model) = plimsoll::load_compose_project(&options, fs);
        assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
        let model = model.expect("model");
        model.services[0].container_name.as_ref().map(|c| c.value.clone())
    };
    let text = "services:\n  web:\n    image: nginx\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n";
    assert_eq!(load(&files(text), &[]).as_deref(), Some("shop-web"));
    let named = format!("name: ${{STAGE:-Demo}}\n{text}");
    assert_eq!(load(&files(&named), &[]).as_deref(), Some("demo-web"));
    assert_eq!(load(&files(&named), &[("STAGE", "prod")]).as_deref(), Some("prod-web"));
    assert_eq!(load(&files(text), &[("COMPOSE_PROJECT_NAME", "other")]).as_deref(), Some("other-web"));
}

/// `env_file` variables are the service's environment (under what the service sets itself), each pointing at
/// its line in the env file; the dump shows them as `docker compose config` does (no `env_file` key).
#[test]
fn env_file_variables_join_the_environment() {
    let dir = scratch("env-file");
    write(
        &dir,
        "compose.yaml",
        "services:\n  web:\n    image: nginx\n    env_file: [app.env, {path: gone.env, required: false}]\n    environment:\n      MODE: own\n",
    );
    write(&dir, "app.env", "# app settings\nMODE=from-file\nPORT=8080\nexport GREETING=\"hello ${WHO:-world}\"\n");
    let project = json(&plimsoll(&["dump"], &dir, &[]));
    let web = &project["services"]["web"];
    assert_eq!(web["environment"], serde_json::json!({"MODE": "own", "PORT": "8080", "GREETING": "hello world"}));
    assert!(web.get("env_file").is_none(), "{web}");
}

/// A committed `ci.env` holding a GitHub token is found by the secret rules, at the line in the env file.
#[test]
fn a_token_in_an_env_file_is_reported_in_the_env_file() {
    let token = format!("ghp_{}", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8");
    let env = format!("# CI settings\nCI_USER=bot\nGITHUB_TOKEN={token}\n");
    let fs = MemoryFs(
        [
            (
                PathBuf::from("/p/compose.yaml"),
                "services:\n  ci:\n    image: runner:1\n    env_file: ci.env\n".to_owned(),
            ),
            (PathBuf::from("/p/ci.env"), env.clone()),
        ]
        .into(),
    );
    let options = LoadOptions { dir: "/p".into(), ..Default::default() };
    let reports = plimsoll::lint_compose_project(&options, &fs);
    let report = reports.iter().find(|r| r.source.path == Path::new("/p/ci.env")).expect("a report for ci.env");
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "PLC401").collect();
    assert_eq!(found.len(), 1, "{:#?}", report.diagnostics);
    let d = found[0];
    assert_eq!(&env[d.range.as_usize()], token);
    assert_eq!(report.source.line_col(d.range.start).line, 3);
    // Nothing is reported in the Compose file for it.
    let compose = reports.iter().find(|r| r.source.path == Path::new("/p/compose.yaml")).expect("compose report");
    assert!(compose.diagnostics.iter().all(|d| d.code != "PLC401"), "{:#?}", compose.diagnostics);
}

/// Issue 11, bug 1: `privileged: yes` runs a privileged container; PLC201 reports it, with no PLC012.
#[test]
fn yaml_1_1_privileged_is_reported() {
    let text = "services:\n  agent:\n    image: agent:1\n    privileged: yes\n";
    let fs = MemoryFs([(PathBuf::from("/p/compose.yaml"), text.to_owned())].into());
    let options = LoadOptions { dir: "/p".into(), ..Default::default() };
    let reports = plimsoll::lint_compose_project(&options, &fs);
    let diagnostics: Vec<_> = reports.iter().flat_map(|r| &r.diagnostics).collect();
    assert!(diagnostics.iter().all(|d| d.code != "PLC012"), "{diagnostics:#?}");
    let privileged = diagnostics.iter().find(|d| d.code == "PLC201").expect("PLC201");
    assert_eq!(&text[privileged.range.as_usize()], "yes");
}

/// `check .` (a project folder given as `.`) predefines `COMPOSE_PROJECT_NAME` from the folder's name on disk:
/// no unset-variable finding for it.
#[test]
fn compose_project_name_from_the_current_folder() {
    let dir = scratch("predefined-name");
    write(
        &dir,
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n",
    );
    let out = plimsoll(&["check", "--no-env", "--format", "json", "."], &dir, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("COMPOSE_PROJECT_NAME"), "{text}");
    let with_unset = "services:\n  web:\n    image: nginx:1.27\n    container_name: ${UNSET_NAME}-web\n";
    write(&dir, "compose.yaml", with_unset);
    let out = plimsoll(&["check", "--no-env", "--format", "json", "."], &dir, &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("UNSET_NAME"), "the check can see an unset variable");
}
