//! Dockerfile rules, one file each.

mod host_network_run;
mod insecure_run;
mod latest_base_image;
mod mode;
mod root_user;
mod runtime_socket_volume;
mod setcap_in_run;
mod setuid_permissions;
mod ssh_port_exposed;
mod sudo_in_run;
mod world_writable_permissions;

use super::Rule;
use crate::dockerfile::{Args, Base, Command, Dockerfile, Instruction, Kind};
use crate::shell::{self, Script};

/// The Dockerfile rules, in code order.
pub static RULES: &[Rule] = &[
    latest_base_image::RULE,
    root_user::RULE,
    sudo_in_run::RULE,
    insecure_run::RULE,
    host_network_run::RULE,
    setcap_in_run::RULE,
    world_writable_permissions::RULE,
    setuid_permissions::RULE,
    ssh_port_exposed::RULE,
    runtime_socket_volume::RULE,
];

/// The shell scripts of every RUN (and `ONBUILD RUN`) whose stage runs a POSIX shell, in file order. A RUN
/// after a `SHELL ["powershell", …]` of its stage (or of the stage it is built `FROM`) is left out.
pub(super) fn posix_run_scripts(file: &Dockerfile) -> Vec<(&Instruction, Vec<Script>)> {
    let mut out = Vec::new();
    for (index, instr) in file.instructions.iter().enumerate() {
        if instr.effective().kind != Kind::Run || !stage_shell_is_posix(file, index) {
            continue;
        }
        out.push((instr, shell::parse_run(instr, file.escape)));
    }
    out
}

/// Whether the shell in effect at an instruction is POSIX: the last SHELL before it in its stage, else the
/// last SHELL of the stages it is built on; `/bin/sh -c` when there is none.
fn stage_shell_is_posix(file: &Dockerfile, index: usize) -> bool {
    let Some(mut stage) = file.stage_of(index) else { return true };
    let mut end = index;
    for _ in 0..=file.stages.len() {
        let last = file.instructions.get(stage.instructions.start..end).and_then(|instrs| {
            instrs.iter().rev().find_map(|i| match (&i.kind, &i.args) {
                (Kind::Shell, Args::Command { command: Command::Exec { args, .. } }) => Some(args),
                _ => None,
            })
        });
        if let Some(args) = last {
            let words: Vec<String> = args.iter().map(|a| a.value.clone()).collect();
            return shell::is_posix_shell(&words);
        }
        match stage.base {
            Base::Stage { index, .. } if index < stage.index => match file.stages.get(index) {
                Some(parent) => {
                    stage = parent;
                    end = parent.instructions.end;
                }
                None => return true,
            },
            _ => return true,
        }
    }
    true
}
