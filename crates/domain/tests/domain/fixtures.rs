//! Shared ids, dates and dossiers built by running accepted commands (valid by construction).

use chrono::NaiveDate;
use domain::dossier::*;
use domain::registry::{OrganisationKind, RegistryCommand};
use domain::testing::{Scenario, given, seed_rule_book};
use domain::*;
use uuid::Uuid;

pub fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    domain::examples::date(year, month, day)
}

pub fn euro(text: &str) -> Euro {
    Euro::parse(text).unwrap()
}

macro_rules! ids {
    ($($name:ident: $ty:ident = $n:expr;)*) => {
        $(pub const $name: $ty = $ty::from_uuid(Uuid::from_u128($n));)*
    };
}

ids! {
    DOSSIER: DossierId = 0x0196_0000_0000_7000_8000_0000_0000_0001;
    CHILD: PersonId = 0x0196_0000_0000_7000_8000_0000_0000_0010;
    MOTHER: PersonId = 0x0196_0000_0000_7000_8000_0000_0000_0011;
    FATHER: PersonId = 0x0196_0000_0000_7000_8000_0000_0000_0012;
    PLUS_PARENT: PersonId = 0x0196_0000_0000_7000_8000_0000_0000_0013;
    GRANDMOTHER: PersonId = 0x0196_0000_0000_7000_8000_0000_0000_0014;
    ADMINISTRATOR: PersonId = 0x0196_0000_0000_7000_8000_0000_0000_0015;
    PAB: BudgetId = 0x0196_0000_0000_7000_8000_0000_0000_0020;
    PVB: BudgetId = 0x0196_0000_0000_7000_8000_0000_0000_0021;
    WAARDEBON: VoucherId = 0x0196_0000_0000_7000_8000_0000_0000_0030;
    BO: OrganisationId = 0x0196_0000_0000_7000_8000_0000_0000_0040;
    VZA: OrganisationId = 0x0196_0000_0000_7000_8000_0000_0000_0041;
    MFC: OrganisationId = 0x0196_0000_0000_7000_8000_0000_0000_0042;
    UNLICENSED: OrganisationId = 0x0196_0000_0000_7000_8000_0000_0000_0043;
    VOLUNTEERS: OrganisationId = 0x0196_0000_0000_7000_8000_0000_0000_0044;
    PARENT_INITIATIVE: OrganisationId = 0x0196_0000_0000_7000_8000_0000_0000_0045;
    AGREEMENT: AgreementId = 0x0196_0000_0000_7000_8000_0000_0000_0050;
    AGREEMENT_2: AgreementId = 0x0196_0000_0000_7000_8000_0000_0000_0051;
    COMBINATION: CombinationId = 0x0196_0000_0000_7000_8000_0000_0000_0060;
    REPORT: ReportId = 0x0196_0000_0000_7000_8000_0000_0000_0070;
    STAFF_USER: UserId = 0x0196_0000_0000_7000_8000_0000_0000_0080;
    OTHER_USER: UserId = 0x0196_0000_0000_7000_8000_0000_0000_0081;
    CLAIM: ClaimId = 0x0196_0000_0000_7000_8000_0000_0000_0090;
    CLAIM_2: ClaimId = 0x0196_0000_0000_7000_8000_0000_0000_0091;
    PAYMENT: PaymentId = 0x0196_0000_0000_7000_8000_0000_0000_00a0;
    PAYMENT_2: PaymentId = 0x0196_0000_0000_7000_8000_0000_0000_00a1;
    RECOVERY: RecoveryId = 0x0196_0000_0000_7000_8000_0000_0000_00b0;
    RECOVERY_2: RecoveryId = 0x0196_0000_0000_7000_8000_0000_0000_00b1;
    CONTROL: ControlId = 0x0196_0000_0000_7000_8000_0000_0000_00c0;
    SAMPLE: SampleId = 0x0196_0000_0000_7000_8000_0000_0000_00d0;
}

pub fn staff() -> Actor {
    Actor::Staff { user: STAFF_USER }
}

pub fn admin() -> Actor {
    Actor::Admin { user: STAFF_USER }
}

pub fn holder(person: PersonId) -> Actor {
    Actor::Holder { person }
}

pub fn organisation(organisation: OrganisationId) -> Actor {
    Actor::Organisation { organisation }
}

/// A valid INSZ for someone born on `birth` (serial 001), with the 2000+ check-digit rule.
pub fn insz_born(birth: NaiveDate) -> Insz {
    domain::examples::insz(birth, 1)
}

/// The seed rule book, and three licensed organisations (a BO, a VZA, an MFC) from 2015.
pub fn world() -> Scenario {
    given(seed_rule_book())
        .by(admin())
        .today(d(2026, 1, 1))
        .after(license(
            BO,
            OrganisationKind::AssistanceOrganisation,
            d(2016, 1, 1),
        ))
        .after(license(
            VZA,
            OrganisationKind::LicensedProvider,
            d(2015, 1, 1),
        ))
        .after(license(
            MFC,
            OrganisationKind::MultifunctionalCentre,
            d(2015, 1, 1),
        ))
        .by(staff())
}

pub fn license(
    organisation: OrganisationId,
    kind: OrganisationKind,
    from: NaiveDate,
) -> RegistryCommand {
    RegistryCommand::License {
        organisation,
        kind,
        name: format!("organisation {organisation}"),
        licensed_from: from,
    }
}

pub fn register_person(birth: NaiveDate) -> DossierCommand {
    DossierCommand::RegisterPerson(RegisterPerson {
        dossier: DOSSIER,
        person: CHILD,
        insz: insz_born(birth),
        birth_date: None,
    })
}

pub fn assign(
    representative: PersonId,
    role: RepresentativeRole,
    from: NaiveDate,
) -> DossierCommand {
    DossierCommand::AssignLegalRepresentative(AssignLegalRepresentative {
        representative,
        role,
        valid_from: from,
        evidence_ref: "birth certificate".into(),
    })
}

pub fn designate(holder: PersonId, from: NaiveDate) -> DossierCommand {
    DossierCommand::DesignateBudgetHolder(DesignateBudgetHolder { holder, from })
}

pub fn iban() -> Iban {
    Iban::parse("BE68 5390 0754 7034").unwrap()
}

pub fn account(
    account_holder: PersonId,
    relation: AccountHolderRelation,
    on: NaiveDate,
) -> DossierCommand {
    DossierCommand::RegisterBudgetAccount(RegisterBudgetAccount {
        iban: iban(),
        account_holder,
        relation,
        dedicated: true,
        registered_on: on,
    })
}

/// A child born on `birth`, registered, with the mother as parent and budgethouder from birth,
/// and the budget account in her name.
pub fn child_with_mother(birth: NaiveDate) -> Scenario {
    world()
        .after(register_person(birth))
        .after(assign(MOTHER, RepresentativeRole::Parent, birth))
        .after(designate(MOTHER, birth))
        .after(account(MOTHER, AccountHolderRelation::BudgetHolder, birth))
}

pub fn apply_pab(submitted_on: NaiveDate) -> DossierCommand {
    DossierCommand::SubmitPabApplication(SubmitPabApplication {
        budget: PAB,
        submitted_on,
        urgent: None,
    })
}

pub fn grant_pab(granted_on: NaiveDate) -> DossierCommand {
    DossierCommand::GrantPab(GrantPab {
        budget: PAB,
        granted_on,
        annual_amount: euro("30000.00"),
        voucher: WAARDEBON,
    })
}

pub fn deregistration(received_on: NaiveDate) -> DossierCommand {
    DossierCommand::RecordHomeGuidanceDeregistration(RecordHomeGuidanceDeregistration {
        attest_ref: "attest uitschrijving thuisbegeleiding".into(),
        received_on,
    })
}

pub fn start(budget: BudgetId, on: NaiveDate) -> DossierCommand {
    DossierCommand::StartBudget(StartBudget {
        budget,
        start_date: on,
    })
}

/// A child born 2010-06-15 whose PAB was applied for on 2019-11-01, granted 2020-01-15 and
/// started 2020-02-01.
pub const CHILD_BIRTH: (i32, u32, u32) = (2010, 6, 15);

pub fn child_birth() -> NaiveDate {
    d(CHILD_BIRTH.0, CHILD_BIRTH.1, CHILD_BIRTH.2)
}

pub fn child_with_started_pab() -> Scenario {
    child_with_mother(child_birth())
        .after(apply_pab(d(2019, 11, 1)))
        .after(grant_pab(d(2020, 1, 15)))
        .after(deregistration(d(2020, 1, 20)))
        .after(start(PAB, d(2020, 2, 1)))
}

/// An adult born 1990-03-10 holding their own PVB, made available 2019-06-01 and started
/// 2019-07-01, with the account in their name.
pub fn adult_with_started_pvb() -> Scenario {
    let birth = d(1990, 3, 10);
    world()
        .after(register_person(birth))
        .after(designate(CHILD, d(2019, 1, 1)))
        .after(account(
            CHILD,
            AccountHolderRelation::BudgetHolder,
            d(2019, 1, 1),
        ))
        .after(make_pvb_available(d(2019, 6, 1)))
        .after(start(PVB, d(2019, 7, 1)))
}

pub fn make_pvb_available(letter_date: NaiveDate) -> DossierCommand {
    DossierCommand::MakePvbAvailable(MakePvbAvailable {
        budget: PVB,
        letter_date,
        annual_amount: euro("41000.00"),
        route: PvbRoute::PriorityGroup,
    })
}

/// The INSZ of "An Assistent", the assistant of `cash_agreement`.
pub fn assistant_insz() -> Insz {
    insz_born(d(1985, 7, 30))
}

/// A cash agreement on `budget` with an individual assistant, signed on its start and stating
/// everything a PAB agreement must state; adjust fields with struct update.
pub fn cash_agreement(budget: BudgetId, start: NaiveDate) -> RegisterAgreement {
    domain::examples::cash_agreement(AGREEMENT, budget, start, assistant_insz())
}

pub fn register_agreement(command: RegisterAgreement) -> DossierCommand {
    DossierCommand::RegisterAgreement(command)
}

pub fn dossier_event(event: impl Into<DossierEvent>) -> Event {
    Event::Dossier(event.into())
}

/// The applied version of a parameter as the seed numbers it.
pub fn applied(
    parameter: domain::rule_book::Parameter,
    version: u32,
) -> domain::rule_book::AppliedParameter {
    domain::rule_book::AppliedParameter { parameter, version }
}

// ---------------------------------------------------------------------------------------------
// Money (part 2)

/// A direct cost line under `AGREEMENT`, invoice `F-{n}` of "An Assistent".
pub fn cost_line(n: u32, amount: &str, from: NaiveDate, to: NaiveDate) -> CostLine {
    domain::examples::care_line(n, AGREEMENT, from, to, euro(amount))
}

/// A COVID-19 line under `AGREEMENT_2` (the COVID-19 agreement of the fixtures).
pub fn covid_line(n: u32, amount: &str, from: NaiveDate, to: NaiveDate) -> CostLine {
    CostLine {
        agreement: Some(AGREEMENT_2),
        category: CostCategory::Covid,
        ..cost_line(n, amount, from, to)
    }
}

pub fn claim(
    id: ClaimId,
    budget: BudgetId,
    year: i32,
    submitted_on: NaiveDate,
    lines: Vec<CostLine>,
) -> DossierCommand {
    DossierCommand::SubmitCostClaim(SubmitCostClaim {
        claim: id,
        budget,
        budget_year: year,
        submitted_on,
        channel: ClaimChannel::Mijnvaph,
        late_exception: None,
        lines,
    })
}

pub fn approve(agreement: AgreementId) -> DossierCommand {
    DossierCommand::ApproveAgreement(ApproveAgreement { agreement })
}

pub fn annual(budget: BudgetId, year: i32, amount: &str) -> DossierCommand {
    DossierCommand::SetAnnualAmount(SetAnnualAmount {
        budget,
        year,
        amount: euro(amount),
        reason: "indexering".into(),
    })
}

/// The PAB of `child_with_started_pab` (30 000 in 2020, 2021 and 2022), with an approved cash
/// agreement with an individual assistant from 2020-02-01 (approved 2020-02-10).
pub fn pab_with_agreement() -> Scenario {
    child_with_started_pab()
        .after(annual(PAB, 2021, "30000.00"))
        .after(annual(PAB, 2022, "30000.00"))
        .by(holder(MOTHER))
        .after(register_agreement(cash_agreement(PAB, d(2020, 2, 1))))
        .by(staff())
        .today(d(2020, 2, 10))
        .after(approve(AGREEMENT))
        .today(d(2026, 1, 1))
}

/// `pab_with_agreement` plus an approved COVID-19 agreement (`AGREEMENT_2`) for
/// 2020-03-14..2020-12-31, approved 2020-04-01.
pub fn pab_with_covid_agreement() -> Scenario {
    pab_with_agreement()
        .by(holder(MOTHER))
        .after(register_agreement(RegisterAgreement {
            agreement: AGREEMENT_2,
            start: d(2020, 3, 14),
            end: Some(d(2020, 12, 31)),
            task_description: "extra assistentie thuis COVID-19".into(),
            covid: Some(CovidBasis::New),
            ..cash_agreement(PAB, d(2020, 3, 14))
        }))
        .by(staff())
        .today(d(2020, 4, 1))
        .after(approve(AGREEMENT_2))
        .today(d(2026, 1, 1))
}

/// The code of each line decision in `events`: `ACCEPTED`, a rejection code, or `HELD:code`.
pub fn line_outcomes(events: &[Event]) -> Vec<(u32, String)> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Dossier(DossierEvent::CostLineAccepted(e)) => Some((e.line, "ACCEPTED".into())),
            Event::Dossier(DossierEvent::CostLineRejected(e)) => {
                Some((e.line, e.reason.code().into()))
            }
            Event::Dossier(DossierEvent::CostLineHeld(e)) => {
                Some((e.line, format!("HELD:{}", e.reason.code())))
            }
            _ => None,
        })
        .collect()
}

/// Submits the claim and returns the outcome of each line.
#[track_caller]
pub fn outcomes(scenario: Scenario, command: DossierCommand) -> Vec<(u32, String)> {
    let (events, _) = scenario.when(command).then_accepted();
    line_outcomes(&events)
}

pub fn outcome_codes(scenario: Scenario, command: DossierCommand) -> Vec<String> {
    outcomes(scenario, command)
        .into_iter()
        .map(|(_, code)| code)
        .collect()
}

/// The budget line of the scenario's dossier.
pub fn line_of(scenario: &Scenario, budget: BudgetId, year: i32) -> domain::dossier::BudgetLine {
    domain::dossier::budget_line(
        &scenario.world.dossier,
        budget,
        year,
        &scenario.world.rule_book,
        d(2026, 1, 1),
    )
    .expect("a budget line")
}

/// Decides a command as the service does ([`Decider::decide_checked`]: the rules, then the
/// reason the table of command reasons requires, then four-eyes), against an empty rule book
/// and registry; a weighty one as the confirmation of a colleague's proposal.
pub fn decide_as<D: Decider>(
    command: &D::Command,
    state: &D::State,
    actor: Actor,
) -> Result<Vec<D::Event>, Rejection> {
    let confirmation = domain::four_eyes::Confirmation {
        proposal: ProposalId::default(),
        proposed_by: domain::testing::colleague_of(actor),
        proposed_on: examples::date(2026, 1, 1),
    };
    decide_confirmed::<D>(command, state, actor, Some(confirmation))
}

/// [`decide_as`], given directly (`None`) or as the confirmation `confirmation`.
pub fn decide_confirmed<D: Decider>(
    command: &D::Command,
    state: &D::State,
    actor: Actor,
    confirmation: Option<domain::four_eyes::Confirmation>,
) -> Result<Vec<D::Event>, Rejection> {
    let (rule_book, registry) = (RuleBook::default(), domain::registry::Registry::default());
    let ctx = Context::new(examples::date(2026, 1, 1), actor, &rule_book, &registry)
        .confirmed(confirmation);
    D::decide_checked(command, state, &ctx)
}
