//! The subcommands of `dossier`, one module each.

pub mod bench;
pub mod bench_http;
pub mod bench_rebuild;
pub mod copy;
pub mod demo;
pub mod export;
pub mod rebuild;
pub mod replay;
pub mod report;
pub mod selftest;
pub mod serve;
pub mod soak;
pub mod status;
pub mod tick;
pub mod user;
pub mod verify;
