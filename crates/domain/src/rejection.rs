//! Why a command is refused: a stable code, the rule it enforces, and a message for staff in
//! Dutch (nl-BE) with an English one alongside. The same code reaches the HTTP response and the
//! CLI, so codes never change once released.
//!
//! Each reason is written once, as one row of the `reasons!` table below: its data, code, rule
//! id and both messages side by side.

use chrono::NaiveDate;

use crate::dossier::RepresentativeRole;
use crate::rule_book::{Parameter, ValueKind};
use crate::values::{DossierId, Euro, PersonId, dutch_date};

/// Declares every refusal reason once, as one row of a table: the variant with the data its
/// message needs, its code, its rule id (`-` for a check that is no rule of the brief), and its
/// Dutch and English messages side by side. A message is a `&str` or a `String`; the variant's
/// fields are in scope, by reference. Generates [`Reason`], its details and [`CODES`].
/// What someone was not authorised to do, in both languages of the messages: the English verb
/// phrase ("void a dossier") and the Dutch one as it follows "om" ("een dossier te vernietigen").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Action {
    pub en: &'static str,
    pub nl: &'static str,
}

impl Action {
    pub const fn new(en: &'static str, nl: &'static str) -> Self {
        Self { en, nl }
    }
}

macro_rules! reasons {
    ($(
        $(#[$meta:meta])*
        $variant:ident $({ $($(#[$field_meta:meta])* $field:ident: $ty:ty),* $(,)? })?
            => $code:literal, $rule:expr,
            nl: $nl:expr,
            en: $en:expr;
    )*) => {
        /// Every reason a command can be refused, with the data the message needs.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Reason {
            $($(#[$meta])* $variant $({ $($(#[$field_meta])* $field: $ty),* })?,)*
        }

        /// The code of every reason, in the order of the table (a code shared by two reasons
        /// appears twice).
        pub const CODES: &[&str] = &[$($code),*];

        impl Reason {
            #[allow(clippy::too_many_lines)]
            fn details(&self) -> Details {
                match self {
                    $(Self::$variant $({ $($field),* })? => {
                        ($code, $rule, message($nl), message($en))
                    })*
                }
            }
        }
    };
}

/// A message of the table as an owned string: a fixed text or a formatted one.
fn message(text: impl Into<String>) -> String {
    text.into()
}

reasons! {
    // General
    NotAuthorised { action: Action } => "NOT_AUTHORISED", "-",
        nl: format!("U bent niet bevoegd om {}.", action.nl),
        en: format!("You are not authorised to {}.", action.en);
    RuleParameterMissing { parameter: Parameter, on: NaiveDate } => "RULE_PARAMETER_MISSING", "-",
        nl: format!("Het regelboek bevat geen waarde voor {} op {}.", parameter.code(), dutch_date(*on)),
        en: format!("The rule book has no value for {} on {on}.", parameter.code());
    ParameterValueKindMismatch {
        parameter: Parameter,
        expected: ValueKind,
    } => "PARAMETER_VALUE_KIND_MISMATCH", "-",
        nl: format!("Parameter {} verwacht een waarde van het type {expected:?}.", parameter.code()),
        en: format!("Parameter {} takes a {expected:?} value.", parameter.code());
    ParameterPeriodInvalid { parameter: Parameter } => "PARAMETER_PERIOD_INVALID", "-",
        nl: format!("De periode van parameter {} eindigt vóór ze begint.", parameter.code()),
        en: format!("The period of parameter {} ends before it starts.", parameter.code());
    ParameterSourceMissing { parameter: Parameter } => "PARAMETER_SOURCE_MISSING", "-",
        nl: format!("Vermeld de regel en de rechtsgrond van parameter {}.", parameter.code()),
        en: format!("State the rule and legal reference of parameter {}.", parameter.code());
    ReasonRequired => "REASON_REQUIRED", "-",
        nl: "Vermeld een reden of referentie.",
        en: "State a reason or reference.";
    /// What a command creates needs an id: the HTTP service makes it when a client leaves it
    /// out; another caller must give one.
    IdMissing { field: &'static str } => "ID_MISSING", "-",
        nl: format!("Het nieuwe {field} heeft geen id gekregen."),
        en: format!("The new {field} was given no id.");
    /// A migration carries at least one fact.
    MigrationEmpty => "MIGRATION_EMPTY", "-",
        nl: "Een migratie bevat minstens één feit uit het vorige systeem.",
        en: "A migration holds at least one fact from the previous system.";
    /// Registering a person, correcting an INSZ or voiding a dossier writes the person index
    /// too: a migration cannot.
    MigrationCannotRegister => "MIGRATION_CANNOT_REGISTER", "-",
        nl: "Registreren, een INSZ verbeteren of een dossier vernietigen gebeurt via de personenindex, niet via een migratie.",
        en: "Registering, correcting an INSZ or voiding a dossier goes through the person index, not a migration.";
    /// A person's name needs a family name and a given name, each at most 200 characters.
    PersonNameInvalid => "PERSON_NAME_INVALID", "-",
        nl: "Vul een familienaam en een voornaam in (elk hoogstens 200 tekens).",
        en: "Give a family name and a given name (each at most 200 characters).";
    InvalidInput { field: &'static str, problem: &'static str } => "INVALID_INPUT", "-",
        nl: format!("Het veld {field} is ongeldig: {problem}."),
        en: format!("The field {field} is invalid: {problem}.");
    UserNameTaken { name: String } => "USER_NAME_TAKEN", "-",
        nl: format!("Er bestaat al een gebruiker met de naam {name}."),
        en: format!("A user named {name} already exists.");
    UnknownUser => "UNKNOWN_USER", "-",
        nl: "Deze gebruiker bestaat niet.",
        en: "This user does not exist.";
    // Four-eyes (maker and checker), `crate::four_eyes`.
    /// A weighty decision given straight away by a person: it is proposed, then confirmed by
    /// a second.
    ProposalRequired => "PROPOSAL_REQUIRED", "-",
        nl: "Voor dit besluit zijn twee personen nodig: leg het vast als voorstel, dat een tweede collega bevestigt.",
        en: "This decision takes two people: record it as a proposal for a second colleague to confirm.";
    /// The one who proposed a decision confirms or refuses it themselves.
    FourEyesSameUser => "FOUR_EYES_SAME_USER", "-",
        nl: "U deed dit voorstel zelf: een andere collega moet het bevestigen of weigeren.",
        en: "You made this proposal yourself: another colleague must confirm or refuse it.";
    /// What the proposal is about changed since, so that the decision would now come out
    /// differently than the proposer saw it.
    ProposalStale => "PROPOSAL_STALE", "-",
        nl: "Het dossier is veranderd sinds dit voorstel: het besluit zou nu anders uitvallen. Weiger het voorstel en stel opnieuw voor.",
        en: "The target changed since this proposal: the decision would now come out differently. Refuse it and propose again.";
    /// A command that needs no second person, offered as a proposal.
    NotAWeightyDecision => "NOT_A_WEIGHTY_DECISION", "-",
        nl: "Voor dit besluit is geen tweede persoon nodig: geef het rechtstreeks.",
        en: "This decision needs no second person: give it directly.";
    UnknownProposal => "UNKNOWN_PROPOSAL", "-",
        nl: "Dit voorstel bestaat niet.",
        en: "This proposal does not exist.";
    /// The proposal was confirmed, refused or withdrawn already.
    ProposalClosed => "PROPOSAL_CLOSED", "-",
        nl: "Over dit voorstel is al beslist.",
        en: "This proposal has been decided already.";
    ProposalIdTaken => "PROPOSAL_ID_TAKEN", "-",
        nl: "Er bestaat al een voorstel met dit nummer.",
        en: "A proposal with this id exists already.";
    /// A colleague took the work item first.
    WorkItemTaken => "WORK_ITEM_TAKEN", "-",
        nl: "Een collega heeft dit werkitem al genomen.",
        en: "A colleague has taken this work item already.";
    WorkItemNotYours => "WORK_ITEM_NOT_YOURS", "-",
        nl: "Alleen wie dit werkitem nam, kan het vrijgeven.",
        en: "Only the one who took this work item can release it.";
    UnknownWorkItem => "UNKNOWN_WORK_ITEM", "-",
        nl: "Dit werkitem staat niet (meer) in deze werklijst.",
        en: "This item is not (or no longer) in this work queue.";
    /// Two administrators exist: from now on a role is given by four-eyes.
    BootstrapClosed => "BOOTSTRAP_CLOSED", "-",
        nl: "Er zijn al twee beheerders: een beheerder stelt een nieuwe gebruiker voor en een tweede bevestigt die.",
        en: "Two administrators exist: one administrator proposes a new user and another confirms it.";
    UnknownToken => "UNKNOWN_TOKEN", "-",
        nl: "Dit token bestaat niet.",
        en: "This token does not exist.";
    NothingDue => "NOTHING_DUE", "-",
        nl: "Er is vandaag niets te doen voor dit dossier.",
        en: "Nothing is due for this dossier today.";
    DateInFuture { date: NaiveDate } => "DATE_IN_FUTURE", "-",
        nl: format!("De datum {} ligt in de toekomst.", dutch_date(*date)),
        en: format!("The date {date} is in the future.");
    AmountMustBePositive { amount: Euro } => "AMOUNT_MUST_BE_POSITIVE", "-",
        nl: format!("Het bedrag moet positief zijn; het is {}.", amount.to_dutch()),
        en: format!("The amount must be positive; it is {amount}.");

    // Registry
    OrganisationAlreadyLicensed => "ORGANISATION_ALREADY_LICENSED", "-",
        nl: "Deze organisatie heeft al een vergunning.",
        en: "This organisation is already licensed.";
    AssistanceOrganisationLicenceCapReached {
        cap: u32,
        on: NaiveDate,
    } => "BO_LICENCE_CAP_REACHED", "S000-03",
        nl: format!("Er zijn op {} al {cap} bijstandsorganisaties vergund; meer is niet toegestaan.", dutch_date(*on)),
        en: format!("{cap} assistance organisations are already licensed on {on}; no more are allowed.");
    UnknownOrganisation => "UNKNOWN_ORGANISATION", "-",
        nl: "Deze organisatie is niet gekend.",
        en: "This organisation is unknown.";
    LicenceNotActive => "LICENCE_NOT_ACTIVE", "-",
        nl: "De vergunning van deze organisatie is al ingetrokken.",
        en: "The licence of this organisation was already withdrawn.";

    // Person, representatives, holder, account
    DossierNotOpened => "DOSSIER_NOT_OPENED", "-",
        nl: "Er is nog geen persoon geregistreerd in dit dossier.",
        en: "No person is registered in this dossier yet.";
    DossierVoided => "DOSSIER_VOIDED", "-",
        nl: "Dit dossier werd vernietigd (geopend bij vergissing): er wordt niets meer in beslist.",
        en: "This dossier was voided (opened by mistake): nothing more is decided in it.";
    /// An erased dossier keeps its figures, never its personal data: nothing more is decided.
    DossierErased => "DOSSIER_ERASED", "-",
        nl: "De persoonsgegevens van dit dossier zijn gewist: er wordt niets meer in beslist.",
        en: "This dossier's personal data was erased: nothing more is decided in it.";
    /// The dossier's personal data cannot be read here (a copy made without its keys).
    PersonalDataUnreadable => "PERSONAL_DATA_UNREADABLE", "-",
        nl: "De persoonsgegevens van dit dossier zijn hier niet leesbaar (de sleutel ontbreekt): er kan niets in beslist worden.",
        en: "This dossier's personal data cannot be read here (its key is missing): nothing can be decided in it.";
    /// Erasure waits until the dossier is closed: no budget running, every started budget
    /// settled, no recovery outstanding, no control open.
    DossierNotClosed => "DOSSIER_NOT_CLOSED", "D-03",
        nl: "Dit dossier is nog niet afgesloten: de gegevens moeten bewaard blijven.",
        en: "This dossier is not closed yet: its data must be kept.";
    RetentionNotEnded { until: NaiveDate } => "RETENTION_NOT_ENDED", "D-03",
        nl: format!("De bewaartermijn van dit dossier loopt tot {}: wissen kan pas daarna.", dutch_date(*until)),
        en: format!("This dossier's retention period runs until {until}: it can be erased only after that.");
    VoidAfterPayment => "VOID_AFTER_PAYMENT", "-",
        nl: "Er werd al een betaling bevolen in dit dossier: vernietigen kan niet meer, een terugvordering wel.",
        en: "A payment was already ordered in this dossier: it can no longer be voided; recover instead.";
    /// A claim is voided only while nothing of it was paid.
    ClaimPaid => "VOID_AFTER_PAYMENT", "-",
        nl: "Er werd al een betaling bevolen voor deze kostenstaat: vernietigen kan niet meer, een terugvordering wel.",
        en: "A payment was already ordered for this claim: it can no longer be voided; recover instead.";
    /// An agreement is voided only once no claim (not voided) cites it and no COVID-19
    /// increase rests on it.
    AgreementInUse => "AGREEMENT_IN_USE", "-",
        nl: "Deze overeenkomst wordt nog gebruikt door een kostenstaat of een COVID-19-verhoging: vernietig eerst de kostenstaten die ernaar verwijzen.",
        en: "A cost claim or a COVID-19 increase still rests on this agreement: void the claims citing it first.";
    AgreementVoided => "AGREEMENT_VOIDED", "-",
        nl: "Deze overeenkomst werd vernietigd: er kan niets meer in beslist worden.",
        en: "This agreement was voided: nothing more can be decided on it.";
    ClaimVoided => "CLAIM_VOIDED", "-",
        nl: "Deze kostenstaat werd vernietigd: er kan niets meer in beslist worden.",
        en: "This cost claim was voided: nothing more can be decided on it.";
    DuplicatePerson => "DUPLICATE_PERSON", "-",
        nl: "Deze persoon is al geregistreerd.",
        en: "This person is already registered.";
    DuplicatePersonInDossier { dossier: DossierId } => "DUPLICATE_PERSON", "-",
        nl: format!("Deze persoon is al geregistreerd in dossier {dossier}."),
        en: format!("This person is already registered in dossier {dossier}.");
    /// A person record: none for this id yet.
    PersonUnknown => "PERSON_UNKNOWN", "-",
        nl: "Deze persoon is niet gekend: registreer eerst de persoon (naam en INSZ).",
        en: "This person is not known: record the person first (name and INSZ).";
    /// A person record is identified once; later changes are corrections.
    PersonAlreadyIdentified => "PERSON_ALREADY_IDENTIFIED", "-",
        nl: "Deze persoon is al geregistreerd met andere gegevens: verbeter de naam of de contactgegevens.",
        en: "This person is already recorded with other details: correct the name or the contact details.";
    /// Nothing is recorded about a person whose data was erased.
    /// A person's data is erased only once every dossier naming them may lose it.
    PersonKeptForDossier { dossier: DossierId, until: Option<NaiveDate> } => "PERSON_KEPT_FOR_DOSSIER", "D-03",
        nl: match until {
            Some(until) => format!("Deze persoon staat in dossier {dossier}, dat bewaard blijft tot {}: wissen kan pas daarna.", dutch_date(*until)),
            None => format!("Deze persoon staat in dossier {dossier}, dat nog niet is afgesloten: de gegevens moeten bewaard blijven."),
        },
        en: match until {
            Some(until) => format!("This person is named in dossier {dossier}, which is kept until {until}: they can be erased only after that."),
            None => format!("This person is named in dossier {dossier}, which is not closed yet: their data must be kept."),
        };
    PersonErased => "PERSON_ERASED", "-",
        nl: "De gegevens van deze persoon zijn gewist: er kan niets meer over deze persoon worden geregistreerd.",
        en: "This person's data was erased: nothing more can be recorded about them.";
    /// Without an INSZ, staff say why there is none.
    NoInszReasonRequired => "NO_INSZ_REASON_REQUIRED", "-",
        nl: "Vermeld waarom deze persoon geen INSZ heeft.",
        en: "State why this person has no INSZ.";
    /// One INSZ is the INSZ of one person.
    InszOfAnotherPerson { person: PersonId } => "INSZ_OF_ANOTHER_PERSON", "-",
        nl: format!("Dit INSZ is al dat van persoon {person}."),
        en: format!("This INSZ already is the INSZ of person {person}.");
    /// The INSZ of a dossier's own person is corrected in the dossier, which re-keys its claim.
    InszCorrectedInDossier { dossier: DossierId } => "INSZ_CORRECTED_IN_DOSSIER", "-",
        nl: format!("Deze persoon heeft een eigen dossier ({dossier}): verbeter het INSZ in dat dossier."),
        en: format!("This person has a dossier of their own ({dossier}): correct the INSZ in that dossier.");
    BirthDateRequired => "BIRTH_DATE_REQUIRED", "-",
        nl: "Het rijksregisternummer bevat geen volledige geboortedatum: vul de geboortedatum in.",
        en: "The INSZ does not encode a full birth date: give the birth date.";
    CorrectionUnchanged => "CORRECTION_UNCHANGED", "-",
        nl: "De verbetering is gelijk aan de huidige waarde.",
        en: "The correction equals the current value.";
    PersonDeceased => "PERSON_DECEASED", "-",
        nl: "De persoon is overleden.",
        en: "The person has died.";
    RepNotLegalRepresentative {
        role: RepresentativeRole,
        rule: &'static str,
    } => "REP_NOT_LEGAL_REPRESENTATIVE", rule,
        nl: format!("{} is hier geen wettelijk vertegenwoordiger en kan geen budgethouder zijn.", capitalise(role_nl(*role))),
        en: format!("{} is not a legal representative here and cannot be budget holder.", capitalise(role_en(*role)));
    CourtBewindNotAllowedForMinor => "COURT_BEWIND_NOT_ALLOWED_FOR_MINOR", "S003-26",
        nl: "Voor een minderjarige kan geen bewindvoering of budgethouderschap via de rechtbank geregeld worden.",
        en: "For a minor, neither administration nor budget holdership can be arranged through the court.";
    RepresentativeAlreadyAssigned => "REPRESENTATIVE_ALREADY_ASSIGNED", "-",
        nl: "Deze persoon is al vertegenwoordiger.",
        en: "This person already is a representative.";
    UnknownRepresentative => "UNKNOWN_REPRESENTATIVE", "-",
        nl: "Deze persoon is geen vertegenwoordiger in dit dossier.",
        en: "This person is not a representative in this dossier.";
    InvalidBudgetHolder {
        minor: bool,
    } => "INVALID_BUDGET_HOLDER", if *minor { "S003-22" } else { "E-06" },
        nl: if *minor {
            "Budgethouder van een minderjarige is een ouder, adoptieouder of voogd die wettelijk vertegenwoordiger is."
        } else {
            "Budgethouder van een meerderjarige is de persoon zelf, de bewindvoerder over persoon en goederen of de zorgvolmachtdrager."
        },
        en: if *minor {
            "The budget holder of a minor is a parent, adoptive parent or guardian who is legal representative."
        } else {
            "The budget holder of an adult is the person, the administrator over person and goods, or the care mandatary."
        };
    AccountNameMismatch => "ACCOUNT_NAME_MISMATCH", "A-03",
        nl: "De budgetrekening moet op naam staan van de budgethouder, een wettelijk vertegenwoordiger, een bij notariële akte aangestelde persoon of de minderjarige.",
        en: "The budget account must be in the name of the budget holder, a legal representative, a notarial appointee or the minor.";
    AccountNotDedicated => "ACCOUNT_NOT_DEDICATED", "A-03",
        nl: "Voor het budget is een aparte rekening verplicht.",
        en: "A separate account for the budget is mandatory.";
    NoBudgetAccount => "NO_BUDGET_ACCOUNT", "A-03",
        nl: "Er is nog geen budgetrekening geregistreerd.",
        en: "No budget account is registered yet.";

    // Budgets
    UnknownBudget => "UNKNOWN_BUDGET", "-",
        nl: "Dit budget is niet gekend.",
        en: "This budget is unknown.";
    DuplicateBudget => "DUPLICATE_BUDGET", "-",
        nl: "Dit budget bestaat al.",
        en: "This budget already exists.";
    BudgetAlreadyActive => "BUDGET_ALREADY_ACTIVE", "-",
        nl: "Er loopt al een budget van deze soort.",
        en: "A budget of this kind is already running.";
    PabOnlyForMinors { age: u32, submitted_on: NaiveDate } => "PAB_ONLY_FOR_MINORS", "S003-02",
        nl: format!("Een PAB kan enkel voor minderjarigen aangevraagd worden; de aanvrager was {age} jaar op {}. Een meerderjarige vraagt een PVB aan.", dutch_date(*submitted_on)),
        en: format!("A PAB can only be applied for for minors; the applicant was {age} on {submitted_on}. An adult applies for a PVB.");
    UrgentProcedureConditionsNotMet {
        age: u32,
        min: u32,
        max: u32,
        attest_missing: bool,
    } => "SPOED_CONDITIONS_NOT_MET", "S003-20",
        nl: if *attest_missing {
            "De spoedprocedure vraagt een attest van de behandelende arts-specialist.".to_owned()
        } else {
            format!("De spoedprocedure geldt van {min} tot en met {max} jaar; het kind is {age} jaar.")
        },
        en: if *attest_missing {
            "The urgent procedure needs an attest of the treating specialist.".to_owned()
        } else {
            format!("The urgent procedure is for ages {min} to {max}; the child is {age}.")
        };
    NoPabApplication => "NO_PAB_APPLICATION", "-",
        nl: "Er is geen openstaande PAB-aanvraag voor dit budget.",
        en: "There is no open PAB application for this budget.";
    NoActivePab => "NO_ACTIVE_PAB", "-",
        nl: "Er loopt geen PAB.",
        en: "No PAB is running.";
    PvbMadeAvailableBeforeMajority { from: NaiveDate } => "PVB_TBS_BEFORE_MAJORITY", "E-04",
        nl: format!("Een PVB kan pas ter beschikking gesteld worden vanaf {}.", dutch_date(*from)),
        en: format!("A PVB can only be made available from {from}.");
    BudgetNotActive => "BUDGET_NOT_ACTIVE", "-",
        nl: "Dit budget is niet (meer) actief.",
        en: "This budget is not (or no longer) active.";
    PabStartRequiresDeregistrationAttest => "PAB_START_REQUIRES_DEREGISTRATION_ATTEST", "S003-09",
        nl: "Het PAB kan pas starten als het attest van uitschrijving uit de thuisbegeleiding bij het VAPH is.",
        en: "The PAB can only start once the attest of de-registration from home guidance has reached VAPH.";
    StartDeadlinePassed { deadline: NaiveDate } => "START_DEADLINE_PASSED", "A-02",
        nl: format!("Het budget moest uiterlijk op {} starten.", dutch_date(*deadline)),
        en: format!("The budget had to start by {deadline}.");
    StopRequestNotSignedByHolder => "STOP_REQUEST_NOT_SIGNED_BY_HOLDER", "E-01",
        nl: "De stopzetting moet ondertekend zijn door de budgethouder of de wettelijk vertegenwoordiger.",
        en: "The stop letter must be signed by the budget holder or the legal representative.";
    DeathNotRecorded => "DEATH_NOT_RECORDED", "S003-07",
        nl: "Registreer eerst het overlijden; de stopdatum is de datum van overlijden.",
        en: "Record the death first; the stop date is the date of death.";
    ToewijzingRequired => "TOEWIJZING_REQUIRED", "E-04",
        nl: "De omzetting vraagt een definitieve toewijzing.",
        en: "The conversion needs a definitive allocation (toewijzing).";
    PvbNaJeugdhulpDeadlineMissed { limit: NaiveDate } => "PVB_NA_JEUGDHULP_DEADLINE_MISSED", "E-04",
        nl: format!("Het ondersteuningsplan moest vóór {} ingediend zijn.", dutch_date(*limit)),
        en: format!("The support plan had to be submitted before {limit}.");
    BobSwitchClosed { last_date: NaiveDate } => "BOB_SWITCH_CLOSED", "E-07",
        nl: format!("De vrijwillige overstap naar het zorgbudget kon tot en met {}.", dutch_date(*last_date)),
        en: format!("The voluntary switch to the zorgbudget was possible up to {last_date}.");
    UnknownVoucher => "UNKNOWN_VOUCHER", "-",
        nl: "Deze waardebon is niet gekend.",
        en: "This voucher is unknown.";
    VoucherNotExchangeableForMoney => "VOUCHER_NOT_EXCHANGEABLE_FOR_MONEY", "S003-28",
        nl: "De waardebon is niet inwisselbaar voor geld.",
        en: "The voucher cannot be exchanged for money.";
    VoucherAlreadyUsed => "VOUCHER_ALREADY_USED", "S003-28",
        nl: "De waardebon is al gebruikt of vervallen.",
        en: "The voucher was already used or has expired.";
    VoucherExpired { valid_until: NaiveDate } => "VOUCHER_EXPIRED", "S003-28",
        nl: format!("De waardebon was geldig tot en met {}.", dutch_date(*valid_until)),
        en: format!("The voucher was valid up to {valid_until}.");

    // Agreements
    UnknownAgreement => "UNKNOWN_AGREEMENT", "-",
        nl: "Deze overeenkomst is niet gekend of loopt niet.",
        en: "This agreement is unknown or not running.";
    DuplicateAgreement => "DUPLICATE_AGREEMENT", "-",
        nl: "Deze overeenkomst bestaat al.",
        en: "This agreement already exists.";
    NoActiveBudget => "NO_ACTIVE_BUDGET", "-",
        nl: "Er is geen toegekend budget om deze overeenkomst op te besteden.",
        en: "There is no granted budget to spend under this agreement.";
    AgreementPeriodInvalid => "AGREEMENT_PERIOD_INVALID", "-",
        nl: "De einddatum ligt vóór de begindatum.",
        en: "The end date is before the start date.";
    AgreementNotPending => "AGREEMENT_NOT_PENDING", "-",
        nl: "Over deze overeenkomst is al beslist.",
        en: "This agreement was already decided on.";
    AgreementNotActive => "AGREEMENT_NOT_ACTIVE", "-",
        nl: "Deze overeenkomst loopt niet (meer).",
        en: "This agreement is not (or no longer) running.";
    VoucherAgreementProviderOnly => "VOUCHER_AGREEMENT_PROVIDER_ONLY", "P-09",
        nl: "Een voucherovereenkomst wordt geregistreerd door de zorgaanbieder of het VAPH, niet door de budgethouder.",
        en: "A voucher agreement is registered by the provider or VAPH, not by the budget holder.";
    VoucherRequiresLicensedProvider => "VOUCHER_REQUIRES_LICENSED_PROVIDER", "P-09",
        nl: "Voucher kan enkel bij een vergunde zorgaanbieder of voor intensieve bijstand door een bijstandsorganisatie.",
        en: "Voucher is only possible with a licensed provider or for intensive assistance by an assistance organisation.";
    PabCombinationNotAllowed { rule: &'static str } => "PAB_COMBINATION_NOT_ALLOWED", rule,
        nl: if *rule == "S003-13" {
            "Met een PAB kan geen dagopvang ingekocht worden; dien een combinatieformulier in."
        } else {
            "Mobiele of ambulante begeleiding (ook thuisbegeleiding) is niet combineerbaar met een PAB."
        },
        en: if *rule == "S003-13" {
            "Day care cannot be bought with a PAB; submit a combination form."
        } else {
            "Mobile or ambulant guidance (including home guidance) cannot be combined with a PAB."
        };
    ToahNotPayableWithPab => "TOAH_NOT_PAYABLE_WITH_PAB", "S003-18",
        nl: "Tijdelijk onderwijs aan huis is combineerbaar met een PAB, maar mag niet met het PAB betaald worden.",
        en: "Temporary home education can be combined with a PAB but not paid with it.";
    GoInternaatCostsNotPayable => "GO_INTERNAAT_COSTS_NOT_PAYABLE", "S003-17",
        nl: "Internaatkosten van het GO mogen niet op het PAB ingebracht worden.",
        en: "GO boarding-school costs cannot be claimed on the PAB.";
    MinorFamilyMemberNotAllowed => "MINOR_FAMILY_MEMBER_NOT_ALLOWED", "F-01",
        nl: "Met een minderjarig familie- of gezinslid kan geen overeenkomst gesloten worden.",
        en: "No agreement is allowed with a minor relative or household member.";
    WrongAgreementTypeFamily => "WRONG_AGREEMENT_TYPE_FAMILY", "P-10",
        nl: "Een familielid tot de 2de graad registreert u als 'gezinslid/familielid', niet als individuele begeleider.",
        en: "A relative up to the 2nd degree is registered as family member, not as individual assistant.";
    CovidAgreementMustBeCash => "COVID_AGREEMENT_MUST_BE_CASH", "S004-12",
        nl: "Een COVID-19-overeenkomst is een cashovereenkomst.",
        en: "A COVID-19 agreement is a cash agreement.";
    CovidAgreementNotOneToOne => "COVID_AGREEMENT_NOT_ONE_TO_ONE", "S004-03",
        nl: "Een COVID-19-overeenkomst geeft zorg in een een-op-eenrelatie (of aan gezinsleden op één adres).",
        en: "A COVID-19 agreement gives one-to-one care (or to family members at one address).";
    CovidMentionMissing => "COVID_MENTION_MISSING", "S004-12",
        nl: "Vermeld 'COVID-19' in de taakomschrijving.",
        en: "State 'COVID-19' in the task description.";
    CovidAgreementOutsideWindow {
        from: NaiveDate,
        to: NaiveDate,
    } => "COVID_AGREEMENT_OUTSIDE_WINDOW", "S004-10",
        nl: format!("Een COVID-19-overeenkomst moet binnen de periode van {} tot en met {} vallen.", dutch_date(*from), dutch_date(*to)),
        en: format!("A COVID-19 agreement must fall within {from} to {to}.");
    CovidUseIdoExtension => "COVID_USE_IDO_EXTENSION", "S004-04",
        nl: "Met deze zorgaanbieder loopt al een IDO: registreer een uitbreiding van die IDO.",
        en: "An IDO with this provider is running: register an extension of that IDO.";
    CovidIdoExtensionRequiresOneToOne => "COVID_IDO_EXTENSION_REQUIRES_ONE_TO_ONE", "S004-04",
        nl: "Een uitbreiding kan enkel als de lopende IDO al individuele een-op-eenondersteuning voorzag.",
        en: "An extension is only possible if the running IDO already provided one-to-one support.";
    IdoFrozen {
        rule: &'static str,
        frozen_until: NaiveDate,
    } => "IDO_FROZEN_UNTIL_2020_09_30", rule,
        nl: format!("De IDO loopt door tot en met {} en kan pas daarna wijzigen of eindigen.", dutch_date(*frozen_until)),
        en: format!("The IDO runs on up to {frozen_until} and can only change or end after that.");
    IdoNoticeTooEarly { notice_from: NaiveDate } => "IDO_FROZEN_UNTIL_2020_09_30", "S004-07",
        nl: format!("De IDO kan pas opgezegd worden vanaf {}.", dutch_date(*notice_from)),
        en: format!("Notice of the IDO can only be given from {notice_from}.");
    StudentTooYoung {
        age: u32,
        minimum_age: u32,
        minimum_age_after_two_years_secondary: u32,
    } => "STUDENT_TOO_YOUNG", "F-02",
        nl: format!("Een jobstudent moet bij de start van de overeenkomst minstens {minimum_age} jaar zijn, of {minimum_age_after_two_years_secondary} jaar na de eerste twee jaar secundair onderwijs; deze student is {age} jaar."),
        en: format!("A job student must be at least {minimum_age} on the agreement's start, or {minimum_age_after_two_years_secondary} after completing the first two years of secondary school; this student is {age}.");
    VolunteerRequiresOrganisation => "VOLUNTEER_REQUIRES_ORGANISATION", "F-03",
        nl: "Een vrijwilliger kan enkel vergoed worden via een overeenkomst met een erkende vrijwilligersorganisatie, niet rechtstreeks.",
        en: "A volunteer can only be paid through an agreement with a recognised volunteer organisation, not directly.";
    ParentInitiativeNotRegistered {
        registration_required_from: NaiveDate,
    } => "OUDERINITIATIEF_NOT_REGISTERED", "V-02",
        nl: format!("Vanaf {} aanvaardt het VAPH enkel overeenkomsten voor collectieve ondersteuning met een bij het VAPH geregistreerd ouderinitiatief; dit ouderinitiatief is op de startdatum niet geregistreerd.", dutch_date(*registration_required_from)),
        en: format!("From {registration_required_from} VAPH accepts agreements for collective support only from an ouderinitiatief registered with VAPH; this one is not registered on the start date.");
    IdoMustPrecedeSupport {
        start: NaiveDate,
        signed_on: NaiveDate,
        /// The emergency grace in days, when the IDO was signed in an emergency.
        emergency_max_days: Option<u32>,
    } => "IDO_MUST_PRECEDE_SUPPORT", "G-IDO",
        nl: match emergency_max_days {
            None => format!("Een IDO wordt ondertekend voor de ondersteuning start: ondertekend op {}, start op {}.", dutch_date(*signed_on), dutch_date(*start)),
            Some(days) => format!("Ook in een noodsituatie wordt een IDO uiterlijk {days} dagen na de start ondertekend: ondertekend op {}, start op {}.", dutch_date(*signed_on), dutch_date(*start)),
        },
        en: match emergency_max_days {
            None => format!("An IDO is signed before the support starts: signed on {signed_on}, starting {start}."),
            Some(days) => format!("Even in an emergency an IDO is signed at most {days} days after the start: signed on {signed_on}, starting {start}."),
        };
    AgreementFieldMissing { field: AgreementField } => "AGREEMENT_FIELD_MISSING", field.rule(),
        nl: format!("{} vermeldt {}; dat ontbreekt.", field.agreement().0, field.name_nl()),
        en: format!("{} states {}; it is missing.", field.agreement().1, field.name_en());

    // Combinations
    CombinationChangeMustBeFullCalendarMonth {
        date: NaiveDate,
    } => "COMBINATION_CHANGE_MUST_BE_FULL_CALENDAR_MONTH", "S003-15",
        nl: format!("Een combinatie wijzigt per volledige kalendermaand; {} is niet de eerste van de maand.", dutch_date(*date)),
        en: format!("A combination changes per full calendar month; {date} is not the first of a month.");
    CombinationFormNotSigned => "COMBINATION_FORM_NOT_SIGNED", "A-07",
        nl: "Het combinatieformulier moet door de budgethouder en het MFC ingevuld zijn.",
        en: "The combination form must be completed by the budget holder and the MFC.";
    OnlySchoolRelatedDaycareCombinable => "ONLY_SCHOOL_RELATED_DAYCARE_COMBINABLE", "S003-10",
        nl: "Enkel schoolaanvullende of schoolvervangende dagopvang is combineerbaar met een PAB.",
        en: "Only school-supplementary or school-replacing day care can be combined with a PAB.";
    PabMfcResidentialNotAllowed => "PAB_MFC_RESIDENTIAL_NOT_ALLOWED", "A-08",
        nl: "Een PAB is niet combineerbaar met verblijf in een MFC.",
        en: "A PAB cannot be combined with a residential stay in an MFC.";
    HalfDaysRequired => "HALF_DAYS_REQUIRED", "S003-13",
        nl: "Vermeld het aantal dagdelen dagopvang.",
        en: "State the number of half-days of day care.";
    NotAnMfc => "NOT_AN_MFC", "S003-14",
        nl: "De dagopvang komt niet van een erkend MFC.",
        en: "The day care is not given by a recognised MFC.";
    UnknownCombination => "UNKNOWN_COMBINATION", "-",
        nl: "Deze combinatie is niet gekend.",
        en: "This combination is unknown.";
    DuplicateCombination => "DUPLICATE_COMBINATION", "-",
        nl: "Deze combinatie bestaat al.",
        en: "This combination already exists.";
    CombinationNotActive => "COMBINATION_NOT_ACTIVE", "-",
        nl: "Deze combinatie is beëindigd.",
        en: "This combination has ended.";
    CombinationDateBeforeCurrent {
        current: NaiveDate,
    } => "COMBINATION_DATE_BEFORE_CURRENT", "S003-15",
        nl: format!("De wijziging moet na {} ingaan.", dutch_date(*current)),
        en: format!("The change must take effect after {current}.");

    // Bijstandsorganisaties
    NotALicensedAssistanceOrganisation => "NOT_A_LICENSED_BO", "S000-03",
        nl: "Deze organisatie is geen vergunde bijstandsorganisatie.",
        en: "This organisation is not a licensed assistance organisation.";
    AlreadyMember => "ALREADY_MEMBER", "-",
        nl: "De persoon is al lid van deze bijstandsorganisatie.",
        en: "The person already is a member of this assistance organisation.";
    LowThresholdAssistanceIsFree => "LOW_THRESHOLD_ASSISTANCE_IS_FREE", "S000-08",
        nl: "Voor laagdrempelige bijstand mag geen bijdrage gevraagd worden.",
        en: "No contribution may be charged for low-threshold assistance.";
    CollectiveTaskIsFree => "COLLECTIVE_TASK_IS_FREE", "S000-12",
        nl: "Voor de collectieve opdracht mag geen bijdrage gevraagd worden.",
        en: "No contribution may be charged for the collective task.";
    DuplicateReport => "DUPLICATE_REPORT", "-",
        nl: "Deze melding bestaat al.",
        en: "This report already exists.";

    // Cost claims
    NoBudgetForYear { year: i32 } => "NO_BUDGET_FOR_YEAR", "S003-21",
        nl: format!("Dit budget heeft geen jaarbedrag voor {year}."),
        en: format!("This budget has no annual amount for {year}.");
    EmptyCostClaim => "EMPTY_COST_CLAIM", "S003-21",
        nl: "Een kostenstaat bevat minstens één kost.",
        en: "A cost claim has at least one line.";
    DuplicateCostClaim => "DUPLICATE_COST_CLAIM", "-",
        nl: "Deze kostenstaat werd al ingediend.",
        en: "This cost claim was already submitted.";
    DuplicateCostLine { line: u32 } => "DUPLICATE_COST_LINE", "-",
        nl: format!("Lijn {line} komt twee keer voor in de kostenstaat."),
        en: format!("Line {line} appears twice in the claim.");
    CostLinePeriodInvalid { line: u32 } => "COST_LINE_PERIOD_INVALID", "-",
        nl: format!("Lijn {line}: de prestatieperiode eindigt vóór ze begint."),
        en: format!("Line {line}: the service period ends before it starts.");
    CostLineOutsideBudgetYear { line: u32, year: i32 } => "COST_LINE_OUTSIDE_BUDGET_YEAR", "-",
        nl: format!("Lijn {line}: de prestaties vallen niet in budgetjaar {year}."),
        en: format!("Line {line}: the service dates are not in budget year {year}.");
    UnknownCostLine => "UNKNOWN_COST_LINE", "-",
        nl: "Deze kostenlijn is niet gekend.",
        en: "This cost line is unknown.";
    UnknownCostClaim => "UNKNOWN_COST_CLAIM", "-",
        nl: "Deze kostenstaat is niet gekend in dit dossier.",
        en: "This cost claim is unknown in this dossier.";
    CostLineNotHeld => "COST_LINE_NOT_HELD", "-",
        nl: "Over deze kost werd al beslist; gebruik een herziening met reden.",
        en: "This line was already decided; override it with a reason.";
    CostLineNotDecided => "COST_LINE_NOT_DECIDED", "-",
        nl: "Deze kost wacht op een manuele beslissing.",
        en: "This line is waiting for a manual decision.";
    DecisionUnchanged => "DECISION_UNCHANGED", "-",
        nl: "De nieuwe beslissing is dezelfde als de huidige.",
        en: "The new decision equals the current one.";

    // COVID-19 overrun
    NoApprovedCovidAgreement => "NO_APPROVED_COVID_AGREEMENT", "C-02",
        nl: "De COVID-19-verhoging volgt pas na goedkeuring van een COVID-19-overeenkomst.",
        en: "The COVID-19 increase follows only the approval of a COVID-19 agreement.";
    CovidAllowanceAlreadyGranted => "COVID_ALLOWANCE_ALREADY_GRANTED", "S004-14",
        nl: "De COVID-19-verhoging voor dit jaar werd al toegekend.",
        en: "The COVID-19 increase for this year was already granted.";
    NoCovidAllowance => "NO_COVID_ALLOWANCE", "S004-14",
        nl: "Er is geen COVID-19-verhoging voor dit jaar.",
        en: "There is no COVID-19 increase for this year.";

    // Payments, advance, recoveries, settlement
    AdvanceAlreadyPaid { rule: &'static str } => "ADVANCE_ALREADY_PAID", rule,
        nl: "Het voorschot werd al betaald.",
        en: "The advance was already paid.";
    AdvanceNotDue { rule: &'static str } => "ADVANCE_NOT_DUE", rule,
        nl: "Het voorschot is nog niet verschuldigd (PVB: eerst het cashgedeelte en een goedgekeurde cashovereenkomst; PAB: eerst de start).",
        en: "The advance is not due yet (PVB: first the cash part and an approved cash agreement; PAB: first the start).";
    DuplicatePayment => "DUPLICATE_PAYMENT", "-",
        nl: "Deze betaling bestaat al.",
        en: "This payment already exists.";
    UnknownPayment => "UNKNOWN_PAYMENT", "-",
        nl: "Deze betaling is niet gekend.",
        en: "This payment is unknown.";
    PaymentAlreadyExecuted => "PAYMENT_ALREADY_EXECUTED", "-",
        nl: "Deze betaling werd al uitgevoerd.",
        en: "This payment was already executed.";
    CashPartOnlyForPvb => "CASH_PART_ONLY_FOR_PVB", "P-04",
        nl: "Enkel voor een PVB wordt een cashgedeelte opgegeven.",
        en: "Only a PVB has a declared cash part.";
    ExtraSeveranceAlreadyGranted => "EXTRA_SEVERANCE_ALREADY_GRANTED", "E-02",
        nl: "De bijkomende verbrekingsvergoeding werd al toegekend.",
        en: "The extra severance was already granted.";
    SeveranceCapNotReached => "SEVERANCE_CAP_NOT_REACHED", "E-02",
        nl: "Een bijkomende verbrekingsvergoeding kan pas als de kostenstaten aantonen dat het eerste vierde niet volstaat.",
        en: "Extra severance only when the claims show the first quarter is insufficient.";
    BudgetYearNotEnded { year: i32 } => "BUDGET_YEAR_NOT_ENDED", "P-06",
        nl: format!("Budgetjaar {year} is nog niet voorbij."),
        en: format!("Budget year {year} has not ended yet.");
    BudgetYearAlreadyClosed { year: i32 } => "BUDGET_YEAR_ALREADY_CLOSED", "P-06",
        nl: format!("Budgetjaar {year} werd al afgesloten."),
        en: format!("Budget year {year} was already closed.");
    DuplicateRecovery => "DUPLICATE_RECOVERY", "-",
        nl: "Deze terugvordering bestaat al.",
        en: "This recovery already exists.";
    UnknownRecovery => "UNKNOWN_RECOVERY", "-",
        nl: "Deze terugvordering is niet gekend.",
        en: "This recovery is unknown.";
    RecoveryEvidenceRequired => "RECOVERY_EVIDENCE_REQUIRED", "K-01",
        nl: "Een terugvordering vermeldt haar redenen, bewijsstukken en rechtsgrond.",
        en: "A recovery states its reasons, evidence and legal basis.";
    RecoveryExceedsOutstanding { outstanding: Euro } => "RECOVERY_EXCEEDS_OUTSTANDING", "K-03",
        nl: format!("Het bedrag is hoger dan het openstaande saldo van de terugvordering ({}).", outstanding.to_dutch()),
        en: format!("The amount exceeds what is outstanding ({outstanding}).");
    BudgetNotEnded => "BUDGET_NOT_ENDED", "E-01",
        nl: "Een eindafrekening volgt pas na het einde van het budget.",
        en: "A final settlement follows only the end of the budget.";
    ProvisionalSettlementRequired => "PROVISIONAL_SETTLEMENT_REQUIRED", "E-01",
        nl: "Eerst volgt een voorlopige eindafrekening.",
        en: "A provisional final settlement comes first.";
    SettlementEvidencePeriodRunning {
        until: NaiveDate,
    } => "SETTLEMENT_EVIDENCE_PERIOD_RUNNING", "E-01",
        nl: format!("Bijkomende bewijsstukken kunnen nog tot en met {}.", dutch_date(*until)),
        en: format!("Extra evidence can still be sent up to {until}.");
    FinalSettlementAlreadyIssued => "FINAL_SETTLEMENT_ALREADY_ISSUED", "E-01",
        nl: "De definitieve eindafrekening werd al opgemaakt.",
        en: "The definitive final settlement was already issued.";

    // Controls
    DuplicateControl => "DUPLICATE_CONTROL", "-",
        nl: "Deze controle bestaat al.",
        en: "This control already exists.";
    UnknownControl => "UNKNOWN_CONTROL", "-",
        nl: "Deze controle is niet gekend.",
        en: "This control is unknown.";
    ControlAlreadyConcluded => "CONTROL_ALREADY_CONCLUDED", "K-01",
        nl: "Deze controle werd al afgesloten.",
        en: "This control was already concluded.";
    ControlPeriodInvalid => "CONTROL_PERIOD_INVALID", "K-01",
        nl: "De gecontroleerde periode eindigt vóór ze begint.",
        en: "The period controlled ends before it starts.";
    EvidenceListEmpty => "EVIDENCE_LIST_EMPTY", "K-01",
        nl: "Vermeld minstens één document.",
        en: "State at least one document.";
    EvidenceHashInvalid { reference: String } => "EVIDENCE_HASH_INVALID", "K-01",
        nl: format!("Document {reference}: de SHA-256 moet 64 hexadecimale tekens hebben."),
        en: format!("Document {reference}: the SHA-256 must be 64 hex characters.");
    EvidenceHashMismatch { reference: String } => "EVIDENCE_HASH_MISMATCH", "K-01",
        nl: format!("Document {reference} werd al ontvangen met een andere inhoud; een bewijsstuk wijzigt niet."),
        en: format!("Document {reference} was already received with other content; evidence never changes.");
    InspectionNotAnnounced => "INSPECTION_NOT_ANNOUNCED", "K-02",
        nl: "Een inspectiebezoek wordt vooraf aangekondigd.",
        en: "An inspection visit is announced beforehand.";
    FindingWithoutRule => "FINDING_WITHOUT_RULE", "K-01",
        nl: "Elke vaststelling verwijst naar een regel en beschrijft wat werd vastgesteld.",
        en: "Every finding cites a rule and describes what was found.";
    RecoveryExceedsFindings { findings: Euro } => "RECOVERY_EXCEEDS_FINDINGS", "K-01",
        nl: format!("De terugvordering is hoger dan de bedragen van de vaststellingen ({}).", findings.to_dutch()),
        en: format!("The recovery exceeds the amounts of the findings ({findings}).");
    DuplicateSample => "DUPLICATE_SAMPLE", "-",
        nl: "Deze steekproef bestaat al.",
        en: "This sample already exists.";
    SampleSizeInvalid { size: u32, population: usize } => "SAMPLE_SIZE_INVALID", "K-01",
        nl: format!("Een steekproef van {size} uit {population} dossiers is niet mogelijk."),
        en: format!("A sample of {size} out of {population} dossiers is not possible.");
    PopulationHasDuplicates => "POPULATION_HAS_DUPLICATES", "K-01",
        nl: "De populatie bevat een dossier twee keer.",
        en: "The population holds a dossier twice.";
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

    #[test]
    fn codes_are_screaming_snake_case_and_unique() {
        // Released before the table, two codes each name two reasons: a duplicate person with or
        // without the other dossier, the IDO freeze with its notice date, and a void after a
        // payment of a dossier and of a claim.
        const SHARED: [&str; 3] = [
            "DUPLICATE_PERSON",
            "IDO_FROZEN_UNTIL_2020_09_30",
            "VOID_AFTER_PAYMENT",
        ];
        let mut seen = std::collections::BTreeMap::<&str, usize>::new();
        for code in CODES {
            let screaming_snake = code.starts_with(|c: char| c.is_ascii_uppercase())
                && code.split('_').all(|word| {
                    !word.is_empty()
                        && word
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                });
            assert!(screaming_snake, "{code} is not SCREAMING_SNAKE_CASE");
            *seen.entry(code).or_default() += 1;
        }
        for (code, count) in seen {
            let allowed = if SHARED.contains(&code) { 2 } else { 1 };
            assert_eq!(count, allowed, "{code} names {count} reasons");
        }
    }
}
