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
