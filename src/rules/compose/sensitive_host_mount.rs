//! PLC304 sensitive-host-mount: a bind mount of a host system path (`/`, `/etc`, `/proc`, `/var/lib/docker` …).

use super::host_paths::{field_origin, is_under, normalise, volume_device, written_plain};
use crate::Severity;
use crate::compose::model::Mount;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::dockerfile::runtime_socket_volume::runtime_socket;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC304",
        name: "sensitive-host-mount",
        summary: "A service bind-mounts a sensitive host path (`/`, `/etc`, `/proc`, `/var/lib/docker` …)",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::Sometimes,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.6"],
            compose_lint: &["CL-0013", "CL-0025"],
            kics: &["Volume Has Sensitive Host Directory"],
        },
        page: include_str!("../../../lints/PLC304-sensitive-host-mount.md"),
    },
    check: Check::Compose(check),
};

/// Paths that hold the runtime socket somewhere below: even read-only, the socket answers.
const HOLD_THE_SOCKET: &[&str] = &["/", "/run", "/var"];

/// Folders holding root-equivalent trees, root-equivalent themselves but not everything under them (`/usr/share`
/// is data).
const ROOT_EQUIVALENT_FOLDERS: &[&str] = &["/usr", "/usr/local"];

/// Trees whose writing is root on the host: system configuration, binaries and libraries run by root, kernel
/// interfaces, devices, and the runtimes' state.
const ROOT_EQUIVALENT: &[&str] = &[
    "/etc",
    "/root",
    "/boot",
    "/dev",
    "/proc",
    "/sys",
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/usr/lib32",
    "/usr/lib64",
    "/usr/libexec",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/usr/local/lib",
    "/lib",
    "/lib32",
    "/lib64",
    "/bin",
    "/sbin",
    "/opt/containerd",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/kubelet",
    "/var/spool/cron",
];

/// Files commonly mounted read-only that disclose nothing secret; writable, the container can change them for
/// the host, but that is no way to root.
const HARMLESS_FILES: &[&str] = &[
    "/etc/localtime",
    "/etc/timezone",
    "/etc/hosts",
    "/etc/hostname",
    "/etc/resolv.conf",
    "/etc/machine-id",
    "/etc/os-release",
    "/usr/share/zoneinfo",
];

/// Folders commonly mounted read-only that disclose nothing secret, but whose writing is root on the host (a CA
/// the host trusts, a kernel module it loads).
const PUBLIC_READ_ONLY: &[&str] = &[
    "/etc/ssl/certs",
    "/etc/ca-certificates",
    "/etc/pki/ca-trust",
    "/usr/share/ca-certificates",
    "/usr/local/share/ca-certificates",
    "/lib/modules",
];

/// Credential folders in a home directory.
const CREDENTIALS: &[&str] = &[".ssh", ".aws", ".kube", ".docker", ".gnupg", ".config/gcloud", ".azure"];

/// How bad a mount of `path` is, and why; `None` when it is not sensitive.
fn classify(path: &str, read_only: bool) -> Option<(Severity, &'static str)> {
    if runtime_socket(path) {
        return None; // PLC303's
    }
    if HOLD_THE_SOCKET.contains(&path) {
        return Some((Severity::Error, "it holds the runtime socket, which answers even through a read-only mount"));
    }
    if HARMLESS_FILES.iter().any(|h| is_under(path, h)) {
        return (!read_only).then_some((Severity::Warning, "the container can change it for the host"));
    }
    if read_only && PUBLIC_READ_ONLY.iter().any(|h| is_under(path, h)) {
        return None;
    }
    if ROOT_EQUIVALENT_FOLDERS.contains(&path) || ROOT_EQUIVALENT.iter().any(|t| is_under(path, t)) {
        return Some(if read_only {
            (Severity::Warning, "it discloses host secrets and configuration")
        } else {
            (Severity::Error, "writing there is root on the host")
        });
    }
    if is_under(path, "/usr") {
        return (!read_only).then_some((Severity::Warning, "the container can change the host's system files"));
    }
    if is_under(path, "/run") {
        return Some((Severity::Warning, "it holds the host's service sockets"));
    }
    if path == "/var/log" {
        return (!read_only).then_some((Severity::Warning, "the container can rewrite the host's logs"));
    }
    let home = path.strip_prefix("~").or_else(|| {
        let rest = path.strip_prefix("/home")?;
        Some(rest.strip_prefix('/').map_or("", |r| r.find('/').map_or("", |i| &r[i..])))
    });
    match home {
        Some("") => Some((Severity::Warning, "it is a home directory, with its keys and credentials")),
        Some(rest) if CREDENTIALS.iter().any(|c| is_under(rest.trim_start_matches('/'), c)) => {
            Some((Severity::Warning, "it holds credentials"))
        }
        _ => None,
    }
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for mount in &service.volumes {
            let ro = mount.value.read_only;
            let Some((source, device, severity, why)) = sensitive_mount(ctx, &mount.value, ro) else { continue };
            let at = field_origin(service, "volumes", &mount.origin, "source");
            let how = if ro { "read-only" } else { "writable" };
            let message = format!("service `{name}` mounts the host's `{source}` {how}: {why}");
            let (file, mut d) = ctx.finding(&RULE.meta, &at, message);
            d.severity = severity;
            if let Some(device) = device {
                d.labels.push(ctx.label(file, device.use_place(), "the named volume binds the host path here"));
            }
            let help = if ro {
                "mount only the file or folder the service needs, or give it the data another way (a volume, a config)"
            } else {
                "mount only what the service needs, and add `:ro` (long syntax: `read_only: true`)"
            };
            d = d.with_help(help);
            if !ro && let Some(short) = mount.value.short.as_deref() {
                d.fix = read_only_fix(ctx, &mount.origin, short);
            }
            out.push((file, d));
        }
    }
}

/// A mount of a sensitive host path, when it is mounted read-only or not: the host path as written (a bind's
/// source, or the device of the bind-type named volume it uses, with the device's origin), how bad it is and
/// why. Also read by PLC315 for the mounts `volumes_from` hands over.
pub(super) fn sensitive_mount(
    ctx: &ComposeContext<'_>,
    mount: &Mount,
    read_only: bool,
) -> Option<(String, Option<crate::compose::tree::Origin>, Severity, &'static str)> {
    let (source, device) = host_source(ctx, mount)?;
    let (severity, why) = classify(&normalise(&source)?, read_only)?;
    Some((source, device, severity, why))
}

/// The host path of a mount: a bind's source, or the `device` of the bind-type named volume it uses (with
/// the device's origin).
fn host_source(ctx: &ComposeContext<'_>, mount: &Mount) -> Option<(String, Option<crate::compose::tree::Origin>)> {
    match mount.kind.as_str() {
        "bind" => Some((mount.source.clone()?, None)),
        "volume" => volume_device(ctx, mount).and_then(|d| Some((d.as_str()?.to_owned(), Some(d.origin.clone())))),
        _ => None,
    }
}

/// Adds `:ro` to a short-syntax item written in place, or turns its `:rw` into `:ro`. Unsafe: the service may
/// write there.
fn read_only_fix(ctx: &ComposeContext<'_>, origin: &crate::compose::tree::Origin, short: &str) -> Option<Fix> {
    if !written_plain(ctx, origin, short) {
        return None;
    }
    let range = origin.place.range;
    let colons = short.matches(':').count();
    let (edit_range, replacement) = match short.strip_suffix(":rw") {
        Some(_) if colons == 2 => (TextRange::new(range.end - 2, range.end), "ro"),
        _ if colons == 1 => (TextRange::new(range.end, range.end), ":ro"),
        _ => return None,
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: "mount it read-only".into(),
        edits: vec![Edit { range: edit_range, replacement: replacement.into() }],
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::rules::compose::host_paths::apply_unsafe_fix;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    fn service(volume: &str) -> String {
        format!("services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - {volume}\n")
    }

    #[test]
    fn cases() {
        let pass: Vec<String> = [
            "./data:/data",
            "/srv/app:/app",
            "/home/alice/project/src:/src",
            "/etcd:/etcd",
            "/etc/localtime:/etc/localtime:ro",
            "/etc/timezone:/etc/timezone:ro",
            "/var/log:/var/log:ro",
            "/var/run/docker.sock:/var/run/docker.sock",
            "/lib/modules:/lib/modules:ro",
            "/usr/share/doc:/doc:ro",
            "${ROOT}:/host",
            "data:/data",
        ]
        .iter()
        .map(|v| service(v))
        .collect();
        let fail: Vec<String> = [
            "/:/host",
            "/:/rootfs:ro",
            "/etc:/host/etc",
            "/etc/shadow:/shadow:ro",
            "/root/.ssh:/root/.ssh",
            "/proc:/host/proc:ro",
            "/sys:/sys",
            "/dev:/dev",
            "/var/lib/docker:/var/lib/docker:ro",
            "/var/run:/var/run",
            "//etc//:/x",
            "/home:/home",
            "/home/alice:/data",
            "~/.ssh:/root/.ssh:ro",
            "~:/home/me",
            "/etc/localtime:/etc/localtime",
            "/var/log:/var/log",
            "/run/dbus/system_bus_socket:/run/dbus/system_bus_socket",
            "/lib/modules:/lib/modules",
            "/usr/src:/usr/src",
            "/usr:/host/usr:ro",
        ]
        .iter()
        .map(|v| service(v))
        .collect();
        let pass: Vec<&str> = pass.iter().map(String::as_str).collect();
        let fail: Vec<&str> = fail.iter().map(String::as_str).collect();
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn severity_is_error_when_writable_and_warning_when_read_only() {
        let text = "services:\n  agent:\n    image: grafana/alloy:v1.5.0\n    volumes:\n      - /etc:/host/etc\n      - /proc:/host/proc:ro\n      - /:/rootfs:ro\n      - type: bind\n        source: /sys\n        target: /host/sys\n        read_only: true\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let got: Vec<(&str, Severity)> = found.iter().map(|(_, d)| (&text[d.range.as_usize()], d.severity)).collect();
        assert_eq!(
            got,
            [
                ("/etc:/host/etc", Severity::Error),
                ("/proc:/host/proc:ro", Severity::Warning),
                ("/:/rootfs:ro", Severity::Error),
                ("/sys", Severity::Warning),
            ]
        );
        assert_eq!(
            found[0].1.message,
            "service `agent` mounts the host's `/etc` writable: writing there is root on the host"
        );
    }

    #[test]
    fn the_fix_adds_ro_and_is_unsafe() {
        for (before, after) in [("/etc:/host/etc", "/etc:/host/etc:ro"), ("/etc:/host/etc:rw", "/etc:/host/etc:ro")] {
            let text = service(before);
            let found = run_compose(&RULE, &[("/p/compose.yaml", &text)]);
            assert_eq!(apply_unsafe_fix(&text, &found[0].1), service(after));
        }
    }

    #[test]
    fn through_extends_the_finding_is_at_extends_with_a_label_in_the_other_file_and_no_fix() {
        let base = "services:\n  base:\n    image: nginx:1.27\n    volumes:\n      - /etc:/host/etc\n";
        let text = "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "extends");
        let at = d.labels[0].elsewhere.as_ref().expect("a label in base.yaml");
        assert_eq!((at.start.line, at.start.column), (5, 9));
        assert!(d.fix.is_none());
    }
}
