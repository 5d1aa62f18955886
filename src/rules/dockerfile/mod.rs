//! Dockerfile rules, one file each.

mod hardcoded_credential;
mod host_network_run;
mod insecure_run;
mod latest_base_image;
mod root_user;
mod secret_file_copied;
mod secret_in_arg_or_env;
mod ssh_port_exposed;

use super::Rule;

/// The Dockerfile rules, in code order.
pub static RULES: &[Rule] = &[
    latest_base_image::RULE,
    root_user::RULE,
    insecure_run::RULE,
    host_network_run::RULE,
    secret_in_arg_or_env::RULE,
    hardcoded_credential::RULE,
    secret_file_copied::RULE,
    ssh_port_exposed::RULE,
];
