pub mod admin;
pub mod dossiers;
pub mod service;
pub mod signals;
