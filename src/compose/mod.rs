//! Docker Compose files: the YAML span tree first; the model, interpolation and merging build on it.

pub mod builds;
pub mod checks;
pub mod dotenv;
pub mod dump;
pub mod interpolate;
pub mod merge;
pub mod model;
pub mod project;
pub mod schema;
pub mod tree;
pub mod yaml;

/// `PLC001`: the YAML cannot be loaded: a syntax error, an alias to an unknown anchor or to the node that
/// contains it, or a merge key `<<` whose value is not a mapping. Severity: error.
pub const YAML_SYNTAX_ERROR: &str = "PLC001";

/// `PLC002`: a mapping has the same key twice. The later value wins here; Compose refuses such files.
/// Severity: warning.
pub const DUPLICATE_KEY: &str = "PLC002";

/// `PLC003`: the file nests too deeply or expands too many aliases (an "alias bomb"); the content past the
/// limit is left out. Severity: error.
pub const YAML_LIMIT_EXCEEDED: &str = "PLC003";

/// `PLC004`: a `${…}` expression that cannot be read (`${VAR`, `${}`, a bad modifier). Severity: error.
pub const INVALID_INTERPOLATION: &str = "PLC004";
/// `PLC005`: `${VAR:?message}` or `${VAR?message}` with VAR unset (or empty): Compose refuses the project.
/// Severity: warning (such variables are usually set where the project is deployed).
pub const MISSING_REQUIRED_VARIABLE: &str = "PLC005";
/// `PLC006`: a key the Compose specification does not have. Severity: error.
pub const UNKNOWN_KEY: &str = "PLC006";
/// `PLC007`: a value of the wrong type (a mapping where a string belongs …). Severity: error.
pub const WRONG_TYPE: &str = "PLC007";
/// `PLC008`: an `extends` that cannot be followed: a missing service or file, or a cycle. Severity: error.
pub const INVALID_EXTENDS: &str = "PLC008";
/// `PLC009`: an `include` that cannot be followed: a missing file or a cycle. Severity: error.
pub const INVALID_INCLUDE: &str = "PLC009";
/// `PLC011`: a variable is not set and is replaced by an empty string. Severity: info.
pub const UNSET_VARIABLE: &str = "PLC011";
/// `PLC012`: a value Compose cannot read for its key (a bad port or volume spec, a bad duration …).
/// Severity: error.
pub const INVALID_VALUE: &str = "PLC012";

/// Every Compose diagnostic code with its kebab-case name.
pub const CODES: &[(&str, &str)] = &[
    (YAML_SYNTAX_ERROR, "yaml-syntax-error"),
    (DUPLICATE_KEY, "duplicate-key"),
    (YAML_LIMIT_EXCEEDED, "yaml-limit-exceeded"),
    (INVALID_INTERPOLATION, "invalid-interpolation"),
    (MISSING_REQUIRED_VARIABLE, "missing-required-variable"),
    (UNKNOWN_KEY, "unknown-key"),
    (WRONG_TYPE, "wrong-type"),
    (INVALID_EXTENDS, "invalid-extends"),
    (INVALID_INCLUDE, "invalid-include"),
    (UNSET_VARIABLE, "unset-variable"),
    (INVALID_VALUE, "invalid-value"),
    (EMPTY_FILE, "empty-file"),
    (DEPENDENCY_CYCLE, "dependency-cycle"),
    (UNKNOWN_DEPENDENCY, "unknown-dependency"),
    (UNREADABLE_DOCKERFILE, "unreadable-dockerfile"),
    (BUILD_NOT_FOLLOWED, "build-not-followed"),
    (UNDEFINED_RESOURCE, "undefined-resource"),
    (SERVICE_WITHOUT_IMAGE, "service-without-image"),
    (MISSING_ENV_FILE, "missing-env-file"),
    (UNKNOWN_SERVICE, "unknown-service"),
    (CONFLICTING_SETTINGS, "conflicting-settings"),
    (DUPLICATE_CONTAINER_NAME, "duplicate-container-name"),
    (INVALID_NAME, "invalid-name"),
    (INVALID_PULL_POLICY, "invalid-pull-policy"),
    (EMPTY_AFTER_INTERPOLATION, "empty-after-interpolation"),
];
/// `PLC013`: a Compose file with no content: Compose refuses it ("empty compose file"). Severity: error.
pub const EMPTY_FILE: &str = "PLC013";
/// `PLC014`: services that depend on each other in a circle (or on themselves): Compose cannot start them.
/// Severity: error.
pub const DEPENDENCY_CYCLE: &str = "PLC014";
/// `PLC015`: `depends_on` names a service the project does not define. Severity: error in a folder's default
/// project; warning in a file linted on its own, which is often one part of a `-f a -f b` project.
pub const UNKNOWN_DEPENDENCY: &str = "PLC015";
/// `PLX001`: a service's `build:` names a Dockerfile that is missing or cannot be read, so the cross-file rules
/// cannot judge the service. Severity: error.
pub const UNREADABLE_DOCKERFILE: &str = "PLX001";
/// `PLX002`: a service's `build:` is not followed (a remote context, a path holding an unset variable): the
/// cross-file rules do not judge the service. Severity: info.
pub const BUILD_NOT_FOLLOWED: &str = "PLX002";

// Codes of the project checks Compose makes before it starts anything (`checks`). Like PLC015, each is an
// error in a folder's default project and a warning in a file linted on its own (often one part of a
// `-f a -f b` project), and each can be switched off like a rule (see `checks::SWITCHABLE`).

/// `PLC016`: a service uses a network, volume, secret or config the project does not define.
pub const UNDEFINED_RESOURCE: &str = "PLC016";
/// `PLC017`: a service with neither `image` nor `build`, or a service that is empty (`null`).
pub const SERVICE_WITHOUT_IMAGE: &str = "PLC017";
/// `PLC018`: an `env_file` that does not exist (and is not `required: false`).
pub const MISSING_ENV_FILE: &str = "PLC018";
/// `PLC019`: `links`, `volumes_from`, or `network_mode` / `ipc` / `pid: service:…` names a service the project
/// does not define.
pub const UNKNOWN_SERVICE: &str = "PLC019";
/// `PLC020`: keys Compose refuses together: `network_mode` with `networks`, a `platform` missing from
/// `build.platforms`, `cpus` / `mem_limit` that differ from `deploy.resources.limits`.
pub const CONFLICTING_SETTINGS: &str = "PLC020";
/// `PLC021`: two services with the same `container_name`, or a `container_name` with more than one replica.
pub const DUPLICATE_CONTAINER_NAME: &str = "PLC021";
/// `PLC022`: a service name or a `container_name` Compose refuses (their patterns in the Compose schema).
pub const INVALID_NAME: &str = "PLC022";
/// `PLC023`: a `pull_policy` Compose does not know.
pub const INVALID_PULL_POLICY: &str = "PLC023";
/// `PLC024`: a value that is empty once its unset variables are replaced by empty strings, where Compose
/// refuses an empty value (`:/data`, `retries: ""`, `container_name: ""`). Severity: warning.
pub const EMPTY_AFTER_INTERPOLATION: &str = "PLC024";
