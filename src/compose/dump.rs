//! The model as JSON in the shape of `docker compose config --format json`: long-syntax ports and volumes,
//! `environment` as a mapping, `command` and `entrypoint` as lists, durations as Go prints them.
//!
//! As Compose prints it: `command` and `entrypoint` are always there (`null` when unset), the variables of
//! `env_file` files are in `environment` (the loader read them) and `env_file` itself is not printed, and the
//! services a service uses through `links`, `volumes_from` or `network_mode`/`ipc`/`pid`/`uts`/`cgroup:
//! service:…` are added to its `depends_on` as Compose adds them.
//!
//! What differs from Compose: relative paths stay relative (a finding quotes what was written, and the result
//! does not depend on where the checkout sits), and keys this model does not type are left out.

use serde_json::{Map, Value as Json, json};

use super::model::{ComposeModel, KeyValue, Located, Resource, Service};
use crate::duration::format_duration;

pub fn to_config_json(model: &ComposeModel) -> Json {
    let project = model.name.as_ref().map(|n| n.value.as_str());
    let mut root = Map::new();
    if let Some(name) = project {
        root.insert("name".into(), json!(name));
    }
    let mut services: Vec<&Service> = model.services.iter().collect();
    services.sort_by(|a, b| a.name.value.cmp(&b.name.value));
    let mut uses_default_network = false;
    let mut out = Map::new();
    for service in services {
        let (json, default_network) = service_json(service);
        uses_default_network |= default_network;
        out.insert(service.name.value.clone(), json);
    }
    root.insert("services".into(), Json::Object(out));
    let used = Used::by(model);
    let mut networks = resources(&model.networks, project, &used.networks);
    if uses_default_network && !networks.contains_key("default") {
        let name = project.map_or_else(|| "default".to_owned(), |p| format!("{p}_default"));
        networks.insert("default".into(), json!({ "name": name }));
    }
    for (key, map) in [
        ("networks", networks),
        ("volumes", resources(&model.volumes, project, &used.volumes)),
        ("secrets", resources(&model.secrets, project, &used.secrets)),
        ("configs", resources(&model.configs, project, &used.configs)),
    ] {
        if !map.is_empty() {
            root.insert(key.into(), Json::Object(map));
        }
    }
    let mut root = Json::Object(root);
    escape_dollars(&mut root);
    root
}

/// `$` written as `$$` in every string, as Compose prints a resolved project (so that it reads back the same).
fn escape_dollars(value: &mut Json) {
    match value {
        Json::String(s) if s.contains('$') => *s = s.replace('$', "$$"),
        Json::Array(items) => items.iter_mut().for_each(escape_dollars),
        Json::Object(map) => map.values_mut().for_each(escape_dollars),
        _ => {}
    }
}

/// A container path as Compose cleans it (`/var/log/` is `/var/log`).
fn clean_target(target: &str) -> String {
    let trimmed = target.trim_end_matches('/');
    if trimmed.is_empty() && target.starts_with('/') { "/".to_owned() } else { trimmed.to_owned() }
}

/// The networks, volumes, secrets and configs some service uses: Compose leaves the others out of the project.
#[derive(Default)]
struct Used {
    networks: std::collections::BTreeSet<String>,
    volumes: std::collections::BTreeSet<String>,
    secrets: std::collections::BTreeSet<String>,
    configs: std::collections::BTreeSet<String>,
}

impl Used {
    fn by(model: &ComposeModel) -> Used {
        let mut used = Used::default();
        for s in &model.services {
            if s.networks.is_empty()
                && s.network_mode.is_none()
                && s.raw.as_ref().is_none_or(|r| r.get("provider").is_none())
            {
                used.networks.insert("default".to_owned());
            }
            used.networks.extend(s.networks.iter().map(|n| n.name.value.clone()));
            for v in &s.volumes {
                if v.value.kind == "volume"
                    && let Some(source) = &v.value.source
                {
                    used.volumes.insert(source.clone());
                }
            }
            used.secrets.extend(s.secrets.iter().map(|r| r.value.source.clone()));
            used.secrets.extend(s.build.iter().flat_map(|b| &b.secrets).map(|r| r.value.source.clone()));
            used.configs.extend(s.configs.iter().map(|r| r.value.source.clone()));
        }
        used
    }
}

fn resources(list: &[Resource], project: Option<&str>, used: &std::collections::BTreeSet<String>) -> Map<String, Json> {
    let mut out = Map::new();
    for r in list.iter().filter(|r| used.contains(&r.key.value)) {
        let mut m = Map::new();
        let external = r.external.as_ref().is_some_and(|e| e.value);
        let name = match (&r.name, project) {
            (Some(n), _) => n.value.clone(),
            (None, _) if external => r.key.value.clone(),
            (None, Some(p)) => format!("{p}_{}", r.key.value),
            (None, None) => r.key.value.clone(),
        };
        m.insert("name".into(), json!(name));
        if external {
            m.insert("external".into(), json!(true));
        }
        put(&mut m, "driver", &r.driver);
        put(&mut m, "file", &r.file);
        put(&mut m, "environment", &r.environment);
        put(&mut m, "content", &r.content);
        if r.internal.as_ref().is_some_and(|i| i.value) {
            m.insert("internal".into(), json!(true));
        }
        if !r.labels.is_empty() {
            m.insert("labels".into(), key_values(&r.labels));
        }
        out.insert(r.key.value.clone(), Json::Object(m));
    }
    out
}

fn put<T: serde::Serialize>(m: &mut Map<String, Json>, key: &str, value: &Option<Located<T>>) {
    if let Some(v) = value {
        // Compose leaves out an empty string (`user: ${APP_USER}` with the variable unset).
        let value = json!(v.value);
        if value != json!("") {
            m.insert(key.into(), value);
        }
    }
}

fn strings(list: &[Located<String>]) -> Json {
    Json::Array(list.iter().map(|l| json!(l.value)).collect())
}

fn key_values(list: &[KeyValue]) -> Json {
    let mut m = Map::new();
    for kv in list {
        m.insert(kv.key.value.clone(), kv.value.as_ref().map_or(Json::Null, |v| json!(v.value)));
    }
    Json::Object(m)
}

/// A service, and whether it is on the default network.
fn service_json(s: &Service) -> (Json, bool) {
    let mut m = Map::new();
    put(&mut m, "image", &s.image);
    if let Some(b) = &s.build {
        let mut bm = Map::new();
        bm.insert("context".into(), json!(b.context.as_ref().map_or(".", |c| c.value.as_str())));
        // Compose names no Dockerfile for a `dockerfile_inline` build.
        match (&b.dockerfile, &b.dockerfile_inline) {
            (Some(d), _) => bm.insert("dockerfile".into(), json!(d.value)),
            (None, None) => bm.insert("dockerfile".into(), json!("Dockerfile")),
            (None, Some(_)) => None,
        };
        put(&mut bm, "dockerfile_inline", &b.dockerfile_inline);
        put(&mut bm, "target", &b.target);
        put(&mut bm, "network", &b.network);
        if !b.args.is_empty() {
            bm.insert("args".into(), key_values(&b.args));
        }
        if b.privileged.as_ref().is_some_and(|p| p.value) {
            bm.insert("privileged".into(), json!(true));
        }
        if !b.secrets.is_empty() {
            bm.insert("secrets".into(), file_refs(&b.secrets, None));
        }
        m.insert("build".into(), Json::Object(bm));
    }
    for (key, value) in [
        ("user", &s.user),
        ("network_mode", &s.network_mode),
        ("pid", &s.pid),
        ("ipc", &s.ipc),
        ("uts", &s.uts),
        ("userns_mode", &s.userns_mode),
        ("cgroup", &s.cgroup),
        ("cgroup_parent", &s.cgroup_parent),
        ("restart", &s.restart),
        ("stop_signal", &s.stop_signal),
        ("runtime", &s.runtime),
        ("container_name", &s.container_name),
        ("hostname", &s.hostname),
        ("working_dir", &s.working_dir),
        ("platform", &s.platform),
        ("pull_policy", &s.pull_policy),
    ] {
        put(&mut m, key, value);
    }
    for (key, value) in [
        ("privileged", &s.privileged),
        ("read_only", &s.read_only),
        ("init", &s.init),
        ("use_api_socket", &s.use_api_socket),
    ] {
        put(&mut m, key, value);
    }
    for (key, list) in [
        ("cap_add", &s.cap_add),
        ("cap_drop", &s.cap_drop),
        ("security_opt", &s.security_opt),
        ("expose", &s.expose),
        ("tmpfs", &s.tmpfs),
        ("dns", &s.dns),
        ("profiles", &s.profiles),
    ] {
        if !list.is_empty() {
            m.insert(key.into(), strings(list));
        }
    }
    for (key, list) in [("environment", &s.environment), ("labels", &s.labels), ("sysctls", &s.sysctls)] {
        if !list.is_empty() {
            m.insert(key.into(), key_values(list));
        }
    }
    for (key, command) in [("command", &s.command), ("entrypoint", &s.entrypoint)] {
        m.insert(key.into(), command.as_ref().map_or(Json::Null, |c| json!(c.value.args)));
    }
    if !s.ports.is_empty() {
        let ports = s.ports.iter().map(|p| {
            let p = &p.value;
            let mut pm = Map::new();
            put_opt(&mut pm, "name", &p.name);
            pm.insert("mode".into(), json!(p.mode.as_deref().unwrap_or("ingress")));
            put_opt(&mut pm, "host_ip", &p.host_ip);
            match p.target {
                Some(t) => pm.insert("target".into(), json!(t)),
                None => pm.insert("target".into(), json!(p.short)),
            };
            put_opt(&mut pm, "published", &p.published);
            pm.insert("protocol".into(), json!(p.protocol.as_deref().unwrap_or("tcp")));
            put_opt(&mut pm, "app_protocol", &p.app_protocol);
            Json::Object(pm)
        });
        m.insert("ports".into(), Json::Array(ports.collect()));
    }
    if !s.volumes.is_empty() {
        let volumes = s.volumes.iter().map(|v| {
            let v = &v.value;
            let mut vm = Map::new();
            vm.insert("type".into(), json!(v.kind));
            put_opt(&mut vm, "source", &v.source);
            put_opt(&mut vm, "target", &v.target.as_deref().map(clean_target));
            if v.read_only {
                vm.insert("read_only".into(), json!(true));
            }
            let mut bind = Map::new();
            put_opt(&mut bind, "propagation", &v.propagation);
            put_opt(&mut bind, "selinux", &v.selinux);
            put_opt(&mut bind, "create_host_path", &v.create_host_path);
            if !bind.is_empty() {
                vm.insert("bind".into(), Json::Object(bind));
            }
            if v.kind == "volume" {
                let mut volume = Map::new();
                if v.nocopy {
                    volume.insert("nocopy".into(), json!(true));
                }
                put_opt(&mut volume, "subpath", &v.subpath);
                vm.insert("volume".into(), Json::Object(volume));
            }
            if v.kind == "image"
                && let Some(subpath) = &v.subpath
            {
                vm.insert("image".into(), json!({ "subpath": subpath }));
            }
            if v.tmpfs_size.is_some() || v.tmpfs_mode.is_some() {
                let mut tmpfs = Map::new();
                put_opt(&mut tmpfs, "size", &v.tmpfs_size);
                put_opt(&mut tmpfs, "mode", &v.tmpfs_mode);
                vm.insert("tmpfs".into(), Json::Object(tmpfs));
            }
            Json::Object(vm)
        });
        m.insert("volumes".into(), Json::Array(volumes.collect()));
    }
    if !s.devices.is_empty() {
        let devices = s
            .devices
            .iter()
            .map(|d| json!({ "source": d.value.source, "target": d.value.target, "permissions": d.value.permissions }));
        m.insert("devices".into(), Json::Array(devices.collect()));
    }
    if !s.secrets.is_empty() {
        m.insert("secrets".into(), file_refs(&s.secrets, Some("/run/secrets")));
    }
    if !s.configs.is_empty() {
        m.insert("configs".into(), file_refs(&s.configs, None));
    }
    if !s.ulimits.is_empty() {
        let mut um = Map::new();
        for u in &s.ulimits {
            let (soft, hard) = (u.soft.as_ref().map(|l| l.value), u.hard.as_ref().map(|l| l.value));
            // A single number is written once, for both limits.
            let single = u.soft.as_ref().zip(u.hard.as_ref()).is_some_and(|(s, h)| s.origin == h.origin);
            let value = if single { json!(soft) } else { json!({ "soft": soft, "hard": hard }) };
            um.insert(u.name.value.clone(), value);
        }
        m.insert("ulimits".into(), Json::Object(um));
    }
    if let Some(v) = &s.mem_limit {
        m.insert("mem_limit".into(), json!(v.value.to_string()));
    }
    if let Some(v) = &s.memswap_limit {
        m.insert("memswap_limit".into(), json!(v.value.to_string()));
    }
    put(&mut m, "cpus", &s.cpus);
    put(&mut m, "pids_limit", &s.pids_limit);
    if let Some(d) = &s.deploy {
        let mut resources = Map::new();
        for (key, r) in [("limits", &d.limits), ("reservations", &d.reservations)] {
            let mut rm = Map::new();
            put(&mut rm, "cpus", &r.cpus);
            if let Some(mem) = &r.memory {
                rm.insert("memory".into(), json!(mem.value.to_string()));
            }
            put(&mut rm, "pids", &r.pids);
            if !rm.is_empty() {
                resources.insert(key.into(), Json::Object(rm));
            }
        }
        m.insert("deploy".into(), json!({ "resources": resources }));
    }
    if let Some(h) = &s.healthcheck {
        let mut hm = Map::new();
        put(&mut hm, "test", &h.test);
        for (key, d) in [
            ("interval", &h.interval),
            ("timeout", &h.timeout),
            ("start_period", &h.start_period),
            ("start_interval", &h.start_interval),
        ] {
            if let Some(d) = d {
                hm.insert(key.into(), json!(format_duration(d.value)));
            }
        }
        put(&mut hm, "retries", &h.retries);
        put(&mut hm, "disable", &h.disable);
        m.insert("healthcheck".into(), Json::Object(hm));
    }
    if let Some(l) = &s.logging {
        let mut lm = Map::new();
        put(&mut lm, "driver", &l.driver);
        if !l.options.is_empty() {
            lm.insert("options".into(), key_values(&l.options));
        }
        m.insert("logging".into(), Json::Object(lm));
    }
    if !s.extra_hosts.is_empty() {
        let hosts = s
            .extra_hosts
            .iter()
            .flat_map(|h| h.value.ips.iter().map(move |ip| json!(format!("{}={ip}", h.value.host))));
        m.insert("extra_hosts".into(), Json::Array(hosts.collect()));
    }
    let mut dm = Map::new();
    for d in &s.depends_on {
        let condition = d.condition.as_ref().map_or("service_started", |c| c.value.as_str());
        let mut entry = Map::new();
        entry.insert("condition".into(), json!(condition));
        entry.insert("required".into(), json!(d.required.as_ref().is_none_or(|r| r.value)));
        put(&mut entry, "restart", &d.restart);
        dm.insert(d.service.value.clone(), Json::Object(entry));
    }
    for (service, restart) in implicit_dependencies(s) {
        let mut entry = Map::new();
        entry.insert("condition".into(), json!("service_started"));
        entry.insert("required".into(), json!(true));
        if restart {
            entry.insert("restart".into(), json!(true));
        }
        dm.entry(service).or_insert(Json::Object(entry));
    }
    if !dm.is_empty() {
        m.insert("depends_on".into(), Json::Object(dm));
    }
    if let Some(sg) = &s.stop_grace_period {
        m.insert("stop_grace_period".into(), json!(format_duration(sg.value)));
    }
    // A `provider` service is run by a plugin, not as a container: Compose gives it no network.
    let is_provider = s.raw.as_ref().is_some_and(|r| r.get("provider").is_some());
    let default_network = s.networks.is_empty() && s.network_mode.is_none() && !is_provider;
    let mut nm = Map::new();
    if default_network {
        nm.insert("default".into(), Json::Null);
    }
    for n in &s.networks {
        let mut entry = Map::new();
        if !n.aliases.is_empty() {
            entry.insert("aliases".into(), json!(n.aliases));
        }
        put_opt(&mut entry, "ipv4_address", &n.ipv4_address);
        put_opt(&mut entry, "ipv6_address", &n.ipv6_address);
        nm.insert(n.name.value.clone(), if entry.is_empty() { Json::Null } else { Json::Object(entry) });
    }
    if !nm.is_empty() {
        m.insert("networks".into(), Json::Object(nm));
    }
    (Json::Object(m), default_network || s.networks.iter().any(|n| n.name.value == "default"))
}

/// The services a service uses without naming them in `depends_on`, as compose-go adds them (with whether a
/// restart of the dependency restarts this one): `links` (restart), `network_mode`, `ipc`, `pid`, `uts` and
/// `cgroup` set to `service:NAME` (restart), and `volumes_from` (no restart, `container:` entries left out).
fn implicit_dependencies(s: &Service) -> Vec<(String, bool)> {
    let Some(raw) = &s.raw else { return Vec::new() };
    let strings = |key: &str| -> Vec<String> {
        raw.get(key)
            .and_then(|v| v.as_seq())
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str())
            .map(str::to_owned)
            .collect()
    };
    let mut out = Vec::new();
    for link in strings("links") {
        out.push((link.split(':').next().unwrap_or_default().to_owned(), true));
    }
    for key in ["network_mode", "ipc", "pid", "uts", "cgroup"] {
        if let Some(name) = raw.get(key).and_then(|v| v.as_str()).and_then(|v| v.strip_prefix("service:")) {
            out.push((name.to_owned(), true));
        }
    }
    for from in strings("volumes_from") {
        if !from.starts_with("container:") {
            out.push((from.split(':').next().unwrap_or_default().to_owned(), false));
        }
    }
    out.retain(|(name, _)| !name.is_empty());
    out
}

fn put_opt<T: serde::Serialize>(m: &mut Map<String, Json>, key: &str, value: &Option<T>) {
    if let Some(v) = value {
        m.insert(key.into(), json!(v));
    }
}

/// Secrets or configs of a service; `default_dir` gives the target of one that names none (a service secret is
/// mounted at `/run/secrets/<source>`). The mode is printed in octal, as Compose prints it (`"0440"`).
fn file_refs(list: &[Located<super::model::FileRef>], default_dir: Option<&str>) -> Json {
    let refs = list.iter().map(|r| {
        let r = &r.value;
        let mut fm = Map::new();
        fm.insert("source".into(), json!(r.source));
        let target = r.target.clone().or_else(|| default_dir.map(|d| format!("{d}/{}", r.source)));
        put_opt(&mut fm, "target", &target);
        put_opt(&mut fm, "uid", &r.uid);
        put_opt(&mut fm, "gid", &r.gid);
        put_opt(&mut fm, "mode", &r.mode.map(|m| format!("{m:04o}")));
        Json::Object(fm)
    });
    Json::Array(refs.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::model::build;
    use crate::compose::tree::{FileId, Value};
    use crate::compose::yaml;

    fn dump(text: &str) -> Json {
        let file = yaml::parse(text);
        let root = Value::from_yaml(&file.documents[0].root, FileId(0));
        let mut out = Vec::new();
        let model = build(&root, &mut out);
        assert!(out.is_empty(), "{out:?}");
        to_config_json(&model)
    }

    #[test]
    fn web_app_with_database() {
        insta::assert_json_snapshot!(dump(
            r#"
name: shop
services:
  web:
    build:
      context: ./web
      args:
        NODE_ENV: production
    ports:
      - "8080:80"
      - "127.0.0.1:9229:9229/tcp"
    environment:
      - DATABASE_URL=postgres://db/shop
      - DEBUG
    command: npm run start -- --port "80"
    depends_on:
      db:
        condition: service_healthy
    volumes:
      - ./static:/app/static:ro
      - uploads:/app/uploads
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD:
      POSTGRES_DB: shop
    healthcheck:
      test: pg_isready -U postgres
      interval: 10s
      timeout: 1m30s
      retries: 5
    volumes:
      - type: volume
        source: pgdata
        target: /var/lib/postgresql/data
volumes:
  uploads:
  pgdata:
"#
        ));
    }

    #[test]
    fn hardened_and_privileged_services() {
        insta::assert_json_snapshot!(dump(
            r#"
services:
  agent:
    image: example/agent
    privileged: "true"
    pid: host
    network_mode: host
    cap_add: [SYS_ADMIN]
    devices:
      - /dev/fuse
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - type: bind
        source: /
        target: /host
        read_only: true
        bind:
          propagation: rslave
  api:
    image: example/api
    user: "1000:1000"
    read_only: true
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    tmpfs: /tmp
    entrypoint: ["/bin/api", "--serve"]
    ports:
      - target: 8443
        published: "443"
        protocol: tcp
    ulimits:
      nofile: {soft: 1024, hard: 4096}
      nproc: 512
    mem_limit: 512m
    cpus: "0.5"
    deploy:
      resources:
        limits:
          memory: 1g
          pids: 100
    extra_hosts:
      - "db=10.0.0.5"
    secrets:
      - api_key
      - source: tls
        target: /run/tls.pem
        mode: 0400
    networks:
      back:
        aliases: [api.internal]
networks:
  back:
    internal: true
secrets:
  api_key:
    file: ./api_key.txt
  tls:
    external: true
"#
        ));
    }
}
