//! What Compose refuses in a service itself: no `image` and no `build`, or no content at all (`PLC017`); a
//! missing env file (`PLC018`); settings that contradict each other (`PLC020`); container names used twice
//! or with replicas (`PLC021`); service names (`PLC022`) and pull policies (`PLC023`) it does not accept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Checker, services};
use crate::compose::model::ComposeModel;
use crate::compose::project::FileSource;
use crate::compose::tree::{Origin, Value, Via};
use crate::compose::{
    CONFLICTING_SETTINGS, DUPLICATE_CONTAINER_NAME, INVALID_EXTENDS, INVALID_NAME, INVALID_PULL_POLICY,
    MISSING_ENV_FILE, SERVICE_WITHOUT_IMAGE,
};

pub(super) fn check(checker: &mut Checker<'_>, root: &Value, model: Option<&ComposeModel>) {
    let mut container_names: BTreeMap<&str, (&str, &Origin)> = BTreeMap::new();
    for (service, key, value) in services(root) {
        checker.enter(value);
        if !is_service_name(service) {
            let message = format!("`{service}` is not a service name Compose accepts");
            let help = format!(
                "use only ASCII letters, digits, `.`, `_` and `-` (and rename it wherever it is named): `{}`",
                suggested_name(service)
            );
            checker.refuse(INVALID_NAME, key, message, &help);
        }
        if value.is_null() {
            let message = format!("service `{service}` is empty: Compose needs a mapping with an `image` or a `build`");
            checker.refuse(
                SERVICE_WITHOUT_IMAGE,
                key,
                message,
                "add `image: <name>:<tag>` or `build: <folder>` under it",
            );
            continue;
        }
        if value.as_map().is_none() {
            continue; // PLC007's
        }
        if ["image", "build", "provider"].iter().all(|k| value.get(k).is_none()) && !extends_failed(checker, value) {
            let message = format!("service `{service}` has neither `image` nor `build`: Compose cannot create it");
            checker.refuse(
                SERVICE_WITHOUT_IMAGE,
                key,
                message,
                "add `image: <name>:<tag>`, or `build: <folder>` to build it",
            );
        }
        if let Some(name) = value.get("container_name")
            && let Some(text) = name.as_str().filter(|_| !name.origin.has_unset() && !name.is_null())
            && !is_container_name(text)
        {
            let message = if text.is_empty() {
                "`container_name` is empty, which Compose refuses".to_owned()
            } else {
                format!("`{text}` is not a container name Compose accepts")
            };
            let help = "write a name of letters, digits, `_`, `.` and `-` that starts with a letter or a digit, or \
                        remove `container_name` and let Compose name the container";
            checker.refuse(INVALID_NAME, &name.origin, message, help);
        }
        if let Some(name) = value.get("container_name")
            && let Some(text) = name.as_str().filter(|t| !t.is_empty() && !name.origin.has_unset())
        {
            if let Some((first, at)) = container_names.get(text).copied() {
                let message =
                    format!("service `{service}` takes the container name `{text}`, which `{first}` already has");
                checker.refuse(
                    DUPLICATE_CONTAINER_NAME,
                    &name.origin,
                    message,
                    "give each service its own `container_name`, or remove it and let Compose name the containers",
                );
                checker.add_label(at.use_place(), "the same name is given here");
            } else {
                container_names.insert(text, (service, &name.origin));
            }
            if let Some((count, at)) = replicas(value) {
                let message = format!(
                    "service `{service}` has a `container_name` and {count} replicas: a container name is unique"
                );
                checker.refuse(
                    DUPLICATE_CONTAINER_NAME,
                    &name.origin,
                    message,
                    "remove `container_name` (Compose names each replica), or run one replica",
                );
                checker.add_label(at.use_place(), "the replicas are set here");
            }
        }
        if let Some(policy) = value.get("pull_policy")
            && let Some(text) = policy.as_str().filter(|_| !policy.origin.has_unset() && !policy.is_null())
            && !is_pull_policy(text)
        {
            let message = format!("`pull_policy: {text}` is not a pull policy Compose knows");
            let help =
                "write `always`, `missing`, `never`, `build`, `daily`, `weekly` or `every_<duration>` (`every_12h`)";
            checker.refuse(INVALID_PULL_POLICY, &policy.origin, message, help);
        }
        platform(checker, service, value);
    }
    if let Some(model) = model {
        limits(checker, model);
    }
}

/// Whether an `extends` of the service could not be followed (PLC008 is reported inside the service; the
/// loader has removed the `extends` key by now): the image it would inherit is unknown, and PLC008 says what
/// to change.
fn extends_failed(checker: &Checker<'_>, service: &Value) -> bool {
    let at = service.origin.use_place();
    checker
        .project
        .diagnostics
        .iter()
        .any(|(file, d)| d.code == INVALID_EXTENDS && *file == at.file && at.range.contains_range(d.range))
}

/// The pattern of the Compose schema for service names: `^[a-zA-Z0-9._-]+$`.
fn is_service_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

fn suggested_name(name: &str) -> String {
    let kept: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' }).collect();
    if kept.trim_matches('-').is_empty() { "app".to_owned() } else { kept }
}

/// The schema's pattern for `container_name`, `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, which is not anchored either: the
/// name must hold a letter or digit followed by at least one more name character.
fn is_container_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    let name_char = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    bytes.windows(2).any(|w| w[0].is_ascii_alphanumeric() && name_char(w[1]))
}

/// The schema's pattern for `pull_policy`, which (as JSON schema patterns are) is not anchored:
/// `always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+`.
fn is_pull_policy(text: &str) -> bool {
    const WORDS: [&str; 8] = ["always", "never", "build", "if_not_present", "missing", "refresh", "daily", "weekly"];
    WORDS.iter().any(|w| text.contains(w))
        || text.match_indices("every_").any(|(i, w)| {
            let rest = &text.as_bytes()[i + w.len()..];
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            digits > 0 && rest.get(digits).is_some_and(|b| b"wdhms".contains(b))
        })
}

/// More than one replica: `deploy.replicas` or `scale`, with the value that sets it.
fn replicas(service: &Value) -> Option<(i64, &Origin)> {
    let deploy = service.get("deploy").and_then(|d| d.get("replicas"));
    [deploy, service.get("scale")].into_iter().flatten().find_map(|v| {
        let count = v.as_int().or_else(|| v.as_str()?.trim().parse().ok())?;
        (count > 1).then_some((count, &v.origin))
    })
}

/// `platform` must be one of `build.platforms` when both are set.
fn platform(checker: &mut Checker<'_>, service: &str, value: &Value) {
    let Some(platform) = value.get("platform") else { return };
    let Some(platforms) = value.get("build").and_then(|b| b.get("platforms")) else { return };
    let Some(list) = platforms.as_seq() else { return };
    if platform.origin.has_unset() || list.iter().any(|v| v.origin.has_unset()) {
        return;
    }
    let Some(wanted) = platform.as_str().filter(|t| !t.is_empty()) else { return };
    if list.iter().any(|p| p.as_str() == Some(wanted)) {
        return;
    }
    let message = format!("service `{service}` runs on `{wanted}`, which is not one of its `build.platforms`");
    checker.refuse(
        CONFLICTING_SETTINGS,
        &platform.origin,
        message,
        "add the platform to `build.platforms`, or remove `platform`",
    );
    checker.add_label(platforms.origin.use_place(), "the platforms built are listed here");
}

/// `cpus` and `mem_limit` beside `deploy.resources.limits` must agree.
fn limits(checker: &mut Checker<'_>, model: &ComposeModel) {
    for service in &model.services {
        let name = &service.name.value;
        let Some(deploy) = &service.deploy else { continue };
        if let Some(raw) = &service.raw {
            checker.enter(raw);
        }
        if let (Some(cpus), Some(limit)) = (&service.cpus, &deploy.limits.cpus)
            && cpus.value != limit.value
        {
            let message = format!(
                "service `{name}` sets `cpus: {}` and `deploy.resources.limits.cpus: {}`, which differ",
                cpus.value, limit.value
            );
            checker.refuse(
                CONFLICTING_SETTINGS,
                &cpus.origin,
                message,
                "keep one of them (`deploy.resources.limits.cpus`), or give both the same value",
            );
            checker.add_label(limit.origin.use_place(), "the other limit is set here");
        }
        if let (Some(memory), Some(limit)) = (&service.mem_limit, &deploy.limits.memory)
            && memory.value != limit.value
        {
            let message = format!(
                "service `{name}` sets `mem_limit` and `deploy.resources.limits.memory` to different sizes ({} and {} bytes)",
                memory.value, limit.value
            );
            checker.refuse(
                CONFLICTING_SETTINGS,
                &memory.origin,
                message,
                "keep one of them (`deploy.resources.limits.memory`), or give both the same size",
            );
            checker.add_label(limit.origin.use_place(), "the other limit is set here");
        }
    }
}

/// Every `env_file` that must exist and does not.
pub(super) fn env_files(checker: &mut Checker<'_>, root: &Value, fs: &dyn FileSource) {
    for (service, _, value) in services(root) {
        checker.enter(value);
        let Some(list) = value.get("env_file") else { continue };
        let items = match list.as_seq() {
            Some(items) => items,
            None => std::slice::from_ref(list),
        };
        for item in items {
            let (path, required) = match item.as_map() {
                Some(_) => (item.get("path"), item.get("required").is_none_or(|r| !is_false(r))),
                None => (Some(item), true),
            };
            let Some(path) = path.filter(|p| required && !p.origin.has_unset()) else { continue };
            let Some(text) = path.as_str().filter(|t| !t.is_empty() && !t.starts_with('~')) else { continue };
            let full = resolve(checker, &path.origin, text);
            if fs.exists(&full) {
                continue;
            }
            let shown = full.display().to_string();
            let mut message = format!("service `{service}` reads the env file `{text}`, which does not exist");
            if shown != text {
                message.push_str(&format!(" ({shown})"));
            }
            let help = format!(
                "create the file or correct the path; when the file is optional, write `env_file: [{{path: {text}, required: false}}]`"
            );
            checker.refuse(MISSING_ENV_FILE, &path.origin, message, &help);
        }
    }
}

/// `false` as Compose reads a boolean (`false`, `no`, `off`, `n` in their spellings).
fn is_false(value: &Value) -> bool {
    value.as_str().is_some_and(|t| matches!(t.to_ascii_lowercase().as_str(), "false" | "no" | "n" | "off"))
}

/// A relative path as Compose resolves it: from the project's folder, or, for a value that came from another
/// file through `extends` or `include`, from that file's folder.
fn resolve(checker: &Checker<'_>, origin: &Origin, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    let elsewhere = origin.via.iter().any(|v| matches!(v, Via::Extends { .. } | Via::Include { .. }));
    let base = match checker.project.file(origin.place.file) {
        Some(file) if elsewhere => file.path.parent().map(Path::to_path_buf).unwrap_or_default(),
        _ => checker.project.working_dir.clone(),
    };
    base.join(path)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, run_files};
    use super::is_pull_policy;

    #[test]
    fn services_without_an_image_or_content() {
        assert_eq!(
            run("services:\n  a:\n    restart: always\n  b:\n  c:\n    build: .\n  d:\n    provider: {type: model}\n  e:\n    extends: nope\n  f:\n    extends: {service: c}\n  g:\n    extends: {service: a}\n")
                .into_iter()
                .filter(|(code, _)| *code == "PLC017")
                .collect::<Vec<_>>(),
            [
                ("PLC017", "service `a` has neither `image` nor `build`: Compose cannot create it @a".into()),
                ("PLC017", "service `b` is empty: Compose needs a mapping with an `image` or a `build` @b".into()),
                // `e`'s extends is PLC008's; `f` inherits a build; `g` inherits nothing.
                ("PLC017", "service `g` has neither `image` nor `build`: Compose cannot create it @g".into()),
            ]
        );
    }

    #[test]
    fn container_names_compose_refuses() {
        assert_eq!(
            run(
                "services:\n  a:\n    image: x\n    container_name: \"\"\n  b:\n    image: x\n    container_name: x\n  c:\n    image: x\n    container_name: \"my app\"\n"
            ),
            [
                ("PLC022", "`container_name` is empty, which Compose refuses @\"\"".into()),
                ("PLC022", "`x` is not a container name Compose accepts @x".into()),
            ]
        );
        assert!(super::is_container_name("db") && super::is_container_name("-db") && !super::is_container_name("_"));
    }

    #[test]
    fn service_names() {
        assert_eq!(
            run("services:\n  \"A b\":\n    image: x\n  Web.1_x-y:\n    image: x\n"),
            [("PLC022", "`A b` is not a service name Compose accepts @\"A b\"".into())]
        );
    }

    #[test]
    fn container_names() {
        let text = "services:\n  a:\n    image: x\n    container_name: same\n  b:\n    image: x\n    container_name: same\n  c:\n    image: x\n    container_name: solo\n    deploy: {replicas: 2}\n  d:\n    image: x\n    container_name: one\n    scale: 1\n";
        assert_eq!(
            run(text),
            [
                ("PLC021", "service `b` takes the container name `same`, which `a` already has @same".into()),
                (
                    "PLC021",
                    "service `c` has a `container_name` and 2 replicas: a container name is unique @solo".into()
                ),
            ]
        );
    }

    #[test]
    fn pull_policies() {
        assert_eq!(
            run(
                "services:\n  a:\n    image: x\n    pull_policy: sometimes\n  b:\n    image: x\n    pull_policy: every_12h\n"
            ),
            [("PLC023", "`pull_policy: sometimes` is not a pull policy Compose knows @sometimes".into())]
        );
        // The schema's pattern is not anchored: Compose accepts these.
        assert!(is_pull_policy("if_not_present") && is_pull_policy("xalwaysx") && is_pull_policy("every_1h30m"));
        assert!(!is_pull_policy("every_h") && !is_pull_policy("") && !is_pull_policy("Always"));
    }

    #[test]
    fn platforms_and_limits() {
        let text = "services:\n  a:\n    build:\n      context: .\n      platforms: [linux/amd64]\n    platform: linux/arm64\n  b:\n    image: x\n    cpus: 1.5\n    mem_limit: 1g\n    deploy:\n      resources:\n        limits: {cpus: \"0.5\", memory: 1024m}\n  c:\n    image: x\n    cpus: 0.5\n    mem_limit: 1g\n    deploy:\n      resources:\n        limits: {cpus: \"0.50\", memory: 512m}\n";
        let found = run_files(&[("/p/compose.yaml", text)]);
        let codes: Vec<String> = found.iter().map(|(c, m)| format!("{c} {m}")).collect();
        assert_eq!(
            codes,
            [
                "PLC020 service `a` runs on `linux/arm64`, which is not one of its `build.platforms` @linux/arm64",
                "PLC020 service `b` sets `cpus: 1.5` and `deploy.resources.limits.cpus: 0.5`, which differ @1.5",
                "PLC020 service `c` sets `mem_limit` and `deploy.resources.limits.memory` to different sizes (1073741824 and 536870912 bytes) @1g",
            ]
        );
    }

    #[test]
    fn a_service_with_profiles_gets_warnings_that_say_when() {
        let text = "services:\n  tool:\n    image: x\n    profiles: [debug]\n    env_file: tool.env\n";
        let found = super::super::tests::run_diagnostics(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, crate::Severity::Warning);
        assert!(
            found[0].message.ends_with("(Compose checks it when the profile `debug` is active)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn missing_env_files() {
        let text = "services:\n  a:\n    image: x\n    env_file: missing.env\n  b:\n    image: x\n    env_file:\n      - path: ./there.env\n      - path: optional.env\n        required: false\n      - path: /abs/gone.env\n";
        let found = run_files(&[("/p/compose.yaml", text), ("/p/there.env", "A=1\n")]);
        assert_eq!(
            found,
            [
                (
                    "PLC018",
                    "service `a` reads the env file `missing.env`, which does not exist (/p/missing.env) @missing.env"
                        .into()
                ),
                (
                    "PLC018",
                    "service `b` reads the env file `/abs/gone.env`, which does not exist @/abs/gone.env".into()
                ),
            ]
        );
    }
}
