//! PLC309 host-device: host devices passed to a service (`devices:`, `device_cgroup_rules`), worst for the
//! host's memory, I/O ports and raw disks.

use super::host_paths::{normalise, source_origin};
use crate::Severity;
use crate::compose::tree::Value;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC309",
        name: "host-device",
        summary: "A service gets a host device; the host's memory, I/O ports or a raw disk are root on the host",
        severity: Severity::Warning,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.18"],
            compose_lint: &["CL-0016"],
            kics: &[],
        },
        page: include_str!("../../../lints/PLC309-host-device.md"),
    },
    check: Check::Compose(check),
};

/// Disk device names: `/dev/sda`, `/dev/nvme0n1p2`, `/dev/mapper/root` …
const DISK_PREFIXES: &[&str] = &["sd", "hd", "vd", "xvd", "nvme", "mmcblk", "dm-", "md", "loop"];

/// GPUs: passing them is what `devices:` is for in practice, and they give no host root.
const GPU_PREFIXES: &[&str] = &["nvidia", "dri", "kfd"];

/// How bad a device is, and why; `None` for a GPU.
fn classify(path: &str) -> Option<(Severity, &'static str)> {
    let Some(name) = path.strip_prefix("/dev/") else {
        return Some(if path == "/dev" {
            (Severity::Error, "that is every device of the host, its disks and memory included")
        } else {
            (Severity::Warning, "a host device weakens the container's isolation")
        });
    };
    let first = name.split('/').next().unwrap_or(name);
    if matches!(name, "mem" | "kmem" | "port") {
        Some((Severity::Error, "it reads and writes the host's memory or I/O ports: root on the host"))
    } else if matches!(first, "mapper" | "disk") || DISK_PREFIXES.iter().any(|p| first.starts_with(p)) {
        Some((Severity::Error, "a raw disk lets it read and change every file of the host"))
    } else if GPU_PREFIXES.iter().any(|p| first.starts_with(p)) {
        None
    } else {
        Some((Severity::Warning, "a host device weakens the container's isolation"))
    }
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for device in &service.devices {
            let source = &device.value.source;
            let Some((severity, why)) = normalise(source).as_deref().and_then(classify) else { continue };
            let at = source_origin(service, "devices", &device.origin, Some(source));
            let (file, mut d) =
                ctx.finding(&RULE.meta, &at, format!("service `{name}` gets the host device `{source}`: {why}"));
            d.severity = severity;
            out.push((
                file,
                d.with_help("remove the device, or pass the one device node the service needs, read-only (`:r`)"),
            ));
        }
        let rules = service.raw.as_ref().and_then(|r| r.get("device_cgroup_rules")).and_then(Value::as_seq);
        for rule in rules.unwrap_or_default() {
            let Some(text) = rule.as_str() else { continue };
            let mut words = text.split_whitespace();
            let (kind, major) = (words.next(), words.next().and_then(|n| n.split(':').next()));
            let what = match (kind, major) {
                (Some("a"), _) => "every device",
                (Some("b"), Some("*")) => "every block device (every disk)",
                _ => continue,
            };
            let message = format!("service `{name}` may create and open {what} of the host (`{text}`)");
            let (file, mut d) = ctx.finding(&RULE.meta, &rule.origin, message);
            d.severity = Severity::Error;
            out.push((
                file,
                d.with_help("allow only the device type and major number the service needs (`c 189:* rmw`)"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  ml:\n    image: pytorch/pytorch:2.5.1\n    devices:\n      - /dev/nvidia0:/dev/nvidia0\n      - /dev/dri:/dev/dri\n",
            "services:\n  web:\n    image: nginx:1.27\n    devices:\n      - ${DEVICE}:/dev/x\n",
            "services:\n  web:\n    image: nginx:1.27\n    device_cgroup_rules:\n      - 'c 189:* rmw'\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    devices:\n      - /dev/mem:/dev/mem\n",
            "services:\n  web:\n    image: nginx:1.27\n    devices:\n      - /dev/sda\n",
            "services:\n  web:\n    image: nginx:1.27\n    devices:\n      - /dev/nvme0n1:/dev/disk0:r\n",
            "services:\n  web:\n    image: nginx:1.27\n    devices:\n      - /dev/mapper/root:/dev/root\n",
            "services:\n  web:\n    image: nginx:1.27\n    devices:\n      - /dev/ttyUSB0:/dev/ttyUSB0\n",
            "services:\n  web:\n    image: nginx:1.27\n    devices:\n      - /dev/net/tun\n",
            "services:\n  web:\n    image: nginx:1.27\n    devices:\n      - source: /dev/kmem\n        target: /dev/kmem\n",
            "services:\n  web:\n    image: nginx:1.27\n    device_cgroup_rules:\n      - 'a *:* rwm'\n",
            "services:\n  web:\n    image: nginx:1.27\n    device_cgroup_rules: ['b *:* rwm']\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn spans_severities_and_messages() {
        let text = "services:\n  hw:\n    image: alpine:3.22\n    devices:\n      - /dev/ttyUSB0:/dev/ttyUSB0\n      - source: /dev/sdb\n        target: /dev/sdb\n    device_cgroup_rules: ['a *:* rwm']\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let got: Vec<(&str, Severity)> = found.iter().map(|(_, d)| (&text[d.range.as_usize()], d.severity)).collect();
        assert_eq!(
            got,
            [
                ("/dev/ttyUSB0:/dev/ttyUSB0", Severity::Warning),
                ("/dev/sdb", Severity::Error),
                ("'a *:* rwm'", Severity::Error)
            ]
        );
        assert_eq!(
            found[1].1.message,
            "service `hw` gets the host device `/dev/sdb`: a raw disk lets it read and change every file of the host"
        );
    }

    #[test]
    fn through_an_anchor_the_finding_is_at_the_alias() {
        let text = "x-dev: &dev /dev/mem:/dev/mem\nservices:\n  hw:\n    image: alpine:3.22\n    devices: [*dev]\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "*dev");
        assert_eq!(&text[d.labels[0].range.as_usize()], "/dev/mem:/dev/mem");
        assert_eq!(d.severity, Severity::Error);
    }
}
