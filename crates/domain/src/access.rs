//! Who may use Dossier: users, the role each acts in, and their bearer tokens.
//!
//! One access stream holds every user and token. A token's secret is shown once when it is
//! issued and never stored: the stream keeps its SHA-256 only (a random 256-bit secret needs no
//! slow password hash). Revoking a token is an event with a reason; nothing is deleted, so an
//! audit can always tell who could act when.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Actor;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::values::{TokenId, UserId};

crate::event::event_enum! {
    /// Events of the access stream.
    AccessEvent {
        UserAdded = 1,
        TokenIssued = 1,
        TokenRevoked = 1,
    }
}

/// What a user may do (the HTTP service maps each route to the roles allowed on it).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Back-office staff (team Budgetbesteding): commands and reads.
    Staff,
    /// Inspectors: reads, reports and log verification; never writes.
    Inspector,
    /// Fraud investigators: reads, replay, as-of views, signal triage.
    Investigator,
    /// Administrators: rule parameters, organisation licences, users.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Staff,
        Role::Inspector,
        Role::Investigator,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Inspector => "inspector",
            Role::Investigator => "investigator",
            Role::Admin => "admin",
        }
    }

    /// # Errors
    /// When the text names no role.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| {
                format!("unknown role {text:?}: use staff, inspector, investigator or admin")
            })
    }
}

/// A user was added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UserAdded {
    /// The new user's id.
    pub user: UserId,
    /// The user's login name, unique.
    pub name: String,
    /// The role the user acts in.
    pub role: Role,
    /// Added by the operator at the server while fewer than two administrators existed, so
    /// with no administrator to confirm it: the bootstrap. Absent (false) for a role given by
    /// one administrator's proposal and another's confirmation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bootstrap: bool,
}

/// Administrators needed before a role is given only by four-eyes: one proposes, another
/// confirms.
pub const ADMINISTRATORS_FOR_FOUR_EYES: usize = 2;

/// A bearer token was issued to a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TokenIssued {
    /// The token's id (shown in listings; not a secret).
    pub token: TokenId,
    /// The user the token acts for.
    pub user: UserId,
    /// SHA-256 of the secret, 64 hexadecimal digits. The secret itself is never stored.
    pub secret_sha256: String,
}

/// A token was revoked: it no longer opens the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TokenRevoked {
    /// The revoked token.
    pub token: TokenId,
    /// Why it was revoked (e.g. a lost laptop, a user leaving).
    pub reason: String,
}

/// Commands of the access stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessCommand {
    AddUser {
        user: UserId,
        name: String,
        role: Role,
    },
    IssueToken {
        token: TokenId,
        user: UserId,
        secret_sha256: String,
    },
    RevokeToken {
        token: TokenId,
        reason: String,
    },
}

/// A user as the access stream knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub role: Role,
}

/// A token as the access stream knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub id: TokenId,
    pub user: UserId,
    pub revoked: bool,
}

/// State of the access stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    users: BTreeMap<UserId, User>,
    tokens: BTreeMap<TokenId, Token>,
    /// SHA-256 (hex) of each token's secret → token.
    by_secret: BTreeMap<String, TokenId>,
}

impl Access {
    /// The user a presented secret's SHA-256 belongs to, if the token exists and is not revoked.
    pub fn user_for_secret(&self, secret_sha256: &str) -> Option<&User> {
        let token = self.tokens.get(self.by_secret.get(secret_sha256)?)?;
        if token.revoked {
            return None;
        }
        self.users.get(&token.user)
    }

    pub fn users(&self) -> impl Iterator<Item = &User> {
        self.users.values()
    }

    /// The administrators, who give roles to others.
    pub fn administrators(&self) -> usize {
        self.users
            .values()
            .filter(|u| u.role == Role::Admin)
            .count()
    }

    pub fn user_named(&self, name: &str) -> Option<&User> {
        self.users.values().find(|u| u.name == name)
    }

    pub fn tokens_of(&self, user: UserId) -> impl Iterator<Item = &Token> {
        self.tokens.values().filter(move |t| t.user == user)
    }
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Decides an access command. Only administrators, and the system (the `dossier user` command
/// run by the operator on the server), manage users and tokens; the system gives roles only
/// until two administrators exist (the bootstrap), administrators by four-eyes.
///
/// # Errors
/// `NOT_AUTHORISED`, `USER_NAME_TAKEN`, `UNKNOWN_USER`, `UNKNOWN_TOKEN`, `REASON_REQUIRED`,
/// `INVALID_INPUT`, `BOOTSTRAP_CLOSED`.
pub fn decide(
    command: &AccessCommand,
    state: &Access,
    actor: Actor,
) -> Result<Vec<AccessEvent>, Rejection> {
    if !matches!(actor, Actor::Admin { .. } | Actor::System) {
        return Err(Reason::NotAuthorised {
            action: Action::new("manage users and tokens", "gebruikers en tokens te beheren"),
        }
        .into());
    }
    match command {
        AccessCommand::AddUser { user, name, role } => {
            let name = name.trim();
            if name.is_empty() || name.len() > 100 {
                return Err(Reason::InvalidInput {
                    field: "name",
                    problem: "1 to 100 characters",
                }
                .into());
            }
            if state.user_named(name).is_some() {
                return Err(Reason::UserNameTaken {
                    name: name.to_owned(),
                }
                .into());
            }
            if state.users.contains_key(user) {
                return Ok(vec![]);
            }
            // The operator at the server adds users until two administrators can keep
            // four-eyes on every later role (`PROPOSAL_REQUIRED` is the administrators' rule).
            let bootstrap = actor == Actor::System;
            if bootstrap && state.administrators() >= ADMINISTRATORS_FOR_FOUR_EYES {
                return Err(Reason::BootstrapClosed.into());
            }
            Ok(vec![
                UserAdded {
                    user: *user,
                    name: name.to_owned(),
                    role: *role,
                    bootstrap,
                }
                .into(),
            ])
        }
        AccessCommand::IssueToken {
            token,
            user,
            secret_sha256,
        } => {
            if !state.users.contains_key(user) {
                return Err(Reason::UnknownUser.into());
            }
            if !is_sha256_hex(secret_sha256) {
                return Err(Reason::InvalidInput {
                    field: "secret_sha256",
                    problem: "64 lower-case hexadecimal digits",
                }
                .into());
            }
            if state.tokens.contains_key(token) {
                return Ok(vec![]);
            }
            Ok(vec![
                TokenIssued {
                    token: *token,
                    user: *user,
                    secret_sha256: secret_sha256.clone(),
                }
                .into(),
            ])
        }
        AccessCommand::RevokeToken { token, reason } => match state.tokens.get(token) {
            None => Err(Reason::UnknownToken.into()),
            Some(t) if t.revoked => Ok(vec![]),
            Some(_) => Ok(vec![
                TokenRevoked {
                    token: *token,
                    reason: reason.clone(),
                }
                .into(),
            ]),
        },
    }
}

/// The name of the one access stream.
pub const STREAM: &str = "access";

/// The access stream: users, roles, tokens.
#[derive(Debug, Clone, Copy)]
pub struct AccessStream;

impl crate::Decider for AccessStream {
    type Id = ();
    type Command = AccessCommand;
    type Event = AccessEvent;
    type State = Access;
    const KIND: &'static str = "access";

    fn stream((): &()) -> String {
        STREAM.to_owned()
    }

    fn decide(
        command: &AccessCommand,
        state: &Access,
        ctx: &crate::Context<'_>,
    ) -> Result<Vec<AccessEvent>, Rejection> {
        decide(command, state, ctx.actor)
    }

    fn reason(command: &Self::Command) -> Result<Option<String>, Rejection> {
        crate::command_reasons::stated(Self::KIND, command)
    }

    fn weighty(command: &Self::Command) -> Option<&'static crate::four_eyes::WeightyDecision> {
        crate::four_eyes::decision_for(Self::KIND, command)
    }

    fn evolve(state: Access, event: &AccessEvent) -> Access {
        evolve(state, event)
    }
}

/// The access-log stream of the month `date` falls in: `access-log-YYYY-MM`. The log is facts
/// only (nothing decides there), so it has no decider.
pub fn access_log_stream(date: chrono::NaiveDate) -> String {
    format!("access-log-{}", date.format("%Y-%m"))
}

/// Applies one fact to the access stream.
pub fn evolve(mut state: Access, event: &AccessEvent) -> Access {
    match event {
        AccessEvent::UserAdded(e) => {
            state.users.insert(
                e.user,
                User {
                    id: e.user,
                    name: e.name.clone(),
                    role: e.role,
                },
            );
        }
        AccessEvent::TokenIssued(e) => {
            state.tokens.insert(
                e.token,
                Token {
                    id: e.token,
                    user: e.user,
                    revoked: false,
                },
            );
            state.by_secret.insert(e.secret_sha256.clone(), e.token);
        }
        AccessEvent::TokenRevoked(e) => {
            if let Some(t) = state.tokens.get_mut(&e.token) {
                t.revoked = true;
            }
        }
    }
    state
}

crate::event::event_enum! {
    /// Events of the access log: who looked at whose data (one stream per month).
    AccessLogEvent {
        DataAccessed = 1,
    }
}

/// Someone read personal data: recorded before the data is handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DataAccessed {
    /// Whose data: the dossier read, or none for a report over many dossiers.
    pub dossier: Option<crate::values::DossierId>,
    /// Who read it: a user id, or `os:<name>` for the command line.
    pub reader: String,
    /// The role they read it in (`inspector`, `investigator`, `system` for the command line).
    pub role: String,
    /// What they looked at, e.g. `dossier history`, `replay`, `report budgets`.
    pub view: String,
    /// Where: `http` or `cli`.
    pub channel: String,
}

/// Where personal data is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Showing {
    /// One dossier's own page: its summary, history, replay, as-of view and sections. Every
    /// such read is recorded in the access log.
    DossierPage,
    /// Anything about many dossiers, or that leaves the service: search results, work queues,
    /// lists, reports, the command line's replay.
    List,
    /// The export a person asks for of their own data (AVG art. 15, recht op inzage): made by
    /// staff, recorded in the access log, and complete, so in full.
    SubjectAccess,
}

/// The one rule for the INSZ: staff and investigators see it in full on a dossier's own page;
/// inspectors and administrators, and every list, search result and report, see it masked
/// (the first six digits, the birth date, then `*****`). A subject-access export, which staff
/// make for the person it is about, holds it in full.
pub fn sees_full_insz(role: Role, showing: Showing) -> bool {
    match showing {
        Showing::DossierPage => matches!(role, Role::Staff | Role::Investigator),
        Showing::SubjectAccess => role == Role::Staff,
        Showing::List => false,
    }
}

/// Masks every INSZ in a JSON value: each string under a key `insz` or ending in `_insz`
/// (`previous_insz`), and any other string that is a valid INSZ, however deeply nested.
pub fn mask_insz(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match item {
                    // By its name, or by its form where a command names it otherwise (a
                    // proposed correction's `corrected`).
                    Value::String(text)
                        if key == "insz"
                            || key.ends_with("_insz")
                            || crate::Insz::parse(text).is_ok() =>
                    {
                        let birth: String = text.chars().take(6).collect();
                        *text = format!("{birth}*****");
                    }
                    _ => mask_insz(item),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_insz),
        _ => {}
    }
}

/// `value` as `role` may see it in `showing` (see [`sees_full_insz`]).
pub fn shown_to(role: Role, showing: Showing, mut value: serde_json::Value) -> serde_json::Value {
    if !sees_full_insz(role, showing) {
        mask_insz(&mut value);
    }
    value
}

#[cfg(test)]
mod personal_data_tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_staff_and_investigators_on_a_dossier_page_see_the_full_insz() {
        for role in Role::ALL {
            for showing in [Showing::DossierPage, Showing::List] {
                let expected = showing == Showing::DossierPage
                    && (role == Role::Staff || role == Role::Investigator);
                assert_eq!(
                    sees_full_insz(role, showing),
                    expected,
                    "{role:?} {showing:?}"
                );
            }
        }
    }

    #[test]
    fn an_insz_is_masked_wherever_it_is_nested() {
        let full = json!({ "insz": "12051700125", "people": [{ "insz": "85073100311" }],
                           "previous_insz": "12051700224" });
        assert_eq!(
            shown_to(Role::Inspector, Showing::DossierPage, full.clone()),
            json!({ "insz": "120517*****", "people": [{ "insz": "850731*****" }],
                    "previous_insz": "120517*****" })
        );
        assert_eq!(
            shown_to(Role::Staff, Showing::DossierPage, full.clone()),
            full
        );
        assert_ne!(shown_to(Role::Staff, Showing::List, full.clone()), full);
    }
}
