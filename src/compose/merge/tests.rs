use super::*;
use crate::compose::tree::{FileId, Via};
use crate::compose::yaml;

fn load(text: &str, file: u32) -> Value {
    let parsed = yaml::parse(text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    Value::from_yaml(&parsed.documents[0].root, FileId(file))
}

/// Merges the files in order, as the loader does.
fn merged(files: &[&str]) -> Value {
    let mut iter = files.iter().enumerate();
    let (_, first) = iter.next().expect("one file");
    let mut acc = normalize(load(first, 0)).expect("not reset");
    for (i, text) in iter {
        acc = merge(acc, load(text, i as u32));
    }
    acc
}

/// A compact rendering: `{a: 1, b: [x, y]}`, null as `~`.
fn show(value: &Value) -> String {
    match &value.kind {
        ValueKind::Scalar(_) if value.is_null() => "~".to_owned(),
        ValueKind::Scalar(s) => s.text.clone(),
        ValueKind::Seq(items) => format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(", ")),
        ValueKind::Map(entries) => format!(
            "{{{}}}",
            entries.iter().map(|e| format!("{}: {}", e.key, show(&e.value))).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn service<'a>(root: &'a Value, name: &str) -> &'a Value {
    root.get("services").and_then(|s| s.get(name)).expect("service")
}

fn web_key(files: &[&str], key: &str) -> String {
    let root = merged(files);
    service(&root, "web").get(key).map_or_else(|| "<absent>".to_owned(), show)
}

#[test]
fn mappings_merge_key_by_key_and_scalars_are_replaced() {
    let root = merged(&[
        "services:\n  web:\n    image: a\n    restart: always\n",
        "services:\n  web:\n    image: b\n    user: app\n  db:\n    image: pg\n",
    ]);
    assert_eq!(show(&root), "{services: {web: {image: b, restart: always, user: app}, db: {image: pg}}}");
}

#[test]
fn a_null_override_keeps_the_base_value() {
    assert_eq!(web_key(&["services:\n  web:\n    image: a\n", "services:\n  web:\n    image:\n"], "image"), "a");
}

#[test]
fn plain_sequences_are_appended() {
    let files = ["services:\n  web:\n    security_opt: [a, b]\n", "services:\n  web:\n    security_opt: [b, c]\n"];
    assert_eq!(web_key(&files, "security_opt"), "[a, b, b, c]");
}

#[test]
fn capabilities_and_dns_are_appended_without_duplicates() {
    let files = [
        "services:\n  web:\n    cap_add: [NET_ADMIN, SYS_TIME]\n    dns: 1.1.1.1\n",
        "services:\n  web:\n    cap_add: [SYS_TIME, CHOWN]\n    dns: [8.8.8.8, 1.1.1.1]\n",
    ];
    assert_eq!(web_key(&files, "cap_add"), "[NET_ADMIN, SYS_TIME, CHOWN]");
    assert_eq!(web_key(&files, "dns"), "[1.1.1.1, 8.8.8.8]");
}

#[test]
fn ports_are_unique_by_ip_published_target_and_protocol() {
    let files = [
        "services:\n  web:\n    ports: ['8080:80', '443:443', '53:53/udp']\n",
        "services:\n  web:\n    ports:\n      - 8080:80\n      - target: 443\n        published: '443'\n      - 53:53\n      - 127.0.0.1:9000:9000\n",
    ];
    assert_eq!(
        web_key(&files, "ports"),
        "[8080:80, {target: 443, published: 443}, 53:53/udp, 53:53, 127.0.0.1:9000:9000]"
    );
}

#[test]
fn volumes_secrets_and_configs_are_unique_by_target() {
    let files = [
        "services:\n  web:\n    volumes: ['foo:/work', './data:/data:ro']\n    secrets: [token, {source: key, target: /etc/key}]\n    configs: [app]\n",
        "services:\n  web:\n    volumes: ['bar:/work', {type: volume, source: logs, target: /logs}]\n    secrets: [{source: token}, {source: other, target: /etc/key}]\n    configs: [{source: app, target: /app}]\n",
    ];
    assert_eq!(web_key(&files, "volumes"), "[bar:/work, ./data:/data:ro, {type: volume, source: logs, target: /logs}]");
    assert_eq!(web_key(&files, "secrets"), "[{source: token}, {source: other, target: /etc/key}]");
    assert_eq!(web_key(&files, "configs"), "[{source: app, target: /app}]");
}

#[test]
fn environment_lists_become_mappings_merged_by_key() {
    let files = [
        "services:\n  web:\n    environment:\n      - A=1\n      - B=2\n      - C\n",
        "services:\n  web:\n    environment:\n      B: 3\n      D: 4\n",
    ];
    assert_eq!(web_key(&files, "environment"), "{A: 1, B: 3, C: ~, D: 4}");
    let files = ["services:\n  web:\n    labels: {a: x}\n", "services:\n  web:\n    labels: [a=y, b=z]\n"];
    assert_eq!(web_key(&files, "labels"), "{a: y, b: z}");
}

#[test]
fn entries_from_the_list_form_point_at_their_key_and_value() {
    let base = "services:\n  web:\n    environment:\n      - A=1\n      - \"B=two\"\n";
    let root = merged(&[base, "services:\n  web:\n    environment: {C: x}\n"]);
    let env = service(&root, "web").get("environment").expect("environment");
    let a = env.get_entry("A").expect("A");
    assert_eq!(&base[a.key_origin.place.range.as_usize()], "A");
    assert_eq!(&base[a.value.origin.place.range.as_usize()], "1");
    let b = env.get_entry("B").expect("B");
    assert_eq!(&base[b.key_origin.place.range.as_usize()], "B");
    assert_eq!(&base[b.value.origin.place.range.as_usize()], "two");
}

#[test]
fn extra_hosts_are_appended_unless_present() {
    let files = [
        "services:\n  web:\n    extra_hosts: ['a=1.1.1.1']\n",
        "services:\n  web:\n    extra_hosts: ['a=1.1.1.1', 'a=2.2.2.2', 'b:3.3.3.3']\n",
    ];
    assert_eq!(web_key(&files, "extra_hosts"), "[a=1.1.1.1, a=2.2.2.2, b:3.3.3.3]");
}

#[test]
fn sysctls_ulimits_and_annotations() {
    let files = [
        "services:\n  web:\n    sysctls: [net.core.somaxconn=1024]\n    ulimits: {nofile: {soft: 1, hard: 2}, nproc: 5}\n",
        "services:\n  web:\n    sysctls: {net.ipv4.tcp_syncookies: 0}\n    ulimits: {nofile: {soft: 3}}\n",
    ];
    assert_eq!(web_key(&files, "sysctls"), "{net.core.somaxconn: 1024, net.ipv4.tcp_syncookies: 0}");
    assert_eq!(web_key(&files, "ulimits"), "{nofile: {soft: 3}, nproc: 5}");
}

#[test]
fn commands_are_replaced() {
    let files = [
        "services:\n  web:\n    command: [echo, foo]\n    entrypoint: [sh, -c]\n    healthcheck:\n      test: [CMD, a]\n      interval: 5s\n",
        "services:\n  web:\n    command: [echo, bar]\n    entrypoint: tini\n    healthcheck:\n      test: [CMD, b]\n",
    ];
    assert_eq!(web_key(&files, "command"), "[echo, bar]");
    assert_eq!(web_key(&files, "entrypoint"), "tini");
    assert_eq!(web_key(&files, "healthcheck"), "{test: [CMD, b], interval: 5s}");
}

#[test]
fn depends_on_networks_and_build_short_forms_are_merged() {
    let files = [
        "services:\n  web:\n    depends_on: [db]\n    networks: [front]\n    build: ./app\n",
        "services:\n  web:\n    depends_on:\n      cache: {condition: service_healthy}\n    networks:\n      back: {aliases: [w]}\n    build:\n      dockerfile: Dockerfile.dev\n",
    ];
    assert_eq!(
        web_key(&files, "depends_on"),
        "{db: {condition: service_started, required: true}, cache: {condition: service_healthy}}"
    );
    assert_eq!(web_key(&files, "networks"), "{front: ~, back: {aliases: [w]}}");
    assert_eq!(web_key(&files, "build"), "{context: ./app, dockerfile: Dockerfile.dev}");
}

#[test]
fn build_args_merge_by_key() {
    let files = [
        "services:\n  web:\n    build:\n      context: .\n      args: [A=1, B=2]\n",
        "services:\n  web:\n    build:\n      args: {B: 3}\n",
    ];
    assert_eq!(web_key(&files, "build"), "{context: ., args: {A: 1, B: 3}}");
}

#[test]
fn logging_options_merge_only_for_the_same_driver() {
    let same = [
        "services:\n  web:\n    logging: {driver: json-file, options: {max-size: 1m}}\n",
        "services:\n  web:\n    logging: {options: {max-file: '3'}}\n",
    ];
    assert_eq!(web_key(&same, "logging"), "{driver: json-file, options: {max-size: 1m, max-file: 3}}");
    let other = [
        "services:\n  web:\n    logging: {driver: json-file, options: {max-size: 1m}}\n",
        "services:\n  web:\n    logging: {driver: syslog}\n",
    ];
    assert_eq!(web_key(&other, "logging"), "{driver: syslog}");
}

#[test]
fn top_level_resources_merge() {
    let root = merged(&[
        "networks:\n  front: {driver: bridge}\nvolumes:\n  data: {}\nsecrets:\n  s: {file: ./s}\n",
        "networks:\n  front: {labels: [a=b]}\n  back: {}\nvolumes:\n  data: {driver: local}\n",
    ]);
    assert_eq!(
        show(&root),
        "{networks: {front: {driver: bridge, labels: [a=b]}, back: {}}, volumes: {data: {driver: local}}, secrets: {s: {file: ./s}}}"
    );
}

#[test]
fn reset_removes_and_override_replaces() {
    let files = [
        "services:\n  web:\n    image: a\n    ports: ['8080:80']\n    environment: {FOO: bar, KEEP: x}\n    cap_add: [A]\n",
        "services:\n  web:\n    ports: !reset []\n    environment:\n      FOO: !reset null\n    cap_add: !override [B]\n",
    ];
    let root = merged(&files);
    assert_eq!(show(service(&root, "web")), "{image: a, environment: {KEEP: x}, cap_add: [B]}");
    assert!(service(&root, "web").get("cap_add").is_some_and(|v| v.tag.is_none()));
}

#[test]
fn tags_in_a_single_file_are_consumed() {
    let root = merged(&["services:\n  web:\n    image: a\n    ports: !reset ['80']\n    dns: !override [x]\n"]);
    assert_eq!(show(&root), "{services: {web: {image: a, dns: [x]}}}");
}

#[test]
fn override_of_a_whole_service() {
    let files =
        ["services:\n  web:\n    image: a\n    privileged: true\n", "services:\n  web: !override\n    image: b\n"];
    assert_eq!(show(&merged(&files)), "{services: {web: {image: b}}}");
}

#[test]
fn origins_point_at_the_file_that_wrote_each_value() {
    let base = "services:\n  web:\n    image: a\n    ports: ['8080:80']\n";
    let over = "services:\n  web:\n    image: b\n    ports: ['9090:90']\n";
    let root = merged(&[base, over]);
    let web = service(&root, "web");
    let image = web.get("image").expect("image");
    assert_eq!(image.origin.place.file, FileId(1));
    assert_eq!(&over[image.origin.place.range.as_usize()], "b");
    let ports = web.get("ports").and_then(Value::as_seq).expect("ports");
    assert_eq!(ports[0].origin.place.file, FileId(0));
    assert_eq!(&base[ports[0].origin.place.range.as_usize()], "'8080:80'");
    assert_eq!(ports[1].origin.place.file, FileId(1));
    // The merged service keeps the place where it was first defined.
    assert_eq!(web.origin.place.file, FileId(0));
}

#[test]
fn extend_service_inherits_dependencies_and_keeps_the_extending_origin() {
    let text = "services:\n  base:\n    image: a\n    depends_on: [db]\n    volumes_from: [x]\n    cap_add: [A]\n  web:\n    extends: base\n    cap_add: [B]\n";
    let root = load(text, 0);
    let base = service(&root, "base").clone();
    let web = service(&root, "web").clone();
    let at = web.get_entry("extends").map(|e| e.key_origin.place).expect("extends");
    let mut base = base;
    base.add_via(&Via::Extends { at });
    let merged = extend_service(base, web.clone());
    // Compose 2.40.3 inherits `depends_on` and `volumes_from` (issue 11, bug 5).
    assert_eq!(show(&merged), "{image: a, depends_on: [db], volumes_from: [x], cap_add: [A, B]}");
    let from = merged.get("volumes_from").and_then(Value::as_seq).expect("volumes_from");
    assert_eq!(&text[from[0].origin.place.range.as_usize()], "x");
    assert_eq!(&text[from[0].origin.use_place().range.as_usize()], "extends");
    assert_eq!(merged.origin, web.origin);
    let image = merged.get("image").expect("image");
    assert_eq!(&text[image.origin.place.range.as_usize()], "a");
    assert_eq!(&text[image.origin.use_place().range.as_usize()], "extends");
}

#[test]
fn ipam_config_is_matched_by_subnet() {
    let files = [
        "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          gateway: 10.0.0.1\n",
        "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          ip_range: 10.0.0.0/28\n",
    ];
    let root = merged(&files);
    let config = root.get("networks").and_then(|n| n.get("n")).and_then(|n| n.get("ipam")).expect("ipam");
    assert_eq!(show(config), "{config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1, ip_range: 10.0.0.0/28}]}");
}

#[test]
fn type_mismatches_do_not_panic() {
    let files = [
        "services:\n  web:\n    ports: 80\n    environment: 3\n    build: [x]\n    logging: [a]\n    depends_on: 5\n",
        "services:\n  web:\n    ports: {a: b}\n    environment: [[x]]\n    build: {context: .}\n    logging: x\n    depends_on: [[a]]\n",
        "services: [1]\n",
        "services:\n  web: !reset\n",
    ];
    let _ = merged(&files);
}

#[test]
fn extend_service_keeps_the_services_tags_for_later_merges() {
    let text = "services:\n  base:\n    image: a\n    ports: ['80:80']\n    dns: [x]\n  web:\n    extends: base\n    ports: !reset []\n    dns: !override [y]\n";
    let root = load(text, 0);
    let merged = extend_service(service(&root, "base").clone(), service(&root, "web").clone());
    assert_eq!(show(&merged), "{image: a, dns: [y], ports: []}");
    assert!(merged.get("ports").is_some_and(|v| v.has_tag(RESET_TAG)));
    assert!(merged.get("dns").is_some_and(|v| v.has_tag(OVERRIDE_TAG)));
    assert_eq!(normalize(merged).map(|v| show(&v)).as_deref(), Some("{image: a, dns: [y]}"));
}

/// Issue 11, bug 4: a list-form `depends_on` over a mapping resets the condition to `service_started` (keeping
/// `restart`), as Compose does; a mapping over a list wins; two lists stay a mapping of mappings (no null the
/// schema would call a wrong type).
#[test]
fn depends_on_list_and_map_forms_merge_both_ways() {
    let map =
        "services:\n  web:\n    depends_on:\n      db:\n        condition: service_healthy\n        restart: true\n";
    let list = "services:\n  web:\n    depends_on:\n      - db\n";
    assert_eq!(
        web_key(&[map, list], "depends_on"),
        "{db: {condition: service_started, restart: true, required: true}}"
    );
    assert_eq!(
        web_key(&[list, map], "depends_on"),
        "{db: {condition: service_healthy, required: true, restart: true}}"
    );
    assert_eq!(web_key(&[list, list], "depends_on"), "{db: {condition: service_started, required: true}}");
    // The reset condition points at the list item that reset it.
    let root = merged(&[map, list]);
    let condition = service(&root, "web").get("depends_on").and_then(|d| d.get("db")).and_then(|d| d.get("condition"));
    let condition = condition.expect("condition");
    assert_eq!(condition.origin.place.file, FileId(1));
    assert_eq!(&list[condition.origin.place.range.as_usize()], "db");
}
