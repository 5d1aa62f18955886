//! The `plimsoll` binary: exit codes, discovery, human output and `dump`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::plimsoll;

/// Standard output without the run's duration in the summary line ("in 3 files (12 ms)." → "in 3 files.").
fn stdout(o: &Output) -> String {
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.lines()
        .map(|line| match line.rfind(" (").filter(|_| line.ends_with(" ms).") || line.ends_with(" s).")) {
            Some(at) if line.starts_with("Found ") || line.starts_with("No problems") => format!("{}.", &line[..at]),
            _ => line.to_owned(),
        })
        .map(|line| line + "\n")
        .collect()
}

/// A fresh folder under the target directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test folder");
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
    std::fs::write(path, text).expect("write fixture");
}

#[test]
fn clean_file_exits_0() {
    let dir = scratch("clean");
    write(&dir, "Dockerfile", "FROM alpine:3.22\nUSER nobody\n");
    let out = plimsoll(&["check", "."], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "No problems found in 1 file.\n");
}

#[test]
fn findings_exit_1_with_file_line_and_column() {
    let dir = scratch("findings");
    write(&dir, "Dockerfile", "FROM alpine:3.22\nCOPY --form=x a b\nFRO x\nUSER nobody\n");
    let out = plimsoll(&["check"], &dir);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("check_findings", stdout(&out));
}

#[test]
fn missing_path_exits_2() {
    let dir = scratch("missing");
    let out = plimsoll(&["check", "nope/Dockerfile"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope/Dockerfile: no such file or directory"));
}

#[test]
fn usage_error_exits_2() {
    let dir = scratch("usage");
    assert_eq!(plimsoll(&["check", "--no-such-flag"], &dir).status.code(), Some(2));
}

#[test]
fn discovery_finds_dockerfile_names_and_respects_gitignore() {
    let dir = scratch("discovery");
    std::fs::create_dir_all(dir.join(".git")).expect("mark as repository");
    for name in ["Dockerfile", "api.Dockerfile", "Dockerfile.prod", "svc/Containerfile", "ignored/Dockerfile"] {
        write(&dir, name, "FRO x\n");
    }
    write(&dir, "README.md", "FRO x\n");
    write(&dir, ".hidden/Dockerfile", "FRO x\n");
    write(&dir, ".gitignore", "ignored/\n");
    let out = plimsoll(&["check", "."], &dir);
    let text = stdout(&out);
    assert!(text.ends_with("in 4 files.\n"), "{text}");
    for name in ["./Dockerfile:1:1", "./api.Dockerfile:1:1", "./Dockerfile.prod:1:1", "./svc/Containerfile:1:1"] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
}

#[test]
fn an_explicit_file_is_linted_whatever_its_name() {
    let dir = scratch("explicit");
    write(&dir, "build.txt", "FRO x\n");
    let out = plimsoll(&["check", "build.txt"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("unknown instruction `FRO`"));
    let out = plimsoll(&["check", "--kind", "dockerfile", "build.txt"], &dir);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn dump_buildkit_and_json() {
    let dir = scratch("dump");
    write(&dir, "Dockerfile", "FROM alpine AS b\nRUN --mount=type=cache,target=/c echo \"hi\"\nENV A=1 B=2\n");
    let out = plimsoll(&["dump", "--format", "buildkit", "Dockerfile"], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "(from \"alpine\" \"AS\" \"b\")\n(run [\"--mount=type=cache,target=/c\"] \"echo \\\"hi\\\"\")\n(env \"A\" \"1\" \"=\" \"B\" \"2\" \"=\")\n"
    );
    let out = plimsoll(&["dump", "--format", "json", "Dockerfile"], &dir);
    assert_eq!(out.status.code(), Some(0));
    let tree: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(tree["instructions"][1]["flags"][0]["parsed"]["type"], "mount");
    assert_eq!(tree["instructions"][1]["range"], serde_json::json!({"start": 17, "end": 59}));
    assert_eq!(tree["stages"][0]["name"]["value"], "b");
}

#[test]
fn dump_buildkit_fails_where_buildkit_fails() {
    let dir = scratch("dump-fail");
    write(&dir, "Dockerfile", "FROM alpine\nCMD [\"a\", [\"b\"]]\n");
    let out = plimsoll(&["dump", "--format", "buildkit", "Dockerfile"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Dockerfile:2:5: the JSON array must hold only strings"));
}

#[test]
fn compose_projects_are_loaded_whole_and_findings_point_into_each_file() {
    let dir = scratch("compose-project");
    write(
        &dir,
        "compose.yaml",
        "version: '3'\nservices:\n  web:\n    image: \"nginx:${TAG}\"\n    extends: {file: common/base.yaml, service: base}\n",
    );
    write(&dir, "compose.override.yaml", "services:\n  web:\n    ports: ['8080:80']\n");
    write(&dir, "common/base.yaml", "services:\n  base:\n    user: ${WHO:?set WHO}\n");
    write(&dir, ".env", "TAG=1.27\n");
    // Loading diagnostics always run; of the rules, only two are selected here (so new rules do not change it).
    let out = plimsoll(&["check", "--no-env", "--select", "PLC801,PLC501", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("[common/base.yaml:3:11]"), "{text}");
    assert!(text.contains("[compose.yaml:1:1]"), "{text}");
    assert!(!text.contains("TAG"), "TAG comes from .env: {text}");
    assert!(text.contains("[compose.override.yaml:3:13]"), "{text}");
    assert!(
        text.ends_with(
            "Found 0 errors, 3 warnings and 0 infos in 3 files.\n1 fix available with `--fix` (1 more with `--unsafe-fixes`).\n"
        ),
        "{text}"
    );
    // Named on its own, the base file is still read once as part of the project, not twice.
    let out = plimsoll(&["check", "--no-env", ".", "common/base.yaml"], &dir);
    assert_eq!(stdout(&out).matches("required variable WHO").count(), 1, "{}", stdout(&out));
}

#[test]
fn a_hadolint_config_keeps_working() {
    let dir = scratch("hadolint-config");
    write(&dir, "Dockerfile", "FROM ubuntu\nUSER root\n");
    // DL3002 is root-user's hadolint equivalent; DL3008 has none yet and is accepted; unknown keys are ignored
    // as hadolint ignores them.
    write(&dir, ".hadolint.yaml", "ignored: [DL3002, DL3008]\nfailure-threshold: error\nsome-new-key: 1\n");
    let out = plimsoll(&["check"], &dir);
    let text = stdout(&out);
    assert!(text.contains("PLD101") && !text.contains("PLD201"), "{text}");
    assert_eq!(out.status.code(), Some(0), "warnings stay under hadolint's failure-threshold error");
}

#[test]
fn plimsoll_toml_selects_overrides_and_ignores_per_path() {
    let dir = scratch("plimsoll-config");
    // With a CMD, so that PLD201 reports them as runnable images (at warning), not as base images (at info).
    write(&dir, "Dockerfile", "FROM ubuntu\nUSER root\nCMD [\"sh\"]\n");
    write(&dir, "legacy/Dockerfile", "FROM ubuntu\nUSER root\nCMD [\"sh\"]\n");
    let config = "ignore = [\"latest-base-image\"]\nfail-on = \"error\"\n[severity]\nPLD201 = \"error\"\n\
                  [[per-path-ignores]]\npath = \"legacy/**\"\nignore = [\"PLD2\"]\n";
    write(&dir, "plimsoll.toml", config);
    let out = plimsoll(&["check"], &dir);
    let text = stdout(&out);
    assert!(text.ends_with("Found 1 error, 0 warnings and 0 infos in 2 files.\n"), "{text}");
    assert!(text.contains("[./Dockerfile:2:6]"), "{text}");
    assert_eq!(out.status.code(), Some(1));
    // The command line adds to the configuration, and --no-config leaves it out.
    let out = plimsoll(&["check", "--ignore", "root-user"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = plimsoll(&["check", "--no-config", "--fail-on", "never"], &dir);
    assert!(stdout(&out).contains("Found 0 errors, 4 warnings"), "{}", stdout(&out));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_bad_config_is_an_error_with_its_position() {
    let dir = scratch("bad-config");
    write(&dir, "Dockerfile", "FROM alpine:3.22\nUSER app\n");
    write(&dir, "plimsoll.toml", "select = [\"PLD\"]\nignroe = [\"PLD201\"]\n");
    let out = plimsoll(&["check"], &dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("plimsoll.toml:2:1: unknown key `ignroe`"), "{err}");
    // An unknown selector is a warning (see cli_everyday.rs), not an error.
    write(&dir, "plimsoll.toml", "ignore = [\"PLD999\"]\n");
    let out = plimsoll(&["check"], &dir);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(err.contains("warning: ") && err.contains("plimsoll.toml:1:11: unknown rule selector `PLD999`"), "{err}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn rules_and_explain() {
    let dir = scratch("rules");
    let out = plimsoll(&["rules", "--format", "json"], &dir);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let root = list.as_array().and_then(|l| l.iter().find(|r| r["code"] == "PLD201")).expect("PLD201");
    assert_eq!(root["name"], "root-user");
    assert_eq!(root["category"], "privilege");
    assert_eq!(root["equivalents"]["hadolint"][0], "DL3002");
    let out = plimsoll(&["explain", "root-user"], &dir);
    assert!(stdout(&out).starts_with("# PLD201 root-user\n"));
    // The switchable loader codes have pages too, by code or name.
    assert!(stdout(&plimsoll(&["explain", "PLC016"], &dir)).starts_with("# PLC016 undefined-resource\n"));
    assert!(stdout(&plimsoll(&["explain", "missing-env-file"], &dir)).starts_with("# PLC018 missing-env-file\n"));
    assert_eq!(plimsoll(&["explain", "nope"], &dir).status.code(), Some(2));
}

/// A Dockerfile with three fixable findings (all unsafe fixes, one across a continuation) and one unfixable.
const FIXABLE: &str = "FROM alpine:3.22\n\
                       RUN --network=host curl -fsSLk https://x -o /tmp/x \\\n \
                       && apk add --allow-untrusted /tmp/x.apk\n\
                       ENV NODE_TLS_REJECT_UNAUTHORIZED=0\n\
                       USER nobody\n";

const FIXED: &str = "FROM alpine:3.22\n\
                     RUN curl -fsSL https://x -o /tmp/x \\\n \
                     && apk add /tmp/x.apk\n\
                     ENV NODE_TLS_REJECT_UNAUTHORIZED=0\n\
                     USER nobody\n";

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("read back")
}

#[test]
fn fix_rewrites_the_file_and_reports_what_remains() {
    let dir = scratch("fix");
    write(&dir, "Dockerfile", FIXABLE);
    // Every fix here is unsafe: --fix alone changes nothing and says how to get them.
    let out = plimsoll(&["check", "--fix"], &dir);
    assert_eq!(read(&dir, "Dockerfile"), FIXABLE);
    assert!(
        stdout(&out).ends_with(
            "Fixed 0 findings (4 remaining).\nNo fixes with `--fix` alone (3 unsafe fixes with `--unsafe-fixes`).\n"
        ),
        "{}",
        stdout(&out)
    );
    let out = plimsoll(&["check", "--fix", "--unsafe-fixes"], &dir);
    assert_eq!(read(&dir, "Dockerfile"), FIXED);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "the unfixable finding remains: {text}");
    assert!(text.contains("NODE_TLS_REJECT_UNAUTHORIZED") && !text.contains("PLD302"), "{text}");
    assert!(
        text.ends_with("Found 1 error, 0 warnings and 0 infos in 1 file.\nFixed 3 findings (1 remaining).\n"),
        "{text}"
    );
    // Nothing left to fix: the file stays as it is.
    let out = plimsoll(&["check", "--fix", "--unsafe-fixes"], &dir);
    assert!(stdout(&out).ends_with("Fixed 0 findings (1 remaining).\n"), "{}", stdout(&out));
    assert_eq!(read(&dir, "Dockerfile"), FIXED);
}

#[test]
fn fix_keeps_a_bom_and_crlf_line_endings() {
    let dir = scratch("fix-crlf");
    write(&dir, "Dockerfile", "\u{feff}FROM alpine:3.22\r\nRUN --security=insecure \\\r\n  make\r\nUSER nobody\r\n");
    let out = plimsoll(&["check", "--fix", "--unsafe-fixes"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(read(&dir, "Dockerfile"), "\u{feff}FROM alpine:3.22\r\nRUN \\\r\n  make\r\nUSER nobody\r\n");
}

#[test]
fn diff_prints_the_change_and_writes_nothing() {
    let dir = scratch("fix-diff");
    write(&dir, "Dockerfile", FIXABLE);
    let out = plimsoll(&["check", "--diff", "--unsafe-fixes", "Dockerfile"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "--- Dockerfile\n+++ Dockerfile\n@@ -1,5 +1,5 @@\n FROM alpine:3.22\n\
         -RUN --network=host curl -fsSLk https://x -o /tmp/x \\\n- && apk add --allow-untrusted /tmp/x.apk\n\
         +RUN curl -fsSL https://x -o /tmp/x \\\n+ && apk add /tmp/x.apk\n \
         ENV NODE_TLS_REJECT_UNAUTHORIZED=0\n USER nobody\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Would fix 3 findings."));
    // --diff wins over --fix: still nothing written.
    plimsoll(&["check", "--diff", "--fix", "--unsafe-fixes"], &dir);
    assert_eq!(read(&dir, "Dockerfile"), FIXABLE);
    // Without --unsafe-fixes there is nothing to apply.
    let out = plimsoll(&["check", "--diff"], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[test]
fn findings_show_their_fix() {
    let dir = scratch("fix-notes");
    write(&dir, "Dockerfile", "FROM alpine:3.22\nRUN --network=host curl -k https://x\nUSER nobody\n");
    let out = plimsoll(&["check"], &dir);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("check_fix_notes", stdout(&out));
    // With --unsafe-fixes the same fixes are plainly available to --fix.
    let text = stdout(&plimsoll(&["check", "--unsafe-fixes"], &dir));
    assert!(text.contains("  fix: remove `-k` [unsafe fix available]\n"), "{text}");
    assert!(text.ends_with("2 fixes available with `--fix`.\n"), "{text}");
}

#[test]
fn fix_rewrites_compose_files_of_a_project() {
    let dir = scratch("fix-compose");
    write(&dir, "compose.yaml", "version: '3.8' # old\nservices:\n  web:\n    image: nginx:1.27\n");
    write(&dir, "compose.override.yaml", "version: '3.8'\nservices:\n  web:\n    environment:\n      A: b\n");
    let out = plimsoll(&["check", "--fix", "--select", "PLC801"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).ends_with("Fixed 2 findings (0 remaining).\n"), "{}", stdout(&out));
    assert_eq!(read(&dir, "compose.yaml"), "services:\n  web:\n    image: nginx:1.27\n");
    assert_eq!(read(&dir, "compose.override.yaml"), "services:\n  web:\n    environment:\n      A: b\n");
}

fn plimsoll_with_stdin(args: &[&str], dir: &Path, input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run plimsoll");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait")
}

#[test]
fn standard_input_takes_its_kind_and_reported_name_from_stdin_filename() {
    let dir = scratch("stdin");
    // Nothing on disk is touched, even with --fix: the fixed text goes to standard output, the report to
    // standard error.
    let out = plimsoll_with_stdin(
        &["check", "--fix", "--unsafe-fixes", "--stdin-filename", "svc/Dockerfile", "-"],
        &dir,
        "FROM alpine:3.22\nRUN --network=host make\n",
    );
    assert_eq!(stdout(&out), "FROM alpine:3.22\nRUN make\n");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(report.contains("[svc/Dockerfile:1:1]"), "{report}");
    assert!(!dir.join("svc").exists());
    let out = plimsoll_with_stdin(
        &["check", "--select", "PLC201", "--stdin-filename", "docker-compose.yml", "-"],
        &dir,
        "services:\n  a:\n    image: nginx:1.27\n    privileged: true\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("[docker-compose.yml:4:17]"), "{}", stdout(&out));
}

#[test]
fn exclude_globs_leave_files_out_of_folder_walks() {
    let dir = scratch("exclude");
    write(&dir, "Dockerfile", "FROM alpine:3.22\nUSER app\n");
    write(&dir, "vendor/lib/Dockerfile", "FROM ubuntu\n");
    write(&dir, "deploy/compose.prod.yaml", "services:\n  a:\n    image: nginx:1.27\n    privileged: true\n");
    let out = plimsoll(&["check", "--exclude", "vendor/,*.prod.yaml", "."], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // A file named on the command line is linted even when a glob matches it.
    let out = plimsoll(&["check", "--exclude", "vendor/", "vendor/lib/Dockerfile"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let out = plimsoll(&["check", "--exclude", "[", "."], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid --exclude glob `[`"));
}

#[test]
fn completions_for_each_shell() {
    let dir = scratch("completions");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = plimsoll(&["completions", shell], &dir);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(stdout(&out).contains("stdin-filename"), "{shell}: every check option is completed");
    }
    assert_eq!(plimsoll(&["completions", "tcsh"], &dir).status.code(), Some(2));
}

#[test]
fn statistics_count_findings_per_rule_and_quiet_drops_the_summary() {
    let dir = scratch("statistics");
    write(&dir, "a/Dockerfile", "FROM ubuntu\nRUN curl -k https://x\n");
    write(&dir, "b/Dockerfile", "FROM ubuntu:latest\nUSER app\n");
    let out = plimsoll(&["check", "--statistics", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "2\tPLD101\tlatest-base-image\n1\tPLD104\ttls-verification-disabled (1 fixable)\n1\tPLD203\tmissing-user\n"
    );
    let out = plimsoll(&["check", "--statistics", "--format", "json", "b"], &dir);
    assert_eq!(stdout(&out), "[{\"code\":\"PLD101\",\"count\":1,\"fixable\":0,\"name\":\"latest-base-image\"}]\n");
    let out = plimsoll(&["check", "--quiet", "b"], &dir);
    assert!(stdout(&out).starts_with("PLD101") && !stdout(&out).contains("Found"), "{}", stdout(&out));
    write(&dir, "c/Dockerfile", "FROM alpine:3.22\nUSER app\n");
    assert_eq!(stdout(&plimsoll(&["check", "-q", "c"], &dir)), "");
}

#[test]
fn invalid_bytes_and_a_broken_compose_file_are_reported_and_the_run_goes_on() {
    let dir = scratch("broken-inputs");
    std::fs::create_dir_all(dir.join("bytes")).expect("mkdir");
    std::fs::write(dir.join("bytes/Dockerfile"), b"FROM alpine:3.22\nLABEL x=\"\xff\xfe\"\nUSER app\n").expect("write");
    write(&dir, "yaml/compose.yaml", "services:\n  web:\n    image: [nginx\n");
    write(&dir, "ok/Dockerfile", "FROM ubuntu\nUSER app\n");
    let out = plimsoll(&["check", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // Each file's problem is named with its place, and the file after them is still linted.
    assert!(text.contains("PLD004") && text.contains("bytes/Dockerfile:2:10]"), "{text}");
    assert!(text.contains("PLC001") && text.contains("yaml/compose.yaml:"), "{text}");
    assert!(text.contains("PLD101") && text.contains("ok/Dockerfile:1:6]"), "{text}");
    assert!(text.contains(" in 3 files."), "{text}");
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_only_when_asked() {
    let dir = scratch("symlinks");
    write(&dir, "real/Dockerfile", "FROM ubuntu\nUSER app\n");
    std::fs::create_dir_all(dir.join("tree")).expect("mkdir");
    std::os::unix::fs::symlink(dir.join("real"), dir.join("tree/linked")).expect("symlink");
    assert_eq!(plimsoll(&["check", "tree"], &dir).status.code(), Some(0), "a linked folder is not walked");
    let out = plimsoll(&["check", "--follow-links", "tree"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("[tree/linked/Dockerfile:1:6]"), "{}", stdout(&out));
}
