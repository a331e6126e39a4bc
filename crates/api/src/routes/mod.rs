//! The HTTP handlers, by area.

pub mod admin;
pub mod dossiers;
pub mod reads;
pub mod service;
pub mod signals;
