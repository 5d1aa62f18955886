//! Cross-file rules (`PLX…`): a Compose service together with the Dockerfile it builds, read through
//! [`ComposeContext::builds`](super::ComposeContext::builds). A service with only `image:` is never judged here:
//! plimsoll does not pull images, so what they hold is unknown.
//!
//! Also the two loader-level reports on the links themselves ([`build_link_reports`]): `PLX001` when the
//! Dockerfile cannot be read, `PLX002` when the build is not followed. They cannot be switched off, like the
//! Compose loader's `PLC0xx` codes: without them a service would silently escape every cross-file rule.

mod built;
mod missing_healthcheck;
mod secret_build_arg;
mod service_runs_as_root;
mod unexposed_port;
mod unknown_build_target;

use std::path::Path;

use super::{ComposeFinding, Rule};
use crate::compose::builds::BuildLink;
use crate::compose::project::Project;
use crate::compose::{BUILD_NOT_FOLLOWED, UNREADABLE_DOCKERFILE};
use crate::diagnostic::{Diagnostic, Severity};

/// The cross-file rules, in code order.
pub static RULES: &[Rule] = &[
    service_runs_as_root::RULE,
    secret_build_arg::RULE,
    missing_healthcheck::RULE,
    unknown_build_target::RULE,
    unexposed_port::RULE,
];

/// `PLX001` for each Dockerfile that cannot be read, `PLX002` for each build that is not followed.
pub fn build_link_reports(project: &Project, builds: &[BuildLink]) -> Vec<ComposeFinding> {
    let mut out = Vec::new();
    for link in builds {
        match link {
            BuildLink::Linked(_) => {}
            BuildLink::Unreadable { service, path, at, error } => {
                let shown = shown_path(project, at.file, path);
                let what = if error == "no such file" { "which does not exist".to_owned() } else { error.clone() };
                let message = format!("service `{service}` builds `{shown}`, {what}");
                let d = Diagnostic::new(UNREADABLE_DOCKERFILE, Severity::Error, at.range, message).with_help(
                    "fix `context`/`dockerfile` to name the Dockerfile (the cross-file rules skip this service until then)",
                );
                out.push((at.file, d));
            }
            BuildLink::NotFollowed { service, at, reason } => {
                let message = format!("the build of service `{service}` is not followed: {reason}");
                let d = Diagnostic::new(BUILD_NOT_FOLLOWED, Severity::Info, at.range, message)
                    .with_help("the cross-file rules (PLX…) do not judge this service");
                out.push((at.file, d));
            }
        }
    }
    out
}

/// A Dockerfile path as the user would write it: relative to the folder of the Compose file that names it,
/// when it is under that folder.
fn shown_path(project: &Project, file: crate::compose::tree::FileId, path: &Path) -> String {
    let folder = project.file(file).and_then(|f| f.path.parent());
    match folder.and_then(|f| path.strip_prefix(f).ok()) {
        Some(rel) if folder.is_some_and(|f| !f.as_os_str().is_empty()) => format!("./{}", rel.display()),
        Some(rel) => rel.display().to_string(),
        None => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::compose::project::{LoadOptions, MemoryFs};

    fn lint(files: &[(&str, &str)]) -> Vec<(PathBuf, crate::Diagnostic)> {
        let fs = MemoryFs(files.iter().map(|(p, t)| (PathBuf::from(p), (*t).to_owned())).collect());
        let options = LoadOptions { dir: "/p".into(), ..LoadOptions::default() };
        crate::lint_compose_project(&options, &fs)
            .into_iter()
            .flat_map(|r| r.diagnostics.into_iter().map(move |d| (r.source.path.clone(), d)))
            .filter(|(_, d)| d.code.starts_with("PLX0"))
            .collect()
    }

    /// Builds plimsoll cannot follow depend on what it cannot see (a remote context, a Dockerfile made by an
    /// earlier step): `--ignore`, the configuration and pragmas switch PLX001 and PLX002 off, as they do rules.
    #[test]
    fn unfollowed_and_unreadable_builds_are_switched_off_like_rules() {
        let text = "services:\n  web:\n    build: https://example.com/app.git\n  api:\n    build: ./api\n";
        let fs = MemoryFs([(PathBuf::from("/p/compose.yaml"), text.to_owned())].into());
        let options = LoadOptions { dir: "/p".into(), ..LoadOptions::default() };
        let codes = |ignore: &[&str]| {
            let selection = crate::rules::Selection {
                ignore: ignore.iter().map(|s| (*s).to_owned()).collect(),
                ..crate::rules::Selection::default()
            };
            let reports = crate::lint_compose_project_with(&options, &fs, &selection, &Default::default());
            let found: Vec<_> =
                reports.into_iter().flat_map(|r| r.diagnostics).filter(|d| d.code.starts_with("PLX0")).collect();
            found
                .iter()
                .map(|d| (d.code, &text[d.range.as_usize()]))
                .map(|(c, t)| format!("{c} {t}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&[]), ["PLX002 https://example.com/app.git", "PLX001 ./api"]);
        assert_eq!(codes(&["PLX002"]), ["PLX001 ./api"]);
        assert_eq!(codes(&["unreadable-dockerfile", "build-not-followed"]), Vec::<String>::new());
        let pragma = text.replace("  web:", "  # plimsoll ignore=PLX002\n  web:");
        let found = lint(&[("/p/compose.yaml", &pragma)]);
        assert_eq!(found.iter().map(|(_, d)| d.code).collect::<Vec<_>>(), ["PLX001"], "{found:#?}");
    }

    #[test]
    fn a_missing_dockerfile_is_reported_once_on_the_value_that_names_it() {
        let text = "services:\n  web:\n    build:\n      context: ./app\n      dockerfile: Dockerfile.prod\n";
        let found = lint(&[("/p/compose.yaml", text), ("/p/app/Dockerfile", "FROM alpine:3.22\n")]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let (path, d) = &found[0];
        assert_eq!(path, &PathBuf::from("/p/compose.yaml"));
        assert_eq!((d.code, d.severity), ("PLX001", crate::Severity::Error));
        assert_eq!(d.message, "service `web` builds `./app/Dockerfile.prod`, which does not exist");
        assert_eq!(&text[d.range.as_usize()], "Dockerfile.prod");
        assert_eq!(crate::code_name("PLX001"), "unreadable-dockerfile");
    }

    #[test]
    fn a_missing_context_in_an_included_subfolder_is_reported_where_the_service_is_included() {
        let text = "include:\n  - svc/compose.yaml\n";
        let sub = "services:\n  api:\n    build: ../nowhere\n";
        let found = lint(&[("/p/compose.yaml", text), ("/p/svc/compose.yaml", sub)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].0, PathBuf::from("/p/compose.yaml"));
        // `../nowhere` is taken from the folder of the file that wrote it, `svc/`; the path is shown from the
        // folder of the file the finding is in.
        assert_eq!(found[0].1.message, "service `api` builds `./nowhere/Dockerfile`, which does not exist");
        assert_eq!(&text[found[0].1.range.as_usize()], "svc/compose.yaml");
    }

    #[test]
    fn a_remote_context_is_not_followed_and_says_so() {
        let text = "services:\n  web:\n    build: https://github.com/org/repo.git#main\n";
        let found = lint(&[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!((d.code, d.severity), ("PLX002", crate::Severity::Info));
        assert!(d.message.starts_with("the build of service `web` is not followed: the build context"), "{d:#?}");
        assert_eq!(&text[d.range.as_usize()], "https://github.com/org/repo.git#main");
        assert_eq!(crate::code_name("PLX002"), "build-not-followed");
    }

    #[test]
    fn linked_builds_and_image_only_services_report_nothing() {
        let text = "services:\n  web:\n    build: .\n  db:\n    image: postgres:16\n";
        assert!(lint(&[("/p/compose.yaml", text), ("/p/Dockerfile", "FROM alpine:3.22\n")]).is_empty());
    }
}
