//! Dockerfile syntax: lexer, parser, tree, variable expansion and BuildKit's dump format.

pub mod expand;
