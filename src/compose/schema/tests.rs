use std::collections::BTreeSet;

use super::*;
use crate::compose::tree::FileId;
use crate::compose::yaml;

fn load(text: &str) -> Value {
    let file = yaml::parse(text);
    Value::from_yaml(&file.documents[0].root, FileId(0))
}

fn run(text: &str) -> Vec<(&'static str, String, String)> {
    let root = load(text);
    let mut out = Vec::new();
    check(&root, &mut out);
    out.into_iter().map(|(_, d)| (d.code, text[d.range.as_usize()].to_owned(), d.message)).collect()
}

/// Keys Compose accepts that the stored reference schema predates: (object, key).
const NEWER_THAN_SCHEMA: &[(&str, &str)] = &[("service", "pre_start")];

/// The tables list exactly the keys of the JSON schema (the oracle, read at test time, never copied here).
#[test]
fn tables_match_the_compose_spec_schema() {
    let schema = "corpus/compose-spec/compose-spec/schema/compose-spec.json";
    let Some(schema) = crate::shared_data::path(schema, "the key tables against the Compose JSON schema") else {
        return;
    };
    let Ok(text) = std::fs::read_to_string(&schema) else {
        panic!("cannot read {}", schema.display());
    };
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let mut problems = Vec::new();
    for object in ALL {
        let Some(mut node) = schema.pointer(object.schema) else {
            problems.push(format!("{}: no {} in the schema", object.name, object.schema));
            continue;
        };
        if let Some(target) = node.get("$ref").and_then(|r| r.as_str()) {
            match target.strip_prefix('#').and_then(|p| schema.pointer(p)) {
                Some(n) => node = n,
                None => {
                    problems.push(format!("{}: unresolved {target}", object.name));
                    continue;
                }
            }
        }
        let theirs: BTreeSet<&str> = node
            .get("properties")
            .and_then(|p| p.as_object())
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let ours: BTreeSet<&str> = object.keys.iter().map(|(k, _)| *k).collect();
        let missing: Vec<_> = theirs.difference(&ours).collect();
        let extra: Vec<_> =
            ours.difference(&theirs).filter(|k| !NEWER_THAN_SCHEMA.contains(&(object.name, **k))).collect();
        if !missing.is_empty() {
            problems.push(format!("{} ({}): schema keys missing here: {missing:?}", object.name, object.schema));
        }
        if !extra.is_empty() {
            problems.push(format!("{} ({}): keys not in the schema: {extra:?}", object.name, object.schema));
        }
        let closed = node.get("additionalProperties") == Some(&serde_json::Value::Bool(false));
        if closed != object.closed {
            problems.push(format!("{}: closed is {}, the schema says {closed}", object.name, object.closed));
        }
    }
    assert!(problems.is_empty(), "differences from the schema:\n{}", problems.join("\n"));
}

#[test]
fn unknown_keys_are_reported_at_the_key() {
    let found =
        run("services:\n  web:\n    image: nginx\n    wrongField: 1\n    x-mine: 2\n    privilegd: true\nfoo: 1\n");
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, "PLC006");
    assert_eq!(found[0].1, "wrongField");
    assert_eq!(found[1].1, "privilegd");
    assert_eq!(found[2].1, "foo");
    assert!(found[1].2.contains("services.web"), "{found:?}");
}

#[test]
fn suggestions_for_typos() {
    let root = load("services:\n  web:\n    privilegd: true\n    cap-add: [ALL]\n");
    let mut out = Vec::new();
    check(&root, &mut out);
    let helps: Vec<_> = out.iter().filter_map(|(_, d)| d.help.clone()).collect();
    assert_eq!(helps, ["did you mean `privileged`?", "did you mean `cap_add`?"]);
}

#[test]
fn wrong_types_are_reported_at_the_value() {
    let found = run(concat!(
        "services:\n  web:\n    image: [nginx]\n    privileged: yes\n    ports: {a: 1}\n",
        "    environment: [A=1]\n    cap_add: NET_ADMIN\n    healthcheck:\n      retries: '${R}'\n      test: {x: 1}\n",
        "    deploy:\n      resources:\n        limits:\n          cpus: 0.5\n          memory: 512\n",
    ));
    let got: Vec<_> = found.iter().map(|(c, t, _)| (*c, t.as_str())).collect();
    assert_eq!(
        got,
        [("PLC007", "[nginx]"), ("PLC007", "{a: 1}"), ("PLC007", "NET_ADMIN"), ("PLC007", "{x: 1}"), ("PLC007", "512")]
    );
    assert_eq!(found[0].2, "`services.web.image` must be a string, not a sequence");
    assert_eq!(found[2].2, "`services.web.cap_add` must be a list of strings, not a string");
}

#[test]
fn nulls_where_the_spec_allows_them() {
    assert!(
        run("services:\n  web:\n    image: x\n    networks:\n      front:\nnetworks:\n  front:\nvolumes:\n  data:\n")
            .is_empty()
    );
    assert!(run("~\n").is_empty());
    let found = run("services:\n  web:\n    image:\n");
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn long_syntax_objects_are_checked() {
    let found = run(concat!(
        "services:\n  web:\n    image: x\n    ports:\n      - target: 80\n        hostip: 1.2.3.4\n",
        "    volumes:\n      - type: bind\n        source: .\n        target: /x\n        bind:\n          selinux: z\n          nocopy: true\n",
        "    depends_on:\n      db:\n        condition: service_healthy\n        wait: true\n",
    ));
    let keys: Vec<_> = found.iter().map(|(c, t, _)| (*c, t.as_str())).collect();
    assert_eq!(keys, [("PLC006", "hostip"), ("PLC006", "nocopy"), ("PLC006", "wait")]);
}

#[test]
fn interpolations_fit_any_scalar() {
    assert!(
        run("services:\n  web:\n    image: x\n    privileged: ${P}\n    ports: [\"${PORT}:80\"]\n    cpus: $CPUS\n")
            .is_empty()
    );
}

/// Issue 11: an interpolated value is a string (Compose converts it only where the field is a boolean or a
/// number), so `image: ${TAG}` with `TAG=1.0` is no wrong type; YAML 1.1 words are strings where a string is
/// allowed (`privileged: yes`), and refused where only a boolean is (`use_api_socket: yes`), as Compose does.
#[test]
fn interpolated_numbers_are_strings_and_yaml_1_1_words_follow_compose() {
    let mut root = load("services:\n  web:\n    image: ${TAG}\n    privileged: yes\n    use_api_socket: yes\n");
    let image = root.get_mut("services").and_then(|s| s.get_mut("web")).and_then(|w| w.get_mut("image"));
    let image = image.expect("image");
    image.kind = ValueKind::Scalar(crate::compose::tree::Scalar { text: "1.0".into(), quoted: false });
    image
        .origin
        .via
        .push(crate::compose::tree::Via::Interpolation { variable: "TAG".into(), value: Some("1.0".into()) });
    let mut out = Vec::new();
    check(&root, &mut out);
    let found: Vec<_> = out.iter().map(|(_, d)| (d.code, d.message.as_str())).collect();
    assert_eq!(found, [("PLC007", "`services.web.use_api_socket` must be a boolean, not a string")]);
}
