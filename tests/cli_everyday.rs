//! What a developer meets every day at the command line: the default command, the one-line format, what an
//! empty or missing path says, fixing standard input, colour.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::plimsoll;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("everyday").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test folder");
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write fixture");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run_with_stdin(args: &[&str], dir: &Path, input: &str, env: &[(&str, &str)]) -> Output {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_plimsoll"));
    command.args(args).current_dir(dir).env_remove("FORCE_COLOR").env("NO_COLOR", "1");
    command.envs(env.iter().copied()).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("run plimsoll");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait")
}

const ROOT_DOCKERFILE: &str = "FROM alpine:3.22\nUSER root\n";

#[test]
fn a_path_as_the_first_argument_means_check() {
    let dir = scratch("default-command");
    std::fs::create_dir_all(dir.join("app")).expect("mkdir");
    write(&dir.join("app"), "Dockerfile", ROOT_DOCKERFILE);
    let implicit = plimsoll(&["app", "--format", "concise", "--quiet"], &dir);
    let explicit = plimsoll(&["check", "app", "--format", "concise", "--quiet"], &dir);
    assert_eq!(implicit.status.code(), Some(1), "{}", text(&implicit.stderr));
    assert_eq!(text(&implicit.stdout), text(&explicit.stdout));
    assert!(text(&implicit.stdout).starts_with("app/Dockerfile:2:"), "{}", text(&implicit.stdout));
    // Flags of `check` first work too; the commands and `--version` keep their meaning.
    let flags_first = plimsoll(&["--select", "PLD201", "--format", "concise", "app"], &dir);
    assert_eq!(flags_first.status.code(), Some(1), "{}", text(&flags_first.stderr));
    assert!(plimsoll(&["--version"], &dir).status.success());
    let rules = plimsoll(&["rules"], &dir);
    assert!(text(&rules.stdout).starts_with("PLD101"), "{}", text(&rules.stdout));
}

#[test]
fn concise_prints_one_line_per_finding_and_output_format_is_accepted() {
    let dir = scratch("concise");
    write(&dir, "Dockerfile", "FROM alpine:latest\nUSER root\n");
    let out = plimsoll(&["check", "--output-format", "concise", "--select", "PLD101,PLD201", "Dockerfile"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some("Dockerfile:1:6: PLD101 [latest-base-image] base image `alpine:latest` uses the `latest` tag")
    );
    let root = lines.next().unwrap_or_default();
    assert!(root.starts_with("Dockerfile:2:6: PLD201 [root-user] "), "{stdout}");
    assert!(lines.next().is_some_and(|l| l.starts_with("Found 0 errors, 1 warning and 1 info")), "{stdout}");
    assert_eq!(lines.next(), None);
    // `--quiet` leaves the findings alone, one a line.
    let quiet = plimsoll(&["Dockerfile", "--format", "concise", "--select", "PLD101,PLD201", "-q"], &dir);
    assert_eq!(text(&quiet.stdout).lines().count(), 2);
}

#[test]
fn a_missing_path_prints_the_error_only() {
    let dir = scratch("missing");
    let out = plimsoll(&["check", "does/not/exist"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "", "no summary of zero files");
    assert_eq!(text(&out.stderr), "error: does/not/exist: no such file or directory\n");
}

#[test]
fn a_folder_with_nothing_to_lint_says_so() {
    let dir = scratch("nothing");
    write(&dir, "README.md", "# nothing here\n");
    let out = plimsoll(&["check", "."], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(text(&out.stderr), "warning: .: no Dockerfile, Containerfile or Compose file found\n");
    // A machine format still writes its document (a CI step may upload it).
    let sarif = plimsoll(&["check", ".", "--format", "sarif"], &dir);
    assert!(text(&sarif.stdout).contains("\"version\": \"2.1.0\""), "{}", text(&sarif.stdout));
}

#[test]
fn fix_on_standard_input_prints_the_fixed_text() {
    let dir = scratch("stdin-fix");
    let input = "FROM alpine:3.22\nRUN --security=insecure make\nUSER nobody\n";
    let out = run_with_stdin(&["check", "--fix", "--unsafe-fixes", "-"], &dir, input, &[]);
    assert_eq!(text(&out.stdout), "FROM alpine:3.22\nRUN make\nUSER nobody\n", "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Fixed 1 finding"), "{}", text(&out.stderr));
    assert_eq!(out.status.code(), Some(0));
    assert!(!dir.join("Dockerfile").exists(), "nothing is written for standard input");
    // Without --fix the report is on standard output as usual.
    let plain = run_with_stdin(&["check", "-"], &dir, input, &[]);
    assert!(text(&plain.stdout).contains("PLD301"), "{}", text(&plain.stdout));

    // A Compose file on standard input: its fixed text, and no file of its project is written.
    let compose = "version: '3'\nservices:\n  web:\n    image: nginx:1.27\n";
    write(&dir, "compose.override.yaml", "version: '3'\nservices: {}\n");
    let args = ["check", "--fix", "--select", "PLC801", "--stdin-filename", "compose.yaml", "-"];
    let out = run_with_stdin(&args, &dir, compose, &[]);
    assert_eq!(text(&out.stdout), "services:\n  web:\n    image: nginx:1.27\n", "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.join("compose.override.yaml")).ok().as_deref(),
        Some("version: '3'\nservices: {}\n")
    );
    assert!(!dir.join("compose.yaml").exists());
}

#[test]
fn force_color_colours_a_pipe() {
    let dir = scratch("force-color");
    let coloured = run_with_stdin(&["check", "-"], &dir, ROOT_DOCKERFILE, &[("FORCE_COLOR", "1")]);
    assert!(text(&coloured.stdout).contains('\u{1b}'), "{}", text(&coloured.stdout));
    let plain = run_with_stdin(&["check", "-"], &dir, ROOT_DOCKERFILE, &[]);
    assert!(!text(&plain.stdout).contains('\u{1b}'));
    let never = run_with_stdin(&["check", "--color", "never", "-"], &dir, ROOT_DOCKERFILE, &[("FORCE_COLOR", "1")]);
    assert!(!text(&never.stdout).contains('\u{1b}'));
}

#[test]
fn unknown_selectors_are_a_warning_with_a_suggestion_everywhere() {
    let dir = scratch("selectors");
    write(&dir, "Dockerfile", ROOT_DOCKERFILE);
    // The command line: a warning, and the run goes on.
    let out =
        plimsoll(&["check", "--select", "root-usr,PLD201", "--ignore", "DL9999", "--format", "concise", "."], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("warning: unknown rule selector `root-usr`: expected a rule code, a code prefix, a rule name or a category (did you mean `root-user`?)"), "{err}");
    assert!(err.contains("warning: unknown rule selector `DL9999`"), "{err}");
    assert!(text(&out.stdout).contains("PLD201"));
    // hadolint's real codes (and ShellCheck's) are accepted as they are.
    let hadolint = plimsoll(&["check", "--ignore", "DL3008,SC2086", "."], &dir);
    assert_eq!(text(&hadolint.stderr), "");
    // A configuration: the same words, with the place.
    write(&dir, "plimsoll.toml", "ignore = [\"PLD2O1\"]\n");
    let out = plimsoll(&["check", "--format", "concise", "."], &dir);
    let err = text(&out.stderr);
    assert!(err.contains("plimsoll.toml:1:11: unknown rule selector `PLD2O1`"), "{err}");
    assert!(err.contains("(did you mean `PLD201`?)"), "{err}");
    assert_eq!(out.status.code(), Some(1), "the rest of the configuration applies");
    std::fs::remove_file(dir.join("plimsoll.toml")).expect("rm");
    // A pragma.
    write(&dir, "Dockerfile", "FROM alpine:3.22\n# plimsoll ignore=root-usr\nUSER root\n");
    let out = plimsoll(&["check", "--format", "concise", "."], &dir);
    assert!(text(&out.stdout).contains("PLD005 [invalid-suppression] `root-usr` is not a rule: this suppression has no effect (did you mean `root-user`?)"), "{}", text(&out.stdout));
}

/// Parser and loader codes have pages too: `explain` prints them, and SARIF links every code it describes.
#[test]
fn explain_and_sarif_cover_parser_and_loader_codes() {
    let dir = scratch("explain-codes");
    for (asked, title) in [
        ("PLD001", "# PLD001 syntax-error\n"),
        ("pld004", "# PLD004 invalid-utf8\n"),
        ("yaml-syntax-error", "# PLC001 yaml-syntax-error\n"),
        ("PLC014", "# PLC014 dependency-cycle\n"),
        ("PLX002", "# PLX002 build-not-followed\n"),
    ] {
        let out = plimsoll(&["explain", asked], &dir);
        assert_eq!(out.status.code(), Some(0), "{asked}");
        assert!(text(&out.stdout).starts_with(title), "{asked}: {}", text(&out.stdout));
    }
    write(&dir, "compose.yaml", "services:\n  web:\n    image: [nginx\n");
    let sarif = plimsoll(&["check", ".", "--format", "sarif"], &dir);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF is JSON");
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    let without: Vec<&str> =
        rules.iter().filter(|r| r.get("helpUri").is_none()).filter_map(|r| r["id"].as_str()).collect();
    assert!(without.is_empty(), "rules without helpUri: {without:?}");
    let plc001 = rules.iter().find(|r| r["id"] == "PLC001").expect("PLC001 described");
    assert!(plc001["helpUri"].as_str().is_some_and(|u| u.ends_with("/lints/PLC001-yaml-syntax-error.md")));
    assert!(text(&sarif.stdout).contains("\"ruleId\": \"PLC001\""), "{}", text(&sarif.stdout));
}

#[test]
fn explain_takes_other_tools_codes_and_suggests_on_typos() {
    let dir = scratch("explain");
    let out = plimsoll(&["explain", "DL3002"], &dir);
    assert!(
        text(&out.stdout).starts_with("`DL3002` is covered by PLD201 root-user.\n\n# PLD201 root-user\n"),
        "{}",
        text(&out.stdout)
    );
    let out = plimsoll(&["explain", "root-usr"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("(did you mean `root-user`?)"), "{}", text(&out.stderr));
}
