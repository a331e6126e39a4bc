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

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Context as _;
use app::{ExecuteError, Executed, Service, WriteContext};
use chrono::{Datelike, Duration, NaiveDate};
use domain::dossier::*;
use domain::registry::{OrganisationKind, RegistryCommand};
use domain::rule_book::{Parameter, ParameterValue, PublishRuleParameter, Source};
use domain::signals::SignalTriageCommand;
use domain::{
    Actor, AgreementId, BudgetId, ClaimId, CombinationId, ControlId, DossierId, Euro, Iban,
    OrganisationId, PaymentId, PersonId, RecoveryId, UserId, VoucherId,
};
use event_store::{EventMetadata, EventStore, ExpectedVersion, NewEvent};
use futures::StreamExt;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use uuid::Uuid;

use crate::UsageError;
use crate::cmd::report::{ReportKind, compute};
use crate::progress;
use crate::synthetic::{Lcg, insz};

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Dossiers to create. The first 18 are showcase cases (every fraud signal, a COVID-19
    /// overrun, a combination form, a control case); the rest are ordinary holders.
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
/// The last business date of the history.
const LAST_MONTH: (i32, u32) = (2026, 9);

pub async fn run(store: Arc<dyn EventStore>, args: &DemoArgs) -> anyhow::Result<()> {
    let service = Arc::new(Service::new(store.clone(), 10_000));
    let summary = populate(service, args.dossiers, true).await?;
    println!("{summary}");
    Ok(())
}

/// Writes the demo history into the service's store.
///
/// # Errors
/// A [`UsageError`] when the store already holds dossiers (nothing is written then); otherwise
/// when the store fails or a command is refused (a bug in the demo).
pub async fn populate(
    service: Arc<Service>,
    dossiers: u32,
    show_progress: bool,
) -> anyhow::Result<DemoSummary> {
    if !service.dossier_ids().await?.is_empty() {
        return Err(UsageError(format!(
            "{} already holds dossiers; the demo only fills a store without dossiers",
            service.store().describe()
        ))
        .into());
    }
    let start = date(2019, 1, 2);
    service.ensure_rule_book(start).await?;
    let world = World::license(&service).await?;
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
        async move {
            let mut case = Builder::new(&service, &world, plan.index);
            case.build(plan.kind)
                .await
                .with_context(|| format!("demo dossier {} ({:?})", plan.index, plan.kind))?;
            Ok::<_, anyhow::Error>(case.dossiers_opened)
        }
    }))
    .buffer_unordered(CONCURRENT_DOSSIERS);
    let mut opened = 0;
    while let Some(result) = results.next().await {
        let opened_by_plan = result?;
        opened += opened_by_plan;
        bar.inc(u64::try_from(opened_by_plan)?);
    }
    drop(results);
    bar.finish_and_clear();
    publish_new_half_day_rate(&service).await?;
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
    let mut from = event_store::Position::START;
    loop {
        let page = store.read_all(from, 8192).await?;
        let Some(last) = page.last() else {
            return Ok(count);
        };
        from = last.position.next();
        count += page.len();
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic ingredients

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    date(ny, nm, 1) - Duration::days(1)
}

fn next_month(y: i32, m: u32) -> (i32, u32) {
    if m == 12 { (y + 1, 1) } else { (y, m + 1) }
}

fn cents(c: i64) -> Euro {
    Euro::rounded(Decimal::new(c, 2))
}

/// A small deterministic generator (PCG-style LCG): the same seed gives the same history.
#[derive(Debug, Clone)]
struct Rng(Lcg);

impl Rng {
    fn seeded(seed: u64) -> Self {
        let mut rng = Self(Lcg(seed ^ 0x5DEE_CE66_D1A4_F87D));
        rng.0.next();
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
    inspector: UserId,
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
            inspector: UserId::from_uuid(fixed_id(0x21)),
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
        let staff = Actor::Staff { user: world.staff };
        for (organisation, kind, name, licensed_from) in licences {
            service
                .registry_command(
                    &RegistryCommand::License {
                        organisation,
                        kind,
                        name: name.into(),
                        licensed_from,
                    },
                    staff,
                    date(2019, 1, 2),
                    &write_context(staff, Uuid::now_v7()),
                )
                .await
                .map_err(|e| refused("licence an organisation", e))?;
        }
        Ok(world)
    }
}

fn write_context(actor: Actor, correlation_id: Uuid) -> WriteContext {
    let (actor_id, actor_role) = match actor {
        Actor::Staff { user } => (user.to_string(), "staff"),
        Actor::Admin { user } => (user.to_string(), "admin"),
        Actor::Investigator { user } => (user.to_string(), "investigator"),
        Actor::Holder { person } => (person.to_string(), "holder"),
        Actor::Organisation { organisation } => (organisation.to_string(), "organisation"),
        Actor::System => ("system".to_owned(), "system"),
    };
    WriteContext {
        actor_id,
        actor_role: actor_role.to_owned(),
        correlation_id,
        causation_id: None,
        reason: Some("demo history".into()),
    }
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
    Ordinary,
}

/// The showcase cases, in order; dossiers beyond them are ordinary.
const SHOWCASE: [Kind; 17] = [
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
    rng: Rng,
    index: u32,
    ids: u128,
    correlation: Uuid,
    dossiers_opened: usize,
}

impl<'a> Builder<'a> {
    fn new(service: &'a Service, world: &'a World, index: u32) -> Self {
        Self {
            service,
            world,
            rng: Rng::seeded(u64::from(index) + 1),
            index,
            ids: 0,
            correlation: Uuid::now_v7(),
            dossiers_opened: 0,
        }
    }

    /// A deterministic id, unique per plan.
    fn id(&mut self) -> Uuid {
        self.ids += 1;
        Uuid::from_u128(
            0x0197_0000_0000_7000_8000_0000_0000_0000 | (u128::from(self.index) << 24) | self.ids,
        )
    }

    fn staff(&self) -> Actor {
        Actor::Staff {
            user: self.world.staff,
        }
    }

    fn name(&mut self) -> String {
        format!(
            "{} {}",
            self.rng.pick(FIRST_NAMES),
            self.rng.pick(LAST_NAMES)
        )
    }

    async fn command(
        &mut self,
        dossier: DossierId,
        actor: Actor,
        today: NaiveDate,
        command: DossierCommand,
    ) -> anyhow::Result<Executed<Dossier>> {
        let what = serde_json::to_value(&command)
            .ok()
            .and_then(|v| v.get("command").and_then(Json::as_str).map(str::to_owned))
            .unwrap_or_default();
        let done = self
            .service
            .dossier_command(
                dossier,
                &command,
                actor,
                today,
                &write_context(actor, self.correlation),
                None,
            )
            .await
            .map_err(|e| refused(&format!("{what} on {today}"), e))?;
        Ok(done)
    }

    async fn staff_command(
        &mut self,
        case: &Case,
        today: NaiveDate,
        command: DossierCommand,
    ) -> anyhow::Result<Executed<Dossier>> {
        let staff = self.staff();
        self.command(case.dossier, staff, today, command).await
    }

    async fn holder_command(
        &mut self,
        case: &Case,
        today: NaiveDate,
        command: DossierCommand,
    ) -> anyhow::Result<Executed<Dossier>> {
        let holder = Actor::Holder {
            person: case.holder,
        };
        self.command(case.dossier, holder, today, command).await
    }

    async fn build(&mut self, kind: Kind) -> anyhow::Result<()> {
        match kind {
            Kind::Ordinary => self.ordinary().await,
            Kind::CovidOverrun => self.covid_overrun().await,
            Kind::Combination => self.combination().await,
            Kind::Control => self.control().await,
            Kind::F1 => self.f1_unexplained_overrun().await,
            Kind::F2 => self.f2_covid_cost_after_window().await,
            Kind::F5 => self.f5_extra_charges_in_freeze().await,
            Kind::F7 => self.f7_ido_ended_in_freeze().await,
            Kind::F8 => self.f8_cost_before_agreement().await,
            Kind::F9 => self.f9_cost_after_death().await,
            Kind::F11 => self.f11_other_costs_over_limit().await,
            Kind::F13 => self.f13_attest_after_start().await,
            Kind::F14 => self.f14_day_care_on_pab().await,
            Kind::F17F18 => self.f17_f18_school_costs_on_pab().await,
            Kind::F19 => self.f19_invoice_in_two_dossiers().await,
            Kind::F21 => self.f21_minor_family_member().await,
            Kind::F23 => self.f23_fee_for_low_threshold_help().await,
            Kind::F32 => self.f32_unauthorised_signature().await,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Opening dossiers

    /// Registers the person; `serial` keeps INSZs unique across the demo.
    async fn register(
        &mut self,
        birth: NaiveDate,
        registered_on: NaiveDate,
    ) -> anyhow::Result<(DossierId, PersonId)> {
        let dossier = DossierId::from_uuid(self.id());
        let person = PersonId::from_uuid(self.id());
        // Every dossier of the demo has its own serial, or beyond 997 its own birth day.
        let serial = self.index * 2 + u32::try_from(self.dossiers_opened).unwrap_or(0);
        let insz = insz(
            birth + Duration::days(i64::from(serial / 997)),
            serial % 997 + 1,
        );
        let staff = self.staff();
        self.command(
            dossier,
            staff,
            registered_on,
            DossierCommand::RegisterPerson(RegisterPerson {
                dossier,
                person,
                insz,
                birth_date: None,
            }),
        )
        .await?;
        // Names for staff to search by, from a stream of their own: the rest of the history
        // does not depend on them.
        let mut names = Rng::seeded(u64::from(serial) ^ 0x4E41_4D45);
        self.command(
            dossier,
            staff,
            registered_on,
            DossierCommand::RecordPersonName(RecordPersonName {
                family_name: names.pick(LAST_NAMES).to_owned(),
                given_names: names.pick(FIRST_NAMES).to_owned(),
            }),
        )
        .await?;
        self.dossiers_opened += 1;
        Ok((dossier, person))
    }

    /// A child born on `birth` with a PAB: applied for in the autumn before `start_year`,
    /// granted in January, started on 1 February with the mother as parent, budgethouder and
    /// account holder; annual amounts set for each later year; an approved cash agreement with a
    /// personal assistant from the start.
    async fn pab_case(
        &mut self,
        birth: NaiveDate,
        start_year: i32,
        annual: i64,
    ) -> anyhow::Result<Case> {
        let opened = date(start_year - 1, 10, 15);
        let (dossier, _) = self.register(birth, opened).await?;
        let mother = PersonId::from_uuid(self.id());
        let budget = BudgetId::from_uuid(self.id());
        let voucher = VoucherId::from_uuid(self.id());
        let account = iban(u64::from(self.index) * 7_919 + 310_000_000)?;
        let mut case = Case {
            dossier,
            holder: mother,
            budget,
            kind: BudgetKind::Pab,
            start: date(start_year, 2, 1),
            annual,
            agreement: AgreementId::from_uuid(Uuid::nil()),
            provider: Provider::Other {
                name: String::new(),
            },
            invoices: 0,
        };
        let commands = [
            (
                opened,
                DossierCommand::AssignLegalRepresentative(AssignLegalRepresentative {
                    representative: mother,
                    role: RepresentativeRole::Parent,
                    valid_from: birth,
                    evidence_ref: "geboorteakte".into(),
                }),
            ),
            (
                opened,
                DossierCommand::DesignateBudgetHolder(DesignateBudgetHolder {
                    holder: mother,
                    from: opened,
                }),
            ),
            (
                opened,
                DossierCommand::RegisterBudgetAccount(RegisterBudgetAccount {
                    iban: account,
                    account_holder: mother,
                    relation: AccountHolderRelation::BudgetHolder,
                    dedicated: true,
                    registered_on: opened,
                }),
            ),
            (
                date(start_year - 1, 11, 4),
                DossierCommand::SubmitPabApplication(SubmitPabApplication {
                    budget,
                    submitted_on: date(start_year - 1, 11, 4),
                    urgent: None,
                }),
            ),
            (
                date(start_year, 1, 15),
                DossierCommand::GrantPab(GrantPab {
                    budget,
                    granted_on: date(start_year, 1, 15),
                    annual_amount: cents(annual),
                    voucher,
                }),
            ),
            (
                date(start_year, 1, 22),
                DossierCommand::RecordHomeGuidanceDeregistration(
                    RecordHomeGuidanceDeregistration {
                        attest_ref: format!("attest uitschrijving thuisbegeleiding {start_year}"),
                        received_on: date(start_year, 1, 22),
                    },
                ),
            ),
            (
                date(start_year, 1, 29),
                DossierCommand::StartBudget(StartBudget {
                    budget,
                    start_date: case.start,
                }),
            ),
        ];
        for (today, command) in commands {
            self.staff_command(&case, today, command).await?;
        }
        self.later_annual_amounts(&case, start_year).await?;
        self.first_agreement(&mut case).await?;
        Ok(case)
    }

    /// An adult born on `birth` holding their own PVB: made available in January of
    /// `start_year`, started on 1 March, the account in their name; an approved cash agreement.
    async fn pvb_case(
        &mut self,
        birth: NaiveDate,
        start_year: i32,
        annual: i64,
    ) -> anyhow::Result<Case> {
        let opened = date(start_year - 1, 12, 2);
        let (dossier, person) = self.register(birth, opened).await?;
        let budget = BudgetId::from_uuid(self.id());
        let account = iban(u64::from(self.index) * 7_907 + 730_000_000)?;
        let mut case = Case {
            dossier,
            holder: person,
            budget,
            kind: BudgetKind::Pvb,
            start: date(start_year, 3, 1),
            annual,
            agreement: AgreementId::from_uuid(Uuid::nil()),
            provider: Provider::Other {
                name: String::new(),
            },
            invoices: 0,
        };
        let commands = [
            DossierCommand::DesignateBudgetHolder(DesignateBudgetHolder {
                holder: person,
                from: opened,
            }),
            DossierCommand::RegisterBudgetAccount(RegisterBudgetAccount {
                iban: account,
                account_holder: person,
                relation: AccountHolderRelation::BudgetHolder,
                dedicated: true,
                registered_on: opened,
            }),
        ];
        for command in commands {
            self.staff_command(&case, opened, command).await?;
        }
        let letter_date = date(start_year, 1, 10);
        let route = if self.rng.one_in(4) {
            PvbRoute::Emergency
        } else {
            PvbRoute::PriorityGroup
        };
        self.staff_command(
            &case,
            letter_date,
            DossierCommand::MakePvbAvailable(MakePvbAvailable {
                budget,
                letter_date,
                annual_amount: cents(annual),
                route,
            }),
        )
        .await?;
        self.staff_command(
            &case,
            date(start_year, 2, 20),
            DossierCommand::StartBudget(StartBudget {
                budget,
                start_date: case.start,
            }),
        )
        .await?;
        self.later_annual_amounts(&case, start_year).await?;
        self.first_agreement(&mut case).await?;
        Ok(case)
    }

    /// The annual amounts after the first year: indexed by 2 % each January.
    async fn later_annual_amounts(&mut self, case: &Case, start_year: i32) -> anyhow::Result<()> {
        let mut amount = case.annual;
        for year in start_year + 1..=LAST_MONTH.0 {
            amount = amount * 102 / 100 / 100 * 100;
            self.staff_command(
                case,
                date(year, 1, 5),
                DossierCommand::SetAnnualAmount(SetAnnualAmount {
                    budget: case.budget,
                    year,
                    amount: cents(amount),
                    reason: format!("indexering {year}"),
                }),
            )
            .await?;
        }
        Ok(())
    }

    /// A cash agreement with a personal assistant from the budget's start, registered by the
    /// holder two weeks before and approved by staff nine days later.
    async fn first_agreement(&mut self, case: &mut Case) -> anyhow::Result<()> {
        let name = self.name();
        let (agreement, provider) = self
            .cash_agreement(
                case,
                case.start,
                case.start - Duration::days(14),
                None,
                &name,
                AgreementKind::IndividualAssistant,
            )
            .await?;
        case.agreement = agreement;
        case.provider = provider;
        Ok(())
    }

    /// A cash agreement (a COVID-19 one for 2020 when `covid` is given) registered by the
    /// holder on `registered_on` and approved by staff nine days later.
    async fn cash_agreement(
        &mut self,
        case: &Case,
        start: NaiveDate,
        registered_on: NaiveDate,
        covid: Option<CovidBasis>,
        assistant: &str,
        kind: AgreementKind,
    ) -> anyhow::Result<(AgreementId, Provider)> {
        let agreement = AgreementId::from_uuid(self.id());
        let provider = Provider::Other {
            name: assistant.to_owned(),
        };
        let assistant_birth = date(
            i32::try_from(self.rng.between(1965, 1998)).unwrap_or(1980),
            u32::try_from(self.rng.between(1, 12)).unwrap_or(1),
            u32::try_from(self.rng.between(1, 28)).unwrap_or(1),
        );
        let command = RegisterAgreement {
            agreement,
            budget: case.budget,
            payment: PaymentForm::Cash,
            kind,
            provider: provider.clone(),
            start,
            end: covid.map(|_| date(2020, 12, 31)),
            task_description: if covid.is_some() {
                "extra persoonlijke assistentie thuis tijdens COVID-19".into()
            } else {
                "persoonlijke assistentie thuis: opstaan, verzorging, begeleiding naar school"
                    .into()
            },
            weekly_hours: Some(Decimal::from(self.rng.between(6, 20))),
            care_relation: CareRelation::OneToOne,
            covid,
            worker: None,
            signed_on: Some(registered_on.min(start)),
            emergency: false,
            volunteer: false,
            party_identification: Some(PartyIdentification::Insz {
                insz: insz(assistant_birth, self.index % 997 + 2),
            }),
            notice_terms: Some("onbepaalde duur; opzeg volgens het arbeidsrecht".into()),
            hourly_cost: Some(cents(self.rng.between(1_750, 2_450))),
            payment_terms: Some("maandelijks, binnen 14 dagen na de prestatiestaat".into()),
        };
        self.holder_command(
            case,
            registered_on,
            DossierCommand::RegisterAgreement(command),
        )
        .await?;
        self.staff_command(
            case,
            registered_on + Duration::days(9),
            DossierCommand::ApproveAgreement(ApproveAgreement { agreement }),
        )
        .await?;
        Ok((agreement, provider))
    }

    // -----------------------------------------------------------------------------------------
    // Claims

    fn line(
        &mut self,
        case: &mut Case,
        n: u32,
        (year, month): (i32, u32),
        amount: i64,
    ) -> CostLine {
        case.invoices += 1;
        let to = month_end(year, month);
        CostLine {
            line: n,
            agreement: Some(case.agreement),
            provider: case.provider.clone(),
            // Invoice numbers are the assistant's own: unique per dossier.
            invoice_no: format!("{}/{year}-{:04}", self.index + 100, case.invoices),
            invoice_date: to,
            service_from: date(year, month, 1),
            service_to: to,
            amount: cents(amount),
            category: CostCategory::Direct,
            nature: CostNature::Care,
            evidence_ref: format!("prestatiestaat {month:02}/{year}"),
        }
    }

    /// Submits a claim by the holder on `submitted_on` (also the decision date).
    async fn claim(
        &mut self,
        case: &Case,
        year: i32,
        submitted_on: NaiveDate,
        lines: Vec<CostLine>,
    ) -> anyhow::Result<(ClaimId, Executed<Dossier>)> {
        let claim = ClaimId::from_uuid(self.id());
        let channel = if self.rng.one_in(5) {
            ClaimChannel::Paper
        } else {
            ClaimChannel::Mijnvaph
        };
        let done = self
            .holder_command(
                case,
                submitted_on,
                DossierCommand::SubmitCostClaim(SubmitCostClaim {
                    claim,
                    budget: case.budget,
                    budget_year: year,
                    submitted_on,
                    channel,
                    late_exception: None,
                    lines,
                }),
            )
            .await?;
        Ok((claim, done))
    }

    /// A staff member accepts a refused line after all (the facts the signals look for).
    async fn override_to_accepted(
        &mut self,
        case: &Case,
        (claim, done): (ClaimId, Executed<Dossier>),
        line: u32,
        today: NaiveDate,
        reason: &str,
    ) -> anyhow::Result<()> {
        let status = done
            .state
            .claims
            .get(&claim)
            .and_then(|c| c.lines.get(&line))
            .map(|l| l.status);
        anyhow::ensure!(
            matches!(status, Some(LineStatus::Rejected(_))),
            "line {line} of the claim was expected to be refused, not {status:?}"
        );
        self.staff_command(
            case,
            today,
            DossierCommand::OverrideCostLineDecision(OverrideCostLineDecision {
                claim,
                line,
                outcome: LineOutcome::Accepted,
                reason: reason.into(),
            }),
        )
        .await?;
        Ok(())
    }

    /// One claim a month, submitted on the 10th of the next month, for `share` per mille of the
    /// monthly budget (with some variation); now and then a line the rules refuse.
    async fn monthly_claims(
        &mut self,
        case: &mut Case,
        from: (i32, u32),
        to: (i32, u32),
        share: i64,
    ) -> anyhow::Result<()> {
        let (mut year, mut month) = from;
        let mut previous: Option<CostLine> = None;
        while (year, month) <= to {
            let monthly = self.annual_of(case, year) / 12;
            let amount = monthly * (share - self.rng.between(0, 60)) / 1000;
            let mut lines = vec![self.line(case, 1, (year, month), amount)];
            if self.rng.one_in(12)
                && let Some(again) = previous.clone()
                && again.service_from.year() == year
            {
                // The previous month's invoice sent again: refused as a duplicate.
                lines.push(CostLine { line: 2, ..again });
            } else if self.rng.one_in(15) {
                let mut no_agreement = self.line(case, 2, (year, month), amount / 10);
                no_agreement.agreement = None;
                no_agreement.provider = Provider::Other {
                    name: "Taxi Vlaanderen bv".into(),
                };
                lines.push(no_agreement);
            } else if case.kind == BudgetKind::Pvb && self.rng.one_in(15) {
                let mut rent = self.line(case, 2, (year, month), amount / 4);
                rent.nature = CostNature::LivingCosts;
                rent.evidence_ref = "huurcontract".into();
                lines.push(rent);
            }
            previous = Some(lines[0].clone());
            let (ny, nm) = next_month(year, month);
            let day = u32::try_from(self.rng.between(3, 20)).unwrap_or(10);
            let submitted_on = if year == 2020 {
                // The rule book knows the claim deadline for 2020 costs only from 01/01/2021
                // (the version of D-01 valid from 2021): 2020 claims come in in January 2021.
                date(2021, 1, month + day / 2)
            } else {
                date(ny, nm, day)
            };
            let (_, done) = self.claim(case, year, submitted_on, lines).await?;
            if month == 12 || (year, month) == to {
                self.pay(case, year, &done.state, submitted_on + Duration::days(7))
                    .await?;
            }
            (year, month) = (ny, nm);
        }
        Ok(())
    }

    /// Orders and executes the payment of the year's accepted, unpaid lines (if any).
    async fn pay(
        &mut self,
        case: &Case,
        year: i32,
        state: &Dossier,
        ordered_on: NaiveDate,
    ) -> anyhow::Result<()> {
        let unpaid = state
            .claims
            .values()
            .filter(|c| c.budget == case.budget && c.year == year)
            .flat_map(|c| c.lines.values())
            .any(|l| l.status == LineStatus::Accepted && l.paid.is_none());
        if !unpaid {
            return Ok(());
        }
        let payment = PaymentId::from_uuid(self.id());
        self.staff_command(
            case,
            ordered_on,
            DossierCommand::OrderPayment(OrderPayment {
                payment,
                budget: case.budget,
                year,
            }),
        )
        .await?;
        self.staff_command(
            case,
            ordered_on + Duration::days(3),
            DossierCommand::ExecutePayment(ExecutePayment {
                payment,
                executed_on: ordered_on + Duration::days(3),
            }),
        )
        .await?;
        Ok(())
    }

    /// The annual amount of a year in cents, as set by `later_annual_amounts`.
    fn annual_of(&self, case: &Case, year: i32) -> i64 {
        let mut amount = case.annual;
        for _ in case.start.year() + 1..=year {
            amount = amount * 102 / 100 / 100 * 100;
        }
        amount
    }

    fn child_birth(&mut self, start_year: i32) -> NaiveDate {
        let age = i32::try_from(self.rng.between(4, 14)).unwrap_or(8);
        date(
            start_year - age,
            u32::try_from(self.rng.between(1, 12)).unwrap_or(1),
            u32::try_from(self.rng.between(1, 28)).unwrap_or(1),
        )
    }

    fn adult_birth(&mut self) -> NaiveDate {
        date(
            i32::try_from(self.rng.between(1958, 1999)).unwrap_or(1980),
            u32::try_from(self.rng.between(1, 12)).unwrap_or(1),
            u32::try_from(self.rng.between(1, 28)).unwrap_or(1),
        )
    }

    // -----------------------------------------------------------------------------------------
    // Ordinary holders

    async fn ordinary(&mut self) -> anyhow::Result<()> {
        let start_year = i32::try_from(self.rng.between(2019, 2024)).unwrap_or(2021);
        let annual = self.rng.between(150, 600) * 10_000;
        let mut case = if self.rng.one_in(2) {
            let birth = self.child_birth(start_year);
            self.pab_case(birth, start_year, annual).await?
        } else {
            let birth = self.adult_birth();
            self.pvb_case(birth, start_year, annual).await?
        };
        if case.kind == BudgetKind::Pvb && self.rng.one_in(3) {
            self.voucher_ido(&case).await?;
        }
        let first = (case.start.year(), case.start.month());
        // A COVID-19 agreement for about a third of those running in 2020.
        if case.start < date(2020, 3, 1) && self.rng.one_in(3) {
            self.monthly_claims(&mut case, first, (2020, 9), 930)
                .await?;
            let covid = self.covid_agreement_and_increase(&case).await?;
            self.monthly_claims(&mut case, (2020, 10), (2020, 12), 930)
                .await?;
            self.covid_claim(&case, covid, 50, date(2021, 1, 25))
                .await?;
            self.monthly_claims(&mut case, (2021, 1), LAST_MONTH, 930)
                .await?;
        } else if self.rng.one_in(5) {
            // A change of assistant: notice given in May, a new agreement from July.
            let year = i32::try_from(self.rng.between(2023, 2025))
                .unwrap_or(2024)
                .max(case.start.year() + 1);
            self.monthly_claims(&mut case, first, (year, 4), 930)
                .await?;
            self.holder_command(
                &case,
                date(year, 5, 2),
                DossierCommand::GiveNotice(GiveNotice {
                    agreement: case.agreement,
                    notice_date: date(year, 5, 2),
                    end_date: month_end(year, 6),
                }),
            )
            .await?;
            self.monthly_claims(&mut case, (year, 5), (year, 6), 930)
                .await?;
            let name = self.name();
            let (agreement, provider) = self
                .cash_agreement(
                    &case,
                    date(year, 7, 1),
                    date(year, 6, 10),
                    None,
                    &name,
                    AgreementKind::IndividualAssistant,
                )
                .await?;
            case.agreement = agreement;
            case.provider = provider;
            self.monthly_claims(&mut case, (year, 7), LAST_MONTH, 930)
                .await?;
        } else {
            self.monthly_claims(&mut case, first, LAST_MONTH, 930)
                .await?;
        }
        if self.rng.one_in(4) {
            // More hours from November, agreed in October.
            let hours = self.rng.between(8, 24);
            self.holder_command(
                &case,
                date(LAST_MONTH.0, 10, 21),
                DossierCommand::AmendAgreement(AmendAgreement {
                    agreement: case.agreement,
                    effective_from: date(LAST_MONTH.0, 11, 1),
                    task_description: None,
                    weekly_hours: Some(Decimal::from(hours)),
                }),
            )
            .await?;
        }
        Ok(())
    }

    /// A voucher IDO with the licensed provider, registered by the provider (P-09).
    async fn voucher_ido(&mut self, case: &Case) -> anyhow::Result<()> {
        let agreement = AgreementId::from_uuid(self.id());
        let start = case.start + Duration::days(31);
        let provider = Actor::Organisation {
            organisation: self.world.vza,
        };
        self.command(
            case.dossier,
            provider,
            start - Duration::days(3),
            DossierCommand::RegisterAgreement(RegisterAgreement {
                agreement,
                budget: case.budget,
                payment: PaymentForm::Voucher,
                kind: AgreementKind::Ido,
                provider: Provider::Organisation {
                    organisation: self.world.vza,
                },
                start,
                end: None,
                task_description: "dagondersteuning in het dagcentrum, 3 dagen per week".into(),
                weekly_hours: Some(Decimal::from(18)),
                care_relation: CareRelation::Group,
                covid: None,
                worker: None,
                signed_on: Some(start - Duration::days(3)),
                emergency: false,
                volunteer: false,
                party_identification: None,
                notice_terms: None,
                hourly_cost: None,
                payment_terms: None,
            }),
        )
        .await?;
        self.staff_command(
            case,
            start + Duration::days(5),
            DossierCommand::ApproveAgreement(ApproveAgreement { agreement }),
        )
        .await?;
        Ok(())
    }

    /// A COVID-19 agreement from 16/03/2020 to 31/12/2020, registered and approved after the
    /// window was published (30/09/2020), and the COVID-19 increase granted.
    async fn covid_agreement_and_increase(
        &mut self,
        case: &Case,
    ) -> anyhow::Result<(AgreementId, Provider)> {
        let name = self.name();
        let covid = self
            .cash_agreement(
                case,
                date(2020, 3, 16),
                date(2020, 10, 5),
                Some(CovidBasis::New),
                &name,
                AgreementKind::IndividualAssistant,
            )
            .await?;
        self.staff_command(
            case,
            date(2020, 10, 20),
            DossierCommand::GrantCovidOverrunAllowance(GrantCovidOverrunAllowance {
                budget: case.budget,
                year: 2020,
            }),
        )
        .await?;
        Ok(covid)
    }

    /// The COVID-19 costs from the approval (14/10/2020) to December in one claim; `share` is
    /// their total per mille of the annual budget. Submitted after the COVID-19 deadline (01/03/2021) but by the
    /// general one, lines are held; staff then decides them.
    async fn covid_claim(
        &mut self,
        case: &Case,
        (agreement, provider): (AgreementId, Provider),
        share: i64,
        submitted_on: NaiveDate,
    ) -> anyhow::Result<()> {
        let per_month = self.annual_of(case, 2020) * share / 1000 / 3;
        let lines: Vec<CostLine> = (10..=12)
            .map(|month| CostLine {
                line: month - 9,
                agreement: Some(agreement),
                provider: provider.clone(),
                invoice_no: format!("C2020-{month:02}"),
                invoice_date: month_end(2020, month),
                service_from: date(2020, month, if month == 10 { 15 } else { 1 }),
                service_to: month_end(2020, month),
                amount: cents(per_month),
                category: CostCategory::Covid,
                nature: CostNature::Care,
                evidence_ref: format!("prestatiestaat COVID-19 {month:02}/2020"),
            })
            .collect();
        let (claim, done) = self.claim(case, 2020, submitted_on, lines).await?;
        let decided_on = submitted_on + Duration::days(28);
        let held: Vec<u32> = done
            .state
            .claims
            .get(&claim)
            .map(|c| {
                c.lines
                    .values()
                    .filter(|l| matches!(l.status, LineStatus::Held(_)))
                    .map(|l| l.line.line)
                    .collect()
            })
            .unwrap_or_default();
        for line in held {
            self.staff_command(
                case,
                decided_on,
                DossierCommand::DecideCostLine(DecideCostLine {
                    claim,
                    line,
                    outcome: LineOutcome::Accepted,
                    reason: "ingediend vóór de algemene termijn van 1 april; aanvaard".into(),
                }),
            )
            .await?;
        }
        let (state, _) = self.service.dossier(case.dossier).await?;
        self.pay(case, 2020, &state, decided_on + Duration::days(5))
            .await
    }

    // -----------------------------------------------------------------------------------------
    // Showcase cases

    /// A PAB with a COVID-19 agreement whose costs take 2020 over the normal budget: the
    /// overrun is explained by COVID-19 costs; the late COVID-19 claim is held and decided.
    async fn covid_overrun(&mut self) -> anyhow::Result<()> {
        let birth = date(2011, 4, 18);
        let mut case = self.pab_case(birth, 2019, 2_800_000).await?;
        self.monthly_claims(&mut case, (2019, 2), (2020, 9), 1_000)
            .await?;
        let covid = self.covid_agreement_and_increase(&case).await?;
        self.monthly_claims(&mut case, (2020, 10), (2020, 12), 1_000)
            .await?;
        self.covid_claim(&case, covid, 120, date(2021, 3, 15))
            .await?;
        self.monthly_claims(&mut case, (2021, 1), (2022, 6), 930)
            .await
    }

    /// A PAB combined with MFC day care: a waardebon redeemed for a talk with a
    /// bijstandsorganisatie, a combination form with its monthly reduction, a change of
    /// half-days.
    async fn combination(&mut self) -> anyhow::Result<()> {
        let birth = date(2012, 9, 3);
        let mut case = self.pab_case(birth, 2021, 3_200_000).await?;
        let voucher = case_voucher(&self.service.dossier(case.dossier).await?.0);
        if let Some(voucher) = voucher {
            self.holder_command(
                &case,
                date(2021, 3, 2),
                DossierCommand::RedeemBoValueVoucher(RedeemBoValueVoucher {
                    voucher,
                    redemption: VoucherRedemption::ExploratoryTalk {
                        organisation: self.world.bo,
                    },
                    redeemed_on: date(2021, 3, 2),
                }),
            )
            .await?;
        }
        self.monthly_claims(&mut case, (2021, 2), (2021, 7), 880)
            .await?;
        let combination = CombinationId::from_uuid(self.id());
        self.holder_command(
            &case,
            date(2021, 8, 20),
            DossierCommand::SubmitCombinationForm(SubmitCombinationForm {
                combination,
                budget: case.budget,
                change: CombinationChange::Start {
                    provider: self.world.mfc,
                    care: CombinedCare::MfcDayCare {
                        day_care: DayCareType::SchoolSupplementary,
                        half_days_per_month: 8,
                    },
                },
                effective_from: date(2021, 9, 1),
                signed_by_holder: true,
                signed_by_provider: true,
                reason: None,
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2021, 8), (2022, 7), 880)
            .await?;
        self.holder_command(
            &case,
            date(2022, 8, 25),
            DossierCommand::SubmitCombinationForm(SubmitCombinationForm {
                combination,
                budget: case.budget,
                change: CombinationChange::Change {
                    care: CombinedCare::MfcDayCare {
                        day_care: DayCareType::SchoolSupplementary,
                        half_days_per_month: 6,
                    },
                },
                effective_from: date(2022, 9, 1),
                signed_by_holder: true,
                signed_by_provider: true,
                reason: Some("minder dagdelen in het nieuwe schooljaar".into()),
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2022, 8), (2023, 12), 880)
            .await
    }

    /// A PVB controlled by Zorginspectie: evidence requested and received, an announced visit,
    /// a finding and a recovery, repaid.
    async fn control(&mut self) -> anyhow::Result<()> {
        let birth = self.adult_birth();
        let mut case = self.pvb_case(birth, 2021, 4_100_000).await?;
        self.monthly_claims(&mut case, (2021, 3), (2023, 3), 930)
            .await?;
        let control = ControlId::from_uuid(self.id());
        let recovery = RecoveryId::from_uuid(self.id());
        let statement = format!("rekeninguittreksels 2022 van dossier {}", case.dossier);
        let commands = [
            (
                date(2023, 5, 2),
                DossierCommand::OpenControlCase(OpenControlCase {
                    control,
                    budget: case.budget,
                    selection: ControlSelection::Zorginspectie,
                    kind: ControlKind::Standard,
                    period_from: date(2022, 1, 1),
                    period_to: date(2022, 12, 31),
                }),
            ),
            (
                date(2023, 5, 3),
                DossierCommand::RequestEvidence(RequestEvidence {
                    control,
                    documents: vec![
                        "rekeninguittreksels 2022".into(),
                        "overeenkomsten".into(),
                        "facturen".into(),
                    ],
                    due_by: date(2023, 6, 2),
                }),
            ),
        ];
        for (today, command) in commands {
            self.staff_command(&case, today, command).await?;
        }
        self.holder_command(
            &case,
            date(2023, 5, 24),
            DossierCommand::RecordEvidence(RecordEvidence {
                control,
                documents: vec![EvidenceDocument {
                    reference: "rekeninguittreksels 2022".into(),
                    sha256: sha256_of(&statement),
                }],
                received_on: date(2023, 5, 24),
            }),
        )
        .await?;
        let inspector = self.world.inspector;
        let commands = [
            (
                date(2023, 6, 14),
                DossierCommand::RecordInspectionVisit(RecordInspectionVisit {
                    control,
                    inspector,
                    announced_on: date(2023, 6, 1),
                    visited_on: date(2023, 6, 14),
                    location: VisitLocation::Home,
                    duration_minutes: 95,
                }),
            ),
            (
                date(2023, 7, 3),
                DossierCommand::ConcludeControl(ConcludeControl {
                    control,
                    findings: vec![Finding {
                        rule: "P-12".into(),
                        severity: Severity::Irregularity,
                        amount: Some(cents(48_000)),
                        description: "woon- en leefkosten (huur) betaald uit het budget".into(),
                    }],
                    letter_ref: "brief controle 2023/0412".into(),
                    recovery: Some(ControlRecovery {
                        recovery,
                        amount: cents(48_000),
                        legal_basis: "BVR besteding PVB, art. 9".into(),
                    }),
                }),
            ),
        ];
        for (today, command) in commands {
            self.staff_command(&case, today, command).await?;
        }
        self.staff_command(
            &case,
            date(2023, 8, 30),
            DossierCommand::RecordRecoveryRepayment(RecordRecoveryRepayment {
                recovery,
                amount: cents(48_000),
                paid_on: date(2023, 8, 28),
            }),
        )
        .await?;
        Ok(())
    }

    /// F1: in 2020 a line above the exhausted budget, refused, then accepted by a staff override;
    /// no COVID-19 costs explain the overrun.
    async fn f1_unexplained_overrun(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2019);
        let mut case = self.pab_case(birth, 2019, 2_400_000).await?;
        self.monthly_claims(&mut case, (2019, 2), (2020, 11), 950)
            .await?;
        let december = self.annual_of(&case, 2020) / 12;
        let lines = vec![
            self.line(&mut case, 1, (2020, 12), december),
            self.line(&mut case, 2, (2020, 12), december * 3),
        ];
        let submitted = self.claim(&case, 2020, date(2021, 1, 12), lines).await?;
        self.override_to_accepted(
            &case,
            submitted,
            2,
            date(2021, 2, 3),
            "eindejaarsafrekening assistent; akkoord teamverantwoordelijke",
        )
        .await
    }

    /// F2: a COVID-19 cost for July 2021, after the extended window, accepted by override.
    async fn f2_covid_cost_after_window(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2019);
        let mut case = self.pab_case(birth, 2019, 3_000_000).await?;
        self.monthly_claims(&mut case, (2019, 2), (2020, 9), 900)
            .await?;
        let (covid_agreement, _) = self.covid_agreement_and_increase(&case).await?;
        self.monthly_claims(&mut case, (2020, 10), (2021, 6), 900)
            .await?;
        let mut line = self.line(&mut case, 1, (2021, 7), 42_000);
        line.agreement = Some(covid_agreement);
        line.category = CostCategory::Covid;
        let submitted = self
            .claim(&case, 2021, date(2021, 8, 9), vec![line])
            .await?;
        self.override_to_accepted(
            &case,
            submitted,
            1,
            date(2021, 8, 30),
            "COVID-19-maatregel verlengd volgens de budgethouder",
        )
        .await
    }

    /// A PVB with a cash IDO with the licensed provider from 2019.
    async fn pvb_with_ido(&mut self) -> anyhow::Result<(Case, AgreementId)> {
        let birth = self.adult_birth();
        let case = self.pvb_case(birth, 2019, 3_600_000).await?;
        let ido = AgreementId::from_uuid(self.id());
        self.holder_command(
            &case,
            date(2019, 4, 1),
            DossierCommand::RegisterAgreement(RegisterAgreement {
                agreement: ido,
                budget: case.budget,
                payment: PaymentForm::Cash,
                kind: AgreementKind::Ido,
                provider: Provider::Organisation {
                    organisation: self.world.vza,
                },
                start: date(2019, 4, 1),
                end: None,
                task_description: "woonondersteuning, 4 nachten per week".into(),
                weekly_hours: Some(Decimal::from(20)),
                care_relation: CareRelation::OneToOne,
                covid: None,
                worker: None,
                signed_on: Some(date(2019, 3, 25)),
                emergency: false,
                volunteer: false,
                party_identification: None,
                notice_terms: None,
                hourly_cost: None,
                payment_terms: None,
            }),
        )
        .await?;
        self.staff_command(
            &case,
            date(2019, 4, 10),
            DossierCommand::ApproveAgreement(ApproveAgreement { agreement: ido }),
        )
        .await?;
        Ok((case, ido))
    }

    /// F5: extra charges of the provider for September 2020, refused (freeze on extra charges)
    /// and accepted by override.
    async fn f5_extra_charges_in_freeze(&mut self) -> anyhow::Result<()> {
        let (mut case, ido) = self.pvb_with_ido().await?;
        self.monthly_claims(&mut case, (2019, 3), (2020, 8), 500)
            .await?;
        let mut extra = self.line(&mut case, 1, (2020, 9), 18_500);
        extra.agreement = Some(ido);
        extra.provider = Provider::Organisation {
            organisation: self.world.vza,
        };
        extra.nature = CostNature::ExtraCharges;
        extra.invoice_date = date(2020, 9, 18);
        extra.service_to = date(2020, 9, 18);
        extra.evidence_ref = "factuur meerkosten september".into();
        let submitted = self
            .claim(&case, 2020, date(2021, 1, 21), vec![extra])
            .await?;
        self.override_to_accepted(
            &case,
            submitted,
            1,
            date(2021, 2, 8),
            "meerkosten voor extra nachtpermanentie, akkoord",
        )
        .await
    }

    /// F7: an IDO terminated in June 2020 to end on 31/08/2020, inside the freeze that was
    /// published only on 30/09/2020.
    async fn f7_ido_ended_in_freeze(&mut self) -> anyhow::Result<()> {
        let (mut case, ido) = self.pvb_with_ido().await?;
        self.monthly_claims(&mut case, (2019, 3), (2020, 5), 500)
            .await?;
        self.holder_command(
            &case,
            date(2020, 6, 15),
            DossierCommand::TerminateAgreement(TerminateAgreement {
                agreement: ido,
                end_date: date(2020, 8, 31),
                reason: "verhuis naar een woonvorm in een andere provincie".into(),
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2020, 6), (2020, 12), 500)
            .await
    }

    /// F8: costs of the month before the agreement started, accepted by override.
    async fn f8_cost_before_agreement(&mut self) -> anyhow::Result<()> {
        let birth = self.adult_birth();
        let mut case = self.pvb_case(birth, 2021, 2_600_000).await?;
        self.monthly_claims(&mut case, (2021, 3), (2021, 12), 900)
            .await?;
        let name = self.name();
        let (agreement, provider) = self
            .cash_agreement(
                &case,
                date(2022, 3, 1),
                date(2022, 3, 1),
                None,
                &name,
                AgreementKind::NaturalOrLegalPerson,
            )
            .await?;
        case.agreement = agreement;
        case.provider = provider;
        let line = self.line(&mut case, 1, (2022, 2), 61_000);
        let submitted = self
            .claim(&case, 2022, date(2022, 3, 14), vec![line])
            .await?;
        self.override_to_accepted(
            &case,
            submitted,
            1,
            date(2022, 4, 4),
            "prestaties vóór de ondertekening; toch aanvaard",
        )
        .await
    }

    /// F9: June 2022 claimed and accepted; the death on 31/05/2022 recorded only in July.
    async fn f9_cost_after_death(&mut self) -> anyhow::Result<()> {
        let birth = self.adult_birth();
        let mut case = self.pvb_case(birth, 2020, 3_300_000).await?;
        self.monthly_claims(&mut case, (2020, 3), (2022, 6), 930)
            .await?;
        self.staff_command(
            &case,
            date(2022, 7, 20),
            DossierCommand::RecordDeath(RecordDeath {
                date_of_death: date(2022, 5, 31),
                certificate_ref: "overlijdensakte 2022/1187".into(),
            }),
        )
        .await?;
        Ok(())
    }

    /// F11: PAB other costs above 5 % of the annual budget, accepted by override.
    async fn f11_other_costs_over_limit(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2022);
        let mut case = self.pab_case(birth, 2022, 2_000_000).await?;
        self.monthly_claims(&mut case, (2022, 2), (2022, 10), 800)
            .await?;
        let mut other = self.line(&mut case, 1, (2022, 11), 130_000);
        other.agreement = None;
        other.category = CostCategory::Other;
        other.provider = Provider::Other {
            name: "Hulpmiddelenwinkel Mobiel bv".into(),
        };
        other.evidence_ref = "kasticket aangepaste fiets".into();
        let submitted = self
            .claim(&case, 2022, date(2022, 12, 5), vec![other])
            .await?;
        self.override_to_accepted(
            &case,
            submitted,
            1,
            date(2022, 12, 19),
            "aangepaste fiets, eenmalig aanvaard",
        )
        .await
    }

    /// F13: a corrected de-registration attest, received after the PAB had started.
    async fn f13_attest_after_start(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2023);
        let mut case = self.pab_case(birth, 2023, 2_500_000).await?;
        self.staff_command(
            &case,
            date(2023, 3, 9),
            DossierCommand::RecordHomeGuidanceDeregistration(RecordHomeGuidanceDeregistration {
                attest_ref: "gecorrigeerd attest uitschrijving (vorige betrof een andere dienst)"
                    .into(),
                received_on: date(2023, 3, 9),
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2023, 2), (2024, 6), 930)
            .await
    }

    /// F14: a PAB holder who turned 18 also gets a PVB with day care; the day-care invoice is
    /// claimed on the PAB and accepted by override.
    async fn f14_day_care_on_pab(&mut self) -> anyhow::Result<()> {
        let birth = date(2002, 9, 1);
        let mut case = self.pab_case(birth, 2020, 2_600_000).await?;
        self.monthly_claims(&mut case, (2020, 2), (2020, 12), 900)
            .await?;
        let pvb = BudgetId::from_uuid(self.id());
        self.staff_command(
            &case,
            date(2021, 1, 15),
            DossierCommand::MakePvbAvailable(MakePvbAvailable {
                budget: pvb,
                letter_date: date(2021, 1, 15),
                annual_amount: cents(1_800_000),
                route: PvbRoute::PriorityGroup,
            }),
        )
        .await?;
        self.staff_command(
            &case,
            date(2021, 1, 28),
            DossierCommand::StartBudget(StartBudget {
                budget: pvb,
                start_date: date(2021, 2, 1),
            }),
        )
        .await?;
        let day_care = AgreementId::from_uuid(self.id());
        let centre = Provider::Organisation {
            organisation: self.world.vza,
        };
        self.holder_command(
            &case,
            date(2021, 1, 20),
            DossierCommand::RegisterAgreement(RegisterAgreement {
                agreement: day_care,
                budget: pvb,
                payment: PaymentForm::Cash,
                kind: AgreementKind::DayCare,
                provider: centre.clone(),
                start: date(2021, 2, 1),
                end: None,
                task_description: "dagopvang in het dagcentrum, 2 dagen per week".into(),
                weekly_hours: Some(Decimal::from(14)),
                care_relation: CareRelation::Group,
                covid: None,
                worker: None,
                signed_on: Some(date(2021, 1, 20)),
                emergency: false,
                volunteer: false,
                party_identification: None,
                notice_terms: None,
                hourly_cost: None,
                payment_terms: None,
            }),
        )
        .await?;
        self.staff_command(
            &case,
            date(2021, 1, 27),
            DossierCommand::ApproveAgreement(ApproveAgreement {
                agreement: day_care,
            }),
        )
        .await?;
        let mut line = self.line(&mut case, 1, (2021, 2), 52_000);
        line.agreement = Some(day_care);
        line.provider = centre;
        let submitted = self
            .claim(&case, 2021, date(2021, 3, 8), vec![line])
            .await?;
        self.override_to_accepted(
            &case,
            submitted,
            1,
            date(2021, 3, 22),
            "factuur dagcentrum; budget nagekeken",
        )
        .await
    }

    /// F17, F18: TOAH and GO boarding-school costs on a PAB, accepted by override.
    async fn f17_f18_school_costs_on_pab(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2021);
        let mut case = self.pab_case(birth, 2021, 2_900_000).await?;
        self.monthly_claims(&mut case, (2021, 2), (2021, 9), 850)
            .await?;
        let mut toah = self.line(&mut case, 1, (2021, 10), 21_000);
        toah.nature = CostNature::TemporaryHomeEducation;
        let mut boarding = self.line(&mut case, 2, (2021, 10), 34_000);
        boarding.nature = CostNature::GoBoardingSchool;
        boarding.provider = Provider::Other {
            name: "Internaat GO! De Horizon".into(),
        };
        let submitted = self
            .claim(&case, 2021, date(2021, 11, 8), vec![toah, boarding])
            .await?;
        let (claim, done) = submitted;
        self.override_to_accepted(
            &case,
            (claim, done.clone()),
            1,
            date(2021, 11, 29),
            "onderwijs aan huis tijdens ziekenhuisopname",
        )
        .await?;
        self.override_to_accepted(
            &case,
            (claim, done),
            2,
            date(2021, 11, 29),
            "internaatskosten, volgens de moeder afgesproken",
        )
        .await
    }

    /// F19: a cleaning company bills the same invoice in two dossiers; each accepts it.
    async fn f19_invoice_in_two_dossiers(&mut self) -> anyhow::Result<()> {
        let company = Provider::Other {
            name: "Poetsdienst Het Zonnetje bv".into(),
        };
        for _ in 0..2 {
            let birth = self.adult_birth();
            let mut case = self.pvb_case(birth, 2022, 2_400_000).await?;
            let (agreement, _) = self
                .cash_agreement(
                    &case,
                    date(2022, 4, 1),
                    date(2022, 3, 15),
                    None,
                    "Poetsdienst Het Zonnetje bv",
                    AgreementKind::ServiceVouchers,
                )
                .await?;
            self.monthly_claims(&mut case, (2022, 3), (2023, 3), 800)
                .await?;
            let line = CostLine {
                line: 1,
                agreement: Some(agreement),
                provider: company.clone(),
                invoice_no: "ZON-2023-0412".into(),
                invoice_date: date(2023, 4, 30),
                service_from: date(2023, 4, 1),
                service_to: date(2023, 4, 30),
                amount: cents(38_400),
                category: CostCategory::Direct,
                nature: CostNature::Care,
                evidence_ref: "factuur ZON-2023-0412".into(),
            };
            self.claim(&case, 2023, date(2023, 5, 9), vec![line])
                .await?;
        }
        Ok(())
    }

    /// F21: the brother, a minor in the month before his agreement began, paid by override.
    async fn f21_minor_family_member(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2021);
        let mut case = self.pab_case(birth, 2021, 3_100_000).await?;
        self.monthly_claims(&mut case, (2021, 2), (2022, 4), 800)
            .await?;
        let brother_birth = date(2004, 5, 1);
        let agreement = AgreementId::from_uuid(self.id());
        let brother = Provider::Other {
            name: "broer van de budgethouder".into(),
        };
        let start = date(2022, 5, 1);
        self.holder_command(
            &case,
            start,
            DossierCommand::RegisterAgreement(RegisterAgreement {
                agreement,
                budget: case.budget,
                payment: PaymentForm::Cash,
                kind: AgreementKind::FamilyMember,
                provider: brother.clone(),
                start,
                end: None,
                task_description: "begeleiding bij vrijetijdsactiviteiten in het weekend".into(),
                weekly_hours: Some(Decimal::from(6)),
                care_relation: CareRelation::OneToOne,
                covid: None,
                worker: Some(Worker {
                    birth_date: brother_birth,
                    family_within_second_degree: true,
                    completed_two_years_secondary: true,
                }),
                signed_on: Some(start),
                emergency: false,
                volunteer: false,
                party_identification: Some(PartyIdentification::Insz {
                    insz: insz(brother_birth, self.index % 997 + 2),
                }),
                notice_terms: Some("bepaalde duur van een jaar".into()),
                hourly_cost: Some(cents(1_400)),
                payment_terms: Some("maandelijks".into()),
            }),
        )
        .await?;
        self.staff_command(
            &case,
            start + Duration::days(7),
            DossierCommand::ApproveAgreement(ApproveAgreement { agreement }),
        )
        .await?;
        case.agreement = agreement;
        case.provider = brother;
        let line = self.line(&mut case, 1, (2022, 4), 33_600);
        let submitted = self
            .claim(&case, 2022, date(2022, 5, 16), vec![line])
            .await?;
        self.override_to_accepted(
            &case,
            submitted,
            1,
            date(2022, 6, 1),
            "weekendbegeleiding april, bewijs van prestaties ontvangen",
        )
        .await
    }

    /// F23: a record of the bijstandsorganisatie from before this system, migrated into the
    /// dossier: a fee for low-threshold help. No command can record it (the decider refuses
    /// it, S000-08); history migrated from the previous system is how such a fact reaches the
    /// log, so it is appended as a migration, with its own actor and reason.
    async fn f23_fee_for_low_threshold_help(&mut self) -> anyhow::Result<()> {
        let birth = self.adult_birth();
        let mut case = self.pvb_case(birth, 2019, 3_400_000).await?;
        self.staff_command(
            &case,
            date(2019, 2, 4),
            DossierCommand::JoinAssistanceOrganisation(JoinAssistanceOrganisation {
                organisation: self.world.bo,
                joined_on: date(2019, 2, 1),
            }),
        )
        .await?;
        let bo = Actor::Organisation {
            organisation: self.world.bo,
        };
        self.command(
            case.dossier,
            bo,
            date(2019, 2, 20),
            DossierCommand::RecordBoAssistance(RecordBoAssistance {
                organisation: self.world.bo,
                threshold: AssistanceThreshold::HighThreshold,
                description: "opmaak ondersteuningsplan en zoektocht naar assistenten".into(),
                fee: cents(45_000),
                provided_on: date(2019, 2, 18),
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2019, 3), (2020, 6), 900)
            .await?;
        let migrated = DossierEvent::from(BoAssistanceRecorded {
            organisation: self.world.bo,
            threshold: AssistanceThreshold::LowThreshold,
            description: "infosessie persoonsvolgend budget (overgenomen uit het vorige systeem)"
                .into(),
            fee: cents(7_500),
            provided_on: date(2019, 1, 21),
        });
        let stored = domain::event::Event::Dossier(migrated).to_stored()?;
        let (_, version) = self.service.dossier(case.dossier).await?;
        let metadata = EventMetadata {
            actor_id: "migration".into(),
            actor_role: "system".into(),
            correlation_id: self.correlation,
            causation_id: None,
            reason: Some("overgenomen uit het dossiersysteem van de bijstandsorganisatie".into()),
        };
        let event = NewEvent::new(
            self.id(),
            stored.event_type,
            stored.schema_version,
            &stored.payload,
            &metadata,
        )?;
        let stream = app::models::dossier_stream(case.dossier);
        let expected = version.map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact);
        self.service
            .store()
            .append(&stream, expected, &[event])
            .await?;
        Ok(())
    }

    /// F32: the father, legal representative only from 01/06/2021, registers an agreement that
    /// began on 01/05/2021: he signed for a period in which he could not sign.
    async fn f32_unauthorised_signature(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2020);
        let mut case = self.pab_case(birth, 2020, 2_700_000).await?;
        self.monthly_claims(&mut case, (2020, 2), (2021, 4), 700)
            .await?;
        let father = PersonId::from_uuid(self.id());
        self.staff_command(
            &case,
            date(2021, 6, 1),
            DossierCommand::AssignLegalRepresentative(AssignLegalRepresentative {
                representative: father,
                role: RepresentativeRole::Parent,
                valid_from: date(2021, 6, 1),
                evidence_ref: "erkenning door de vader".into(),
            }),
        )
        .await?;
        let signed_by_father = Case {
            holder: father,
            ..case.clone()
        };
        let name = self.name();
        let (agreement, provider) = self
            .cash_agreement(
                &signed_by_father,
                date(2021, 5, 1),
                date(2021, 6, 10),
                None,
                &name,
                AgreementKind::NaturalOrLegalPerson,
            )
            .await?;
        case.agreement = agreement;
        case.provider = provider;
        self.monthly_claims(&mut case, (2021, 5), (2021, 12), 700)
            .await
    }
}

/// The waardebon issued with a PAB grant.
fn case_voucher(state: &Dossier) -> Option<VoucherId> {
    state.vouchers.keys().next().copied()
}

/// An administrator publishes a higher half-day rate for school-supplementary day care from
/// 2025 (the combination cases are recalculated by the daily job).
async fn publish_new_half_day_rate(service: &Service) -> anyhow::Result<()> {
    let admin = Actor::Admin {
        user: UserId::from_uuid(fixed_id(0x22)),
    };
    service
        .publish_rule(
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
            admin,
            date(2024, 11, 15),
            &write_context(admin, Uuid::now_v7()),
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
