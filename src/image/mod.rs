//! Container image references: `[registry/]path[:tag][@digest]`.
//!
//! Parsing follows the grammar of Docker's `distribution/reference` package (what `docker pull`, Compose and
//! BuildKit use), written by hand. Normalisation follows Docker: an implicit registry is Docker Hub (`docker.io`),
//! and a one-component Docker Hub path lives under `library/`, so `nginx` is `docker.io/library/nginx:latest`.
//!
//! ```text
//! reference      := name [ ":" tag ] [ "@" digest ]
//! name           := [ registry "/" ] path                  ; at most 255 characters
//! registry       := host [ ":" port ]                      ; see below for when the first component is one
//! host           := domain-label ( "." domain-label )* | "[" ipv6 "]"
//! domain-label   := [A-Za-z0-9] | [A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]
//! ipv6           := [0-9A-Fa-f:]+                           ; no zone identifiers
//! port           := [0-9]+
//! path           := path-component ( "/" path-component )*
//! path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//! tag            := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest         := algorithm ":" hex                       ; sha256, sha384 or sha512 in lowercase hex
//! ```
//!
//! The first component of a name with a `/` is a registry only when it contains `.` or `:` or is `localhost`
//! (as in Docker's `splitDockerDomain`): `myorg/app` is on Docker Hub, `ghcr.io/myorg/app` is not.

pub mod eol;
pub mod users;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::Serialize;

use crate::source::TextRange;

/// The registry of names written without one.
pub const DOCKER_HUB: &str = "docker.io";

/// Host names that all mean Docker Hub; they normalise to [`DOCKER_HUB`].
const DOCKER_HUB_ALIASES: [&str; 3] = [DOCKER_HUB, "index.docker.io", "registry-1.docker.io"];

/// The Docker Hub namespace of official images.
const OFFICIAL_PREFIX: &str = "library/";

/// The tag Docker pulls when a reference has neither tag nor digest.
pub const DEFAULT_TAG: &str = "latest";

/// Longest name (registry, `/` and path, as written) Docker accepts.
pub const MAX_NAME_LEN: usize = 255;

/// Longest tag Docker accepts.
pub const MAX_TAG_LEN: usize = 128;

/// Digest algorithms Docker can verify, with the number of hex digits of each.
const DIGEST_ALGORITHMS: [(&str, usize); 3] = [("sha256", 64), ("sha384", 96), ("sha512", 128)];

/// A parsed image reference. Every part is kept as written, with its byte range within [`ImageRef::original`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ImageRef {
    /// The reference as written.
    pub original: String,
    /// The registry as written (`ghcr.io`, `localhost:5000`, `[::1]:5000`), `None` when implicit (Docker Hub).
    pub registry: Option<String>,
    /// The repository path as written (`nginx`, `library/nginx`, `org/team/app`).
    pub path: String,
    pub tag: Option<String>,
    /// The digest with its algorithm (`sha256:…`).
    pub digest: Option<String>,
    pub registry_range: Option<Range<usize>>,
    pub path_range: Range<usize>,
    /// Range of the tag, without the `:`.
    pub tag_range: Option<Range<usize>>,
    /// Range of the digest, without the `@`.
    pub digest_range: Option<Range<usize>>,
}

/// Why a string is not a valid image reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageRefError {
    /// What is wrong and, where it helps, what to write instead.
    pub message: String,
    /// Byte offset in the input where it went wrong (always on a character boundary, at most the input's length).
    pub offset: usize,
}

impl ImageRefError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        ImageRefError { message: message.into(), offset }
    }
}

impl fmt::Display for ImageRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImageRefError {}

impl ImageRef {
    /// Parses a reference such as `nginx`, `nginx:1.27`, `ghcr.io/org/app:v1@sha256:…` or `[::1]:5000/app`.
    ///
    /// Runs in time linear in the input and never panics. Leading or trailing whitespace is an error: callers
    /// trim, and expand variables, first.
    pub fn parse(s: &str) -> Result<ImageRef, ImageRefError> {
        if s.is_empty() {
            return Err(ImageRefError::new(0, "image reference is empty"));
        }
        // Neither a name nor a tag may contain `@`, so the first one starts the digest.
        let (name_and_tag_end, digest_range) = match s.find('@') {
            Some(at) => (at, Some(at + 1..s.len())),
            None => (s.len(), None),
        };
        // The tag starts at the first `:` after the last `/`; a `:` before that belongs to a registry port.
        let last_component = s[..name_and_tag_end].rfind('/').map_or(0, |slash| slash + 1);
        let (name_end, tag_range) = match s[last_component..name_and_tag_end].find(':') {
            Some(colon) => (last_component + colon, Some(last_component + colon + 1..name_and_tag_end)),
            None => (name_and_tag_end, None),
        };
        if name_end == 0 {
            let what = if tag_range.is_some() { "`:`" } else { "`@`" };
            return Err(ImageRefError::new(0, format!("image reference has no repository name before {what}")));
        }
        let name = &s[..name_end];
        let registry_range = match name.find('/') {
            Some(slash) if looks_like_registry(&name[..slash]) => Some(0..slash),
            _ => None,
        };
        if registry_range.is_none() && name.starts_with('[') && !name.contains('/') {
            return Err(ImageRefError::new(
                0,
                format!(
                    "{} has no repository path: an IPv6 registry like `[::1]:5000` must be followed by `/` and a \
                     repository name",
                    quoted(&s[..name_and_tag_end])
                ),
            ));
        }
        let path_range = registry_range.as_ref().map_or(0, |r| r.end + 1)..name_end;

        if let Some(range) = &registry_range {
            check_registry(s, range.clone())?;
        }
        check_path(s, path_range.clone(), registry_range.is_some())?;
        if let Some(range) = &tag_range {
            check_tag(s, range.clone())?;
        }
        if let Some(range) = &digest_range {
            check_digest(s, range.clone())?;
        }
        if name_end > MAX_NAME_LEN {
            return Err(ImageRefError::new(
                MAX_NAME_LEN,
                format!("image name is {name_end} characters long; Docker accepts at most {MAX_NAME_LEN}"),
            ));
        }
        if tag_range.is_none() && digest_range.is_none() && is_image_id(s) {
            return Err(ImageRefError::new(
                0,
                "a 64-character hexadecimal string is an image ID, not a repository name; to pin an image write \
                 `name@sha256:<digest>`",
            ));
        }

        let part = |range: &Range<usize>| s[range.clone()].to_owned();
        Ok(ImageRef {
            original: s.to_owned(),
            registry: registry_range.as_ref().map(part),
            path: part(&path_range),
            tag: tag_range.as_ref().map(part),
            digest: digest_range.as_ref().map(part),
            registry_range,
            path_range,
            tag_range,
            digest_range,
        })
    }

    /// The registry as written, or `docker.io` when implicit.
    pub fn registry_or_default(&self) -> &str {
        self.registry.as_deref().unwrap_or(DOCKER_HUB)
    }

    /// The registry with Docker Hub's other names (`index.docker.io`, `registry-1.docker.io`, any case) folded
    /// into `docker.io`; other registries as written.
    pub fn normalized_registry(&self) -> &str {
        match self.registry.as_deref() {
            Some(registry) if !is_docker_hub_host(registry) => registry,
            _ => DOCKER_HUB,
        }
    }

    /// The path as Docker resolves it: `library/` is added to a one-component Docker Hub path.
    pub fn normalized_path(&self) -> Cow<'_, str> {
        if self.is_docker_hub() && !self.path.contains('/') {
            Cow::Owned(format!("{OFFICIAL_PREFIX}{}", self.path))
        } else {
            Cow::Borrowed(&self.path)
        }
    }

    /// The fully qualified name without tag or digest: `nginx` gives `docker.io/library/nginx`.
    pub fn normalized_name(&self) -> String {
        format!("{}/{}", self.normalized_registry(), self.normalized_path())
    }

    /// The fully qualified reference, `name[:tag][@digest]`; `:latest` is added only when there is neither a tag
    /// nor a digest. `nginx` gives `docker.io/library/nginx:latest`.
    pub fn normalized(&self) -> String {
        let mut out = self.normalized_name();
        match (&self.tag, &self.digest) {
            (None, None) => {
                out.push(':');
                out.push_str(DEFAULT_TAG);
            }
            (tag, digest) => {
                if let Some(tag) = tag {
                    out.push(':');
                    out.push_str(tag);
                }
                if let Some(digest) = digest {
                    out.push('@');
                    out.push_str(digest);
                }
            }
        }
        out
    }

    /// The short name Docker shows: `docker.io/library/nginx` gives `nginx`, `docker.io/org/app` gives
    /// `org/app`, other registries keep theirs.
    pub fn familiar_name(&self) -> String {
        if !self.is_docker_hub() {
            return format!("{}/{}", self.normalized_registry(), self.path);
        }
        match self.path.strip_prefix(OFFICIAL_PREFIX) {
            Some(rest) if !rest.contains('/') => rest.to_owned(),
            _ => self.path.clone(),
        }
    }

    /// Whether the image is on Docker Hub (no registry, or one of Docker Hub's names).
    pub fn is_docker_hub(&self) -> bool {
        self.registry.as_deref().is_none_or(is_docker_hub_host)
    }

    /// Whether this is a Docker Official Image: `docker.io/library/<name>`.
    pub fn is_official(&self) -> bool {
        self.is_docker_hub()
            && match self.path.strip_prefix(OFFICIAL_PREFIX) {
                Some(rest) => !rest.contains('/'),
                None => !self.path.contains('/'),
            }
    }

    /// The tag Docker pulls: the tag as written, `latest` when there is neither tag nor digest, and `None` when
    /// there is only a digest.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some(DEFAULT_TAG),
            (None, Some(_)) => None,
        }
    }

    /// No tag and no digest, or the tag `latest` (even with a digest: combine with
    /// [`is_pinned_by_digest`](Self::is_pinned_by_digest) to excuse pinned references).
    pub fn is_latest_or_untagged(&self) -> bool {
        match &self.tag {
            Some(tag) => tag == DEFAULT_TAG,
            None => self.digest.is_none(),
        }
    }

    pub fn is_pinned_by_digest(&self) -> bool {
        self.digest.is_some()
    }

    /// The digest's algorithm (`sha256`).
    pub fn digest_algorithm(&self) -> Option<&str> {
        self.digest.as_deref().and_then(|d| d.split_once(':')).map(|(algorithm, _)| algorithm)
    }

    /// The last path component: `nginx` for `docker.io/library/nginx:1.27`.
    pub fn repository_basename(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl FromStr for ImageRef {
    type Err = ImageRefError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ImageRef::parse(s)
    }
}

/// Maps a range within [`ImageRef::original`] (or an [`ImageRefError::offset`] as an empty range) to the file,
/// given where `original` starts there. Only meaningful when the reference is written verbatim in the file (not
/// assembled from variables or unescaped from quotes).
pub fn range_in_file(part: &Range<usize>, original_start: u32) -> TextRange {
    let start = original_start as usize;
    TextRange::from_usize(start.saturating_add(part.start), start.saturating_add(part.end.max(part.start)))
}

/// Whether a base image name is `scratch`, the empty image, in any ASCII case.
///
/// BuildKit ignores case only when it keeps `scratch` out of named build contexts; as a base image it takes
/// exactly `scratch` as the empty image, and `Scratch` fails as a reference with uppercase letters (as
/// [`ImageRef::parse`] reports). Callers that want to flag the miscased spelling compare with `"scratch"` too.
pub fn is_scratch(s: &str) -> bool {
    s.eq_ignore_ascii_case("scratch")
}

/// Whether `image` matches a trusted-registry pattern. `*` matches any run of characters, possibly empty.
///
/// - A pattern without `/` is matched against the registry host alone, port included, case-insensitively:
///   `docker.io`, `ghcr.io`, `*.corp.example` (which matches `a.corp.example` and `a.b.corp.example` but not
///   `corp.example`), `registry.corp.example:*` (any port; but not the host without a port). The registry of a
///   name without one is `docker.io`.
/// - A pattern with `/` is split at its first `/`: the part before is matched against the registry as above, the
///   part after against the normalised path, where `*` also matches `/` (`ghcr.io/myorg/*` matches
///   `ghcr.io/myorg/team/app`, not `ghcr.io/myorg` itself and not `ghcr.io/myorgx/app`). A host-part `*` never
///   reaches into the path.
/// - Docker Hub's other names (`index.docker.io`, `registry-1.docker.io`) in a pattern mean `docker.io`, and a
///   one-component Docker Hub path without `*` gets `library/` as in a reference: `docker.io/nginx` matches
///   `nginx`. `docker.io/library/*` matches the official images, `docker.io/*` all of Docker Hub.
/// - Tags and digests take no part; a trailing `/` is ignored; an empty pattern matches nothing.
pub fn matches_registry_pattern(image: &ImageRef, pattern: &str) -> bool {
    let pattern = pattern.trim();
    let (host_pattern, path_pattern) = match pattern.split_once('/') {
        Some((host, "")) => (host, None),
        Some((host, path)) => (host, Some(path)),
        None => (pattern, None),
    };
    if host_pattern.is_empty() {
        return false;
    }
    let host_pattern = if is_docker_hub_host(host_pattern) { DOCKER_HUB } else { host_pattern };
    if !glob_match(host_pattern.as_bytes(), image.normalized_registry().as_bytes(), true) {
        return false;
    }
    let Some(path_pattern) = path_pattern else {
        return true;
    };
    let path_pattern = if host_pattern == DOCKER_HUB && !path_pattern.contains(['/', '*']) {
        Cow::Owned(format!("{OFFICIAL_PREFIX}{path_pattern}"))
    } else {
        Cow::Borrowed(path_pattern)
    };
    glob_match(path_pattern.as_bytes(), image.normalized_path().as_bytes(), false)
}

/// `*` matches any run of bytes. Greedy with backtracking to the last `*`: O(pattern × text) at worst.
fn glob_match(pattern: &[u8], text: &[u8], fold_case: bool) -> bool {
    let same = |a: u8, b: u8| if fold_case { a.eq_ignore_ascii_case(&b) } else { a == b };
    let (mut p, mut t) = (0, 0);
    // Position after the last `*` seen, and the text position it is currently matched up to.
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                backtrack = Some((p, t));
            }
            Some(&c) if same(c, text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((after_star, star_end)) => {
                    p = after_star;
                    t = star_end + 1;
                    backtrack = Some((after_star, t));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == b'*')
}

fn is_docker_hub_host(host: &str) -> bool {
    DOCKER_HUB_ALIASES.iter().any(|alias| host.eq_ignore_ascii_case(alias))
}

/// Docker's rule (`splitDockerDomain`) for whether the first component of a name is a registry.
fn looks_like_registry(component: &str) -> bool {
    component.contains(['.', ':']) || component == "localhost"
}

fn is_image_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn check_registry(s: &str, range: Range<usize>) -> Result<(), ImageRefError> {
    let registry = &s[range.clone()];
    let host_end = if registry.starts_with('[') {
        let Some(close) = registry.find(']') else {
            return Err(ImageRefError::new(
                range.start,
                format!("unclosed `[` in registry {}: write an IPv6 address like `[::1]:5000`", quoted(registry)),
            ));
        };
        let address = &registry[1..close];
        if address.is_empty() {
            return Err(ImageRefError::new(range.start, "empty IPv6 address `[]` in registry"));
        }
        if let Some((i, c)) = address.char_indices().find(|&(_, c)| !(c.is_ascii_hexdigit() || c == ':')) {
            return Err(invalid_char(
                range.start + 1 + i,
                c,
                &format!("IPv6 address {}", quoted(address)),
                "only hexadecimal digits and `:` are allowed (zone identifiers are not)",
            ));
        }
        close + 1
    } else {
        let host_end = registry.find(':').unwrap_or(registry.len());
        check_host(s, range.start..range.start + host_end)?;
        host_end
    };
    let rest = &registry[host_end..];
    let rest_start = range.start + host_end;
    if rest.is_empty() {
        return Ok(());
    }
    let Some(port) = rest.strip_prefix(':') else {
        return Err(ImageRefError::new(
            rest_start,
            format!("unexpected {} after the IPv6 address in registry {}", quoted(rest), quoted(registry)),
        ));
    };
    if port.is_empty() {
        return Err(ImageRefError::new(
            rest_start,
            format!("empty port in registry {}: remove the `:` or write a port number", quoted(registry)),
        ));
    }
    if let Some((i, _)) = port.char_indices().find(|&(_, c)| !c.is_ascii_digit()) {
        return Err(ImageRefError::new(
            rest_start + 1 + i,
            format!("invalid port {} in registry {}: a port is a number", quoted(port), quoted(registry)),
        ));
    }
    Ok(())
}

fn check_host(s: &str, range: Range<usize>) -> Result<(), ImageRefError> {
    let host = &s[range.clone()];
    if host.is_empty() {
        return Err(ImageRefError::new(range.start, "registry host is empty before `:`"));
    }
    let mut start = range.start;
    for label in host.split('.') {
        if label.is_empty() {
            return Err(ImageRefError::new(
                start,
                format!("registry host {} has an empty component (a doubled, leading or trailing `.`)", quoted(host)),
            ));
        }
        if let Some((i, c)) = label.char_indices().find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-')) {
            let rule = if c.is_ascii() {
                "a host may contain only letters, digits, `-` and `.`"
            } else {
                "a host may contain only ASCII letters, digits, `-` and `.` (write other names in punycode, `xn--…`)"
            };
            return Err(invalid_char(start + i, c, &format!("registry host {}", quoted(host)), rule));
        }
        if label.starts_with('-') || label.ends_with('-') {
            let at = if label.starts_with('-') { start } else { start + label.len() - 1 };
            return Err(ImageRefError::new(
                at,
                format!("component {} of registry host {} may not start or end with `-`", quoted(label), quoted(host)),
            ));
        }
        start += label.len() + 1;
    }
    Ok(())
}

fn check_path(s: &str, range: Range<usize>, has_registry: bool) -> Result<(), ImageRefError> {
    let path = &s[range.clone()];
    if path.is_empty() {
        // Only reachable after a registry (`ghcr.io/`); without one, an empty name is caught earlier.
        let message =
            if has_registry { "missing repository path after the registry" } else { "missing repository name" };
        return Err(ImageRefError::new(range.start, message));
    }
    let mut start = range.start;
    for component in path.split('/') {
        let end = start + component.len();
        if component.is_empty() {
            let message = if start == range.start {
                format!("repository name {} starts with `/`", quoted(path))
            } else if end == range.end {
                format!("repository name {} ends with `/`; remove it", quoted(path))
            } else {
                format!("repository name {} contains `//`; components may not be empty", quoted(path))
            };
            return Err(ImageRefError::new(start, message));
        }
        check_path_component(s, start..end, path)?;
        start = end + 1;
    }
    Ok(())
}

fn check_path_component(s: &str, range: Range<usize>, path: &str) -> Result<(), ImageRefError> {
    let component = &s[range.clone()];
    // Start of the run of separators being read, if any.
    let mut separators_start: Option<usize> = None;
    for (i, c) in component.char_indices() {
        let at = range.start + i;
        match c {
            'a'..='z' | '0'..='9' => {
                if let Some(run_start) = separators_start.take() {
                    check_separator(s, run_start..at, component)?;
                }
            }
            '.' | '_' | '-' => {
                if i == 0 {
                    return Err(ImageRefError::new(
                        at,
                        format!(
                            "component {} of repository name {} must start with a lowercase letter or digit",
                            quoted(component),
                            quoted(path)
                        ),
                    ));
                }
                separators_start.get_or_insert(at);
            }
            'A'..='Z' => {
                return Err(ImageRefError::new(
                    at,
                    format!(
                        "repository name must be lowercase: {} contains `{c}`; write {}",
                        quoted(path),
                        quoted(&path.to_ascii_lowercase())
                    ),
                ));
            }
            _ => {
                return Err(invalid_char(
                    at,
                    c,
                    &format!("repository name {}", quoted(path)),
                    "a repository name may contain only lowercase letters, digits, `/`, `.`, `_` and `-`",
                ));
            }
        }
    }
    if let Some(run_start) = separators_start {
        return Err(ImageRefError::new(
            run_start,
            format!(
                "component {} of repository name {} must end with a lowercase letter or digit",
                quoted(component),
                quoted(path)
            ),
        ));
    }
    Ok(())
}

fn check_separator(s: &str, range: Range<usize>, component: &str) -> Result<(), ImageRefError> {
    let run = &s[range.clone()];
    if matches!(run, "." | "_" | "__") || run.bytes().all(|b| b == b'-') {
        return Ok(());
    }
    Err(ImageRefError::new(
        range.start,
        format!(
            "invalid separator {} in repository name component {}: letters and digits may be joined by one `.`, \
             one or two `_`, or any number of `-`",
            quoted(run),
            quoted(component)
        ),
    ))
}

fn check_tag(s: &str, range: Range<usize>) -> Result<(), ImageRefError> {
    let tag = &s[range.clone()];
    if tag.is_empty() {
        return Err(ImageRefError::new(range.start - 1, "empty tag after `:`: remove the `:` or write a tag"));
    }
    for (i, c) in tag.char_indices() {
        if c.is_ascii_alphanumeric() || c == '_' {
            continue;
        }
        if c == '.' || c == '-' {
            if i > 0 {
                continue;
            }
            return Err(ImageRefError::new(
                range.start,
                format!("invalid tag {}: a tag must start with a letter, digit or `_`", quoted(tag)),
            ));
        }
        return Err(invalid_char(
            range.start + i,
            c,
            &format!("tag {}", quoted(tag)),
            "a tag may contain only letters, digits, `_`, `.` and `-`, at most 128 characters",
        ));
    }
    if tag.len() > MAX_TAG_LEN {
        return Err(ImageRefError::new(
            range.start + MAX_TAG_LEN,
            format!("tag is {} characters long; Docker accepts at most {MAX_TAG_LEN}", tag.len()),
        ));
    }
    Ok(())
}

fn check_digest(s: &str, range: Range<usize>) -> Result<(), ImageRefError> {
    const FORM: &str = "write `@sha256:` followed by 64 lowercase hexadecimal digits";
    let digest = &s[range.clone()];
    if digest.is_empty() {
        return Err(ImageRefError::new(range.start - 1, format!("empty digest after `@`: remove the `@` or {FORM}")));
    }
    if let Some(at) = digest.find('@') {
        return Err(ImageRefError::new(range.start + at, "more than one `@`: a reference has at most one digest"));
    }
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err(ImageRefError::new(
            range.start,
            format!("invalid digest {}: a digest is `algorithm:hex`; {FORM}", quoted(digest)),
        ));
    };
    check_digest_algorithm(algorithm, range.start)?;
    let hex_start = range.start + algorithm.len() + 1;
    if let Some((i, c)) = hex.char_indices().find(|&(_, c)| !c.is_ascii_hexdigit()) {
        return Err(invalid_char(
            hex_start + i,
            c,
            &format!("digest {}", quoted(digest)),
            "after the `:` a digest has only hexadecimal digits",
        ));
    }
    let Some(&(_, expected_len)) = DIGEST_ALGORITHMS.iter().find(|(name, _)| *name == algorithm) else {
        let hint = if DIGEST_ALGORITHMS.iter().any(|(name, _)| name.eq_ignore_ascii_case(algorithm)) {
            format!("; algorithm names are lowercase, write `{}`", algorithm.to_ascii_lowercase())
        } else {
            String::new()
        };
        return Err(ImageRefError::new(
            range.start,
            format!("unsupported digest algorithm `{algorithm}`: Docker accepts sha256, sha384 and sha512{hint}"),
        ));
    };
    if hex.len() != expected_len {
        return Err(ImageRefError::new(
            hex_start,
            format!("a {algorithm} digest has {expected_len} hexadecimal digits, this one has {}", hex.len()),
        ));
    }
    if let Some(i) = hex.find(|c: char| c.is_ascii_uppercase()) {
        return Err(ImageRefError::new(
            hex_start + i,
            format!(
                "a {algorithm} digest is written in lowercase hexadecimal; write {}",
                quoted(&hex.to_ascii_lowercase())
            ),
        ));
    }
    Ok(())
}

/// `[A-Za-z][A-Za-z0-9]*` components joined by one of `-_+.`.
fn check_digest_algorithm(algorithm: &str, start: usize) -> Result<(), ImageRefError> {
    if algorithm.is_empty() {
        return Err(ImageRefError::new(start, "digest has no algorithm before `:`; write `sha256:…`"));
    }
    let mut at_component_start = true;
    for (i, c) in algorithm.char_indices() {
        let ok = if at_component_start { c.is_ascii_alphabetic() } else { c.is_ascii_alphanumeric() };
        if ok {
            at_component_start = false;
        } else if !at_component_start && matches!(c, '-' | '_' | '+' | '.') {
            at_component_start = true;
        } else {
            return Err(invalid_char(
                start + i,
                c,
                &format!("digest algorithm {}", quoted(algorithm)),
                "an algorithm is a name like `sha256`",
            ));
        }
    }
    if at_component_start {
        return Err(ImageRefError::new(
            start + algorithm.len() - 1,
            format!("digest algorithm {} ends with a separator", quoted(algorithm)),
        ));
    }
    Ok(())
}

fn invalid_char(offset: usize, c: char, in_what: &str, rule: &str) -> ImageRefError {
    let what = match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("U+{:04X}", c as u32),
        c => format!("`{c}`"),
    };
    let hint = if c == '$' { " (expand variables before checking the reference)" } else { "" };
    ImageRefError::new(offset, format!("invalid {in_what}: {what} is not allowed; {rule}{hint}"))
}

/// `text` in backticks for a message, shortened and with control characters escaped.
fn quoted(text: &str) -> String {
    const MAX_CHARS: usize = 64;
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 4) + 8);
    out.push('`');
    for (n, c) in text.chars().enumerate() {
        if n == MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA256: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn parse(s: &str) -> ImageRef {
        match ImageRef::parse(s) {
            Ok(image) => image,
            Err(e) => panic!("{s:?} should parse, got error at {}: {}", e.offset, e.message),
        }
    }

    fn error(s: &str) -> ImageRefError {
        match ImageRef::parse(s) {
            Ok(image) => panic!("{s:?} should not parse, got {image:?}"),
            Err(e) => e,
        }
    }

    /// (input, registry, path, tag, digest, normalized)
    type Valid =
        (&'static str, Option<&'static str>, &'static str, Option<&'static str>, Option<&'static str>, &'static str);

    const VALID: &[Valid] = &[
        ("nginx", None, "nginx", None, None, "docker.io/library/nginx:latest"),
        ("nginx:1.27-alpine", None, "nginx", Some("1.27-alpine"), None, "docker.io/library/nginx:1.27-alpine"),
        ("library/nginx:stable", None, "library/nginx", Some("stable"), None, "docker.io/library/nginx:stable"),
        ("docker.io/nginx", Some("docker.io"), "nginx", None, None, "docker.io/library/nginx:latest"),
        (
            "index.docker.io/library/nginx",
            Some("index.docker.io"),
            "library/nginx",
            None,
            None,
            "docker.io/library/nginx:latest",
        ),
        (
            "registry-1.docker.io/bitnami/redis:7",
            Some("registry-1.docker.io"),
            "bitnami/redis",
            Some("7"),
            None,
            "docker.io/bitnami/redis:7",
        ),
        ("bitnami/redis", None, "bitnami/redis", None, None, "docker.io/bitnami/redis:latest"),
        ("org/team/app:v1", None, "org/team/app", Some("v1"), None, "docker.io/org/team/app:v1"),
        ("ghcr.io/org/app:v1.2.3", Some("ghcr.io"), "org/app", Some("v1.2.3"), None, "ghcr.io/org/app:v1.2.3"),
        (
            "gcr.io/distroless/static",
            Some("gcr.io"),
            "distroless/static",
            None,
            None,
            "gcr.io/distroless/static:latest",
        ),
        ("localhost/app", Some("localhost"), "app", None, None, "localhost/app:latest"),
        ("localhost:5000/app:dev", Some("localhost:5000"), "app", Some("dev"), None, "localhost:5000/app:dev"),
        ("registry:5000/app", Some("registry:5000"), "app", None, None, "registry:5000/app:latest"),
        ("192.168.1.1:5000/a/b:5050", Some("192.168.1.1:5000"), "a/b", Some("5050"), None, "192.168.1.1:5000/a/b:5050"),
        ("[::1]:5000/app", Some("[::1]:5000"), "app", None, None, "[::1]:5000/app:latest"),
        ("[2001:db8::1]/repo:tag", Some("[2001:db8::1]"), "repo", Some("tag"), None, "[2001:db8::1]/repo:tag"),
        (
            "xn--7o8h.com/app:xn--7o8h.com",
            Some("xn--7o8h.com"),
            "app",
            Some("xn--7o8h.com"),
            None,
            "xn--7o8h.com/app:xn--7o8h.com",
        ),
        (
            "My-Registry.Example.COM/app",
            Some("My-Registry.Example.COM"),
            "app",
            None,
            None,
            "My-Registry.Example.COM/app:latest",
        ),
        // A single component is always a Docker Hub path, even when it looks like a host.
        ("localhost", None, "localhost", None, None, "docker.io/library/localhost:latest"),
        ("localhost:5000", None, "localhost", Some("5000"), None, "docker.io/library/localhost:5000"),
        ("example.com:tag", None, "example.com", Some("tag"), None, "docker.io/library/example.com:tag"),
        // Separators.
        ("a_b__c---d/e.f-g", None, "a_b__c---d/e.f-g", None, None, "docker.io/a_b__c---d/e.f-g:latest"),
        ("0/9", None, "0/9", None, None, "docker.io/0/9:latest"),
        // Tags.
        ("app:Latest_.-X", None, "app", Some("Latest_.-X"), None, "docker.io/library/app:Latest_.-X"),
        ("app:_", None, "app", Some("_"), None, "docker.io/library/app:_"),
    ];

    #[test]
    fn valid_references() {
        for &(input, registry, path, tag, digest, normalized) in VALID {
            let image = parse(input);
            assert_eq!(image.original, input);
            assert_eq!(image.registry.as_deref(), registry, "registry of {input}");
            assert_eq!(image.path, path, "path of {input}");
            assert_eq!(image.tag.as_deref(), tag, "tag of {input}");
            assert_eq!(image.digest.as_deref(), digest, "digest of {input}");
            assert_eq!(image.normalized(), normalized, "normalized {input}");
            assert_ranges_consistent(&image);
        }
    }

    /// Every part is the slice of `original` its range names, and the parts reassemble the original.
    fn assert_ranges_consistent(image: &ImageRef) {
        let s = &image.original;
        assert_eq!(image.registry.as_deref(), image.registry_range.clone().map(|r| &s[r]));
        assert_eq!(image.path, s[image.path_range.clone()]);
        assert_eq!(image.tag.as_deref(), image.tag_range.clone().map(|r| &s[r]));
        assert_eq!(image.digest.as_deref(), image.digest_range.clone().map(|r| &s[r]));
        let mut rebuilt = String::new();
        if let Some(registry) = &image.registry {
            rebuilt.push_str(registry);
            rebuilt.push('/');
        }
        rebuilt.push_str(&image.path);
        if let Some(tag) = &image.tag {
            rebuilt.push(':');
            rebuilt.push_str(tag);
        }
        if let Some(digest) = &image.digest {
            rebuilt.push('@');
            rebuilt.push_str(digest);
        }
        assert_eq!(&rebuilt, s);
    }

    #[test]
    fn ranges_point_into_the_original() {
        let input = format!("ghcr.io:443/org/app:v1@{SHA256}");
        let image = parse(&input);
        assert_eq!(image.registry_range, Some(0..11));
        assert_eq!(image.path_range, 12..19);
        assert_eq!(image.tag_range, Some(20..22));
        assert_eq!(image.digest_range, Some(23..input.len()));
        assert_eq!(range_in_file(&image.path_range, 100), TextRange::new(112, 119));
        assert_eq!(range_in_file(&(3..3), 5), TextRange::empty(8));

        let image = parse("nginx");
        assert_eq!(image.registry_range, None);
        assert_eq!(image.path_range, 0..5);
    }

    #[test]
    fn digests() {
        let image = parse(&format!("nginx@{SHA256}"));
        assert_eq!(image.tag, None);
        assert_eq!(image.digest.as_deref(), Some(SHA256));
        assert_eq!(image.effective_tag(), None);
        assert!(image.is_pinned_by_digest());
        assert!(!image.is_latest_or_untagged());
        assert_eq!(image.digest_algorithm(), Some("sha256"));
        assert_eq!(image.normalized(), format!("docker.io/library/nginx@{SHA256}"));

        let image = parse(&format!("localhost:5000/app:1.0@{SHA256}"));
        assert_eq!(image.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(image.tag.as_deref(), Some("1.0"));
        assert_eq!(image.effective_tag(), Some("1.0"));
        assert_eq!(image.normalized(), format!("localhost:5000/app:1.0@{SHA256}"));

        let sha384 = format!("sha384:{}", "a".repeat(96));
        let sha512 = format!("sha512:{}", "0".repeat(128));
        assert_eq!(parse(&format!("a@{sha384}")).digest_algorithm(), Some("sha384"));
        assert_eq!(parse(&format!("[::1]:5000/a:b@{sha512}")).digest.as_deref(), Some(sha512.as_str()));
    }

    #[test]
    fn tag_and_latest_helpers() {
        let untagged = parse("nginx");
        assert_eq!(untagged.effective_tag(), Some("latest"));
        assert!(untagged.is_latest_or_untagged());
        assert!(!untagged.is_pinned_by_digest());

        assert!(parse("nginx:latest").is_latest_or_untagged());
        assert!(!parse("nginx:Latest").is_latest_or_untagged());
        assert!(!parse("nginx:1.27").is_latest_or_untagged());
        // A digest pins the image, but the tag as written is still `latest`.
        assert!(parse(&format!("nginx:latest@{SHA256}")).is_latest_or_untagged());
    }

    #[test]
    fn docker_hub_and_official() {
        for input in ["nginx", "library/nginx", "docker.io/nginx", "docker.io/library/nginx", "index.docker.io/nginx"] {
            let image = parse(input);
            assert!(image.is_docker_hub(), "{input}");
            assert!(image.is_official(), "{input}");
            assert_eq!(image.normalized_name(), "docker.io/library/nginx", "{input}");
            assert_eq!(image.familiar_name(), "nginx", "{input}");
            assert_eq!(image.repository_basename(), "nginx", "{input}");
        }
        let user = parse("bitnami/redis:7");
        assert!(user.is_docker_hub());
        assert!(!user.is_official());
        assert_eq!(user.familiar_name(), "bitnami/redis");
        assert_eq!(user.repository_basename(), "redis");

        let nested = parse("library/distros/ubuntu");
        assert!(!nested.is_official());
        assert_eq!(nested.familiar_name(), "library/distros/ubuntu");

        let upper_hub = parse("Docker.IO/nginx");
        assert!(upper_hub.is_docker_hub());
        assert_eq!(upper_hub.normalized_name(), "docker.io/library/nginx");

        let ghcr = parse("ghcr.io/nginx");
        assert!(!ghcr.is_docker_hub());
        assert!(!ghcr.is_official());
        assert_eq!(ghcr.registry_or_default(), "ghcr.io");
        assert_eq!(ghcr.normalized_name(), "ghcr.io/nginx");
        assert_eq!(ghcr.familiar_name(), "ghcr.io/nginx");

        assert_eq!(parse("nginx").registry_or_default(), "docker.io");
        assert_eq!(parse("index.docker.io/nginx").registry_or_default(), "index.docker.io");
        assert_eq!(parse("index.docker.io/nginx").normalized_registry(), "docker.io");
        // Only the registry's own names count; a port or another host is another registry.
        assert!(!parse("docker.io:443/nginx").is_docker_hub());
        assert!(!parse("hub.docker.com/nginx").is_docker_hub());
    }

    #[test]
    fn scratch() {
        assert!(is_scratch("scratch"));
        assert!(is_scratch("SCRATCH"));
        assert!(is_scratch("Scratch"));
        assert!(!is_scratch("scratch:latest"));
        assert!(!is_scratch("library/scratch"));
        assert!(!is_scratch(""));
        assert!(!is_scratch("ſcratch"));
        // BuildKit would try to pull `Scratch`, which is not a valid reference.
        assert!(error("Scratch").message.contains("must be lowercase"));
    }

    /// (input, offset, a piece of the message)
    const INVALID: &[(&str, usize, &str)] = &[
        ("", 0, "empty"),
        (":tag", 0, "no repository name before `:`"),
        ("@", 0, "no repository name before `@`"),
        ("@sha256:abc", 0, "no repository name"),
        (":", 0, "no repository name"),
        ("nginx:", 5, "empty tag"),
        ("nginx@", 5, "empty digest"),
        ("nginx:@", 5, "empty tag"),
        // Case.
        ("Nginx", 0, "repository name must be lowercase"),
        ("nginx/App:v1", 6, "repository name must be lowercase"),
        ("MyOrg/app", 0, "write `myorg/app`"),
        ("ghcr.io/org/MyApp", 12, "must be lowercase"),
        ("localhost:5000/Uppercase/lowercase:tag", 15, "must be lowercase"),
        // Path shape.
        ("nginx/", 6, "ends with `/`"),
        ("ghcr.io/", 8, "missing repository path after the registry"),
        ("ghcr.io/org/", 12, "ends with `/`"),
        ("/nginx", 0, "starts with `/`"),
        ("org//app", 4, "contains `//`"),
        ("-app", 0, "must start with a lowercase letter or digit"),
        ("app-", 3, "must end with a lowercase letter or digit"),
        ("app.", 3, "must end"),
        ("a..b", 1, "invalid separator `..`"),
        ("a._b", 1, "invalid separator `._`"),
        ("a___b", 1, "invalid separator `___`"),
        ("a-.b", 1, "invalid separator `-.`"),
        ("aa/asdf$$^/aa", 7, "expand variables"),
        ("${BASE}", 0, "`$` is not allowed"),
        ("ngïnx", 2, "invalid repository name `ngïnx`: `ï` is not allowed"),
        ("nginx latest", 5, "a space"),
        (" nginx", 0, "a space"),
        ("nginx\t", 5, "a tab"),
        ("a/b\u{0}", 3, "U+0000"),
        // Tags.
        ("nginx:a b", 7, "invalid tag `a b`"),
        ("nginx:-1", 6, "must start with a letter, digit or `_`"),
        ("nginx:.1", 6, "must start"),
        ("nginx:1:2", 7, "invalid tag `1:2`: `:` is not allowed"),
        ("nginx:tâg", 7, "`â` is not allowed"),
        ("a:b/c", 2, "invalid port `b`"),
        // Registries.
        ("foo_bar.com/app", 3, "invalid registry host `foo_bar.com`: `_` is not allowed"),
        ("-bad.com/app", 0, "may not start or end with `-`"),
        ("bad-.com/app", 3, "may not start or end with `-`"),
        ("a..com/app", 2, "empty component"),
        (".com/app", 0, "empty component"),
        (":5000/app", 0, "registry host is empty"),
        ("host:/app", 4, "empty port"),
        ("host:50a0/app", 7, "invalid port `50a0`"),
        ("exämple.com/app", 2, "punycode"),
        ("[::1/app", 0, "unclosed `[`"),
        ("[]:5000/app", 0, "empty IPv6 address"),
        ("[fe80::1%eth0]:5000/app", 8, "zone identifiers"),
        ("[::1]x:5000/app", 5, "after the IPv6 address"),
        ("[::1]:5000", 0, "has no repository path"),
        ("[2001:db8::1]", 0, "has no repository path"),
        // Digests.
        ("nginx@sha256", 6, "a digest is `algorithm:hex`"),
        ("nginx@:abc", 6, "no algorithm"),
        ("nginx@sha256:", 13, "has 64 hexadecimal digits, this one has 0"),
        ("nginx@sha256:abc", 13, "this one has 3"),
        ("nginx@sha256:xyz", 13, "`x` is not allowed"),
        ("nginx@md5:0123456789abcdef0123456789abcdef", 6, "unsupported digest algorithm `md5`"),
        ("nginx@SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 6, "write `sha256`"),
        ("nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", 23, "lowercase hexadecimal"),
        ("nginx@1sha:abc", 6, "`1` is not allowed"),
        ("nginx@sha-:abc", 9, "ends with a separator"),
        ("nginx@sha--x:abc", 10, "`-` is not allowed"),
        ("a@b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 3, "more than one `@`"),
        // Image IDs.
        ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 0, "image ID"),
    ];

    #[test]
    fn invalid_references() {
        for &(input, offset, message) in INVALID {
            let e = error(input);
            assert!(e.message.contains(message), "{input:?}: expected {message:?} in {:?}", e.message);
            assert_eq!(e.offset, offset, "offset for {input:?} ({})", e.message);
            assert!(input.is_char_boundary(e.offset));
        }
    }

    #[test]
    fn error_messages_read_well() {
        assert_eq!(
            error("nginx:a b").message,
            "invalid tag `a b`: a space is not allowed; a tag may contain only letters, digits, `_`, `.` and `-`, at \
             most 128 characters"
        );
        assert_eq!(
            error("org/MyApp").message,
            "repository name must be lowercase: `org/MyApp` contains `M`; write `org/myapp`"
        );
        assert_eq!(
            error("foo_bar.com/app").message,
            "invalid registry host `foo_bar.com`: `_` is not allowed; a host may contain only letters, digits, `-` \
             and `.`"
        );
    }

    #[test]
    fn a_sixty_four_hex_name_with_a_tag_is_a_name() {
        let id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assert_eq!(parse(&format!("{id}:tag")).path, id);
        assert_eq!(parse(&format!("org/{id}")).repository_basename(), id);
    }

    #[test]
    fn name_length_limit() {
        let longest = format!("{}a", "a/".repeat(127));
        assert_eq!(longest.len(), 255);
        assert_eq!(parse(&format!("{longest}:tag-that-does-not-count")).path, longest);

        let e = error(&format!("{}a:tag", "a/".repeat(128)));
        assert_eq!(e.offset, 255);
        assert!(e.message.contains("257 characters"), "{}", e.message);

        // The registry counts towards the 255.
        let path = "p".repeat(250);
        assert!(ImageRef::parse(&format!("r.io/{path}")).is_ok());
        assert_eq!(error(&format!("reg.io/{path}")).offset, 255);
        assert_eq!(error(&"a".repeat(256)).offset, 255);
    }

    #[test]
    fn tag_length_limit() {
        let tag = "t".repeat(128);
        assert_eq!(parse(&format!("app:{tag}")).tag.as_deref(), Some(tag.as_str()));
        let e = error(&format!("app:{tag}x"));
        assert_eq!(e.offset, 4 + 128);
        assert!(e.message.contains("129 characters"), "{}", e.message);
    }

    #[test]
    fn long_input_is_quick_and_messages_stay_short() {
        let huge = "a".repeat(4 << 20);
        let started = std::time::Instant::now();
        assert_eq!(error(&huge).offset, 255);
        let e = error(&format!("{huge}:{huge}!"));
        assert!(e.message.len() < 400, "message is {} bytes", e.message.len());
        let e = error(&format!("app:{}", "é".repeat(1 << 20)));
        assert_eq!(e.offset, 4);
        assert!(e.message.contains('…'));
        assert!(!glob_match(b"*a*a*a*a*b", "a".repeat(2000).as_bytes(), false));
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn display_and_from_str() {
        let image: ImageRef = "ghcr.io/org/app:v1".parse().unwrap();
        assert_eq!(image.to_string(), "ghcr.io/org/app:v1");
        assert!("Bad".parse::<ImageRef>().is_err());
        assert_eq!(error("Bad").to_string(), error("Bad").message);
    }

    fn matches(image: &str, pattern: &str) -> bool {
        matches_registry_pattern(&parse(image), pattern)
    }

    #[test]
    fn registry_patterns_without_slash_match_the_host() {
        assert!(matches("nginx", "docker.io"));
        assert!(matches("bitnami/redis", "docker.io"));
        assert!(matches("index.docker.io/nginx", "docker.io"));
        assert!(matches("nginx", "index.docker.io"));
        assert!(matches("nginx", "DOCKER.IO"));
        assert!(!matches("ghcr.io/org/app", "docker.io"));
        assert!(matches("ghcr.io/org/app", "ghcr.io"));
        assert!(matches("GHCR.io/org/app", "ghcr.io"));
        assert!(!matches("ghcr.io.evil.com/org/app", "ghcr.io"));
        assert!(!matches("ghcr.io:8443/org/app", "ghcr.io"));
        assert!(matches("ghcr.io:8443/org/app", "ghcr.io:*"));
        assert!(!matches("ghcr.io/org/app", "ghcr.io:*"));
        assert!(matches("localhost:5000/app", "localhost:5000"));
        assert!(!matches("localhost:5000/app", "localhost"));
        assert!(matches("[::1]:5000/app", "[::1]:5000"));
        assert!(matches("anything.example/app", "*"));
        assert!(matches("nginx", "*"));
    }

    #[test]
    fn registry_patterns_with_host_globs() {
        assert!(matches("a.corp.example/app", "*.corp.example"));
        assert!(matches("a.b.corp.example/app", "*.corp.example"));
        assert!(!matches("corp.example/app", "*.corp.example"));
        assert!(!matches("evilcorp.example/app", "*.corp.example"));
        assert!(!matches("a.corp.example.evil.com/app", "*.corp.example"));
        assert!(matches("registry.corp.example/team/app", "registry.*.example"));
        // A host glob cannot reach into the path.
        assert!(!matches("evil.com/x.corp.example/app", "*.corp.example/*"));
        assert!(matches("a.corp.example/x/app", "*.corp.example/*"));
    }

    #[test]
    fn registry_patterns_with_paths() {
        assert!(matches("registry.corp.example/app", "registry.corp.example/*"));
        assert!(matches("registry.corp.example/team/app:1", "registry.corp.example/*"));
        assert!(!matches("registry.corp.example.evil/app", "registry.corp.example/*"));
        assert!(matches("ghcr.io/myorg/app", "ghcr.io/myorg/*"));
        assert!(matches("ghcr.io/myorg/team/app", "ghcr.io/myorg/*"));
        assert!(!matches("ghcr.io/myorg", "ghcr.io/myorg/*"));
        assert!(!matches("ghcr.io/myorgx/app", "ghcr.io/myorg/*"));
        assert!(!matches("ghcr.io/other/app", "ghcr.io/myorg/*"));
        assert!(matches("ghcr.io/myorg/app", "ghcr.io/myorg/app"));
        assert!(!matches("ghcr.io/myorg/app2", "ghcr.io/myorg/app"));
        assert!(matches("ghcr.io/myorg/app-base", "ghcr.io/myorg/app-*"));
        assert!(matches("ghcr.io/myorg/app", "ghcr.io/"));
        assert!(matches("ghcr.io/myorg/app", "  ghcr.io/myorg/*  "));
    }

    #[test]
    fn registry_patterns_normalise_docker_hub() {
        assert!(matches("nginx", "docker.io/library/*"));
        assert!(matches("library/nginx:1", "docker.io/library/*"));
        assert!(!matches("bitnami/redis", "docker.io/library/*"));
        assert!(matches("bitnami/redis", "docker.io/*"));
        assert!(matches("nginx", "docker.io/*"));
        assert!(matches("nginx", "docker.io/nginx"));
        assert!(matches("docker.io/library/nginx", "index.docker.io/nginx"));
        assert!(!matches("nginx", "docker.io/ngin*"));
        assert!(matches("nginx", "docker.io/library/ngin*"));
        assert!(matches("bitnami/redis", "docker.io/bitnami/*"));
        assert!(!matches("ghcr.io/library/nginx", "docker.io/library/*"));
    }

    #[test]
    fn empty_and_odd_patterns_match_nothing() {
        assert!(!matches("nginx", ""));
        assert!(!matches("nginx", "   "));
        assert!(!matches("nginx", "/"));
        assert!(!matches("nginx", "/library/nginx"));
        assert!(!matches("ghcr.io/org/app:v1", "ghcr.io/org/app:v1"));
    }

    #[test]
    fn glob() {
        assert!(glob_match(b"", b"", false));
        assert!(!glob_match(b"", b"a", false));
        assert!(glob_match(b"*", b"", false));
        assert!(glob_match(b"**", b"abc", false));
        assert!(glob_match(b"a*c", b"abbbc", false));
        assert!(glob_match(b"a*c", b"ac", false));
        assert!(!glob_match(b"a*c", b"acb", false));
        assert!(glob_match(b"*b*", b"abc", false));
        assert!(glob_match(b"a*b*c", b"aXbYbZc", false));
        assert!(!glob_match(b"ABC", b"abc", false));
        assert!(glob_match(b"ABC", b"abc", true));
    }

    /// A tiny xorshift generator, so the property tests need no dependency and are reproducible.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const ALPHABET: &[char] =
        &['a', 'z', '0', '9', 'A', 'Z', '.', '_', '-', '/', ':', '@', '[', ']', ' ', '$', 'é', '😀', '\0', 'f'];

    fn check_invariants(input: &str) {
        match ImageRef::parse(input) {
            Ok(image) => {
                assert_ranges_consistent(&image);
                assert!(image.path_range.len() <= MAX_NAME_LEN);
                // Normalising is idempotent: the normalised form parses to itself.
                let normalized = image.normalized();
                let again = ImageRef::parse(&normalized).map(|r| r.normalized());
                assert_eq!(again.as_ref(), Ok(&normalized), "normalising {input:?}");
                let _ = (image.familiar_name(), image.repository_basename(), image.is_official());
                let _ = matches_registry_pattern(&image, input);
            }
            Err(e) => {
                assert!(e.offset <= input.len(), "{input:?}: offset {} out of bounds", e.offset);
                assert!(input.is_char_boundary(e.offset), "{input:?}: offset {} splits a character", e.offset);
                assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn random_strings_never_panic() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = rng.below(24);
            let input: String = (0..len).map(|_| ALPHABET[rng.below(ALPHABET.len())]).collect();
            check_invariants(&input);
        }
    }

    #[test]
    fn mutated_valid_references_never_panic() {
        let mut seeds: Vec<String> = VALID.iter().map(|v| v.0.to_owned()).collect();
        seeds.push(format!("localhost:5000/app:1.0@{SHA256}"));
        seeds.push(format!("[2001:db8::1]:5000/a/b@{SHA256}"));
        let mut rng = Rng(42);
        for _ in 0..20_000 {
            let mut chars: Vec<char> = seeds[rng.below(seeds.len())].chars().collect();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(chars.len() + 1);
                match rng.below(3) {
                    0 => chars.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    _ if at < chars.len() => chars[at] = ALPHABET[rng.below(ALPHABET.len())],
                    _ => {}
                }
            }
            check_invariants(&chars.into_iter().collect::<String>());
        }
    }
}
