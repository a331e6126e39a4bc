//! Fixture histories: domain events as recorded facts, with chosen ids and recorded-at times.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::dossier::*;
use domain::event::Event;
use domain::{
    Actor, AgreementId, BudgetId, ClaimId, DossierId, Euro, Insz, OrganisationId, PersonId,
};
use event_store::{EventHash, EventMetadata, NewEvent, Position, RecordedEvent, StreamName};
use projections::{Projection, RowChanges, Table, Value};
use uuid::Uuid;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn eur(text: &str) -> Euro {
    Euro::parse(text).unwrap()
}

/// A log under construction.
pub struct History {
    pub events: Vec<RecordedEvent>,
    versions: HashMap<String, u64>,
    next_id: u128,
    pub now: DateTime<Utc>,
}

impl History {
    /// A log holding the seed rule book, recorded on 1 January 2022 (after every seed version
    /// was published).
    pub fn new() -> Self {
        let mut history = Self {
            events: Vec::new(),
            versions: HashMap::new(),
            next_id: 1,
            now: Utc.with_ymd_and_hms(2022, 1, 1, 8, 0, 0).unwrap(),
        };
        for event in domain::testing::seed_rule_book() {
            history.push("rulebook", event);
        }
        history
    }

    pub fn id(&mut self) -> Uuid {
        self.next_id += 1;
        Uuid::from_u128(self.next_id)
    }

    /// Appends an event to `stream`, recorded one second after the previous one.
    pub fn push(&mut self, stream: &str, event: impl Into<Event>) -> Uuid {
        let stored = event.into().to_stored().unwrap();
        self.push_raw(
            stream,
            &stored.event_type,
            stored.schema_version,
            serde_json::to_vec(&stored.payload).unwrap(),
            "staff-1",
            "staff",
        )
    }

    pub fn push_raw(
        &mut self,
        stream: &str,
        event_type: &str,
        schema_version: u32,
        payload: Vec<u8>,
        actor: &str,
        role: &str,
    ) -> Uuid {
        let event_id = self.id();
        let version = self.versions.entry(stream.to_owned()).or_default();
        let metadata = EventMetadata {
            actor_id: actor.to_owned(),
            actor_role: role.to_owned(),
            correlation_id: Uuid::from_u128(7),
            causation_id: None,
            reason: Some("fixture".to_owned()),
            proposed: None,
        };
        self.now += Duration::seconds(1);
        self.events.push(RecordedEvent {
            event_id,
            stream: StreamName::parse(stream).unwrap(),
            stream_version: *version,
            position: Position(self.events.len() as u64 + 1),
            event_type: event_type.to_owned(),
            schema_version,
            recorded_at: self.now,
            payload,
            metadata: serde_json::to_vec(&metadata).unwrap(),
            hash: EventHash::GENESIS,
        });
        *version += 1;
        event_id
    }

    pub fn dossier(&mut self, case: &Case, event: impl Into<DossierEvent>) -> Uuid {
        let stream = format!("dossier-{}", case.dossier.as_uuid());
        self.push(&stream, Event::Dossier(event.into()))
    }

    /// The events as a writer would hand them to a store.
    pub fn new_events(&self) -> Vec<(StreamName, NewEvent)> {
        self.events
            .iter()
            .map(|e| {
                (
                    e.stream.clone(),
                    NewEvent {
                        event_id: e.event_id,
                        event_type: e.event_type.clone(),
                        schema_version: e.schema_version,
                        payload: e.payload.clone(),
                        metadata: e.metadata.clone(),
                    },
                )
            })
            .collect()
    }
}

/// Folds the whole history through a projection and returns the final rows of `table`, each
/// as column name → value.
pub fn rows(
    projection: &mut dyn Projection,
    history: &History,
    table: &Table,
) -> Vec<BTreeMap<&'static str, Value>> {
    let mut changes = RowChanges::default();
    for event in &history.events {
        projection.apply(event, &mut changes);
    }
    changes
        .iter()
        .filter(|(t, _, _)| *t == table.name)
        .filter_map(|(_, _, row)| row)
        .map(|row| {
            table
                .columns
                .iter()
                .map(|c| c.name)
                .zip(row.iter().cloned())
                .collect()
        })
        .collect()
}

/// A PAB dossier with one running agreement.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    pub dossier: DossierId,
    pub person: PersonId,
    pub budget: BudgetId,
    pub agreement: AgreementId,
    pub year: i32,
}

pub const INSZ: &str = "85073003328";

/// A minor's PAB granted on 1 January of `year` with `annual` euro, started that day (with the
/// home-guidance attest), and an approved agreement with an individual assistant from then on.
pub fn pab_case(history: &mut History, year: i32, annual: &str) -> Case {
    let case = Case {
        dossier: DossierId::from_uuid(history.id()),
        person: PersonId::from_uuid(history.id()),
        budget: BudgetId::from_uuid(history.id()),
        agreement: AgreementId::from_uuid(history.id()),
        year,
    };
    let first = date(year, 1, 1);
    history.dossier(
        &case,
        PersonRegistered {
            dossier: case.dossier,
            person: case.person,
            insz: Some(Insz::parse(INSZ).unwrap()),
            birth_date: Some(date(2010, 3, 1)),
            birth_date_from_insz: false,
        },
    );
    history.dossier(
        &case,
        BudgetHolderDesignated {
            holder: case.person,
            from: date(2010, 3, 1),
        },
    );
    history.dossier(
        &case,
        PabApplicationSubmitted {
            budget: case.budget,
            submitted_on: first - Duration::days(60),
            age_on_submission: 9,
            urgent: None,
            rules_applied: vec![],
        },
    );
    history.dossier(
        &case,
        PabGranted {
            budget: case.budget,
            granted_on: first,
            annual_amount: eur(annual),
            start_deadline: date(year, 4, 1),
            rules_applied: vec![],
        },
    );
    history.dossier(
        &case,
        HomeGuidanceDeregistrationAttested {
            attest_ref: "attest-1".into(),
            received_on: first,
        },
    );
    history.dossier(
        &case,
        BudgetStarted {
            budget: case.budget,
            start_date: first,
        },
    );
    register_agreement(
        history,
        &case,
        case.agreement,
        AgreementKind::IndividualAssistant,
        first,
        None,
        None,
    );
    case
}

/// Registers and approves an agreement starting on `start`.
pub fn register_agreement(
    history: &mut History,
    case: &Case,
    agreement: AgreementId,
    kind: AgreementKind,
    start: NaiveDate,
    covid: Option<CovidBasis>,
    worker: Option<Worker>,
) {
    history.dossier(
        case,
        AgreementRegistered {
            agreement,
            budget: case.budget,
            payment: PaymentForm::Cash,
            kind,
            provider: Provider::Other {
                name: "Assistent".into(),
            },
            start,
            end: None,
            task_description: "assistentie COVID-19".into(),
            weekly_hours: None,
            care_relation: CareRelation::OneToOne,
            covid,
            worker,
            signed_on: None,
            emergency: false,
            party_identification: None,
            notice_terms: None,
            hourly_cost: None,
            payment_terms: None,
            registered_by: Actor::System,
            rules_applied: vec![],
        },
    );
    history.dossier(
        case,
        AgreementApproved {
            agreement,
            approved_on: start,
        },
    );
}

/// A cost line of `amount` on the case's agreement for a service period.
pub fn line(n: u32, case: &Case, from: NaiveDate, to: NaiveDate, amount: &str) -> CostLine {
    CostLine {
        line: n,
        agreement: Some(case.agreement),
        provider: Provider::Other {
            name: "Assistent".into(),
        },
        invoice_no: format!("INV-{}-{n}", case.dossier.as_uuid().as_u128()),
        invoice_date: to,
        service_from: from,
        service_to: to,
        amount: eur(amount),
        category: CostCategory::Direct,
        nature: CostNature::Care,
        evidence_ref: format!("doc-{n}"),
    }
}

/// Submits a claim for the case's year and accepts every line as recorded fact (as an import
/// or a staff override would leave it).
pub fn accepted_claim(history: &mut History, case: &Case, lines: Vec<CostLine>) -> ClaimId {
    claim_by(history, case, lines, Actor::System, true)
}

pub fn claim_by(
    history: &mut History,
    case: &Case,
    lines: Vec<CostLine>,
    submitted_by: Actor,
    accept: bool,
) -> ClaimId {
    let claim = ClaimId::from_uuid(history.id());
    let decisions: Vec<(u32, Euro, CostCategory)> = lines
        .iter()
        .map(|l| (l.line, l.amount, l.category))
        .collect();
    history.dossier(
        case,
        CostClaimSubmitted {
            claim,
            budget: case.budget,
            budget_year: case.year,
            sequence_no: 1,
            submitted_on: date(case.year, 12, 31),
            channel: ClaimChannel::Mijnvaph,
            late_exception: None,
            lines,
            submitted_by,
        },
    );
    if accept {
        for (line, amount, category) in decisions {
            history.dossier(
                case,
                CostLineAccepted {
                    claim,
                    line,
                    amount,
                    category,
                    late_exception_applied: false,
                    rules_applied: vec![],
                },
            );
        }
    }
    claim
}

pub fn organisation(history: &mut History) -> OrganisationId {
    OrganisationId::from_uuid(history.id())
}
