//! Two people for every weighty decision: a person gives one only as the confirmation of another
//! user's proposal, never of their own, whatever they try.

use domain::access::Role;
use domain::command_reasons::COMMAND_REASONS;
use domain::dossier::*;
use domain::four_eyes::*;
use domain::*;
use proptest::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::*;

const COLLEAGUE: UserId =
    UserId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0c01));
const PROPOSAL: ProposalId =
    ProposalId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0d01));

fn colleague() -> Actor {
    Actor::Staff { user: COLLEAGUE }
}

#[test]
fn a_weighty_decision_given_directly_is_refused_and_confirmed_by_a_colleague_is_decided() {
    let registered = pab_with_agreement_registered();
    registered
        .clone()
        .by(staff())
        .directly()
        .when(approve(AGREEMENT))
        .then_rejected("PROPOSAL_REQUIRED");
    registered
        .clone()
        .by(staff())
        .proposed_by(staff())
        .when(approve(AGREEMENT))
        .then_rejected("FOUR_EYES_SAME_USER");
    // The rules come first: an unknown agreement is refused for that, not for four-eyes.
    registered
        .clone()
        .by(staff())
        .directly()
        .when(approve(AgreementId::from_uuid(Uuid::nil())))
        .then_rejected("UNKNOWN_AGREEMENT");
    let (events, _) = registered
        .by(colleague())
        .proposed_by(staff())
        .when(approve(AGREEMENT))
        .then_accepted();
    assert!(matches!(
        events.as_slice(),
        [Event::Dossier(DossierEvent::AgreementApproved(_))]
    ));
}

/// `pab_with_agreement` up to the registration, before its approval.
fn pab_with_agreement_registered() -> domain::testing::Scenario {
    child_with_started_pab()
        .by(holder(MOTHER))
        .after(register_agreement(cash_agreement(PAB, d(2020, 2, 1))))
        .today(d(2020, 2, 10))
}

#[test]
fn an_admin_decision_is_confirmed_by_another_admin_only() {
    let license = license(
        BO,
        domain::registry::OrganisationKind::AssistanceOrganisation,
        d(2016, 1, 1),
    );
    let world = domain::testing::given(domain::testing::seed_rule_book());
    world
        .clone()
        .by(admin())
        .directly()
        .when(license.clone())
        .then_rejected("PROPOSAL_REQUIRED");
    // Staff may not confirm what the table gives to administrators.
    world
        .clone()
        .by(colleague())
        .proposed_by(admin())
        .when(license.clone())
        .then_rejected("NOT_AUTHORISED");
    world
        .clone()
        .by(Actor::Admin { user: COLLEAGUE })
        .proposed_by(admin())
        .when(license)
        .then_accepted();
}

#[test]
fn the_daily_job_is_not_held_to_four_eyes() {
    let ctx_rule_book = RuleBook::default();
    let registry = domain::registry::Registry::default();
    let ctx = Context::new(d(2020, 6, 1), Actor::System, &ctx_rule_book, &registry);
    for decision in WEIGHTY_DECISIONS {
        assert!(check(decision, &ctx).is_ok(), "{}", decision.command);
    }
}

fn propose(kind: &str, proposed: Value, version: Option<u64>) -> ProposalCommand {
    ProposalCommand::Propose {
        proposal: PROPOSAL,
        kind: kind.into(),
        proposed,
        target_version: version,
        preview: vec![json!({"type": "AgreementApproved"})],
    }
}

fn approval_json() -> Value {
    serde_json::to_value(approve(AGREEMENT)).unwrap()
}

fn run(state: Proposals, command: &ProposalCommand, actor: Actor) -> Result<Proposals, Rejection> {
    Ok(decide_as::<ProposalsStream>(command, &state, actor)?
        .iter()
        .fold(state, domain::four_eyes::evolve))
}

#[test]
fn a_proposal_is_confirmed_or_refused_once_by_another_user_and_withdrawn_by_its_proposer() {
    assert_eq!(
        run(
            Proposals::default(),
            &propose("dossier", json!({"command": "register_agreement"}), None),
            staff()
        )
        .unwrap_err()
        .code(),
        "NOT_A_WEIGHTY_DECISION"
    );
    assert_eq!(
        run(
            Proposals::default(),
            &propose("registry", json!({"command": "license"}), None),
            staff()
        )
        .unwrap_err()
        .code(),
        "NOT_AUTHORISED",
        "staff do not propose what administrators decide"
    );
    let proposed = run(
        Proposals::default(),
        &propose("dossier", approval_json(), Some(7)),
        staff(),
    )
    .unwrap();
    let open = proposed.get(PROPOSAL).unwrap();
    assert_eq!(open.proposed_by, staff());
    assert_eq!(open.status, ProposalStatus::Open);
    assert_eq!(
        run(
            proposed.clone(),
            &propose("dossier", approval_json(), Some(7)),
            staff()
        )
        .unwrap_err()
        .code(),
        "PROPOSAL_ID_TAKEN"
    );
    let confirm = ProposalCommand::ConfirmProposal {
        proposal: PROPOSAL,
        target_version: Some(8),
    };
    assert_eq!(
        run(proposed.clone(), &confirm, staff()).unwrap_err().code(),
        "FOUR_EYES_SAME_USER"
    );
    let refuse = |reason: &str| ProposalCommand::RefuseProposal {
        proposal: PROPOSAL,
        reason: reason.into(),
    };
    assert_eq!(
        run(proposed.clone(), &refuse("te vroeg"), staff())
            .unwrap_err()
            .code(),
        "FOUR_EYES_SAME_USER"
    );
    assert_eq!(
        run(proposed.clone(), &refuse(" "), colleague())
            .unwrap_err()
            .code(),
        "REASON_REQUIRED"
    );
    let withdraw = ProposalCommand::WithdrawProposal {
        proposal: PROPOSAL,
        reason: None,
    };
    assert_eq!(
        run(proposed.clone(), &withdraw, colleague())
            .unwrap_err()
            .code(),
        "NOT_AUTHORISED"
    );
    let withdrawn = run(proposed.clone(), &withdraw, staff()).unwrap();
    assert!(matches!(
        withdrawn.get(PROPOSAL).unwrap().status,
        ProposalStatus::Withdrawn { .. }
    ));
    let confirmed = run(proposed.clone(), &confirm, colleague()).unwrap();
    assert_eq!(
        confirmed.get(PROPOSAL).unwrap().status,
        ProposalStatus::Confirmed {
            by: colleague(),
            on: examples::date(2026, 1, 1)
        }
    );
    assert_eq!(
        run(confirmed, &refuse("toch niet"), colleague())
            .unwrap_err()
            .code(),
        "PROPOSAL_CLOSED"
    );
    let refused = run(proposed, &refuse("geen handtekening"), colleague()).unwrap();
    assert_eq!(
        run(refused, &confirm, colleague()).unwrap_err().code(),
        "PROPOSAL_CLOSED"
    );
    assert_eq!(
        run(Proposals::default(), &confirm, colleague())
            .unwrap_err()
            .code(),
        "UNKNOWN_PROPOSAL"
    );
}

#[test]
fn a_confirmation_after_a_change_goes_ahead_only_if_the_decision_comes_out_the_same() {
    let proposed = run(
        Proposals::default(),
        &propose("dossier", approval_json(), Some(7)),
        staff(),
    )
    .unwrap();
    let proposal = proposed.get(PROPOSAL).unwrap();
    let same = proposal.preview.clone();
    let other = vec![json!({"type": "AgreementRejected"})];
    assert!(still_as_proposed(proposal, Some(7), &other).is_ok());
    assert!(still_as_proposed(proposal, Some(9), &same).is_ok());
    assert_eq!(
        still_as_proposed(proposal, Some(9), &other)
            .unwrap_err()
            .code(),
        "PROPOSAL_STALE"
    );
}

#[test]
fn every_weighty_decision_names_a_command_of_its_kind_once() {
    for decision in WEIGHTY_DECISIONS {
        let known = decision.command == PUBLISH_RULE_PARAMETER
            || COMMAND_REASONS
                .iter()
                .any(|r| r.kind == decision.kind && r.command == decision.command);
        assert!(
            known,
            "{} names no command of {}",
            decision.command, decision.kind
        );
        let rows = WEIGHTY_DECISIONS
            .iter()
            .filter(|d| d.kind == decision.kind && d.command == decision.command)
            .count();
        assert_eq!(rows, 1, "{} has {rows} rows", decision.command);
    }
}

/// The JSON of a command the row `decision` names, as a proposal carries it.
fn command_json(decision: &WeightyDecision) -> Value {
    match decision.kind {
        "access" => json!({ decision.command: {} }),
        "rule-book" => json!({"parameter": "any"}),
        _ => json!({"command": decision.command, "reason": "volgens het dossier"}),
    }
}

/// The same user in each role they might act in.
fn as_role(user: UserId, role: u8) -> Actor {
    match role % 3 {
        0 => Actor::Staff { user },
        1 => Actor::Admin { user },
        _ => Actor::Investigator { user },
    }
}

fn role_actor(role: Role, user: UserId) -> Actor {
    match role {
        Role::Admin => Actor::Admin { user },
        Role::Investigator => Actor::Investigator { user },
        Role::Staff | Role::Inspector => Actor::Staff { user },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For every row of the table: whatever proposals, confirmations, refusals and withdrawals
    /// one user tries, in any of their roles, no proposal of theirs is ever confirmed or
    /// refused, and the target refuses the decision as the confirmation of their own proposal.
    #[test]
    fn no_sequence_of_commands_by_one_user_confirms_their_own_proposal(
        row in 0..WEIGHTY_DECISIONS.len(),
        steps in proptest::collection::vec((0u8..4, 0u128..3, 0u8..3), 1..30),
    ) {
        let decision = &WEIGHTY_DECISIONS[row];
        let user = COLLEAGUE;
        let mut state = Proposals::default();
        for (what, id, role) in steps {
            let proposal = ProposalId::from_uuid(Uuid::from_u128(0x0d00 + id));
            let command = match what {
                0 => ProposalCommand::Propose {
                    proposal,
                    kind: decision.kind.into(),
                    proposed: command_json(decision),
                    target_version: None,
                    preview: Vec::new(),
                },
                1 => ProposalCommand::ConfirmProposal { proposal, target_version: None },
                2 => ProposalCommand::RefuseProposal { proposal, reason: "nee".into() },
                _ => ProposalCommand::WithdrawProposal { proposal, reason: None },
            };
            let actor = if what == 0 { role_actor(decision.proposed_by, user) } else { as_role(user, role) };
            if let Ok(events) = decide_as::<ProposalsStream>(&command, &state, actor) {
                state = events.iter().fold(state, domain::four_eyes::evolve);
            }
            for proposal in state.by_id.values() {
                prop_assert!(
                    matches!(proposal.status, ProposalStatus::Open | ProposalStatus::Withdrawn { .. }),
                    "{:?} decided by its own proposer", proposal.status
                );
            }
        }
        let (rule_book, registry) = (RuleBook::default(), domain::registry::Registry::default());
        for role in 0..3 {
            let confirmation = Confirmation {
                proposal: PROPOSAL,
                proposed_by: role_actor(decision.proposed_by, user),
                proposed_on: d(2026, 1, 1),
            };
            let ctx = Context::new(d(2026, 1, 1), as_role(user, role), &rule_book, &registry)
                .confirmed(Some(confirmation));
            prop_assert_eq!(check(decision, &ctx).unwrap_err().code(), "FOUR_EYES_SAME_USER");
            let directly = ctx.confirmed(None);
            prop_assert_eq!(check(decision, &directly).unwrap_err().code(), "PROPOSAL_REQUIRED");
        }
    }
}
