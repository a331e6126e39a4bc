//! The HTTP handlers, by area, and the one table of routes: which handler answers, and who may
//! use it. A new route is a handler with its `#[utoipa::path]` and a row here; the router, the
//! permissions and the API document follow from the table (`route_table`).

pub mod admin;
pub mod controls;
pub mod dossiers;
pub mod persons;
pub mod proposals;
pub mod reads;
pub mod service;
pub mod signals;
pub mod web;
pub mod work;

use domain::access::Role;

use crate::access_log;
use crate::route_table::{Access, route_table};

const PUBLIC: Access = Access::Public;
const EVERYONE: Access = Access::Roles(&[
    Role::Staff,
    Role::Inspector,
    Role::Investigator,
    Role::Admin,
]);
const WRITERS: Access = Access::Roles(&[Role::Staff, Role::Admin]);
/// Everyone who works a queue (`domain::work::QUEUES` says which).
const WORKERS: Access = Access::Roles(&[Role::Staff, Role::Admin, Role::Investigator]);
const ADMINS: Access = Access::Roles(&[Role::Admin]);
const INVESTIGATORS: Access = Access::Roles(&[Role::Investigator]);
const AUDITORS: Access = Access::Roles(&[Role::Inspector, Role::Investigator, Role::Admin]);
/// Fraud signals, as-of and replay: for those who look into dossiers, not those who work them.
const OVERSIGHT: Access = Access::Roles(&[Role::Inspector, Role::Investigator]);

route_table! {
    // An API route's method and path are in its handler's #[utoipa::path].
    api {
        // For load balancers and Prometheus; neither shows personal data.
        service::health => PUBLIC,
        service::metrics => PUBLIC,

        dossiers::open => WRITERS,
        dossiers::command => WRITERS,
        dossiers::history => EVERYONE,

        persons::identify => WRITERS,
        persons::command => WRITERS,
        persons::show => EVERYONE,
        persons::of_dossier => EVERYONE,
        // The person's own data in full (`Showing::SubjectAccess`): staff make it for them.
        persons::subject_access => Access::Roles(&[Role::Staff]),

        reads::search => EVERYONE,
        reads::search_in_body => EVERYONE,
        reads::summary => EVERYONE,
        reads::budgets => EVERYONE,
        reads::agreements => EVERYONE,
        reads::claims => EVERYONE,
        reads::controls => EVERYONE,
        reads::dossier_audit => EVERYONE,
        reads::dossier_signals => OVERSIGHT,
        reads::as_of => OVERSIGHT,
        reads::replay_dossier => OVERSIGHT,
        reads::all_budgets => EVERYONE,
        reads::covid_overrun => EVERYONE,
        reads::all_signals => OVERSIGHT,
        reads::audit => AUDITORS,

        // Which role sees which queue is `domain::work::QUEUES`; the handlers ask it.
        work::list => EVERYONE,
        work::show => EVERYONE,
        work::take => WORKERS,
        work::release => WORKERS,

        controls::draw_sample => WRITERS,

        proposals::list => WRITERS,
        proposals::confirm => WRITERS,
        proposals::refuse => WRITERS,
        proposals::withdraw => WRITERS,

        signals::dismiss => INVESTIGATORS,
        signals::escalate => INVESTIGATORS,

        admin::rule_book => EVERYONE,
        admin::publish_rule => ADMINS,
        admin::registry_command => ADMINS,
        admin::verify => AUDITORS,
        access_log::list => Access::Roles(&[Role::Inspector, Role::Admin]),
        admin::me => EVERYONE,
        admin::add_user => ADMINS,
        admin::revoke_token => ADMINS,
    }
    // The staff web UI: server-rendered pages, not in the API document. A row writes the
    // method and path, e.g. `GET "/dossiers/{dossier}", web::dossier => WRITERS,`.
    pages {
        GET "/", web::home => PUBLIC,
    }
}
