//! `dossier demo`: fills an empty store with a realistic history (2019–2026) through the same
//! command handlers the API uses, so every read model, report and signal has something to show.
//!
//! The history holds licensed organisations, PAB holders (minors with a parent as legal
//! representative) and PVB holders, budget accounts, grants and annual amounts, cash, voucher and
//! IDO agreements, COVID-19 agreements and increases, agreement changes and notices, monthly cost
//! claims (a few lines refused, COVID-19 lines held and then decided by staff), combination
//! forms, a control case, and one case for each implemented fraud signal. The signal cases
//! reproduce what really lets such a fact into the log: a staff override of a refused line, a
//! rule published after the decision it governs, a fact recorded late, an invoice billed in two
//! dossiers. Names, dates and amounts come from a seeded generator: the same `--dossiers` gives
//! the same history (event ids and recorded-at times are those of the run).
//!
//! This file holds the entry points, the plan and the world; `builder.rs` the history builder,
//! `overridden.rs` the showcases of one shape (a refused line accepted by override) as a table,
//! `showcases.rs` the other showcase cases.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Context as _;
use app::{ExecuteError, Executed, Service, WriteContext};
use chrono::{Datelike, Duration, NaiveDate};
use domain::dossier::*;
use domain::persons::IdentifyPerson;
use domain::registry::{OrganisationKind, RegistryCommand, RegistryStream};
use domain::rule_book::{Parameter, ParameterValue, PublishRuleParameter, RuleBookStream, Source};
use domain::signals::SignalTriageCommand;
use domain::{
    Actor, AgreementId, BudgetId, ClaimId, CombinationId, ControlId, Decider, DossierId, Iban,
    OrganisationId, PaymentId, PersonId, RecoveryId, UserId, VoucherId,
};
use event_store::{EventStore, HistoryClock, ReadPages};
use futures::StreamExt;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use uuid::Uuid;

use crate::UsageError;
use crate::cmd::report::{ReportKind, compute};
use crate::progress;
pub(crate) use domain::examples::date;
use domain::examples::{self, Lcg, cents, insz, month_end};

mod builder;
mod open_work;
mod overridden;
mod showcases;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Dossiers to create. The first 23 are showcase cases (every fraud signal, a COVID-19
    /// overrun, a combination form, a control case, work left open in every work queue); the
    /// rest are ordinary holders.
    #[arg(long, default_value_t = 200)]
    pub dossiers: u32,
}

/// What the demo wrote.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub dossiers: usize,
    pub events: usize,
    /// Signals raised, by rule.
    pub signals: BTreeMap<String, usize>,
}

impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let signals: Vec<String> = self
            .signals
            .iter()
            .map(|(rule, n)| format!("{rule}:{n}"))
            .collect();
        write!(
            f,
            "demo: dossiers={} events={} signals={}",
            self.dossiers,
            self.events,
            signals.join(",")
        )
    }
}

/// How many dossiers run at once: commands of different dossiers share the store's group commit.
const CONCURRENT_DOSSIERS: usize = 8;
/// The first business date of the history, before the first dossier opens (autumn 2018): the
/// rule book is seeded and the organisations licensed.
pub const FIRST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2018, 10, 1) {
    Some(day) => day,
    None => panic!("a valid date"),
};
/// The last business date of the history.
const LAST_MONTH: (i32, u32) = (2026, 9);

pub async fn run(store: Arc<dyn EventStore>, args: &DemoArgs) -> anyhow::Result<()> {
    let service = Arc::new(Service::new(store.clone(), 10_000));
    let summary = populate(service, args.dossiers, Recording::AsWritten, true).await?;
    println!("{summary}");
    Ok(())
}

/// When the history's events are recorded.
#[derive(Debug, Clone)]
pub enum Recording {
    /// At the time each is written (the store's own clock): `dossier demo`, `serve --demo`.
    AsWritten,
    /// At its business date, by setting the clock of a [`event_store::MemoryStore`] made with
    /// it before each command; the plans then run one at a time. For a history that is then
    /// imported into another store (`dossier bench rebuild`).
    AtBusinessDates(HistoryClock),
}

impl Recording {
    /// Before a command of `today`: a business-date clock moves to 09:00 of that day.
    fn on(&self, today: NaiveDate) {
        if let Self::AtBusinessDates(clock) = self {
            clock.set(today.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc());
        }
    }
}

/// Writes the demo history into the service's store.
///
/// # Errors
/// A [`UsageError`] when the store already holds dossiers (nothing is written then); otherwise
/// when the store fails or a command is refused (a bug in the demo).
pub async fn populate(
    service: Arc<Service>,
    dossiers: u32,
    recording: Recording,
    show_progress: bool,
) -> anyhow::Result<DemoSummary> {
    if !service.dossier_ids().await?.is_empty() {
        return Err(UsageError(format!(
            "{} already holds dossiers; the demo only fills a store without dossiers",
            service.store().describe()
        ))
        .into());
    }
    let start = FIRST_DAY;
    recording.on(start);
    service.ensure_rule_book(start).await?;
    let world = World::license(&service).await?;
    let concurrent = match recording {
        Recording::AsWritten => CONCURRENT_DOSSIERS,
        Recording::AtBusinessDates(_) => 1,
    };
    let bar = if show_progress {
        progress::bar(Some(u64::from(dossiers)), "dossiers")
    } else {
        indicatif::ProgressBar::hidden()
    };
    // The duplicate-invoice case opens two dossiers: one plan fewer keeps the count exact.
    let duplicate_at = u32::try_from(
        SHOWCASE
            .iter()
            .position(|k| *k == Kind::F19)
            .unwrap_or(SHOWCASE.len()),
    )?;
    let plan_count = if dossiers > duplicate_at + 1 {
        dossiers - 1
    } else {
        dossiers
    };
    let plans: Vec<Plan> = (0..plan_count)
        .map(Plan::of)
        .map(|plan| match plan.kind {
            Kind::F19 if plan_count == duplicate_at + 1 => Plan {
                kind: Kind::Ordinary,
                ..plan
            },
            _ => plan,
        })
        .collect();
    let mut results = futures::stream::iter(plans.into_iter().map(|plan| {
        let service = service.clone();
        let world = world.clone();
        let recording = recording.clone();
        async move {
            let mut case = Builder::new(&service, &world, &recording, plan.index);
            case.build(plan.kind)
                .await
                .with_context(|| format!("demo dossier {} ({:?})", plan.index, plan.kind))?;
            Ok::<_, anyhow::Error>(case.dossiers_opened)
        }
    }))
    .buffer_unordered(concurrent);
    let mut opened = 0;
    while let Some(result) = results.next().await {
        let opened_by_plan = result?;
        opened += opened_by_plan;
        bar.inc(u64::try_from(opened_by_plan)?);
    }
    drop(results);
    bar.finish_and_clear();
    recording.on(date(2024, 11, 15));
    publish_new_half_day_rate(&service).await?;
    recording.on(month_end(LAST_MONTH.0, LAST_MONTH.1));
    let signals = triage_some_signals(&service).await?;
    Ok(DemoSummary {
        dossiers: opened,
        events: count_events(service.store().as_ref()).await?,
        signals,
    })
}

/// Events in the log (the demo's, the rule book's and the person index's).
async fn count_events(store: &dyn EventStore) -> anyhow::Result<usize> {
    let mut count = 0;
    let mut pages = store.log_pages(event_store::Position::START, 8192);
    while let Some(page) = pages.next_page().await? {
        count += page.len();
    }
    Ok(count)
}

// ---------------------------------------------------------------------------------------------
// Deterministic ingredients

fn next_month(y: i32, m: u32) -> (i32, u32) {
    if m == 12 { (y + 1, 1) } else { (y, m + 1) }
}

/// A small deterministic generator (PCG-style LCG): the same seed gives the same history.
#[derive(Debug, Clone)]
struct Rng(Lcg);

impl Rng {
    fn seeded(seed: u64) -> Self {
        let mut rng = Self(Lcg(seed ^ 0x5DEE_CE66_D1A4_F87D));
        rng.0.next_value();
        rng
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0.below(n)
    }
    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + i64::try_from(self.below(u64::try_from(high - low + 1).unwrap_or(1))).unwrap_or(0)
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

const FIRST_NAMES: &[&str] = &[
    "An",
    "Bart",
    "Charlotte",
    "Dirk",
    "Els",
    "Femke",
    "Geert",
    "Hanne",
    "Ine",
    "Jan",
    "Karolien",
    "Lies",
    "Maarten",
    "Nele",
    "Pieter",
    "Sofie",
    "Tom",
    "Veerle",
    "Wim",
    "Yasmine",
];
const LAST_NAMES: &[&str] = &[
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Vermeulen",
    "Van den Broeck",
    "Hermans",
    "Aerts",
    "Desmet",
];

/// A Belgian IBAN (BE + check + 12 digits) built from an account number.
fn iban(account: u64) -> anyhow::Result<Iban> {
    let bank = account % 10_000_000_000;
    let national_check = match bank % 97 {
        0 => 97,
        c => c,
    };
    let bban = format!("{bank:010}{national_check:02}");
    // ISO 13616: move "BE00" to the end (B=11, E=14) and take 98 minus the remainder mod 97.
    let digits = format!("{bban}111400");
    let remainder = digits
        .bytes()
        .fold(0u64, |r, b| (r * 10 + u64::from(b - b'0')) % 97);
    Ok(Iban::parse(&format!("BE{:02}{bban}", 98 - remainder))?)
}

fn sha256_of(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// The organisations every dossier can use

#[derive(Debug, Clone)]
struct World {
    bo: OrganisationId,
    vza: OrganisationId,
    vza_home: OrganisationId,
    mfc: OrganisationId,
    staff: UserId,
    /// The second staff member, who confirms what the first proposes (four-eyes).
    staff2: UserId,
    /// The administrators: one proposes, the other confirms.
    admin: UserId,
    admin2: UserId,
    inspector: UserId,
    /// The INSZs given out so far, as (birth date, serial): births are drawn, so two holders
    /// may share one, and an INSZ is registered in one dossier only.
    inszs_given: Arc<std::sync::Mutex<std::collections::HashSet<(NaiveDate, u32)>>>,
}

impl World {
    /// A new INSZ for someone born on or just after `birth`: serial `preferred` of that day,
    /// or the next one free (the next day once all 997 are taken).
    fn new_insz(&self, birth: NaiveDate, preferred: u32) -> domain::Insz {
        let mut given = self
            .inszs_given
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (mut day, mut serial) = (birth, preferred % 997 + 1);
        for _ in 0..997 {
            if given.insert((day, serial)) {
                return insz(day, serial);
            }
            serial = serial % 997 + 1;
        }
        day += Duration::days(1);
        drop(given);
        self.new_insz(day, preferred)
    }
}

fn fixed_id(n: u128) -> Uuid {
    Uuid::from_u128(0x0196_0000_0000_7000_8000_0000_0000_0000 | n)
}

impl World {
    async fn license(service: &Service) -> anyhow::Result<Self> {
        let world = Self {
            bo: OrganisationId::from_uuid(fixed_id(0x10)),
            vza: OrganisationId::from_uuid(fixed_id(0x11)),
            vza_home: OrganisationId::from_uuid(fixed_id(0x12)),
            mfc: OrganisationId::from_uuid(fixed_id(0x13)),
            staff: UserId::from_uuid(fixed_id(0x20)),
            staff2: UserId::from_uuid(fixed_id(0x23)),
            admin: UserId::from_uuid(fixed_id(0x22)),
            admin2: UserId::from_uuid(fixed_id(0x24)),
            inspector: UserId::from_uuid(fixed_id(0x21)),
            inszs_given: Arc::default(),
        };
        let licences = [
            (
                world.bo,
                OrganisationKind::AssistanceOrganisation,
                "Bijstandsorganisatie Onafhankelijk Leven vzw",
                date(2016, 4, 1),
            ),
            (
                world.vza,
                OrganisationKind::LicensedProvider,
                "Vergunde zorgaanbieder De Lork vzw",
                date(2015, 1, 1),
            ),
            (
                world.vza_home,
                OrganisationKind::LicensedProvider,
                "Thuisbegeleiding Het Anker vzw",
                date(2015, 1, 1),
            ),
            (
                world.mfc,
                OrganisationKind::MultifunctionalCentre,
                "MFC De Vlinder",
                date(2015, 1, 1),
            ),
        ];
        let (admin, admin2) = world.admins();
        for (organisation, kind, name, licensed_from) in licences {
            let license = RegistryCommand::License {
                organisation,
                kind,
                name: name.into(),
                licensed_from,
            };
            four_eyes::<RegistryStream>(service, &(), &license, (admin, admin2), FIRST_DAY)
                .await
                .map_err(|e| refused("licence an organisation", e))?;
        }
        Ok(world)
    }

    /// The two administrators: one proposes, the other confirms.
    fn admins(&self) -> (Actor, Actor) {
        (
            Actor::Admin { user: self.admin },
            Actor::Admin { user: self.admin2 },
        )
    }

    /// The two staff members: one proposes, the other confirms.
    fn staff_pair(&self) -> (Actor, Actor) {
        (
            Actor::Staff { user: self.staff },
            Actor::Staff { user: self.staff2 },
        )
    }
}

fn write_context(actor: Actor, correlation_id: Uuid) -> WriteContext {
    WriteContext::of(actor, correlation_id, Some("demo history".into()))
}

/// A weighty decision as the demo's people make it (`domain::four_eyes`): proposed by the
/// first of `people`, confirmed by the second, on the same day.
pub(crate) async fn four_eyes<D: app::Runnable>(
    service: &Service,
    id: &D::Id,
    command: &D::Command,
    (proposer, checker): (Actor, Actor),
    today: NaiveDate,
) -> Result<app::ProposalDecided, app::CommandError>
where
    D::Command: serde::Serialize,
{
    let proposed = service
        .propose::<D>(
            id,
            command,
            proposer,
            today,
            &write_context(proposer, Uuid::now_v7()),
        )
        .await?;
    service
        .confirm_proposal(
            &proposed.target,
            proposed.proposal,
            checker,
            today,
            &write_context(checker, Uuid::now_v7()),
        )
        .await
}

/// A refused command is a bug in the demo: say which and why.
fn refused(what: &str, error: app::CommandError) -> anyhow::Error {
    match error {
        ExecuteError::Rejected(r) => anyhow::anyhow!("{what}: refused with {} ({r:?})", r.code()),
        other => anyhow::Error::new(other).context(what.to_owned()),
    }
}

// ---------------------------------------------------------------------------------------------
// Which dossier is what

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    CovidOverrun,
    Combination,
    Control,
    F1,
    F2,
    F5,
    F7,
    F8,
    F9,
    F11,
    F13,
    F14,
    F17F18,
    /// The same invoice in this dossier and the next one.
    F19,
    F21,
    F23,
    F32,
    /// Work left open on the last day: see `open_work.rs`.
    OpenWork,
    /// A PAB never started that lapsed in 2019: its retention period has ended.
    Lapsed,
    /// A PAB granted in 2026 and not started by its deadline.
    NotStarted,
    Ordinary,
}

/// The showcase cases, in order; dossiers beyond them are ordinary.
const SHOWCASE: [Kind; 22] = [
    Kind::CovidOverrun,
    Kind::Combination,
    Kind::Control,
    Kind::F1,
    Kind::F2,
    Kind::F5,
    Kind::F7,
    Kind::F8,
    Kind::F9,
    Kind::F11,
    Kind::F13,
    Kind::F14,
    Kind::F17F18,
    Kind::F19,
    Kind::F21,
    Kind::F23,
    Kind::F32,
    Kind::OpenWork,
    Kind::Lapsed,
    Kind::Lapsed,
    Kind::Lapsed,
    Kind::NotStarted,
];

#[derive(Debug, Clone, Copy)]
struct Plan {
    index: u32,
    kind: Kind,
}

impl Plan {
    fn of(index: u32) -> Self {
        let kind = SHOWCASE
            .get(usize::try_from(index).unwrap_or(usize::MAX))
            .copied()
            .unwrap_or(Kind::Ordinary);
        Self { index, kind }
    }
}

/// One budget holder's dossier as the builder knows it.
#[derive(Debug, Clone)]
struct Case {
    dossier: DossierId,
    /// Who signs: the parent for a minor, the person for an adult.
    holder: PersonId,
    budget: BudgetId,
    kind: BudgetKind,
    /// The budget's start.
    start: NaiveDate,
    /// Annual amount, in cents.
    annual: i64,
    /// The approved cash agreement claims are made under, and who invoices under it.
    agreement: AgreementId,
    provider: Provider,
    invoices: u32,
}

/// Builds the dossiers of one plan, command by command.
struct Builder<'a> {
    service: &'a Service,
    world: &'a World,
    recording: &'a Recording,
    rng: Rng,
    index: u32,
    ids: u128,
    correlation: Uuid,
    dossiers_opened: usize,
}

/// The waardebon issued with a PAB grant.
fn case_voucher(state: &Dossier) -> Option<VoucherId> {
    state.vouchers.keys().next().copied()
}

/// An administrator publishes a higher half-day rate for school-supplementary day care from
/// 2025 (the combination cases are recalculated by the daily job).
async fn publish_new_half_day_rate(service: &Service) -> anyhow::Result<()> {
    let admins = (
        Actor::Admin {
            user: UserId::from_uuid(fixed_id(0x22)),
        },
        Actor::Admin {
            user: UserId::from_uuid(fixed_id(0x24)),
        },
    );
    four_eyes::<RuleBookStream>(
        service,
        &(),
        &PublishRuleParameter {
            parameter: Parameter::PabReductionPerHalfDaySchoolSupplementary,
            value: ParameterValue::Euro(cents(1_050)),
            valid_from: date(2025, 1, 1),
            valid_to: None,
            source: Source {
                rule: "A-09".into(),
                legal_reference: domain::rule_book::NOT_PUBLIC.into(),
            },
        },
        admins,
        date(2024, 11, 15),
    )
    .await
    .map_err(|e| refused("publish the 2025 half-day rate", e))?;
    Ok(())
}

/// Folds the log through the signals read model; an investigator escalates the duplicate
/// invoices and dismisses the corrected attest. Returns the signals raised, by rule.
async fn triage_some_signals(service: &Service) -> anyhow::Result<BTreeMap<String, usize>> {
    let report = compute(service.store().as_ref(), ReportKind::Signals, None).await?;
    let column = |name: &str| report.table.columns.iter().position(|c| c.name == name);
    let (Some(rule_at), Some(id_at)) = (column("rule"), column("signal")) else {
        anyhow::bail!("the signals table has no rule or signal column");
    };
    let text = |v: &projections::Value| match v {
        projections::Value::Text(t) => t.clone(),
        _ => String::new(),
    };
    let mut by_rule = BTreeMap::new();
    let investigator = Actor::Investigator {
        user: UserId::from_uuid(fixed_id(0x23)),
    };
    for row in &report.rows {
        let rule = text(&row[rule_at]);
        *by_rule.entry(rule.clone()).or_insert(0) += 1;
        let signal = text(&row[id_at]);
        let command = match rule.as_str() {
            "F19" => SignalTriageCommand::Escalate {
                signal,
                reason: "zelfde factuur in twee dossiers: doorgeven aan de inspectie".into(),
            },
            "F13" => SignalTriageCommand::Dismiss {
                signal,
                reason: "eerste attest was geldig; het tweede corrigeert enkel de dienst".into(),
            },
            _ => continue,
        };
        service
            .triage_signal(
                &command,
                investigator,
                &write_context(investigator, Uuid::now_v7()),
            )
            .await
            .map_err(|e| refused("triage a signal", e))?;
    }
    Ok(by_rule)
}
