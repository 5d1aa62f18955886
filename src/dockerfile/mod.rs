//! Dockerfile syntax: a line scanner and instruction parser shaped like BuildKit's, a span-carrying tree,
//! BuildKit's variable expansion and scope, and BuildKit's dump format.

pub mod ast;
pub mod buildkit;
pub mod expand;
pub mod flags;
pub mod json;
pub mod parser;
pub mod stages;
pub mod syntax;
pub mod words;

pub use ast::*;
pub use parser::parse;
