//! What a service runs, told by image name: the last path component of its `image:` and of the base image of
//! the final stage of the Dockerfile it builds (an `image:` beside `build:` only names the result), so that a
//! rule can say "this is PostgreSQL" or "this is a socket proxy" from what the service is, not from a port or a
//! path alone.

use crate::compose::builds::BuildLink;
use crate::compose::model::Service;
use crate::dockerfile::ast::Base;
use crate::rules::ComposeContext;

/// The lower-cased image names (`postgres` for `docker.io/library/postgres:16@sha256:…`) a service is known
/// by; empty when nothing can be told (an image that is only a variable, a Dockerfile not followed).
pub(super) fn image_names(ctx: &ComposeContext<'_>, service: &Service) -> Vec<String> {
    let mut names: Vec<String> = service.image.iter().filter_map(|i| basename(&i.value)).collect();
    let build = ctx.builds.iter().find_map(|b| match b {
        BuildLink::Linked(build) if build.service == service.name.value => Some(build),
        _ => None,
    });
    if let Some(build) = build {
        let file = &build.dockerfile;
        let mut stage = file.final_stage();
        // A stage built on an earlier stage runs that stage's base image; bounded, as stages only point back.
        for _ in 0..=file.stages.len() {
            match stage.map(|s| &s.base) {
                Some(Base::Stage { index, .. }) => stage = file.stages.get(*index),
                Some(Base::Image { reference, .. }) => {
                    names.extend(basename(&reference.path));
                    break;
                }
                Some(Base::Unresolved { written, .. }) => {
                    names.extend(basename(&written.value));
                    break;
                }
                _ => break,
            }
        }
    }
    names
}

/// The last path component of an image reference, without tag or digest, lower-cased: read from the text, so
/// a tag or registry still holding a variable (`elasticsearch:${VERSION}`) does not hide the name. `None` when
/// the name itself is a variable.
pub(super) fn basename(reference: &str) -> Option<String> {
    let name = reference.trim().split('@').next().unwrap_or_default();
    let last = name.rsplit('/').next().unwrap_or(name);
    let last = last.split(':').next().unwrap_or(last);
    (!last.is_empty() && !last.contains(['$', '{', '}'])).then(|| last.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::basename;

    #[test]
    fn names_without_registry_tag_or_digest() {
        assert_eq!(basename("postgres:16.4").as_deref(), Some("postgres"));
        assert_eq!(basename("docker.elastic.co/elasticsearch/elasticsearch:${V}").as_deref(), Some("elasticsearch"));
        assert_eq!(basename("localhost:5000/Team/App@sha256:abc").as_deref(), Some("app"));
        assert_eq!(basename("${REGISTRY}/minio/minio").as_deref(), Some("minio"));
        assert_eq!(basename("${IMAGE}"), None);
        assert_eq!(basename("${IMAGE:-redis}:7"), None);
        assert_eq!(basename(""), None);
    }
}
