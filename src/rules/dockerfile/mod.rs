//! Dockerfile rules, one file each.

mod base_image;
mod constant_platform_flag;
mod end_of_life_base_image;
pub(crate) mod hardcoded_credential;
mod host_network_run;
mod insecure_run;
mod latest_base_image;
mod missing_user;
mod mode;
mod package_signatures_disabled;
mod remote_add_without_checksum;
mod remote_script_execution;
pub(crate) mod root_user;
pub(super) mod run_scripts;
pub(crate) mod runtime_socket_volume;
mod secret_file_copied;
pub(crate) mod secret_in_arg_or_env;
mod secret_on_command_line;
mod setcap_in_run;
mod setuid_permissions;
mod ssh_port_exposed;
mod sudo_in_run;
mod tls_verification_disabled;
mod unpinned_base_image;
mod untrusted_base_image;
mod world_writable_permissions;

use super::Rule;

/// The Dockerfile rules, in code order.
pub static RULES: &[Rule] = &[
    latest_base_image::RULE,
    remote_script_execution::RULE,
    remote_add_without_checksum::RULE,
    tls_verification_disabled::RULE,
    package_signatures_disabled::RULE,
    unpinned_base_image::RULE,
    untrusted_base_image::RULE,
    end_of_life_base_image::RULE,
    root_user::RULE,
    sudo_in_run::RULE,
    missing_user::RULE,
    insecure_run::RULE,
    host_network_run::RULE,
    setcap_in_run::RULE,
    world_writable_permissions::RULE,
    setuid_permissions::RULE,
    secret_in_arg_or_env::RULE,
    hardcoded_credential::RULE,
    secret_file_copied::RULE,
    secret_on_command_line::RULE,
    ssh_port_exposed::RULE,
    runtime_socket_volume::RULE,
    constant_platform_flag::RULE,
];
