//! What the capability and `security_opt` rules share: Linux capability names as Docker reads them, the
//! danger of each capability a service may add, `security_opt` entries as Docker reads them, and the edits
//! their fixes make.

use crate::Severity;
use crate::compose::model::{Located, Service};
use crate::source::TextRange;

/// A value that is known: `None` when an unset variable was replaced by an empty string in it (`SYS_${CAP}` is
/// no capability anyone means), or it still holds a `$`.
pub(super) fn known(value: &Located<String>) -> Option<&str> {
    Some(value.value.as_str()).filter(|v| !v.contains('$') && !value.origin.has_unset())
}

/// A capability name as Docker reads it: trimmed, upper-cased, without the optional `CAP_` prefix. `ALL`
/// is special-cased before the prefix, so `CAP_ALL` is not `ALL` (Docker refuses it): it stays `CAP_ALL`.
pub(super) fn normalize(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(bare) if bare != "ALL" => bare.to_owned(),
        _ => upper,
    }
}

/// How bad adding a capability outside Docker's default set is, and what it allows.
pub(super) struct Danger {
    pub severity: Severity,
    pub allows: &'static str,
}

const fn danger(severity: Severity, allows: &'static str) -> Danger {
    Danger { severity, allows }
}

/// The capabilities worth flagging in `cap_add` (normalised names), by tier: error for host root or escape,
/// warning for host reach, availability or disclosure, info for what stays bounded to the container.
pub(super) fn danger_of(cap: &str) -> Option<Danger> {
    use Severity::{Error, Info, Warning};
    Some(match cap {
        "ALL" => danger(Error, "grants every capability: the capability half of `privileged: true`"),
        "SYS_ADMIN" => {
            danger(Error, "allows mount, namespace and cgroup administration: root on the host in all but name")
        }
        "SYS_MODULE" => danger(Error, "allows loading kernel modules: code in the host's kernel"),
        "SYS_RAWIO" => danger(Error, "allows raw I/O ports and `/dev/mem`-class access to physical memory"),
        "DAC_READ_SEARCH" => {
            danger(Error, "allows `open_by_handle_at`: any host file read through any bind mount (the Shocker escape)")
        }
        "BPF" => danger(Error, "allows loading BPF programs into the host's kernel, a recurring escape surface"),
        "SYS_PTRACE" => danger(Warning, "allows tracing and reading the memory of other processes"),
        "NET_ADMIN" => danger(Warning, "allows reconfiguring interfaces, routes and firewall rules"),
        "MAC_ADMIN" => danger(Warning, "allows changing the host's AppArmor or SELinux policy where it is reachable"),
        "MAC_OVERRIDE" => danger(Warning, "allows overriding the host's mandatory access control (AppArmor, SELinux)"),
        "PERFMON" => danger(Warning, "allows host-wide performance monitoring: kernel samples and every process"),
        "SYSLOG" => danger(Warning, "allows reading the host's kernel log (`dmesg` is not namespaced)"),
        "SYS_TIME" => {
            danger(Warning, "allows setting the clock, which is the host's: every container's TLS and tokens")
        }
        "SYS_BOOT" => danger(Warning, "allows `reboot(2)`: the container's init, or the host with `pid: host`"),
        "SYS_RESOURCE" => danger(Warning, "allows overriding resource limits and quotas the host relies on"),
        "SYS_NICE" => danger(Warning, "allows real-time scheduling above every host process"),
        "IPC_LOCK" => danger(Warning, "allows locking host memory that cannot be reclaimed"),
        "LEASE" => danger(Warning, "allows file leases that stall the host's own access to bind-mounted files"),
        "WAKE_ALARM" => danger(Warning, "allows alarms that wake the host from suspend"),
        "BLOCK_SUSPEND" => danger(Warning, "allows preventing the host from suspending"),
        "AUDIT_CONTROL" => danger(Warning, "allows changing the host's audit rules (audit is not namespaced)"),
        "AUDIT_READ" => danger(Warning, "allows reading the host's audit log"),
        "LINUX_IMMUTABLE" => danger(Info, "allows setting immutable and append-only flags on files"),
        "NET_BROADCAST" => danger(Info, "allows broadcasting and listening to multicast"),
        "SYS_PACCT" => danger(Info, "allows switching process accounting on and off"),
        "SYS_TTY_CONFIG" => danger(Info, "allows configuring terminals (`vhangup`)"),
        "CHECKPOINT_RESTORE" => danger(Info, "allows checkpoint/restore operations on processes"),
        _ => return None,
    })
}

/// A service's namespace settings, by key: `network_mode`, `pid`, `ipc`, `uts`, `userns_mode`, `cgroup`.
pub(super) fn namespaces(service: &Service) -> [(&'static str, Option<&Located<String>>); 6] {
    [
        ("network_mode", service.network_mode.as_ref()),
        ("pid", service.pid.as_ref()),
        ("ipc", service.ipc.as_ref()),
        ("uts", service.uts.as_ref()),
        ("userns_mode", service.userns_mode.as_ref()),
        ("cgroup", service.cgroup.as_ref()),
    ]
}

/// One `security_opt` entry as Docker reads it: split at the first `=`, or at the first `:` (the old
/// spelling) when there is no `=`; the key lower-cased.
pub(super) struct SecurityOpt<'a> {
    pub key: String,
    /// `None` for a bare key (`no-new-privileges`).
    pub value: Option<&'a str>,
}

pub(super) fn security_opt(text: &str) -> SecurityOpt<'_> {
    let text = text.trim();
    match text.find('=').or_else(|| text.find(':')) {
        Some(i) => SecurityOpt { key: text[..i].to_ascii_lowercase(), value: Some(&text[i + 1..]) },
        None => SecurityOpt { key: text.to_ascii_lowercase(), value: None },
    }
}

/// Go's `strconv.ParseBool`, which Docker uses for `no-new-privileges:<value>`.
pub(super) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// The whole line of a block sequence item (`- value`, with a comment after it), with its line break, when
/// the item is alone on its line and does not continue on the next one.
pub(super) fn item_line(text: &str, item: TextRange) -> Option<TextRange> {
    let (start, end) = (item.start as usize, item.end as usize);
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(end..)?.find('\n').map_or(text.len(), |i| end + i + 1);
    let before = text[line_start..start].trim_start_matches(' ');
    let after = text[end..line_end].trim();
    let alone =
        before.strip_prefix('-').is_some_and(|b| b.trim().is_empty()) && (after.is_empty() || after.starts_with('#'));
    let marker_indent = text[line_start..start].len() - before.len();
    // A next line indented past the `-` continues the item (a wrapped scalar).
    let next = &text[line_end..];
    let next_line = next.split('\n').next().unwrap_or("");
    let continues =
        !next_line.trim().is_empty() && next_line.len() - next_line.trim_start_matches(' ').len() > marker_indent;
    (alone && !continues).then(|| TextRange::from_usize(line_start, line_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Docker's default capability set: adding one of these to `cap_add` changes nothing.
    const DEFAULT: &[&str] = &[
        "CHOWN",
        "DAC_OVERRIDE",
        "FSETID",
        "FOWNER",
        "MKNOD",
        "NET_RAW",
        "SETGID",
        "SETUID",
        "SETFCAP",
        "SETPCAP",
        "NET_BIND_SERVICE",
        "SYS_CHROOT",
        "KILL",
        "AUDIT_WRITE",
    ];

    #[test]
    fn capability_spellings() {
        assert_eq!(normalize(" sys_admin "), "SYS_ADMIN");
        assert_eq!(normalize("CAP_SYS_ADMIN"), "SYS_ADMIN");
        assert_eq!(normalize("all"), "ALL");
        assert_eq!(normalize("CAP_ALL"), "CAP_ALL");
        assert!(danger_of(&normalize("CAP_ALL")).is_none());
        assert!(DEFAULT.iter().all(|c| danger_of(c).is_none()));
    }

    #[test]
    fn security_opt_spellings() {
        let o = security_opt("Seccomp=unconfined");
        assert_eq!((o.key.as_str(), o.value), ("seccomp", Some("unconfined")));
        let o = security_opt("label:type:spc_t");
        assert_eq!((o.key.as_str(), o.value), ("label", Some("type:spc_t")));
        assert_eq!(security_opt("no-new-privileges").value, None);
    }

    #[test]
    fn item_lines() {
        let text = "a:\n  - one # c\n  - two\n";
        assert_eq!(item_line(text, TextRange::from_usize(7, 10)), Some(TextRange::from_usize(3, 15)));
        let wrapped = "a:\n  - one\n    more\n";
        assert_eq!(item_line(wrapped, TextRange::from_usize(7, 10)), None);
        let flow = "a: [one, two]\n";
        assert_eq!(item_line(flow, TextRange::from_usize(4, 7)), None);
    }
}
