//! Host paths of bind mounts and devices, normalised so that rules compare them on path-segment boundaries,
//! and the places of a long-syntax item's fields (for spans on the exact value at fault).

use crate::compose::model::{Mount, Service};
use crate::compose::tree::{Origin, Value, Via};
use crate::rules::ComposeContext;

/// A bind source or device path as the host sees it, for comparison: `//`, `.` and `..` segments and a trailing
/// `/` removed, `/var/run` read as `/run` (it is a symlink to it on every current distribution), and `~` kept as
/// the first segment (the home of whoever runs Compose). `None` for a path relative to the project (`./data`),
/// a Windows path, or one still holding an unset variable: nothing can be said about those.
pub(super) fn normalise(path: &str) -> Option<String> {
    let (root, rest) = if let Some(rest) = path.strip_prefix('/') {
        ("", rest)
    } else if path == "~" || path.starts_with("~/") {
        ("~", &path[1..])
    } else {
        return None;
    };
    if path.contains('$') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    if root.is_empty() && parts.starts_with(&["var", "run"]) {
        parts.remove(0);
    }
    if parts.is_empty() {
        return Some(if root.is_empty() { "/" } else { "~" }.to_owned());
    }
    Some(format!("{root}/{}", parts.join("/")))
}

/// Whether `path` is `tree` or inside it, on a segment boundary (`/etc/ssl` is under `/etc`, `/etcd` is not).
pub(super) fn is_under(path: &str, tree: &str) -> bool {
    path == tree || tree == "/" || path.strip_prefix(tree).is_some_and(|rest| rest.starts_with('/'))
}

/// The origin of field `key` of the long-syntax item of list `list` whose origin is `item` (the `source` of a
/// volume, `bind.propagation` as `"bind.propagation"`), or the item's own origin when it is written in the
/// short syntax or the field cannot be found.
pub(super) fn field_origin(service: &Service, list: &str, item: &Origin, key: &str) -> Origin {
    let found = service
        .raw
        .as_ref()
        .and_then(|raw| raw.get(list))
        .and_then(Value::as_seq)
        .and_then(|items| items.iter().find(|v| &v.origin == item))
        .and_then(|v| key.split('.').try_fold(v, |at, k| at.get(k)));
    match found {
        Some(v) => v.origin.clone(),
        // An option written in the short syntax (`:rshared`) is known whatever the variables of the paths hold.
        None if key != "source" => {
            let mut origin = item.clone();
            origin.via.retain(|v| !matches!(v, Via::Unset { .. }));
            origin
        }
        None => item.clone(),
    }
}

/// The origin of the host path (`source`) of a mount or device: the long syntax's `source` field, or the short
/// syntax item with only the unset variables of its first field (`${ROOT}/:/host:${MODE}` → `ROOT`), so that a
/// finding about the host path says "when `ROOT` is unset" and not "when `MODE` is unset".
pub(super) fn source_origin(service: &Service, list: &str, item: &Origin, source: Option<&str>) -> Origin {
    let origin = field_origin(service, list, item, "source");
    if &origin != item {
        return origin;
    }
    origin.unset_only_in(0..=source.map_or(0, str::len))
}

/// The `driver_opts.device` of the top-level volume a mount uses, when that volume is a bind (`o: bind`).
pub(super) fn volume_device<'a>(ctx: &'a ComposeContext<'_>, mount: &Mount) -> Option<&'a Value> {
    let name = mount.source.as_deref()?;
    let volume = ctx.model.volumes.iter().find(|v| v.key.value == name)?;
    let opts = volume.raw.get("driver_opts")?;
    let bind = opts.get("o").and_then(Value::as_str).is_some_and(|o| o.split(',').any(|o| o == "bind" || o == "rbind"));
    bind.then(|| opts.get("device")).flatten()
}

/// Whether `origin` is text written in place (no anchor, merge key, `extends`, `include` or interpolation
/// brought it) and reads exactly `value` (a plain scalar): only then may a fix edit it.
pub(super) fn written_plain(ctx: &ComposeContext<'_>, origin: &Origin, value: &str) -> bool {
    origin.via.is_empty()
        && ctx.project.file(origin.place.file).is_some_and(|f| f.text.get(origin.place.range.as_usize()) == Some(value))
}

/// The text with a finding's fix applied, checking that the fix is unsafe (every fix of these rules is).
#[cfg(test)]
pub(super) fn apply_unsafe_fix(text: &str, d: &crate::diagnostic::Diagnostic) -> String {
    let fix = d.fix.as_ref().expect("a fix");
    assert_eq!(fix.applicability, crate::diagnostic::Applicability::Unsafe);
    crate::rules::testing::fixed(text, d)
}

#[cfg(test)]
mod tests {
    use super::{is_under, normalise};

    #[test]
    fn normalises_spellings() {
        assert_eq!(normalise("/var/run/docker.sock").as_deref(), Some("/run/docker.sock"));
        assert_eq!(normalise("//var//run/./docker.sock/").as_deref(), Some("/run/docker.sock"));
        assert_eq!(normalise("/").as_deref(), Some("/"));
        assert_eq!(normalise("/etc/../root/").as_deref(), Some("/root"));
        assert_eq!(normalise("~/.ssh").as_deref(), Some("~/.ssh"));
        assert_eq!(normalise("~").as_deref(), Some("~"));
        assert_eq!(normalise("./data"), None);
        assert_eq!(normalise("C:\\data"), None);
        assert_eq!(normalise("/run/user/${UID}/docker.sock"), None);
    }

    #[test]
    fn compares_on_segment_boundaries() {
        assert!(is_under("/etc/ssl", "/etc"));
        assert!(is_under("/etc", "/etc"));
        assert!(!is_under("/etcd", "/etc"));
        assert!(is_under("/anything", "/"));
    }
}
