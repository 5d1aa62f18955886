//! Meaning of the flags BuildKit knows: `--mount` specs, durations, booleans, and the checks BuildKit makes on
//! them before a build starts.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{is_not, tag},
    character::complete::char,
    combinator::{all_consuming, map},
    multi::{many0, separated_list1},
    sequence::delimited,
};
use serde::Serialize;

use super::ast::{FlagValue, Kind};

/// The kind of a `RUN --mount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MountType {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}

impl MountType {
    fn parse(s: &str) -> Option<MountType> {
        Some(match s.to_ascii_lowercase().as_str() {
            "bind" => MountType::Bind,
            "cache" => MountType::Cache,
            "tmpfs" => MountType::Tmpfs,
            "secret" => MountType::Secret,
            "ssh" => MountType::Ssh,
            _ => return None,
        })
    }
}

/// One `key[=value]` field of a mount spec, with its byte offsets in the flag value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MountOption {
    /// Lower-cased key.
    pub key: String,
    pub value: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// A parsed `RUN --mount=…`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mount {
    pub kind: MountType,
    pub options: Vec<MountOption>,
    pub target: Option<String>,
    pub source: Option<String>,
    pub from: Option<String>,
    pub id: Option<String>,
    pub readonly: Option<bool>,
    pub required: Option<bool>,
    pub env: Option<String>,
}

/// Keys BuildKit accepts in a mount spec.
const MOUNT_KEYS: &[&str] = &[
    "type",
    "from",
    "source",
    "src",
    "target",
    "dst",
    "destination",
    "readonly",
    "ro",
    "readwrite",
    "rw",
    "id",
    "sharing",
    "mode",
    "uid",
    "gid",
    "required",
    "size",
    "env",
    "relabel",
];

/// Reads a `--mount` value. Errors are messages about the value as a whole.
pub fn parse_mount(value: &str) -> Result<Mount, String> {
    let fields = csv_fields(value).ok_or_else(|| format!("cannot read mount spec `{value}`: unbalanced quotes"))?;
    let mut mount = Mount {
        kind: MountType::Bind,
        options: Vec::new(),
        target: None,
        source: None,
        from: None,
        id: None,
        readonly: None,
        required: None,
        env: None,
    };
    for (field, start, end) in fields {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.to_owned())),
            None => (field.trim().to_ascii_lowercase(), None),
        };
        if !MOUNT_KEYS.contains(&key.as_str()) {
            return Err(format!("unexpected key `{key}` in mount spec `{field}`"));
        }
        let bool_value = |v: &Option<String>| match v.as_deref() {
            None => Ok(true),
            Some(v) => parse_bool(v).ok_or_else(|| format!("invalid value `{v}` for `{key}`: expected true or false")),
        };
        let require =
            |v: &Option<String>| v.clone().ok_or_else(|| format!("mount option `{key}` needs a value (`{key}=…`)"));
        match key.as_str() {
            "type" => {
                let v = require(&val)?;
                mount.kind = MountType::parse(&v)
                    .ok_or_else(|| format!("unsupported mount type `{v}`: use bind, cache, tmpfs, secret or ssh"))?;
            }
            "from" => mount.from = Some(require(&val)?),
            "source" | "src" => mount.source = Some(require(&val)?),
            "target" | "dst" | "destination" => mount.target = Some(require(&val)?),
            "readonly" | "ro" => mount.readonly = Some(bool_value(&val)?),
            "readwrite" | "rw" => mount.readonly = Some(!bool_value(&val)?),
            "required" => mount.required = Some(bool_value(&val)?),
            "id" => mount.id = Some(require(&val)?),
            "env" => mount.env = Some(require(&val)?),
            "sharing" => {
                let v = require(&val)?;
                if !matches!(v.to_ascii_lowercase().as_str(), "shared" | "private" | "locked") {
                    return Err(format!("unsupported sharing value `{v}`: use shared, private or locked"));
                }
            }
            "mode" => {
                let v = require(&val)?;
                if u32::from_str_radix(&v, 8).is_err() {
                    return Err(format!("invalid mount mode `{v}`: expected an octal number such as 0600"));
                }
            }
            "uid" | "gid" => {
                let v = require(&val)?;
                if v.parse::<u32>().is_err() {
                    return Err(format!("invalid {key} `{v}`: expected a number"));
                }
            }
            _ => {}
        }
        mount.options.push(MountOption { key, value: val, start, end });
    }
    let needs_target = matches!(mount.kind, MountType::Bind | MountType::Cache | MountType::Tmpfs);
    if needs_target && mount.target.as_deref().is_none_or(str::is_empty) {
        return Err(format!(
            "a {} mount needs a target (`target=/path`)",
            serde_json::to_value(mount.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
        ));
    }
    Ok(mount)
}

/// Splits a CSV record (Go's `encoding/csv`, one line): fields separated by `,`, a field may be wrapped in
/// `"` with `""` for a quote. Returns each field with its offsets, or `None` for a stray quote.
fn csv_fields(input: &str) -> Option<Vec<(String, usize, usize)>> {
    fn quoted(i: &str) -> IResult<&str, String> {
        delimited(
            char('"'),
            many0(alt((map(is_not("\""), str::to_owned), map(tag("\"\""), |_| "\"".to_owned())))),
            char('"'),
        )
        .map(|parts| parts.concat())
        .parse(i)
    }
    fn bare(i: &str) -> IResult<&str, String> {
        map(nom::bytes::complete::take_while(|c| c != ',' && c != '"'), str::to_owned).parse(i)
    }
    let field = alt((quoted, bare)).map(|value: String| value);
    let (_, fields) = all_consuming(separated_list1(char(','), nom::combinator::consumed(field))).parse(input).ok()?;
    Some(
        fields
            .into_iter()
            .map(|(raw, value): (&str, String)| {
                let start = raw.as_ptr() as usize - input.as_ptr() as usize;
                (value, start, start + raw.len())
            })
            .collect(),
    )
}

/// Go's `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Flags that take no value (`--link`) or an optional boolean (`--link=false`).
fn is_bool_flag(kind: Kind, name: &str) -> bool {
    matches!(
        (kind, name),
        (Kind::Copy | Kind::Add, "link") | (Kind::Copy, "parents") | (Kind::Add, "keep-git-dir" | "unpack")
    )
}

/// Flags that may be given more than once.
fn is_repeatable(kind: Kind, name: &str) -> bool {
    matches!((kind, name), (Kind::Run, "mount" | "device") | (Kind::Copy | Kind::Add, "exclude"))
}

/// Reads one flag's value for an instruction kind, as BuildKit's `BFlags` would. `seen` is whether a flag of
/// the same name came earlier on the instruction.
pub fn interpret(kind: Kind, name: &str, value: Option<&str>, seen: bool) -> Result<FlagValue, String> {
    if !kind.known_flags().contains(&name) {
        let known = kind.known_flags();
        let hint = if known.is_empty() {
            format!("{} takes no flags", kind.as_str())
        } else {
            format!(
                "{} accepts {}",
                kind.as_str(),
                known.iter().map(|f| format!("--{f}")).collect::<Vec<_>>().join(", ")
            )
        };
        return Err(format!("unknown flag `--{name}`: {hint}"));
    }
    if seen && !is_repeatable(kind, name) {
        return Err(format!("duplicate flag `--{name}`"));
    }
    if is_bool_flag(kind, name) {
        return match value {
            None => Ok(FlagValue::Bool { value: true }),
            Some(v) => parse_bool(v)
                .map(|value| FlagValue::Bool { value })
                .ok_or_else(|| format!("invalid value `{v}` for `--{name}`: expected true or false")),
        };
    }
    let Some(v) = value else {
        return Err(format!("missing a value on flag `--{name}` (write `--{name}=…`)"));
    };
    match (kind, name) {
        (Kind::Run, "mount") => parse_mount(v).map(FlagValue::Mount),
        (Kind::Run, "network") => match v {
            "default" | "none" | "host" => Ok(FlagValue::Plain),
            _ => Err(format!("unsupported network mode `{v}`: use default, none or host")),
        },
        (Kind::Run, "security") => match v {
            "insecure" | "sandbox" => Ok(FlagValue::Plain),
            _ => Err(format!("unsupported security mode `{v}`: use insecure or sandbox")),
        },
        (Kind::Healthcheck, "retries") => match v.parse::<i64>() {
            Ok(n) if n >= 0 => Ok(FlagValue::Integer { value: n }),
            _ => Err(format!("invalid value `{v}` for `--retries`: expected a whole number, 0 or more")),
        },
        (Kind::Healthcheck, _) => match crate::duration::parse_non_negative(v) {
            Some(nanos) if nanos == 0 || nanos >= 1_000_000 => Ok(FlagValue::Duration { nanos }),
            Some(_) => Err(format!("`--{name}` cannot be less than 1ms")),
            None => Err(format!("invalid duration `{v}` for `--{name}`: write it like 30s, 1m30s or 500ms")),
        },
        _ => Ok(FlagValue::Plain),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_of_every_type() {
        let m = parse_mount("type=cache,target=/root/.cache,sharing=locked,id=pip").unwrap();
        assert_eq!(
            (m.kind, m.target.as_deref(), m.id.as_deref()),
            (MountType::Cache, Some("/root/.cache"), Some("pip"))
        );
        let m = parse_mount("type=secret,id=npmrc,target=/root/.npmrc,required").unwrap();
        assert_eq!((m.kind, m.required), (MountType::Secret, Some(true)));
        let m = parse_mount("type=secret,id=tok,env=TOKEN").unwrap();
        assert_eq!(m.env.as_deref(), Some("TOKEN"));
        assert_eq!(parse_mount("type=ssh").unwrap().kind, MountType::Ssh);
        let m = parse_mount("target=/src,from=build,source=/out,ro").unwrap();
        assert_eq!((m.kind, m.readonly, m.from.as_deref()), (MountType::Bind, Some(true), Some("build")));
        let m = parse_mount("type=tmpfs,dst=/tmp,size=64m").unwrap();
        assert_eq!(m.options[1], MountOption { key: "dst".into(), value: Some("/tmp".into()), start: 11, end: 19 });
        let m = parse_mount(r#""type=bind","target=/a,b""#).unwrap();
        assert_eq!(m.target.as_deref(), Some("/a,b"));
    }

    #[test]
    fn mount_errors() {
        assert!(parse_mount("type=cache").unwrap_err().contains("needs a target"));
        assert!(parse_mount("type=nfs,target=/x").unwrap_err().contains("unsupported mount type"));
        assert!(parse_mount("target=/x,colour=red").unwrap_err().contains("unexpected key `colour`"));
        assert!(parse_mount("type=cache,target=/x,sharing=maybe").unwrap_err().contains("sharing"));
        assert!(parse_mount("target=/x,mode=999").unwrap_err().contains("octal"));
        assert!(parse_mount("target=\"/x").is_err());
    }

    #[test]
    fn flag_checks() {
        assert!(matches!(interpret(Kind::Copy, "link", None, false), Ok(FlagValue::Bool { value: true })));
        assert!(interpret(Kind::Copy, "from", None, false).unwrap_err().contains("missing a value"));
        assert!(interpret(Kind::Run, "chown", Some("1"), false).unwrap_err().contains("unknown flag"));
        assert!(interpret(Kind::Copy, "from", Some("a"), true).unwrap_err().contains("duplicate"));
        assert!(interpret(Kind::Run, "mount", Some("type=ssh"), true).is_ok());
        assert!(interpret(Kind::Healthcheck, "interval", Some("10us"), false).unwrap_err().contains("1ms"));
        assert!(interpret(Kind::Run, "network", Some("bridge"), false).is_err());
        assert!(interpret(Kind::User, "x", Some("1"), false).unwrap_err().contains("takes no flags"));
    }
}
