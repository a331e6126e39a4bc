//! The fold every dossier read model shares: stored event → domain event → dossier state.
//!
//! The state of a dossier is the domain's own (`domain::dossier::evolve`), so a figure in a read
//! model is computed from exactly the state the deciders decided on.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use domain::dossier::{Dossier, DossierEvent};
use domain::event::{Event, RuleBookEvent};
use domain::{RuleBook, rule_book};
use event_store::{Position, RecordedEvent};
use uuid::Uuid;

/// Every dossier stream is named `dossier-<uuid>` (the domain names streams).
pub use domain::dossier::STREAM_PREFIX as DOSSIER_STREAM_PREFIX;
/// The rule-book stream.
pub use domain::rule_book::STREAM as RULE_BOOK_STREAM;

/// The dossier number of a dossier stream: the UUID after the prefix.
pub fn dossier_of_stream(stream: &str) -> Option<&str> {
    stream.strip_prefix(DOSSIER_STREAM_PREFIX)
}

/// Reads a stored event into the domain's current event type (any schema version).
///
/// An event this code cannot read is reported (by type and position only: payloads may hold an
/// INSZ) and yields `None`.
pub fn decode(event: &RecordedEvent) -> Option<Event> {
    if let Some(decoded) = decode_current_dossier_event(event) {
        return Some(Event::Dossier(decoded));
    }
    let payload = match serde_json::from_slice(&event.payload) {
        Ok(payload) => payload,
        Err(e) => {
            tracing::warn!(position = event.position.0, event_type = %event.event_type, error = %e, "payload is not JSON");
            return None;
        }
    };
    match domain::upcast(&event.event_type, event.schema_version, payload) {
        Ok(decoded) => Some(decoded),
        Err(e) => {
            // Events of other kinds (e.g. the investigators' signal decisions) are not domain
            // events: the projections that want them read them by type name.
            tracing::debug!(position = event.position.0, event_type = %event.event_type, error = %e, "not a domain event");
            None
        }
    }
}

/// A dossier event stored at its current schema version needs no upcaster: it is parsed
/// straight from its bytes, without the intermediate JSON tree `upcast` works on (the log is
/// read many times over in a rebuild). Any other event takes the upcaster's path.
fn decode_current_dossier_event(event: &RecordedEvent) -> Option<DossierEvent> {
    let current = DossierEvent::TYPES
        .iter()
        .any(|(t, v)| *t == event.event_type && *v == event.schema_version);
    if !current || !event.stream.as_str().starts_with(DOSSIER_STREAM_PREFIX) {
        return None;
    }
    // The stored form of the enum: `{"type": …, "payload": …}` (adjacently tagged).
    let mut tagged = Vec::with_capacity(event.payload.len() + event.event_type.len() + 24);
    tagged.extend_from_slice(b"{\"type\":\"");
    tagged.extend_from_slice(event.event_type.as_bytes());
    tagged.extend_from_slice(b"\",\"payload\":");
    tagged.extend_from_slice(&event.payload);
    tagged.push(b'}');
    serde_json::from_slice(&tagged).ok()
}

/// The business date an event was known on: its recorded-at date (rule-book lookups "as known
/// on" use it, so a rebuild gives the same answer as the live fold did).
pub fn known_on(event: &RecordedEvent) -> NaiveDate {
    event.recorded_at.date_naive()
}

/// One dossier event folded in, with the state after it.
#[derive(Debug)]
pub struct Folded<'a> {
    pub dossier: &'a str,
    pub event: &'a DossierEvent,
    pub state: &'a Dossier,
    pub rule_book: &'a RuleBook,
}

/// The state of every dossier and of the rule book, as of the last event folded in.
#[derive(Debug, Default, Clone)]
pub struct DossierFold {
    dossiers: HashMap<String, Dossier>,
    rule_book: RuleBook,
}

impl DossierFold {
    /// Folds one event in; for a dossier event, its dossier and the decoded event.
    pub fn apply(&mut self, event: &RecordedEvent) -> Option<(String, DossierEvent)> {
        let stream = event.stream.as_str();
        if stream == RULE_BOOK_STREAM {
            if let Some(Event::RuleBook(RuleBookEvent::RuleParameterPublished(published))) =
                decode(event)
            {
                self.rule_book = rule_book::evolve(std::mem::take(&mut self.rule_book), &published);
            }
            return None;
        }
        let dossier = dossier_of_stream(stream)?;
        let Some(Event::Dossier(decoded)) = decode(event) else {
            return None;
        };
        if !self.dossiers.contains_key(dossier) {
            self.dossiers.insert(dossier.to_owned(), Dossier::default());
        }
        let state = self.dossiers.get_mut(dossier)?;
        *state = domain::dossier::evolve(std::mem::take(state), &decoded);
        Some((dossier.to_owned(), decoded))
    }

    pub fn rule_book(&self) -> &RuleBook {
        &self.rule_book
    }

    pub fn dossier(&self, dossier: &str) -> Option<&Dossier> {
        self.dossiers.get(dossier)
    }
}

/// A [`DossierFold`] shared by the read models of one runner: each event is decoded and folded
/// once, however many read models look at it. The runner hands every event to every read model
/// in log order, so the fold is always at the event being applied; a read model constructed on
/// its own (`Default`) has a fold of its own.
#[derive(Debug, Clone, Default)]
pub struct SharedFold(Arc<Mutex<Cursor>>);

#[derive(Debug, Default)]
struct Cursor {
    fold: DossierFold,
    at: Option<(Position, Uuid)>,
    current: Option<(String, DossierEvent)>,
    /// Set while an event is folded in: still set afterwards means folding it panicked and
    /// the state is no longer the log's.
    broken: bool,
}

impl SharedFold {
    /// Folds `event` in unless this fold is already at it, then calls `f` with the dossier
    /// event and the state after it (`None` for other events).
    ///
    /// # Panics
    /// When folding this or an earlier event panicked: every read model sharing the fold then
    /// fails with it (the runner stops each one alone), rather than go on from a state that
    /// is no longer the log's.
    pub fn with<R>(&self, event: &RecordedEvent, f: impl FnOnce(Option<Folded<'_>>) -> R) -> R {
        let mut cursor = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        assert!(
            !cursor.broken,
            "the shared dossier fold failed on an earlier event"
        );
        let at = Some((event.position, event.event_id));
        if cursor.at != at {
            cursor.broken = true;
            cursor.current = cursor.fold.apply(event);
            cursor.at = at;
            cursor.broken = false;
        }
        let cursor = &*cursor;
        let folded = cursor.current.as_ref().and_then(|(dossier, decoded)| {
            Some(Folded {
                dossier,
                event: decoded,
                state: cursor.fold.dossier(dossier)?,
                rule_book: &cursor.fold.rule_book,
            })
        });
        f(folded)
    }
}

/// A read model of dossiers: it sees every dossier event with the dossier's state after it,
/// from the fold it shares with the other read models. Its name, version and tables are
/// constants; [`Folding`] makes it a [`crate::Projection`].
pub trait DossierReadModel: Default + Send + 'static {
    /// Stable name: the key of its checkpoint.
    const NAME: &'static str;
    /// Bumped whenever the rows change meaning (a sink holding another version rebuilds).
    const VERSION: u32;
    /// The tables this read model owns and alone writes.
    const TABLES: &'static [&'static crate::Table];

    /// Folds one dossier event in; `event` is the stored one (its time, position, id).
    fn on_dossier_event(
        &mut self,
        folded: Folded<'_>,
        event: &RecordedEvent,
        changes: &mut crate::RowChanges,
    );

    /// Any other event of the log (the rule book is already in the fold); ignored unless a
    /// read model has a use for it.
    fn on_other_event(&mut self, _event: &RecordedEvent, _changes: &mut crate::RowChanges) {}
}

/// A [`DossierReadModel`] on a [`SharedFold`]: the [`crate::Projection`] the runner runs.
#[derive(Debug, Default)]
pub struct Folding<M> {
    fold: SharedFold,
    model: M,
}

impl<M: DossierReadModel> Folding<M> {
    /// The read model folding dossiers with others.
    pub fn sharing(fold: SharedFold) -> Self {
        Self {
            fold,
            model: M::default(),
        }
    }

    /// The read model's own state (e.g. the signals raised, for an as-of view).
    pub fn model(&self) -> &M {
        &self.model
    }
}

impl<M: DossierReadModel> crate::Projection for Folding<M> {
    fn name(&self) -> &'static str {
        M::NAME
    }

    fn version(&self) -> u32 {
        M::VERSION
    }

    fn tables(&self) -> &'static [&'static crate::Table] {
        M::TABLES
    }

    fn apply(&mut self, event: &RecordedEvent, changes: &mut crate::RowChanges) {
        let model = &mut self.model;
        let other = self.fold.with(event, |folded| match folded {
            Some(folded) => {
                model.on_dossier_event(folded, event, changes);
                false
            }
            None => true,
        });
        if other {
            self.model.on_other_event(event, changes);
        }
    }
}
