//! Which commands must say why: the one table of it. A decision staff choose (an override, a
//! rejection, a correction, a void, a write-off, a stop, a dismissal) is refused without a
//! reason (`REASON_REQUIRED`); other commands may carry one. Whatever reason a command gives
//! becomes the reason in the metadata of each event it causes, where the audit trail, the
//! history and the replay read it (sealed with the stream's key where the stream holds personal
//! data, so it is erased with the rest). `docs/rules.md` lists the table, generated from it.
//!
//! The table names the field of the command that states the reason; the check reads the command
//! as its JSON, so a command type needs no code of its own to join.

use serde::Serialize;
use serde_json::Value;

use crate::{Reason, Rejection};

/// Whether a command must state its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonRule {
    /// Staff choose: refused with `REASON_REQUIRED` when the field is missing or blank.
    Required,
    /// May carry one (in its field, when it has one); the request's own reason (the daily
    /// job's, a migration's source) is kept otherwise.
    Optional,
}

/// The rule of one command.
#[derive(Debug, Clone, Copy)]
pub struct CommandReason {
    /// The kind of stream ([`crate::Decider::KIND`]).
    pub kind: &'static str,
    /// The command as its JSON names it.
    pub command: &'static str,
    /// The field stating the reason: free text, or a typed choice (a stop reason, a legal
    /// basis) whose code is the reason.
    pub field: Option<&'static str>,
    pub rule: ReasonRule,
}

const fn required(kind: &'static str, command: &'static str, field: &'static str) -> CommandReason {
    CommandReason {
        kind,
        command,
        field: Some(field),
        rule: ReasonRule::Required,
    }
}

const fn optional(kind: &'static str, command: &'static str) -> CommandReason {
    CommandReason {
        kind,
        command,
        field: None,
        rule: ReasonRule::Optional,
    }
}

const fn optional_in(
    kind: &'static str,
    command: &'static str,
    field: &'static str,
) -> CommandReason {
    CommandReason {
        kind,
        command,
        field: Some(field),
        rule: ReasonRule::Optional,
    }
}

const DOSSIER: &str = "dossier";
const PERSON: &str = "person";

/// Every command staff, holders and the daily job give, by kind of stream. Kinds that only the
/// service itself writes (the rule book's seed, the person index) keep the request's reason.
pub const COMMAND_REASONS: &[CommandReason] = &[
    // Who the dossier is about.
    optional(DOSSIER, "register_person"),
    required(DOSSIER, "correct_birth_date", "reason"),
    optional(DOSSIER, "record_death"),
    required(DOSSIER, "void_dossier", "reason"),
    // An erasure is justified by its legal basis, a typed field of its own: a free-text reason
    // would be erased with the data it explains.
    optional(DOSSIER, "erase_dossier_data"),
    required(DOSSIER, "correct_insz", "reason"),
    optional(DOSSIER, "assign_legal_representative"),
    required(DOSSIER, "end_legal_representative", "reason"),
    optional(DOSSIER, "designate_budget_holder"),
    optional(DOSSIER, "register_budget_account"),
    required(DOSSIER, "correct_budget_account", "reason"),
    optional(DOSSIER, "change_account_proxy"),
    optional(DOSSIER, "record_majority"),
    // Budgets.
    optional(DOSSIER, "submit_pab_application"),
    optional(DOSSIER, "grant_pab"),
    optional(DOSSIER, "make_pvb_available"),
    required(DOSSIER, "set_annual_amount", "reason"),
    required(DOSSIER, "record_home_guidance_deregistration", "attest_ref"),
    optional(DOSSIER, "start_budget"),
    optional(DOSSIER, "lapse_budget"),
    required(DOSSIER, "stop_budget", "reason"),
    optional(DOSSIER, "convert_pab_to_pvb_na_jeugdhulp"),
    optional(DOSSIER, "switch_to_zorgbudget"),
    optional(DOSSIER, "redeem_bo_value_voucher"),
    optional(DOSSIER, "expire_bo_value_voucher"),
    // Agreements and combinations.
    optional(DOSSIER, "register_agreement"),
    optional(DOSSIER, "approve_agreement"),
    required(DOSSIER, "reject_agreement", "reason"),
    optional(DOSSIER, "amend_agreement"),
    optional(DOSSIER, "give_notice"),
    required(DOSSIER, "terminate_agreement", "reason"),
    required(DOSSIER, "void_agreement", "reason"),
    optional_in(DOSSIER, "submit_combination_form", "reason"),
    optional(DOSSIER, "recalculate_combination_reduction"),
    optional(DOSSIER, "join_assistance_organisation"),
    optional(DOSSIER, "record_bo_assistance"),
    required(DOSSIER, "report_suspected_misuse", "narrative"),
    // Cost claims and money.
    optional(DOSSIER, "submit_cost_claim"),
    required(DOSSIER, "decide_cost_line", "reason"),
    required(DOSSIER, "override_cost_line_decision", "reason"),
    required(DOSSIER, "void_cost_claim", "reason"),
    optional(DOSSIER, "grant_covid_overrun_allowance"),
    optional(DOSSIER, "raise_covid_overrun_allowance"),
    optional(DOSSIER, "declare_cash_part"),
    optional(DOSSIER, "pay_advance"),
    optional(DOSSIER, "order_payment"),
    optional(DOSSIER, "execute_payment"),
    required(DOSSIER, "grant_extra_severance", "reason"),
    optional(DOSSIER, "close_budget_year"),
    required(DOSSIER, "decide_recovery", "reasons"),
    optional(DOSSIER, "record_recovery_repayment"),
    required(DOSSIER, "write_off_recovery", "reason"),
    optional(DOSSIER, "draft_final_settlement"),
    optional(DOSSIER, "issue_final_settlement"),
    // Controls.
    optional(DOSSIER, "open_control_case"),
    optional(DOSSIER, "request_evidence"),
    optional(DOSSIER, "record_evidence"),
    optional(DOSSIER, "record_inspection_visit"),
    required(DOSSIER, "conclude_control", "letter_ref"),
    required(DOSSIER, "report_suspected_fraud", "narrative"),
    required(DOSSIER, "migrate_history", "source"),
    // Persons.
    optional(PERSON, "identify"),
    required(PERSON, "correct_name", "reason"),
    optional(PERSON, "record_contact"),
    required(PERSON, "correct_insz", "reason"),
    optional(PERSON, "erase"),
    // The registry, the signals, the controls stream and access.
    optional("registry", "license"),
    required("registry", "withdraw", "reason"),
    required("signals", "Dismiss", "reason"),
    required("signals", "Escalate", "reason"),
    optional("controls", "draw_sample"),
    optional("access", "AddUser"),
    optional("access", "IssueToken"),
    required("access", "RevokeToken", "reason"),
    // Proposals (four-eyes): a proposal states the reason of the command it proposes.
    optional("proposals", "propose"),
    optional("proposals", "confirm_proposal"),
    required("proposals", "refuse_proposal", "reason"),
    optional_in("proposals", "withdraw_proposal", "reason"),
    // Work queues: taking and releasing an item decides nothing about it.
    optional("work", "take"),
    optional("work", "release"),
];

/// The row of `command` of a stream of `kind`, if the table has one.
pub fn rule_of(kind: &str, command: &str) -> Option<&'static CommandReason> {
    COMMAND_REASONS
        .iter()
        .find(|r| r.kind == kind && r.command == command)
}

/// The reason `command` (of a stream of `kind`) states, as the metadata of its events carries
/// it: `None` when it states none and need not.
///
/// # Errors
/// `REASON_REQUIRED` when the table requires one and the command's field is missing or blank.
pub fn stated(kind: &str, command: &impl Serialize) -> Result<Option<String>, Rejection> {
    let Ok(value) = serde_json::to_value(command) else {
        return Ok(None);
    };
    stated_in(kind, &value)
}

/// [`stated`] of a command already as JSON (a proposal's).
///
/// # Errors
/// `REASON_REQUIRED`, as [`stated`].
pub fn stated_in(kind: &str, value: &Value) -> Result<Option<String>, Rejection> {
    let Some((name, fields)) = name_and_fields(value) else {
        return Ok(None);
    };
    let Some(row) = rule_of(kind, name) else {
        return Ok(None);
    };
    let text = row
        .field
        .and_then(|field| fields.and_then(|f| f.get(field)))
        .and_then(as_text)
        .filter(|t| !t.trim().is_empty());
    match (row.rule, text) {
        (ReasonRule::Required, None) => Err(Reason::ReasonRequired.into()),
        (_, text) => Ok(text),
    }
}

/// The name of a command as serde writes it (`{"command": "…", …}`, `{"Name": {…}}` or
/// `"Name"`) and its fields.
pub fn name_and_fields(value: &Value) -> Option<(&str, Option<&serde_json::Map<String, Value>>)> {
    match value {
        Value::String(name) => Some((name, None)),
        Value::Object(map) => match map.get("command") {
            Some(Value::String(name)) => Some((name, Some(map))),
            _ if map.len() == 1 => {
                let (name, inner) = map.iter().next()?;
                Some((name, inner.as_object()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// A reason field as text: the text itself, a typed choice's code, a list's codes joined.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Array(items) => {
            let codes: Vec<String> = items.iter().filter_map(as_text).collect();
            (!codes.is_empty()).then(|| codes.join(", "))
        }
        _ => None,
    }
}
