//! The application layer: the executor on a small model, and the domain service.

mod executor;
mod four_eyes;
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

/// A weighty decision as staff make it (`domain::four_eyes`): proposed by one staff member,
/// confirmed by another.
async fn by_two<D: app::Runnable>(
    service: &app::Service,
    id: &D::Id,
    command: &D::Command,
    today: chrono::NaiveDate,
) -> Result<app::ProposalDecided, app::CommandError>
where
    D::Command: serde::Serialize,
{
    let (proposer, write) = staff();
    let proposed = service
        .propose::<D>(id, command, proposer, today, &write)
        .await?;
    let (checker, write) = staff();
    service
        .confirm_proposal(&proposed.target, proposed.proposal, checker, today, &write)
        .await
}
