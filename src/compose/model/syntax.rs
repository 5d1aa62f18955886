//! Short syntaxes of Compose values, read as compose-go (and docker's `go-connections/nat`, `go-units`,
//! `go-shellwords`) read them; durations are in `crate::duration`. Each parser takes the text and returns the value or
//! a message saying what is wrong.

use std::net::IpAddr;

/// One port mapping read from the short syntax (`[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortMapping {
    pub host_ip: Option<String>,
    /// The host port or host port range (`8000-8010`), as compose keeps it (a string).
    pub published: Option<String>,
    pub target: u16,
    pub protocol: String,
}

pub const PORT_HELP: &str = "write [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. `127.0.0.1:8080:80/tcp`";

/// Reads a short port spec as `nat.ParsePortSpec` does: a container range gives one mapping per port.
pub fn parse_port(spec: &str) -> Result<Vec<PortMapping>, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let n = parts.len();
    let container = parts[n - 1];
    let (ip, host) = match n {
        1 => ("", ""),
        2 => ("", parts[0]),
        3 => (parts[0], parts[1]),
        _ => {
            // Everything before the last two parts is the IP (an IPv6 address has colons).
            let cut = spec.len() - container.len() - parts[n - 2].len() - 2;
            (&spec[..cut], parts[n - 2])
        }
    };
    let (protocol, container) = match container.split_once('/') {
        None => ("tcp", container),
        Some((port, "")) => ("tcp", port),
        Some((port, proto)) => (proto, port),
    };
    let ip = ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')).unwrap_or(ip);
    if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
        return Err(format!("`{ip}` is not an IP address"));
    }
    if container.is_empty() {
        return Err("no container port".to_owned());
    }
    let (start, end) =
        port_range(container).ok_or_else(|| format!("`{container}` is not a container port or port range"))?;
    let host_range = if host.is_empty() {
        None
    } else {
        Some(port_range(host).ok_or_else(|| format!("`{host}` is not a host port or port range"))?)
    };
    if let Some((host_start, host_end)) = host_range
        && end - start != host_end - host_start
        && end != start
    {
        return Err(format!("the container range `{container}` and the host range `{host}` differ in size"));
    }
    let protocol = protocol.to_ascii_lowercase();
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("unknown protocol `{protocol}` (use tcp, udp or sctp)"));
    }
    let host_ip = (!ip.is_empty()).then(|| ip.to_owned());
    let mut out = Vec::new();
    for i in 0..=(end - start) {
        let published = host_range.map(|(host_start, host_end)| {
            if start == end && host_start != host_end {
                format!("{host_start}-{host_end}")
            } else {
                (u32::from(host_start) + u32::from(i)).to_string()
            }
        });
        out.push(PortMapping { host_ip: host_ip.clone(), published, target: start + i, protocol: protocol.clone() });
    }
    Ok(out)
}

/// `8080` or `8000-8010` (`nat.ParsePortRange`).
pub fn port_range(text: &str) -> Option<(u16, u16)> {
    match text.split_once('-') {
        None => {
            let port = parse_u16(text)?;
            Some((port, port))
        }
        Some((a, b)) => {
            let b = b.split('-').next().unwrap_or(b);
            let (start, end) = (parse_u16(a)?, parse_u16(b)?);
            (end >= start).then_some((start, end))
        }
    }
}

fn parse_u16(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A volume mount read from the short syntax `[SOURCE:]TARGET[:OPTIONS]` (compose-go `format.ParseVolume`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VolumeSpec {
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
    pub nocopy: bool,
    pub propagation: Option<String>,
    pub selinux: Option<String>,
    /// Options compose ignores (kept so rules can point at them).
    pub unknown_options: Vec<String>,
}

pub const VOLUME_HELP: &str = "write [SOURCE:]TARGET[:ro|rw|z|Z|nocopy|PROPAGATION], e.g. `./data:/data:ro`";

const PROPAGATIONS: [&str; 6] = ["rprivate", "private", "rshared", "shared", "rslave", "slave"];

pub fn parse_volume(spec: &str) -> Result<VolumeSpec, String> {
    let chars: Vec<char> = spec.chars().collect();
    match chars.len() {
        0 => return Err("empty volume".to_owned()),
        1 | 2 => return Ok(VolumeSpec { target: spec.to_owned(), ..VolumeSpec::default() }),
        _ => {}
    }
    let mut volume = VolumeSpec::default();
    let mut source: Option<String> = None;
    let mut target: Option<String> = None;
    let mut buffer = String::new();
    let mut buffer_len = 0usize;
    // `None` marks the end of the text.
    for c in chars.iter().copied().map(Some).chain(std::iter::once(None)) {
        let is_drive = c == Some(':') && buffer_len == 1 && buffer.chars().next().is_some_and(char::is_alphabetic);
        match c {
            Some(c) if is_drive || c != ':' => {
                buffer.push(c);
                buffer_len += 1;
                continue;
            }
            _ => {}
        }
        if buffer.is_empty() {
            return Err("empty section between colons".to_owned());
        }
        let field = std::mem::take(&mut buffer);
        buffer_len = 0;
        if source.is_none() && c.is_none() {
            target = Some(field);
        } else if source.is_none() {
            source = Some(field);
        } else if target.is_none() {
            target = Some(field);
        } else if c.is_some() {
            return Err("too many colons".to_owned());
        } else {
            for option in field.split(',') {
                match option {
                    "ro" => volume.read_only = true,
                    "rw" => volume.read_only = false,
                    "nocopy" => volume.nocopy = true,
                    "z" | "Z" => volume.selinux = Some(option.to_owned()),
                    _ if PROPAGATIONS.contains(&option) => volume.propagation = Some(option.to_owned()),
                    _ => volume.unknown_options.push(option.to_owned()),
                }
            }
        }
    }
    volume.source = source;
    volume.target = target.unwrap_or_default();
    Ok(volume)
}

/// Whether a volume source is a host path (a bind mount) rather than a volume name (compose-go `isFilePath`).
pub fn is_file_path(source: &str) -> bool {
    let mut chars = source.chars();
    match chars.next() {
        None => false,
        Some('.' | '/' | '~') => true,
        Some(_) if source.starts_with("\\\\") => true,
        Some(first) => first.is_alphabetic() && chars.next() == Some(':'),
    }
}

/// A device read from `HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSpec {
    pub source: String,
    pub target: String,
    pub permissions: String,
}

pub const DEVICE_HELP: &str = "write HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]], e.g. `/dev/ttyUSB0:/dev/ttyUSB0:rw`";

pub fn parse_device(spec: &str) -> Result<DeviceSpec, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (source, target, permissions) = match parts.as_slice() {
        [s] => (*s, *s, "rwm"),
        [s, t] => (*s, *t, "rwm"),
        [s, t, p] => (*s, *t, *p),
        _ => return Err("too many colons (use the long syntax: source, target, permissions)".to_owned()),
    };
    if source.is_empty() {
        return Err("no host path".to_owned());
    }
    if permissions.is_empty() || !permissions.chars().all(|c| matches!(c, 'r' | 'w' | 'm')) {
        return Err(format!("permissions `{permissions}` must be made of r, w and m"));
    }
    Ok(DeviceSpec { source: source.to_owned(), target: target.to_owned(), permissions: permissions.to_owned() })
}

/// A byte size (`512m`, `1.5g`, `1024`, `2gb`), as docker's `units.RAMInBytes` reads it (1k = 1024).
pub fn parse_bytes(text: &str) -> Result<i64, String> {
    let bad = || format!("`{text}` is not a size (write e.g. `512m`, `2g` or a number of bytes)");
    let number_len = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(number_len);
    if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
        return Err(bad());
    }
    let value: f64 = number.parse().map_err(|_| bad())?;
    let unit = unit.strip_prefix(' ').unwrap_or(unit).to_ascii_lowercase();
    let mut unit = unit.as_str();
    unit = unit.strip_suffix('b').unwrap_or(unit);
    unit = unit.strip_suffix('i').unwrap_or(unit);
    let scale: f64 = match unit {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024f64.powi(4),
        "p" => 1024f64.powi(5),
        _ => return Err(bad()),
    };
    let bytes = value * scale;
    if bytes > i64::MAX as f64 {
        return Err(format!("`{text}` is too large"));
    }
    Ok(bytes as i64)
}

/// The words of a command written as one string, split as `go-shellwords` (which compose-go uses) splits it.
/// `stopped_at` is the byte offset of an unquoted `;`, `&`, `|`, `<` or `>`: go-shellwords stops there and
/// compose drops the rest of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWords {
    pub words: Vec<String>,
    pub stopped_at: Option<usize>,
}

pub fn shell_split(line: &str) -> Result<ShellWords, String> {
    let mut words = Vec::new();
    let mut buf = String::new();
    let mut got = false;
    let (mut escaped, mut double, mut single, mut dollar) = (false, false, false, false);
    let mut stopped_at = None;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            buf.push(match c {
                't' if !dollar => '\t',
                'n' if !dollar => '\n',
                _ => c,
            });
            got = true;
            continue;
        }
        if c == '\\' {
            if single {
                buf.push(c);
            } else {
                escaped = true;
            }
            continue;
        }
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            if single || double || dollar {
                buf.push(c);
            } else if got {
                words.push(std::mem::take(&mut buf));
                got = false;
            }
            continue;
        }
        match c {
            '"' if !single && !dollar => {
                if double {
                    got = true;
                }
                double = !double;
                continue;
            }
            '\'' if !double && !dollar => {
                if single {
                    got = true;
                }
                single = !single;
                continue;
            }
            '(' if !single && !double => {
                if !dollar && buf.ends_with('$') {
                    dollar = true;
                    buf.push(c);
                    continue;
                }
                return Err("a `(` outside quotes".to_owned());
            }
            ')' if !single && !double => {
                if !dollar {
                    return Err("a `)` outside quotes".to_owned());
                }
                dollar = false;
            }
            ';' | '&' | '|' | '<' | '>' if !(single || double || dollar) => {
                let mut at = i;
                if c == '>' && !buf.is_empty() && buf.bytes().all(|b| b.is_ascii_digit()) {
                    at -= buf.len();
                    got = false;
                }
                stopped_at = Some(at);
                break;
            }
            _ => {}
        }
        got = true;
        buf.push(c);
    }
    if escaped || single || double || dollar {
        return Err("an unclosed quote or escape".to_owned());
    }
    if got {
        words.push(buf);
    }
    Ok(ShellWords { words, stopped_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(spec: &str) -> Vec<(Option<&str>, Option<String>, u16, String)> {
        parse_port(spec)
            .unwrap_or_else(|e| panic!("{spec}: {e}"))
            .into_iter()
            .map(|p| (p.host_ip.map(|_| "ip"), p.published, p.target, p.protocol))
            .collect()
    }

    #[test]
    fn ports() {
        assert_eq!(port("80"), [(None, None, 80, "tcp".to_owned())]);
        assert_eq!(port("8080:80"), [(None, Some("8080".to_owned()), 80, "tcp".to_owned())]);
        assert_eq!(port("53:53/UDP"), [(None, Some("53".to_owned()), 53, "udp".to_owned())]);
        assert_eq!(port("127.0.0.1::80").len(), 1);
        let v6 = parse_port("[::1]:8080:80").expect("v6");
        assert_eq!(v6[0].host_ip.as_deref(), Some("::1"));
        let v6 = parse_port("::1:8080:80").expect("v6 without brackets");
        assert_eq!(v6[0].host_ip.as_deref(), Some("::1"));
        assert_eq!(v6[0].published.as_deref(), Some("8080"));
        let range = parse_port("3000-3002:4000-4002").expect("range");
        assert_eq!(
            range.iter().map(|p| (p.published.clone().unwrap_or_default(), p.target)).collect::<Vec<_>>(),
            [("3000".to_owned(), 4000), ("3001".to_owned(), 4001), ("3002".to_owned(), 4002)]
        );
        assert_eq!(parse_port("3000-3005").expect("range").len(), 6);
        let dynamic = parse_port("8000-8010:80").expect("host range");
        assert_eq!(dynamic[0].published.as_deref(), Some("8000-8010"));
        for bad in ["80:80:80:80", "", "http", "1.2.3.4:80:80:x", "8080:80/ftp", "70000", "3000-3002:80-81", "5-3"] {
            assert!(parse_port(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn volumes() {
        let v = parse_volume("./data:/data:ro,z").expect("bind");
        assert_eq!((v.source.as_deref(), v.target.as_str(), v.read_only), (Some("./data"), "/data", true));
        assert_eq!(v.selinux.as_deref(), Some("z"));
        let v = parse_volume("/var/run/docker.sock:/var/run/docker.sock").expect("socket");
        assert_eq!(v.source.as_deref(), Some("/var/run/docker.sock"));
        let v = parse_volume("/data").expect("anonymous");
        assert_eq!((v.source, v.target.as_str()), (None, "/data"));
        let v = parse_volume("C:\\x:/y:rw").expect("windows");
        assert_eq!((v.source.as_deref(), v.target.as_str()), (Some("C:\\x"), "/y"));
        let v = parse_volume("data:/d:nocopy,rshared,Z").expect("named");
        assert!(v.nocopy);
        assert_eq!((v.propagation.as_deref(), v.selinux.as_deref()), (Some("rshared"), Some("Z")));
        assert!(parse_volume("/a:/b:ro:x").is_err());
        // `a:` reads as a Windows drive, as in compose-go.
        assert_eq!(parse_volume("a:b:c:d").map(|v| v.target), Ok("c:d".to_owned()));
        assert!(parse_volume("/x::/b").is_err());
        assert!(is_file_path("~/x") && is_file_path("C:\\x") && is_file_path(".") && !is_file_path("data"));
    }

    #[test]
    fn devices() {
        assert_eq!(parse_device("/dev/sda").map(|d| d.target), Ok("/dev/sda".to_owned()));
        assert_eq!(parse_device("/dev/a:/dev/b:r").map(|d| d.permissions), Ok("r".to_owned()));
        assert!(parse_device("/dev/a:/dev/b:rx").is_err());
        assert!(parse_device("a:b:c:d").is_err());
    }

    #[test]
    fn bytes() {
        assert_eq!(parse_bytes("512m"), Ok(512 << 20));
        assert_eq!(parse_bytes("1.5g"), Ok(3 << 29));
        assert_eq!(parse_bytes("2GB"), Ok(2 << 30));
        assert_eq!(parse_bytes("100"), Ok(100));
        assert!(parse_bytes("lots").is_err() && parse_bytes("5x").is_err());
    }

    #[test]
    fn shell_words() {
        let split = |s: &str| shell_split(s).map(|w| w.words);
        assert_eq!(split("npm run start"), Ok(vec!["npm".to_owned(), "run".to_owned(), "start".to_owned()]));
        assert_eq!(split(r#"sh -c "echo 'a b' && x""#).map(|w| w.len()), Ok(3));
        assert_eq!(split("a '' b").map(|w| w.len()), Ok(3));
        assert_eq!(split(r"a\ b"), Ok(vec!["a b".to_owned()]));
        let cut = shell_split("echo a && echo b").expect("cut");
        assert_eq!((cut.words.len(), cut.stopped_at), (2, Some(7)));
        assert!(shell_split("echo 'a").is_err());
        assert_eq!(split("echo $(date)"), Ok(vec!["echo".to_owned(), "$(date)".to_owned()]));
    }
}
