//! PLD201 root-user: the last USER of the final stage is root. (A final stage that sets no USER at all is
//! PLD203's.) Also the shared reading of who a stage runs as, for PLD203 and PLX201.

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::{Base, Dockerfile, Kind, Stage};
use crate::image::users;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::Spanned;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD201",
        name: "root-user",
        summary: "The image runs as root: the last USER of the final stage is root",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &["DL3002"],
            buildkit: &[],
            cis: &["4.1"],
            compose_lint: &[],
            kics: &["Last User Is 'root'"],
        },
        page: include_str!("../../../lints/PLD201-root-user.md"),
    },
    check: Check::Dockerfile(check),
};

/// Whether a USER value (or Compose `user:`) means root: `root`, UID 0 however the runtime's integer parser reads
/// it (`0`, `000`, `+0`), with any group, or Windows' `ContainerAdministrator`.
pub(crate) fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name.parse::<i64>() == Ok(0) || name.eq_ignore_ascii_case("ContainerAdministrator")
}

/// Who a stage runs as, as far as the Dockerfile and the table of well-known images ([`users`]) tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StageUser {
    /// The last USER of the stage or of a stage it builds on, unquoted, with the range of its text.
    Set(Spanned<String>),
    /// No USER, on a base image whose default user the table knows is not root.
    ImageDefault(users::DefaultUser),
    /// No USER, on this image (as resolved), whose default user the table does not know: most images run as
    /// root.
    Image(String),
    /// No USER, on `scratch`: root.
    Scratch,
    /// No USER, on an image that cannot be resolved (an ARG without a value).
    Unknown,
}

/// Who `stage` runs as, following `FROM <earlier stage>` to the image at the root of its chain.
pub(crate) fn stage_user(file: &Dockerfile, stage: &Stage) -> StageUser {
    let mut stage = stage;
    for _ in 0..=file.stages.len() {
        // A USER without a value (a syntax error) sets nothing: the one before it counts.
        let mut users = file.instructions[stage.instructions.clone()].iter().rev().filter(|i| i.kind == Kind::User);
        if let Some(user) = users.find_map(|i| file.arguments(i).into_iter().next()) {
            return StageUser::Set(user);
        }
        match &stage.base {
            Base::Stage { index, .. } => match file.stages.get(*index) {
                Some(parent) => stage = parent,
                None => return StageUser::Unknown,
            },
            Base::Image { resolved, reference, .. } => {
                return match users::default_user(reference) {
                    Some(known) => StageUser::ImageDefault(known),
                    None => StageUser::Image(resolved.clone()),
                };
            }
            Base::Scratch { .. } => return StageUser::Scratch,
            Base::Missing | Base::Unresolved { .. } => return StageUser::Unknown,
        }
    }
    StageUser::Unknown
}

/// Whether a stage, or a stage it builds on, sets CMD or ENTRYPOINT: what the image runs when started. A final
/// stage without either is usually a base image for other builds, or (on scratch) files to export.
pub(crate) fn sets_command(file: &Dockerfile, stage: &Stage) -> bool {
    let mut stage = stage;
    for _ in 0..=file.stages.len() {
        let own = &file.instructions[stage.instructions.clone()];
        if own.iter().any(|i| matches!(i.kind, Kind::Cmd | Kind::Entrypoint)) {
            return true;
        }
        match &stage.base {
            Base::Stage { index, .. } if file.stages.get(*index).is_some() => stage = &file.stages[*index],
            _ => return false,
        }
    }
    false
}

/// Whether a stage only carries files: built FROM scratch (through its chain) with no CMD or ENTRYPOINT, such as
/// an SBOM or binaries exported with `--output`. It is not a runnable image, so who it runs as does not matter.
pub(crate) fn carries_files_only(file: &Dockerfile, stage: &Stage) -> bool {
    let mut root = stage;
    for _ in 0..=file.stages.len() {
        match &root.base {
            Base::Stage { index, .. } if file.stages.get(*index).is_some() => root = &file.stages[*index],
            _ => break,
        }
    }
    matches!(root.base, Base::Scratch { .. }) && !sets_command(file, stage)
}

/// The message tail for a final stage without CMD or ENTRYPOINT, which is usually a base image.
pub(crate) const BASE_IMAGE_NOTE: &str = "it sets no CMD or ENTRYPOINT, so it is likely a base image, and images built FROM it inherit this user unless they set USER";

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    let file = ctx.file;
    let Some(stage) = file.final_stage() else { return };
    if carries_files_only(file, stage) {
        return;
    }
    let StageUser::Set(user) = stage_user(file, stage) else { return };
    if !is_root(&user.value) {
        return;
    }
    let from = &file.instructions[stage.from];
    let mut d = RULE
        .meta
        .diagnostic(user.range, format!("the image runs as `{}`", user.value))
        .with_help("switch to an unprivileged user as the last USER: `USER app` (create it with `useradd`/`adduser`)");
    if !sets_command(file, stage) {
        d.severity = Severity::Info;
        d.message = format!("the image runs as `{}`; {BASE_IMAGE_NOTE}", user.value);
    }
    // Earlier stages come before the final FROM, so a USER before it was inherited.
    if user.range.start < from.range.start {
        d.labels.push(crate::Label::new(from.range, "the final stage inherits it here"));
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::{RULE, StageUser, stage_user};
    use crate::Severity;
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nUSER app\nCMD [\"app\"]\n",
            "FROM alpine:3.22\nUSER root\nRUN apk add curl\nUSER 1000:1000\n",
            "FROM alpine:3.22 AS build\nUSER root\nFROM alpine:3.22\nUSER nobody\n",
            "FROM alpine:3.22 AS base\nUSER app\nFROM base\nRUN true\n",
            // No USER at all is PLD203's.
            "FROM alpine:3.22\nCMD [\"sh\"]\n",
            "FROM gcr.io/distroless/static-debian12:nonroot\n",
            "ARG BASE\nFROM ${BASE}\n",
            "user app\nFROM alpine:3.22\nuser app\n",
            // Files to export, not an image to run.
            "FROM alpine:3.22 AS build\nRUN make\nFROM scratch\nUSER root\nCOPY --from=build /out /\n",
        ];
        let fail = [
            "FROM alpine:3.22\nUSER root\nCMD [\"sh\"]\n",
            "FROM alpine:3.22\nUSER root\n",
            "FROM alpine:3.22\nUSER 0:0\n",
            "FROM alpine:3.22\nUSER 000:0\n",
            "FROM alpine:3.22\nUSER \"root\"\n",
            "FROM alpine:3.22\nUSER app\nUSER root:root\n",
            "FROM alpine:3.22 AS base\nUSER root\nFROM base\nRUN true\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled\nUSER root\nENTRYPOINT [\"./app\"]\n",
            "FROM scratch\nUSER 0\nCOPY app /\nENTRYPOINT [\"/app\"]\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn an_inherited_root_user_is_labelled_at_the_final_from() {
        let text = "FROM alpine:3.22 AS base\nUSER root\nCMD [\"sh\"]\nFROM base\nRUN true\n";
        let found = run(&RULE, text);
        assert_eq!(&text[found[0].range.as_usize()], "root");
        assert_eq!(&text[found[0].labels[0].range.as_usize()], "FROM base");
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(found[0].message, "the image runs as `root`");
    }

    #[test]
    fn a_quoted_user_is_read_unquoted_at_its_written_range() {
        let text = "FROM alpine:3.22\nUSER \"root\"\nCMD [\"sh\"]\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "\"root\"");
        assert_eq!(found[0].message, "the image runs as `root`");
    }

    #[test]
    fn a_final_stage_without_a_command_is_a_base_image_reported_at_info() {
        let text = "FROM alpine:3.22\nRUN apk add git\nUSER root\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        assert_eq!(
            found[0].message,
            "the image runs as `root`; it sets no CMD or ENTRYPOINT, so it is likely a base image, and images built \
             FROM it inherit this user unless they set USER"
        );
        // A command inherited from an earlier stage counts.
        let text = "FROM alpine:3.22 AS base\nCMD [\"sh\"]\nFROM base\nUSER root\n";
        assert_eq!(run(&RULE, text)[0].severity, Severity::Warning);
    }

    #[test]
    fn a_hadolint_dl3002_pragma_silences_the_explicit_root_rule_only() {
        let codes = |text: &str| {
            let source = crate::SourceFile::new("Dockerfile", text.to_owned());
            crate::lint_dockerfile(&source).into_iter().map(|d| d.code).collect::<Vec<_>>()
        };
        assert_eq!(codes("FROM alpine:3.22\n# hadolint ignore=DL3002\nUSER root\nCMD [\"sh\"]\n"), Vec::<&str>::new());
        assert_eq!(codes("FROM alpine:3.22\nUSER root\nCMD [\"sh\"]\n"), ["PLD201"]);
        assert_eq!(codes("# hadolint global ignore=DL3002\nFROM alpine:3.22\nCMD [\"sh\"]\n"), ["PLD203"]);
    }

    #[test]
    fn who_a_stage_runs_as() {
        let user = |text: &str| {
            let file = crate::dockerfile::parse(text);
            let stage = file.final_stage().expect("a stage").clone();
            stage_user(&file, &stage)
        };
        assert!(matches!(user("FROM alpine:3.22\n"), StageUser::Image(i) if i == "alpine:3.22"));
        assert!(matches!(user("ARG V=3.22\nFROM alpine:$V AS a\nFROM a\n"), StageUser::Image(i) if i == "alpine:3.22"));
        assert!(
            matches!(user("FROM quay.io/jupyter/base-notebook\n"), StageUser::ImageDefault(u) if u.user == "jovyan")
        );
        assert!(matches!(user("FROM bitnami/redis:7 AS a\nFROM a\n"), StageUser::ImageDefault(u) if u.user == "1001"));
        assert_eq!(user("FROM scratch\n"), StageUser::Scratch);
        assert_eq!(user("ARG B\nFROM $B\n"), StageUser::Unknown);
        assert!(matches!(user("FROM bitnami/redis:7\nUSER 'root'\n"), StageUser::Set(u) if u.value == "root"));
    }
}
