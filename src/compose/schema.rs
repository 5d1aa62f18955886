//! Key and type checks against the Compose specification: a key an object does not have is
//! [`PLC006`](super::UNKNOWN_KEY), a value of the wrong type is [`PLC007`](super::WRONG_TYPE).
//!
//! The tables below describe, for each object of the specification, its keys and the types they take, as the
//! JSON schema (`compose-spec.json`) does. A test reads that schema and checks that every table lists exactly
//! the schema's `properties`. Keys starting with `x-` are extensions and are allowed everywhere.
//!
//! Like compose-go's copy of the schema (which validates before interpolation), a string holding `$` stands in
//! for any scalar: `${PORT}` may become a number later.

use super::tree::{FileId, Value, ValueKind};
use crate::diagnostic::{Diagnostic, Severity};

/// Scalar types a value may take (bit flags).
pub(crate) const STR: u8 = 1;
pub(crate) const BOOL: u8 = 2;
pub(crate) const INT: u8 = 4;
/// Any number (integers too).
pub(crate) const NUM: u8 = 8;
pub(crate) const NULL: u8 = 16;

/// The type of a value.
#[derive(Debug)]
pub(crate) enum Shape {
    /// Anything.
    Any,
    /// A scalar of one of these types ([`STR`] | [`BOOL`] …).
    Scalar(u8),
    /// A sequence of values of one shape.
    List(&'static Shape),
    /// A mapping with free keys (names, labels …), each value of one shape.
    Dict(&'static Shape),
    /// A mapping with the keys of an object.
    Object(&'static Object),
    /// One of several shapes; the first whose kind (scalar, sequence, mapping) fits the value is checked.
    OneOf(&'static [Shape]),
}

/// An object of the specification: its keys and their shapes.
#[derive(Debug)]
pub(crate) struct Object {
    /// A name for messages (`service`, `build` …).
    pub name: &'static str,
    /// JSON pointer of the object's definition in `compose-spec.json` (used by the test against the schema).
    #[cfg_attr(not(test), allow(dead_code))]
    pub schema: &'static str,
    /// Whether keys other than these (and `x-…`) are refused.
    pub closed: bool,
    pub keys: &'static [(&'static str, Shape)],
}

impl Object {
    pub(crate) fn key(&self, key: &str) -> Option<&'static Shape> {
        self.keys.iter().find(|(k, _)| *k == key).map(|(_, s)| s)
    }
}

const S: Shape = Shape::Scalar(STR);
const SB: Shape = Shape::Scalar(STR | BOOL);
const SI: Shape = Shape::Scalar(STR | INT);
const SN: Shape = Shape::Scalar(STR | NUM);
const STRINGS: Shape = Shape::List(&S);
const STRING_OR_LIST: Shape = Shape::OneOf(&[S, STRINGS]);
const LIST_OR_DICT: Shape = Shape::OneOf(&[Shape::Dict(&Shape::Scalar(STR | NUM | BOOL | NULL)), STRINGS]);
const OPTS: Shape = Shape::Dict(&SN);
const COMMAND: Shape = Shape::OneOf(&[Shape::Scalar(STR | NULL), STRINGS]);
const EXTRA_HOSTS: Shape = Shape::OneOf(&[Shape::Dict(&STRING_OR_LIST), STRINGS]);
const ULIMITS: Shape = Shape::Dict(&Shape::OneOf(&[SI, Shape::Object(&ULIMIT)]));
const FILE_REFS: Shape = Shape::List(&Shape::OneOf(&[S, Shape::Object(&FILE_REF)]));

pub(crate) static TOP: Object = Object {
    name: "Compose file",
    schema: "",
    closed: true,
    keys: &[
        ("version", S),
        ("name", S),
        ("include", Shape::List(&Shape::OneOf(&[S, Shape::Object(&INCLUDE)]))),
        ("services", Shape::Dict(&Shape::OneOf(&[Shape::Object(&SERVICE), Shape::Scalar(NULL)]))),
        ("models", Shape::Dict(&Shape::Object(&MODEL))),
        ("networks", Shape::Dict(&Shape::OneOf(&[Shape::Object(&NETWORK), Shape::Scalar(NULL)]))),
        ("volumes", Shape::Dict(&Shape::OneOf(&[Shape::Object(&VOLUME), Shape::Scalar(NULL)]))),
        ("secrets", Shape::Dict(&Shape::Object(&SECRET))),
        ("configs", Shape::Dict(&Shape::Object(&CONFIG))),
    ],
};

static INCLUDE: Object = Object {
    name: "include",
    schema: "/definitions/include/oneOf/1",
    closed: true,
    keys: &[("path", STRING_OR_LIST), ("env_file", STRING_OR_LIST), ("project_directory", S)],
};

static MODEL: Object = Object {
    name: "model",
    schema: "/definitions/model",
    closed: true,
    keys: &[("name", S), ("model", S), ("context_size", Shape::Scalar(INT)), ("runtime_flags", STRINGS)],
};

pub(crate) static SERVICE: Object = Object {
    name: "service",
    schema: "/definitions/service",
    closed: true,
    keys: &[
        ("develop", Shape::OneOf(&[Shape::Object(&DEVELOP), Shape::Scalar(NULL)])),
        ("deploy", Shape::OneOf(&[Shape::Object(&DEPLOY), Shape::Scalar(NULL)])),
        ("annotations", LIST_OR_DICT),
        ("attach", SB),
        ("build", Shape::OneOf(&[S, Shape::Object(&BUILD)])),
        ("blkio_config", Shape::Object(&BLKIO)),
        ("cap_add", STRINGS),
        ("cap_drop", STRINGS),
        ("cgroup", S),
        ("cgroup_parent", S),
        ("command", COMMAND),
        ("configs", FILE_REFS),
        ("container_name", S),
        ("cpu_count", SI),
        ("cpu_percent", SI),
        ("cpu_shares", SN),
        ("cpu_quota", SN),
        ("cpu_period", SN),
        ("cpu_rt_period", SN),
        ("cpu_rt_runtime", SN),
        ("cpus", SN),
        ("cpuset", S),
        ("credential_spec", Shape::Object(&CREDENTIAL_SPEC)),
        ("depends_on", Shape::OneOf(&[STRINGS, Shape::Dict(&Shape::Object(&DEPENDS_ON))])),
        ("device_cgroup_rules", STRINGS),
        ("devices", Shape::List(&Shape::OneOf(&[S, Shape::Object(&DEVICE)]))),
        ("dns", STRING_OR_LIST),
        ("dns_opt", STRINGS),
        ("dns_search", STRING_OR_LIST),
        ("domainname", S),
        ("entrypoint", COMMAND),
        ("env_file", Shape::OneOf(&[S, Shape::List(&Shape::OneOf(&[S, Shape::Object(&ENV_FILE)]))])),
        ("label_file", STRING_OR_LIST),
        ("environment", LIST_OR_DICT),
        ("expose", Shape::List(&SN)),
        ("extends", Shape::OneOf(&[S, Shape::Object(&EXTENDS)])),
        ("provider", Shape::Object(&PROVIDER)),
        ("external_links", STRINGS),
        ("extra_hosts", EXTRA_HOSTS),
        ("gpus", Shape::OneOf(&[S, Shape::List(&Shape::Object(&GPU))])),
        ("group_add", Shape::List(&SN)),
        ("healthcheck", Shape::Object(&HEALTHCHECK)),
        ("hostname", S),
        ("image", S),
        ("init", SB),
        ("ipc", S),
        ("isolation", S),
        ("labels", LIST_OR_DICT),
        ("links", STRINGS),
        ("logging", Shape::Object(&LOGGING)),
        ("mac_address", S),
        ("mem_limit", SN),
        ("mem_reservation", SI),
        ("mem_swappiness", SI),
        ("memswap_limit", SN),
        ("network_mode", S),
        // Compose accepts `models: {llm: }` (docker compose's own e2e fixtures use it), though the reference
        // schema asks for a mapping there.
        (
            "models",
            Shape::OneOf(&[STRINGS, Shape::Dict(&Shape::OneOf(&[Shape::Scalar(NULL), Shape::Object(&SERVICE_MODEL)]))]),
        ),
        (
            "networks",
            Shape::OneOf(&[
                STRINGS,
                Shape::Dict(&Shape::OneOf(&[Shape::Object(&SERVICE_NETWORK), Shape::Scalar(NULL)])),
            ]),
        ),
        ("oom_kill_disable", SB),
        ("oom_score_adj", SI),
        ("pid", Shape::Scalar(STR | NULL)),
        ("pids_limit", SN),
        ("platform", S),
        ("ports", Shape::List(&Shape::OneOf(&[SN, Shape::Object(&PORT)]))),
        ("post_start", Shape::List(&Shape::Object(&SERVICE_HOOK))),
        // Newer than the stored reference schema (docker compose's e2e fixtures use it, with keys such as
        // `image`, `command`, `volumes`); its entries are not checked until the schema describes them.
        ("pre_start", Shape::List(&Shape::Any)),
        ("pre_stop", Shape::List(&Shape::Object(&SERVICE_HOOK))),
        ("privileged", SB),
        ("profiles", STRINGS),
        ("pull_policy", S),
        ("pull_refresh_after", S),
        ("read_only", SB),
        ("restart", S),
        ("runtime", S),
        ("scale", SI),
        ("security_opt", STRINGS),
        ("shm_size", SN),
        ("secrets", FILE_REFS),
        ("sysctls", LIST_OR_DICT),
        ("stdin_open", SB),
        ("stop_grace_period", S),
        ("stop_signal", S),
        ("storage_opt", Shape::Dict(&Shape::Any)),
        ("tmpfs", STRING_OR_LIST),
        ("tty", SB),
        ("ulimits", ULIMITS),
        ("use_api_socket", Shape::Scalar(BOOL)),
        ("user", S),
        ("uts", S),
        ("userns_mode", S),
        ("volumes", Shape::List(&Shape::OneOf(&[S, Shape::Object(&SERVICE_VOLUME)]))),
        ("volumes_from", STRINGS),
        ("working_dir", S),
    ],
};

static BUILD: Object = Object {
    name: "build",
    schema: "/definitions/service/properties/build/oneOf/1",
    closed: true,
    keys: &[
        ("context", S),
        ("dockerfile", S),
        ("dockerfile_inline", S),
        ("entitlements", STRINGS),
        ("args", LIST_OR_DICT),
        ("ssh", LIST_OR_DICT),
        ("labels", LIST_OR_DICT),
        ("cache_from", STRINGS),
        ("cache_to", STRINGS),
        ("no_cache", SB),
        ("additional_contexts", LIST_OR_DICT),
        ("network", S),
        ("provenance", SB),
        ("sbom", SB),
        ("pull", SB),
        ("target", S),
        ("shm_size", SI),
        ("extra_hosts", EXTRA_HOSTS),
        ("isolation", S),
        ("privileged", SB),
        ("secrets", FILE_REFS),
        ("tags", STRINGS),
        ("ulimits", ULIMITS),
        ("platforms", STRINGS),
    ],
};

static BLKIO: Object = Object {
    name: "blkio_config",
    schema: "/definitions/service/properties/blkio_config",
    closed: true,
    keys: &[
        ("device_read_bps", Shape::List(&Shape::Object(&BLKIO_LIMIT))),
        ("device_read_iops", Shape::List(&Shape::Object(&BLKIO_LIMIT))),
        ("device_write_bps", Shape::List(&Shape::Object(&BLKIO_LIMIT))),
        ("device_write_iops", Shape::List(&Shape::Object(&BLKIO_LIMIT))),
        ("weight", SI),
        ("weight_device", Shape::List(&Shape::Object(&BLKIO_WEIGHT))),
    ],
};

static BLKIO_LIMIT: Object = Object {
    name: "blkio limit",
    schema: "/definitions/blkio_limit",
    closed: true,
    keys: &[("path", S), ("rate", SI)],
};

static BLKIO_WEIGHT: Object = Object {
    name: "blkio weight",
    schema: "/definitions/blkio_weight",
    closed: true,
    keys: &[("path", S), ("weight", SI)],
};

static CREDENTIAL_SPEC: Object = Object {
    name: "credential_spec",
    schema: "/definitions/service/properties/credential_spec",
    closed: true,
    keys: &[("config", S), ("file", S), ("registry", S)],
};

static DEPENDS_ON: Object = Object {
    name: "depends_on entry",
    schema: "/definitions/service/properties/depends_on/oneOf/1/patternProperties/^[a-zA-Z0-9._-]+$",
    closed: true,
    keys: &[("restart", SB), ("required", Shape::Scalar(BOOL)), ("condition", S)],
};

static DEVICE: Object = Object {
    name: "device",
    schema: "/definitions/service/properties/devices/items/oneOf/1",
    closed: true,
    keys: &[("source", S), ("target", S), ("permissions", S)],
};

static ENV_FILE: Object = Object {
    name: "env_file entry",
    schema: "/definitions/env_file/oneOf/1/items/oneOf/1",
    closed: true,
    keys: &[("path", S), ("format", S), ("required", SB)],
};

static EXTENDS: Object = Object {
    name: "extends",
    schema: "/definitions/service/properties/extends/oneOf/1",
    closed: true,
    keys: &[("service", S), ("file", S)],
};

static PROVIDER: Object = Object {
    name: "provider",
    schema: "/definitions/service/properties/provider",
    closed: true,
    keys: &[("type", S), ("options", Shape::Dict(&Shape::Any))],
};

static GPU: Object = Object {
    name: "gpu",
    schema: "/definitions/gpus/oneOf/1/items",
    closed: false,
    keys: &[
        ("capabilities", STRINGS),
        ("count", SI),
        ("device_ids", STRINGS),
        ("driver", S),
        ("options", LIST_OR_DICT),
    ],
};

static HEALTHCHECK: Object = Object {
    name: "healthcheck",
    schema: "/definitions/healthcheck",
    closed: true,
    keys: &[
        ("disable", SB),
        ("interval", S),
        ("retries", SN),
        ("test", STRING_OR_LIST),
        ("timeout", S),
        ("start_period", S),
        ("start_interval", S),
    ],
};

static LOGGING: Object = Object {
    name: "logging",
    schema: "/definitions/service/properties/logging",
    closed: true,
    keys: &[("driver", S), ("options", Shape::Dict(&Shape::Scalar(STR | NUM | NULL)))],
};

static SERVICE_MODEL: Object = Object {
    name: "service model",
    schema: "/definitions/service/properties/models/oneOf/1/patternProperties/^[a-zA-Z0-9._-]+$",
    closed: true,
    keys: &[("endpoint_var", S), ("model_var", S)],
};

static SERVICE_NETWORK: Object = Object {
    name: "service network",
    schema: "/definitions/service/properties/networks/oneOf/1/patternProperties/^[a-zA-Z0-9._-]+$/oneOf/0",
    closed: true,
    keys: &[
        ("aliases", STRINGS),
        ("interface_name", S),
        ("ipv4_address", S),
        ("ipv6_address", S),
        ("link_local_ips", STRINGS),
        ("mac_address", S),
        ("driver_opts", OPTS),
        ("priority", Shape::Scalar(NUM)),
        ("gw_priority", Shape::Scalar(NUM)),
    ],
};

pub(crate) static PORT: Object = Object {
    name: "port",
    schema: "/definitions/service/properties/ports/items/oneOf/2",
    closed: true,
    keys: &[
        ("name", S),
        ("mode", S),
        ("host_ip", S),
        ("target", SI),
        ("published", SI),
        ("protocol", S),
        ("app_protocol", S),
    ],
};

static SERVICE_HOOK: Object = Object {
    name: "service hook",
    schema: "/definitions/service_hook",
    closed: true,
    keys: &[("command", COMMAND), ("user", S), ("privileged", SB), ("working_dir", S), ("environment", LIST_OR_DICT)],
};

pub(crate) static SERVICE_VOLUME: Object = Object {
    name: "volume mount",
    schema: "/definitions/service/properties/volumes/items/oneOf/1",
    closed: true,
    keys: &[
        ("type", S),
        ("source", S),
        ("target", S),
        ("read_only", SB),
        ("consistency", S),
        ("bind", Shape::Object(&VOLUME_BIND)),
        ("volume", Shape::Object(&VOLUME_VOLUME)),
        ("tmpfs", Shape::Object(&VOLUME_TMPFS)),
        ("image", Shape::Object(&VOLUME_IMAGE)),
    ],
};

static VOLUME_BIND: Object = Object {
    name: "bind options",
    schema: "/definitions/service/properties/volumes/items/oneOf/1/properties/bind",
    closed: true,
    keys: &[("propagation", S), ("create_host_path", SB), ("recursive", S), ("selinux", S)],
};

static VOLUME_VOLUME: Object = Object {
    name: "volume options",
    schema: "/definitions/service/properties/volumes/items/oneOf/1/properties/volume",
    closed: true,
    keys: &[("labels", LIST_OR_DICT), ("nocopy", SB), ("subpath", S)],
};

static VOLUME_TMPFS: Object = Object {
    name: "tmpfs options",
    schema: "/definitions/service/properties/volumes/items/oneOf/1/properties/tmpfs",
    closed: true,
    keys: &[("size", SI), ("mode", SN)],
};

static VOLUME_IMAGE: Object = Object {
    name: "image options",
    schema: "/definitions/service/properties/volumes/items/oneOf/1/properties/image",
    closed: true,
    keys: &[("subpath", S)],
};

static FILE_REF: Object = Object {
    name: "secret or config reference",
    schema: "/definitions/service_config_or_secret/items/oneOf/1",
    closed: true,
    keys: &[("source", S), ("target", S), ("uid", S), ("gid", S), ("mode", SN)],
};

static ULIMIT: Object = Object {
    name: "ulimit",
    schema: "/definitions/ulimits/patternProperties/^[a-z]+$/oneOf/1",
    closed: true,
    keys: &[("hard", SI), ("soft", SI)],
};

static DEVELOP: Object = Object {
    name: "develop",
    schema: "/definitions/development",
    closed: true,
    keys: &[("watch", Shape::List(&Shape::Object(&WATCH)))],
};

static WATCH: Object = Object {
    name: "watch rule",
    schema: "/definitions/development/properties/watch/items",
    closed: true,
    keys: &[
        ("ignore", STRING_OR_LIST),
        ("include", STRING_OR_LIST),
        ("path", S),
        ("action", S),
        ("target", S),
        ("exec", Shape::Object(&SERVICE_HOOK)),
        ("initial_sync", Shape::Scalar(BOOL)),
    ],
};

static DEPLOY: Object = Object {
    name: "deploy",
    schema: "/definitions/deployment",
    closed: true,
    keys: &[
        ("mode", S),
        ("endpoint_mode", S),
        ("replicas", SI),
        ("labels", LIST_OR_DICT),
        ("rollback_config", Shape::Object(&ROLLBACK_CONFIG)),
        ("update_config", Shape::Object(&UPDATE_CONFIG)),
        ("resources", Shape::Object(&RESOURCES)),
        ("restart_policy", Shape::Object(&RESTART_POLICY)),
        ("placement", Shape::Object(&PLACEMENT)),
    ],
};

const UPDATE_KEYS: &[(&str, Shape)] = &[
    ("parallelism", SI),
    ("delay", S),
    ("failure_action", S),
    ("monitor", S),
    ("max_failure_ratio", SN),
    ("order", S),
];

static ROLLBACK_CONFIG: Object = Object {
    name: "rollback_config",
    schema: "/definitions/deployment/properties/rollback_config",
    closed: true,
    keys: UPDATE_KEYS,
};

static UPDATE_CONFIG: Object = Object {
    name: "update_config",
    schema: "/definitions/deployment/properties/update_config",
    closed: true,
    keys: UPDATE_KEYS,
};

static RESOURCES: Object = Object {
    name: "resources",
    schema: "/definitions/deployment/properties/resources",
    closed: true,
    keys: &[("limits", Shape::Object(&LIMITS)), ("reservations", Shape::Object(&RESERVATIONS))],
};

static LIMITS: Object = Object {
    name: "resource limits",
    schema: "/definitions/deployment/properties/resources/properties/limits",
    closed: true,
    keys: &[("cpus", SN), ("memory", S), ("pids", SI)],
};

static RESERVATIONS: Object = Object {
    name: "resource reservations",
    schema: "/definitions/deployment/properties/resources/properties/reservations",
    closed: true,
    keys: &[
        ("cpus", SN),
        ("memory", S),
        ("generic_resources", Shape::List(&Shape::Object(&GENERIC_RESOURCE))),
        ("devices", Shape::List(&Shape::Object(&DEVICE_REQUEST))),
    ],
};

static GENERIC_RESOURCE: Object = Object {
    name: "generic resource",
    schema: "/definitions/generic_resources/items",
    closed: true,
    keys: &[("discrete_resource_spec", Shape::Object(&DISCRETE_RESOURCE))],
};

static DISCRETE_RESOURCE: Object = Object {
    name: "discrete_resource_spec",
    schema: "/definitions/generic_resources/items/properties/discrete_resource_spec",
    closed: true,
    keys: &[("kind", S), ("value", SN)],
};

static DEVICE_REQUEST: Object = Object {
    name: "device reservation",
    schema: "/definitions/devices/items",
    closed: true,
    keys: &[
        ("capabilities", STRINGS),
        ("count", SI),
        ("device_ids", STRINGS),
        ("driver", S),
        ("options", LIST_OR_DICT),
    ],
};

static RESTART_POLICY: Object = Object {
    name: "restart_policy",
    schema: "/definitions/deployment/properties/restart_policy",
    closed: true,
    keys: &[("condition", S), ("delay", S), ("max_attempts", SI), ("window", S)],
};

static PLACEMENT: Object = Object {
    name: "placement",
    schema: "/definitions/deployment/properties/placement",
    closed: true,
    keys: &[
        ("constraints", STRINGS),
        ("preferences", Shape::List(&Shape::Object(&PREFERENCE))),
        ("max_replicas_per_node", SI),
    ],
};

static PREFERENCE: Object = Object {
    name: "placement preference",
    schema: "/definitions/deployment/properties/placement/properties/preferences/items",
    closed: true,
    keys: &[("spread", S)],
};

const EXTERNAL: Shape = Shape::OneOf(&[SB, Shape::Object(&EXTERNAL_NAME)]);

static NETWORK: Object = Object {
    name: "network",
    schema: "/definitions/network",
    closed: true,
    keys: &[
        ("name", S),
        ("driver", S),
        ("driver_opts", OPTS),
        ("ipam", Shape::Object(&IPAM)),
        ("external", EXTERNAL),
        ("internal", SB),
        ("enable_ipv4", SB),
        ("enable_ipv6", SB),
        ("attachable", SB),
        ("labels", LIST_OR_DICT),
    ],
};

static EXTERNAL_NAME: Object =
    Object { name: "external", schema: "/definitions/network/properties/external", closed: true, keys: &[("name", S)] };

static IPAM: Object = Object {
    name: "ipam",
    schema: "/definitions/network/properties/ipam",
    closed: true,
    keys: &[("driver", S), ("config", Shape::List(&Shape::Object(&IPAM_CONFIG))), ("options", Shape::Dict(&S))],
};

static IPAM_CONFIG: Object = Object {
    name: "ipam config",
    schema: "/definitions/network/properties/ipam/properties/config/items",
    closed: true,
    keys: &[("subnet", S), ("ip_range", S), ("gateway", S), ("aux_addresses", Shape::Dict(&S))],
};

static VOLUME: Object = Object {
    name: "volume",
    schema: "/definitions/volume",
    closed: true,
    keys: &[("name", S), ("driver", S), ("driver_opts", OPTS), ("external", EXTERNAL), ("labels", LIST_OR_DICT)],
};

static SECRET: Object = Object {
    name: "secret",
    schema: "/definitions/secret",
    closed: true,
    keys: &[
        ("name", S),
        ("environment", S),
        ("file", S),
        ("external", EXTERNAL),
        ("labels", LIST_OR_DICT),
        ("driver", S),
        ("driver_opts", OPTS),
        ("template_driver", S),
    ],
};

static CONFIG: Object = Object {
    name: "config",
    schema: "/definitions/config",
    closed: true,
    keys: &[
        ("name", S),
        ("content", S),
        ("environment", S),
        ("file", S),
        ("external", EXTERNAL),
        ("labels", LIST_OR_DICT),
        ("template_driver", S),
    ],
};

/// Every object table, for the test against the schema.
#[cfg(test)]
pub(crate) static ALL: &[&Object] = &[
    &TOP,
    &INCLUDE,
    &MODEL,
    &SERVICE,
    &BUILD,
    &BLKIO,
    &BLKIO_LIMIT,
    &BLKIO_WEIGHT,
    &CREDENTIAL_SPEC,
    &DEPENDS_ON,
    &DEVICE,
    &ENV_FILE,
    &EXTENDS,
    &PROVIDER,
    &GPU,
    &HEALTHCHECK,
    &LOGGING,
    &SERVICE_MODEL,
    &SERVICE_NETWORK,
    &PORT,
    &SERVICE_HOOK,
    &SERVICE_VOLUME,
    &VOLUME_BIND,
    &VOLUME_VOLUME,
    &VOLUME_TMPFS,
    &VOLUME_IMAGE,
    &FILE_REF,
    &ULIMIT,
    &DEVELOP,
    &WATCH,
    &DEPLOY,
    &ROLLBACK_CONFIG,
    &UPDATE_CONFIG,
    &RESOURCES,
    &LIMITS,
    &RESERVATIONS,
    &GENERIC_RESOURCE,
    &DISCRETE_RESOURCE,
    &DEVICE_REQUEST,
    &RESTART_POLICY,
    &PLACEMENT,
    &PREFERENCE,
    &NETWORK,
    &EXTERNAL_NAME,
    &IPAM,
    &IPAM_CONFIG,
    &VOLUME,
    &SECRET,
    &CONFIG,
];

/// Checks a whole Compose document (the root mapping) against the specification.
pub fn check(root: &Value, out: &mut Vec<(FileId, Diagnostic)>) {
    // An empty file is a null document: nothing to check here.
    if root.is_null() {
        return;
    }
    check_shape(root, &Shape::Object(&TOP), "", out);
}

fn check_shape(value: &Value, shape: &Shape, path: &str, out: &mut Vec<(FileId, Diagnostic)>) {
    match shape {
        Shape::Any => {}
        Shape::Scalar(types) => {
            if !scalar_fits(value, *types) {
                wrong_type(value, &describe(shape), path, out);
            }
        }
        Shape::List(item) => match &value.kind {
            ValueKind::Seq(items) => {
                for (i, v) in items.iter().enumerate() {
                    check_shape(v, item, &format!("{path}[{i}]"), out);
                }
            }
            _ => wrong_type(value, &describe(shape), path, out),
        },
        Shape::Dict(item) => match &value.kind {
            ValueKind::Map(entries) => {
                for e in entries {
                    check_shape(&e.value, item, &join(path, &e.key), out);
                }
            }
            _ => wrong_type(value, &describe(shape), path, out),
        },
        Shape::Object(object) => match &value.kind {
            ValueKind::Map(entries) => {
                for e in entries {
                    if e.key.starts_with("x-") {
                        continue;
                    }
                    let key_path = join(path, &e.key);
                    match object.key(&e.key) {
                        Some(shape) => check_shape(&e.value, shape, &key_path, out),
                        None if object.closed => {
                            let place = e.key_origin.place;
                            let mut message = format!("unknown key `{}` in {}", e.key, object.name);
                            if !path.is_empty() {
                                message.push_str(&format!(" `{path}`"));
                            }
                            let mut diagnostic =
                                Diagnostic::new(super::UNKNOWN_KEY, Severity::Error, place.range, message);
                            diagnostic = match suggest(object, &e.key) {
                                Some(known) => diagnostic.with_help(format!("did you mean `{known}`?")),
                                None => diagnostic.with_help(format!(
                                    "remove it, or rename it `x-{}` to keep it as an extension",
                                    e.key
                                )),
                            };
                            out.push((place.file, diagnostic));
                        }
                        None => {}
                    }
                }
            }
            _ => wrong_type(value, &format!("a mapping ({})", object.name), path, out),
        },
        Shape::OneOf(options) => match options.iter().find(|s| kind_fits(value, s)) {
            Some(shape) => check_shape(value, shape, path, out),
            None => wrong_type(value, &describe(shape), path, out),
        },
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// Whether the value has the kind (scalar, sequence, mapping) of the shape, and for a scalar, a fitting type.
fn kind_fits(value: &Value, shape: &Shape) -> bool {
    match (shape, &value.kind) {
        (Shape::Any, _) => true,
        (Shape::Scalar(types), ValueKind::Scalar(_)) => scalar_fits(value, *types),
        (Shape::List(_), ValueKind::Seq(_)) => true,
        (Shape::Dict(_) | Shape::Object(_), ValueKind::Map(_)) => true,
        (Shape::OneOf(options), _) => options.iter().any(|s| kind_fits(value, s)),
        _ => false,
    }
}

fn scalar_fits(value: &Value, types: u8) -> bool {
    let Some(scalar) = value.as_scalar() else { return false };
    if value.is_null() {
        return types & NULL != 0;
    }
    // An interpolation may become any scalar; one with an unset variable is judged by the checks of empty values.
    // An interpolated value is a string, which Compose converts where the field wants a boolean or a number
    // (`image: ${TAG}` with `TAG=1.0` is the string `1.0`).
    if scalar.text.contains('$') || value.origin.has_unset() || (value.is_interpolated() && types & STR != 0) {
        return types & (STR | BOOL | INT | NUM) != 0;
    }
    if value.as_bool().is_some() {
        return types & BOOL != 0;
    }
    if value.as_int().is_some() {
        return types & (INT | NUM) != 0;
    }
    if value.as_float().is_some() {
        return types & NUM != 0;
    }
    types & STR != 0
}

fn describe(shape: &Shape) -> String {
    match shape {
        Shape::Any => "anything".to_owned(),
        Shape::Scalar(types) => {
            let mut words = Vec::new();
            if types & STR != 0 {
                words.push("a string");
            }
            if types & BOOL != 0 {
                words.push("a boolean");
            }
            if types & NUM != 0 {
                words.push("a number");
            } else if types & INT != 0 {
                words.push("an integer");
            }
            if types & NULL != 0 {
                words.push("null");
            }
            words.join(" or ")
        }
        Shape::List(item) => format!("a list of {}", plural(item)),
        Shape::Dict(_) => "a mapping".to_owned(),
        Shape::Object(object) => format!("a mapping ({})", object.name),
        Shape::OneOf(options) => {
            let mut words: Vec<String> = options.iter().map(describe).collect();
            words.dedup();
            words.join(" or ")
        }
    }
}

fn plural(shape: &Shape) -> String {
    let one = describe(shape);
    match one.strip_prefix("a string") {
        Some(rest) => format!("strings{rest}"),
        None => one.strip_prefix("a ").map(|r| format!("{r} values")).unwrap_or(one),
    }
}

fn wrong_type(value: &Value, expected: &str, path: &str, out: &mut Vec<(FileId, Diagnostic)>) {
    let place = value.origin.place;
    let what = if path.is_empty() { "the file".to_owned() } else { format!("`{path}`") };
    let message = format!("{what} must be {expected}, not {} {}", article(value.type_name()), value.type_name());
    out.push((place.file, Diagnostic::new(super::WRONG_TYPE, Severity::Error, place.range, message)));
}

fn article(word: &str) -> &'static str {
    match word.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an",
        _ => "a",
    }
}

/// A known key close to an unknown one (a typo, a dash for an underscore).
fn suggest(object: &Object, key: &str) -> Option<&'static str> {
    let normalized = key.to_ascii_lowercase().replace('-', "_");
    object
        .keys
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| *k == normalized || edit_distance(k, &normalized) <= 2.min(k.len() / 3))
        .min_by_key(|k| edit_distance(k, &normalized))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb { previous } else { 1 + previous.min(row[j]).min(current) };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests;
