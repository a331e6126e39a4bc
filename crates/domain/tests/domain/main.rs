//! The one integration-test binary of the domain crate: given/when/then scenarios per area of the
//! regulation, the docs checks and the property tests.

mod access;
mod agreements;
mod budgets;
mod claims;
mod combinations;
mod command_reasons;
mod controls;
mod created_ids;
mod docs;
mod events_doc;
mod fixtures;
mod four_eyes;
mod migration;
mod money;
mod organisations;
mod person_index;
mod person_records;
mod persons;
mod properties;
mod rule_book;
mod signal_triage;
mod work;
