//! History taken over from a system before Dossier. What the old system recorded happened: it is
//! recorded as it was, not decided again, so a fact today's rules refuse (a fee for
//! low-threshold help, S000-08) reaches the log only this way and stays visible to the signals.
//! The path is narrow: only [`crate::Actor::Migration`], only into an opened dossier, never a
//! registration, INSZ correction or void (those are kept in step with the person index), always
//! naming the source.

use super::commands::MigrateHistory;
use super::events::DossierEvent;
use super::state::Dossier;
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::{Actor, Context};

pub(super) fn migrate(
    command: &MigrateHistory,
    state: &Dossier,
    ctx: &Context<'_>,
) -> Result<Vec<DossierEvent>, Rejection> {
    if ctx.actor != Actor::Migration {
        return Err(Reason::NotAuthorised {
            action: Action::new(
                "record history migrated from a previous system",
                "geschiedenis uit een vorig systeem over te nemen",
            ),
        }
        .into());
    }
    state.registered_person()?;
    if command.facts.is_empty() {
        return Err(Reason::MigrationEmpty.into());
    }
    // Who the person is (registration, INSZ) is kept in step with the person index, which a
    // migration does not write; a void would keep its index claim; an erasure destroys a key,
    // which only the erasure decision may do.
    if command.facts.iter().any(|fact| {
        matches!(
            fact,
            DossierEvent::PersonRegistered(_)
                | DossierEvent::InszCorrected(_)
                | DossierEvent::DossierVoided(_)
                | DossierEvent::DossierDataErased(_)
        )
    }) {
        return Err(Reason::MigrationCannotRegister.into());
    }
    Ok(command.facts.clone())
}
