//! Users and tokens.

use domain::access::{Access, AccessCommand, AccessEvent, AccessStream, Role, evolve};
use domain::*;
use uuid::Uuid;

use crate::fixtures::*;

const ALICE: UserId = UserId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0a01));
const TOKEN: TokenId =
    TokenId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0b01));
const SECRET_SHA: &str = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

fn decide(
    command: &AccessCommand,
    state: &Access,
    actor: Actor,
) -> Result<Vec<AccessEvent>, Rejection> {
    decide_as::<AccessStream>(command, state, actor)
}

fn run(state: Access, command: AccessCommand, actor: Actor) -> Result<Access, Rejection> {
    Ok(decide(&command, &state, actor)?.iter().fold(state, evolve))
}

fn add_alice() -> AccessCommand {
    AccessCommand::AddUser {
        user: ALICE,
        name: "alice".into(),
        role: Role::Inspector,
    }
}

fn issue() -> AccessCommand {
    AccessCommand::IssueToken {
        token: TOKEN,
        user: ALICE,
        secret_sha256: SECRET_SHA.into(),
    }
}

#[test]
fn a_token_opens_the_service_for_its_user_until_it_is_revoked() {
    let state = run(Access::default(), add_alice(), Actor::System).unwrap();
    let state = run(state, issue(), admin()).unwrap();
    let user = state.user_for_secret(SECRET_SHA).unwrap();
    assert_eq!((user.name.as_str(), user.role), ("alice", Role::Inspector));
    assert!(state.user_for_secret(&"0".repeat(64)).is_none());

    let revoke = AccessCommand::RevokeToken {
        token: TOKEN,
        reason: "laptop lost".into(),
    };
    let events = decide(&revoke, &state, admin()).unwrap();
    assert!(matches!(&events[..], [AccessEvent::TokenRevoked(r)] if r.reason == "laptop lost"));
    let state = events.iter().fold(state, evolve);
    assert!(state.user_for_secret(SECRET_SHA).is_none());
    // Revoking again changes nothing; a revocation needs a reason.
    assert!(decide(&revoke, &state, admin()).unwrap().is_empty());
    let no_reason = AccessCommand::RevokeToken {
        token: TOKEN,
        reason: " ".into(),
    };
    assert_eq!(
        decide(&no_reason, &state, admin()).unwrap_err().code(),
        "REASON_REQUIRED"
    );
}

#[test]
fn only_administrators_and_the_system_manage_access() {
    assert_eq!(
        decide(&add_alice(), &Access::default(), staff())
            .unwrap_err()
            .code(),
        "NOT_AUTHORISED"
    );
    assert!(decide(&add_alice(), &Access::default(), admin()).is_ok());
}

#[test]
fn names_are_unique_and_tokens_need_a_known_user_and_a_real_hash() {
    let state = run(Access::default(), add_alice(), Actor::System).unwrap();
    let twin = AccessCommand::AddUser {
        user: UserId::from_uuid(Uuid::now_v7()),
        name: " alice ".into(),
        role: Role::Staff,
    };
    assert_eq!(
        decide(&twin, &state, Actor::System).unwrap_err().code(),
        "USER_NAME_TAKEN"
    );
    let stranger = AccessCommand::IssueToken {
        token: TOKEN,
        user: UserId::from_uuid(Uuid::now_v7()),
        secret_sha256: SECRET_SHA.into(),
    };
    assert_eq!(
        decide(&stranger, &state, Actor::System).unwrap_err().code(),
        "UNKNOWN_USER"
    );
    let plain = AccessCommand::IssueToken {
        token: TOKEN,
        user: ALICE,
        secret_sha256: "secret".into(),
    };
    assert_eq!(
        decide(&plain, &state, Actor::System).unwrap_err().code(),
        "INVALID_INPUT"
    );
    assert_eq!(
        Role::parse("auditor").unwrap_err(),
        "unknown role \"auditor\": use staff, inspector, investigator or admin"
    );
    assert_eq!(Role::parse("investigator"), Ok(Role::Investigator));
}

fn add(n: u128, role: Role) -> AccessCommand {
    AccessCommand::AddUser {
        user: UserId::from_uuid(Uuid::from_u128(
            0x0196_0000_0000_7000_8000_0000_0000_0e00 + n,
        )),
        name: format!("user-{n}"),
        role,
    }
}

#[test]
fn the_operator_adds_users_until_two_administrators_exist_and_then_roles_take_four_eyes() {
    // The bootstrap: the operator at the server, with no administrator to confirm it.
    let events = decide(&add(1, Role::Admin), &Access::default(), Actor::System).unwrap();
    assert!(matches!(&events[..], [AccessEvent::UserAdded(u)] if u.bootstrap));
    let state = events.iter().fold(Access::default(), evolve);
    let state = run(state, add(2, Role::Staff), Actor::System).unwrap();
    assert_eq!(state.administrators(), 1);
    let state = run(state, add(3, Role::Admin), Actor::System).unwrap();
    assert_eq!(state.administrators(), 2);

    // From the second administrator on: never the operator, never one administrator alone.
    assert_eq!(
        decide(&add(4, Role::Staff), &state, Actor::System)
            .unwrap_err()
            .code(),
        "BOOTSTRAP_CLOSED"
    );
    let first = Actor::Admin {
        user: UserId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0e01)),
    };
    let second = Actor::Admin {
        user: UserId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0e03)),
    };
    let (rule_book, registry) = (RuleBook::default(), registry::Registry::default());
    let today = d(2026, 12, 7);
    let by = |actor: Actor, confirmation: Option<four_eyes::Confirmation>| {
        let ctx = Context::new(today, actor, &rule_book, &registry).confirmed(confirmation);
        AccessStream::decide_checked(&add(4, Role::Staff), &state, &ctx)
    };
    assert_eq!(by(first, None).unwrap_err().code(), "PROPOSAL_REQUIRED");
    let confirmation = four_eyes::Confirmation {
        proposal: ProposalId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0d09)),
        proposed_by: first,
        proposed_on: today,
    };
    let events = by(second, Some(confirmation)).unwrap();
    assert!(matches!(&events[..], [AccessEvent::UserAdded(u)] if !u.bootstrap));
}
