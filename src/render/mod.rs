//! Output formats. Each reads plain diagnostics; only `human` builds miette reports.

pub mod human;
