//! Work queues: a user takes an item and releases it; a colleague cannot take it meanwhile, nor
//! release it for them; the roles that work each queue are the table's.

use domain::access::Role;
use domain::work::*;
use domain::*;
use uuid::Uuid;

use crate::fixtures::*;

const COLLEAGUE: UserId =
    UserId::from_uuid(Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0c02));

fn colleague() -> Actor {
    Actor::Staff { user: COLLEAGUE }
}

fn take(queue: Queue, item: &str) -> WorkCommand {
    WorkCommand::Take {
        queue,
        item: item.into(),
    }
}

fn release(queue: Queue, item: &str) -> WorkCommand {
    WorkCommand::Release {
        queue,
        item: item.into(),
    }
}

fn decide(
    command: &WorkCommand,
    state: &WorkQueue,
    actor: Actor,
) -> Result<Vec<WorkEvent>, Rejection> {
    decide_as::<WorkStream>(command, state, actor)
}

fn after(state: WorkQueue, events: &[WorkEvent]) -> WorkQueue {
    events.iter().fold(state, evolve)
}

const ITEM: &str = "01960000-0000-7000-8000-000000000a01";

#[test]
fn an_item_taken_by_one_is_refused_to_a_colleague_until_released() {
    let queue = Queue::AgreementsToApprove;
    let taken = decide(&take(queue, ITEM), &WorkQueue::default(), staff()).unwrap();
    assert!(matches!(
        taken.as_slice(),
        [WorkEvent::WorkItemTaken(WorkItemTaken { taken_by, .. })] if *taken_by == staff()
    ));
    let state = after(WorkQueue::default(), &taken);
    assert!(
        decide(&take(queue, ITEM), &state, staff())
            .unwrap()
            .is_empty(),
        "taking it again changes nothing"
    );
    assert_eq!(
        decide(&take(queue, ITEM), &state, colleague())
            .unwrap_err()
            .code(),
        "WORK_ITEM_TAKEN"
    );
    assert_eq!(
        decide(&release(queue, ITEM), &state, colleague())
            .unwrap_err()
            .code(),
        "WORK_ITEM_NOT_YOURS"
    );
    let released = decide(&release(queue, ITEM), &state, staff()).unwrap();
    assert_eq!(released.len(), 1);
    let state = after(state, &released);
    assert!(state.taken.is_empty());
    assert!(
        decide(&release(queue, ITEM), &state, staff())
            .unwrap()
            .is_empty(),
        "releasing a free item changes nothing"
    );
    assert_eq!(
        decide(&take(queue, ITEM), &state, colleague())
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn only_the_roles_that_work_a_queue_take_its_items() {
    let investigator = Actor::Investigator { user: STAFF_USER };
    for definition in QUEUES {
        for (actor, role) in [
            (staff(), Role::Staff),
            (admin(), Role::Admin),
            (investigator, Role::Investigator),
        ] {
            let answer = decide(&take(definition.queue, ITEM), &WorkQueue::default(), actor);
            assert_eq!(
                answer.is_ok(),
                definition.worked_by.contains(&role),
                "{:?} by {role:?}: {answer:?}",
                definition.queue
            );
        }
        for actor in [Actor::System, holder(MOTHER)] {
            assert_eq!(
                decide(&take(definition.queue, ITEM), &WorkQueue::default(), actor)
                    .unwrap_err()
                    .code(),
                "NOT_AUTHORISED"
            );
        }
    }
}

#[test]
fn a_malformed_item_key_is_refused() {
    for item in ["", "a b", "x/../y", &"x".repeat(121)] {
        assert_eq!(
            decide(
                &take(Queue::Deadlines, item),
                &WorkQueue::default(),
                staff()
            )
            .unwrap_err()
            .code(),
            "INVALID_INPUT",
            "{item:?}"
        );
    }
}

#[test]
fn every_queue_is_seen_by_inspectors_and_worked_by_someone() {
    assert_eq!(QUEUES.len(), Queue::ALL.len());
    for queue in Queue::ALL {
        let definition = queue.definition();
        assert_eq!(definition.queue, *queue);
        assert!(!definition.worked_by.is_empty(), "{queue:?}");
        assert_eq!(definition.visible_to(Role::Inspector), Some(Visible::All));
        assert_eq!(Queue::parse(queue.code()), Some(*queue));
        assert_eq!(queue_of(&stream_of(*queue)), Some(*queue));
    }
    assert!(queues_for(Role::Staff).all(|d| d.queue != Queue::SignalsToTriage));
    assert_eq!(
        queues_for(Role::Investigator)
            .map(|d| d.queue)
            .collect::<Vec<_>>(),
        [Queue::SignalsToTriage]
    );
}
