//! Dockerfile rules, one file each.

pub(crate) mod hardcoded_credential;
mod host_network_run;
mod insecure_run;
mod latest_base_image;
mod mode;
mod package_signatures_disabled;
mod remote_add_without_checksum;
mod remote_script_execution;
mod root_user;
pub(super) mod run_scripts;
mod runtime_socket_volume;
mod secret_file_copied;
pub(crate) mod secret_in_arg_or_env;
mod setcap_in_run;
mod setuid_permissions;
mod ssh_port_exposed;
mod sudo_in_run;
mod tls_verification_disabled;
mod world_writable_permissions;

use super::Rule;

/// The Dockerfile rules, in code order.
pub static RULES: &[Rule] = &[
    latest_base_image::RULE,
    remote_script_execution::RULE,
    remote_add_without_checksum::RULE,
    tls_verification_disabled::RULE,
    package_signatures_disabled::RULE,
    root_user::RULE,
    sudo_in_run::RULE,
    insecure_run::RULE,
    host_network_run::RULE,
    setcap_in_run::RULE,
    world_writable_permissions::RULE,
    setuid_permissions::RULE,
    secret_in_arg_or_env::RULE,
    hardcoded_credential::RULE,
    secret_file_copied::RULE,
    ssh_port_exposed::RULE,
    runtime_socket_volume::RULE,
];
