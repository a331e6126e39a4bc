//! The OpenAPI document (`/api/openapi.json`) behind Swagger UI (`/api/docs`).
//!
//! Routes and response types are described with utoipa; the domain's commands keep their JSON
//! Schemas from schemars (the domain knows nothing of HTTP), which are merged in here as
//! components, so the document shows exactly the fields a command accepts.

use serde_json::{Value, json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::access_log;
use crate::error::{InvalidParam, Problem};
use crate::route_table::{self, BEARER};
use crate::routes::{admin, controls, dossiers, persons, proposals, reads, service, signals, work};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dossier",
        description = "Case management for VAPH personal budgets (PVB, PAB). Every change is an \
                       immutable event; refusals come as problem+json with a stable code, the rule \
                       id and a Dutch message. Authenticate with `Authorization: Bearer <token>` \
                       (tokens: `dossier user add NAME --role ROLE`)."
    ),
    components(schemas(
        Problem, InvalidParam, dossiers::OpenDossier, dossiers::Recorded, dossiers::WarningBody, dossiers::HistoryEvent, dossiers::ProposedBy,
        admin::Me, admin::NewUser, admin::IssuedToken, admin::Revocation, admin::Verified,
        service::Health, access_log::AccessEntry, signals::Triage, controls::DrawSample,
        controls::DrawnSample, controls::OpenedCase, controls::RefusedCase,
        persons::NewPerson, persons::PersonBody, persons::PersonRecorded, persons::DossierPerson,
        persons::Action, work::QueueSummary, work::WorkItemChanged,
        proposals::ProposalRecorded, proposals::ProposalBody, proposals::Confirmed,
        proposals::ProposalReason, reads::SearchBody,
    )),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole document as JSON.
pub fn document() -> Value {
    let mut api = ApiDoc::openapi();
    api.merge(route_table::api_paths(route_table::routes()));
    let mut doc = serde_json::to_value(api).unwrap_or_else(|_| json!({}));
    let domain_schemas = [
        (
            "DossierCommand",
            schemars::schema_for!(domain::dossier::DossierCommand),
        ),
        (
            "PersonCommand",
            schemars::schema_for!(domain::persons::PersonCommand),
        ),
        (
            "RegistryCommand",
            schemars::schema_for!(domain::registry::RegistryCommand),
        ),
        (
            "PublishRuleParameter",
            schemars::schema_for!(domain::rule_book::PublishRuleParameter),
        ),
    ];
    for (name, schema) in domain_schemas {
        // schemars refers to "#/$defs/X"; in OpenAPI the definitions live in the components.
        let text = serde_json::to_string(&schema)
            .unwrap_or_default()
            .replace("#/$defs/", "#/components/schemas/");
        let Ok(mut schema) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let defs = schema.as_object_mut().and_then(|o| o.remove("$defs"));
        if let Some(o) = schema.as_object_mut() {
            o.remove("$schema");
        }
        let components = &mut doc["components"]["schemas"];
        if let Some(Value::Object(defs)) = defs {
            for (def_name, def) in defs {
                components[def_name] = def;
            }
        }
        components[name] = schema;
    }
    // Every request body of the API is required; utoipa leaves one named by `ref(...)` (a domain
    // command's schema, merged above) optional.
    let operations = doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut());
    for operation in operations {
        if let Some(body) = operation.get_mut("requestBody") {
            body["required"] = json!(true);
        }
    }
    doc
}
