//! The images FROM instructions build on, as the base-image rules (PLD106, PLD107, PLD108) read them.

use std::ops::Range;

use crate::diagnostic::Label;
use crate::dockerfile::{Base, Dockerfile, stages};
use crate::image::{ImageRef, range_in_file};
use crate::rules::DockerfileContext;
use crate::source::{Spanned, TextRange};

/// A FROM that names an image after expanding the ARGs before the first FROM: not `scratch`, not an earlier
/// stage, and not an image that depends on the build platform or on an ARG without a value.
pub(super) struct BaseImage<'a> {
    /// The FROM word as written.
    pub written: &'a Spanned<String>,
    /// The word after expanding ARGs.
    pub resolved: &'a str,
    pub reference: &'a ImageRef,
    /// Whether the file holds the resolved text at `written`'s range (no ARG, quote or escape in between).
    verbatim: bool,
}

pub(super) fn base_images<'a>(ctx: &'a DockerfileContext<'_>) -> impl Iterator<Item = BaseImage<'a>> {
    ctx.file.stages.iter().filter_map(|stage| match &stage.base {
        Base::Image { written, resolved, reference } => Some(BaseImage {
            written,
            resolved,
            reference,
            verbatim: ctx.source.text.get(written.range.as_usize()) == Some(resolved.as_str()),
        }),
        _ => None,
    })
}

impl BaseImage<'_> {
    /// The range of a part of the reference (its registry, its tag) in the file, or the whole FROM word when
    /// the part is missing or the image came through an ARG.
    pub fn range_of(&self, part: Option<&Range<usize>>) -> TextRange {
        match part {
            Some(part) if self.verbatim => range_in_file(part, self.written.range.start),
            _ => self.written.range,
        }
    }

    /// Labels at the ARG defaults that supplied the image, when it came through ARGs.
    pub fn arg_labels(&self, file: &Dockerfile) -> Vec<Label> {
        if self.written.value == self.resolved {
            return Vec::new();
        }
        let word = &self.written.value;
        stages::meta_args(file)
            .into_keys()
            .filter(|name| word.contains(&format!("${name}")) || word.contains(&format!("${{{name}")))
            .filter_map(|name| stages::arg_default_label(file, &name))
            .collect()
    }
}

/// An image a build step pulls besides its FROMs: `COPY --from=<image>`, `RUN --mount=…,from=<image>`.
pub(super) struct FlagImage {
    /// `COPY --from` or `RUN --mount`.
    pub how: &'static str,
    /// The image after expanding the ARGs and ENVs in scope.
    pub resolved: String,
    pub reference: ImageRef,
    /// The flag's value as written.
    pub range: TextRange,
}

/// The images that `--from` flags pull: a `--from` (or a mount's `from=`) that names neither an earlier stage
/// (by name or index) nor `scratch`, and that resolves to a valid reference.
pub(super) fn flag_images(ctx: &DockerfileContext<'_>) -> Vec<FlagImage> {
    let file = ctx.file;
    let lexer = crate::dockerfile::expand::Lexer::new(file.escape);
    let mut out = Vec::new();
    for (index, outer) in file.instructions.iter().enumerate() {
        let instr = outer.effective();
        let Some(stage) = file.stage_of(index) else { continue };
        for flag in &instr.flags {
            let Some(value) = &flag.value else { continue };
            let (how, written) = match (&flag.parsed, flag.name.value.as_str()) {
                (_, "from") if instr.kind == crate::dockerfile::Kind::Copy => ("COPY --from", value.value.as_str()),
                (crate::dockerfile::FlagValue::Mount(mount), _) => match &mount.from {
                    Some(from) => ("RUN --mount", from.as_str()),
                    None => continue,
                },
                _ => continue,
            };
            let resolved = if crate::dockerfile::expand::needs_expansion(written, file.escape) {
                let Some(scope) = stages::scope_at(file, index) else { continue };
                let env: std::collections::BTreeMap<String, String> =
                    scope.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
                match lexer.expand_word(written, &env) {
                    Ok(e) if e.unmatched.is_empty() => e.value,
                    _ => continue,
                }
            } else {
                written.to_owned()
            };
            let names_stage = file.stage_named(&resolved).is_some_and(|s| s.index < stage.index);
            if names_stage || crate::image::is_scratch(&resolved) {
                continue;
            }
            if let Ok(reference) = ImageRef::parse(&resolved) {
                out.push(FlagImage { how, resolved, reference, range: value.range });
            }
        }
    }
    out
}
