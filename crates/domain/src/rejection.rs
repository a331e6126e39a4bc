//! Why a command is refused: a stable code, the rule it enforces, and a message for staff in
//! Dutch (nl-BE) with an English one alongside. The same code reaches the HTTP response and the
//! CLI, so codes never change once released.

use chrono::NaiveDate;

use crate::dossier::RepresentativeRole;
use crate::rule_book::{Parameter, ValueKind};
use crate::values::{DossierId, Euro, dutch_date};

/// Every reason a command can be refused, with the data the message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    // General
    NotAuthorised {
        action: &'static str,
    },
    RuleParameterMissing {
        parameter: Parameter,
        on: NaiveDate,
    },
    ParameterValueKindMismatch {
        parameter: Parameter,
        expected: ValueKind,
    },
    ParameterPeriodInvalid {
        parameter: Parameter,
    },
    ParameterSourceMissing {
        parameter: Parameter,
    },
    ReasonRequired,
    /// A person's name needs a family name and a given name, each at most 200 characters.
    PersonNameInvalid,
    InvalidInput {
        field: &'static str,
        problem: &'static str,
    },
    UserNameTaken {
        name: String,
    },
    UnknownUser,
    UnknownToken,
    NothingDue,
    DateInFuture {
        date: NaiveDate,
    },
    AmountMustBePositive {
        amount: Euro,
    },
    // Registry
    OrganisationAlreadyLicensed,
    BoLicenceCapReached {
        cap: u32,
        on: NaiveDate,
    },
    UnknownOrganisation,
    LicenceNotActive,
    // Person, representatives, holder, account
    DossierNotOpened,
    DuplicatePerson,
    DuplicatePersonInDossier {
        dossier: DossierId,
    },
    BirthDateRequired,
    CorrectionUnchanged,
    PersonDeceased,
    RepNotLegalRepresentative {
        role: RepresentativeRole,
        rule: &'static str,
    },
    CourtBewindNotAllowedForMinor,
    RepresentativeAlreadyAssigned,
    UnknownRepresentative,
    InvalidBudgetHolder {
        minor: bool,
    },
    AccountNameMismatch,
    AccountNotDedicated,
    NoBudgetAccount,
    // Budgets
    UnknownBudget,
    DuplicateBudget,
    BudgetAlreadyActive,
    PabOnlyForMinors {
        age: u32,
        submitted_on: NaiveDate,
    },
    SpoedConditionsNotMet {
        age: u32,
        min: u32,
        max: u32,
        attest_missing: bool,
    },
    NoPabApplication,
    NoActivePab,
    PvbTbsBeforeMajority {
        from: NaiveDate,
    },
    BudgetNotActive,
    PabStartRequiresDeregistrationAttest,
    StartDeadlinePassed {
        deadline: NaiveDate,
    },
    StopRequestNotSignedByHolder,
    DeathNotRecorded,
    ToewijzingRequired,
    PvbNaJeugdhulpDeadlineMissed {
        limit: NaiveDate,
    },
    BobSwitchClosed {
        last_date: NaiveDate,
    },
    UnknownVoucher,
    VoucherNotExchangeableForMoney,
    VoucherAlreadyUsed,
    VoucherExpired {
        valid_until: NaiveDate,
    },
    // Agreements
    UnknownAgreement,
    DuplicateAgreement,
    NoActiveBudget,
    AgreementPeriodInvalid,
    AgreementNotPending,
    AgreementNotActive,
    VoucherAgreementProviderOnly,
    VoucherRequiresLicensedProvider,
    PabCombinationNotAllowed {
        rule: &'static str,
    },
    ToahNotPayableWithPab,
    GoInternaatCostsNotPayable,
    MinorFamilyMemberNotAllowed,
    WrongAgreementTypeFamily,
    CovidAgreementMustBeCash,
    CovidAgreementNotOneToOne,
    CovidMentionMissing,
    CovidAgreementOutsideWindow {
        from: NaiveDate,
        to: NaiveDate,
    },
    CovidUseIdoExtension,
    CovidIdoExtensionRequiresOneToOne,
    IdoFrozen {
        rule: &'static str,
        frozen_until: NaiveDate,
    },
    IdoNoticeTooEarly {
        notice_from: NaiveDate,
    },
    StudentTooYoung {
        age: u32,
        minimum_age: u32,
        minimum_age_after_two_years_secondary: u32,
    },
    VolunteerRequiresOrganisation,
    ParentInitiativeNotRegistered {
        registration_required_from: NaiveDate,
    },
    IdoMustPrecedeSupport {
        start: NaiveDate,
        signed_on: NaiveDate,
        /// The emergency grace in days, when the IDO was signed in an emergency.
        emergency_max_days: Option<u32>,
    },
    AgreementFieldMissing {
        field: AgreementField,
    },
    // Combinations
    CombinationChangeMustBeFullCalendarMonth {
        date: NaiveDate,
    },
    CombinationFormNotSigned,
    OnlySchoolRelatedDaycareCombinable,
    PabMfcResidentialNotAllowed,
    HalfDaysRequired,
    NotAnMfc,
    UnknownCombination,
    DuplicateCombination,
    CombinationNotActive,
    CombinationDateBeforeCurrent {
        current: NaiveDate,
    },
    // Bijstandsorganisaties
    NotALicensedBo,
    AlreadyMember,
    LowThresholdAssistanceIsFree,
    CollectiveTaskIsFree,
    DuplicateReport,
    // Cost claims
    NoBudgetForYear {
        year: i32,
    },
    EmptyCostClaim,
    DuplicateCostClaim,
    DuplicateCostLine {
        line: u32,
    },
    CostLinePeriodInvalid {
        line: u32,
    },
    CostLineOutsideBudgetYear {
        line: u32,
        year: i32,
    },
    UnknownCostLine,
    CostLineNotHeld,
    CostLineNotDecided,
    DecisionUnchanged,
    // COVID-19 overrun
    NoApprovedCovidAgreement,
    CovidAllowanceAlreadyGranted,
    NoCovidAllowance,
    // Payments, advance, recoveries, settlement
    AdvanceAlreadyPaid {
        rule: &'static str,
    },
    AdvanceNotDue {
        rule: &'static str,
    },
    DuplicatePayment,
    UnknownPayment,
    PaymentAlreadyExecuted,
    CashPartOnlyForPvb,
    ExtraSeveranceAlreadyGranted,
    SeveranceCapNotReached,
    BudgetYearNotEnded {
        year: i32,
    },
    BudgetYearAlreadyClosed {
        year: i32,
    },
    DuplicateRecovery,
    UnknownRecovery,
    RecoveryEvidenceRequired,
    RecoveryExceedsOutstanding {
        outstanding: Euro,
    },
    BudgetNotEnded,
    ProvisionalSettlementRequired,
    SettlementEvidencePeriodRunning {
        until: NaiveDate,
    },
    FinalSettlementAlreadyIssued,
    // Controls
    DuplicateControl,
    UnknownControl,
    ControlAlreadyConcluded,
    ControlPeriodInvalid,
    EvidenceListEmpty,
    EvidenceHashInvalid {
        reference: String,
    },
    EvidenceHashMismatch {
        reference: String,
    },
    InspectionNotAnnounced,
    FindingWithoutRule,
    RecoveryExceedsFindings {
        findings: Euro,
    },
    DuplicateSample,
    SampleSizeInvalid {
        size: u32,
        population: usize,
    },
    PopulationHasDuplicates,
}

/// A mandatory part of an agreement that can be missing: the A-05 content of a PAB agreement, and
/// the signing date of an IDO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementField {
    /// Identity of the other party: the assistant's rijksregisternummer or the company's
    /// ondernemingsnummer.
    PartyIdentification,
    /// Duration and notice rules.
    NoticeTerms,
    /// A concrete task description.
    TaskDescription,
    /// Hours per week.
    WeeklyHours,
    /// Cost per hour.
    HourlyCost,
    /// Payment terms.
    PaymentTerms,
    /// The day an IDO was signed (IDO, BVR 4 februari 2011).
    SigningDate,
    /// The birth date of a job student (F-02).
    StudentBirthDate,
}

impl AgreementField {
    /// The field as named to staff, in Dutch.
    pub fn name_nl(self) -> &'static str {
        match self {
            Self::PartyIdentification => {
                "de identiteit van de partijen (rijksregisternummer van de assistent of ondernemingsnummer)"
            }
            Self::NoticeTerms => "de duur en de opzegregeling",
            Self::TaskDescription => "een concrete taakomschrijving",
            Self::WeeklyHours => "het aantal uren per week",
            Self::HourlyCost => "de kostprijs per uur (uurloon)",
            Self::PaymentTerms => "de betalingsvoorwaarden",
            Self::SigningDate => "de datum van ondertekening",
            Self::StudentBirthDate => "de geboortedatum van de jobstudent",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Self::PartyIdentification => {
                "the identity of the parties (the assistant's INSZ or the company's enterprise number)"
            }
            Self::NoticeTerms => "the duration and notice rules",
            Self::TaskDescription => "a concrete task description",
            Self::WeeklyHours => "the weekly hours",
            Self::HourlyCost => "the hourly cost (hourly wage)",
            Self::PaymentTerms => "the payment terms",
            Self::SigningDate => "the signing date",
            Self::StudentBirthDate => "the job student's birth date",
        }
    }

    /// The rule that makes the field mandatory.
    pub fn rule(self) -> &'static str {
        match self {
            Self::SigningDate => "G-IDO",
            Self::StudentBirthDate => "F-02",
            _ => "A-05",
        }
    }

    /// The agreement that must state the field, in Dutch and in English.
    fn agreement(self) -> (&'static str, &'static str) {
        match self {
            Self::SigningDate => ("Een IDO", "An IDO"),
            Self::StudentBirthDate => (
                "Een overeenkomst met een jobstudent",
                "A job-student agreement",
            ),
            _ => ("Een PAB-overeenkomst", "A PAB agreement"),
        }
    }
}

/// Code, rule id, Dutch message, English message.
type Details = (&'static str, &'static str, String, String);

fn role_nl(role: RepresentativeRole) -> &'static str {
    match role {
        RepresentativeRole::Parent => "een ouder",
        RepresentativeRole::AdoptiveParent => "een adoptieouder",
        RepresentativeRole::Guardian => "een voogd",
        RepresentativeRole::PlusParent => "een plusouder",
        RepresentativeRole::OtherRelative => "een ander familielid",
        RepresentativeRole::CourtAdministrator { .. } => "een bewindvoerder",
        RepresentativeRole::CareMandate => "een zorgvolmachtdrager",
    }
}

fn role_en(role: RepresentativeRole) -> &'static str {
    match role {
        RepresentativeRole::Parent => "a parent",
        RepresentativeRole::AdoptiveParent => "an adoptive parent",
        RepresentativeRole::Guardian => "a guardian",
        RepresentativeRole::PlusParent => "a step-parent (plusouder)",
        RepresentativeRole::OtherRelative => "another relative",
        RepresentativeRole::CourtAdministrator { .. } => "a court administrator (bewindvoerder)",
        RepresentativeRole::CareMandate => "a care mandatary (zorgvolmacht)",
    }
}

impl Reason {
    #[allow(clippy::too_many_lines)]
    fn details(&self) -> Details {
        use Reason as R;
        let d = dutch_date;
        let s = |nl: &str, en: &str| (nl.to_owned(), en.to_owned());
        let (code, rule, (nl, en)): (&str, &str, (String, String)) = match self {
            R::NotAuthorised { action } => (
                "NOT_AUTHORISED",
                "-",
                (
                    format!("U bent niet bevoegd voor deze handeling ({action})."),
                    format!("You are not authorised to {action}."),
                ),
            ),
            R::RuleParameterMissing { parameter, on } => (
                "RULE_PARAMETER_MISSING",
                "-",
                (
                    format!(
                        "Het regelboek bevat geen waarde voor {} op {}.",
                        parameter.key(),
                        d(*on)
                    ),
                    format!(
                        "The rule book has no value for {} on {on}.",
                        parameter.key()
                    ),
                ),
            ),
            R::ParameterValueKindMismatch {
                parameter,
                expected,
            } => (
                "PARAMETER_VALUE_KIND_MISMATCH",
                "-",
                (
                    format!(
                        "Parameter {} verwacht een waarde van het type {expected:?}.",
                        parameter.key()
                    ),
                    format!("Parameter {} takes a {expected:?} value.", parameter.key()),
                ),
            ),
            R::ParameterPeriodInvalid { parameter } => (
                "PARAMETER_PERIOD_INVALID",
                "-",
                (
                    format!(
                        "De periode van parameter {} eindigt vóór ze begint.",
                        parameter.key()
                    ),
                    format!(
                        "The period of parameter {} ends before it starts.",
                        parameter.key()
                    ),
                ),
            ),
            R::ParameterSourceMissing { parameter } => (
                "PARAMETER_SOURCE_MISSING",
                "-",
                (
                    format!(
                        "Vermeld de regel en de rechtsgrond van parameter {}.",
                        parameter.key()
                    ),
                    format!(
                        "State the rule and legal reference of parameter {}.",
                        parameter.key()
                    ),
                ),
            ),
            R::InvalidInput { field, problem } => (
                "INVALID_INPUT",
                "-",
                (
                    format!("Het veld {field} is ongeldig: {problem}."),
                    format!("The field {field} is invalid: {problem}."),
                ),
            ),
            R::UserNameTaken { name } => (
                "USER_NAME_TAKEN",
                "-",
                (
                    format!("Er bestaat al een gebruiker met de naam {name}."),
                    format!("A user named {name} already exists."),
                ),
            ),
            R::UnknownUser => (
                "UNKNOWN_USER",
                "-",
                s("Deze gebruiker bestaat niet.", "This user does not exist."),
            ),
            R::UnknownToken => (
                "UNKNOWN_TOKEN",
                "-",
                s("Dit token bestaat niet.", "This token does not exist."),
            ),
            R::ReasonRequired => (
                "REASON_REQUIRED",
                "-",
                s(
                    "Vermeld een reden of referentie.",
                    "State a reason or reference.",
                ),
            ),
            R::PersonNameInvalid => (
                "PERSON_NAME_INVALID",
                "-",
                s(
                    "Vul een familienaam en een voornaam in (elk hoogstens 200 tekens).",
                    "Give a family name and a given name (each at most 200 characters).",
                ),
            ),
            R::NothingDue => (
                "NOTHING_DUE",
                "-",
                s(
                    "Er is vandaag niets te doen voor dit dossier.",
                    "Nothing is due for this dossier today.",
                ),
            ),
            R::DateInFuture { date } => (
                "DATE_IN_FUTURE",
                "-",
                (
                    format!("De datum {} ligt in de toekomst.", d(*date)),
                    format!("The date {date} is in the future."),
                ),
            ),
            R::AmountMustBePositive { amount } => (
                "AMOUNT_MUST_BE_POSITIVE",
                "-",
                (
                    format!(
                        "Het bedrag moet positief zijn; het is {}.",
                        amount.to_dutch()
                    ),
                    format!("The amount must be positive; it is {amount}."),
                ),
            ),
            R::OrganisationAlreadyLicensed => (
                "ORGANISATION_ALREADY_LICENSED",
                "-",
                s(
                    "Deze organisatie heeft al een vergunning.",
                    "This organisation is already licensed.",
                ),
            ),
            R::BoLicenceCapReached { cap, on } => (
                "BO_LICENCE_CAP_REACHED",
                "S000-03",
                (
                    format!(
                        "Er zijn op {} al {cap} bijstandsorganisaties vergund; meer is niet toegestaan.",
                        d(*on)
                    ),
                    format!(
                        "{cap} assistance organisations are already licensed on {on}; no more are allowed."
                    ),
                ),
            ),
            R::UnknownOrganisation => (
                "UNKNOWN_ORGANISATION",
                "-",
                s(
                    "Deze organisatie is niet gekend.",
                    "This organisation is unknown.",
                ),
            ),
            R::LicenceNotActive => (
                "LICENCE_NOT_ACTIVE",
                "-",
                s(
                    "De vergunning van deze organisatie is al ingetrokken.",
                    "The licence of this organisation was already withdrawn.",
                ),
            ),
            R::DossierNotOpened => (
                "DOSSIER_NOT_OPENED",
                "-",
                s(
                    "Er is nog geen persoon geregistreerd in dit dossier.",
                    "No person is registered in this dossier yet.",
                ),
            ),
            R::DuplicatePerson => (
                "DUPLICATE_PERSON",
                "-",
                s(
                    "Deze persoon is al geregistreerd.",
                    "This person is already registered.",
                ),
            ),
            R::DuplicatePersonInDossier { dossier } => (
                "DUPLICATE_PERSON",
                "-",
                (
                    format!("Deze persoon is al geregistreerd in dossier {dossier}."),
                    format!("This person is already registered in dossier {dossier}."),
                ),
            ),
            R::BirthDateRequired => (
                "BIRTH_DATE_REQUIRED",
                "-",
                s(
                    "Het rijksregisternummer bevat geen volledige geboortedatum: vul de geboortedatum in.",
                    "The INSZ does not encode a full birth date: give the birth date.",
                ),
            ),
            R::CorrectionUnchanged => (
                "CORRECTION_UNCHANGED",
                "-",
                s(
                    "De verbetering is gelijk aan de huidige waarde.",
                    "The correction equals the current value.",
                ),
            ),
            R::PersonDeceased => (
                "PERSON_DECEASED",
                "-",
                s("De persoon is overleden.", "The person has died."),
            ),
            R::RepNotLegalRepresentative { role, rule } => (
                "REP_NOT_LEGAL_REPRESENTATIVE",
                rule,
                (
                    format!(
                        "{} is hier geen wettelijk vertegenwoordiger en kan geen budgethouder zijn.",
                        capitalise(role_nl(*role))
                    ),
                    format!(
                        "{} is not a legal representative here and cannot be budget holder.",
                        capitalise(role_en(*role))
                    ),
                ),
            ),
            R::CourtBewindNotAllowedForMinor => (
                "COURT_BEWIND_NOT_ALLOWED_FOR_MINOR",
                "S003-26",
                s(
                    "Voor een minderjarige kan geen bewindvoering of budgethouderschap via de rechtbank geregeld worden.",
                    "For a minor, neither administration nor budget holdership can be arranged through the court.",
                ),
            ),
            R::RepresentativeAlreadyAssigned => (
                "REPRESENTATIVE_ALREADY_ASSIGNED",
                "-",
                s(
                    "Deze persoon is al vertegenwoordiger.",
                    "This person already is a representative.",
                ),
            ),
            R::UnknownRepresentative => (
                "UNKNOWN_REPRESENTATIVE",
                "-",
                s(
                    "Deze persoon is geen vertegenwoordiger in dit dossier.",
                    "This person is not a representative in this dossier.",
                ),
            ),
            R::InvalidBudgetHolder { minor } => (
                "INVALID_BUDGET_HOLDER",
                if *minor { "S003-22" } else { "E-06" },
                if *minor {
                    s(
                        "Budgethouder van een minderjarige is een ouder, adoptieouder of voogd die wettelijk vertegenwoordiger is.",
                        "The budget holder of a minor is a parent, adoptive parent or guardian who is legal representative.",
                    )
                } else {
                    s(
                        "Budgethouder van een meerderjarige is de persoon zelf, de bewindvoerder over persoon en goederen of de zorgvolmachtdrager.",
                        "The budget holder of an adult is the person, the administrator over person and goods, or the care mandatary.",
                    )
                },
            ),
            R::AccountNameMismatch => (
                "ACCOUNT_NAME_MISMATCH",
                "A-03",
                s(
                    "De budgetrekening moet op naam staan van de budgethouder, een wettelijk vertegenwoordiger, een bij notariële akte aangestelde persoon of de minderjarige.",
                    "The budget account must be in the name of the budget holder, a legal representative, a notarial appointee or the minor.",
                ),
            ),
            R::AccountNotDedicated => (
                "ACCOUNT_NOT_DEDICATED",
                "A-03",
                s(
                    "Voor het budget is een aparte rekening verplicht.",
                    "A separate account for the budget is mandatory.",
                ),
            ),
            R::NoBudgetAccount => (
                "NO_BUDGET_ACCOUNT",
                "A-03",
                s(
                    "Er is nog geen budgetrekening geregistreerd.",
                    "No budget account is registered yet.",
                ),
            ),
            R::UnknownBudget => (
                "UNKNOWN_BUDGET",
                "-",
                s("Dit budget is niet gekend.", "This budget is unknown."),
            ),
            R::DuplicateBudget => (
                "DUPLICATE_BUDGET",
                "-",
                s("Dit budget bestaat al.", "This budget already exists."),
            ),
            R::BudgetAlreadyActive => (
                "BUDGET_ALREADY_ACTIVE",
                "-",
                s(
                    "Er loopt al een budget van deze soort.",
                    "A budget of this kind is already running.",
                ),
            ),
            R::PabOnlyForMinors { age, submitted_on } => (
                "PAB_ONLY_FOR_MINORS",
                "S003-02",
                (
                    format!(
                        "Een PAB kan enkel voor minderjarigen aangevraagd worden; de aanvrager was {age} jaar op {}. Een meerderjarige vraagt een PVB aan.",
                        d(*submitted_on)
                    ),
                    format!(
                        "A PAB can only be applied for for minors; the applicant was {age} on {submitted_on}. An adult applies for a PVB."
                    ),
                ),
            ),
            R::SpoedConditionsNotMet {
                age,
                min,
                max,
                attest_missing,
            } => (
                "SPOED_CONDITIONS_NOT_MET",
                "S003-20",
                if *attest_missing {
                    s(
                        "De spoedprocedure vraagt een attest van de behandelende arts-specialist.",
                        "The urgent procedure needs an attest of the treating specialist.",
                    )
                } else {
                    (
                        format!(
                            "De spoedprocedure geldt van {min} tot en met {max} jaar; het kind is {age} jaar."
                        ),
                        format!(
                            "The urgent procedure is for ages {min} to {max}; the child is {age}."
                        ),
                    )
                },
            ),
            R::NoPabApplication => (
                "NO_PAB_APPLICATION",
                "-",
                s(
                    "Er is geen openstaande PAB-aanvraag voor dit budget.",
                    "There is no open PAB application for this budget.",
                ),
            ),
            R::NoActivePab => (
                "NO_ACTIVE_PAB",
                "-",
                s("Er loopt geen PAB.", "No PAB is running."),
            ),
            R::PvbTbsBeforeMajority { from } => (
                "PVB_TBS_BEFORE_MAJORITY",
                "E-04",
                (
                    format!(
                        "Een PVB kan pas ter beschikking gesteld worden vanaf {}.",
                        d(*from)
                    ),
                    format!("A PVB can only be made available from {from}."),
                ),
            ),
            R::BudgetNotActive => (
                "BUDGET_NOT_ACTIVE",
                "-",
                s(
                    "Dit budget is niet (meer) actief.",
                    "This budget is not (or no longer) active.",
                ),
            ),
            R::PabStartRequiresDeregistrationAttest => (
                "PAB_START_REQUIRES_DEREGISTRATION_ATTEST",
                "S003-09",
                s(
                    "Het PAB kan pas starten als het attest van uitschrijving uit de thuisbegeleiding bij het VAPH is.",
                    "The PAB can only start once the attest of de-registration from home guidance has reached VAPH.",
                ),
            ),
            R::StartDeadlinePassed { deadline } => (
                "START_DEADLINE_PASSED",
                "A-02",
                (
                    format!("Het budget moest uiterlijk op {} starten.", d(*deadline)),
                    format!("The budget had to start by {deadline}."),
                ),
            ),
            R::StopRequestNotSignedByHolder => (
                "STOP_REQUEST_NOT_SIGNED_BY_HOLDER",
                "E-01",
                s(
                    "De stopzetting moet ondertekend zijn door de budgethouder of de wettelijk vertegenwoordiger.",
                    "The stop letter must be signed by the budget holder or the legal representative.",
                ),
            ),
            R::DeathNotRecorded => (
                "DEATH_NOT_RECORDED",
                "S003-07",
                s(
                    "Registreer eerst het overlijden; de stopdatum is de datum van overlijden.",
                    "Record the death first; the stop date is the date of death.",
                ),
            ),
            R::ToewijzingRequired => (
                "TOEWIJZING_REQUIRED",
                "E-04",
                s(
                    "De omzetting vraagt een definitieve toewijzing.",
                    "The conversion needs a definitive allocation (toewijzing).",
                ),
            ),
            R::PvbNaJeugdhulpDeadlineMissed { limit } => (
                "PVB_NA_JEUGDHULP_DEADLINE_MISSED",
                "E-04",
                (
                    format!(
                        "Het ondersteuningsplan moest vóór {} ingediend zijn.",
                        d(*limit)
                    ),
                    format!("The support plan had to be submitted before {limit}."),
                ),
            ),
            R::BobSwitchClosed { last_date } => (
                "BOB_SWITCH_CLOSED",
                "E-07",
                (
                    format!(
                        "De vrijwillige overstap naar het zorgbudget kon tot en met {}.",
                        d(*last_date)
                    ),
                    format!(
                        "The voluntary switch to the zorgbudget was possible up to {last_date}."
                    ),
                ),
            ),
            R::UnknownVoucher => (
                "UNKNOWN_VOUCHER",
                "-",
                s("Deze waardebon is niet gekend.", "This voucher is unknown."),
            ),
            R::VoucherNotExchangeableForMoney => (
                "VOUCHER_NOT_EXCHANGEABLE_FOR_MONEY",
                "S003-28",
                s(
                    "De waardebon is niet inwisselbaar voor geld.",
                    "The voucher cannot be exchanged for money.",
                ),
            ),
            R::VoucherAlreadyUsed => (
                "VOUCHER_ALREADY_USED",
                "S003-28",
                s(
                    "De waardebon is al gebruikt of vervallen.",
                    "The voucher was already used or has expired.",
                ),
            ),
            R::VoucherExpired { valid_until } => (
                "VOUCHER_EXPIRED",
                "S003-28",
                (
                    format!("De waardebon was geldig tot en met {}.", d(*valid_until)),
                    format!("The voucher was valid up to {valid_until}."),
                ),
            ),
            R::UnknownAgreement => (
                "UNKNOWN_AGREEMENT",
                "-",
                s(
                    "Deze overeenkomst is niet gekend of loopt niet.",
                    "This agreement is unknown or not running.",
                ),
            ),
            R::DuplicateAgreement => (
                "DUPLICATE_AGREEMENT",
                "-",
                s(
                    "Deze overeenkomst bestaat al.",
                    "This agreement already exists.",
                ),
            ),
            R::NoActiveBudget => (
                "NO_ACTIVE_BUDGET",
                "-",
                s(
                    "Er is geen toegekend budget om deze overeenkomst op te besteden.",
                    "There is no granted budget to spend under this agreement.",
                ),
            ),
            R::AgreementPeriodInvalid => (
                "AGREEMENT_PERIOD_INVALID",
                "-",
                s(
                    "De einddatum ligt vóór de begindatum.",
                    "The end date is before the start date.",
                ),
            ),
            R::AgreementNotPending => (
                "AGREEMENT_NOT_PENDING",
                "-",
                s(
                    "Over deze overeenkomst is al beslist.",
                    "This agreement was already decided on.",
                ),
            ),
            R::AgreementNotActive => (
                "AGREEMENT_NOT_ACTIVE",
                "-",
                s(
                    "Deze overeenkomst loopt niet (meer).",
                    "This agreement is not (or no longer) running.",
                ),
            ),
            R::VoucherAgreementProviderOnly => (
                "VOUCHER_AGREEMENT_PROVIDER_ONLY",
                "P-09",
                s(
                    "Een voucherovereenkomst wordt geregistreerd door de zorgaanbieder of het VAPH, niet door de budgethouder.",
                    "A voucher agreement is registered by the provider or VAPH, not by the budget holder.",
                ),
            ),
            R::VoucherRequiresLicensedProvider => (
                "VOUCHER_REQUIRES_LICENSED_PROVIDER",
                "P-09",
                s(
                    "Voucher kan enkel bij een vergunde zorgaanbieder of voor intensieve bijstand door een bijstandsorganisatie.",
                    "Voucher is only possible with a licensed provider or for intensive assistance by an assistance organisation.",
                ),
            ),
            R::PabCombinationNotAllowed { rule } => (
                "PAB_COMBINATION_NOT_ALLOWED",
                rule,
                if *rule == "S003-13" {
                    s(
                        "Met een PAB kan geen dagopvang ingekocht worden; dien een combinatieformulier in.",
                        "Day care cannot be bought with a PAB; submit a combination form.",
                    )
                } else {
                    s(
                        "Mobiele of ambulante begeleiding (ook thuisbegeleiding) is niet combineerbaar met een PAB.",
                        "Mobile or ambulant guidance (including home guidance) cannot be combined with a PAB.",
                    )
                },
            ),
            R::ToahNotPayableWithPab => (
                "TOAH_NOT_PAYABLE_WITH_PAB",
                "S003-18",
                s(
                    "Tijdelijk onderwijs aan huis is combineerbaar met een PAB, maar mag niet met het PAB betaald worden.",
                    "Temporary home education can be combined with a PAB but not paid with it.",
                ),
            ),
            R::GoInternaatCostsNotPayable => (
                "GO_INTERNAAT_COSTS_NOT_PAYABLE",
                "S003-17",
                s(
                    "Internaatkosten van het GO mogen niet op het PAB ingebracht worden.",
                    "GO boarding-school costs cannot be claimed on the PAB.",
                ),
            ),
            R::MinorFamilyMemberNotAllowed => (
                "MINOR_FAMILY_MEMBER_NOT_ALLOWED",
                "F-01",
                s(
                    "Met een minderjarig familie- of gezinslid kan geen overeenkomst gesloten worden.",
                    "No agreement is allowed with a minor relative or household member.",
                ),
            ),
            R::WrongAgreementTypeFamily => (
                "WRONG_AGREEMENT_TYPE_FAMILY",
                "P-10",
                s(
                    "Een familielid tot de 2de graad registreert u als 'gezinslid/familielid', niet als individuele begeleider.",
                    "A relative up to the 2nd degree is registered as family member, not as individual assistant.",
                ),
            ),
            R::CovidAgreementMustBeCash => (
                "COVID_AGREEMENT_MUST_BE_CASH",
                "S004-12",
                s(
                    "Een COVID-19-overeenkomst is een cashovereenkomst.",
                    "A COVID-19 agreement is a cash agreement.",
                ),
            ),
            R::CovidAgreementNotOneToOne => (
                "COVID_AGREEMENT_NOT_ONE_TO_ONE",
                "S004-03",
                s(
                    "Een COVID-19-overeenkomst geeft zorg in een een-op-eenrelatie (of aan gezinsleden op één adres).",
                    "A COVID-19 agreement gives one-to-one care (or to family members at one address).",
                ),
            ),
            R::CovidMentionMissing => (
                "COVID_MENTION_MISSING",
                "S004-12",
                s(
                    "Vermeld 'COVID-19' in de taakomschrijving.",
                    "State 'COVID-19' in the task description.",
                ),
            ),
            R::CovidAgreementOutsideWindow { from, to } => (
                "COVID_AGREEMENT_OUTSIDE_WINDOW",
                "S004-10",
                (
                    format!(
                        "Een COVID-19-overeenkomst moet binnen de periode van {} tot en met {} vallen.",
                        d(*from),
                        d(*to)
                    ),
                    format!("A COVID-19 agreement must fall within {from} to {to}."),
                ),
            ),
            R::CovidUseIdoExtension => (
                "COVID_USE_IDO_EXTENSION",
                "S004-04",
                s(
                    "Met deze zorgaanbieder loopt al een IDO: registreer een uitbreiding van die IDO.",
                    "An IDO with this provider is running: register an extension of that IDO.",
                ),
            ),
            R::CovidIdoExtensionRequiresOneToOne => (
                "COVID_IDO_EXTENSION_REQUIRES_ONE_TO_ONE",
                "S004-04",
                s(
                    "Een uitbreiding kan enkel als de lopende IDO al individuele een-op-eenondersteuning voorzag.",
                    "An extension is only possible if the running IDO already provided one-to-one support.",
                ),
            ),
            R::IdoFrozen { rule, frozen_until } => (
                "IDO_FROZEN_UNTIL_2020_09_30",
                rule,
                (
                    format!(
                        "De IDO loopt door tot en met {} en kan pas daarna wijzigen of eindigen.",
                        d(*frozen_until)
                    ),
                    format!(
                        "The IDO runs on up to {frozen_until} and can only change or end after that."
                    ),
                ),
            ),
            R::IdoNoticeTooEarly { notice_from } => (
                "IDO_FROZEN_UNTIL_2020_09_30",
                "S004-07",
                (
                    format!("De IDO kan pas opgezegd worden vanaf {}.", d(*notice_from)),
                    format!("Notice of the IDO can only be given from {notice_from}."),
                ),
            ),
            R::StudentTooYoung {
                age,
                minimum_age,
                minimum_age_after_two_years_secondary,
            } => (
                "STUDENT_TOO_YOUNG",
                "F-02",
                (
                    format!(
                        "Een jobstudent moet bij de start van de overeenkomst minstens {minimum_age} jaar zijn, of {minimum_age_after_two_years_secondary} jaar na de eerste twee jaar secundair onderwijs; deze student is {age} jaar."
                    ),
                    format!(
                        "A job student must be at least {minimum_age} on the agreement's start, or {minimum_age_after_two_years_secondary} after completing the first two years of secondary school; this student is {age}."
                    ),
                ),
            ),
            R::VolunteerRequiresOrganisation => (
                "VOLUNTEER_REQUIRES_ORGANISATION",
                "F-03",
                s(
                    "Een vrijwilliger kan enkel vergoed worden via een overeenkomst met een erkende vrijwilligersorganisatie, niet rechtstreeks.",
                    "A volunteer can only be paid through an agreement with a recognised volunteer organisation, not directly.",
                ),
            ),
            R::ParentInitiativeNotRegistered {
                registration_required_from,
            } => (
                "OUDERINITIATIEF_NOT_REGISTERED",
                "V-02",
                (
                    format!(
                        "Vanaf {} aanvaardt het VAPH enkel overeenkomsten voor collectieve ondersteuning met een bij het VAPH geregistreerd ouderinitiatief; dit ouderinitiatief is op de startdatum niet geregistreerd.",
                        d(*registration_required_from)
                    ),
                    format!(
                        "From {registration_required_from} VAPH accepts agreements for collective support only from an ouderinitiatief registered with VAPH; this one is not registered on the start date."
                    ),
                ),
            ),
            R::IdoMustPrecedeSupport {
                start,
                signed_on,
                emergency_max_days,
            } => (
                "IDO_MUST_PRECEDE_SUPPORT",
                "G-IDO",
                match emergency_max_days {
                    None => (
                        format!(
                            "Een IDO wordt ondertekend voor de ondersteuning start: ondertekend op {}, start op {}.",
                            d(*signed_on),
                            d(*start)
                        ),
                        format!(
                            "An IDO is signed before the support starts: signed on {signed_on}, starting {start}."
                        ),
                    ),
                    Some(days) => (
                        format!(
                            "Ook in een noodsituatie wordt een IDO uiterlijk {days} dagen na de start ondertekend: ondertekend op {}, start op {}.",
                            d(*signed_on),
                            d(*start)
                        ),
                        format!(
                            "Even in an emergency an IDO is signed at most {days} days after the start: signed on {signed_on}, starting {start}."
                        ),
                    ),
                },
            ),
            R::AgreementFieldMissing { field } => (
                "AGREEMENT_FIELD_MISSING",
                field.rule(),
                (
                    format!(
                        "{} vermeldt {}; dat ontbreekt.",
                        field.agreement().0,
                        field.name_nl()
                    ),
                    format!(
                        "{} states {}; it is missing.",
                        field.agreement().1,
                        field.name_en()
                    ),
                ),
            ),
            R::CombinationChangeMustBeFullCalendarMonth { date } => (
                "COMBINATION_CHANGE_MUST_BE_FULL_CALENDAR_MONTH",
                "S003-15",
                (
                    format!(
                        "Een combinatie wijzigt per volledige kalendermaand; {} is niet de eerste van de maand.",
                        d(*date)
                    ),
                    format!(
                        "A combination changes per full calendar month; {date} is not the first of a month."
                    ),
                ),
            ),
            R::CombinationFormNotSigned => (
                "COMBINATION_FORM_NOT_SIGNED",
                "A-07",
                s(
                    "Het combinatieformulier moet door de budgethouder en het MFC ingevuld zijn.",
                    "The combination form must be completed by the budget holder and the MFC.",
                ),
            ),
            R::OnlySchoolRelatedDaycareCombinable => (
                "ONLY_SCHOOL_RELATED_DAYCARE_COMBINABLE",
                "S003-10",
                s(
                    "Enkel schoolaanvullende of schoolvervangende dagopvang is combineerbaar met een PAB.",
                    "Only school-supplementary or school-replacing day care can be combined with a PAB.",
                ),
            ),
            R::PabMfcResidentialNotAllowed => (
                "PAB_MFC_RESIDENTIAL_NOT_ALLOWED",
                "A-08",
                s(
                    "Een PAB is niet combineerbaar met verblijf in een MFC.",
                    "A PAB cannot be combined with a residential stay in an MFC.",
                ),
            ),
            R::HalfDaysRequired => (
                "HALF_DAYS_REQUIRED",
                "S003-13",
                s(
                    "Vermeld het aantal dagdelen dagopvang.",
                    "State the number of half-days of day care.",
                ),
            ),
            R::NotAnMfc => (
                "NOT_AN_MFC",
                "S003-14",
                s(
                    "De dagopvang komt niet van een erkend MFC.",
                    "The day care is not given by a recognised MFC.",
                ),
            ),
            R::UnknownCombination => (
                "UNKNOWN_COMBINATION",
                "-",
                s(
                    "Deze combinatie is niet gekend.",
                    "This combination is unknown.",
                ),
            ),
            R::DuplicateCombination => (
                "DUPLICATE_COMBINATION",
                "-",
                s(
                    "Deze combinatie bestaat al.",
                    "This combination already exists.",
                ),
            ),
            R::CombinationNotActive => (
                "COMBINATION_NOT_ACTIVE",
                "-",
                s(
                    "Deze combinatie is beëindigd.",
                    "This combination has ended.",
                ),
            ),
            R::CombinationDateBeforeCurrent { current } => (
                "COMBINATION_DATE_BEFORE_CURRENT",
                "S003-15",
                (
                    format!("De wijziging moet na {} ingaan.", d(*current)),
                    format!("The change must take effect after {current}."),
                ),
            ),
            R::NotALicensedBo => (
                "NOT_A_LICENSED_BO",
                "S000-03",
                s(
                    "Deze organisatie is geen vergunde bijstandsorganisatie.",
                    "This organisation is not a licensed assistance organisation.",
                ),
            ),
            R::AlreadyMember => (
                "ALREADY_MEMBER",
                "-",
                s(
                    "De persoon is al lid van deze bijstandsorganisatie.",
                    "The person already is a member of this assistance organisation.",
                ),
            ),
            R::LowThresholdAssistanceIsFree => (
                "LOW_THRESHOLD_ASSISTANCE_IS_FREE",
                "S000-08",
                s(
                    "Voor laagdrempelige bijstand mag geen bijdrage gevraagd worden.",
                    "No contribution may be charged for low-threshold assistance.",
                ),
            ),
            R::CollectiveTaskIsFree => (
                "COLLECTIVE_TASK_IS_FREE",
                "S000-12",
                s(
                    "Voor de collectieve opdracht mag geen bijdrage gevraagd worden.",
                    "No contribution may be charged for the collective task.",
                ),
            ),
            R::DuplicateReport => (
                "DUPLICATE_REPORT",
                "-",
                s("Deze melding bestaat al.", "This report already exists."),
            ),
            R::NoBudgetForYear { year } => (
                "NO_BUDGET_FOR_YEAR",
                "S003-21",
                (
                    format!("Dit budget heeft geen jaarbedrag voor {year}."),
                    format!("This budget has no annual amount for {year}."),
                ),
            ),
            R::EmptyCostClaim => (
                "EMPTY_COST_CLAIM",
                "S003-21",
                s(
                    "Een kostenstaat bevat minstens één kost.",
                    "A cost claim has at least one line.",
                ),
            ),
            R::DuplicateCostClaim => (
                "DUPLICATE_COST_CLAIM",
                "-",
                s(
                    "Deze kostenstaat werd al ingediend.",
                    "This cost claim was already submitted.",
                ),
            ),
            R::DuplicateCostLine { line } => (
                "DUPLICATE_COST_LINE",
                "-",
                (
                    format!("Lijn {line} komt twee keer voor in de kostenstaat."),
                    format!("Line {line} appears twice in the claim."),
                ),
            ),
            R::CostLinePeriodInvalid { line } => (
                "COST_LINE_PERIOD_INVALID",
                "-",
                (
                    format!("Lijn {line}: de prestatieperiode eindigt vóór ze begint."),
                    format!("Line {line}: the service period ends before it starts."),
                ),
            ),
            R::CostLineOutsideBudgetYear { line, year } => (
                "COST_LINE_OUTSIDE_BUDGET_YEAR",
                "-",
                (
                    format!("Lijn {line}: de prestaties vallen niet in budgetjaar {year}."),
                    format!("Line {line}: the service dates are not in budget year {year}."),
                ),
            ),
            R::UnknownCostLine => (
                "UNKNOWN_COST_LINE",
                "-",
                s(
                    "Deze kostenlijn is niet gekend.",
                    "This cost line is unknown.",
                ),
            ),
            R::CostLineNotHeld => (
                "COST_LINE_NOT_HELD",
                "-",
                s(
                    "Over deze kost werd al beslist; gebruik een herziening met reden.",
                    "This line was already decided; override it with a reason.",
                ),
            ),
            R::CostLineNotDecided => (
                "COST_LINE_NOT_DECIDED",
                "-",
                s(
                    "Deze kost wacht op een manuele beslissing.",
                    "This line is waiting for a manual decision.",
                ),
            ),
            R::DecisionUnchanged => (
                "DECISION_UNCHANGED",
                "-",
                s(
                    "De nieuwe beslissing is dezelfde als de huidige.",
                    "The new decision equals the current one.",
                ),
            ),
            R::NoApprovedCovidAgreement => (
                "NO_APPROVED_COVID_AGREEMENT",
                "C-02",
                s(
                    "De COVID-19-verhoging volgt pas na goedkeuring van een COVID-19-overeenkomst.",
                    "The COVID-19 increase follows only the approval of a COVID-19 agreement.",
                ),
            ),
            R::CovidAllowanceAlreadyGranted => (
                "COVID_ALLOWANCE_ALREADY_GRANTED",
                "S004-14",
                s(
                    "De COVID-19-verhoging voor dit jaar werd al toegekend.",
                    "The COVID-19 increase for this year was already granted.",
                ),
            ),
            R::NoCovidAllowance => (
                "NO_COVID_ALLOWANCE",
                "S004-14",
                s(
                    "Er is geen COVID-19-verhoging voor dit jaar.",
                    "There is no COVID-19 increase for this year.",
                ),
            ),
            R::AdvanceAlreadyPaid { rule } => (
                "ADVANCE_ALREADY_PAID",
                rule,
                s(
                    "Het voorschot werd al betaald.",
                    "The advance was already paid.",
                ),
            ),
            R::AdvanceNotDue { rule } => (
                "ADVANCE_NOT_DUE",
                rule,
                s(
                    "Het voorschot is nog niet verschuldigd (PVB: eerst het cashgedeelte en een goedgekeurde cashovereenkomst; PAB: eerst de start).",
                    "The advance is not due yet (PVB: first the cash part and an approved cash agreement; PAB: first the start).",
                ),
            ),
            R::DuplicatePayment => (
                "DUPLICATE_PAYMENT",
                "-",
                s("Deze betaling bestaat al.", "This payment already exists."),
            ),
            R::UnknownPayment => (
                "UNKNOWN_PAYMENT",
                "-",
                s("Deze betaling is niet gekend.", "This payment is unknown."),
            ),
            R::PaymentAlreadyExecuted => (
                "PAYMENT_ALREADY_EXECUTED",
                "-",
                s(
                    "Deze betaling werd al uitgevoerd.",
                    "This payment was already executed.",
                ),
            ),
            R::CashPartOnlyForPvb => (
                "CASH_PART_ONLY_FOR_PVB",
                "P-04",
                s(
                    "Enkel voor een PVB wordt een cashgedeelte opgegeven.",
                    "Only a PVB has a declared cash part.",
                ),
            ),
            R::ExtraSeveranceAlreadyGranted => (
                "EXTRA_SEVERANCE_ALREADY_GRANTED",
                "E-02",
                s(
                    "De bijkomende verbrekingsvergoeding werd al toegekend.",
                    "The extra severance was already granted.",
                ),
            ),
            R::SeveranceCapNotReached => (
                "SEVERANCE_CAP_NOT_REACHED",
                "E-02",
                s(
                    "Een bijkomende verbrekingsvergoeding kan pas als de kostenstaten aantonen dat het eerste vierde niet volstaat.",
                    "Extra severance only when the claims show the first quarter is insufficient.",
                ),
            ),
            R::BudgetYearNotEnded { year } => (
                "BUDGET_YEAR_NOT_ENDED",
                "P-06",
                (
                    format!("Budgetjaar {year} is nog niet voorbij."),
                    format!("Budget year {year} has not ended yet."),
                ),
            ),
            R::BudgetYearAlreadyClosed { year } => (
                "BUDGET_YEAR_ALREADY_CLOSED",
                "P-06",
                (
                    format!("Budgetjaar {year} werd al afgesloten."),
                    format!("Budget year {year} was already closed."),
                ),
            ),
            R::DuplicateRecovery => (
                "DUPLICATE_RECOVERY",
                "-",
                s(
                    "Deze terugvordering bestaat al.",
                    "This recovery already exists.",
                ),
            ),
            R::UnknownRecovery => (
                "UNKNOWN_RECOVERY",
                "-",
                s(
                    "Deze terugvordering is niet gekend.",
                    "This recovery is unknown.",
                ),
            ),
            R::RecoveryEvidenceRequired => (
                "RECOVERY_EVIDENCE_REQUIRED",
                "K-01",
                s(
                    "Een terugvordering vermeldt haar redenen, bewijsstukken en rechtsgrond.",
                    "A recovery states its reasons, evidence and legal basis.",
                ),
            ),
            R::RecoveryExceedsOutstanding { outstanding } => (
                "RECOVERY_EXCEEDS_OUTSTANDING",
                "K-03",
                (
                    format!(
                        "Het bedrag is hoger dan het openstaande saldo van de terugvordering ({}).",
                        outstanding.to_dutch()
                    ),
                    format!("The amount exceeds what is outstanding ({outstanding})."),
                ),
            ),
            R::BudgetNotEnded => (
                "BUDGET_NOT_ENDED",
                "E-01",
                s(
                    "Een eindafrekening volgt pas na het einde van het budget.",
                    "A final settlement follows only the end of the budget.",
                ),
            ),
            R::ProvisionalSettlementRequired => (
                "PROVISIONAL_SETTLEMENT_REQUIRED",
                "E-01",
                s(
                    "Eerst volgt een voorlopige eindafrekening.",
                    "A provisional final settlement comes first.",
                ),
            ),
            R::SettlementEvidencePeriodRunning { until } => (
                "SETTLEMENT_EVIDENCE_PERIOD_RUNNING",
                "E-01",
                (
                    format!(
                        "Bijkomende bewijsstukken kunnen nog tot en met {}.",
                        d(*until)
                    ),
                    format!("Extra evidence can still be sent up to {until}."),
                ),
            ),
            R::FinalSettlementAlreadyIssued => (
                "FINAL_SETTLEMENT_ALREADY_ISSUED",
                "E-01",
                s(
                    "De definitieve eindafrekening werd al opgemaakt.",
                    "The definitive final settlement was already issued.",
                ),
            ),
            R::DuplicateControl => (
                "DUPLICATE_CONTROL",
                "-",
                s("Deze controle bestaat al.", "This control already exists."),
            ),
            R::UnknownControl => (
                "UNKNOWN_CONTROL",
                "-",
                s("Deze controle is niet gekend.", "This control is unknown."),
            ),
            R::ControlAlreadyConcluded => (
                "CONTROL_ALREADY_CONCLUDED",
                "K-01",
                s(
                    "Deze controle werd al afgesloten.",
                    "This control was already concluded.",
                ),
            ),
            R::ControlPeriodInvalid => (
                "CONTROL_PERIOD_INVALID",
                "K-01",
                s(
                    "De gecontroleerde periode eindigt vóór ze begint.",
                    "The period controlled ends before it starts.",
                ),
            ),
            R::EvidenceListEmpty => (
                "EVIDENCE_LIST_EMPTY",
                "K-01",
                s(
                    "Vermeld minstens één document.",
                    "State at least one document.",
                ),
            ),
            R::EvidenceHashInvalid { reference } => (
                "EVIDENCE_HASH_INVALID",
                "K-01",
                (
                    format!("Document {reference}: de SHA-256 moet 64 hexadecimale tekens hebben."),
                    format!("Document {reference}: the SHA-256 must be 64 hex characters."),
                ),
            ),
            R::EvidenceHashMismatch { reference } => (
                "EVIDENCE_HASH_MISMATCH",
                "K-01",
                (
                    format!(
                        "Document {reference} werd al ontvangen met een andere inhoud; een bewijsstuk wijzigt niet."
                    ),
                    format!(
                        "Document {reference} was already received with other content; evidence never changes."
                    ),
                ),
            ),
            R::InspectionNotAnnounced => (
                "INSPECTION_NOT_ANNOUNCED",
                "K-02",
                s(
                    "Een inspectiebezoek wordt vooraf aangekondigd.",
                    "An inspection visit is announced beforehand.",
                ),
            ),
            R::FindingWithoutRule => (
                "FINDING_WITHOUT_RULE",
                "K-01",
                s(
                    "Elke vaststelling verwijst naar een regel en beschrijft wat werd vastgesteld.",
                    "Every finding cites a rule and describes what was found.",
                ),
            ),
            R::RecoveryExceedsFindings { findings } => (
                "RECOVERY_EXCEEDS_FINDINGS",
                "K-01",
                (
                    format!(
                        "De terugvordering is hoger dan de bedragen van de vaststellingen ({}).",
                        findings.to_dutch()
                    ),
                    format!("The recovery exceeds the amounts of the findings ({findings})."),
                ),
            ),
            R::DuplicateSample => (
                "DUPLICATE_SAMPLE",
                "-",
                s("Deze steekproef bestaat al.", "This sample already exists."),
            ),
            R::SampleSizeInvalid { size, population } => (
                "SAMPLE_SIZE_INVALID",
                "K-01",
                (
                    format!(
                        "Een steekproef van {size} uit {population} dossiers is niet mogelijk."
                    ),
                    format!("A sample of {size} out of {population} dossiers is not possible."),
                ),
            ),
            R::PopulationHasDuplicates => (
                "POPULATION_HAS_DUPLICATES",
                "K-01",
                s(
                    "De populatie bevat een dossier twee keer.",
                    "The population holds a dossier twice.",
                ),
            ),
        };
        (code, rule, nl, en)
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A refused command: no event happens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} ({rule}): {message_en}")]
pub struct Rejection {
    code: &'static str,
    rule: &'static str,
    message_nl: String,
    message_en: String,
    reason: Reason,
}

impl Rejection {
    /// The stable SCREAMING_SNAKE code, e.g. `PAB_ONLY_FOR_MINORS`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The rule id it enforces, e.g. `S003-02`; `-` for a check that is no rule of the brief.
    pub fn rule(&self) -> &'static str {
        self.rule
    }

    /// The message for staff, in Dutch (nl-BE).
    pub fn message_nl(&self) -> &str {
        &self.message_nl
    }

    pub fn message_en(&self) -> &str {
        &self.message_en
    }

    pub fn reason(&self) -> &Reason {
        &self.reason
    }
}

impl From<Reason> for Rejection {
    fn from(reason: Reason) -> Self {
        let (code, rule, message_nl, message_en) = reason.details();
        Self {
            code,
            rule,
            message_nl,
            message_en,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_carries_code_rule_and_dutch_dates() {
        let rejection = Rejection::from(Reason::PabOnlyForMinors {
            age: 18,
            submitted_on: NaiveDate::from_ymd_opt(2016, 4, 1).unwrap(),
        });
        assert_eq!(rejection.code(), "PAB_ONLY_FOR_MINORS");
        assert_eq!(rejection.rule(), "S003-02");
        assert!(rejection.message_nl().contains("01/04/2016"));
        assert!(rejection.message_en().contains("2016-04-01"));
        assert!(
            rejection
                .to_string()
                .starts_with("PAB_ONLY_FOR_MINORS (S003-02)")
        );
    }

    #[test]
    fn amounts_are_shown_to_staff_in_dutch_notation() {
        let rejection = Rejection::from(Reason::AmountMustBePositive {
            amount: Euro::parse("-1234.56").unwrap(),
        });
        assert_eq!(rejection.code(), "AMOUNT_MUST_BE_POSITIVE");
        assert!(
            rejection.message_nl().contains("€ -1.234,56"),
            "{}",
            rejection.message_nl()
        );
    }
}
