//! The application layer: the executor on a small model, and the domain service.

mod executor;
mod sealing;
mod service;

/// A staff member of their own, and the write context of their request.
fn staff() -> (domain::Actor, app::WriteContext) {
    let actor = domain::Actor::Staff {
        user: domain::UserId::from_uuid(uuid::Uuid::now_v7()),
    };
    (
        actor,
        app::WriteContext::of(actor, uuid::Uuid::now_v7(), None),
    )
}
