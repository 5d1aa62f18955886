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
mod host_network_build;
mod host_paths;
mod inherited_host_mount;
mod insecure_build_entitlement;
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
mod secret_in_command;
mod secret_in_environment;
mod security_profile_disabled;
mod sensitive_host_mount;
mod service_image;
mod shared_container_namespace;
mod shared_mount_propagation;
mod tmpfs_exec;
mod unlimited_restart_policy;
mod unpinned_image;
mod unset;
mod untrusted_image;
mod writable_root_filesystem;

use super::{ComposeContext, Rule};
use crate::compose::model::Service;

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
    insecure_build_entitlement::RULE,
    host_network_build::RULE,
    inherited_host_mount::RULE,
    secret_in_environment::RULE,
    credential_in_connection_string::RULE,
    secret_in_command::RULE,
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

/// Where a new key line goes as the first key of a service, and its indentation: the start of the line of the
/// service's first key, when the service's mapping is a block written in place in the file that names it. `None`
/// when that cannot be known for sure (a flow mapping, a mapping that came through an anchor, a merge key or
/// `extends`, a first key not alone at the start of its line), so a fix is never offered on a guess.
pub(super) fn first_key_line(ctx: &ComposeContext<'_>, service: &Service) -> Option<(usize, String)> {
    let raw = service.raw.as_ref()?;
    let name = &service.name.origin;
    if !name.via.is_empty() || !raw.origin.via.is_empty() || raw.origin.place.file != name.place.file {
        return None;
    }
    if raw.as_map().is_none_or(|m| m.is_empty()) {
        return None;
    }
    let text = &ctx.project.file(raw.origin.place.file)?.text;
    let start = raw.origin.place.range.start as usize;
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..start];
    let is_key = text.get(start..).is_some_and(|rest| !rest.starts_with(['{', '-', '?', '&', '!', '*']));
    (!indent.is_empty() && indent.bytes().all(|b| b == b' ') && is_key).then(|| (line_start, indent.to_owned()))
}
