//! Following a service's `build:` into the Dockerfile it builds: the link the cross-file rules read.
//!
//! A relative `context` is taken from the folder of the file that wrote it (as compose-go resolves paths of
//! included and extended files), `dockerfile` from the context (default `Dockerfile`); `dockerfile_inline` is
//! the Dockerfile itself. Reading goes through the project's [`FileSource`], so an editor's unsaved buffers and
//! tests' in-memory files work the same as the disk. A Dockerfile that cannot be read is kept as a
//! [`BuildLink::Unreadable`], never skipped silently.

use std::path::{Path, PathBuf};

use super::model::{ComposeModel, Located};
use super::project::{FileSource, Project};
use super::tree::{FileId, Origin, Place};
use crate::dockerfile::{self, Dockerfile};
use crate::source::SourceFile;

/// A service's Dockerfile, parsed.
#[derive(Clone, Debug)]
pub struct ServiceBuild {
    /// The service's name.
    pub service: String,
    /// The Dockerfile's path; for `dockerfile_inline`, the context joined with `Dockerfile (inline)`.
    pub source: SourceFile,
    pub dockerfile: Dockerfile,
    /// For `dockerfile_inline`: where its text is in the project.
    pub inline: Option<Place>,
}

/// How a service's `build:` links to its Dockerfile.
#[derive(Clone, Debug)]
pub enum BuildLink {
    Linked(ServiceBuild),
    /// The Dockerfile is missing or cannot be read; `at` is the value that names it (the `dockerfile` or
    /// `context` key, or `build:` itself).
    Unreadable {
        service: String,
        path: PathBuf,
        at: Place,
        error: String,
    },
    /// The context is a Git or HTTP URL, or a value still holding `${…}`: not followed (plimsoll never fetches).
    NotFollowed {
        service: String,
        at: Place,
        reason: String,
    },
}

impl BuildLink {
    pub fn service(&self) -> &str {
        match self {
            BuildLink::Linked(b) => &b.service,
            BuildLink::Unreadable { service, .. } | BuildLink::NotFollowed { service, .. } => service,
        }
    }
}

/// Whether a build context names something to fetch rather than a folder.
fn is_remote_context(context: &str) -> bool {
    let lower = context.to_ascii_lowercase();
    ["http://", "https://", "git://", "git@", "ssh://", "github.com/"].iter().any(|p| lower.starts_with(p))
        || lower.ends_with(".git")
        || lower.contains(".git#")
}

/// The folder of the file a value was written in.
fn folder_of(project: &Project, file: FileId) -> PathBuf {
    project
        .file(file)
        .and_then(|f| f.path.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| project.working_dir.clone())
}

fn place_of<T>(value: &Option<Located<T>>) -> Option<Place> {
    value.as_ref().map(|v| v.origin.use_place())
}

/// Links every service that has `build:` to its Dockerfile, in service order.
pub fn link(project: &Project, model: &ComposeModel, fs: &dyn FileSource) -> Vec<BuildLink> {
    let mut links = Vec::new();
    for service in &model.services {
        let Some(build) = &service.build else { continue };
        let name = service.name.value.clone();
        let build_place = build
            .origin
            .as_ref()
            .map(|o| o.use_place())
            .or_else(|| place_of(&build.context))
            .unwrap_or(service.name.origin.use_place());
        let (context, context_folder) = match &build.context {
            Some(c) => (c.value.as_str(), folder_of(project, c.origin.place.file)),
            None => (".", folder_of(project, build_place.file)),
        };
        if is_remote_context(context) {
            let at = place_of(&build.context).unwrap_or(build_place);
            let reason = format!("the build context `{context}` is remote; plimsoll does not fetch it");
            links.push(BuildLink::NotFollowed { service: name, at, reason });
            continue;
        }
        // With a variable unset, Compose reads the path with an empty string in its place (`${APP_DIR}/web` is
        // `/web`): a Dockerfile found there would be the wrong one to judge.
        if let Some(c) = build.context.as_ref().filter(|c| c.origin.has_unset()) {
            let reason = format!(
                "the build context `{}` holds a variable that is not set ({})",
                written_text(project, &c.origin, &c.value),
                unset_names(&c.origin)
            );
            links.push(BuildLink::NotFollowed { service: name, at: c.origin.use_place(), reason });
            continue;
        }
        let context_dir = crate::paths::clean(&context_folder.join(context));
        if let Some(inline) = &build.dockerfile_inline {
            let source = SourceFile::new(context_dir.join("Dockerfile (inline)"), inline.value.clone());
            let dockerfile = dockerfile::parse(&source.text);
            let inline = Some(inline.origin.place);
            links.push(BuildLink::Linked(ServiceBuild { service: name, source, dockerfile, inline }));
            continue;
        }
        let written = build.dockerfile.as_ref().map_or("Dockerfile", |d| d.value.as_str());
        let at = place_of(&build.dockerfile).or_else(|| place_of(&build.context)).unwrap_or(build_place);
        let unset = build.dockerfile.as_ref().filter(|d| d.origin.has_unset());
        if written.contains('$') || unset.is_some() {
            let (shown, names) = match unset {
                Some(d) => (written_text(project, &d.origin, written), format!(" ({})", unset_names(&d.origin))),
                None => (written, String::new()),
            };
            let reason = format!("the Dockerfile path `{shown}` holds a variable that is not set{names}");
            links.push(BuildLink::NotFollowed { service: name, at, reason });
            continue;
        }
        let path = crate::paths::clean(&context_dir.join(written));
        match fs.read(&path) {
            Ok(text) => {
                let source = SourceFile::new(path, text);
                let dockerfile = dockerfile::parse(&source.text);
                links.push(BuildLink::Linked(ServiceBuild { service: name, source, dockerfile, inline: None }));
            }
            Err(e) => {
                let error = match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file".to_owned(),
                    _ => e.to_string(),
                };
                links.push(BuildLink::Unreadable { service: name, path, at, error });
            }
        }
    }
    links
}

/// A value as written in its file (`${APP_DIR}/web`, not the `/web` Compose makes of it with the variable
/// unset), for a message; `value` when the text is not at hand.
fn written_text<'a>(project: &'a Project, origin: &Origin, value: &'a str) -> &'a str {
    project.file(origin.place.file).and_then(|f| f.text.get(origin.place.range.as_usize())).unwrap_or(value)
}

/// The unset variables of a value, for a message: `` `A`, `B` ``.
fn unset_names(origin: &Origin) -> String {
    let mut names: Vec<String> = Vec::new();
    for (name, _, _) in origin.unset() {
        let name = format!("`{name}`");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::project::{LoadOptions, MemoryFs};

    fn links(files: &[(&str, &str)]) -> Vec<BuildLink> {
        let fs = MemoryFs(files.iter().map(|(p, t)| (PathBuf::from(p), (*t).to_owned())).collect());
        let options = LoadOptions { dir: PathBuf::from("/p"), ..LoadOptions::default() };
        let (project, model) = crate::load_compose_project(&options, &fs);
        link(&project, &model.expect("a model"), &fs)
    }

    #[test]
    fn contexts_dockerfiles_and_inline() {
        let found = links(&[
            (
                "/p/compose.yaml",
                "services:\n  a:\n    build: ./app\n  b:\n    build:\n      context: svc\n      dockerfile: build/Containerfile\n  c:\n    build:\n      dockerfile_inline: |\n        FROM alpine:3.22\n  d:\n    image: nginx:1.27\n",
            ),
            ("/p/app/Dockerfile", "FROM alpine:3.22\n"),
            ("/p/svc/build/Containerfile", "FROM debian:12\n"),
        ]);
        let paths: Vec<String> = found
            .iter()
            .map(|l| match l {
                BuildLink::Linked(b) => b.source.path.display().to_string(),
                other => panic!("not linked: {other:?}"),
            })
            .collect();
        assert_eq!(paths, ["/p/app/Dockerfile", "/p/svc/build/Containerfile", "/p/Dockerfile (inline)"]);
        let BuildLink::Linked(inline) = &found[2] else { unreachable!() };
        assert!(inline.inline.is_some());
        assert_eq!(inline.dockerfile.stages.len(), 1);
    }

    #[test]
    fn missing_and_remote_contexts_are_kept() {
        let found = links(&[(
            "/p/compose.yaml",
            "services:\n  a:\n    build: ./nowhere\n  b:\n    build: https://github.com/org/repo.git#main\n",
        )]);
        assert!(
            matches!(&found[0], BuildLink::Unreadable { path, error, .. } if path == Path::new("/p/nowhere/Dockerfile") && error == "no such file")
        );
        assert!(matches!(&found[1], BuildLink::NotFollowed { service, .. } if service == "b"));
    }
}
