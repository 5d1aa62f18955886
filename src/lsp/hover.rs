//! Hover: on a finding, its rule's page; on a Dockerfile instruction keyword, what the instruction does.

use lsp_types as lsp;

use super::document::Document;
use crate::source::{ColumnEncoding, TextRange};
use crate::workspace::FileKind;

pub fn hover(doc: &Document, position: lsp::Position, encoding: ColumnEncoding) -> Option<lsp::Hover> {
    let text = doc.text(encoding);
    let at = text.offset(position);
    let mut pages: Vec<(&str, TextRange)> = Vec::new();
    for finding in doc.findings.iter().filter(|d| d.range.contains(at) || d.range.start == at) {
        if let Some(meta) = crate::rules::find_page(finding.code)
            && !pages.iter().any(|(page, _)| *page == meta.page)
        {
            pages.push((meta.page, finding.range));
        }
    }
    if let Some(&(_, range)) = pages.first() {
        let value = pages.iter().map(|(page, _)| page.trim()).collect::<Vec<_>>().join("\n\n---\n\n");
        return Some(markdown(value, text.range(range)));
    }
    if doc.kind != FileKind::Dockerfile {
        return None;
    }
    let parsed = crate::dockerfile::parse(&doc.text);
    let keyword = parsed.instructions.iter().map(|i| &i.keyword).find(|k| k.range.contains(at) || k.range.end == at)?;
    let upper = keyword.value.to_ascii_uppercase();
    let (_, about) = INSTRUCTIONS.iter().find(|(name, _)| *name == upper)?;
    Some(markdown(format!("**{upper}**\n\n{about}"), text.range(keyword.range)))
}

fn markdown(value: String, range: lsp::Range) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::Contents::MarkupContent(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value }),
        range: Some(range),
    }
}

/// A short description of each Dockerfile instruction.
const INSTRUCTIONS: &[(&str, &str)] = &[
    (
        "FROM",
        "Starts a build stage from a base image (`FROM image[:tag|@digest] [AS name]`). Pin a digest to know \
         what you build on.",
    ),
    (
        "RUN",
        "Runs a command in a new layer at build time, in the shell (`RUN cmd`) or without one (`RUN [\"exe\", \
         \"arg\"]`). `--mount` gives it caches, secrets and SSH without baking them into the image.",
    ),
    (
        "CMD",
        "The default command (or default arguments to `ENTRYPOINT`) of a container started from the image. Only \
         the last `CMD` counts.",
    ),
    ("LABEL", "Adds key-value metadata to the image (`LABEL org.opencontainers.image.source=…`)."),
    ("MAINTAINER", "Deprecated: names the image's author. Use `LABEL org.opencontainers.image.authors=…` instead."),
    ("EXPOSE", "Documents the ports the container listens on (`EXPOSE 8080/tcp`). It publishes nothing by itself."),
    ("ENV", "Sets environment variables for the following instructions and for the running container."),
    (
        "ADD",
        "Copies files, directories, remote URLs or Git repositories into the image, unpacking local archives. \
         Prefer `COPY` unless you need what only `ADD` does, and give remote sources a `--checksum`.",
    ),
    (
        "COPY",
        "Copies files and directories from the build context, or from another stage or image with `--from`, \
         into the image.",
    ),
    (
        "ENTRYPOINT",
        "The executable a container runs; `CMD` supplies its default arguments. The exec form \
         (`[\"exe\", \"arg\"]`) lets it receive signals.",
    ),
    ("VOLUME", "Declares mount points whose data lives outside the container's writable layer."),
    (
        "USER",
        "Sets the user (and group) that later `RUN` instructions and the container run as. Without it the \
         container runs as root.",
    ),
    ("WORKDIR", "Sets the working directory for the instructions after it and for the container, creating it."),
    ("ARG", "Declares a build-time variable, set with `--build-arg`. Not for secrets: its value stays in the history."),
    ("ONBUILD", "Registers an instruction to run later, when another build uses this image as its base."),
    ("STOPSIGNAL", "The signal that asks the container to stop (`SIGTERM` by default)."),
    ("HEALTHCHECK", "How to check that the container still works (`HEALTHCHECK CMD …`), or `NONE` to turn it off."),
    (
        "SHELL",
        "Sets the shell that shell-form instructions run in (`SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`).",
    ),
];
