//! Finding files and telling their kind.

use std::path::{Path, PathBuf};

use crate::compose::project::RealFs;

/// What kind of file plimsoll reads a path as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum FileKind {
    Dockerfile,
    Compose,
}

/// The kind a file name implies, if any. Compose: `compose.y(a)ml`, `docker-compose.y(a)ml`,
/// `compose.*.y(a)ml`, `docker-compose.*.y(a)ml`, `*-compose.y(a)ml`. Dockerfiles: `Dockerfile`,
/// `Containerfile`, `*.Dockerfile`, `*.dockerfile`, `Dockerfile.*`, `Containerfile.*`, and anything ending in
/// `Dockerfile`.
pub fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if is_compose_name(&lower) {
        return Some(FileKind::Compose);
    }
    // Per-Dockerfile ignore files (`Dockerfile.dockerignore`) and docs are not Dockerfiles.
    if lower.ends_with(".dockerignore") || lower.ends_with(".md") {
        return None;
    }
    let is_dockerfile = lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || name.ends_with("Dockerfile")
        || name.ends_with("Containerfile");
    is_dockerfile.then_some(FileKind::Dockerfile)
}

fn is_compose_name(lower: &str) -> bool {
    let Some(stem) = lower.strip_suffix(".yaml").or_else(|| lower.strip_suffix(".yml")) else { return false };
    stem == "compose"
        || stem == "docker-compose"
        || stem.starts_with("compose.")
        || stem.starts_with("docker-compose.")
        || stem.ends_with("-compose")
}

/// Whether an explicitly named file is YAML (then it is read as a Compose file).
pub fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// A file to lint and its kind.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub path: PathBuf,
    pub kind: FileKind,
}

/// Problems met while finding files: a missing path, an unreadable folder.
#[derive(Debug)]
pub struct DiscoveryError {
    pub path: PathBuf,
    pub message: String,
}

/// How to expand paths into files.
#[derive(Clone, Debug, Default)]
pub struct DiscoverOptions {
    /// Read every file as this kind.
    pub forced: Option<FileKind>,
    /// Gitignore-style globs of files and folders to leave out of folder walks (`vendor/`, `*.prod.yml`).
    pub exclude: Vec<String>,
    /// Follow symbolic links while walking folders.
    pub follow_links: bool,
    /// The name standard input (`-`) stands for: it gives the kind, and the path findings are reported at.
    pub stdin_filename: Option<PathBuf>,
}

/// Expands paths into files to lint. Folders are walked (respecting `.gitignore`, `.ignore` and
/// `.plimsollignore`, skipping hidden entries and `exclude`d ones, not following symbolic links unless asked);
/// files named explicitly are linted whatever their name, as `forced` or by name (a Dockerfile when the name says
/// nothing). `-` is standard input, its kind from `stdin_filename`. A bad exclude glob is an error. In a walked
/// folder whose project sets `COMPOSE_FILE` (its `.env`, or the environment for the current folder), the files
/// it names are Compose files whatever their names, as `docker compose` reads them there.
pub fn discover(paths: &[PathBuf], options: &DiscoverOptions) -> Result<(Vec<Target>, Vec<DiscoveryError>), String> {
    let forced = options.forced;
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let named = options.stdin_filename.as_deref().unwrap_or(Path::new("Dockerfile"));
            let by_extension = if is_yaml(named) { FileKind::Compose } else { FileKind::Dockerfile };
            let kind = forced.or_else(|| kind_of(named)).unwrap_or(by_extension);
            targets.push(Target { path: path.clone(), kind });
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(DiscoveryError { path: path.clone(), message: io_message(&e) }),
            Ok(meta) if meta.is_file() => {
                let by_extension = if is_yaml(path) { FileKind::Compose } else { FileKind::Dockerfile };
                let kind = forced.or_else(|| kind_of(path)).unwrap_or(by_extension);
                targets.push(Target { path: path.clone(), kind });
            }
            Ok(_) => {
                let mut overrides = ignore::overrides::OverrideBuilder::new(path);
                for glob in &options.exclude {
                    overrides.add(&format!("!{glob}")).map_err(|e| format!("invalid --exclude glob `{glob}`: {e}"))?;
                }
                let overrides = overrides.build().map_err(|e| format!("invalid --exclude glob: {e}"))?;
                let walker = ignore::WalkBuilder::new(path)
                    .add_custom_ignore_filename(".plimsollignore")
                    .overrides(overrides)
                    .follow_links(options.follow_links)
                    .build();
                for entry in walker {
                    if let Ok(entry) = &entry
                        && entry.file_type().is_some_and(|t| t.is_dir())
                    {
                        let listed = crate::compose::project::compose_file_list(entry.path(), &RealFs);
                        for file in listed.unwrap_or_default().into_iter().filter(|f| f.is_file()) {
                            targets.push(Target { path: file, kind: forced.unwrap_or(FileKind::Compose) });
                        }
                        continue;
                    }
                    match entry {
                        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                            let found = entry.into_path();
                            if let Some(kind) = kind_of(&found).map(|k| forced.unwrap_or(k)) {
                                targets.push(Target { path: found, kind });
                            }
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(DiscoveryError { path: path.clone(), message: e.to_string() }),
                    }
                }
            }
        }
    }
    targets.sort();
    targets.dedup();
    Ok((targets, errors))
}

/// An I/O error as a short phrase ("no such file or directory").
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for name in [
            "Dockerfile",
            "Containerfile",
            "dockerfile",
            "api.Dockerfile",
            "api.dockerfile",
            "Dockerfile.prod",
            "Containerfile.dev",
            "devDockerfile",
        ] {
            assert_eq!(kind_of(Path::new(name)), Some(FileKind::Dockerfile), "{name}");
        }
        for name in ["Dockerfile.dockerignore", "README.md", "Dockerfile.md", "Makefile", "docker", "config.yaml"] {
            assert_eq!(kind_of(Path::new(name)), None, "{name}");
        }
    }

    #[test]
    fn compose_names() {
        for name in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yaml",
            "docker-compose.yml",
            "compose.override.yaml",
            "docker-compose.prod.yml",
            "kafka-compose.yml",
            "Docker-Compose.YML",
        ] {
            assert_eq!(kind_of(Path::new(name)), Some(FileKind::Compose), "{name}");
        }
        for name in ["compose.json", "composer.yaml", "decompose.yaml", "compose"] {
            assert_ne!(kind_of(Path::new(name)), Some(FileKind::Compose), "{name}");
        }
    }
}
