//! One dossier "as of": as known at a recorded time, as effective on a business date, or both.
//!
//! The view is folded in memory from the dossier's own stream and the rule book, with the same
//! domain `evolve` and `budget_line` the read models use, so an as-of answer and the live read
//! model agree wherever their cut-offs agree.

use chrono::{DateTime, NaiveDate, Utc};
use domain::dossier::{BudgetLine, Dossier, DossierEvent as E};
use event_store::{EventStore, Position, ReadPages, RecordedEvent, StoreError, StreamName};

use crate::read::budgets::{CovidRegimes, budget_lines};
use crate::read::fold::{DOSSIER_STREAM_PREFIX, Folding, RULE_BOOK_STREAM, decode, known_on};
use crate::read::signals::{Signal, Signals};
use crate::{Projection, RowChanges};

/// The cut-offs of an as-of question; `None` means "no cut-off".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AsOf {
    /// Only events recorded at or before this instant.
    pub known_at: Option<DateTime<Utc>>,
    /// Only facts whose business date is on or before this day; figures and rule parameters as
    /// of this day.
    pub effective_on: Option<NaiveDate>,
}

/// A dossier as of an [`AsOf`].
#[derive(Debug, Clone)]
pub struct DossierView {
    pub dossier: String,
    /// Events of the dossier stream folded in.
    pub events: usize,
    /// The position of the last of them.
    pub last_position: Option<Position>,
    pub state: Dossier,
    pub budget_lines: Vec<BudgetLine>,
    /// How each year's COVID-19 increase was set (base date, regime version).
    pub covid_regimes: CovidRegimes,
    /// Signals of this dossier's own facts (F19 needs every dossier: see the signals table).
    pub signals: Vec<Signal>,
}

/// The business date of a dossier fact, where the event states one. Events without a date of
/// their own (a registration, a line decision) take the date of the dated fact before them in
/// the stream: they belong to it (a decision to its claim), and the first facts of a dossier
/// are always in effect.
pub fn business_date(event: &E) -> Option<NaiveDate> {
    Some(match event {
        E::PersonDeceased(e) => e.date_of_death,
        E::LegalRepresentativeAssigned(e) => e.valid_from,
        E::LegalRepresentativeEnded(e) => e.ended_on,
        E::BudgetHolderDesignated(e) => e.from,
        E::BudgetAccountRegistered(e) => e.registered_on,
        E::PersonReachedMajority(e) => e.reached_on,
        E::PabApplicationSubmitted(e) => e.submitted_on,
        E::PabGranted(e) => e.granted_on,
        E::PvbMadeAvailable(e) => e.letter_date,
        E::HomeGuidanceDeregistrationAttested(e) => e.received_on,
        E::BudgetStarted(e) => e.start_date,
        E::BudgetAvailabilityLapsed(e) => e.lapsed_on,
        E::BudgetStopped(e) => e.stop_date,
        E::AgreementApproved(e) => e.approved_on,
        E::AgreementNoticeGiven(e) => e.notice_date,
        E::AgreementTerminated(e) => e.end_date,
        E::AgreementVoided(e) => e.voided_on,
        E::AgreementAmended(e) => e.effective_from,
        E::PabCombinationStarted(e) => e.effective_from,
        E::PabCombinationChanged(e) => e.effective_from,
        E::PabCombinationEnded(e) => e.effective_from,
        E::AssistanceOrganisationJoined(e) => e.joined_on,
        E::AssistanceRecorded(e) => e.provided_on,
        E::CostClaimSubmitted(e) => e.submitted_on,
        E::CostLineDecidedByStaff(e) => e.decided_on,
        E::CostLineDecisionOverridden(e) => e.decided_on,
        E::CostClaimVoided(e) => e.voided_on,
        E::CashPartDeclared(e) => e.declared_on,
        E::AdvancePaid(e) => e.paid_on,
        E::PaymentOrdered(e) => e.ordered_on,
        E::PaymentExecuted(e) => e.executed_on,
        E::BudgetYearClosed(e) => e.closed_on,
        E::RecoveryDecided(e) => e.decided_on,
        E::RecoveryRepaid(e) => e.paid_on,
        E::RecoveryWrittenOff(e) => e.written_off_on,
        E::ControlCaseOpened(e) => e.opened_on,
        E::EvidenceRequested(e) => e.requested_on,
        E::EvidenceReceived(e) => e.received_on,
        E::InspectionVisitHeld(e) => e.visited_on,
        E::ControlConcluded(e) => e.concluded_on,
        E::FraudSuspicionReported(e) => e.reported_on,
        _ => return None,
    })
}

/// Folds a dossier from its events and the rule book's, with the cut-offs of `as_of`. Pure:
/// the same events and cut-offs always give the same view.
pub fn fold_dossier(
    dossier: &str,
    rule_book_events: &[RecordedEvent],
    dossier_events: &[RecordedEvent],
    as_of: AsOf,
) -> DossierView {
    let recorded_in_time = |e: &&RecordedEvent| as_of.known_at.is_none_or(|t| e.recorded_at <= t);
    let mut signals = Folding::<Signals>::default();
    let mut changes = RowChanges::default();
    // The rule book, as known at the cut-off, feeds the signals' own fold.
    for event in rule_book_events.iter().filter(recorded_in_time) {
        signals.apply(event, &mut changes);
    }
    let mut state = Dossier::default();
    let mut events = 0;
    let mut last_position = None;
    let mut last_known = None;
    let mut carried_date: Option<NaiveDate> = None;
    let mut covid_regimes = CovidRegimes::default();
    for event in dossier_events.iter().filter(recorded_in_time) {
        let Some(domain::Event::Dossier(decoded)) = decode(event) else {
            continue;
        };
        if let Some(date) = business_date(&decoded) {
            carried_date = Some(date);
        }
        if as_of
            .effective_on
            .is_some_and(|d| carried_date.is_some_and(|date| date > d))
        {
            continue;
        }
        state = domain::dossier::evolve(state, &decoded);
        covid_regimes.apply(dossier, &decoded);
        signals.apply(event, &mut changes);
        changes.clear();
        events += 1;
        last_position = Some(event.position);
        last_known = Some(known_on(event));
    }
    // Rule parameters as known on the effective date, or else on the last fact's date.
    let known_on = match (as_of.effective_on, as_of.known_at) {
        (Some(d), Some(t)) => d.min(t.date_naive()),
        (Some(d), None) => d,
        (None, Some(t)) => t.date_naive(),
        (None, None) => last_known.unwrap_or(NaiveDate::MAX),
    };
    let mut rule_book = domain::RuleBook::default();
    for event in rule_book_events.iter().filter(recorded_in_time) {
        if let Some(domain::Event::RuleBook(
            domain::event::RuleBookEvent::RuleParameterPublished(p),
        )) = decode(event)
        {
            rule_book = domain::rule_book::evolve(rule_book, &p);
        }
    }
    DossierView {
        dossier: dossier.to_owned(),
        events,
        last_position,
        budget_lines: budget_lines(&state, &rule_book, known_on),
        covid_regimes,
        signals: signals.model().of_dossier(dossier),
        state,
    }
}

/// A dossier as of `as_of`, read from the store: its own stream and the rule book.
///
/// # Errors
/// When the store fails or `dossier` makes no valid stream name.
pub async fn dossier_as_of(
    store: &dyn EventStore,
    dossier: &str,
    as_of: AsOf,
) -> Result<DossierView, StoreError> {
    let stream = StreamName::parse(format!("{DOSSIER_STREAM_PREFIX}{dossier}"))
        .map_err(|e| StoreError::InvalidRequest(e.to_string()))?;
    let rule_book = StreamName::parse(RULE_BOOK_STREAM)
        .map_err(|e| StoreError::InvalidRequest(e.to_string()))?;
    let (rules, events) = futures::future::try_join(
        store.whole_stream(&rule_book).read_to_end(),
        store.whole_stream(&stream).read_to_end(),
    )
    .await?;
    Ok(fold_dossier(dossier, &rules, &events, as_of))
}
