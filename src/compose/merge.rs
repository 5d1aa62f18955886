//! Merging Compose trees the way `docker compose` (compose-go v2) does: override files over the main file,
//! and an extended service under the service that `extends` it.
//!
//! The rules, from the Compose specification's merge chapter and compose-go's `override` package:
//! * Mappings merge key by key, recursively; keys new in the override are added after the base's keys.
//! * Scalars: the override wins, except that a null override keeps the base value.
//! * Sequences are appended, then entries that share a unique key are collapsed (the later entry takes the
//!   place of the first one): `ports` by host IP, published port, target and protocol; `volumes`, `devices`,
//!   `secrets` and `configs` by target; `cap_add`, `cap_drop`, `dns`, `dns_opt`, `dns_search`, `tmpfs`,
//!   `profiles`, `links`, `expose`, `env_file` … by value. Sequences without a unique key (`security_opt`,
//!   `volumes_from`, `group_add` …) keep every entry, as compose-go does.
//! * `environment`, `labels`, `annotations`, `sysctls`, `build.args`, `build.labels`, … are key/value sets:
//!   the list form (`- KEY=value`) is read as a mapping and the two are merged key by key.
//! * `extra_hosts` entries are appended unless the same entry is already there (a host may have several IPs).
//! * `command`, `entrypoint` and `healthcheck.test` are replaced, never merged.
//! * `depends_on`, `networks` and `models` of a service: the list form becomes a mapping, then merged. A
//!   `depends_on` list item reads as `{condition: service_started, required: true}`, as compose-go reads it
//!   before merging: over a mapping it resets the condition, and a merged list stays a valid mapping.
//! * `build: dir` is read as `build: {context: dir}`, then merged. `logging` is merged only when both sides use
//!   the same driver (or one names none). Each `ulimits` entry is replaced as a whole.
//! * Tags in the override: `!reset` removes the key (or the sequence item), `!override` replaces the value
//!   instead of merging it.
//!
//! Every value keeps its [`Origin`]: a merged value is made of the entries written in either file, each with
//! the place it was written. A merged mapping keeps the base's origin (where it was first defined). Entries made
//! from the list form keep the range of the list item they came from.

use super::tree::{MapEntry, Origin, Scalar, Value, ValueKind};
use crate::source::TextRange;

/// `!reset`: remove the inherited value.
pub const RESET_TAG: &str = "!reset";
/// `!override`: replace the inherited value instead of merging it.
pub const OVERRIDE_TAG: &str = "!override";

/// Merges `over` (a later file) into `base` (the files before it), both whole Compose files.
/// `base` is expected to be normalized already (see [`normalize`]); the result is normalized.
pub fn merge(base: Value, over: Value) -> Value {
    merge_at(base, over, &[])
}

/// Merges two values found at `path` (keys from the root, e.g. `["services", "web", "ports"]`), applying the
/// rule for that path.
pub fn merge_at(base: Value, over: Value, path: &[&str]) -> Value {
    if over.has_tag(RESET_TAG) {
        // A reset at the top of a file or inside a sequence: the override's value is dropped.
        return base;
    }
    if over.has_tag(OVERRIDE_TAG) {
        return normalize_at(over, path).unwrap_or(base);
    }
    match rule_for(path) {
        Some(Rule::Replace) => normalize_at(over, path).unwrap_or(base),
        Some(Rule::KeyValue) => merge_key_values(base, over, path),
        Some(Rule::ToSequence) => {
            if over.is_null() {
                return base;
            }
            let base = into_sequence(base);
            let over = into_sequence(over);
            merge_sequences(base, over, path)
        }
        Some(Rule::ExtraHosts) => merge_extra_hosts(base, over),
        Some(Rule::Build) => {
            if over.is_null() {
                return base;
            }
            merge_mappings(string_into_map(base, "context"), string_into_map(over, "context"), path)
        }
        Some(Rule::NamedMap) => {
            if over.is_null() {
                return base;
            }
            merge_mappings(names_into_map(base, None), names_into_map(over, None), path)
        }
        Some(Rule::Dependencies) => {
            if over.is_null() {
                return base;
            }
            let started = Some(dependency_started as fn(&Value) -> Value);
            merge_mappings(names_into_map(base, started), names_into_map(over, started), path)
        }
        Some(Rule::Logging) => {
            let base_driver = base.get("driver").and_then(Value::as_str);
            let over_driver = over.get("driver").and_then(Value::as_str);
            match (base_driver, over_driver) {
                (Some(b), Some(o)) if b != o => normalize_at(over, path).unwrap_or(base),
                _ => merge_plain(base, over, path),
            }
        }
        Some(Rule::IpamConfig) => merge_ipam_config(base, over, path),
        None => merge_plain(base, over, path),
    }
}

/// One file on its own, as Compose reads it before merging: `!reset` values are removed, `!override` tags are
/// dropped (there is nothing to override), and sequence entries sharing a unique key are collapsed.
/// `None` when the whole value is tagged `!reset`.
pub fn normalize(value: Value) -> Option<Value> {
    normalize_at(value, &[])
}

/// [`normalize`] for a value found at `path`.
pub fn normalize_at(mut value: Value, path: &[&str]) -> Option<Value> {
    if value.has_tag(RESET_TAG) {
        return None;
    }
    if value.has_tag(OVERRIDE_TAG) {
        value.tag = None;
    }
    let Value { kind, origin, tag } = value;
    let kind = match kind {
        ValueKind::Scalar(s) => ValueKind::Scalar(s),
        ValueKind::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let index = i.to_string();
                let next = child_path(path, &index);
                out.extend(normalize_at(item, &next));
            }
            match indexer_for(path) {
                Some(indexer) => ValueKind::Seq(dedupe(out, indexer)),
                None => ValueKind::Seq(out),
            }
        }
        ValueKind::Map(entries) => {
            let mut out: Vec<MapEntry> = Vec::with_capacity(entries.len());
            for entry in entries {
                let next = child_path(path, &entry.key);
                if let Some(value) = normalize_at(entry.value, &next) {
                    out.push(MapEntry { key: entry.key, key_origin: entry.key_origin, value });
                }
            }
            ValueKind::Map(out)
        }
    };
    Some(Value { kind, origin, tag })
}

/// Merges an extended service (`base`, already resolved) under the service that extends it, as compose-go v2
/// does: everything is inherited (`depends_on` and `volumes_from` too, as Compose 2.40.3 does), and the result
/// has no `extends` key. The result keeps the extending service's origin.
///
/// The service's own `!reset` and `!override` keys stay tagged in the result (a `!reset` one as written), since
/// in an override file they also act on the files merged before it; [`normalize`] or [`merge`] consumes them.
pub fn extend_service(mut base: Value, service: Value) -> Value {
    let tagged: Vec<MapEntry> = service
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|e| e.value.has_tag(RESET_TAG) || e.value.has_tag(OVERRIDE_TAG))
        .cloned()
        .collect();
    if let ValueKind::Map(entries) = &mut base.kind {
        entries.retain(|e| e.key != "extends");
    }
    let origin = service.origin.clone();
    let tag = service.tag.clone();
    let base = if base.as_map().is_some() { base } else { empty_map(origin.clone()) };
    let service = if service.as_map().is_some() { service } else { empty_map(origin.clone()) };
    let mut merged = merge_at(base, service, &["services", "*"]);
    if let ValueKind::Map(entries) = &mut merged.kind {
        entries.retain(|e| e.key != "extends");
        for entry in tagged {
            match entries.iter_mut().find(|e| e.key == entry.key) {
                Some(found) => found.value.tag = entry.value.tag,
                None => entries.push(entry),
            }
        }
    }
    merged.origin = origin;
    merged.tag = tag.filter(|t| t != OVERRIDE_TAG && t != RESET_TAG);
    merged
}

/// How the values at one path merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// The override replaces the base.
    Replace,
    /// A set of `KEY=value` (list) or `KEY: value` (mapping), merged by key.
    KeyValue,
    /// A string or a list of strings; appended.
    ToSequence,
    /// Appended, without entries already present.
    ExtraHosts,
    /// A string (the context) or a mapping.
    Build,
    /// A list of names or a mapping keyed by name.
    NamedMap,
    /// `depends_on`: a list of names (each `service_started`, required) or a mapping keyed by name.
    Dependencies,
    Logging,
    IpamConfig,
}

/// What identifies an entry of a sequence whose entries must be unique.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Indexer {
    /// The text before `=` (or all of it).
    KeyValue,
    /// The whole text.
    Text,
    /// host IP, published port, target port and protocol.
    Port,
    /// The mount target.
    Volume,
    /// The device path in the container.
    Device,
    /// The mount target, `<default dir>/<source>` when none is given.
    Mount(&'static str),
    /// The `path` of the long form, or the text.
    EnvFile,
}

fn matches(path: &[&str], pattern: &[&str]) -> bool {
    path.len() == pattern.len() && path.iter().zip(pattern).all(|(p, q)| *q == "*" || p == q)
}

fn rule_for(path: &[&str]) -> Option<Rule> {
    if path.len() < 2 {
        return None;
    }
    if path[0] == "services" {
        let rest = &path[2..];
        return match rest {
            ["command" | "entrypoint"] | ["healthcheck", "test"] | ["ulimits", _] => Some(Rule::Replace),
            ["environment" | "labels" | "annotations" | "sysctls"]
            | ["build", "args" | "labels" | "additional_contexts"]
            | ["deploy", "labels"] => Some(Rule::KeyValue),
            ["dns" | "dns_opt" | "dns_search" | "tmpfs" | "env_file" | "label_file"] => Some(Rule::ToSequence),
            ["extra_hosts"] | ["build", "extra_hosts"] => Some(Rule::ExtraHosts),
            ["build"] => Some(Rule::Build),
            ["depends_on"] => Some(Rule::Dependencies),
            ["networks" | "models"] => Some(Rule::NamedMap),
            ["logging"] => Some(Rule::Logging),
            _ => None,
        };
    }
    if matches(path, &["networks", "*", "labels"]) || matches(path, &["volumes", "*", "labels"]) {
        return Some(Rule::KeyValue);
    }
    if matches(path, &["networks", "*", "ipam", "config"]) {
        return Some(Rule::IpamConfig);
    }
    None
}

fn indexer_for(path: &[&str]) -> Option<Indexer> {
    if path.len() < 3 || path[0] != "services" {
        return None;
    }
    match &path[2..] {
        [
            "environment" | "labels" | "annotations" | "sysctls" | "cap_add" | "cap_drop" | "dns" | "dns_opt"
            | "dns_search" | "tmpfs" | "profiles" | "links",
        ]
        | ["build", "args" | "labels" | "additional_contexts" | "tags" | "platforms"]
        | ["deploy", "labels"]
        | ["networks", _, "aliases" | "link_local_ips"] => Some(Indexer::KeyValue),
        ["expose"] => Some(Indexer::Text),
        ["ports"] => Some(Indexer::Port),
        ["volumes"] => Some(Indexer::Volume),
        ["devices"] => Some(Indexer::Device),
        ["secrets"] => Some(Indexer::Mount("/run/secrets")),
        ["configs"] => Some(Indexer::Mount("")),
        ["env_file"] => Some(Indexer::EnvFile),
        _ => None,
    }
}

fn child_path<'a>(path: &[&'a str], key: &'a str) -> Vec<&'a str> {
    let mut next = Vec::with_capacity(path.len() + 1);
    next.extend_from_slice(path);
    next.push(key);
    next
}

fn empty_map(origin: Origin) -> Value {
    Value { kind: ValueKind::Map(Vec::new()), origin, tag: None }
}

fn scalar(text: impl Into<String>, quoted: bool, origin: Origin) -> Value {
    Value { kind: ValueKind::Scalar(Scalar { text: text.into(), quoted }), origin, tag: None }
}

/// The default rule: mappings key by key, sequences appended (then made unique where the path asks), anything
/// else replaced by the override unless the override is null.
fn merge_plain(base: Value, over: Value, path: &[&str]) -> Value {
    if over.is_null() {
        return base;
    }
    match (&base.kind, &over.kind) {
        (ValueKind::Map(_), ValueKind::Map(_)) => merge_mappings(base, over, path),
        (ValueKind::Seq(_), ValueKind::Seq(_)) => merge_sequences(base, over, path),
        _ => normalize_at(over, path).unwrap_or(base),
    }
}

fn merge_mappings(base: Value, over: Value, path: &[&str]) -> Value {
    let Value { kind: base_kind, origin, tag } = base;
    let (mut entries, over_entries) = match (base_kind, over.kind) {
        (ValueKind::Map(b), ValueKind::Map(o)) => (b, o),
        (base_kind, over_kind) => {
            // Not two mappings (a rule converted what it could): the override wins.
            let base = Value { kind: base_kind, origin, tag };
            let over = Value { kind: over_kind, origin: over.origin, tag: over.tag };
            return normalize_at(over, path).unwrap_or(base);
        }
    };
    for entry in over_entries {
        let position = entries.iter().position(|e| e.key == entry.key);
        let next = child_path(path, &entry.key);
        match position {
            Some(i) if entry.value.has_tag(RESET_TAG) => {
                entries.remove(i);
            }
            Some(i) if entry.value.has_tag(OVERRIDE_TAG) => {
                if let Some(value) = normalize_at(entry.value, &next) {
                    entries[i] = MapEntry { key: entry.key.clone(), key_origin: entry.key_origin, value };
                } else {
                    entries.remove(i);
                }
            }
            Some(i) => {
                let placeholder = empty_map(entries[i].value.origin.clone());
                let old = std::mem::replace(&mut entries[i].value, placeholder);
                entries[i].value = merge_at(old, entry.value, &next);
            }
            None => {
                if let Some(value) = normalize_at(entry.value, &next) {
                    entries.push(MapEntry { key: entry.key.clone(), key_origin: entry.key_origin, value });
                }
            }
        }
    }
    Value { kind: ValueKind::Map(entries), origin, tag }
}

fn merge_sequences(base: Value, over: Value, path: &[&str]) -> Value {
    let Value { kind: base_kind, origin, tag } = base;
    let (mut items, over_items) = match (base_kind, over.kind) {
        (ValueKind::Seq(b), ValueKind::Seq(o)) => (b, o),
        (base_kind, over_kind) => {
            let base = Value { kind: base_kind, origin, tag };
            let over = Value { kind: over_kind, origin: over.origin, tag: over.tag };
            return normalize_at(over, path).unwrap_or(base);
        }
    };
    let start = items.len();
    for (i, item) in over_items.into_iter().enumerate() {
        let index = (start + i).to_string();
        let next = child_path(path, &index);
        items.extend(normalize_at(item, &next));
    }
    let items = match indexer_for(path) {
        Some(indexer) => dedupe(items, indexer),
        None => items,
    };
    Value { kind: ValueKind::Seq(items), origin, tag }
}

/// Collapses entries with the same key: the later entry takes the place of the first.
fn dedupe(items: Vec<Value>, indexer: Indexer) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    let mut keys: Vec<Option<String>> = Vec::with_capacity(items.len());
    for item in items {
        let key = index_key(&item, indexer);
        match key.as_ref().and_then(|k| keys.iter().position(|seen| seen.as_ref() == Some(k))) {
            Some(j) => out[j] = item,
            None => {
                out.push(item);
                keys.push(key);
            }
        }
    }
    out
}

/// The unique key of a sequence entry; `None` when it has none (it is then kept as it is).
fn index_key(item: &Value, indexer: Indexer) -> Option<String> {
    match indexer {
        Indexer::KeyValue => {
            let text = item.as_str()?;
            Some(text.split_once('=').map_or(text, |(k, _)| k).to_owned())
        }
        Indexer::Text => item.as_str().map(str::to_owned),
        Indexer::EnvFile => match &item.kind {
            ValueKind::Scalar(s) => Some(s.text.clone()),
            ValueKind::Map(_) => item.get("path").and_then(Value::as_str).map(str::to_owned),
            ValueKind::Seq(_) => None,
        },
        Indexer::Port => port_key(item),
        Indexer::Volume => match &item.kind {
            ValueKind::Scalar(s) => Some(volume_target(&s.text).to_owned()),
            ValueKind::Map(_) => item.get("target").and_then(Value::as_str).map(str::to_owned),
            ValueKind::Seq(_) => None,
        },
        Indexer::Device => match &item.kind {
            ValueKind::Scalar(s) => {
                let mut parts = s.text.split(':');
                let first = parts.next().unwrap_or_default();
                Some(parts.next().unwrap_or(first).to_owned())
            }
            ValueKind::Map(_) => item.get("target").and_then(Value::as_str).map(str::to_owned),
            ValueKind::Seq(_) => None,
        },
        Indexer::Mount(dir) => match &item.kind {
            ValueKind::Scalar(s) => Some(format!("{dir}/{}", s.text)),
            ValueKind::Map(_) => match item.get("target").and_then(Value::as_str) {
                Some(target) => Some(target.to_owned()),
                None => Some(format!("{dir}/{}", item.get("source").and_then(Value::as_str).unwrap_or_default())),
            },
            ValueKind::Seq(_) => None,
        },
    }
}

/// `host_ip:published:target/protocol` of a port, in the short (`"127.0.0.1:8080:80/udp"`, `80`) or long form.
fn port_key(item: &Value) -> Option<String> {
    let (ip, published, target, protocol) = match &item.kind {
        ValueKind::Scalar(s) => {
            let (spec, protocol) = s.text.rsplit_once('/').unwrap_or((&s.text, "tcp"));
            let (rest, target) = spec.rsplit_once(':').unwrap_or(("", spec));
            let (ip, published) = match rest.rsplit_once(':') {
                Some((ip, published)) => (ip, published),
                None => ("", rest),
            };
            let ip = ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')).unwrap_or(ip);
            (ip.to_owned(), published.to_owned(), target.to_owned(), protocol.to_owned())
        }
        ValueKind::Map(_) => {
            let text = |key: &str| item.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            (text("host_ip"), text("published"), text("target"), text("protocol"))
        }
        ValueKind::Seq(_) => return None,
    };
    let ip = if ip.is_empty() { "0.0.0.0".to_owned() } else { ip };
    let protocol = if protocol.is_empty() { "tcp".to_owned() } else { protocol.to_ascii_lowercase() };
    Some(format!("{ip}:{published}:{target}/{protocol}"))
}

/// The container path of a short-syntax volume (`source:target[:mode]`, or just `target`).
fn volume_target(spec: &str) -> &str {
    let mut parts: Vec<&str> = spec.split(':').collect();
    // A Windows drive letter (`C:\data:/data`) belongs to the source.
    if parts.len() > 2 && parts[0].len() == 1 && parts[1].starts_with(['\\', '/']) {
        parts.remove(0);
    }
    match parts.as_slice() {
        [target] => target,
        [_, target, ..] => target,
        [] => spec,
    }
}

/// A string becomes a one-item sequence; a mapping (`KEY: value`) becomes `KEY=value` items.
fn into_sequence(value: Value) -> Value {
    match value.kind {
        ValueKind::Seq(_) => value,
        ValueKind::Scalar(_) if value.is_null() => Value { kind: ValueKind::Seq(Vec::new()), ..value },
        ValueKind::Scalar(_) => {
            let origin = value.origin.clone();
            Value { kind: ValueKind::Seq(vec![value]), origin, tag: None }
        }
        ValueKind::Map(entries) => {
            let mut items = Vec::with_capacity(entries.len());
            for entry in entries {
                match &entry.value.kind {
                    ValueKind::Seq(values) => {
                        for v in values {
                            let text = format!("{}={}", entry.key, v.as_str().unwrap_or_default());
                            items.push(scalar(text, true, v.origin.clone()));
                        }
                    }
                    _ if entry.value.is_null() => items.push(scalar(entry.key, true, entry.key_origin)),
                    _ => {
                        let text = format!("{}={}", entry.key, entry.value.as_str().unwrap_or_default());
                        items.push(scalar(text, true, entry.value.origin.clone()));
                    }
                }
            }
            Value { kind: ValueKind::Seq(items), origin: value.origin, tag: value.tag }
        }
    }
}

/// `KEY=value` items (or `KEY` alone, which is a null value) read as mapping entries; a mapping as it is.
fn into_key_values(value: Value) -> Value {
    let Value { kind, origin, tag } = value;
    let items = match kind {
        ValueKind::Seq(items) => items,
        kind => return Value { kind, origin, tag },
    };
    let mut entries: Vec<MapEntry> = Vec::with_capacity(items.len());
    for item in items {
        if item.has_tag(RESET_TAG) {
            continue;
        }
        let Some(text) = item.as_str() else { continue };
        let entry = match text.split_once('=') {
            Some((key, value)) => {
                let (key_range, value_range) = split_range(&item, key.len());
                let mut key_origin = item.origin.clone();
                key_origin.place.range = key_range;
                let mut value_origin = item.origin.clone();
                value_origin.place.range = value_range;
                MapEntry { key: key.to_owned(), key_origin, value: scalar(value, true, value_origin) }
            }
            None => {
                let null = scalar("", false, item.origin.clone());
                MapEntry { key: text.to_owned(), key_origin: item.origin.clone(), value: null }
            }
        };
        match entries.iter().position(|e| e.key == entry.key) {
            Some(i) => entries[i] = entry,
            None => entries.push(entry),
        }
    }
    Value { kind: ValueKind::Map(entries), origin, tag }
}

/// The ranges of `KEY` and of `value` in a `KEY=value` scalar whose key is `key_len` bytes long, when the text
/// can be located in the range (a plain scalar, or a quoted one without escapes); the whole range otherwise.
fn split_range(item: &Value, key_len: usize) -> (TextRange, TextRange) {
    let range = item.origin.place.range;
    let Some(text) = item.as_str() else { return (range, range) };
    let text_len = text.len() as u64;
    let range_len = u64::from(range.len());
    let offset = if range_len == text_len {
        0
    } else if range_len == text_len + 2 && item.as_scalar().is_some_and(|s| s.quoted) {
        1
    } else {
        return (range, range);
    };
    let key_len = u32::try_from(key_len).unwrap_or(0);
    let key_start = range.start + offset;
    let key_end = key_start.saturating_add(key_len).min(range.end);
    let value_start = key_end.saturating_add(1).min(range.end);
    let value_end = range.end.saturating_sub(offset).max(value_start);
    (TextRange::new(key_start, key_end), TextRange::new(value_start, value_end))
}

fn merge_key_values(base: Value, over: Value, path: &[&str]) -> Value {
    if over.is_null() {
        return base;
    }
    let base = if base.is_null() { empty_map(base.origin) } else { into_key_values(base) };
    let over = into_key_values(over);
    merge_mappings(base, over, path)
}

fn merge_extra_hosts(base: Value, over: Value) -> Value {
    if over.is_null() {
        return base;
    }
    let base = into_sequence(base);
    let over = into_sequence(over);
    let Value { kind, origin, tag } = base;
    let (mut items, over_items) = match (kind, over.kind) {
        (ValueKind::Seq(b), ValueKind::Seq(o)) => (b, o),
        (kind, over_kind) => {
            let over = Value { kind: over_kind, origin: over.origin, tag: over.tag };
            return normalize(over).unwrap_or(Value { kind, origin, tag });
        }
    };
    let known: Vec<Option<String>> = items.iter().map(|v| v.as_str().map(str::to_owned)).collect();
    for item in over_items {
        if item.has_tag(RESET_TAG) {
            continue;
        }
        let text = item.as_str().map(str::to_owned);
        if text.is_none() || !known.contains(&text) {
            items.push(item);
        }
    }
    Value { kind: ValueKind::Seq(items), origin, tag }
}

/// `build: dir` read as `build: {context: dir}`.
fn string_into_map(value: Value, key: &str) -> Value {
    match &value.kind {
        ValueKind::Scalar(_) if value.is_null() => empty_map(value.origin),
        ValueKind::Scalar(_) => {
            let origin = value.origin.clone();
            let entry = MapEntry { key: key.to_owned(), key_origin: origin.clone(), value };
            Value { kind: ValueKind::Map(vec![entry]), origin, tag: None }
        }
        _ => value,
    }
}

/// A list of names read as a mapping from each name to null, or to what `item_value` makes of the item.
fn names_into_map(value: Value, item_value: Option<fn(&Value) -> Value>) -> Value {
    let Value { kind, origin, tag } = value;
    match kind {
        ValueKind::Seq(items) => {
            let mut entries: Vec<MapEntry> = Vec::with_capacity(items.len());
            for item in items {
                let Some(name) = item.as_str() else { continue };
                if entries.iter().any(|e| e.key == name) {
                    continue;
                }
                let value = match item_value {
                    Some(make) => make(&item),
                    None => scalar("", false, item.origin.clone()),
                };
                entries.push(MapEntry { key: name.to_owned(), key_origin: item.origin.clone(), value });
            }
            Value { kind: ValueKind::Map(entries), origin, tag }
        }
        ValueKind::Scalar(_) => {
            let value = Value { kind, origin, tag };
            if value.is_null() { empty_map(value.origin) } else { value }
        }
        kind => Value { kind, origin, tag },
    }
}

/// A `depends_on` list item as compose-go reads it: `{condition: service_started, required: true}`, each value
/// at the item.
fn dependency_started(item: &Value) -> Value {
    let entry = |key: &str, text: &str| MapEntry {
        key: key.to_owned(),
        key_origin: item.origin.clone(),
        value: scalar(text, false, item.origin.clone()),
    };
    let entries = vec![entry("condition", "service_started"), entry("required", "true")];
    Value { kind: ValueKind::Map(entries), origin: item.origin.clone(), tag: None }
}

/// `networks.*.ipam.config`: entries are matched by `subnet`, as compose-go does it: for each base entry and each
/// override entry, an override with another subnet is added (once), one with the same subnet is merged into the
/// base entry.
fn merge_ipam_config(base: Value, over: Value, path: &[&str]) -> Value {
    if over.is_null() {
        return base;
    }
    let Value { kind, origin, tag } = base;
    let (configs, overrides) = match (kind, over.kind) {
        (ValueKind::Seq(b), ValueKind::Seq(o)) => (b, o),
        (kind, over_kind) => {
            let over = Value { kind: over_kind, origin: over.origin, tag: over.tag };
            return normalize_at(over, path).unwrap_or(Value { kind, origin, tag });
        }
    };
    let subnet = |v: &Value| v.get("subnet").and_then(Value::as_str).map(str::to_owned);
    let mut out: Vec<Value> = Vec::new();
    for original in &configs {
        for override_item in &overrides {
            let over_subnet = subnet(override_item);
            if over_subnet != subnet(original) {
                if !out.iter().any(|v| subnet(v) == over_subnet) {
                    out.extend(normalize_at(override_item.clone(), path));
                }
                continue;
            }
            let merged = merge_plain(original.clone(), override_item.clone(), path);
            match out.iter().position(|v| subnet(v) == subnet(&merged)) {
                Some(i) => out[i] = merged,
                None => out.push(merged),
            }
        }
    }
    Value { kind: ValueKind::Seq(out), origin, tag }
}

#[cfg(test)]
mod tests;
