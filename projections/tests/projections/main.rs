//! The projections' one integration-test binary.

mod as_of;
mod fixtures;
mod postgres;
mod read_models;
mod runner;
mod select;
mod signals;
