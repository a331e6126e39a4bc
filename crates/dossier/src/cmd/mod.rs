pub mod bench;
pub mod selftest;
pub mod serve;
pub mod soak;
pub mod tick;
pub mod user;
pub mod verify;
