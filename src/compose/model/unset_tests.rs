//! The model reads what Compose reads when a variable is unset: the value with an empty string in its place
//! (`${BIND_IP}:8080:80` is `:8080:80`), and, when that value cannot be read, the short syntax with the
//! variable written back, so that the fields around it are still known.

use std::collections::BTreeMap;

use super::*;
use crate::compose::interpolate::interpolate_tree;
use crate::compose::tree::FileId;
use crate::compose::yaml;

/// The model of `text` interpolated with `vars`, and the model's own findings (code and text at the range).
fn load(text: &str, vars: &[(&str, &str)]) -> (ComposeModel, Vec<(&'static str, String)>) {
    let vars: BTreeMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let file = yaml::parse(text);
    let mut root = Value::from_yaml(&file.documents[0].root, FileId(0));
    let mut ignored = Vec::new();
    interpolate_tree(&mut root, &vars, &|_| Some(text), &mut ignored);
    let mut out = Vec::new();
    let model = build(&root, &mut out);
    let found = out.into_iter().map(|(_, d)| (d.code, text[d.range.as_usize()].to_owned())).collect();
    (model, found)
}

fn service(text: &str) -> Service {
    let (model, found) = load(&format!("services:\n  s:\n{text}"), &[]);
    assert!(found.is_empty(), "{found:?}");
    model.services.into_iter().next().expect("a service")
}

/// The unset variables of an origin, with the text of their reference and their offset in the value.
fn unset<'t>(text: &'t str, origin: &Origin) -> Vec<(String, &'t str, usize)> {
    origin.unset().map(|(name, at, offset)| (name.to_owned(), &text[at.range.as_usize()], offset)).collect()
}

#[test]
fn a_port_reads_the_compose_value() {
    let body = "    ports:\n      - \"${BIND_IP}:8080:80\"\n      - \"${BIND_IP:-0.0.0.0}:${PORT}:80\"\n      - \"${PORT}:81\"\n";
    let text = format!("services:\n  s:\n{body}");
    let s = service(body);
    let ports: Vec<_> = s
        .ports
        .iter()
        .map(|p| (p.value.host_ip.as_deref(), p.value.published.as_deref(), p.value.target, p.value.short.as_deref()))
        .collect();
    // As `docker compose config` prints them.
    assert_eq!(
        ports,
        [
            (None, Some("8080"), Some(80), Some(":8080:80")),
            (Some("0.0.0.0"), None, Some(80), Some("0.0.0.0::80")),
            (None, None, Some(81), Some(":81")),
        ]
    );
    assert_eq!(unset(&text, &s.ports[0].origin), [("BIND_IP".to_owned(), "${BIND_IP}", 0)]);
    assert_eq!(unset(&text, &s.ports[1].origin), [("PORT".to_owned(), "${PORT}", 8)]);
}

#[test]
fn a_port_compose_cannot_read_keeps_its_fields() {
    // `:` has no container port: the port is unknown, its short syntax holds the variables where they are.
    let s = service("    ports:\n      - \"${PORT}:${PORT}\"\n      - \"${TARGET}\"\n");
    let shorts: Vec<_> = s.ports.iter().map(|p| (p.value.target, p.value.short.as_deref())).collect();
    assert_eq!(shorts, [(None, Some("${PORT}:${PORT}")), (None, Some("${TARGET}"))]);
}

#[test]
fn a_volume_reads_the_compose_value() {
    let body = "    volumes:\n      - \"${HOST_ROOT}/:/host\"\n      - ${DATA:-./data}:/data:${MODE:-ro}\n";
    let text = format!("services:\n  s:\n{body}");
    let s = service(body);
    let root = &s.volumes[0];
    assert_eq!(
        (root.value.kind.as_str(), root.value.source.as_deref(), root.value.target.as_deref()),
        ("bind", Some("/"), Some("/host"))
    );
    assert_eq!(unset(&text, &root.origin), [("HOST_ROOT".to_owned(), "${HOST_ROOT}", 0)]);
    let data = &s.volumes[1].value;
    assert_eq!((data.source.as_deref(), data.read_only), (Some("./data"), true));
}

/// Compose refuses `/var/run/docker.sock:/var/run/docker.sock:` (an empty option), but with `RO` set it mounts
/// the socket: the mount is read with `${RO}` as an option nobody knows, its source and target known.
#[test]
fn a_volume_compose_cannot_read_keeps_its_fields() {
    let body = "    volumes:\n      - \"${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock:${RO}\"\n      - \"${SOCK}:/var/run/docker.sock\"\n";
    let s = service(body);
    let mounts: Vec<_> = s
        .volumes
        .iter()
        .map(|m| (m.value.kind.as_str(), m.value.source.as_deref(), m.value.short.as_deref()))
        .collect();
    assert_eq!(
        mounts,
        [
            ("bind", Some("/var/run/docker.sock"), Some("/var/run/docker.sock:/var/run/docker.sock:${RO}")),
            // A source that is the variable alone is not a path: unknown, not a bind of the project folder.
            ("volume", Some("${SOCK}"), Some("${SOCK}:/var/run/docker.sock")),
        ]
    );
}

#[test]
fn a_device_reads_the_compose_value() {
    let s = service("    devices:\n      - \"${DEV_ROOT}/dev/mem:/dev/mem\"\n      - \"${DEV}:/dev/ttyUSB0\"\n");
    let devices: Vec<_> = s.devices.iter().map(|d| (d.value.source.as_str(), d.value.target.as_str())).collect();
    assert_eq!(devices, [("/dev/mem", "/dev/mem"), ("${DEV}", "/dev/ttyUSB0")]);
}

/// An error in a value that holds an unset variable is the variable's (PLC011 says it is unset): not PLC012.
#[test]
fn values_invalid_only_when_empty_are_not_reported() {
    let (model, found) = load(
        "services:\n  s:\n    privileged: ${P}\n    cpus: ${CPUS}\n    restart: ${RESTART}\n    ports:\n      - \"${PORT}\"\n    volumes:\n      - \"${DATA}:/data\"\n    healthcheck:\n      retries: ${RETRIES}\n",
        &[],
    );
    assert!(found.is_empty(), "{found:?}");
    let s = &model.services[0];
    assert_eq!((s.privileged.as_ref(), s.cpus.as_ref()), (None, None));
    // Where the value Compose uses is valid, it is read (`${P}true` is `true`).
    let (model, found) = load("services:\n  s:\n    privileged: ${P}true\n    mem_limit: ${M}512m\n", &[]);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(model.services[0].privileged.as_ref().map(|p| p.value), Some(true));
    assert_eq!(model.services[0].mem_limit.as_ref().map(|m| m.value), Some(512 * 1024 * 1024));
    // Without an unset variable, the same errors are reported.
    let (_, found) = load("services:\n  s:\n    privileged: ${P:-maybe}\n", &[]);
    assert_eq!(found, [("PLC012", "${P:-maybe}".to_owned())]);
}

/// `plimsoll dump` prints what `docker compose config` prints with the variables unset.
#[test]
fn the_dump_prints_the_empty_substitution() {
    let (model, _) = load(
        "services:\n  s:\n    image: nginx:${TAG}\n    user: ${APP_USER}\n    ports:\n      - \"${BIND_IP}:8080:80\"\n    volumes:\n      - \"${HOST_ROOT}/:/host\"\n",
        &[],
    );
    let json = crate::compose::dump::to_config_json(&model);
    let s = &json["services"]["s"];
    assert_eq!(s["image"], "nginx:");
    assert!(s.get("user").is_none(), "{s}");
    assert_eq!(
        s["ports"][0],
        serde_json::json!({"mode": "ingress", "target": 80, "published": "8080", "protocol": "tcp"})
    );
    assert_eq!(s["volumes"][0]["source"], "/");
    assert_eq!(s["volumes"][0]["type"], "bind");
}
