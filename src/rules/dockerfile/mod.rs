//! Dockerfile rules, one file each.

mod host_network_run;
mod insecure_run;
mod latest_base_image;
mod package_signatures_disabled;
mod remote_add_without_checksum;
mod remote_script_execution;
mod root_user;
mod run_scripts;
mod ssh_port_exposed;
mod tls_verification_disabled;

use super::Rule;

/// The Dockerfile rules, in code order.
pub static RULES: &[Rule] = &[
    latest_base_image::RULE,
    remote_script_execution::RULE,
    remote_add_without_checksum::RULE,
    tls_verification_disabled::RULE,
    package_signatures_disabled::RULE,
    root_user::RULE,
    insecure_run::RULE,
    host_network_run::RULE,
    ssh_port_exposed::RULE,
];
