//! The loader codes that can be switched off like rules (`--ignore`, the configuration's `ignore`, pragmas),
//! with their pages: the project checks Compose makes before it starts anything, unset variables, and the builds
//! the cross-file rules cannot follow (`PLX001`, `PLX002`: a Dockerfile outside the checkout). Each
//! depends on context a linter may not see (another `-f` file, the deployment's variables). Parser and schema
//! codes are not here: a file Compose cannot read is never fine.

use crate::compose::{
    BUILD_NOT_FOLLOWED, CONFLICTING_SETTINGS, DUPLICATE_CONTAINER_NAME, EMPTY_AFTER_INTERPOLATION, INVALID_NAME,
    INVALID_PULL_POLICY, MISSING_ENV_FILE, SERVICE_WITHOUT_IMAGE, UNDEFINED_RESOURCE, UNKNOWN_DEPENDENCY,
    UNKNOWN_SERVICE, UNREADABLE_DOCKERFILE, UNSET_VARIABLE,
};
use crate::diagnostic::Severity;
use crate::rules::{Equivalents, FixAvailability, RuleMeta, Target};

const fn meta(
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: Severity,
    page: &'static str,
) -> RuleMeta {
    on(Target::Compose, code, name, summary, severity, page)
}

const fn on(
    target: Target,
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: Severity,
    page: &'static str,
) -> RuleMeta {
    RuleMeta {
        code,
        name,
        summary,
        severity,
        target,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page,
    }
}

/// Every switchable loader code, in code order. Their severity is the one in a folder's default project.
pub static SWITCHABLE: &[RuleMeta] = &[
    meta(
        UNSET_VARIABLE,
        "unset-variable",
        "A variable is not set and is replaced by an empty string",
        Severity::Info,
        include_str!("../../../lints/PLC011-unset-variable.md"),
    ),
    meta(
        UNKNOWN_DEPENDENCY,
        "unknown-dependency",
        "`depends_on` names a service the project does not define",
        Severity::Error,
        include_str!("../../../lints/PLC015-unknown-dependency.md"),
    ),
    meta(
        UNDEFINED_RESOURCE,
        "undefined-resource",
        "A service uses a network, volume, secret or config the project does not define",
        Severity::Error,
        include_str!("../../../lints/PLC016-undefined-resource.md"),
    ),
    meta(
        SERVICE_WITHOUT_IMAGE,
        "service-without-image",
        "A service has neither `image` nor `build`, or is empty",
        Severity::Error,
        include_str!("../../../lints/PLC017-service-without-image.md"),
    ),
    meta(
        MISSING_ENV_FILE,
        "missing-env-file",
        "An `env_file` that does not exist and is not `required: false`",
        Severity::Error,
        include_str!("../../../lints/PLC018-missing-env-file.md"),
    ),
    meta(
        UNKNOWN_SERVICE,
        "unknown-service",
        "`links`, `volumes_from` or `network_mode`/`ipc`/`pid: service:…` names no service",
        Severity::Error,
        include_str!("../../../lints/PLC019-unknown-service.md"),
    ),
    meta(
        CONFLICTING_SETTINGS,
        "conflicting-settings",
        "Keys Compose refuses together (`network_mode` with `networks` …)",
        Severity::Error,
        include_str!("../../../lints/PLC020-conflicting-settings.md"),
    ),
    meta(
        DUPLICATE_CONTAINER_NAME,
        "duplicate-container-name",
        "A `container_name` used twice, or with more than one replica",
        Severity::Error,
        include_str!("../../../lints/PLC021-duplicate-container-name.md"),
    ),
    meta(
        INVALID_NAME,
        "invalid-name",
        "A service name or a `container_name` Compose refuses",
        Severity::Error,
        include_str!("../../../lints/PLC022-invalid-name.md"),
    ),
    meta(
        INVALID_PULL_POLICY,
        "invalid-pull-policy",
        "A `pull_policy` Compose does not know",
        Severity::Error,
        include_str!("../../../lints/PLC023-invalid-pull-policy.md"),
    ),
    meta(
        EMPTY_AFTER_INTERPOLATION,
        "empty-after-interpolation",
        "A value left empty by unset variables where Compose refuses an empty value",
        Severity::Warning,
        include_str!("../../../lints/PLC024-empty-after-interpolation.md"),
    ),
    on(
        Target::Project,
        UNREADABLE_DOCKERFILE,
        "unreadable-dockerfile",
        "A service's `build:` names a Dockerfile that is missing or cannot be read",
        Severity::Error,
        include_str!("../../../lints/PLX001-unreadable-dockerfile.md"),
    ),
    on(
        Target::Project,
        BUILD_NOT_FOLLOWED,
        "build-not-followed",
        "A service's `build:` is not followed (a remote context, an unset variable)",
        Severity::Info,
        include_str!("../../../lints/PLX002-build-not-followed.md"),
    ),
];

/// The switchable loader code with this code or name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    SWITCHABLE.iter().find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name == code_or_name)
}
