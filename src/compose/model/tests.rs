use super::*;
use crate::compose::tree::FileId;
use crate::compose::yaml;

struct Built {
    model: ComposeModel,
    /// (code, text at the range, message)
    found: Vec<(&'static str, String, String)>,
}

fn load(text: &str) -> Built {
    let file = yaml::parse(text);
    let root = Value::from_yaml(&file.documents[0].root, FileId(0));
    let mut out = Vec::new();
    let model = build(&root, &mut out);
    let found = out.into_iter().map(|(_, d)| (d.code, text[d.range.as_usize()].to_owned(), d.message)).collect();
    Built { model, found }
}

fn service(text: &str) -> Service {
    let built = load(&format!("services:\n  s:\n{text}"));
    assert!(built.found.is_empty(), "{:?}", built.found);
    built.model.services.into_iter().next().expect("a service")
}

fn invalid(text: &str) -> Vec<(String, String)> {
    let built = load(&format!("services:\n  s:\n{text}"));
    built.found.into_iter().map(|(code, at, message)| (format!("{code} {at}"), message)).collect()
}

#[test]
fn short_ports() {
    let s = service(
        "    ports:\n      - 80\n      - \"8080:80\"\n      - \"[::1]:53:53/udp\"\n      - \"3000-3001:3000-3001\"\n",
    );
    let ports: Vec<_> = s
        .ports
        .iter()
        .map(|p| {
            (p.value.host_ip.as_deref(), p.value.published.as_deref(), p.value.target, p.value.protocol.as_deref())
        })
        .collect();
    assert_eq!(
        ports,
        [
            (None, None, Some(80), Some("tcp")),
            (None, Some("8080"), Some(80), Some("tcp")),
            (Some("::1"), Some("53"), Some(53), Some("udp")),
            (None, Some("3000"), Some(3000), Some("tcp")),
            (None, Some("3001"), Some(3001), Some("tcp")),
        ]
    );
}

#[test]
fn long_ports() {
    let s = service(
        "    ports:\n      - target: 80\n        published: 8000-8010\n        host_ip: 0.0.0.0\n        mode: host\n        name: web\n        app_protocol: http\n",
    );
    let p = &s.ports[0].value;
    assert_eq!(p.target, Some(80));
    assert_eq!(p.published.as_deref(), Some("8000-8010"));
    assert_eq!(
        (p.mode.as_deref(), p.name.as_deref(), p.app_protocol.as_deref()),
        (Some("host"), Some("web"), Some("http"))
    );
}

#[test]
fn invalid_ports_point_at_the_value() {
    let found = invalid("    ports:\n      - \"80:80:80:80\"\n      - target: 99999\n");
    assert_eq!(found[0].0, "PLC012 \"80:80:80:80\"");
    assert!(found[0].1.starts_with("invalid port `80:80:80:80`"), "{found:?}");
    assert_eq!(found[1].0, "PLC012 99999");
    assert_eq!(found.len(), 2);
}

#[test]
fn short_volumes() {
    let s = service(concat!(
        "    volumes:\n      - ./data:/data:ro,Z\n      - logs:/logs:nocopy\n      - /cache\n",
        "      - 'C:\\data:/data:rw'\n      - ~/.ssh:/root/.ssh:rshared\n"
    ));
    let v: Vec<_> = s.volumes.iter().map(|v| &v.value).collect();
    assert_eq!((v[0].kind.as_str(), v[0].read_only, v[0].selinux.as_deref()), ("bind", true, Some("Z")));
    assert_eq!(v[0].create_host_path, Some(true));
    assert_eq!((v[1].kind.as_str(), v[1].source.as_deref(), v[1].nocopy), ("volume", Some("logs"), true));
    assert_eq!((v[2].kind.as_str(), v[2].source.as_deref(), v[2].target.as_deref()), ("volume", None, Some("/cache")));
    assert_eq!((v[3].kind.as_str(), v[3].source.as_deref()), ("bind", Some("C:\\data")));
    assert_eq!((v[4].kind.as_str(), v[4].propagation.as_deref()), ("bind", Some("rshared")));
}

#[test]
fn long_volumes() {
    let s = service(concat!(
        "    volumes:\n      - type: bind\n        source: /etc\n        target: /host/etc\n        read_only: \"true\"\n",
        "        bind:\n          propagation: rprivate\n          selinux: z\n          create_host_path: false\n",
        "      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 64m\n          mode: 01777\n",
        "      - type: volume\n        source: v\n        target: /v\n        volume:\n          nocopy: true\n",
    ));
    let v: Vec<_> = s.volumes.iter().map(|v| &v.value).collect();
    assert!(v[0].is_bind() && v[0].read_only);
    assert_eq!(
        (v[0].propagation.as_deref(), v[0].selinux.as_deref(), v[0].create_host_path),
        (Some("rprivate"), Some("z"), Some(false))
    );
    assert_eq!((v[1].tmpfs_size, v[1].tmpfs_mode), (Some(64 << 20), Some(0o1777)));
    assert!(v[2].nocopy);
}

#[test]
fn invalid_volumes_and_devices() {
    let found = invalid(
        "    volumes:\n      - /a:/b:ro:x\n      - type: disk\n        target: /x\n    devices:\n      - /dev/a:/dev/b:rwx\n",
    );
    let at: Vec<_> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(at, ["PLC012 /a:/b:ro:x", "PLC012 disk", "PLC012 /dev/a:/dev/b:rwx"]);
}

#[test]
fn devices() {
    let s = service(
        "    devices:\n      - /dev/ttyUSB0\n      - /dev/sda:/dev/xvda:r\n      - source: /dev/kvm\n        target: /dev/kvm\n",
    );
    let d: Vec<_> = s
        .devices
        .iter()
        .map(|d| (d.value.source.as_str(), d.value.target.as_str(), d.value.permissions.as_str()))
        .collect();
    assert_eq!(
        d,
        [("/dev/ttyUSB0", "/dev/ttyUSB0", "rwm"), ("/dev/sda", "/dev/xvda", "r"), ("/dev/kvm", "/dev/kvm", "rwm")]
    );
}

fn pairs(list: &[KeyValue]) -> Vec<(&str, Option<&str>)> {
    list.iter().map(|kv| (kv.key.value.as_str(), kv.value.as_ref().map(|v| v.value.as_str()))).collect()
}

#[test]
fn environment_forms() {
    let s = service("    environment:\n      - A=1\n      - B\n      - C=x=y\n      - D=\n");
    assert_eq!(pairs(&s.environment), [("A", Some("1")), ("B", None), ("C", Some("x=y")), ("D", Some(""))]);
    let s = service("    environment:\n      A: 1\n      B:\n      C: true\n      D: 0644\n      E: \"x\"\n");
    assert_eq!(
        pairs(&s.environment),
        [("A", Some("1")), ("B", None), ("C", Some("true")), ("D", Some("420")), ("E", Some("x"))]
    );
}

#[test]
fn extra_hosts_and_ulimits() {
    let s = service(
        "    extra_hosts:\n      - db:10.0.0.1\n      - v6=::1\n      - \"host.docker.internal:host-gateway\"\n",
    );
    let h: Vec<_> = s.extra_hosts.iter().map(|h| (h.value.host.as_str(), h.value.ips.join(","))).collect();
    assert_eq!(
        h,
        [("db", "10.0.0.1".to_owned()), ("v6", "::1".to_owned()), ("host.docker.internal", "host-gateway".to_owned())]
    );
    let s = service("    extra_hosts:\n      db: 10.0.0.1\n      multi: [1.1.1.1, 2.2.2.2]\n");
    assert_eq!(s.extra_hosts[1].value.ips, ["1.1.1.1", "2.2.2.2"]);
    let found = invalid("    extra_hosts:\n      - justahost\n");
    assert_eq!(found[0].0, "PLC012 justahost");

    let s = service("    ulimits:\n      nproc: 65535\n      nofile:\n        soft: 20000\n        hard: 40000\n");
    let u: Vec<_> = s
        .ulimits
        .iter()
        .map(|u| (u.name.value.as_str(), u.soft.as_ref().map(|l| l.value), u.hard.as_ref().map(|l| l.value)))
        .collect();
    assert_eq!(u, [("nproc", Some(65535), Some(65535)), ("nofile", Some(20000), Some(40000))]);
}

#[test]
fn conversions_follow_compose() {
    let s = service(
        "    privileged: \"TRUE\"\n    cpus: \"0.5\"\n    mem_limit: 1gb\n    pids_limit: \"100\"\n    init: false\n    read_only: True\n",
    );
    assert_eq!(s.privileged.map(|l| l.value), Some(true));
    assert_eq!(s.cpus.map(|l| l.value), Some(0.5));
    assert_eq!(s.mem_limit.map(|l| l.value), Some(1 << 30));
    assert_eq!(s.pids_limit.map(|l| l.value), Some(100));
    assert_eq!(s.init.map(|l| l.value), Some(false));
    assert_eq!(s.read_only.map(|l| l.value), Some(true));
    let found = invalid("    privileged: \"maybe\"\n    cpus: lots\n    mem_limit: huge\n    restart: sometimes\n");
    let at: Vec<_> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(at, ["PLC012 \"maybe\"", "PLC012 lots", "PLC012 huge", "PLC012 sometimes"]);
}

#[test]
fn interpolations_are_unknown_not_invalid() {
    let s = service(
        "    ports:\n      - \"${PORT}:80\"\n    privileged: ${PRIV}\n    volumes:\n      - ${DATA}:/data\n    cpus: ${CPUS:-1}\n",
    );
    assert_eq!(s.ports[0].value.short.as_deref(), Some("${PORT}:80"));
    assert_eq!(s.ports[0].value.target, None);
    assert!(s.privileged.is_none() && s.cpus.is_none());
    assert_eq!(s.volumes[0].value.source.as_deref(), Some("${DATA}"));
}

#[test]
fn build_healthcheck_and_commands() {
    let s = service(concat!(
        "    build:\n      context: .\n      dockerfile: Dockerfile.prod\n      target: runtime\n      args: [A=1, B]\n",
        "      secrets: [npmrc]\n      network: host\n",
        "    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n      interval: 1m30s\n      retries: 3\n",
        "      start_period: 5s\n      start_interval: 1s\n      disable: false\n",
        "    command: sh -c 'echo hi' && rm -rf /\n    entrypoint: [/bin/tini, --]\n",
    ));
    let b = s.build.expect("build");
    assert_eq!(b.dockerfile.map(|l| l.value).as_deref(), Some("Dockerfile.prod"));
    assert_eq!(pairs(&b.args), [("A", Some("1")), ("B", None)]);
    assert_eq!(b.secrets[0].value.source, "npmrc");
    let h = s.healthcheck.expect("healthcheck");
    assert_eq!(h.interval.map(|l| l.value), Some(90_000_000_000));
    assert_eq!(h.test.map(|l| l.value.len()), Some(4));
    let c = s.command.expect("command").value;
    assert_eq!(c.args, ["sh", "-c", "echo hi"]);
    assert!(c.from_string && c.dropped_from.is_some());
    assert_eq!(s.entrypoint.expect("entrypoint").value.args, ["/bin/tini", "--"]);
    let s = service("    build: ./app\n    healthcheck:\n      test: curl -f localhost\n");
    assert_eq!(s.build.and_then(|b| b.context).map(|l| l.value).as_deref(), Some("./app"));
    assert_eq!(
        s.healthcheck.and_then(|h| h.test).map(|l| l.value),
        Some(vec!["CMD-SHELL".to_owned(), "curl -f localhost".to_owned()])
    );
    let found = invalid("    healthcheck:\n      interval: 10\n      test: [curl, x]\n    command: echo 'unclosed\n");
    let at: Vec<_> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(at, ["PLC007 10", "PLC012 curl", "PLC012 echo 'unclosed"]);
}

#[test]
fn env_files_secrets_depends_on_and_more() {
    let s = service(concat!(
        "    env_file:\n      - .env\n      - path: ./extra.env\n        required: false\n",
        "    secrets:\n      - source: db_pw\n        target: /run/secrets/pw\n        uid: \"103\"\n        mode: 0440\n",
        "    configs: [app_conf]\n",
        "    depends_on:\n      db:\n        condition: service_healthy\n        restart: true\n      cache:\n        condition: service_started\n        required: false\n",
        "    sysctls:\n      - net.core.somaxconn=1024\n    tmpfs: [/run, /tmp]\n    dns: 8.8.8.8\n    profiles: [debug]\n",
        "    labels:\n      com.example: x\n    logging:\n      driver: json-file\n      options:\n        max-size: 10m\n",
        "    stop_signal: SIGINT\n    use_api_socket: true\n    runtime: runsc\n    x-note: hello\n    networks: [front]\n",
        "    userns_mode: host\n    uts: host\n    ipc: host\n    cgroup: host\n    cgroup_parent: x\n    security_opt: [seccomp:unconfined]\n",
    ));
    assert_eq!(s.env_file.iter().map(|f| f.value.required).collect::<Vec<_>>(), [true, false]);
    assert_eq!(s.secrets[0].value.mode, Some(0o440));
    assert_eq!(s.configs[0].value.source, "app_conf");
    assert_eq!(s.depends_on[0].restart.as_ref().map(|l| l.value), Some(true));
    assert_eq!(s.depends_on[1].required.as_ref().map(|l| l.value), Some(false));
    assert_eq!(pairs(&s.sysctls), [("net.core.somaxconn", Some("1024"))]);
    assert_eq!(s.tmpfs.len(), 2);
    assert_eq!(s.dns[0].value, "8.8.8.8");
    assert_eq!(s.logging.map(|l| pairs(&l.options).len()), Some(1));
    assert_eq!(s.extensions[0].key, "x-note");
    assert_eq!(s.use_api_socket.map(|l| l.value), Some(true));
    assert_eq!(s.networks[0].name.value, "front");
    assert_eq!(s.security_opt[0].value, "seccomp:unconfined");
    let found = invalid("    depends_on:\n      db:\n        condition: service_ready\n");
    assert_eq!(found[0].0, "PLC012 service_ready");
}

#[test]
fn top_level() {
    let built = load(concat!(
        "version: '3.8'\nname: demo\nx-common: &c {a: 1}\ninclude:\n  - other.yaml\n  - path: [a.yaml, b.yaml]\n",
        "services:\n  a:\n    image: x\n",
        "networks:\n  front:\n  ext:\n    external: true\n    name: shared\n",
        "volumes:\n  data:\n    driver: local\nsecrets:\n  s:\n    file: ./s.txt\nconfigs:\n  c:\n    content: hi\n",
    ));
    assert!(built.found.is_empty(), "{:?}", built.found);
    let m = built.model;
    assert_eq!(m.version.map(|l| l.value).as_deref(), Some("3.8"));
    assert_eq!(m.name.map(|l| l.value).as_deref(), Some("demo"));
    assert_eq!(m.include.len(), 2);
    assert_eq!(m.include[1].value.path, ["a.yaml", "b.yaml"]);
    assert_eq!(m.extensions.len(), 1);
    assert_eq!(m.networks[1].external.as_ref().map(|l| l.value), Some(true));
    assert_eq!(m.networks[1].name.as_ref().map(|l| l.value.as_str()), Some("shared"));
    assert_eq!(m.volumes[0].driver.as_ref().map(|l| l.value.as_str()), Some("local"));
    assert_eq!(m.secrets[0].file.as_ref().map(|l| l.value.as_str()), Some("./s.txt"));
    assert_eq!(m.configs[0].content.as_ref().map(|l| l.value.as_str()), Some("hi"));
}

#[test]
fn deploy_resources() {
    let s = service(
        "    deploy:\n      resources:\n        limits:\n          cpus: '0.50'\n          memory: 50M\n          pids: 1\n        reservations:\n          cpus: 0.25\n          memory: 20M\n",
    );
    let d = s.deploy.expect("deploy");
    assert_eq!(d.limits.cpus.map(|l| l.value), Some(0.5));
    assert_eq!(d.limits.memory.map(|l| l.value), Some(50 << 20));
    assert_eq!(d.limits.pids.map(|l| l.value), Some(1));
    assert_eq!(d.reservations.memory.map(|l| l.value), Some(20 << 20));
}

#[test]
fn schema_problems_come_through_build() {
    let built = load("services:\n  s:\n    image: x\n    privilegd: true\n    cap_add: ALL\n");
    let codes: Vec<_> = built.found.iter().map(|f| f.0).collect();
    assert_eq!(codes, ["PLC006", "PLC007"]);
}

#[test]
fn values_keep_their_origin() {
    let text = "x-base: &b\n  privileged: true\nservices:\n  s:\n    <<: *b\n    ports: [\"80:80\"]\n";
    let built = load(text);
    let s = &built.model.services[0];
    let p = s.privileged.as_ref().expect("privileged");
    assert_eq!(&text[p.origin.place.range.as_usize()], "true");
    assert_eq!(&text[p.origin.use_place().range.as_usize()], "<<");
    assert_eq!(&text[s.ports[0].origin.place.range.as_usize()], "\"80:80\"");
}

/// Real Compose files are valid: building them reports no key, type or value error.
#[test]
fn corpus_files_build_cleanly() {
    let Some(folder) = crate::shared_data::path("corpus/compose", "the Compose corpus builds cleanly") else { return };
    let Ok(dir) = std::fs::read_dir(&folder) else { panic!("cannot read {}", folder.display()) };
    let mut paths: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut problems = Vec::new();
    let mut built = 0;
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let file = yaml::parse(&text);
        for document in &file.documents {
            let root = Value::from_yaml(&document.root, FileId(0));
            let mut out = Vec::new();
            build(&root, &mut out);
            built += 1;
            for (_, d) in out {
                if matches!(d.code, "PLC006" | "PLC007" | "PLC012") && d.severity == Severity::Error {
                    let at = text.get(d.range.as_usize()).unwrap_or("?");
                    problems.push(format!("{}: {} `{at}`: {}", path.display(), d.code, d.message));
                }
            }
        }
    }
    assert!(built > 0);
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// Issue 11, bug 1: Compose casts the YAML 1.1 words (any case) for every boolean field it casts, written or
/// interpolated; each value keeps the place it was written.
#[test]
fn yaml_1_1_booleans_read_as_compose_reads_them() {
    let text = "services:\n  s:\n    privileged: yes\n    read_only: On\n    init: \"Y\"\n    tty: NO\n    stdin_open: off\n    oom_kill_disable: n\n    build:\n      context: .\n      privileged: YES\n    healthcheck:\n      disable: yEs\n    volumes:\n      - type: bind\n        source: /var/run/docker.sock\n        target: /var/run/docker.sock\n        read_only: no\n        bind:\n          create_host_path: on\n      - type: volume\n        source: v\n        target: /v\n        read_only: y\n        volume:\n          nocopy: Yes\n    env_file:\n      - path: a.env\n        required: off\n    depends_on:\n      db:\n        condition: service_started\n        restart: on\nnetworks:\n  n:\n    internal: yes\nvolumes:\n  v:\n    external: on\n";
    let built = load(text);
    assert!(built.found.is_empty(), "{:?}", built.found);
    let s = &built.model.services[0];
    let at = |l: &Option<Located<bool>>| l.as_ref().map(|l| (l.value, &text[l.origin.place.range.as_usize()]));
    assert_eq!(at(&s.privileged), Some((true, "yes")));
    assert_eq!(at(&s.read_only), Some((true, "On")));
    assert_eq!(at(&s.init), Some((true, "\"Y\"")));
    assert_eq!(at(&s.build.as_ref().and_then(|b| b.privileged.clone())), Some((true, "YES")));
    assert_eq!(at(&s.healthcheck.as_ref().and_then(|h| h.disable.clone())), Some((true, "yEs")));
    assert!(!s.volumes[0].value.read_only);
    assert_eq!(s.volumes[0].value.create_host_path, Some(true));
    assert!(s.volumes[1].value.read_only && s.volumes[1].value.nocopy);
    assert!(!s.env_file[0].value.required);
    assert_eq!(at(&s.depends_on[0].restart), Some((true, "on")));
    assert_eq!(at(&built.model.networks[0].internal), Some((true, "yes")));
    assert_eq!(at(&built.model.volumes[0].external), Some((true, "on")));
    for (key, word) in [("tty", "NO"), ("stdin_open", "off"), ("oom_kill_disable", "n")] {
        assert!(s.raw.as_ref().and_then(|r| r.get(key)).is_some_and(|v| v.as_str() == Some(word)), "{key}");
    }
    // Words Compose does not cast stay invalid, at their place.
    let found = invalid("    privileged: yess\n    read_only: \"1\"\n");
    let at: Vec<_> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(at, ["PLC012 yess", "PLC012 \"1\""]);
}

/// The same words reached through interpolation are read the same way.
#[test]
fn interpolated_yaml_1_1_booleans() {
    let options = crate::compose::project::LoadOptions {
        dir: "/p".into(),
        env: [("PRIV".to_owned(), "on".to_owned())].into_iter().collect(),
        ..Default::default()
    };
    let fs = crate::compose::project::MemoryFs(
        [("/p/compose.yaml".into(), "services:\n  s:\n    image: x\n    privileged: ${PRIV}\n".to_owned())].into(),
    );
    let (project, model) = crate::load_compose_project(&options, &fs);
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let privileged = model.and_then(|m| m.services[0].privileged.clone()).expect("privileged");
    assert!(privileged.value);
    let text = &project.files[0].text;
    assert_eq!(&text[privileged.origin.place.range.as_usize()], "${PRIV}");
}
