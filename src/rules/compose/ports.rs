//! What PLC501 and PLC502 need to know about a service's `ports:` entries: one entry per list item (a container
//! port range written once is one entry), its host address and its host ports, each possibly unknown.

use std::net::IpAddr;

use crate::compose::model::syntax::port_range;
use crate::compose::model::{Located, Port, Service};
use crate::compose::tree::{Origin, Via};

/// One item of `ports:`.
pub(super) struct Published<'a> {
    pub port: &'a Located<Port>,
    /// The host address: `Known(None)` when none is written, `Unknown` when it holds an unset variable.
    pub host_ip: HostIp,
    /// The first and last host port: `Known(None)` for an ephemeral port (none written).
    pub host_ports: HostPorts,
    /// The container port (the first of a range), when known.
    pub target: Option<u16>,
    /// The item's origin with only the unset variables of its host address (`${BIND_IP}:8080:80`'s
    /// `BIND_IP`, not `${PORT}`), for findings about where the port listens.
    pub ip_origin: Origin,
}

pub(super) type HostIp = Knowable<Option<String>>;
pub(super) type HostPorts = Knowable<Option<(u16, u16)>>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Knowable<T> {
    Known(T),
    Unknown,
}

impl Published<'_> {
    /// Whether the port is reachable on every interface of the host: no address, or an unspecified one
    /// (`0.0.0.0`, `::`, `[::]`, `::ffff:0.0.0.0`).
    pub fn on_all_interfaces(&self) -> bool {
        match &self.host_ip {
            Knowable::Known(None) => true,
            Knowable::Known(Some(ip)) => is_unspecified(ip),
            Knowable::Unknown => false,
        }
    }
}

fn is_unspecified(ip: &str) -> bool {
    let ip = ip.trim();
    let ip = ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')).unwrap_or(ip);
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_unspecified(),
        Ok(IpAddr::V6(v6)) => v6.is_unspecified() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_unspecified()),
        Err(_) => ip.is_empty(),
    }
}

/// The `ports:` items of a service; none when the service shares the host's network (ports do not apply).
pub(super) fn published(service: &Service) -> Vec<Published<'_>> {
    if service.network_mode.as_ref().is_some_and(|m| m.value == "host") {
        return Vec::new();
    }
    let raw_items = service.raw.as_ref().and_then(|r| r.get("ports")).and_then(|p| p.as_seq()).unwrap_or_default();
    let mut out: Vec<Published<'_>> = Vec::new();
    for port in &service.ports {
        let p = &port.value;
        // A container range gives one mapping per port, all with the item's origin: one entry, its host ports
        // widened to the last mapping's.
        if let Some(last) = out.last_mut().filter(|last| last.port.origin == port.origin) {
            if let (Knowable::Known(Some((_, end))), Knowable::Known(Some((_, this_end)))) =
                (&mut last.host_ports, host_ports(p.published.as_deref()))
            {
                *end = (*end).max(this_end);
            }
            continue;
        }
        let raw = raw_items.iter().find(|item| item.origin == port.origin);
        let ip_origin = match &p.short {
            Some(short) => {
                let fields = split_fields(short);
                let n = fields.len();
                match n {
                    // No address is written: whatever the variables hold, the port listens everywhere.
                    1 | 2 => {
                        let mut origin = port.origin.clone();
                        origin.via.retain(|v| !matches!(v, Via::Unset { .. }));
                        origin
                    }
                    _ => port.origin.unset_only_in(0..=fields[..n - 2].join(":").len()),
                }
            }
            None => {
                let mut origin = port.origin.clone();
                let field = raw.and_then(|item| item.get("host_ip"));
                origin.via.extend(
                    field
                        .into_iter()
                        .flat_map(|f| f.origin.via.iter().cloned())
                        .filter(|v| matches!(v, Via::Unset { .. })),
                );
                origin
            }
        };
        let (host_ip, host_ports) = match &p.short {
            Some(short) if p.target.is_none() => from_unresolved_short(short),
            // An empty host port from an unset variable (`${PORT}:80`) is ephemeral only while it is unset.
            Some(short) if host_port_unset(short, &port.origin) => {
                (Knowable::Known(p.host_ip.clone()), Knowable::Unknown)
            }
            Some(_) => (Knowable::Known(p.host_ip.clone()), host_ports(p.published.as_deref())),
            None => {
                let written = |key: &str| raw.is_some_and(|item| item.get(key).is_some());
                let host_ip = match &p.host_ip {
                    Some(ip) if ip.contains('$') => Knowable::Unknown,
                    Some(ip) => Knowable::Known(Some(ip.clone())),
                    None if written("host_ip") => Knowable::Unknown,
                    None => Knowable::Known(None),
                };
                let ports = match p.published.as_deref() {
                    None if written("published") => Knowable::Unknown,
                    // Not a port or a range (`published: 127.0.0.1:8080`): Compose refuses the file, and the
                    // loader says so (PLC012); what it would publish is no question to ask.
                    Some(text) if !text.is_empty() && !text.contains('$') && port_range(text).is_none() => continue,
                    published => host_ports(published),
                };
                (host_ip, ports)
            }
        };
        out.push(Published { port, host_ip, host_ports, target: p.target, ip_origin });
    }
    out
}

/// Whether an unset variable was replaced by an empty string in the host port field of a short syntax.
fn host_port_unset(short: &str, origin: &Origin) -> bool {
    let fields = split_fields(short);
    let n = fields.len();
    if n < 2 {
        return false;
    }
    let start = fields[..n - 2].iter().map(|f| f.len() + 1).sum::<usize>();
    let field = start..=start + fields[n - 2].len();
    origin.unset().any(|(_, _, offset)| field.contains(&offset))
}

fn host_ports(published: Option<&str>) -> HostPorts {
    match published {
        None | Some("") => Knowable::Known(None),
        Some(text) => port_range(text).map_or(Knowable::Unknown, |r| Knowable::Known(Some(r))),
    }
}

/// A short syntax the model could not read because it holds an unset variable (`${PORT}:80`): its fields are
/// still where they are, so an address that is not written is known to be missing.
fn from_unresolved_short(short: &str) -> (HostIp, HostPorts) {
    let fields = split_fields(short);
    let n = fields.len();
    let host_ip = match n {
        1 | 2 => Knowable::Known(None),
        _ => {
            let ip = fields[..n - 2].join(":");
            if ip.contains('$') { Knowable::Unknown } else { Knowable::Known(Some(ip)) }
        }
    };
    let ports = if n == 1 { Knowable::Known(None) } else { host_ports(Some(fields[n - 2])) };
    (host_ip, ports)
}

/// Splits at the `:` outside `${…}`.
fn split_fields(text: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                fields.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    fields.push(&text[start..]);
    fields
}

#[cfg(test)]
mod tests {
    use super::{is_unspecified, split_fields};

    #[test]
    fn unspecified_addresses() {
        for ip in ["0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "::ffff:0.0.0.0", ""] {
            assert!(is_unspecified(ip), "{ip}");
        }
        for ip in ["127.0.0.1", "::1", "[::1]", "192.168.1.10", "::ffff:127.0.0.1", "localhost"] {
            assert!(!is_unspecified(ip), "{ip}");
        }
    }

    #[test]
    fn fields_outside_substitutions() {
        assert_eq!(split_fields("${PORT:-80}:80"), ["${PORT:-80}", "80"]);
        assert_eq!(split_fields("${IP}:${PORT}:80"), ["${IP}", "${PORT}", "80"]);
    }
}
