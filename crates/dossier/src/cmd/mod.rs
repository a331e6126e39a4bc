pub mod bench;
pub mod selftest;
pub mod soak;
pub mod tick;
pub mod verify;
