//! References Compose follows before it starts anything: the networks, volumes, secrets and configs a
//! service uses must be defined at the top level (`PLC016`), and the services named by `links`,
//! `volumes_from` and `network_mode` / `ipc` / `pid: service:…` must exist (`PLC019`; `depends_on` is PLC015's).
//! `network_mode` and `networks` together are refused too (`PLC020`).

use super::{Checker, defined, services};
use crate::compose::tree::{Origin, Value, ValueKind};
use crate::compose::{CONFLICTING_SETTINGS, UNDEFINED_RESOURCE, UNKNOWN_SERVICE};

pub(super) fn check(checker: &mut Checker<'_>, root: &Value) {
    let names: Vec<&str> = services(root).map(|(name, _, _)| name).collect();
    let networks = defined(root, "networks");
    let volumes = defined(root, "volumes");
    let secrets = defined(root, "secrets");
    let configs = defined(root, "configs");
    for (service, _, value) in services(root) {
        checker.enter(value);
        for (name, at) in service_networks(value) {
            // Compose creates the `default` network of a project without a definition.
            if name != "default" && !networks.contains(&name) {
                undefined(checker, service, "network", name, at, "networks");
            }
        }
        for (name, at) in named_volumes(value) {
            if !volumes.contains(&name) {
                undefined(checker, service, "volume", name, at, "volumes");
            }
        }
        for (kind, section, known) in [("secret", "secrets", &secrets), ("config", "configs", &configs)] {
            for (name, at) in file_refs(value, section) {
                if !known.contains(&name) {
                    undefined(checker, service, kind, name, at, section);
                }
            }
        }
        for (key, words, name, at) in service_references(value) {
            if !names.contains(&name) {
                let message = format!("service `{service}` {words} `{name}`, which is not a service of this project");
                let help = format!("define the service `{name}`, or correct the name in `{key}`");
                checker.refuse(UNKNOWN_SERVICE, at, message, &help);
            }
        }
        if let (Some(mode), Some(nets)) = (value.get("network_mode"), value.get_entry("networks")) {
            let message =
                format!("service `{service}` sets both `network_mode` and `networks`, which Compose refuses together");
            let help = "remove `networks` (the service joins the network `network_mode` names), or remove \
                        `network_mode` and list the networks";
            checker.refuse(CONFLICTING_SETTINGS, &nets.key_origin, message, help);
            checker.add_label(mode.origin.use_place(), "`network_mode` is set here");
        }
    }
}

fn undefined(checker: &mut Checker<'_>, service: &str, kind: &str, name: &str, at: &Origin, section: &str) {
    let message = format!("service `{service}` uses the {kind} `{name}`, which the project does not define");
    let help = format!(
        "declare it under the top-level `{section}:` (`{name}: {{}}`, or `{name}: {{external: true}}` when it is \
         created outside the project), or correct the name"
    );
    checker.refuse(UNDEFINED_RESOURCE, at, message, &help);
}

/// A name that is known: written, or interpolated from set variables.
fn known(value: &Value) -> Option<&str> {
    value.as_str().filter(|s| !s.is_empty() && !value.origin.has_unset())
}

/// The networks a service joins: a list of names, or the keys of a mapping.
fn service_networks(service: &Value) -> Vec<(&str, &Origin)> {
    match service.get("networks").map(|v| &v.kind) {
        Some(ValueKind::Seq(items)) => items.iter().filter_map(|v| Some((known(v)?, &v.origin))).collect(),
        Some(ValueKind::Map(entries)) => entries.iter().map(|e| (e.key.as_str(), &e.key_origin)).collect(),
        _ => Vec::new(),
    }
}

/// The named volumes a service mounts: a short item whose source is a name (not a path), or a long item of
/// `type: volume` with a `source`.
fn named_volumes(service: &Value) -> Vec<(&str, &Origin)> {
    let Some(items) = service.get("volumes").and_then(Value::as_seq) else { return Vec::new() };
    let mut out = Vec::new();
    for item in items {
        if item.as_map().is_some() {
            let volume = item.get("type").and_then(Value::as_str) == Some("volume");
            if let Some(source) = item.get("source").filter(|_| volume)
                && let Some(name) = known(source)
            {
                out.push((name, &source.origin));
            }
            continue;
        }
        let Some(text) = known(item) else { continue };
        let Some((source, _)) = text.split_once(':') else { continue };
        if is_volume_name(source) {
            out.push((source, &item.origin));
        }
    }
    out
}

/// Whether a short-syntax source is a volume name rather than a host path (`./data`, `/srv`, `~/x`, `C:\x`).
fn is_volume_name(source: &str) -> bool {
    let windows_drive = source.len() == 1 && source.bytes().all(|b| b.is_ascii_alphabetic());
    !source.is_empty()
        && !windows_drive
        && !source.starts_with(['.', '/', '~', '\\', '$'])
        && !source.contains(['/', '\\'])
}

/// The secrets or configs a service uses: a name, or a long item's `source`.
fn file_refs<'a>(service: &'a Value, section: &str) -> Vec<(&'a str, &'a Origin)> {
    let Some(items) = service.get(section).and_then(Value::as_seq) else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| {
            let named = if item.as_map().is_some() { item.get("source")? } else { item };
            Some((known(named)?, &named.origin))
        })
        .collect()
}

/// The services a service names outside `depends_on`, with the words for the message: `links` (`db` or
/// `db:alias`), `volumes_from` (`db`, `db:ro`; `container:…` names a container, not a service), and
/// `network_mode` / `ipc` / `pid: service:db`.
fn service_references(service: &Value) -> Vec<(&'static str, &'static str, &str, &Origin)> {
    let mut out = Vec::new();
    let list = |key: &str| service.get(key).and_then(Value::as_seq).unwrap_or_default();
    for item in list("links") {
        if let Some(text) = known(item) {
            out.push(("links", "links to", text.split(':').next().unwrap_or(text), &item.origin));
        }
    }
    for item in list("volumes_from") {
        if let Some(text) = known(item).filter(|t| !t.starts_with("container:")) {
            out.push(("volumes_from", "takes volumes from", text.split(':').next().unwrap_or(text), &item.origin));
        }
    }
    for (key, words) in [
        ("network_mode", "shares the network of"),
        ("ipc", "shares the IPC namespace of"),
        ("pid", "shares the process namespace of"),
    ] {
        if let Some(value) = service.get(key)
            && let Some(name) = known(value).and_then(|t| t.strip_prefix("service:"))
        {
            out.push((key, words, name, &value.origin));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{run, run_partial};

    #[test]
    fn undefined_networks_volumes_secrets_and_configs() {
        let text = "services:\n  a:\n    image: x\n    networks: [front, default]\n    volumes:\n      - data:/d\n      - ./x:/x\n      - /data\n      - type: volume\n        source: cache\n        target: /c\n      - type: bind\n        source: here\n        target: /h\n    secrets: [tok, {source: key}]\n    configs: [conf]\n";
        let found = run(text);
        let words: Vec<String> = found.iter().map(|(c, m)| format!("{c} {m}")).collect();
        assert_eq!(
            words,
            [
                "PLC016 service `a` uses the network `front`, which the project does not define @front",
                "PLC016 service `a` uses the volume `data`, which the project does not define @data:/d",
                "PLC016 service `a` uses the volume `cache`, which the project does not define @cache",
                "PLC016 service `a` uses the secret `tok`, which the project does not define @tok",
                "PLC016 service `a` uses the secret `key`, which the project does not define @key",
                "PLC016 service `a` uses the config `conf`, which the project does not define @conf",
            ]
        );
        let defined = "services:\n  a:\n    image: x\n    networks: {front: {}}\n    volumes: [data:/d]\n    secrets: [tok]\n    configs: [conf]\nnetworks: {front: {external: true}}\nvolumes: {data: {}}\nsecrets: {tok: {file: ./t}}\nconfigs: {conf: {file: ./c}}\n";
        assert!(run(defined).is_empty(), "{:?}", run(defined));
        // An unset variable: the name is not known.
        assert!(run("services:\n  a:\n    image: x\n    networks: [\"${NET}\"]\n").iter().all(|(c, _)| *c != "PLC016"));
    }

    #[test]
    fn unknown_services_outside_depends_on() {
        let text = "services:\n  a:\n    image: x\n    links: [\"db:database\"]\n    volumes_from: [\"other:ro\", \"container:c1\", b]\n    ipc: service:nope\n  b:\n    image: x\n    network_mode: service:gone\n    pid: service:a\n";
        let words: Vec<String> = run(text).iter().map(|(c, m)| format!("{c} {m}")).collect();
        assert_eq!(
            words,
            [
                "PLC019 service `a` links to `db`, which is not a service of this project @\"db:database\"",
                "PLC019 service `a` takes volumes from `other`, which is not a service of this project @\"other:ro\"",
                "PLC019 service `a` shares the IPC namespace of `nope`, which is not a service of this project @service:nope",
                "PLC019 service `b` shares the network of `gone`, which is not a service of this project @service:gone",
            ]
        );
    }

    #[test]
    fn network_mode_with_networks() {
        let text = "services:\n  a:\n    image: x\n    network_mode: host\n    networks: [default]\n";
        assert_eq!(
            run(text),
            [(
                "PLC020",
                "service `a` sets both `network_mode` and `networks`, which Compose refuses together @networks".into()
            )]
        );
    }

    #[test]
    fn a_file_linted_alone_gets_warnings() {
        let found = run_partial("services:\n  a:\n    image: x\n    networks: [front]\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, crate::Severity::Warning);
        assert!(found[0].help.as_deref().is_some_and(|h| h.contains("lint them together")));
    }
}
