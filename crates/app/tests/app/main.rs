//! The application layer: the executor on a small model, and the domain service.

mod executor;
mod sealing;
mod service;
