//! PLC304 sensitive-host-mount: a bind mount of a host system path (`/`, `/etc`, `/proc`, `/var/lib/docker` …).

use super::host_paths::{is_under, normalise, source_origin, volume_device, written_plain};
use super::runtime_socket_mount::is_runtime_socket;
use crate::Severity;
use crate::compose::model::Mount;
use crate::diagnostic::{Applicability, Edit, Fix};
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

/// Files commonly mounted read-only that disclose nothing secret (the login records in `utmp` included); writable, the container can change them for
/// the host, but that is no way to root.
const HARMLESS_FILES: &[&str] = &[
    "/run/utmp",
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

/// What kind of thing a sensitive host path is, which decides the help: a tree of files (mount less, or
/// read-only), a socket or a folder of sockets (read-only does not stop a process from connecting), or a device
/// (it belongs under `devices:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Files,
    Sockets,
    Device,
}

/// Device folders that are not devices: shared memory and message queues are file systems, `/dev/pts` the
/// terminals.
const NOT_DEVICES: &[&str] = &["/dev/shm", "/dev/mqueue", "/dev/hugepages", "/dev/pts"];

/// Folders of the host's service sockets under `/run`.
const SOCKET_FOLDERS: &[&str] =
    &["/run/dbus", "/run/systemd", "/run/avahi-daemon", "/run/cups", "/run/libvirt", "/run/lvm", "/run/snapd"];

/// Whether a path names a socket (`/run/dbus/system_bus_socket`, `/run/php/php-fpm.sock`, `/dev/log`) or a
/// folder of them.
fn is_socket(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    path == "/dev/log"
        || last == "socket"
        || [".sock", ".socket", "_socket", "-socket"].iter().any(|s| last.ends_with(s))
        || SOCKET_FOLDERS.iter().any(|f| is_under(path, f))
}

/// How bad a mount of `path` is, why, and what kind of thing it is; `None` when it is not sensitive.
fn classify(path: &str, read_only: bool) -> Option<(Severity, &'static str, Kind)> {
    use Kind::*;
    if is_runtime_socket(path) {
        return None; // PLC303's
    }
    if HOLD_THE_SOCKET.contains(&path) {
        return Some((
            Severity::Error,
            "it holds the runtime socket, which answers even through a read-only mount",
            Sockets,
        ));
    }
    if HARMLESS_FILES.iter().any(|h| is_under(path, h)) {
        return (!read_only).then_some((Severity::Warning, "the container can change it for the host", Files));
    }
    if read_only && PUBLIC_READ_ONLY.iter().any(|h| is_under(path, h)) {
        return None;
    }
    if is_socket(path) {
        return Some((
            Severity::Warning,
            "it is a socket of a host service, which answers whoever connects, even through a read-only mount",
            Sockets,
        ));
    }
    if let Some(device) = path.strip_prefix("/dev/") {
        if NOT_DEVICES.iter().any(|d| is_under(path, d)) {
            return Some((
                Severity::Warning,
                "it is the host's shared memory, where host programs keep their data",
                Files,
            ));
        }
        let first = device.split('/').next().unwrap_or(device);
        return Some(if GPU_DEVICES.iter().any(|g| first.starts_with(g)) {
            (Severity::Info, "a GPU belongs under `devices:`, which also lets the container open it", Device)
        } else {
            (
                Severity::Warning,
                "a device belongs under `devices:`, where it is reviewed, and which also lets the container open it",
                Device,
            )
        });
    }
    if ROOT_EQUIVALENT_FOLDERS.contains(&path) || ROOT_EQUIVALENT.iter().any(|t| is_under(path, t)) {
        return Some(if read_only {
            (Severity::Warning, "it discloses host secrets and configuration", Files)
        } else {
            (Severity::Error, "writing there is root on the host", Files)
        });
    }
    if is_under(path, "/usr") {
        return (!read_only).then_some((Severity::Warning, "the container can change the host's system files", Files));
    }
    if is_under(path, "/run") {
        return Some((Severity::Warning, "it may hold the host's service sockets", Sockets));
    }
    if path == "/var/log" {
        return (!read_only).then_some((Severity::Warning, "the container can rewrite the host's logs", Files));
    }
    let home = path.strip_prefix("~").or_else(|| {
        let rest = path.strip_prefix("/home")?;
        Some(rest.strip_prefix('/').map_or("", |r| r.find('/').map_or("", |i| &r[i..])))
    });
    match home {
        Some("") => Some((Severity::Warning, "it is a home directory, with its keys and credentials", Files)),
        Some(rest) if CREDENTIALS.iter().any(|c| is_under(rest.trim_start_matches('/'), c)) => {
            Some((Severity::Warning, "it holds credentials", Files))
        }
        _ => None,
    }
}

/// GPU device names (`/dev/dri`, `/dev/nvidia0`, `/dev/kfd`), which media servers and ML services need.
const GPU_DEVICES: &[&str] = &["dri", "nvidia", "kfd"];

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for mount in &service.volumes {
            let ro = mount.value.read_only;
            let Some(SensitiveMount { source, device, path, severity, why, kind }) =
                sensitive_mount(ctx, &mount.value, ro)
            else {
                continue;
            };
            let at = source_origin(service, "volumes", &mount.origin, mount.value.source.as_deref());
            let how = if ro { "read-only" } else { "writable" };
            let message = match kind {
                Kind::Device => format!("service `{name}` mounts the host's device `{source}`: {why}"),
                _ => format!("service `{name}` mounts the host's `{source}` {how}: {why}"),
            };
            let (file, mut d) = ctx.finding(&RULE.meta, &at, message);
            d.severity = severity;
            if let Some(device) = device {
                d.labels.push(ctx.label(file, device.use_place(), "the named volume binds the host path here"));
                ctx.when_unset(file, &device, &mut d);
            }
            // `:ro` is suggested, and added by the fix, only where a read-only mount is no finding at all.
            let read_only_clears = !ro && classify(&path, true).is_none();
            let help = match kind {
                Kind::Device => "pass the device with `devices:` (`- /dev/dri:/dev/dri`) instead of a bind mount",
                Kind::Sockets => {
                    "mount only the folder or socket the service needs, if any: `:ro` does not stop a process from \
                     connecting to a socket"
                }
                Kind::Files if read_only_clears && only_read(&path) => {
                    "mount it read-only: add `:ro` (long syntax: `read_only: true`)"
                }
                Kind::Files if read_only_clears => {
                    "if the service only reads it, add `:ro`; if it keeps its data there, keep that data out of the \
                     host's system folders (`/srv/<app>`, a named volume)"
                }
                Kind::Files if ro => {
                    "mount only the file or folder the service needs, or give it the data another way (a volume, a \
                     config)"
                }
                Kind::Files => {
                    "mount only the file or folder the service needs, read-only, or give it the data another way (a \
                     volume, a config)"
                }
            };
            d = d.with_help(help);
            if read_only_clears
                && only_read(&path)
                && let Some(short) = mount.value.short.as_deref()
            {
                d.fix = read_only_fix(ctx, &mount.origin, short);
            }
            out.push((file, d));
        }
    }
}

/// A mount of a sensitive host path: the host path as written (a bind's source, or the device of the bind-type
/// named volume it uses, with the device's origin), the path normalised, how bad it is, why, and what kind of
/// path it is.
pub(super) struct SensitiveMount {
    pub source: String,
    pub device: Option<crate::compose::tree::Origin>,
    pub path: String,
    pub severity: Severity,
    pub why: &'static str,
    pub kind: Kind,
}

/// The sensitive host path a mount binds, mounted read-only or not. Also read by PLC315 for the mounts
/// `volumes_from` hands over.
pub(super) fn sensitive_mount(ctx: &ComposeContext<'_>, mount: &Mount, read_only: bool) -> Option<SensitiveMount> {
    let (source, device) = host_source(ctx, mount)?;
    let path = normalise(&source)?;
    let (severity, why, kind) = classify(&path, read_only)?;
    Some(SensitiveMount { source, device, path, severity, why, kind })
}

/// Paths services read and, in practice, never write (the time zone, host files, CA bundles, kernel modules,
/// the logs a shipper reads): mounted read-only they keep working. A writable folder elsewhere under `/usr` is
/// more likely an application's data kept in an odd place, which `:ro` would break.
fn only_read(path: &str) -> bool {
    HARMLESS_FILES.iter().chain(PUBLIC_READ_ONLY).any(|h| is_under(path, h)) || path == "/var/log"
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

/// Adds `:ro` to a short-syntax item written in place, or turns its `:rw` into `:ro`; offered only where a
/// read-only mount of the path is no finding. Unsafe: the service may write there.
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
            "/var/run/utmp:/var/run/utmp:ro",
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
            "/dev/dri:/dev/dri",
            "/dev/bus/usb:/dev/bus/usb",
            "/run/php/php-fpm.sock:/sock/php-fpm.sock",
            "/var/run/utmp:/var/run/utmp",
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
    fn the_fix_adds_ro_only_where_read_only_is_no_finding() {
        for (before, after) in [
            ("/etc/localtime:/etc/localtime", "/etc/localtime:/etc/localtime:ro"),
            ("/lib/modules:/lib/modules:rw", "/lib/modules:/lib/modules:ro"),
            ("/var/run/utmp:/var/run/utmp", "/var/run/utmp:/var/run/utmp:ro"),
        ] {
            let text = service(before);
            let found = run_compose(&RULE, &[("/p/compose.yaml", &text)]);
            assert_eq!(apply_unsafe_fix(&text, &found[0].1), service(after));
            assert!(found[0].1.help.as_deref().is_some_and(|h| h.contains(":ro")));
            assert!(run_compose(&RULE, &[("/p/compose.yaml", &service(after))]).is_empty(), "{after}");
        }
        // Read-only, these are still findings: `:ro` would fix nothing, so it is neither offered nor suggested
        // where read-only does not help at all (the runtime socket below `/`, a socket).
        for (volume, suggests_ro) in [
            ("/:/host", false),
            ("/etc:/host/etc", true),
            ("/run/dbus/system_bus_socket:/run/dbus/system_bus_socket", false),
            ("/run/udev:/run/udev", false),
            ("/dev/dri:/dev/dri", false),
            ("/home/alice:/data", true),
        ] {
            let found = run_compose(&RULE, &[("/p/compose.yaml", &service(volume))]);
            let d = &found[0].1;
            assert!(d.fix.is_none(), "{volume}");
            let help = d.help.as_deref().unwrap_or_default();
            assert_eq!(help.contains("read-only") && !help.contains("`:ro` does not"), suggests_ro, "{volume}: {help}");
            assert!(!help.contains("add `:ro`"), "{volume}: {help}");
        }
        // Read-only is no finding, but a writable folder under `/usr` is likely an application's data: no fix.
        let found = run_compose(&RULE, &[("/p/compose.yaml", &service("/usr/share/appdata/wireguard:/config"))]);
        assert!(found[0].1.fix.is_none());
        assert!(found[0].1.help.as_deref().is_some_and(|h| h.starts_with("if the service only reads it, add `:ro`")));
    }

    #[test]
    fn a_device_is_not_root_and_belongs_under_devices() {
        let text = "services:\n  jellyfin:\n    image: jellyfin/jellyfin:10.10.3\n    volumes:\n      - /dev/dri:/dev/dri\n      - /dev/ttyUSB0:/dev/ttyUSB0\n      - /dev/shm:/dev/shm\n      - /dev/log:/dev/log\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let got: Vec<(&str, Severity, &str)> =
            found.iter().map(|(_, d)| (&text[d.range.as_usize()], d.severity, d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    "/dev/dri:/dev/dri",
                    Severity::Info,
                    "service `jellyfin` mounts the host's device `/dev/dri`: a GPU belongs under `devices:`, which \
                     also lets the container open it"
                ),
                (
                    "/dev/ttyUSB0:/dev/ttyUSB0",
                    Severity::Warning,
                    "service `jellyfin` mounts the host's device `/dev/ttyUSB0`: a device belongs under `devices:`, \
                     where it is reviewed, and which also lets the container open it"
                ),
                (
                    "/dev/shm:/dev/shm",
                    Severity::Warning,
                    "service `jellyfin` mounts the host's `/dev/shm` writable: it is the host's shared memory, where \
                     host programs keep their data"
                ),
                (
                    "/dev/log:/dev/log",
                    Severity::Warning,
                    "service `jellyfin` mounts the host's `/dev/log` writable: it is a socket of a host service, \
                     which answers whoever connects, even through a read-only mount"
                ),
            ]
        );
        assert!(found[0].1.help.as_deref().is_some_and(|h| h.contains("`devices:`")));
    }

    #[test]
    fn utmp_is_login_records_not_a_socket() {
        assert!(run_compose(&RULE, &[("/p/compose.yaml", &service("/var/run/utmp:/var/run/utmp:ro"))]).is_empty());
        let found = run_compose(&RULE, &[("/p/compose.yaml", &service("/var/run/utmp:/var/run/utmp"))]);
        assert_eq!(
            found[0].1.message,
            "service `web` mounts the host's `/var/run/utmp` writable: the container can change it for the host"
        );
        assert_eq!(found[0].1.severity, Severity::Warning);
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
