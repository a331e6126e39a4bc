pub mod admin;
pub mod dossiers;
pub mod service;
