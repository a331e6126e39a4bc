//! Four-eyes through the service: a proposal, its confirmation by another user (recorded with
//! both users in the metadata), and the refusals that leave the log as it was.

use std::sync::Arc;

use app::{ExecuteError, Service, WriteContext};
use chrono::NaiveDate;
use domain::registry::{OrganisationKind, RegistryCommand, RegistryStream};
use domain::rule_book::{Parameter, ParameterValue, PublishRuleParameter, RuleBookStream, Source};
use domain::{Actor, OrganisationId, UserId};
use event_store::{EventStore, MemoryStore, Position, ReadPages, StreamName};
use uuid::Uuid;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    domain::examples::date(y, m, day)
}

fn admin() -> (Actor, WriteContext) {
    let actor = Actor::Admin {
        user: UserId::from_uuid(Uuid::now_v7()),
    };
    (actor, WriteContext::of(actor, Uuid::now_v7(), None))
}

async fn service() -> (Arc<dyn EventStore>, Service) {
    let store: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let service = Service::new(store.clone(), 100);
    service.ensure_rule_book(d(2026, 1, 1)).await.unwrap();
    (store, service)
}

async fn log_length(store: &Arc<dyn EventStore>) -> usize {
    let mut pages = store.log_pages(Position::START, 1000);
    let mut events = 0;
    while let Some(page) = pages.next_page().await.unwrap() {
        events += page.len();
    }
    events
}

fn code(e: &app::CommandError) -> &str {
    match e {
        ExecuteError::Rejected(r) => r.code(),
        _ => "",
    }
}

#[tokio::test]
async fn a_licence_proposed_by_one_administrator_is_in_force_only_once_another_confirms_it() {
    let (store, service) = service().await;
    let organisation = OrganisationId::from_uuid(Uuid::now_v7());
    let license = RegistryCommand::License {
        organisation,
        kind: OrganisationKind::AssistanceOrganisation,
        name: "Bijstandsorganisatie Zelfstandig vzw".into(),
        licensed_from: d(2026, 1, 1),
    };
    let (maker, write) = admin();
    let directly = service
        .registry_command(&license, maker, d(2026, 2, 1), &write)
        .await
        .unwrap_err();
    assert_eq!(code(&directly), "PROPOSAL_REQUIRED");

    let proposed = service
        .propose::<RegistryStream>(&(), &license, maker, d(2026, 2, 1), &write)
        .await
        .unwrap();
    assert_eq!(proposed.target, "registry-organisations");
    assert_eq!(proposed.preview.len(), 1, "{:?}", proposed.preview);
    let before = log_length(&store).await;
    let own = service
        .confirm_proposal(
            &proposed.target,
            proposed.proposal,
            maker,
            d(2026, 2, 2),
            &WriteContext::of(maker, Uuid::now_v7(), None),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&own), "FOUR_EYES_SAME_USER");
    assert_eq!(log_length(&store).await, before, "a refusal writes nothing");
    let registry = service.registry().await.unwrap();
    assert!(registry.licence(organisation).is_none(), "not in force yet");

    let (checker, write) = admin();
    let done = service
        .confirm_proposal(
            &proposed.target,
            proposed.proposal,
            checker,
            d(2026, 2, 2),
            &write,
        )
        .await
        .unwrap();
    assert_eq!(done.event_ids.len(), 1);
    let registry = service.registry().await.unwrap();
    assert!(registry.licence(organisation).is_some(), "in force");

    // The licence names both: the checker acted, the maker proposed.
    let stream = StreamName::parse("registry-organisations").unwrap();
    let events = store.whole_stream(&stream).read_to_end().await.unwrap();
    let licensed = events
        .iter()
        .find(|e| e.event_id == done.event_ids[0])
        .unwrap();
    let metadata = licensed.metadata().unwrap();
    assert_eq!(metadata.actor_id, checker.id_text());
    let proposer = metadata.proposed.expect("the proposer is named");
    assert_eq!(proposer.actor_id, maker.id_text());
    assert_eq!(proposer.actor_role, "admin");
    assert_eq!(proposer.proposal_id, proposed.proposal.as_uuid());
    assert_eq!(proposer.proposed_on, d(2026, 2, 1));

    let again = service
        .confirm_proposal(
            &proposed.target,
            proposed.proposal,
            checker,
            d(2026, 2, 3),
            &write,
        )
        .await
        .unwrap_err();
    assert_eq!(code(&again), "PROPOSAL_CLOSED");
    let proposals = service.proposals(&proposed.target).await.unwrap();
    assert!(matches!(
        proposals.get(proposed.proposal).unwrap().status,
        domain::four_eyes::ProposalStatus::Confirmed { by, .. } if by == checker
    ));
}

fn publish(value: u32) -> PublishRuleParameter {
    PublishRuleParameter {
        parameter: Parameter::AssistanceOrganisationLicenceCap,
        value: ParameterValue::Count(value),
        valid_from: d(2030, 1, 1),
        valid_to: None,
        source: Source {
            rule: "S000-03".into(),
            legal_reference: "test".into(),
        },
    }
}

#[tokio::test]
async fn a_confirmation_after_the_target_changed_so_that_the_decision_differs_is_stale() {
    let (_store, service) = service().await;
    let (first, write_first) = admin();
    let (second, write_second) = admin();
    // Two publications of one parameter proposed side by side: each would be its next version.
    let six = service
        .propose::<RuleBookStream>(&(), &publish(6), first, d(2026, 3, 1), &write_first)
        .await
        .unwrap();
    let seven = service
        .propose::<RuleBookStream>(&(), &publish(7), second, d(2026, 3, 1), &write_second)
        .await
        .unwrap();
    service
        .confirm_proposal(
            &seven.target,
            seven.proposal,
            first,
            d(2026, 3, 2),
            &write_first,
        )
        .await
        .unwrap();
    // Six would now be published as a later version than its proposer saw.
    let stale = service
        .confirm_proposal(
            &six.target,
            six.proposal,
            second,
            d(2026, 3, 2),
            &write_second,
        )
        .await
        .unwrap_err();
    assert_eq!(code(&stale), "PROPOSAL_STALE");
    let refused = service
        .refuse_proposal(
            &six.target,
            six.proposal,
            "ingehaald door een latere publicatie",
            second,
            d(2026, 3, 2),
            &write_second,
        )
        .await;
    assert!(refused.is_ok(), "{refused:?}");
}
