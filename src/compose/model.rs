//! The typed Compose model: a merged, interpolated root [`Value`] read into services, networks, volumes,
//! secrets and configs, every value knowing where it came from ([`Located`]).
//!
//! [`build`] first checks keys and types ([`super::schema`]), then reads each value the way compose-go does:
//! short syntaxes (ports, volumes, devices, `K=V` lists …) are parsed, strings Compose converts (`"true"` for a
//! boolean, `"0.5"` for `cpus`) are converted. A value Compose cannot read is [`PLC012`](super::INVALID_VALUE)
//! at its place. A value holds what Compose uses, an empty string for each unset variable, and its origin says
//! where those are ([`Origin::unset`](super::tree::Origin::unset)): it is read like any other (`:8080:80` is a
//! port on every interface), and the rules decide what they can judge. A value that cannot be read because of an
//! unset variable (or that still holds a `$`, from a failed interpolation) is unknown, not invalid: its typed
//! field is left empty and the raw value stays reachable through [`Service::raw`]; a short syntax is then read
//! with the variable written back (`/a:/b:${RO}`), so that its other fields are still known.

pub mod syntax;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod unset_tests;

use serde::Serialize;

use super::tree::{FileId, MapEntry, Origin, Value, ValueKind};
use crate::diagnostic::{Diagnostic, Severity};

/// A typed value and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Located<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T> Located<T> {
    pub fn new(value: T, origin: Origin) -> Self {
        Located { value, origin }
    }
}

/// A Compose project's configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ComposeModel {
    pub name: Option<Located<String>>,
    /// The obsolete `version` key, kept as written.
    pub version: Option<Located<String>>,
    /// In source order.
    pub services: Vec<Service>,
    pub networks: Vec<Resource>,
    pub volumes: Vec<Resource>,
    pub secrets: Vec<Resource>,
    pub configs: Vec<Resource>,
    pub include: Vec<Located<Include>>,
    /// Top-level `x-…` keys, raw.
    pub extensions: Vec<MapEntry>,
}

impl ComposeModel {
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name.value == name)
    }
}

/// A top-level network, volume, secret or config.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resource {
    /// The key under `networks:` (…).
    pub key: Located<String>,
    /// `name:`, the name the engine sees.
    pub name: Option<Located<String>>,
    pub external: Option<Located<bool>>,
    pub driver: Option<Located<String>>,
    pub internal: Option<Located<bool>>,
    /// Secrets and configs: `file:`, `environment:`, `content:`.
    pub file: Option<Located<String>>,
    pub environment: Option<Located<String>>,
    pub content: Option<Located<String>>,
    pub labels: Vec<KeyValue>,
    pub raw: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Include {
    pub path: Vec<String>,
    pub env_file: Vec<String>,
    pub project_directory: Option<String>,
}

/// One `KEY=value` of `environment`, `labels`, `args`, `sysctls` …; `value` is `None` for a bare `KEY` or a
/// null (the value comes from the environment, or is unset).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyValue {
    pub key: Located<String>,
    pub value: Option<Located<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Service {
    pub name: Located<String>,
    pub image: Option<Located<String>>,
    pub build: Option<Build>,
    pub user: Option<Located<String>>,
    pub privileged: Option<Located<bool>>,
    pub cap_add: Vec<Located<String>>,
    pub cap_drop: Vec<Located<String>>,
    pub security_opt: Vec<Located<String>>,
    pub network_mode: Option<Located<String>>,
    pub pid: Option<Located<String>>,
    pub ipc: Option<Located<String>>,
    pub uts: Option<Located<String>>,
    pub userns_mode: Option<Located<String>>,
    pub cgroup: Option<Located<String>>,
    pub cgroup_parent: Option<Located<String>>,
    pub devices: Vec<Located<Device>>,
    pub volumes: Vec<Located<Mount>>,
    pub ports: Vec<Located<Port>>,
    pub expose: Vec<Located<String>>,
    pub environment: Vec<KeyValue>,
    pub env_file: Vec<Located<EnvFile>>,
    pub secrets: Vec<Located<FileRef>>,
    pub configs: Vec<Located<FileRef>>,
    pub read_only: Option<Located<bool>>,
    pub tmpfs: Vec<Located<String>>,
    pub sysctls: Vec<KeyValue>,
    pub ulimits: Vec<Ulimit>,
    /// Bytes.
    pub mem_limit: Option<Located<i64>>,
    pub memswap_limit: Option<Located<i64>>,
    pub cpus: Option<Located<f64>>,
    pub pids_limit: Option<Located<i64>>,
    pub deploy: Option<Deploy>,
    pub healthcheck: Option<Healthcheck>,
    pub restart: Option<Located<String>>,
    pub logging: Option<Logging>,
    pub extra_hosts: Vec<Located<ExtraHost>>,
    pub dns: Vec<Located<String>>,
    pub profiles: Vec<Located<String>>,
    pub depends_on: Vec<Dependency>,
    pub labels: Vec<KeyValue>,
    pub networks: Vec<ServiceNetwork>,
    pub init: Option<Located<bool>>,
    pub stop_signal: Option<Located<String>>,
    pub stop_grace_period: Option<Located<i64>>,
    pub command: Option<Located<Command>>,
    pub entrypoint: Option<Located<Command>>,
    pub use_api_socket: Option<Located<bool>>,
    pub runtime: Option<Located<String>>,
    pub container_name: Option<Located<String>>,
    pub hostname: Option<Located<String>>,
    pub working_dir: Option<Located<String>>,
    pub platform: Option<Located<String>>,
    pub pull_policy: Option<Located<String>>,
    /// `x-…` keys of the service, raw.
    pub extensions: Vec<MapEntry>,
    /// The service's mapping as it was given (for keys not typed here, and for values left unknown).
    pub raw: Option<Value>,
}

impl Service {
    /// A service with a name and nothing else.
    pub fn named(name: Located<String>) -> Self {
        Service {
            name,
            image: None,
            build: None,
            user: None,
            privileged: None,
            cap_add: Vec::new(),
            cap_drop: Vec::new(),
            security_opt: Vec::new(),
            network_mode: None,
            pid: None,
            ipc: None,
            uts: None,
            userns_mode: None,
            cgroup: None,
            cgroup_parent: None,
            devices: Vec::new(),
            volumes: Vec::new(),
            ports: Vec::new(),
            expose: Vec::new(),
            environment: Vec::new(),
            env_file: Vec::new(),
            secrets: Vec::new(),
            configs: Vec::new(),
            read_only: None,
            tmpfs: Vec::new(),
            sysctls: Vec::new(),
            ulimits: Vec::new(),
            mem_limit: None,
            memswap_limit: None,
            cpus: None,
            pids_limit: None,
            deploy: None,
            healthcheck: None,
            restart: None,
            logging: None,
            extra_hosts: Vec::new(),
            dns: Vec::new(),
            profiles: Vec::new(),
            depends_on: Vec::new(),
            labels: Vec::new(),
            networks: Vec::new(),
            init: None,
            stop_signal: None,
            stop_grace_period: None,
            command: None,
            entrypoint: None,
            use_api_socket: None,
            runtime: None,
            container_name: None,
            hostname: None,
            working_dir: None,
            platform: None,
            pull_policy: None,
            extensions: Vec::new(),
            raw: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Build {
    pub origin: Option<Origin>,
    pub context: Option<Located<String>>,
    pub dockerfile: Option<Located<String>>,
    pub dockerfile_inline: Option<Located<String>>,
    pub target: Option<Located<String>>,
    pub args: Vec<KeyValue>,
    pub secrets: Vec<Located<FileRef>>,
    pub network: Option<Located<String>>,
    pub privileged: Option<Located<bool>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Device {
    pub source: String,
    pub target: String,
    pub permissions: String,
}

/// A service volume (a mount), from the short or the long syntax.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Mount {
    /// `bind`, `volume`, `tmpfs`, `npipe`, `cluster` or `image`.
    pub kind: String,
    /// A host path (bind), a volume name, or `None` (an anonymous volume, tmpfs).
    pub source: Option<String>,
    pub target: Option<String>,
    pub read_only: bool,
    pub propagation: Option<String>,
    /// `z` (shared) or `Z` (private) SELinux relabelling.
    pub selinux: Option<String>,
    pub create_host_path: Option<bool>,
    pub nocopy: bool,
    pub subpath: Option<String>,
    pub tmpfs_size: Option<i64>,
    pub tmpfs_mode: Option<i64>,
    /// The short syntax, when the mount was written that way: its value after interpolation, or, when that cannot
    /// be read because of an unset variable, the value with the variable written back (`/a:/b:${RO}`).
    pub short: Option<String>,
}

impl Mount {
    pub fn is_bind(&self) -> bool {
        self.kind == "bind"
    }
}

/// A published or exposed port, from the short or the long syntax.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Port {
    /// `None` when the target is not known yet (it holds `${…}`).
    pub target: Option<u16>,
    /// The host port or port range.
    pub published: Option<String>,
    pub host_ip: Option<String>,
    pub protocol: Option<String>,
    pub mode: Option<String>,
    pub name: Option<String>,
    pub app_protocol: Option<String>,
    /// The short syntax, when the port was written that way: its value after interpolation, or, when that cannot
    /// be read because of an unset variable, the value with the variable written back (`${PORT}`).
    pub short: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvFile {
    pub path: String,
    pub required: bool,
    pub format: Option<String>,
}

/// A service's use of a secret or a config.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileRef {
    pub source: String,
    pub target: Option<String>,
    pub uid: Option<String>,
    pub gid: Option<String>,
    pub mode: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ulimit {
    pub name: Located<String>,
    pub soft: Option<Located<i64>>,
    pub hard: Option<Located<i64>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Deploy {
    pub limits: Resources,
    pub reservations: Resources,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Resources {
    pub cpus: Option<Located<f64>>,
    /// Bytes.
    pub memory: Option<Located<i64>>,
    pub pids: Option<Located<i64>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Healthcheck {
    pub origin: Option<Origin>,
    /// As Compose normalises it: a string becomes `["CMD-SHELL", string]`.
    pub test: Option<Located<Vec<String>>>,
    /// Nanoseconds.
    pub interval: Option<Located<i64>>,
    pub timeout: Option<Located<i64>>,
    pub start_period: Option<Located<i64>>,
    pub start_interval: Option<Located<i64>>,
    pub retries: Option<Located<i64>>,
    pub disable: Option<Located<bool>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Logging {
    pub driver: Option<Located<String>>,
    pub options: Vec<KeyValue>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExtraHost {
    pub host: String,
    pub ips: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dependency {
    pub service: Located<String>,
    /// `None` for the list form (Compose's default is `service_started`).
    pub condition: Option<Located<String>>,
    pub restart: Option<Located<bool>>,
    pub required: Option<Located<bool>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceNetwork {
    pub name: Located<String>,
    pub aliases: Vec<String>,
    pub ipv4_address: Option<String>,
    pub ipv6_address: Option<String>,
}

/// `command` or `entrypoint`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Command {
    /// The words Compose runs.
    pub args: Vec<String>,
    /// Written as one string (split into words as a shell would, without running a shell).
    pub from_string: bool,
    /// For a string: the byte offset of an unquoted `;`, `&&`, `|`, `<` or `>` where Compose stopped reading
    /// (everything after it is dropped).
    pub dropped_from: Option<usize>,
}

/// Reads the merged, interpolated root of a Compose project. Problems go to `out` with the file they are in.
pub fn build(root: &Value, out: &mut Vec<(FileId, Diagnostic)>) -> ComposeModel {
    super::schema::check(root, out);
    let mut r = Reader { out };
    let mut model = ComposeModel::default();
    let Some(entries) = root.as_map() else { return model };
    for entry in entries {
        let v = &entry.value;
        match entry.key.as_str() {
            "name" => model.name = r.string(v),
            "version" => model.version = r.string(v),
            "services" => {
                for e in v.as_map().unwrap_or_default() {
                    model.services.push(r.service(e));
                }
            }
            "networks" => model.networks = r.resources(v),
            "volumes" => model.volumes = r.resources(v),
            "secrets" => model.secrets = r.resources(v),
            "configs" => model.configs = r.resources(v),
            "include" => {
                for item in v.as_seq().unwrap_or_default() {
                    let include = if item.as_map().is_some() {
                        Include {
                            path: r.strings(item.get("path")).into_iter().map(|l| l.value).collect(),
                            env_file: r.strings(item.get("env_file")).into_iter().map(|l| l.value).collect(),
                            project_directory: r.string_at(item, "project_directory").map(|l| l.value),
                        }
                    } else {
                        let Some(path) = r.string(item) else { continue };
                        Include { path: vec![path.value], env_file: Vec::new(), project_directory: None }
                    };
                    model.include.push(Located::new(include, item.origin.clone()));
                }
            }
            key if key.starts_with("x-") => model.extensions.push(entry.clone()),
            _ => {}
        }
    }
    model
}

/// Whether a value's text is not known to a linter: an unset variable was replaced by an empty string in it (the
/// value is what Compose uses, but an error in it is the variable's, which PLC011 and the checks report), or
/// it still holds a `$` (an interpolation that failed, or a `$$`).
fn unresolved(origin: &Origin, text: &str) -> bool {
    origin.has_unset() || text.contains('$')
}

/// Reads a short syntax: the value Compose uses, or when that fails because of an unset variable, the text
/// with the variable written back (`/a:/b:${RO}`), so that the fields that do not hold it are still read.
fn read_short<T>(item: &Value, text: &str, parse: fn(&str) -> Result<T, String>) -> Result<(T, String), String> {
    match parse(text) {
        Ok(v) => Ok((v, text.to_owned())),
        Err(message) => match item.with_unset_written() {
            Some(written) => parse(&written).map(|v| (v, written)).map_err(|_| message),
            None => Err(message),
        },
    }
}

/// A boolean as compose-go casts the text of a boolean field (written or interpolated), ignoring case: the
/// YAML 1.1 words `y`, `yes`, `on`, `true` and `n`, `no`, `off`, `false` (Compose warns that YAML 1.2 has only
/// `true` and `false`, and runs `privileged: yes` privileged all the same). `use_api_socket` and
/// `depends_on.*.required` are not cast; the schema check ([`super::schema`]) refuses a string there, as
/// Compose does.
pub fn parse_compose_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "y" | "yes" | "on" | "true" => Some(true),
        "n" | "no" | "off" | "false" => Some(false),
        _ => None,
    }
}

fn key_of(entry: &MapEntry) -> Located<String> {
    Located::new(entry.key.clone(), entry.key_origin.clone())
}

struct Reader<'a> {
    out: &'a mut Vec<(FileId, Diagnostic)>,
}

impl Reader<'_> {
    fn invalid(&mut self, value: &Value, message: String, help: Option<&str>) {
        let place = value.origin.place;
        let mut diagnostic = Diagnostic::new(super::INVALID_VALUE, Severity::Error, place.range, message);
        let used = value.origin.use_place();
        if used != place && used.file == place.file {
            diagnostic = diagnostic.with_label(used.range, "used here");
        }
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.out.push((place.file, diagnostic));
    }

    /// Any non-null scalar as text; booleans and integers as Go prints them (`true`, `420` for `0644`).
    fn string(&mut self, value: &Value) -> Option<Located<String>> {
        scalar_text(value).map(|text| Located::new(text, value.origin.clone()))
    }

    fn string_at(&mut self, map: &Value, key: &str) -> Option<Located<String>> {
        map.get(key).and_then(|v| self.string(v))
    }

    /// A string or a list of strings (`dns`, `tmpfs`, `cap_add` …).
    fn strings(&mut self, value: Option<&Value>) -> Vec<Located<String>> {
        let Some(value) = value else { return Vec::new() };
        match &value.kind {
            ValueKind::Seq(items) => items.iter().filter_map(|v| self.string(v)).collect(),
            ValueKind::Scalar(_) => self.string(value).into_iter().collect(),
            ValueKind::Map(_) => Vec::new(),
        }
    }

    fn bool(&mut self, value: &Value, key: &str) -> Option<Located<bool>> {
        let located = |b| Some(Located::new(b, value.origin.clone()));
        if let Some(b) = value.as_bool() {
            return located(b);
        }
        let text = value.as_str().filter(|_| !value.is_null())?;
        // compose-go converts strings for boolean fields: YAML 1.1's words, in any case.
        match parse_compose_bool(text) {
            Some(b) => located(b),
            None if unresolved(&value.origin, text) => None,
            None => {
                self.invalid(value, format!("invalid boolean `{text}` for `{key}`"), Some("write true or false"));
                None
            }
        }
    }

    fn bool_at(&mut self, map: &Value, key: &str) -> Option<Located<bool>> {
        map.get(key).and_then(|v| self.bool(v, key))
    }

    fn int(&mut self, value: &Value, key: &str) -> Option<Located<i64>> {
        if let Some(n) = value.as_int() {
            return Some(Located::new(n, value.origin.clone()));
        }
        let text = value.as_str().filter(|_| !value.is_null())?;
        match text.trim().parse::<i64>() {
            Ok(n) => Some(Located::new(n, value.origin.clone())),
            Err(_) if unresolved(&value.origin, text) => None,
            Err(_) => {
                self.invalid(value, format!("invalid integer `{text}` for `{key}`"), Some("write a whole number"));
                None
            }
        }
    }

    fn int_at(&mut self, map: &Value, key: &str) -> Option<Located<i64>> {
        map.get(key).and_then(|v| self.int(v, key))
    }

    fn float(&mut self, value: &Value, key: &str) -> Option<Located<f64>> {
        if let Some(n) = value.as_float() {
            return Some(Located::new(n, value.origin.clone()));
        }
        let text = value.as_str().filter(|_| !value.is_null())?;
        match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Some(Located::new(n, value.origin.clone())),
            _ if unresolved(&value.origin, text) => None,
            _ => {
                self.invalid(value, format!("invalid number `{text}` for `{key}`"), Some("write a number, e.g. 0.5"));
                None
            }
        }
    }

    fn parsed<T>(
        &mut self,
        value: Option<&Value>,
        key: &str,
        parse: fn(&str) -> Result<T, String>,
    ) -> Option<Located<T>> {
        let value = value?;
        let text = scalar_text(value)?;
        match parse(&text) {
            Ok(v) => Some(Located::new(v, value.origin.clone())),
            Err(_) if unresolved(&value.origin, &text) => None,
            Err(message) => {
                self.invalid(value, format!("invalid `{key}`: {message}"), None);
                None
            }
        }
    }

    fn bytes(&mut self, value: Option<&Value>, key: &str) -> Option<Located<i64>> {
        let v = value?;
        if let Some(n) = v.as_int() {
            return Some(Located::new(n, v.origin.clone()));
        }
        self.parsed(value, key, syntax::parse_bytes)
    }

    fn duration(&mut self, value: Option<&Value>, key: &str) -> Option<Located<i64>> {
        // A bare number is a wrong type, which the schema check reports.
        if value.is_some_and(|v| v.as_float().is_some()) {
            return None;
        }
        self.parsed(value, key, crate::duration::parse_duration)
    }

    /// A list of `KEY=value` (or `KEY` alone) or a mapping (null values allowed).
    fn key_values(&mut self, value: Option<&Value>, separator: char) -> Vec<KeyValue> {
        let Some(value) = value else { return Vec::new() };
        match &value.kind {
            ValueKind::Map(entries) => entries
                .iter()
                .map(|e| KeyValue {
                    key: key_of(e),
                    value: if e.value.is_null() { None } else { self.string(&e.value) },
                })
                .collect(),
            ValueKind::Seq(items) => items
                .iter()
                .filter_map(|item| {
                    let text = scalar_text(item)?;
                    let origin = item.origin.clone();
                    Some(match text.split_once(separator) {
                        Some((k, v)) => KeyValue {
                            key: Located::new(k.to_owned(), origin.clone()),
                            value: Some(Located::new(v.to_owned(), origin)),
                        },
                        None => KeyValue { key: Located::new(text, origin), value: None },
                    })
                })
                .collect(),
            ValueKind::Scalar(_) => Vec::new(),
        }
    }

    fn resources(&mut self, value: &Value) -> Vec<Resource> {
        let mut list = Vec::new();
        for e in value.as_map().unwrap_or_default() {
            let v = &e.value;
            let external = match v.get("external") {
                Some(ext) if ext.as_map().is_some() => Some(Located::new(true, ext.origin.clone())),
                Some(ext) => self.bool(ext, "external"),
                None => None,
            };
            // The deprecated `external: {name: …}` names the resource.
            let name = self.string_at(v, "name").or_else(|| v.get("external").and_then(|x| self.string_at(x, "name")));
            list.push(Resource {
                key: key_of(e),
                name,
                external,
                driver: self.string_at(v, "driver"),
                internal: self.bool_at(v, "internal"),
                file: self.string_at(v, "file"),
                environment: self.string_at(v, "environment"),
                content: self.string_at(v, "content"),
                labels: self.key_values(v.get("labels"), '='),
                raw: v.clone(),
            });
        }
        list
    }

    fn service(&mut self, entry: &MapEntry) -> Service {
        let v = &entry.value;
        let mut s = Service { raw: Some(v.clone()), ..Service::named(key_of(entry)) };
        let Some(entries) = v.as_map() else { return s };
        for e in entries {
            let x = &e.value;
            let key = e.key.as_str();
            match key {
                "image" => s.image = self.string(x),
                "build" => s.build = Some(self.build_section(x)),
                "user" => s.user = self.string(x),
                "privileged" => s.privileged = self.bool(x, key),
                "cap_add" => s.cap_add = self.strings(Some(x)),
                "cap_drop" => s.cap_drop = self.strings(Some(x)),
                "security_opt" => s.security_opt = self.strings(Some(x)),
                "network_mode" => s.network_mode = self.string(x),
                "pid" => s.pid = self.string(x),
                "ipc" => s.ipc = self.string(x),
                "uts" => s.uts = self.string(x),
                "userns_mode" => s.userns_mode = self.string(x),
                "cgroup" => s.cgroup = self.string(x),
                "cgroup_parent" => s.cgroup_parent = self.string(x),
                "devices" => s.devices = self.devices(x),
                "volumes" => s.volumes = self.mounts(x),
                "ports" => s.ports = self.ports(x),
                "expose" => s.expose = self.strings(Some(x)),
                "environment" => s.environment = self.key_values(Some(x), '='),
                "env_file" => s.env_file = self.env_files(x),
                "secrets" => s.secrets = self.file_refs(x),
                "configs" => s.configs = self.file_refs(x),
                "read_only" => s.read_only = self.bool(x, key),
                "tmpfs" => s.tmpfs = self.strings(Some(x)),
                "sysctls" => s.sysctls = self.key_values(Some(x), '='),
                "ulimits" => s.ulimits = self.ulimits(x),
                "mem_limit" => s.mem_limit = self.bytes(Some(x), key),
                "memswap_limit" => s.memswap_limit = self.bytes(Some(x), key),
                "cpus" => s.cpus = self.float(x, key),
                "pids_limit" => s.pids_limit = self.int(x, key),
                "deploy" => s.deploy = Some(self.deploy(x)),
                "healthcheck" => s.healthcheck = Some(self.healthcheck(x)),
                "restart" => s.restart = self.restart(x),
                "logging" => {
                    s.logging = Some(Logging {
                        driver: self.string_at(x, "driver"),
                        options: self.key_values(x.get("options"), '='),
                    })
                }
                "extra_hosts" => s.extra_hosts = self.extra_hosts(x),
                "dns" => s.dns = self.strings(Some(x)),
                "profiles" => s.profiles = self.strings(Some(x)),
                "depends_on" => s.depends_on = self.depends_on(x),
                "labels" => s.labels = self.key_values(Some(x), '='),
                "networks" => s.networks = self.service_networks(x),
                "init" => s.init = self.bool(x, key),
                "stop_signal" => s.stop_signal = self.string(x),
                "stop_grace_period" => s.stop_grace_period = self.duration(Some(x), key),
                "command" => s.command = self.command(x, key),
                "entrypoint" => s.entrypoint = self.command(x, key),
                "use_api_socket" => s.use_api_socket = self.bool(x, key),
                "runtime" => s.runtime = self.string(x),
                "container_name" => s.container_name = self.string(x),
                "hostname" => s.hostname = self.string(x),
                "working_dir" => s.working_dir = self.string(x),
                "platform" => s.platform = self.string(x),
                "pull_policy" => s.pull_policy = self.string(x),
                _ if key.starts_with("x-") => s.extensions.push(e.clone()),
                _ => {}
            }
        }
        s
    }

    fn build_section(&mut self, x: &Value) -> Build {
        let mut b = Build { origin: Some(x.origin.clone()), ..Build::default() };
        if x.as_map().is_none() {
            b.context = self.string(x);
            return b;
        }
        b.context = self.string_at(x, "context");
        b.dockerfile = self.string_at(x, "dockerfile");
        b.dockerfile_inline = self.string_at(x, "dockerfile_inline");
        b.target = self.string_at(x, "target");
        b.args = self.key_values(x.get("args"), '=');
        b.secrets = x.get("secrets").map(|s| self.file_refs(s)).unwrap_or_default();
        b.network = self.string_at(x, "network");
        b.privileged = self.bool_at(x, "privileged");
        b
    }

    fn restart(&mut self, x: &Value) -> Option<Located<String>> {
        let located = self.string(x)?;
        let text = located.value.as_str();
        let policy = text.split_once(':').map_or(text, |(p, _)| p);
        let count_ok = text.split_once(':').is_none_or(|(_, n)| policy == "on-failure" && n.parse::<u32>().is_ok());
        if !unresolved(&x.origin, text)
            && (!matches!(policy, "no" | "always" | "on-failure" | "unless-stopped") || !count_ok)
        {
            self.invalid(
                x,
                format!("invalid restart policy `{text}`"),
                Some("write no, always, on-failure[:MAX_RETRIES] or unless-stopped"),
            );
        }
        Some(located)
    }

    fn devices(&mut self, x: &Value) -> Vec<Located<Device>> {
        let mut list = Vec::new();
        for item in x.as_seq().unwrap_or_default() {
            if item.as_map().is_some() {
                let device = Device {
                    source: self.string_at(item, "source").map(|l| l.value).unwrap_or_default(),
                    target: self.string_at(item, "target").map(|l| l.value).unwrap_or_default(),
                    permissions: self.string_at(item, "permissions").map_or_else(|| "rwm".to_owned(), |l| l.value),
                };
                list.push(Located::new(device, item.origin.clone()));
                continue;
            }
            let Some(text) = scalar_text(item) else { continue };
            match read_short(item, &text, syntax::parse_device) {
                Ok((d, _)) => list.push(Located::new(
                    Device { source: d.source, target: d.target, permissions: d.permissions },
                    item.origin.clone(),
                )),
                Err(_) if unresolved(&item.origin, &text) => {}
                Err(message) => {
                    self.invalid(item, format!("invalid device `{text}`: {message}"), Some(syntax::DEVICE_HELP))
                }
            }
        }
        list
    }

    fn mounts(&mut self, x: &Value) -> Vec<Located<Mount>> {
        let mut list = Vec::new();
        for item in x.as_seq().unwrap_or_default() {
            if item.as_map().is_some() {
                list.push(Located::new(self.long_mount(item), item.origin.clone()));
                continue;
            }
            let Some(text) = scalar_text(item) else { continue };
            match read_short(item, &text, syntax::parse_volume) {
                Ok((spec, short)) => {
                    let bind = spec.source.as_deref().is_some_and(syntax::is_file_path);
                    let mount = Mount {
                        kind: if bind { "bind" } else { "volume" }.to_owned(),
                        source: spec.source,
                        target: Some(spec.target),
                        read_only: spec.read_only,
                        propagation: spec.propagation,
                        selinux: spec.selinux,
                        create_host_path: bind.then_some(true),
                        nocopy: spec.nocopy,
                        short: Some(short),
                        ..Mount::default()
                    };
                    list.push(Located::new(mount, item.origin.clone()));
                }
                Err(_) if unresolved(&item.origin, &text) => {}
                Err(message) => {
                    self.invalid(item, format!("invalid volume `{text}`: {message}"), Some(syntax::VOLUME_HELP))
                }
            }
        }
        list
    }

    fn long_mount(&mut self, item: &Value) -> Mount {
        let kind = self.string_at(item, "type");
        if let Some(kind) = &kind
            && !unresolved(&kind.origin, &kind.value)
            && !matches!(kind.value.as_str(), "bind" | "volume" | "tmpfs" | "npipe" | "cluster" | "image")
        {
            let at = item.get("type").unwrap_or(item);
            self.invalid(
                at,
                format!("unknown mount type `{}`", kind.value),
                Some("use bind, volume, tmpfs, npipe, cluster or image"),
            );
        }
        let bind = item.get("bind");
        let volume = item.get("volume");
        let tmpfs = item.get("tmpfs");
        let mut mount = Mount {
            kind: kind.map_or_else(|| "volume".to_owned(), |k| k.value),
            source: self.string_at(item, "source").map(|l| l.value),
            target: self.string_at(item, "target").map(|l| l.value),
            read_only: self.bool_at(item, "read_only").is_some_and(|l| l.value),
            ..Mount::default()
        };
        if let Some(bind) = bind {
            mount.propagation = self.string_at(bind, "propagation").map(|l| l.value);
            mount.selinux = self.string_at(bind, "selinux").map(|l| l.value);
            mount.create_host_path = self.bool_at(bind, "create_host_path").map(|l| l.value);
        }
        if let Some(volume) = volume {
            mount.nocopy = self.bool_at(volume, "nocopy").is_some_and(|l| l.value);
            mount.subpath = self.string_at(volume, "subpath").map(|l| l.value);
        }
        if let Some(image) = item.get("image") {
            mount.subpath = self.string_at(image, "subpath").map(|l| l.value).or(mount.subpath);
        }
        if let Some(tmpfs) = tmpfs {
            mount.tmpfs_size = self.bytes(tmpfs.get("size"), "tmpfs.size").map(|l| l.value);
            mount.tmpfs_mode = self.int_at(tmpfs, "mode").map(|l| l.value);
        }
        mount
    }

    fn ports(&mut self, x: &Value) -> Vec<Located<Port>> {
        let mut list = Vec::new();
        for item in x.as_seq().unwrap_or_default() {
            if item.as_map().is_some() {
                let target = item.get("target").and_then(|t| self.port_number(t, "target"));
                let published = item.get("published").and_then(|p| {
                    let text = scalar_text(p)?;
                    if !unresolved(&p.origin, &text) && syntax::port_range(&text).is_none() {
                        self.invalid(p, format!("invalid published port `{text}`"), Some("write a port or a range"));
                    }
                    Some(text)
                });
                let port = Port {
                    target,
                    published,
                    host_ip: self.string_at(item, "host_ip").map(|l| l.value),
                    protocol: self.string_at(item, "protocol").map(|l| l.value),
                    mode: self.string_at(item, "mode").map(|l| l.value),
                    name: self.string_at(item, "name").map(|l| l.value),
                    app_protocol: self.string_at(item, "app_protocol").map(|l| l.value),
                    short: None,
                };
                list.push(Located::new(port, item.origin.clone()));
                continue;
            }
            let Some(text) = scalar_text(item) else { continue };
            match read_short(item, &text, syntax::parse_port) {
                Ok((mappings, short)) => list.extend(mappings.into_iter().map(|m| {
                    let port = Port {
                        target: Some(m.target),
                        published: m.published,
                        host_ip: m.host_ip,
                        protocol: Some(m.protocol),
                        mode: Some("ingress".to_owned()),
                        short: Some(short.clone()),
                        ..Port::default()
                    };
                    Located::new(port, item.origin.clone())
                })),
                Err(_) if unresolved(&item.origin, &text) => {
                    // Its fields are still where they are, with the variable written back (`${PORT}:80`).
                    let short = item.with_unset_written().unwrap_or(text);
                    list.push(Located::new(Port { short: Some(short), ..Port::default() }, item.origin.clone()))
                }
                Err(message) => {
                    self.invalid(item, format!("invalid port `{text}`: {message}"), Some(syntax::PORT_HELP))
                }
            }
        }
        list
    }

    fn port_number(&mut self, value: &Value, key: &str) -> Option<u16> {
        let text = scalar_text(value)?;
        match syntax::port_range(&text) {
            Some((port, end)) if port == end => Some(port),
            _ if unresolved(&value.origin, &text) => None,
            _ => {
                self.invalid(
                    value,
                    format!("invalid port `{text}` for `{key}`"),
                    Some("write a number from 0 to 65535"),
                );
                None
            }
        }
    }

    fn env_files(&mut self, x: &Value) -> Vec<Located<EnvFile>> {
        let items: Vec<&Value> = match &x.kind {
            ValueKind::Seq(items) => items.iter().collect(),
            _ => vec![x],
        };
        let mut list = Vec::new();
        for item in items {
            let env_file = if item.as_map().is_some() {
                let Some(path) = self.string_at(item, "path") else { continue };
                EnvFile {
                    path: path.value,
                    required: self.bool_at(item, "required").is_none_or(|l| l.value),
                    format: self.string_at(item, "format").map(|l| l.value),
                }
            } else {
                let Some(path) = self.string(item) else { continue };
                EnvFile { path: path.value, required: true, format: None }
            };
            list.push(Located::new(env_file, item.origin.clone()));
        }
        list
    }

    fn file_refs(&mut self, x: &Value) -> Vec<Located<FileRef>> {
        let mut list = Vec::new();
        for item in x.as_seq().unwrap_or_default() {
            let file_ref = if item.as_map().is_some() {
                let Some(source) = self.string_at(item, "source") else { continue };
                FileRef {
                    source: source.value,
                    target: self.string_at(item, "target").map(|l| l.value),
                    uid: self.string_at(item, "uid").map(|l| l.value),
                    gid: self.string_at(item, "gid").map(|l| l.value),
                    mode: self.int_at(item, "mode").map(|l| l.value),
                }
            } else {
                let Some(source) = self.string(item) else { continue };
                FileRef { source: source.value, ..FileRef::default() }
            };
            list.push(Located::new(file_ref, item.origin.clone()));
        }
        list
    }

    fn ulimits(&mut self, x: &Value) -> Vec<Ulimit> {
        let mut list = Vec::new();
        for e in x.as_map().unwrap_or_default() {
            let key = format!("ulimits.{}", e.key);
            let (soft, hard) = if e.value.as_map().is_some() {
                (
                    e.value.get("soft").and_then(|v| self.int(v, &key)),
                    e.value.get("hard").and_then(|v| self.int(v, &key)),
                )
            } else {
                let single = self.int(&e.value, &key);
                (single.clone(), single)
            };
            list.push(Ulimit { name: key_of(e), soft, hard });
        }
        list
    }

    fn deploy(&mut self, x: &Value) -> Deploy {
        let resources = x.get("resources");
        let mut read = |which: &str| {
            let Some(r) = resources.and_then(|r| r.get(which)) else { return Resources::default() };
            Resources {
                cpus: r.get("cpus").and_then(|v| self.float(v, "cpus")),
                memory: self.bytes(r.get("memory"), "memory"),
                pids: self.int_at(r, "pids"),
            }
        };
        let limits = read("limits");
        let reservations = read("reservations");
        Deploy { limits, reservations }
    }

    fn healthcheck(&mut self, x: &Value) -> Healthcheck {
        let test = x.get("test").and_then(|t| match &t.kind {
            ValueKind::Seq(items) => {
                let words = items.iter().filter_map(scalar_text).collect();
                Some(Located::new(words, t.origin.clone()))
            }
            ValueKind::Scalar(_) if !t.is_null() => {
                let text = scalar_text(t)?;
                Some(Located::new(vec!["CMD-SHELL".to_owned(), text], t.origin.clone()))
            }
            _ => None,
        });
        if let Some(t) = &test
            && let Some(first) = t.value.first()
            && !matches!(first.as_str(), "NONE" | "CMD" | "CMD-SHELL")
            && x.get("test").is_some_and(|v| v.as_seq().is_some())
            && let Some(at) = x.get("test").and_then(|v| v.as_seq()).and_then(|s| s.first())
            && !unresolved(&at.origin, first)
        {
            self.invalid(
                at,
                format!("a healthcheck test list must start with NONE, CMD or CMD-SHELL, not `{first}`"),
                Some("write [\"CMD\", \"program\", \"arg\"…] or a string for a shell command"),
            );
        }
        Healthcheck {
            origin: Some(x.origin.clone()),
            test,
            interval: self.duration(x.get("interval"), "healthcheck.interval"),
            timeout: self.duration(x.get("timeout"), "healthcheck.timeout"),
            start_period: self.duration(x.get("start_period"), "healthcheck.start_period"),
            start_interval: self.duration(x.get("start_interval"), "healthcheck.start_interval"),
            retries: self.int_at(x, "retries"),
            disable: self.bool_at(x, "disable"),
        }
    }

    fn extra_hosts(&mut self, x: &Value) -> Vec<Located<ExtraHost>> {
        let mut list = Vec::new();
        match &x.kind {
            ValueKind::Map(entries) => {
                for e in entries {
                    let ips = self.strings(Some(&e.value)).into_iter().map(|l| l.value).collect();
                    list.push(Located::new(ExtraHost { host: e.key.clone(), ips }, e.key_origin.clone()));
                }
            }
            ValueKind::Seq(items) => {
                for item in items {
                    let Some(text) = scalar_text(item) else { continue };
                    let split = text.split_once('=').or_else(|| text.split_once(':'));
                    match split {
                        Some((host, ips)) => {
                            let host =
                                ExtraHost { host: host.to_owned(), ips: ips.split(',').map(str::to_owned).collect() };
                            list.push(Located::new(host, item.origin.clone()));
                        }
                        None if unresolved(&item.origin, &text) => {}
                        None => self.invalid(
                            item,
                            format!("invalid extra host `{text}`: no IP address"),
                            Some("write HOST=IP or HOST:IP, e.g. `db=10.0.0.5`"),
                        ),
                    }
                }
            }
            ValueKind::Scalar(_) => {}
        }
        list
    }

    fn depends_on(&mut self, x: &Value) -> Vec<Dependency> {
        match &x.kind {
            ValueKind::Seq(items) => items
                .iter()
                .filter_map(|item| {
                    let service = self.string(item)?;
                    Some(Dependency { service, condition: None, restart: None, required: None })
                })
                .collect(),
            ValueKind::Map(entries) => entries
                .iter()
                .map(|e| {
                    let condition = self.string_at(&e.value, "condition");
                    if let Some(c) = &condition
                        && !unresolved(&c.origin, &c.value)
                        && !matches!(
                            c.value.as_str(),
                            "service_started" | "service_healthy" | "service_completed_successfully"
                        )
                        && let Some(at) = e.value.get("condition")
                    {
                        self.invalid(
                            at,
                            format!("unknown depends_on condition `{}`", c.value),
                            Some("use service_started, service_healthy or service_completed_successfully"),
                        );
                    }
                    Dependency {
                        service: key_of(e),
                        condition,
                        restart: self.bool_at(&e.value, "restart"),
                        required: self.bool_at(&e.value, "required"),
                    }
                })
                .collect(),
            ValueKind::Scalar(_) => Vec::new(),
        }
    }

    fn service_networks(&mut self, x: &Value) -> Vec<ServiceNetwork> {
        match &x.kind {
            ValueKind::Seq(items) => items
                .iter()
                .filter_map(|item| {
                    let name = self.string(item)?;
                    Some(ServiceNetwork { name, aliases: Vec::new(), ipv4_address: None, ipv6_address: None })
                })
                .collect(),
            ValueKind::Map(entries) => entries
                .iter()
                .map(|e| ServiceNetwork {
                    name: key_of(e),
                    aliases: self.strings(e.value.get("aliases")).into_iter().map(|l| l.value).collect(),
                    ipv4_address: self.string_at(&e.value, "ipv4_address").map(|l| l.value),
                    ipv6_address: self.string_at(&e.value, "ipv6_address").map(|l| l.value),
                })
                .collect(),
            ValueKind::Scalar(_) => Vec::new(),
        }
    }

    fn command(&mut self, x: &Value, key: &str) -> Option<Located<Command>> {
        match &x.kind {
            ValueKind::Seq(items) => {
                let args = items.iter().filter_map(scalar_text).collect();
                Some(Located::new(Command { args, from_string: false, dropped_from: None }, x.origin.clone()))
            }
            ValueKind::Scalar(_) if !x.is_null() => {
                let text = scalar_text(x)?;
                match syntax::shell_split(&text) {
                    Ok(words) => Some(Located::new(
                        Command { args: words.words, from_string: true, dropped_from: words.stopped_at },
                        x.origin.clone(),
                    )),
                    Err(message) => {
                        self.invalid(
                            x,
                            format!("invalid `{key}`: {message}"),
                            Some("close the quote, or write the command as a list of words"),
                        );
                        None
                    }
                }
            }
            _ => None,
        }
    }
}

/// A non-null scalar's text, with booleans and integers written as Go prints them after YAML decoding.
fn scalar_text(value: &Value) -> Option<String> {
    let scalar = value.as_scalar()?;
    if value.is_null() {
        return None;
    }
    if let Some(b) = value.as_bool() {
        return Some(b.to_string());
    }
    if let Some(n) = value.as_int() {
        return Some(n.to_string());
    }
    Some(scalar.text.clone())
}
