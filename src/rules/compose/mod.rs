//! Compose rules (`PLC1xx`–`PLC8xx`) and cross-file rules (`PLX…`), one file each. They read the merged,
//! interpolated model ([`crate::compose::model`]); [`ComposeContext::finding`](super::ComposeContext::finding)
//! puts a finding where the value is used, with a label at its definition when it came through an anchor, a
//! merge key, `extends` or `include`.

mod credential_in_connection_string;
mod latest_image;
mod obsolete_version_key;
mod port_on_all_interfaces;
mod ports;
mod privileged_host_port;
mod privileged_service;
mod secret_in_environment;
mod unpinned_image;

use super::Rule;

/// The Compose and cross-file rules, in code order.
pub static RULES: &[Rule] = &[
    latest_image::RULE,
    unpinned_image::RULE,
    privileged_service::RULE,
    secret_in_environment::RULE,
    credential_in_connection_string::RULE,
    port_on_all_interfaces::RULE,
    privileged_host_port::RULE,
    obsolete_version_key::RULE,
];

/// dclint's rule ids and the plimsoll rules that make the same check, so `# dclint disable-line <rule>`
/// comments keep working.
pub const DCLINT_EQUIVALENTS: &[(&str, &str)] = &[
    ("no-version-field", "PLC801"),
    ("service-image-require-explicit-tag", "PLC101"),
    ("no-unbound-port-interfaces", "PLC501"),
];
