//! `dossier bench rebuild`: generate years of history for many dossiers through the import
//! path, rebuild every read model, and time as-of answers.
//!
//! The history is a mix of PAB and PVB dossiers: grants, yearly amounts, agreements, monthly
//! cost claims with a decision per line, quarterly payments, combination forms (a quarter of
//! the PABs) and COVID-19 cases (a fifth of the dossiers: a COVID-19 agreement, the increase
//! and COVID-19 lines in 2020). A few lines break rules on purpose (before the agreement
//! started, an invoice billed in two dossiers) so the signals have work. Events are recorded
//! at their business dates, imported month by month in time order.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use domain::dossier::*;
use domain::event::Event;
use domain::{
    Actor, AgreementId, BudgetId, ClaimId, CombinationId, DossierId, Euro, OrganisationId,
    PaymentId, PersonId,
};
use event_store::append::{StreamHead, seal};
use event_store::{EventMetadata, EventStore, NewEvent, Position, RecordedEvent, StreamName};
use projections::Runner;
use projections::as_of::{AsOf, dossier_as_of};
use uuid::Uuid;

use crate::cmd::rebuild::open_read_sink;
use crate::progress;
use domain::examples::{Lcg, cents as eur_cents, date, insz, month_end};

#[derive(Debug, clap::Args)]
pub struct BenchRebuildArgs {
    /// Dossiers to generate.
    #[arg(long, default_value_t = 20_000)]
    pub dossiers: u32,
    /// Dossiers whose as-of answer is timed (the median is reported).
    #[arg(long, default_value_t = 201)]
    pub asof_samples: u32,
}

/// One generated dossier and where its stream stands.
struct Generated {
    id: DossierId,
    stream: StreamName,
    head: Option<StreamHead>,
    person: PersonId,
    budget: BudgetId,
    kind: BudgetKind,
    agreement: AgreementId,
    covid_agreement: Option<AgreementId>,
    start: NaiveDate,
    monthly: i64,
    unpaid: Vec<(ClaimId, u32, Euro)>,
    next_id: u128,
    /// Recorded-at of the stream's last event: a stream's times never go back.
    last_at: DateTime<Utc>,
}

impl Generated {
    fn id(&mut self) -> Uuid {
        self.next_id += 1;
        Uuid::from_u128(self.next_id)
    }
}

/// Seals events onto a dossier's chain, recorded at `at`.
struct Sealer {
    metadata_staff: Vec<u8>,
    metadata_system: Vec<u8>,
    out: Vec<RecordedEvent>,
}

impl Sealer {
    fn push(&mut self, d: &mut Generated, at: DateTime<Utc>, event: DossierEvent, staff: bool) {
        let stored = Event::Dossier(event)
            .to_stored()
            .expect("generated events serialise");
        let new = NewEvent {
            event_id: d.id(),
            event_type: stored.event_type,
            schema_version: stored.schema_version,
            payload: serde_json::to_vec(&stored.payload).expect("payload serialises"),
            metadata: if staff {
                self.metadata_staff.clone()
            } else {
                self.metadata_system.clone()
            },
        };
        d.last_at = d.last_at.max(at);
        let sealed = seal(&d.stream, d.head, std::slice::from_ref(&new), d.last_at);
        if let Some(last) = sealed.last() {
            d.head = Some(StreamHead {
                version: last.stream_version,
                hash: last.hash,
            });
        }
        self.out.extend(sealed);
    }
}

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(hour, 0, 0).unwrap_or_default())
}

/// The facts of a dossier's first month.
fn open_dossier(
    d: &mut Generated,
    s: &mut Sealer,
    rng: &mut Lcg,
    serial: u32,
    mfc: OrganisationId,
) {
    let day = d.start;
    let when = at(day, 9);
    let birth = if d.kind == BudgetKind::Pab {
        date(
            2006 + (serial % 10) as i32,
            1 + serial % 12,
            1 + serial % 28,
        )
    } else {
        date(
            1960 + (serial % 40) as i32,
            1 + serial % 12,
            1 + serial % 28,
        )
    };
    let person = d.person;
    s.push(
        d,
        when,
        PersonRegistered {
            dossier: d.id,
            person,
            insz: insz(birth, serial % 998 + 1),
            birth_date: birth,
            birth_date_from_insz: true,
        }
        .into(),
        true,
    );
    s.push(
        d,
        when,
        BudgetHolderDesignated {
            holder: person,
            from: day,
        }
        .into(),
        true,
    );
    let annual = eur_cents(d.monthly * 12);
    let budget = d.budget;
    match d.kind {
        BudgetKind::Pab => {
            s.push(
                d,
                when,
                PabApplicationSubmitted {
                    budget,
                    submitted_on: day - Duration::days(90),
                    age_on_submission: 10,
                    urgent: None,
                    rules_applied: vec![],
                }
                .into(),
                true,
            );
            s.push(
                d,
                when,
                PabGranted {
                    budget,
                    granted_on: day,
                    annual_amount: annual,
                    start_deadline: day + Duration::days(90),
                    rules_applied: vec![],
                }
                .into(),
                true,
            );
            s.push(
                d,
                when,
                HomeGuidanceDeregistrationAttested {
                    attest_ref: format!("attest-{serial}"),
                    received_on: day,
                }
                .into(),
                true,
            );
        }
        BudgetKind::Pvb => s.push(
            d,
            when,
            PvbMadeAvailable {
                budget,
                letter_date: day,
                annual_amount: annual,
                route: PvbRoute::PriorityGroup,
                start_deadline: day + Duration::days(120),
                rules_applied: vec![],
            }
            .into(),
            true,
        ),
    }
    s.push(
        d,
        when,
        BudgetStarted {
            budget,
            start_date: day,
        }
        .into(),
        true,
    );
    for year in (day.year() + 1)..=2021 {
        s.push(
            d,
            when,
            AnnualBudgetAmountSet {
                budget,
                year,
                amount: annual,
                reason: "jaarlijkse indexering".into(),
            }
            .into(),
            true,
        );
    }
    register_agreement(d, s, d.agreement, day, None);
    if d.kind == BudgetKind::Pab && rng.below(4) == 0 {
        let combination = CombinationId::from_uuid(d.id());
        s.push(
            d,
            when,
            PabCombinationStarted {
                combination,
                budget,
                provider: mfc,
                care: CombinedCare::MfcDayCare {
                    day_care: DayCareType::SchoolSupplementary,
                    half_days_per_month: 4,
                },
                effective_from: date(day.year(), day.month(), 1),
                monthly_reduction: eur_cents(10_000),
                rate_per_half_day: Some(eur_cents(2_500)),
                reason: None,
                rules_applied: vec![],
            }
            .into(),
            true,
        );
    }
}

fn register_agreement(
    d: &mut Generated,
    s: &mut Sealer,
    agreement: AgreementId,
    start: NaiveDate,
    covid: Option<CovidBasis>,
) {
    let when = at(start, 10);
    let budget = d.budget;
    s.push(
        d,
        when,
        AgreementRegistered {
            agreement,
            budget,
            payment: PaymentForm::Cash,
            kind: AgreementKind::IndividualAssistant,
            provider: Provider::Other {
                name: format!("assistent {}", d.id),
            },
            start,
            end: None,
            task_description: "persoonlijke assistentie COVID-19".into(),
            weekly_hours: Some("12".parse().expect("a number of hours")),
            care_relation: CareRelation::OneToOne,
            covid,
            worker: None,
            signed_on: None,
            emergency: false,
            party_identification: None,
            notice_terms: None,
            hourly_cost: None,
            payment_terms: None,
            registered_by: Actor::System,
            rules_applied: vec![],
        }
        .into(),
        true,
    );
    s.push(
        d,
        when,
        AgreementApproved {
            agreement,
            approved_on: start,
        }
        .into(),
        true,
    );
}

/// A month of a dossier: the claim for the month (decided line by line), a payment at the end
/// of each quarter, and in April 2020 the COVID-19 agreement and increase of a COVID-19 case.
fn month(
    d: &mut Generated,
    s: &mut Sealer,
    rng: &mut Lcg,
    year: i32,
    month: u32,
    covid_case: bool,
    serial: u32,
) {
    let first = date(year, month, 1);
    if first < date(d.start.year(), d.start.month(), 1) {
        return;
    }
    let submitted = month_end(year, month) + Duration::days(10);
    let when = at(submitted, 11);
    if covid_case && year == 2020 && month == 4 {
        let covid_agreement = AgreementId::from_uuid(d.id());
        d.covid_agreement = Some(covid_agreement);
        register_agreement(
            d,
            s,
            covid_agreement,
            date(2020, 4, 1),
            Some(CovidBasis::New),
        );
        let base = eur_cents(d.monthly * 12);
        let budget = d.budget;
        let cap_percent = "25.5".parse().expect("a percentage");
        s.push(
            d,
            at(date(2020, 4, 23), 9),
            CovidOverrunAllowanceGranted {
                budget,
                year: 2020,
                cap_percent,
                base_date: date(2020, 4, 23),
                base_budget: base,
                management_costs: Euro::ZERO,
                cap: base.percent(cap_percent),
                trigger_agreement: covid_agreement,
                rules_applied: vec![],
            }
            .into(),
            true,
        );
    }
    let claim = ClaimId::from_uuid(d.id());
    let mut lines = Vec::new();
    let regular = d.monthly * (90 + rng.below(15) as i64) / 100;
    // One dossier in fifty claims a day before its agreement started (F8); every June, two
    // dossiers in a hundred claim the same interim invoice (F19 across dossiers).
    let early = rng.below(50) == 0 && first == date(d.start.year(), d.start.month(), 1);
    let shared = month == 6 && serial % 100 < 2;
    let invoice_no = if shared {
        format!("DUP-{year}-{}", serial / 100)
    } else {
        format!("F{year}{month:02}-{}", d.head.map_or(0, |h| h.version))
    };
    lines.push(CostLine {
        line: 1,
        agreement: Some(d.agreement),
        provider: Provider::Other {
            name: if shared {
                "interim vzw".to_owned()
            } else {
                format!("assistent {}", d.id)
            },
        },
        invoice_no,
        invoice_date: month_end(year, month),
        service_from: if early {
            first - Duration::days(1)
        } else {
            first
        },
        service_to: month_end(year, month),
        amount: eur_cents(regular),
        category: CostCategory::Direct,
        nature: CostNature::Care,
        evidence_ref: format!("loonstrook-{year}{month:02}"),
    });
    if let Some(covid_agreement) = d.covid_agreement.filter(|_| year == 2020 && month <= 9) {
        lines.push(CostLine {
            line: 2,
            agreement: Some(covid_agreement),
            provider: Provider::Other {
                name: format!("assistent {}", d.id),
            },
            invoice_no: format!("C{year}{month:02}"),
            invoice_date: month_end(year, month),
            service_from: first,
            service_to: month_end(year, month),
            amount: eur_cents(d.monthly / 5),
            category: CostCategory::Covid,
            nature: CostNature::Care,
            evidence_ref: format!("covid-{year}{month:02}"),
        });
    }
    let decided: Vec<(u32, Euro, CostCategory)> = lines
        .iter()
        .map(|l| (l.line, l.amount, l.category))
        .collect();
    let budget = d.budget;
    s.push(
        d,
        when,
        CostClaimSubmitted {
            claim,
            budget,
            budget_year: year,
            sequence_no: month,
            submitted_on: submitted,
            channel: ClaimChannel::Mijnvaph,
            late_exception: None,
            lines,
            submitted_by: Actor::System,
        }
        .into(),
        false,
    );
    for (line, amount, category) in decided {
        s.push(
            d,
            when,
            CostLineAccepted {
                claim,
                line,
                amount,
                category,
                late_exception_applied: false,
                rules_applied: vec![],
            }
            .into(),
            false,
        );
        d.unpaid.push((claim, line, amount));
    }
    if month.is_multiple_of(3) && !d.unpaid.is_empty() {
        let lines: Vec<PaidLine> = d
            .unpaid
            .drain(..)
            .map(|(claim, line, amount)| PaidLine {
                claim,
                line,
                amount,
            })
            .collect();
        let total: Euro = lines.iter().map(|l| l.amount).sum();
        let ordered_on = submitted + Duration::days(5);
        let payment = PaymentId::from_uuid(d.id());
        s.push(
            d,
            at(ordered_on, 12),
            PaymentOrdered {
                payment,
                budget,
                year,
                ordered_on,
                due_by: ordered_on + Duration::days(30),
                lines,
                costs: total,
                credit_notes: Euro::ZERO,
                deductions: Euro::ZERO,
                net: total,
                rules_applied: vec![],
            }
            .into(),
            false,
        );
    }
}

/// The rule book, recorded before the history starts (its versions carry their own
/// publication dates).
fn rule_book_events() -> anyhow::Result<Vec<RecordedEvent>> {
    let stream = app::models::rule_book_stream();
    let metadata = serde_json::to_vec(&EventMetadata {
        actor_id: "admin".into(),
        actor_role: "admin".into(),
        correlation_id: Uuid::from_u128(1),
        causation_id: None,
        reason: Some("seed".into()),
    })?;
    let mut new = Vec::new();
    for (i, event) in domain::testing::seed_rule_book().into_iter().enumerate() {
        let stored = event.to_stored()?;
        new.push(NewEvent {
            event_id: Uuid::from_u128(0xA000_0000 + i as u128),
            event_type: stored.event_type,
            schema_version: stored.schema_version,
            payload: serde_json::to_vec(&stored.payload)?,
            metadata: metadata.clone(),
        });
    }
    Ok(seal(&stream, None, &new, at(date(2018, 12, 1), 8)))
}

pub async fn run(
    store: Arc<dyn EventStore>,
    store_url: &str,
    args: &BenchRebuildArgs,
) -> anyhow::Result<()> {
    if !store.read_all(Position::START, 1).await?.is_empty() {
        anyhow::bail!("bench rebuild needs an empty store: it writes a generated history");
    }
    let started = Instant::now();
    store.import(&rule_book_events()?).await?;
    let mut rng = Lcg(20_200_314);
    let mfc = OrganisationId::from_uuid(Uuid::from_u128(0xB000_0000));
    let mut dossiers: Vec<Generated> = (0..args.dossiers)
        .map(|n| {
            let base = (u128::from(n) + 1) << 64;
            let id = DossierId::from_uuid(Uuid::from_u128(base));
            let kind = if n % 3 == 0 {
                BudgetKind::Pvb
            } else {
                BudgetKind::Pab
            };
            Generated {
                id,
                stream: app::models::dossier_stream(id),
                head: None,
                person: PersonId::from_uuid(Uuid::from_u128(base + 1)),
                budget: BudgetId::from_uuid(Uuid::from_u128(base + 2)),
                kind,
                agreement: AgreementId::from_uuid(Uuid::from_u128(base + 3)),
                covid_agreement: None,
                start: date(2019, 1 + n % 12, 1),
                monthly: 150_000 + i64::from(n % 40) * 5_000,
                unpaid: Vec::new(),
                next_id: base + 16,
                last_at: DateTime::<Utc>::MIN_UTC,
            }
        })
        .collect();
    let covid_cases: Vec<bool> = (0..args.dossiers).map(|_| rng.below(5) == 0).collect();
    let mut sealer = Sealer {
        metadata_staff: serde_json::to_vec(&EventMetadata {
            actor_id: "bench-staff".into(),
            actor_role: "staff".into(),
            correlation_id: Uuid::from_u128(2),
            causation_id: None,
            reason: Some("generated history".into()),
        })?,
        metadata_system: serde_json::to_vec(&EventMetadata {
            actor_id: "system".into(),
            actor_role: "system".into(),
            correlation_id: Uuid::from_u128(3),
            causation_id: None,
            reason: None,
        })?,
        out: Vec::new(),
    };
    let bar = progress::bar(None, "events generated");
    let mut generated = 0u64;
    for year in 2019..=2021 {
        for m in 1..=12 {
            for (n, d) in dossiers.iter_mut().enumerate() {
                if year == 2019 && d.start.month() == m {
                    open_dossier(d, &mut sealer, &mut rng, n as u32, mfc);
                }
                month(d, &mut sealer, &mut rng, year, m, covid_cases[n], n as u32);
            }
            // Positions follow recorded-at: import the month's events in time order.
            sealer.out.sort_by_key(|e| e.recorded_at);
            generated += sealer.out.len() as u64;
            for chunk in sealer.out.chunks(20_000) {
                store.import(chunk).await.context("import failed")?;
            }
            sealer.out.clear();
            bar.set_position(generated);
        }
    }
    bar.finish_and_clear();
    eprintln!(
        "bench rebuild: generated and imported {generated} events in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let sink = open_read_sink(store_url).await?;
    let bar = progress::bar(None, "events");
    let stats = Runner::new(store.clone(), sink)
        .rebuild(&mut projections::read::all(), |n| bar.set_position(n))
        .await?;
    bar.finish_and_clear();

    let mut timings = Vec::new();
    let step = (args.dossiers / args.asof_samples.max(1)).max(1);
    for d in dossiers.iter().step_by(step as usize) {
        let id = d.id.as_uuid().to_string();
        let asked = Instant::now();
        let view = dossier_as_of(
            store.as_ref(),
            &id,
            AsOf {
                known_at: Some(at(date(2020, 12, 31), 23)),
                effective_on: Some(date(2020, 9, 30)),
            },
        )
        .await?;
        timings.push(asked.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(view.events > 0, "as-of found no events for dossier {id}");
    }
    timings.sort_by(f64::total_cmp);
    let median = timings.get(timings.len() / 2).copied().unwrap_or(0.0);
    println!(
        "bench rebuild: events={} rebuild_eps={:.0} asof_ms={median:.2}",
        stats.events,
        stats.events_per_second()
    );
    Ok(())
}
