//! Compose rules (`PLC1xx`–`PLC8xx`) and cross-file rules (`PLX…`), one file each. They read the merged,
//! interpolated model ([`crate::compose::model`]); [`ComposeContext::finding`](super::ComposeContext::finding)
//! puts a finding where the value is used, with a label at its definition when it came through an anchor, a
//! merge key, `extends` or `include`.

mod capabilities;
mod capabilities_not_dropped;
mod credential_in_connection_string;
mod dangerous_capability;
mod end_of_life_image;
mod healthcheck_disabled;
mod host_device;
mod host_namespace;
mod host_paths;
mod latest_image;
mod logging_disabled;
mod missing_resource_limits;
mod new_privileges_allowed;
mod obsolete_version_key;
mod port_on_all_interfaces;
mod ports;
mod privileged_host_port;
mod privileged_service;
mod root_user_service;
mod runtime_socket_mount;
mod secret_in_environment;
mod security_profile_disabled;
mod sensitive_host_mount;
mod shared_container_namespace;
mod shared_mount_propagation;
mod tmpfs_exec;
mod unlimited_restart_policy;
mod unpinned_image;
mod untrusted_image;
mod writable_root_filesystem;

use super::Rule;

/// The Compose and cross-file rules, in code order.
pub static RULES: &[Rule] = &[
    latest_image::RULE,
    unpinned_image::RULE,
    untrusted_image::RULE,
    end_of_life_image::RULE,
    privileged_service::RULE,
    root_user_service::RULE,
    new_privileges_allowed::RULE,
    dangerous_capability::RULE,
    capabilities_not_dropped::RULE,
    runtime_socket_mount::RULE,
    sensitive_host_mount::RULE,
    shared_mount_propagation::RULE,
    host_namespace::RULE,
    shared_container_namespace::RULE,
    security_profile_disabled::RULE,
    host_device::RULE,
    writable_root_filesystem::RULE,
    missing_resource_limits::RULE,
    tmpfs_exec::RULE,
    secret_in_environment::RULE,
    credential_in_connection_string::RULE,
    port_on_all_interfaces::RULE,
    privileged_host_port::RULE,
    healthcheck_disabled::RULE,
    unlimited_restart_policy::RULE,
    logging_disabled::RULE,
    obsolete_version_key::RULE,
];

/// dclint's rule ids and the plimsoll rules that make the same check, so `# dclint disable-line <rule>`
/// comments keep working.
pub const DCLINT_EQUIVALENTS: &[(&str, &str)] = &[
    ("no-version-field", "PLC801"),
    ("service-image-require-explicit-tag", "PLC101"),
    ("no-unbound-port-interfaces", "PLC501"),
];
