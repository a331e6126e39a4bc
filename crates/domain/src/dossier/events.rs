//! Facts of a dossier stream: past-tense, stable type names, schema version 1.
//!
//! One file although long: it is the schema of the compatibility boundary (every payload a
//! dossier stream stores, documented field by field, and the `event_enum!` registration at the
//! end), read as one contract; `docs/events.md` is generated from it. A field added with a
//! default (`#[serde(default)]`, "absent in events stored before this field") keeps the event's
//! version; any other change to a payload is a new version with an upcaster
//! (`crate::event::UPCASTERS`).

use crate::coded::coded_enum;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::commands::UrgentProcedure;
use crate::Actor;
use crate::rule_book::AppliedParameter;
use crate::values::{
    AgreementId, BudgetId, ClaimId, CombinationId, ControlId, DossierId, EnterpriseNumber, Euro,
    Iban, Insz, OrganisationId, PaymentId, PersonId, RecoveryId, ReportId, SampleId, UserId,
    VoucherId,
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

coded_enum! {
    /// The only reasons a budget is stopped by a stop decision (S003-07); conversion, the switch to
    /// the zorgbudget and a lapse have their own events.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    pub enum StopReason {
        Voluntary = "voluntary",
        Death = "death",
        Fraud = "fraud",
    }
}

coded_enum! {
    /// Cash (kostenstaat) or voucher (VAPH pays the provider).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    pub enum PaymentForm {
        Cash = "cash",
        Voucher = "voucher",
    }
}

coded_enum! {
    /// Agreement types of P-08, A-05 and B-04, plus the forms of care the PAB may not buy.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    pub enum AgreementKind {
        /// Individuele begeleider / persoonlijke assistent in loonverband.
        IndividualAssistant = "individual_assistant",
        /// Gezinslid of familielid tot de 2de graad (takenovereenkomst).
        FamilyMember = "family_member",
        /// Jobstudent.
        Student = "student",
        /// Interimkantoor.
        Interim = "interim",
        /// Dienstenchequebedrijf.
        ServiceVouchers = "service_vouchers",
        /// Wijk-werkenorganisator.
        WijkWerken = "wijk_werken",
        /// Vervoer, also alternative transport solutions (S004-04 d).
        Transport = "transport",
        /// Erkende vrijwilligersorganisatie.
        VolunteerOrganisation = "volunteer_organisation",
        /// Natuurlijke of rechtspersoon, e.g. a self-employed person.
        NaturalOrLegalPerson = "natural_or_legal_person",
        /// Erkende dienst thuiszorg / gezinszorg.
        HomeCareService = "home_care_service",
        /// Individuele dienstverleningsovereenkomst with a VZA.
        Ido = "ido",
        /// Lidgeld of a bijstandsorganisatie.
        AssistanceOrganisationMembershipFee = "bo_membership_fee",
        /// Startpakket of a bijstandsorganisatie.
        AssistanceOrganisationStartPackage = "bo_start_package",
        /// Intensieve bijstand by a bijstandsorganisatie.
        AssistanceOrganisationIntensiveAssistance = "bo_intensive_assistance",
        /// Kortverblijf.
        ShortStay = "short_stay",
        /// Dagopvang bought from a facility.
        DayCare = "day_care",
        /// Mobiele of ambulante begeleiding, incl. thuisbegeleiding.
        MobileOrAmbulantGuidance = "mobile_or_ambulant_guidance",
        /// Tijdelijk onderwijs aan huis.
        TemporaryHomeEducation = "temporary_home_education",
        /// Internaat of the Gemeenschapsonderwijs.
        GoBoardingSchool = "go_boarding_school",
        /// Collectieve ondersteuning (wonen, dagbesteding) door een ouderinitiatief (V-02).
        ParentInitiative = "parent_initiative",
    }
}

impl AgreementKind {
    /// The agreement type as staff name it.
    pub fn label_nl(self) -> &'static str {
        use AgreementKind as K;
        match self {
            K::IndividualAssistant => "persoonlijke assistent",
            K::FamilyMember => "takenovereenkomst met een familielid",
            K::Student => "jobstudent",
            K::Interim => "interimkantoor",
            K::ServiceVouchers => "dienstenchequebedrijf",
            K::WijkWerken => "wijk-werken",
            K::Transport => "vervoer",
            K::VolunteerOrganisation => "vrijwilligersorganisatie",
            K::NaturalOrLegalPerson => "natuurlijke of rechtspersoon",
            K::HomeCareService => "dienst thuiszorg",
            K::Ido => "IDO",
            K::AssistanceOrganisationMembershipFee => "lidgeld bijstandsorganisatie",
            K::AssistanceOrganisationStartPackage => "startpakket bijstandsorganisatie",
            K::AssistanceOrganisationIntensiveAssistance => "intensieve bijstand",
            K::ShortStay => "kortverblijf",
            K::DayCare => "dagopvang",
            K::MobileOrAmbulantGuidance => "mobiele of ambulante begeleiding",
            K::TemporaryHomeEducation => "tijdelijk onderwijs aan huis",
            K::GoBoardingSchool => "internaat GO!",
            K::ParentInitiative => "ouderinitiatief",
        }
    }
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
    /// A key that identifies the provider for duplicate invoices: the organisation id, or the
    /// name without case and surrounding spaces.
    pub fn key(&self) -> String {
        match self {
            Self::Organisation { organisation } => organisation.to_string(),
            Self::Other { name } => name.trim().to_lowercase(),
        }
    }

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
    /// A job student who completed the first two years of secondary school: the minimum age is
    /// `student.minimum_age_after_two_years_secondary` (15), not `student.minimum_age` (16)
    /// (F-02). Absent in events stored before this field: false.
    #[serde(default)]
    pub completed_two_years_secondary: bool,
}

/// How the agreement identifies the other party: the assistant's rijksregisternummer or
/// the company's ondernemingsnummer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PartyIdentification {
    /// Rijksregisternummer (INSZ) of a natural person.
    Insz { insz: Insz },
    /// Ondernemingsnummer (KBO) of a company.
    EnterpriseNumber { number: EnterpriseNumber },
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

/// The dossier of a person with a disability was opened (after the person's stream in the
/// person index was claimed for this dossier, so one INSZ is registered in one dossier only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonRegistered {
    pub dossier: DossierId,
    pub person: PersonId,
    /// Rijksregisternummer / INSZ (never logged). Sealed; absent once erased.
    #[serde(deserialize_with = "crate::personal_data::erasable")]
    pub insz: Option<Insz>,
    /// Birth date (from the command, or derived from the INSZ). Sealed; absent once erased.
    #[serde(deserialize_with = "crate::personal_data::erasable")]
    pub birth_date: Option<NaiveDate>,
    /// True when the birth date was derived from the INSZ.
    pub birth_date_from_insz: bool,
}

/// A wrong birth date was corrected (compensating event; the original stays in the stream).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BirthDateCorrected {
    /// The birth date as recorded before. Sealed; absent once erased.
    #[serde(deserialize_with = "crate::personal_data::erasable")]
    pub previous: Option<NaiveDate>,
    /// The correct birth date. Sealed; absent once erased.
    #[serde(deserialize_with = "crate::personal_data::erasable")]
    pub corrected: Option<NaiveDate>,
    /// Why, e.g. the evidence that showed the error.
    pub reason: String,
}

/// The person's name as on the identity document (the latest one recorded is the name). For
/// staff to find the dossier; no rule depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonNameRecorded {
    /// Family name (achternaam), trimmed.
    pub family_name: String,
    /// Given name or names (voornamen), trimmed.
    pub given_names: String,
}

/// The person died.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonDeceased {
    /// The date of death on the overlijdensakte.
    pub date_of_death: NaiveDate,
    /// Reference of the overlijdensakte.
    pub certificate_ref: String,
}

/// A mistyped INSZ was corrected; the person index now knows the person by the corrected one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InszCorrected {
    /// The INSZ as it was recorded. Sealed; absent once erased.
    #[serde(deserialize_with = "crate::personal_data::erasable")]
    pub previous_insz: Option<Insz>,
    /// The INSZ as it should have been. Sealed; absent once erased.
    #[serde(deserialize_with = "crate::personal_data::erasable")]
    pub corrected_insz: Option<Insz>,
    /// Why, e.g. the document it was checked against.
    pub reason: String,
}

/// The dossier's personal data was erased after its retention period (crypto-shredding): the
/// key it was sealed with is destroyed, so its INSZ, birth date, account, workers and free text
/// read "gewist" from now on, while its figures (budgets, claims, payments) stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DossierDataErased {
    /// The legal basis of the erasure.
    pub basis: crate::persons::ErasureBasis,
    /// The day it was erased.
    pub erased_on: NaiveDate,
    /// The day the dossier closed.
    pub closed_on: NaiveDate,
    /// The last day of the retention period.
    pub retention_until: NaiveDate,
    /// The retention parameter version applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// The dossier was opened by mistake and voided: nothing more is decided in it, its history
/// stays readable, and the person's INSZ is free for the right dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DossierVoided {
    /// The day it was voided.
    pub voided_on: NaiveDate,
    /// Why, as the staff member wrote it.
    pub reason: String,
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
    /// The account number. Sealed; absent once erased.
    #[serde(deserialize_with = "crate::personal_data::erasable")]
    pub iban: Option<Iban>,
    /// The person in whose name the account is.
    pub account_holder: PersonId,
    pub relation: AccountHolderRelation,
    /// Date the account was registered.
    pub registered_on: NaiveDate,
}

/// A wrong IBAN was corrected (compensating event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetAccountCorrected {
    /// The account number as recorded. Sealed; absent once erased.
    #[serde(deserialize_with = "crate::personal_data::erasable")]
    pub previous: Option<Iban>,
    /// The correct account number. Sealed; absent once erased.
    #[serde(deserialize_with = "crate::personal_data::erasable")]
    pub corrected: Option<Iban>,
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
pub struct ValueVoucherIssued {
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
pub struct ValueVoucherRedeemed {
    pub voucher: VoucherId,
    pub organisation: OrganisationId,
    /// Date of the exploratory talk.
    pub redeemed_on: NaiveDate,
}

/// The waardebon expired unused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValueVoucherExpired {
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
    /// The worker, when a natural person works under the agreement. Sealed; absent once erased.
    #[serde(default, deserialize_with = "crate::personal_data::erasable")]
    pub worker: Option<Worker>,
    /// Day both parties signed (required for an IDO). Absent in events stored before this field.
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
    /// An IDO signed after the start because of an emergency (noodsituatie). Absent in events
    /// stored before this field: false.
    #[serde(default)]
    pub emergency: bool,
    /// The other party's rijksregisternummer or ondernemingsnummer. Absent in events
    /// stored before this field. Sealed; absent once erased.
    #[serde(default, deserialize_with = "crate::personal_data::erasable")]
    pub party_identification: Option<PartyIdentification>,
    /// Duration and notice rules (duur en opzegregeling, A-05). Absent in events stored before
    /// this field.
    #[serde(default)]
    pub notice_terms: Option<String>,
    /// Cost per hour (uurloon or uurprijs, A-05). Absent in events stored before this field.
    #[serde(default)]
    pub hourly_cost: Option<Euro>,
    /// Payment terms (betalingsvoorwaarden, A-05). Absent in events stored before this field.
    #[serde(default)]
    pub payment_terms: Option<String>,
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

/// The agreement was entered by mistake (in the wrong dossier, or twice) and voided: it counts
/// for nothing from this day on. Why is in the event's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AgreementVoided {
    pub agreement: AgreementId,
    /// The day it was voided.
    pub voided_on: NaiveDate,
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
pub struct AssistanceOrganisationJoined {
    pub organisation: OrganisationId,
    /// First day of the membership.
    pub joined_on: NaiveDate,
}

/// A bijstandsorganisatie gave assistance, with the fee it charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssistanceRecorded {
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

// ---------------------------------------------------------------------------------------------
// Cost claims (kostenstaat)

/// How a kostenstaat reached VAPH.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimChannel {
    /// Online, via mijnvaph.
    Mijnvaph,
    /// The paper form "Kostenstaat".
    Paper,
    /// Submitted by a bijstandsorganisatie for the holder.
    AssistanceOrganisation,
}

coded_enum! {
    /// The cost categories of a kostenstaat line.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
    )]
    pub enum CostCategory {
        /// Direct costs of support under an agreement.
        Direct = "direct",
        /// Other or indirect costs (PAB: at most 5 % of the annual budget, S003-05).
        Other = "other",
        /// Vrij besteedbaar deel (free part).
        FreePart = "free_part",
        /// Verbrekingsvergoeding (severance) after death or stop (E-02/E-03).
        Severance = "severance",
        /// Closing costs after death or stop: phone, bank, copies, stamps, BO file closing (E-02).
        Closing = "closing",
        /// Costs of a COVID-19 agreement (S004-13).
        Covid = "covid",
    }
}

impl CostCategory {
    /// Severance and closing costs remain payable after death or stop.
    pub fn survives_budget_end(self) -> bool {
        matches!(self, Self::Severance | Self::Closing)
    }

    /// Counts towards the PAB's 5 % of other costs (S003-05, A-10, brief §6 F11).
    pub fn is_other_cost(self) -> bool {
        matches!(self, Self::Other | Self::FreePart)
    }

    /// Needs an agreement (other and closing costs do not).
    pub fn needs_agreement(self) -> bool {
        matches!(self, Self::Direct | Self::Severance | Self::Covid)
    }
}

coded_enum! {
    /// What a line pays for, where that decides eligibility.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    pub enum CostNature {
        /// Care and support.
        Care = "care",
        /// Woon- en leefkosten (housing, food, drink): never on a PVB (P-12).
        LivingCosts = "living_costs",
        /// Meerkosten (extra charges) of a provider beyond the IDO (S004-08).
        ExtraCharges = "extra_charges",
        /// Tijdelijk onderwijs aan huis (S003-18).
        TemporaryHomeEducation = "temporary_home_education",
        /// Internaat of the Gemeenschapsonderwijs (S003-17).
        GoBoardingSchool = "go_boarding_school",
    }
}

/// One line of a kostenstaat as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CostLine {
    /// Line number, unique within the claim.
    pub line: u32,
    /// The agreement the cost falls under (none for other or closing costs).
    pub agreement: Option<AgreementId>,
    /// Who invoiced.
    pub provider: Provider,
    /// The provider's invoice number.
    pub invoice_no: String,
    /// Date of the invoice.
    pub invoice_date: NaiveDate,
    /// First day of the service invoiced.
    pub service_from: NaiveDate,
    /// Last day of the service invoiced.
    pub service_to: NaiveDate,
    /// Amount; a credit note is negative.
    pub amount: Euro,
    pub category: CostCategory,
    pub nature: CostNature,
    /// Reference of the invoice or receipt kept as evidence (D-03).
    pub evidence_ref: String,
}

impl CostLine {
    pub fn is_credit_note(&self) -> bool {
        self.amount.is_negative()
    }
}

/// A line of a claim: claim id and line number.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct CostLineRef {
    pub claim: ClaimId,
    /// Line number within the claim.
    pub line: u32,
}

coded_enum! {
    /// The reasons VAPH accepts for a late claim (D-02); which ones count depends on the year.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    pub enum LateExceptionReason {
        /// Late invoice from the work-accident insurance settlement (2022 list a).
        WorkAccidentInsuranceInvoice = "work_accident_insurance_invoice",
        /// Holder in hospital or rehabilitation in March (2022 list b).
        HospitalOrRehabilitationInMarch = "hospital_or_rehabilitation_in_march",
        /// BO assistance late because of an inspection or ex-post control (2022 list c).
        AssistanceLateAfterInspection = "bo_assistance_late_after_inspection",
        /// Late costs from findings of Zorginspectie or an ex-post control (2022 list d).
        LateCostsFromInspectionFindings = "late_costs_from_inspection_findings",
        /// Contract dispute, with proof (2022 list e).
        ContractDispute = "contract_dispute",
        /// Settlement of a cash budget (2022 list f; 2023: switch to voucher or death).
        CashBudgetSettlement = "cash_budget_settlement",
        /// Full-time admission during the whole of March (2023 list a).
        FullTimeAdmissionWholeMarch = "full_time_admission_whole_march",
        /// Forgotten invoices, absent coaches, late own review: never accepted.
        Other = "other",
    }
}

/// A request to accept a late claim (D-02): the reason, the motivation and the proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LateException {
    pub reason: LateExceptionReason,
    /// The holder's motivation.
    pub motivation: String,
    /// Reference of the documentary proof.
    pub evidence_ref: String,
}

coded_enum! {
    /// Why a line is rejected or held: a stable code (the serialised name) and its rule.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
    pub enum LineReason {
        /// No approved agreement of this budget for the line.
        NoValidAgreement = "NO_VALID_AGREEMENT",
        /// The service period falls outside the agreement period.
        OutsideAgreementPeriod = "OUTSIDE_AGREEMENT_PERIOD",
        /// Service after the date of death or the end of the budget.
        AfterBudgetEnd = "AFTER_BUDGET_END",
        /// Severance above the cap without an extra allowance.
        SeveranceCapExceeded = "SEVERANCE_CAP_EXCEEDED",
        /// Not enough budget left; the holder tops up from own means (P-06).
        BudgetExhausted = "BUDGET_EXHAUSTED",
        /// PAB other costs above 5 % of the annual budget.
        PabOtherCostsOver5Pct = "PAB_OTHER_COSTS_OVER_5PCT",
        /// A COVID-19 line on an agreement that is not a COVID-19 agreement.
        CovidLineWithoutCovidAgreement = "COVID_LINE_WITHOUT_COVID_AGREEMENT",
        /// A COVID-19 line with service dates outside the COVID-19 window.
        CovidLineOutsideWindow = "COVID_LINE_OUTSIDE_WINDOW",
        /// A non-COVID line would use the COVID-19 increase.
        CovidIncreaseReserved = "COVID_INCREASE_RESERVED",
        /// Submitted after the deadline without an exception.
        CostDeadlinePassed = "COST_DEADLINE_PASSED",
        /// A late exception whose reason is not accepted that year, or beyond the 2-year limit.
        LateExceptionNotAllowed = "LATE_EXCEPTION_NOT_ALLOWED",
        /// A COVID-19 line submitted after the COVID deadline but by the general one (conflict C1):
        /// held for a manual decision.
        CovidDeadlineConflict = "COVID_DEADLINE_CONFLICT",
        /// Same provider and invoice number already accepted in this dossier.
        DuplicateInvoice = "DUPLICATE_INVOICE",
        /// Woon- en leefkosten on a PVB.
        LivingCostsNotEligible = "LIVING_COSTS_NOT_ELIGIBLE",
        /// Provider extra charges for service dates in the COVID-19 freeze.
        NoExtraChargesDuringCovidFreeze = "NO_EXTRA_CHARGES_DURING_COVID_FREEZE",
        /// TOAH costs on a PAB.
        ToahNotPayableWithPab = "TOAH_NOT_PAYABLE_WITH_PAB",
        /// GO boarding-school costs on a PAB.
        GoInternaatCostsNotPayable = "GO_INTERNAAT_COSTS_NOT_PAYABLE",
        /// A staff member judged the cost ineligible (with the reason in the decision).
        IneligibleCost = "INELIGIBLE_COST",
    }
}

impl LineReason {
    /// The rule it enforces; `kind` decides between the PAB and PVB rule where they differ.
    pub fn rule(self, kind: BudgetKind) -> &'static str {
        use LineReason as L;
        match self {
            L::NoValidAgreement | L::OutsideAgreementPeriod => "S004-18",
            L::AfterBudgetEnd | L::SeveranceCapExceeded => match kind {
                BudgetKind::Pab => "E-02",
                BudgetKind::Pvb => "E-03",
            },
            L::BudgetExhausted => "P-06",
            L::PabOtherCostsOver5Pct => "S003-05",
            L::CovidLineWithoutCovidAgreement => "S004-13",
            L::CovidLineOutsideWindow => "S004-10",
            L::CovidIncreaseReserved => "S004-15",
            L::CostDeadlinePassed => "D-01",
            L::LateExceptionNotAllowed => "D-02",
            L::CovidDeadlineConflict => "S004-11",
            L::DuplicateInvoice | L::IneligibleCost => "-",
            L::LivingCostsNotEligible => "P-12",
            L::NoExtraChargesDuringCovidFreeze => "S004-08",
            L::ToahNotPayableWithPab => "S003-18",
            L::GoInternaatCostsNotPayable => "S003-17",
        }
    }

    /// The message for staff and the holder's letter, in Dutch (nl-BE).
    pub fn message_nl(self) -> &'static str {
        use LineReason as L;
        match self {
            L::NoValidAgreement => "Er is geen goedgekeurde overeenkomst voor deze kost.",
            L::OutsideAgreementPeriod => "De prestatie valt buiten de periode van de overeenkomst.",
            L::AfterBudgetEnd => "De prestatie valt na het overlijden of het einde van het budget.",
            L::SeveranceCapExceeded => {
                "De verbrekingsvergoeding overschrijdt een vierde van het budget."
            }
            L::BudgetExhausted => {
                "Het budget is opgebruikt; de budgethouder zuivert aan met eigen middelen."
            }
            L::PabOtherCostsOver5Pct => "De andere kosten overschrijden 5% van het PAB.",
            L::CovidLineWithoutCovidAgreement => {
                "Een COVID-19-kost hoort bij een goedgekeurde COVID-19-overeenkomst."
            }
            L::CovidLineOutsideWindow => "De COVID-19-kost valt buiten de COVID-19-periode.",
            L::CovidIncreaseReserved => {
                "De COVID-19-verhoging is enkel voor kosten van COVID-19-overeenkomsten."
            }
            L::CostDeadlinePassed => "De kost werd na de indiendatum ingediend.",
            L::LateExceptionNotAllowed => {
                "De reden voor laattijdig indienen wordt dit jaar niet aanvaard of de termijn van 2 jaar is verstreken."
            }
            L::CovidDeadlineConflict => {
                "COVID-19-kost ingediend na 1 maart 2021: manuele beslissing nodig."
            }
            L::DuplicateInvoice => "Deze factuur werd al aanvaard.",
            L::LivingCostsNotEligible => {
                "Woon- en leefkosten kunnen niet met een PVB betaald worden."
            }
            L::NoExtraChargesDuringCovidFreeze => {
                "Tijdens de COVID-19-periode tot en met 30 september 2020 mogen geen meerkosten aangerekend worden."
            }
            L::ToahNotPayableWithPab => "TOAH mag niet met het PAB betaald worden.",
            L::GoInternaatCostsNotPayable => "Internaatkosten van het GO mogen niet op het PAB.",
            L::IneligibleCost => "De kost komt niet in aanmerking.",
        }
    }
}

/// The outcome of a decision on a line by a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum LineOutcome {
    Accepted,
    Rejected { reason: LineReason },
}

/// A kostenstaat was submitted. Its lines are decided by `CostLine…` events of the same decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CostClaimSubmitted {
    pub claim: ClaimId,
    pub budget: BudgetId,
    /// The budget year the costs belong to (service dates).
    pub budget_year: i32,
    /// Number of this claim for the budget year (1, 2, ...).
    pub sequence_no: u32,
    /// Date the claim reached VAPH.
    pub submitted_on: NaiveDate,
    pub channel: ClaimChannel,
    /// A request to accept a late claim, if any (D-02).
    pub late_exception: Option<LateException>,
    /// The lines as submitted.
    pub lines: Vec<CostLine>,
    /// Who submitted it.
    pub submitted_by: Actor,
}

/// The rules accepted a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CostLineAccepted {
    pub claim: ClaimId,
    /// Line number within the claim.
    pub line: u32,
    /// The accepted amount (negative for a credit note).
    pub amount: Euro,
    pub category: CostCategory,
    /// True when the line was late and accepted on a late exception (D-02).
    pub late_exception_applied: bool,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// The rules rejected a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CostLineRejected {
    pub claim: ClaimId,
    /// Line number within the claim.
    pub line: u32,
    /// The stable reason code.
    pub reason: LineReason,
    /// The rule id it enforces.
    pub rule: String,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// The rules cannot decide a line: a staff member must (e.g. conflict C1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CostLineHeld {
    pub claim: ClaimId,
    /// Line number within the claim.
    pub line: u32,
    /// Why it is held.
    pub reason: LineReason,
    /// The rule id involved.
    pub rule: String,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// A staff member decided a held line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CostLineDecidedByStaff {
    pub claim: ClaimId,
    /// Line number within the claim.
    pub line: u32,
    pub outcome: LineOutcome,
    /// Why, in words a later reader understands.
    pub reason: String,
    /// Who decided.
    pub decided_by: Actor,
    /// Date of the decision.
    pub decided_on: NaiveDate,
}

/// A staff member replaced the current decision of a line (a correction or reversal; nothing is
/// edited: the earlier decision stays in the stream).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CostLineDecisionOverridden {
    pub claim: ClaimId,
    /// Line number within the claim.
    pub line: u32,
    /// The decision replaced.
    pub previous: LineOutcome,
    pub outcome: LineOutcome,
    /// Why, in words a later reader understands.
    pub reason: String,
    /// Who decided.
    pub decided_by: Actor,
    /// Date of the decision.
    pub decided_on: NaiveDate,
}

/// The claim was entered by mistake (in the wrong dossier, or twice) and voided: none of its
/// lines counts from this day on; its history stays. Why is in the event's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CostClaimVoided {
    pub claim: ClaimId,
    /// The day it was voided.
    pub voided_on: NaiveDate,
}

// ---------------------------------------------------------------------------------------------
// COVID-19 overrun

/// The holder may exceed the annual budget for COVID-19 agreement costs up to the cap
/// (S004-02/14/19, C-02): granted after the first approved COVID-19 agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CovidOverrunAllowanceGranted {
    pub budget: BudgetId,
    /// The budget year of the increase.
    pub year: i32,
    /// The cap percentage of the regime version in force (8.5, 17, 25.5).
    pub cap_percent: Decimal,
    /// The date whose annual budget is the base: 2020-04-23 once that parameter is known
    /// (S004-14), before that the date of the decision.
    pub base_date: NaiveDate,
    /// The annual budget in force on the base date.
    pub base_budget: Euro,
    /// PVB: management costs (beheerskosten) added to the base; zero for a PAB.
    pub management_costs: Euro,
    /// The increase: cap percentage × (base budget + management costs), rounded to the cent.
    pub cap: Euro,
    /// The approved COVID-19 agreement that triggered it.
    pub trigger_agreement: AgreementId,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// A later regime version raised the cap (17 % → 25.5 %, S004-14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CovidOverrunAllowanceRaised {
    pub budget: BudgetId,
    /// The budget year of the increase.
    pub year: i32,
    /// The percentage before.
    pub previous_percent: Decimal,
    /// The new percentage.
    pub cap_percent: Decimal,
    /// The increase before.
    pub previous_cap: Euro,
    /// The new increase on the same base.
    pub cap: Euro,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

// ---------------------------------------------------------------------------------------------
// Payments, advance, deductions

/// The PVB holder declared the cash part of the budget (form "PVB starten met besteding in
/// cash"): the base of the advance (P-04) and of the PVB severance cap (E-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CashPartDeclared {
    pub budget: BudgetId,
    /// The cash part per year, as estimated by the holder.
    pub amount: Euro,
    /// Date of the declaration.
    pub declared_on: NaiveDate,
}

/// What an advance is computed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdvanceBasis {
    /// PVB: the declared cash part (P-04).
    CashPart,
    /// PAB: the annual budget.
    AnnualBudget,
}

/// The recoverable advance (voorschot, or werkkapitaal under the old PAB regime) was paid. It is
/// not part of the budget and is recovered when the budget stops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AdvancePaid {
    pub budget: BudgetId,
    pub basis: AdvanceBasis,
    /// The amount the fraction was applied to.
    pub basis_amount: Euro,
    /// Numerator of the fraction (1 of 1/4, 5 of 5/12).
    pub numerator: u32,
    /// Denominator of the fraction.
    pub denominator: u32,
    /// The advance, rounded to the cent.
    pub amount: Euro,
    /// Date of the payment order.
    pub paid_on: NaiveDate,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// A line paid by a payment order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PaidLine {
    pub claim: ClaimId,
    /// Line number within the claim.
    pub line: u32,
    /// The accepted amount of the line (negative for a credit note).
    pub amount: Euro,
}

/// A payment of accepted lines was ordered: costs, netted with credit notes and deductions (K-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentOrdered {
    pub payment: PaymentId,
    pub budget: BudgetId,
    /// The budget year of the lines paid.
    pub year: i32,
    /// Date of the order.
    pub ordered_on: NaiveDate,
    /// Last day of the payment term (P-05).
    pub due_by: NaiveDate,
    /// The lines paid.
    pub lines: Vec<PaidLine>,
    /// Sum of the positive lines.
    pub costs: Euro,
    /// Sum of the credit notes (zero or negative).
    pub credit_notes: Euro,
    /// Amounts owed to VAPH offset against this payment (inhoudingen), see `RecoveryOffset`.
    pub deductions: Euro,
    /// What reaches the account: costs + credit notes − deductions.
    pub net: Euro,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// The payment left VAPH's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentExecuted {
    pub payment: PaymentId,
    /// Date of execution.
    pub executed_on: NaiveDate,
}

/// Part of a recovery was offset against a payment (inhouding, K-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecoveryOffset {
    pub recovery: RecoveryId,
    pub payment: PaymentId,
    /// The amount withheld from the payment.
    pub amount: Euro,
}

/// VAPH granted severance above the cap, up to a further fraction (E-02/E-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExtraSeveranceAllowanceGranted {
    pub budget: BudgetId,
    /// The budget year.
    pub year: i32,
    /// The extra severance allowed on top of the cap.
    pub amount: Euro,
    /// Why: the claims that prove the first cap insufficient.
    pub reason: String,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

// ---------------------------------------------------------------------------------------------
// Year close, recoveries, final settlement

/// A budget year was closed: the figures of its budget line at the close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BudgetYearClosed {
    pub budget: BudgetId,
    /// The budget year.
    pub year: i32,
    /// Date of the close.
    pub closed_on: NaiveDate,
    /// The annual budget net of combination reductions.
    pub annual_budget: Euro,
    /// The COVID-19 increase on top (zero without one).
    pub covid_increase: Euro,
    /// Accepted lines of the year.
    pub accepted: Euro,
    /// Of which on COVID-19 agreements.
    pub accepted_covid: Euro,
    /// Paid for lines of the year (before deductions).
    pub paid: Euro,
    /// Paid above the annual budget.
    pub overrun: Euro,
    /// The part of the overrun explained by COVID-19 costs within the increase.
    pub covid_attributable: Euro,
    /// The overrun not explained by COVID-19 costs: recovered (S004-15).
    pub unexplained_overrun: Euro,
}

/// The holder was asked to top up costs above the budget from own means, not from the advance
/// (P-06): the overrun letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OverrunTopUpRequested {
    pub budget: BudgetId,
    /// The budget year.
    pub year: i32,
    /// Costs refused because the budget was used up.
    pub amount: Euro,
    /// The lines concerned.
    pub lines: Vec<CostLineRef>,
}

/// Why VAPH recovers money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecoveryReason {
    /// Overrun not explained by COVID-19 costs (S004-15).
    NonCovidOverrun,
    /// A cost without a valid agreement.
    CostWithoutAgreement,
    /// A cost that is not eligible (e.g. a line rejected after it was paid).
    IneligibleCost,
    /// The advance at the stop of the budget (P-04, A-04, E-01, E-03).
    AdvanceAtStop,
    /// A duplicate invoice.
    Duplicate,
    /// Costs after death.
    PostDeath,
    /// A finding of a control.
    ControlFinding,
    /// Fraud.
    Fraud,
}

/// VAPH decided to recover an amount (terugvordering), with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecoveryDecided {
    pub recovery: RecoveryId,
    pub budget: BudgetId,
    /// The budget year concerned, if one.
    pub year: Option<i32>,
    /// The amount to recover.
    pub amount: Euro,
    /// Why VAPH recovers (one or more reason codes).
    pub reasons: Vec<RecoveryReason>,
    /// References of the evidence: lines (`claim/line`), payments, control cases, documents.
    pub evidence: Vec<String>,
    /// The legal basis or rule ids.
    pub legal_basis: String,
    /// Date of the decision.
    pub decided_on: NaiveDate,
}

/// The holder repaid (part of) a recovery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecoveryRepaid {
    pub recovery: RecoveryId,
    pub amount: Euro,
    /// Date the repayment was received.
    pub paid_on: NaiveDate,
}

/// VAPH wrote off what is still outstanding of a recovery (e.g. not recoverable), with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RecoveryWrittenOff {
    pub recovery: RecoveryId,
    /// The amount written off: what was still outstanding.
    pub amount: Euro,
    /// Why, in words a later reader understands.
    pub reason: String,
    /// Date of the decision.
    pub written_off_on: NaiveDate,
}

/// The provisional final settlement after a stop, with a period for extra evidence (E-01).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProvisionalFinalSettlementIssued {
    pub budget: BudgetId,
    /// Date of the provisional settlement.
    pub issued_on: NaiveDate,
    /// Last day for extra evidence.
    pub evidence_until: NaiveDate,
    /// Accepted lines not yet paid.
    pub accepted_unpaid: Euro,
    /// Advance still to recover.
    pub advance_outstanding: Euro,
    /// Recoveries still open.
    pub recoveries_outstanding: Euro,
    /// The rule-book parameter versions this decision applied.
    pub rules_applied: Vec<AppliedParameter>,
}

/// The definitive final settlement: the advance is recovered (P-04/A-04, E-01/E-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FinalSettlementIssued {
    pub budget: BudgetId,
    /// Date of the definitive settlement.
    pub issued_on: NaiveDate,
    /// Accepted lines not yet paid (paid next, net of the recoveries).
    pub accepted_unpaid: Euro,
    /// The advance to recover.
    pub advance_outstanding: Euro,
    /// The recovery decided for the advance, if any.
    pub advance_recovery: Option<RecoveryId>,
    /// Balance: positive is due to the holder, negative is due to VAPH.
    pub balance: Euro,
}

// ---------------------------------------------------------------------------------------------
// Controls and fraud reports

/// How a dossier came to be controlled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum ControlSelection {
    /// A reproducible random sample of the controls stream (K-01).
    RandomSample { sample: SampleId, seed: u64 },
    /// A risk signal (brief §6), with its evidence.
    Signal {
        signal: String,
        evidence: Vec<String>,
    },
    /// A Zorginspectie budget control (K-02).
    Zorginspectie,
    /// A report of suspected misuse or fraud.
    Report { report: ReportId },
}

coded_enum! {
    /// What a control checks (K-01).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    pub enum ControlKind {
        /// Correct spending.
        Standard = "standard",
        /// Sufficient spending.
        Sufficiency = "sufficiency",
    }
}

/// Where an inspection visit takes place (K-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitLocation {
    Home,
    AdministratorOffice,
}

/// A document received as evidence, with the hash that fixes its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceDocument {
    /// Reference of the document.
    pub reference: String,
    /// SHA-256 of its content, hex.
    pub sha256: String,
}

coded_enum! {
    /// How serious a finding is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    pub enum Severity {
        Remark = "remark",
        Irregularity = "irregularity",
        Serious = "serious",
    }
}

/// A finding of a control: the rule, the amount involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// The rule id of the brief, e.g. `P-12`.
    pub rule: String,
    pub severity: Severity,
    /// The amount involved, if any.
    pub amount: Option<Euro>,
    /// What was found.
    pub description: String,
}

/// A control case was opened in the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ControlCaseOpened {
    pub control: ControlId,
    pub budget: BudgetId,
    pub selection: ControlSelection,
    pub kind: ControlKind,
    /// First day of the period controlled.
    pub period_from: NaiveDate,
    /// Last day of the period controlled.
    pub period_to: NaiveDate,
    /// Date the case was opened.
    pub opened_on: NaiveDate,
}

/// Evidence was requested from the holder (agreements, bank statements, invoices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceRequested {
    pub control: ControlId,
    /// The documents asked for.
    pub documents: Vec<String>,
    /// Date of the request.
    pub requested_on: NaiveDate,
    /// Last day to upload them.
    pub due_by: NaiveDate,
}

/// Evidence was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceReceived {
    pub control: ControlId,
    /// The documents, with their hashes.
    pub documents: Vec<EvidenceDocument>,
    /// Date received.
    pub received_on: NaiveDate,
}

/// An announced inspection visit took place (K-02).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InspectionVisitHeld {
    pub control: ControlId,
    /// The inspector.
    pub inspector: UserId,
    /// Date the visit was announced (by phone, confirmed by letter).
    pub announced_on: NaiveDate,
    /// Date of the visit.
    pub visited_on: NaiveDate,
    pub location: VisitLocation,
    /// Length of the visit in minutes.
    pub duration_minutes: u32,
}

/// A control was concluded with its findings and the letter sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ControlConcluded {
    pub control: ControlId,
    /// Date of the conclusion.
    pub concluded_on: NaiveDate,
    /// The findings, each citing a rule id.
    pub findings: Vec<Finding>,
    /// Reference of the conclusion letter.
    pub letter_ref: String,
    /// The recovery decided on the findings, if any (a `RecoveryDecided` of the same decision).
    pub recovery: Option<RecoveryId>,
}

/// Who reports suspected misuse or fraud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "reporter", rename_all = "snake_case")]
pub enum Reporter {
    /// A VAPH staff member.
    Staff { user: UserId },
    /// An inspector (Zorginspectie).
    Inspector { user: UserId },
}

/// A staff member or inspector reported suspected misuse or fraud (reports by organisations are
/// `SuspectedMisuseReported`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FraudSuspicionReported {
    pub report: ReportId,
    pub reporter: Reporter,
    pub suspicion: Suspicion,
    /// What was observed.
    pub narrative: String,
    /// Date of the report.
    pub reported_on: NaiveDate,
}

crate::event::event_enum! {
    /// Events of a dossier stream.
    DossierEvent {
        PersonRegistered = 1,
        BirthDateCorrected = 1,
        PersonNameRecorded = 1,
        PersonDeceased = 1,
        DossierVoided = 1,
        DossierDataErased = 1,
        InszCorrected = 1,
        LegalRepresentativeAssigned = 1,
        LegalRepresentativeEnded = 1,
        BudgetHolderDesignated = 1,
        BudgetAccountRegistered = 1,
        BudgetAccountCorrected = 1,
        BudgetAccountProxyChanged = 1,
        PersonReachedMajority = 1,
        PabApplicationSubmitted = 1,
        PabGranted = 1,
        ValueVoucherIssued = 1 as "BoValueVoucherIssued",
        ValueVoucherRedeemed = 1 as "BoValueVoucherRedeemed",
        ValueVoucherExpired = 1 as "BoValueVoucherExpired",
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
        AgreementVoided = 1,
        PabCombinationStarted = 1,
        PabCombinationChanged = 1,
        PabCombinationEnded = 1,
        AssistanceOrganisationJoined = 1 as "BoMembershipRecorded",
        AssistanceRecorded = 1 as "BoAssistanceRecorded",
        SuspectedMisuseReported = 1,
        CostClaimSubmitted = 1,
        CostLineAccepted = 1,
        CostLineRejected = 1,
        CostLineHeld = 1,
        CostLineDecidedByStaff = 1,
        CostLineDecisionOverridden = 1,
        CostClaimVoided = 1,
        CovidOverrunAllowanceGranted = 1,
        CovidOverrunAllowanceRaised = 1,
        CashPartDeclared = 1,
        AdvancePaid = 1,
        PaymentOrdered = 1,
        PaymentExecuted = 1,
        RecoveryOffset = 1,
        ExtraSeveranceAllowanceGranted = 1,
        BudgetYearClosed = 1,
        OverrunTopUpRequested = 1,
        RecoveryDecided = 1,
        RecoveryRepaid = 1,
        RecoveryWrittenOff = 1,
        ProvisionalFinalSettlementIssued = 1,
        FinalSettlementIssued = 1,
        ControlCaseOpened = 1,
        EvidenceRequested = 1,
        EvidenceReceived = 1,
        InspectionVisitHeld = 1,
        ControlConcluded = 1,
        FraudSuspicionReported = 1,
    }
}
