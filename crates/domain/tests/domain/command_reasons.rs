//! The table of command reasons covers every command, names fields that exist, and is the one
//! check: a decision staff choose is refused without its reason, and the reason it states is
//! what the events' metadata carries.

use std::collections::BTreeSet;

use domain::access::AccessCommand;
use domain::command_reasons::{COMMAND_REASONS, ReasonRule, name_and_fields, rule_of};
use domain::dossier::*;
use domain::four_eyes::ProposalCommand;
use domain::persons::PersonCommand;
use domain::registry::RegistryCommand;
use domain::signals::SignalTriageCommand;
use domain::*;
use serde_json::Value;

/// The variants of an internally tagged command enum, by the name its JSON gives them, with
/// the names of their fields.
fn variants(schema: &schemars::Schema) -> Vec<(String, BTreeSet<String>)> {
    let root = schema.as_value();
    let resolve = |value: &Value| -> Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap_or_default();
                root["$defs"][name].clone()
            }
            None => value.clone(),
        }
    };
    fn fields_of(value: &Value, resolve: &dyn Fn(&Value) -> Value, out: &mut BTreeSet<String>) {
        let value = resolve(value);
        if let Some(properties) = value.get("properties").and_then(Value::as_object) {
            out.extend(properties.keys().cloned());
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for part in value
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                fields_of(part, resolve, out);
            }
        }
    }
    let mut found = Vec::new();
    for variant in root["oneOf"].as_array().expect("a tagged enum") {
        let mut fields = BTreeSet::new();
        fields_of(variant, &resolve, &mut fields);
        let variant = resolve(variant);
        let tag = &variant["properties"]["command"];
        let name = tag["const"]
            .as_str()
            .or_else(|| tag["enum"][0].as_str())
            .expect("each variant names its command");
        fields.remove("command");
        found.push((name.to_owned(), fields));
    }
    found
}

fn schema_variants() -> Vec<(&'static str, String, BTreeSet<String>)> {
    let kinds = [
        ("dossier", schemars::schema_for!(DossierCommand)),
        ("person", schemars::schema_for!(PersonCommand)),
        ("registry", schemars::schema_for!(RegistryCommand)),
        (
            "controls",
            schemars::schema_for!(domain::controls::ControlsCommand),
        ),
    ];
    kinds
        .iter()
        .flat_map(|(kind, schema)| {
            variants(schema)
                .into_iter()
                .map(|(name, fields)| (*kind, name, fields))
        })
        .collect()
}

/// The commands of the kinds without a JSON Schema, one of each, as their JSON names them.
fn named_without_schema() -> Vec<(&'static str, String)> {
    let token = TokenId::from_uuid(uuid::Uuid::nil());
    let user = UserId::from_uuid(uuid::Uuid::nil());
    let proposal = ProposalId::from_uuid(uuid::Uuid::nil());
    let commands = [
        (
            "signals",
            serde_json::to_value(SignalTriageCommand::Dismiss {
                signal: String::new(),
                reason: String::new(),
            }),
        ),
        (
            "signals",
            serde_json::to_value(SignalTriageCommand::Escalate {
                signal: String::new(),
                reason: String::new(),
            }),
        ),
        (
            "access",
            serde_json::to_value(AccessCommand::AddUser {
                user,
                name: String::new(),
                role: domain::access::Role::Staff,
            }),
        ),
        (
            "access",
            serde_json::to_value(AccessCommand::IssueToken {
                token,
                user,
                secret_sha256: String::new(),
            }),
        ),
        (
            "access",
            serde_json::to_value(AccessCommand::RevokeToken {
                token,
                reason: String::new(),
            }),
        ),
        (
            "proposals",
            serde_json::to_value(ProposalCommand::Propose {
                proposal,
                kind: String::new(),
                proposed: serde_json::Value::Null,
                target_version: None,
                preview: Vec::new(),
            }),
        ),
        (
            "proposals",
            serde_json::to_value(ProposalCommand::ConfirmProposal {
                proposal,
                target_version: None,
            }),
        ),
        (
            "proposals",
            serde_json::to_value(ProposalCommand::RefuseProposal {
                proposal,
                reason: String::new(),
            }),
        ),
        (
            "proposals",
            serde_json::to_value(ProposalCommand::WithdrawProposal {
                proposal,
                reason: None,
            }),
        ),
        (
            "work",
            serde_json::to_value(domain::work::WorkCommand::Take {
                queue: domain::work::Queue::Deadlines,
                item: String::new(),
            }),
        ),
        (
            "work",
            serde_json::to_value(domain::work::WorkCommand::Release {
                queue: domain::work::Queue::Deadlines,
                item: String::new(),
            }),
        ),
    ];
    commands
        .into_iter()
        .map(|(kind, value)| {
            let value = value.unwrap();
            (kind, name_and_fields(&value).unwrap().0.to_owned())
        })
        .collect()
}

#[test]
fn every_command_has_exactly_one_row_in_the_table_of_reasons() {
    let mut expected: BTreeSet<(String, String)> = schema_variants()
        .into_iter()
        .map(|(kind, name, _)| (kind.to_owned(), name))
        .collect();
    expected.extend(
        named_without_schema()
            .into_iter()
            .map(|(kind, name)| (kind.to_owned(), name)),
    );
    let rows: Vec<(String, String)> = COMMAND_REASONS
        .iter()
        .map(|r| (r.kind.to_owned(), r.command.to_owned()))
        .collect();
    let table: BTreeSet<(String, String)> = rows.iter().cloned().collect();
    assert_eq!(rows.len(), table.len(), "a command has two rows");
    let missing: Vec<_> = expected.difference(&table).collect();
    let unknown: Vec<_> = table.difference(&expected).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "commands without a row: {missing:?}; rows without a command: {unknown:?}"
    );
}

#[test]
fn each_reason_field_of_the_table_is_a_field_of_its_command() {
    for (kind, name, fields) in schema_variants() {
        let row = rule_of(kind, &name).unwrap();
        if let Some(field) = row.field {
            assert!(
                fields.contains(field),
                "{kind} {name} has no field {field}: {fields:?}"
            );
        }
        if row.rule == ReasonRule::Required {
            assert!(
                row.field.is_some(),
                "{kind} {name} requires a reason but names no field"
            );
        }
    }
}

#[test]
fn the_decisions_staff_choose_require_a_reason() {
    // The brief's list: overrides, rejections, corrections, voids, write-offs, stops,
    // dismissals.
    for (kind, command) in [
        ("dossier", "override_cost_line_decision"),
        ("dossier", "reject_agreement"),
        ("dossier", "correct_insz"),
        ("dossier", "correct_birth_date"),
        ("dossier", "correct_budget_account"),
        ("person", "correct_name"),
        ("person", "correct_insz"),
        ("dossier", "void_dossier"),
        ("dossier", "void_agreement"),
        ("dossier", "void_cost_claim"),
        ("dossier", "write_off_recovery"),
        ("dossier", "stop_budget"),
        ("dossier", "terminate_agreement"),
        ("signals", "Dismiss"),
    ] {
        assert_eq!(
            rule_of(kind, command).map(|r| r.rule),
            Some(ReasonRule::Required),
            "{kind} {command}"
        );
    }
}

#[test]
fn the_reason_a_command_states_is_what_its_events_carry_and_a_blank_one_is_refused() {
    let void = |reason: &str| {
        DossierCommand::VoidDossier(VoidDossier {
            reason: reason.into(),
        })
    };
    assert_eq!(
        DossierStream::reason(&void("geopend voor de verkeerde persoon")).unwrap(),
        Some("geopend voor de verkeerde persoon".to_owned())
    );
    assert_eq!(
        DossierStream::reason(&void("  ")).unwrap_err().code(),
        "REASON_REQUIRED"
    );
    // A typed choice is its own reason: its code.
    let stop = DossierCommand::StopBudget(StopBudget {
        budget: BudgetId::from_uuid(uuid::Uuid::nil()),
        stop_date: domain::examples::date(2026, 1, 31),
        reason: StopReason::Voluntary,
        signed_by: None,
    });
    assert_eq!(
        DossierStream::reason(&stop).unwrap(),
        Some("voluntary".to_owned())
    );
    // A command that need not say why states nothing: the request's own reason is kept.
    assert_eq!(
        DossierStream::reason(&DossierCommand::RecordMajority).unwrap(),
        None
    );
}
