//! Facts of a dossier stream: past-tense, stable type names, schema version 1.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::commands::UrgentProcedure;
use crate::Actor;
use crate::rule_book::AppliedParameter;
use crate::values::{
    AgreementId, BudgetId, CombinationId, DossierId, Euro, Iban, Insz, OrganisationId, PersonId,
    ReportId, VoucherId,
};

// ---------------------------------------------------------------------------------------------
// Shared vocabulary

/// The relation of a representative to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum RepresentativeRole {
    /// Ouder: legal representative of a minor (S003-22).
    Parent,
    /// Adoptieouder: same rights as a parent (S003-23).
    AdoptiveParent,
    /// Voogd: guardian of a minor.
    Guardian,
    /// Plusouder (step-parent): never a legal representative (S003-24).
    PlusParent,
    /// Grandparent, aunt, ...: never a legal representative (S003-25).
    OtherRelative,
    /// Bewindvoerder appointed by the vrederechter, over person, goods or both (adults only,
    /// S003-26).
    CourtAdministrator { scope: AdministrationScope },
    /// Zorgvolmacht: out-of-court care mandate of an adult (E-05).
    CareMandate,
}

impl RepresentativeRole {
    /// The roles that represent a minor and end at majority.
    pub fn represents_minor(self) -> bool {
        matches!(self, Self::Parent | Self::AdoptiveParent | Self::Guardian)
    }
}

/// Scope of a bewindvoering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdministrationScope {
    Person,
    Goods,
    PersonAndGoods,
}

/// In whose name the budget account is (A-03, S003-27).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "relation", rename_all = "snake_case")]
pub enum AccountHolderRelation {
    /// The budgethouder.
    BudgetHolder,
    /// A current legal representative.
    LegalRepresentative,
    /// A person appointed by notarial deed.
    NotarialAppointee { deed_ref: String },
    /// The minor with a disability.
    ThePerson,
}

/// The budgets of the regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BudgetKind {
    /// Persoonlijke-assistentiebudget.
    Pab,
    /// Persoonsvolgend budget.
    Pvb,
}

/// Why a PVB was made available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PvbRoute {
    PriorityGroup,
    Emergency,
    NaJeugdhulp,
    Terugvalbasis,
}

/// The only reasons a budget is stopped by a stop decision (S003-07); conversion, the switch to
/// the zorgbudget and a lapse have their own events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    Voluntary,
    Death,
    Fraud,
}

/// Cash (kostenstaat) or voucher (VAPH pays the provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentForm {
    Cash,
    Voucher,
}

/// Agreement types of P-08, A-05 and B-04, plus the forms of care the PAB may not buy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// Individuele begeleider / persoonlijke assistent in loonverband.
    IndividualAssistant,
    /// Gezinslid of familielid tot de 2de graad (takenovereenkomst).
    FamilyMember,
    /// Jobstudent.
    Student,
    /// Interimkantoor.
    Interim,
    /// Dienstenchequebedrijf.
    ServiceVouchers,
    /// Wijk-werkenorganisator.
    WijkWerken,
    /// Vervoer, also alternative transport solutions (S004-04 d).
    Transport,
    /// Erkende vrijwilligersorganisatie.
    VolunteerOrganisation,
    /// Natuurlijke of rechtspersoon, e.g. a self-employed person.
    NaturalOrLegalPerson,
    /// Erkende dienst thuiszorg / gezinszorg.
    HomeCareService,
    /// Individuele dienstverleningsovereenkomst with a VZA.
    Ido,
    /// Lidgeld of a bijstandsorganisatie.
    BoMembershipFee,
    /// Startpakket of a bijstandsorganisatie.
    BoStartPackage,
    /// Intensieve bijstand by a bijstandsorganisatie.
    BoIntensiveAssistance,
    /// Kortverblijf.
    ShortStay,
    /// Dagopvang bought from a facility.
    DayCare,
    /// Mobiele of ambulante begeleiding, incl. thuisbegeleiding.
    MobileOrAmbulantGuidance,
    /// Tijdelijk onderwijs aan huis.
    TemporaryHomeEducation,
    /// Internaat of the Gemeenschapsonderwijs.
    GoBoardingSchool,
}

/// The other party of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provider {
    /// An organisation known to the registry (licensed or not).
    Organisation { organisation: OrganisationId },
    /// Anyone else: a natural person, a company.
    Other { name: String },
}

impl Provider {
    pub fn organisation(&self) -> Option<OrganisationId> {
        match self {
            Self::Organisation { organisation } => Some(*organisation),
            Self::Other { .. } => None,
        }
    }
}

/// How the care relates to persons (BVR besteden art. 7, 2°).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CareRelation {
    /// Een-op-eenrelatie with the person.
    OneToOne,
    /// Several persons with a disability of one family at one address (S004-03).
    FamilyAtOneAddress,
    /// Group support.
    Group,
}

/// What kind of COVID-19 agreement (S004-04, S004-18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum CovidBasis {
    /// A new agreement.
    New,
    /// An extension of a running IDO with the same VZA.
    IdoExtension { ido: AgreementId },
    /// The extra hours of an existing agreement, registered as a new agreement.
    ExtraHours { of: AgreementId },
}

/// A natural person who works under the agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Worker {
    /// Birth date (from the command, or derived from the INSZ).
    pub birth_date: NaiveDate,
    /// Relative up to the 2nd degree or household member.
    pub family_within_second_degree: bool,
}

/// Forms of care reported on a combinatieformulier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum CombinedCare {
    /// Dagopvang in an MFC, in dagdelen (half-days) per month.
    MfcDayCare {
        day_care: DayCareType,
        half_days_per_month: u32,
    },
    /// Internaat GO: combinable, never paid from the PAB (S003-17).
    GoBoardingSchool,
    /// Tijdelijk onderwijs aan huis: combinable, no reduction, never paid from the PAB (S003-18).
    TemporaryHomeEducation,
    /// Mobile or ambulant guidance, incl. thuisbegeleiding: not combinable (S003-08).
    MobileOrAmbulantGuidance,
    /// Residential stay in an MFC: not combinable.
    MfcResidential,
}

/// Type of MFC day care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayCareType {
    /// Schoolaanvullende dagopvang.
    SchoolSupplementary,
    /// Schoolvervangende dagopvang.
    SchoolReplacing,
    /// Any other day care.
    Other,
}

/// The kinds of bijstand (S000-05..14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssistanceThreshold {
    /// Laagdrempelige individuele bijstand: never charged (S000-08).
    LowThreshold,
    /// Hoogdrempelige individuele bijstand: may be charged (S000-10).
    HighThreshold,
    /// The collective task: never charged (S000-12, S000-14).
    CollectiveTask,
}

/// What an organisation reports (S000-13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Suspicion {
    /// Oneigenlijk gebruik.
    Misuse,
    Fraud,
}

// ---------------------------------------------------------------------------------------------
// Person, representatives, holder, account

/// The dossier of a person with a disability was opened. Also appended by the application layer
/// to the person's INSZ-keyed stream, so a second registration meets a version conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonRegistered {
    pub dossier: DossierId,
    pub person: PersonId,
    /// Rijksregisternummer / INSZ (never logged).
    pub insz: Insz,
    /// Birth date (from the command, or derived from the INSZ).
    pub birth_date: NaiveDate,
    /// True when the birth date was derived from the INSZ.
    pub birth_date_from_insz: bool,
}

/// A wrong birth date was corrected (compensating event; the original stays in the stream).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BirthDateCorrected {
    /// The birth date as recorded before.
    pub previous: NaiveDate,
    /// The correct birth date.
    pub corrected: NaiveDate,
    /// Why, e.g. the evidence that showed the error.
    pub reason: String,
}

/// The person died.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonDeceased {
    /// The date of death on the overlijdensakte.
    pub date_of_death: NaiveDate,
    /// Reference of the overlijdensakte.
    pub certificate_ref: String,
}

/// A legal representative (wettelijk vertegenwoordiger) was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LegalRepresentativeAssigned {
    pub representative: PersonId,
    pub role: RepresentativeRole,
    /// First day of the representation.
    pub valid_from: NaiveDate,
    /// Reference of the evidence (birth certificate, court order, ...).
    pub evidence_ref: String,
}

/// A representation ended (at majority or by decision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LegalRepresentativeEnded {
    pub representative: PersonId,
    /// The role that ends (a parent may go on as bewindvoerder).
    pub role: RepresentativeRole,
    /// First day the person no longer represents.
    pub ended_on: NaiveDate,
    /// Why: "majority", or the decision that ended it.
    pub reason: String,
}

/// The budgethouder was designated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetHolderDesignated {
    pub holder: PersonId,
    /// First day as budgethouder.
    pub from: NaiveDate,
}

/// The dedicated budget account was registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetAccountRegistered {
    pub iban: Iban,
    /// The person in whose name the account is.
    pub account_holder: PersonId,
    pub relation: AccountHolderRelation,
    /// Date the account was registered.
    pub registered_on: NaiveDate,
}

/// A wrong IBAN was corrected (compensating event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetAccountCorrected {
    pub previous: Iban,
    pub corrected: Iban,
    /// Why, e.g. the evidence that showed the error.
    pub reason: String,
}

/// The account's gevolmachtigde (proxy) changed; the account itself is kept (S003-27).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetAccountProxyChanged {
    pub account_holder: PersonId,
    pub relation: AccountHolderRelation,
    /// First day of the new proxy.
    pub changed_on: NaiveDate,
}

/// The person turned 18. Parents, adoptive parents and a guardian stop representing them
/// (separate [`LegalRepresentativeEnded`] events) and the budgethouder changes if needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonReachedMajority {
    /// The 18th birthday.
    pub reached_on: NaiveDate,
    /// True when the account is in the name of someone who no longer represents the person:
    /// the proxy must change (S003-27).
    pub account_proxy_must_change: bool,
}

// ---------------------------------------------------------------------------------------------
// Budgets

/// A PAB application was submitted (via the Intersectorale Toegangspoort).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PabApplicationSubmitted {
    pub budget: BudgetId,
    /// Date the application was submitted.
    pub submitted_on: NaiveDate,
    /// Age in years on the submission date.
    pub age_on_submission: u32,
    /// Spoedprocedure with the specialist's attest, if urgent.
    pub urgent: Option<UrgentProcedure>,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// A PAB was granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PabGranted {
    pub budget: BudgetId,
    /// Date of the grant letter.
    pub granted_on: NaiveDate,
    pub annual_amount: Euro,
    /// Last day on which the PAB can start.
    pub start_deadline: NaiveDate,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// A waardebon "verkennend gesprek met een bijstandsorganisatie" was issued (S003-28).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BoValueVoucherIssued {
    pub voucher: VoucherId,
    pub budget: BudgetId,
    /// Date of issue: the grant date.
    pub issued_on: NaiveDate,
    /// Last day it can be used.
    pub valid_until: NaiveDate,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// The waardebon was used for an exploratory talk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BoValueVoucherRedeemed {
    pub voucher: VoucherId,
    pub organisation: OrganisationId,
    /// Date of the exploratory talk.
    pub redeemed_on: NaiveDate,
}

/// The waardebon expired unused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BoValueVoucherExpired {
    pub voucher: VoucherId,
    /// First day it was no longer valid.
    pub expired_on: NaiveDate,
}

/// A PVB was made available (terbeschikkingstelling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PvbMadeAvailable {
    pub budget: BudgetId,
    /// Date of the terbeschikkingstellingsbrief.
    pub letter_date: NaiveDate,
    pub annual_amount: Euro,
    pub route: PvbRoute,
    /// Last day on which the PVB can start (P-03).
    pub start_deadline: NaiveDate,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// The amount of a budget year was set (first year, indexation, correction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AnnualBudgetAmountSet {
    pub budget: BudgetId,
    /// The budget year (a calendar year).
    pub year: i32,
    pub amount: Euro,
    /// Why: first year, indexation on 1 January, correction.
    pub reason: String,
}

/// The attest of de-registration from thuisbegeleiding reached VAPH (S003-09).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HomeGuidanceDeregistrationAttested {
    /// Reference of the attest of de-registration from thuisbegeleiding.
    pub attest_ref: String,
    /// Date the attest reached VAPH.
    pub received_on: NaiveDate,
}

/// The budget started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetStarted {
    pub budget: BudgetId,
    /// First day of spending.
    pub start_date: NaiveDate,
}

/// The budget lapsed: its start deadline passed without a start (A-02, P-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetAvailabilityLapsed {
    pub budget: BudgetId,
    /// Last day on which the budget could have started.
    pub start_deadline: NaiveDate,
    /// The day after the deadline.
    pub lapsed_on: NaiveDate,
}

/// The budget was stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetStopped {
    pub budget: BudgetId,
    pub reason: StopReason,
    /// Last day of the budget.
    pub stop_date: NaiveDate,
    /// Who signed the stop letter (voluntary stop).
    pub signed_by: Option<PersonId>,
}

/// The PAB became a PVB na jeugdhulp (E-04): the PAB ends, the PVB starts the same day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PabConvertedToPvbNaJeugdhulp {
    pub pab: BudgetId,
    pub pvb: BudgetId,
    /// Last day of the PAB and first day of the PVB.
    pub converted_on: NaiveDate,
    /// Date the ondersteuningsplan was submitted.
    pub plan_submitted_on: NaiveDate,
    /// Reference of the definitive toewijzing (allocation decision).
    pub toewijzing_ref: String,
    pub annual_amount: Euro,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// The holder switched voluntarily to the zorgbudget (BOB) and RTH; the budget ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VoluntarySwitchToZorgbudgetRecorded {
    pub budget: BudgetId,
    /// The day the switch takes effect.
    pub switch_date: NaiveDate,
    /// A PAB holder loses zorgcontinuïteit to a PVB (S003-12).
    pub zorgcontinuity_lost: bool,
    /// PVB only: last day to invoke the terugvalbasis (E-07).
    pub terugvalbasis_until: Option<NaiveDate>,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

// ---------------------------------------------------------------------------------------------
// Agreements

/// An agreement was registered; it waits for approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgreementRegistered {
    pub agreement: AgreementId,
    pub budget: BudgetId,
    pub payment: PaymentForm,
    pub kind: AgreementKind,
    pub provider: Provider,
    /// First day of the agreement.
    pub start: NaiveDate,
    /// Last day; open-ended when absent.
    pub end: Option<NaiveDate>,
    /// Taakomschrijving.
    pub task_description: String,
    /// Hours per week, if agreed.
    pub weekly_hours: Option<Decimal>,
    pub care_relation: CareRelation,
    /// Present for a COVID-19 agreement.
    pub covid: Option<CovidBasis>,
    /// The worker, when a natural person works under the agreement.
    pub worker: Option<Worker>,
    /// Who registered it (the holder may not register a voucher agreement, P-09).
    pub registered_by: Actor,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// VAPH approved the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgreementApproved {
    pub agreement: AgreementId,
    /// Date of approval.
    pub approved_on: NaiveDate,
}

/// VAPH rejected the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgreementRejected {
    pub agreement: AgreementId,
    /// Why VAPH rejected it.
    pub reason: String,
}

/// An addendum changed the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgreementAmended {
    pub agreement: AgreementId,
    /// First day the addendum applies.
    pub effective_from: NaiveDate,
    /// The new taakomschrijving, if it changes.
    pub task_description: Option<String>,
    /// The new hours per week, if they change.
    pub weekly_hours: Option<Decimal>,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// Notice (opzeg) was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgreementNoticeGiven {
    pub agreement: AgreementId,
    /// Date notice (opzeg) was given.
    pub notice_date: NaiveDate,
    /// Last day of the agreement.
    pub end_date: NaiveDate,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// The agreement ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgreementTerminated {
    pub agreement: AgreementId,
    /// Last day of the agreement.
    pub end_date: NaiveDate,
    /// Why it ended.
    pub reason: String,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

// ---------------------------------------------------------------------------------------------
// Combinations

/// A combination of the PAB with other care started (combinatieformulier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PabCombinationStarted {
    pub combination: CombinationId,
    pub budget: BudgetId,
    pub provider: OrganisationId,
    pub care: CombinedCare,
    /// First day of the first full calendar month.
    pub effective_from: NaiveDate,
    /// Reduction of the PAB per month: dagdelen × rate, rounded to the cent.
    pub monthly_reduction: Euro,
    /// The rate per dagdeel applied, if any.
    pub rate_per_half_day: Option<Euro>,
    /// Why, as stated on the form (e.g. "corona"), if given.
    pub reason: Option<String>,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// A running combination changed from a month on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PabCombinationChanged {
    pub combination: CombinationId,
    pub care: CombinedCare,
    /// First day of the first full calendar month of the change.
    pub effective_from: NaiveDate,
    pub monthly_reduction: Euro,
    /// The reduction rate per dagdeel applied, for MFC day care.
    pub rate_per_half_day: Option<Euro>,
    /// Why, as stated on the form (e.g. "corona"), if given.
    pub reason: Option<String>,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// A combination ended; from `effective_from` the PAB is no longer reduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PabCombinationEnded {
    pub combination: CombinationId,
    /// First day of the first month without the combination.
    pub effective_from: NaiveDate,
    /// Why, as stated on the form, if given.
    pub reason: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Bijstandsorganisaties

/// The person became a member of a bijstandsorganisatie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BoMembershipRecorded {
    pub organisation: OrganisationId,
    /// First day of the membership.
    pub joined_on: NaiveDate,
}

/// A bijstandsorganisatie gave assistance, with the fee it charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BoAssistanceRecorded {
    pub organisation: OrganisationId,
    pub threshold: AssistanceThreshold,
    /// What the assistance was.
    pub description: String,
    pub fee: Euro,
    /// Date the assistance was given.
    pub provided_on: NaiveDate,
}

/// An organisation reported suspected misuse or fraud (S000-13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SuspectedMisuseReported {
    pub report: ReportId,
    pub organisation: OrganisationId,
    pub suspicion: Suspicion,
    /// What the organisation observed.
    pub narrative: String,
    /// Date of the report.
    pub reported_on: NaiveDate,
}

crate::event::event_enum! {
    /// Events of a dossier stream.
    DossierEvent {
        PersonRegistered = 1,
        BirthDateCorrected = 1,
        PersonDeceased = 1,
        LegalRepresentativeAssigned = 1,
        LegalRepresentativeEnded = 1,
        BudgetHolderDesignated = 1,
        BudgetAccountRegistered = 1,
        BudgetAccountCorrected = 1,
        BudgetAccountProxyChanged = 1,
        PersonReachedMajority = 1,
        PabApplicationSubmitted = 1,
        PabGranted = 1,
        BoValueVoucherIssued = 1,
        BoValueVoucherRedeemed = 1,
        BoValueVoucherExpired = 1,
        PvbMadeAvailable = 1,
        AnnualBudgetAmountSet = 1,
        HomeGuidanceDeregistrationAttested = 1,
        BudgetStarted = 1,
        BudgetAvailabilityLapsed = 1,
        BudgetStopped = 1,
        PabConvertedToPvbNaJeugdhulp = 1,
        VoluntarySwitchToZorgbudgetRecorded = 1,
        AgreementRegistered = 1,
        AgreementApproved = 1,
        AgreementRejected = 1,
        AgreementAmended = 1,
        AgreementNoticeGiven = 1,
        AgreementTerminated = 1,
        PabCombinationStarted = 1,
        PabCombinationChanged = 1,
        PabCombinationEnded = 1,
        BoMembershipRecorded = 1,
        BoAssistanceRecorded = 1,
        SuspectedMisuseReported = 1,
    }
}
