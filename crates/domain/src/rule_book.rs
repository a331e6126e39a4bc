//! The rule book: every number and date of the regulation as effective-dated, versioned data.
//!
//! Parameters live in one rule-book stream as [`RuleParameterPublished`] events. A lookup takes
//! two dates: the date the rule is about (the service date for eligibility windows, the
//! submission or action date for deadlines) and the date of the decision (`known_on`, the
//! context's today). Only versions published on or before `known_on` count, so a parameter
//! published later never changes what an earlier decision saw; and every decision event records
//! the [`AppliedParameter`]s it used.

use crate::coded::coded_enum;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::values::Euro;
use crate::{Actor, Context};

coded_enum! {
    /// The parameters of the regulation. The serialised name is stable: it is stored in events.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
    )]
    pub enum Parameter {
        /// From its effective date a PAB can only be applied for by a person younger than this age
        /// (S003-02; cut-over 2016-04-01). Before the first version there is no age limit.
        PabApplicantMaxAgeExclusive = "pab.applicant_max_age_exclusive",
        /// Ages (inclusive) for the PAB spoedprocedure (S003-20).
        PabUrgentProcedureAges = "pab.urgent_procedure_ages",
        /// Months after the grant letter within which a PAB must start (A-02).
        PabStartDeadlineMonths = "pab.start_deadline_months",
        /// Months after the terbeschikkingstellingsbrief within which a PVB must start (P-03).
        PvbStartDeadlineMonths = "pvb.start_deadline_months",
        /// Minimum age for a PVB to be made available (E-04).
        PvbMinimumAgeAtAvailability = "pvb.minimum_age_at_availability",
        /// The ondersteuningsplan for PVB na jeugdhulp must be submitted before this age (E-04).
        PvbNaJeugdhulpPlanBeforeAge = "pvb_na_jeugdhulp.plan_before_age",
        /// Years a waardebon "verkennend gesprek" stays valid (S003-28).
        ValueVoucherValidityYears = "bo_voucher.validity_years",
        /// Maximum number of active bijstandsorganisatie licences (S000-03).
        AssistanceOrganisationLicenceCap = "bo.licence_cap",
        /// Last day on which a voluntary switch to the zorgbudget (BOB) can take effect (E-07).
        BobSwitchLastDate = "bob_switch.last_date",
        /// Years after a PVB→BOB switch within which the terugvalbasis can be invoked (E-07).
        BobSwitchTerugvalbasisYears = "bob_switch.terugvalbasis_years",
        /// Period within which COVID-19 agreements must fall (S004-05/10, C-03, conflict C2).
        CovidAgreementWindow = "covid.agreement_window",
        /// Cap of the COVID-19 budget increase as a percentage of the annual budget (S004-02/14, C-01).
        CovidOverrunCapPercent = "covid.overrun_cap_percent",
        /// The date whose annual budget is the base of the COVID-19 cap (S004-14).
        CovidOverrunBaseDate = "covid.overrun_base_date",
        /// Last submission day for COVID-19 costs of 2020 (S004-11, conflict C1).
        CovidCostDeadline = "covid.cost_deadline",
        /// Day of year N+1 until which costs of year N can be submitted (D-01, D-04).
        CostDeadlineDayOfNextYear = "cost.deadline_day_of_next_year",
        /// Period during which a running IDO continues unchanged and cannot end (S004-06/08).
        CovidIdoFrozenPeriod = "covid.ido_frozen_period",
        /// First day on which notice of an IDO can be given during the freeze (S004-07).
        CovidIdoNoticeFrom = "covid.ido_notice_from",
        /// PAB reduction per dagdeel of schoolaanvullende dagopvang (S003-13, A-09; not public).
        PabReductionPerHalfDaySchoolSupplementary = "pab.reduction_per_half_day.school_supplementary",
        /// PAB reduction per dagdeel of schoolvervangende dagopvang (S003-13, A-09; not public).
        PabReductionPerHalfDaySchoolReplacing = "pab.reduction_per_half_day.school_replacing",
        /// Maximum share of "other costs" in the annual PAB (S003-05, A-10).
        PabOtherCostsMaxPercent = "pab.other_costs_max_percent",
        /// Reasons accepted for a late cost claim (D-02), per budget year: looked up on 1 January
        /// of the year after the budget year.
        CostLateExceptionReasons = "cost.late_exception_reasons",
        /// Years after the budget year until which a late claim with an accepted reason can still be
        /// submitted (D-02): until the deadline day of year N + this number.
        CostLateExceptionMaxYears = "cost.late_exception_max_years",
        /// Service dates on which a provider may charge no extra costs (meerkosten) (S004-08/17/20/22).
        CovidExtraChargesFreeze = "covid.extra_charges_freeze",
        /// Share of management costs (beheerskosten) added to a PVB's base for the COVID-19 cap
        /// (S004-12/14; not public).
        CovidPvbManagementCostsPercent = "covid.pvb_management_costs_percent",
        /// Days within which accepted cash costs are paid (P-05).
        PaymentTermDays = "payment.term_days",
        /// PVB advance: fraction of the declared cash part (P-04).
        PvbAdvanceFraction = "pvb.advance_fraction",
        /// PAB advance: fraction of the annual budget, chosen by grant date: 5/12 werkkapitaal
        /// (old regime) or 1/4 voorschot (A-04, conflict C3).
        PabAdvanceFraction = "pab.advance_fraction",
        /// Severance cap: fraction of the annual budget (PAB) or the cash estimate (PVB) (E-02/E-03).
        SeveranceCapFraction = "severance.cap_fraction",
        /// The extra severance VAPH may grant on top of the cap, as the same kind of fraction
        /// (E-02/E-03).
        SeveranceExtraFraction = "severance.extra_fraction",
        /// Days for extra evidence after a provisional final settlement (E-01; not public).
        SettlementEvidencePeriodDays = "settlement.evidence_period_days",
        /// Minimum age of a job student on the agreement's start (F-02).
        StudentMinimumAge = "student.minimum_age",
        /// Minimum age of a job student who completed the first two years of secondary school (F-02).
        StudentMinimumAgeAfterTwoYearsSecondary = "student.minimum_age_after_two_years_secondary",
        /// Days after the start of the support within which an IDO may still be signed in an
        /// emergency (IDO, BVR 4 februari 2011).
        IdoEmergencySigningMaxDays = "ido.emergency_signing_max_days",
        /// First agreement start from which VAPH accepts PVB agreements for collective support from
        /// registered ouderinitiatieven only (V-02).
        ParentInitiativeRegistrationRequiredFrom = "ouderinitiatief.registration_required_from",
        /// Years a closed dossier's personal data is kept before it may be erased (D-03: the
        /// evidence is kept this long), counted from the day the dossier closed.
        RetentionYearsAfterClosure = "retention.years_after_closure",
    }
}

impl Parameter {
    /// The kind of value this parameter takes; a publication with another kind is refused.
    pub fn value_kind(self) -> ValueKind {
        use Parameter as P;
        match self {
            P::PabApplicantMaxAgeExclusive
            | P::PvbMinimumAgeAtAvailability
            | P::PvbNaJeugdhulpPlanBeforeAge
            | P::StudentMinimumAge
            | P::StudentMinimumAgeAfterTwoYearsSecondary => ValueKind::Age,
            P::PabUrgentProcedureAges => ValueKind::AgeRange,
            P::PabStartDeadlineMonths | P::PvbStartDeadlineMonths => ValueKind::Months,
            P::ValueVoucherValidityYears | P::BobSwitchTerugvalbasisYears => ValueKind::Years,
            P::AssistanceOrganisationLicenceCap => ValueKind::Count,
            P::BobSwitchLastDate
            | P::CovidOverrunBaseDate
            | P::CovidCostDeadline
            | P::CovidIdoNoticeFrom
            | P::ParentInitiativeRegistrationRequiredFrom => ValueKind::Date,
            P::CovidAgreementWindow | P::CovidIdoFrozenPeriod => ValueKind::Period,
            P::CovidOverrunCapPercent
            | P::PabOtherCostsMaxPercent
            | P::CovidPvbManagementCostsPercent => ValueKind::Percent,
            P::CostLateExceptionReasons => ValueKind::Codes,
            P::CostLateExceptionMaxYears | P::RetentionYearsAfterClosure => ValueKind::Years,
            P::CovidExtraChargesFreeze => ValueKind::Period,
            P::PaymentTermDays
            | P::SettlementEvidencePeriodDays
            | P::IdoEmergencySigningMaxDays => ValueKind::Days,
            P::PvbAdvanceFraction
            | P::PabAdvanceFraction
            | P::SeveranceCapFraction
            | P::SeveranceExtraFraction => ValueKind::Fraction,
            P::CostDeadlineDayOfNextYear => ValueKind::MonthDay,
            P::PabReductionPerHalfDaySchoolSupplementary
            | P::PabReductionPerHalfDaySchoolReplacing => ValueKind::Euro,
        }
    }
}

/// The kinds of [`ParameterValue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Age,
    AgeRange,
    Months,
    Years,
    Count,
    Date,
    Period,
    Percent,
    MonthDay,
    Euro,
    Days,
    Fraction,
    Codes,
}

/// The value of one parameter version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ParameterValue {
    /// Age in completed years.
    Age(u32),
    /// Ages, both ends inclusive.
    AgeRange { min: u32, max: u32 },
    /// A number of calendar months.
    Months(u32),
    /// A number of calendar years.
    Years(u32),
    /// A count.
    Count(u32),
    /// A calendar day.
    Date(NaiveDate),
    /// A period, both ends inclusive ("tot en met").
    Period { from: NaiveDate, to: NaiveDate },
    /// A percentage, e.g. `25.5`.
    Percent(Decimal),
    /// A day of the year, e.g. 1 April.
    MonthDay { month: u32, day: u32 },
    /// An amount in euro.
    Euro(Euro),
    /// A number of calendar days.
    Days(u32),
    /// An exact fraction, e.g. 5/12 (a percentage would round).
    Fraction { numerator: u32, denominator: u32 },
    /// A set of codes, e.g. the accepted reasons for a late claim.
    Codes(Vec<String>),
}

impl ParameterValue {
    pub fn kind(&self) -> ValueKind {
        match self {
            Self::Age(_) => ValueKind::Age,
            Self::AgeRange { .. } => ValueKind::AgeRange,
            Self::Months(_) => ValueKind::Months,
            Self::Years(_) => ValueKind::Years,
            Self::Count(_) => ValueKind::Count,
            Self::Date(_) => ValueKind::Date,
            Self::Period { .. } => ValueKind::Period,
            Self::Percent(_) => ValueKind::Percent,
            Self::MonthDay { .. } => ValueKind::MonthDay,
            Self::Euro(_) => ValueKind::Euro,
            Self::Days(_) => ValueKind::Days,
            Self::Fraction { .. } => ValueKind::Fraction,
            Self::Codes(_) => ValueKind::Codes,
        }
    }
}

/// Where a parameter comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// The rule id of the brief, e.g. `S003-02`.
    pub rule: String,
    /// The legal reference or public page, or `not public: parameter to be confirmed by VAPH`.
    pub legal_reference: String,
}

/// The marker for numbers that are not public; such a version is a labelled placeholder.
pub const NOT_PUBLIC: &str = "not public: parameter to be confirmed by VAPH";

/// A reference to the parameter version a decision applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct AppliedParameter {
    pub parameter: Parameter,
    /// The version number within that parameter (1, 2, ...).
    pub version: u32,
}

/// One effective-dated version of a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ParameterVersion {
    pub parameter: Parameter,
    /// Version number within the parameter: 1, 2, ... in publication order.
    pub version: u32,
    pub value: ParameterValue,
    /// First date the version governs (service date or submission date, per parameter).
    pub valid_from: NaiveDate,
    /// Last date it governs, inclusive; open-ended when absent.
    pub valid_to: Option<NaiveDate>,
    /// The date it became known (published); decisions taken earlier never see it.
    pub published_on: NaiveDate,
    pub source: Source,
    /// True when the value is a placeholder for a number that is not public.
    pub placeholder: bool,
}

impl ParameterVersion {
    fn governs(&self, on: NaiveDate) -> bool {
        self.valid_from <= on && self.valid_to.is_none_or(|to| on <= to)
    }

    pub fn applied(&self) -> AppliedParameter {
        AppliedParameter {
            parameter: self.parameter,
            version: self.version,
        }
    }
}

/// State of the rule-book stream: every published version, per parameter in publication order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleBook {
    versions: BTreeMap<Parameter, Vec<ParameterVersion>>,
    /// The seed files applied (`rulebook-v1`, …).
    seeds: BTreeSet<String>,
}

impl RuleBook {
    /// The version that governs `on`, as known on `known_on`: among the versions published by
    /// then whose validity contains `on`, the one with the latest `valid_from`, and among those the
    /// latest published.
    pub fn version(
        &self,
        parameter: Parameter,
        on: NaiveDate,
        known_on: NaiveDate,
    ) -> Option<&ParameterVersion> {
        self.versions
            .get(&parameter)?
            .iter()
            .filter(|v| v.published_on <= known_on && v.governs(on))
            .max_by_key(|v| (v.valid_from, v.version))
    }

    /// Every version of a parameter, in publication order.
    pub fn history(&self, parameter: Parameter) -> &[ParameterVersion] {
        self.versions.get(&parameter).map_or(&[], Vec::as_slice)
    }

    fn required(
        &self,
        parameter: Parameter,
        on: NaiveDate,
        ctx: &Context<'_>,
    ) -> Result<&ParameterVersion, Rejection> {
        self.version(parameter, on, ctx.today)
            .ok_or_else(|| Rejection::from(Reason::RuleParameterMissing { parameter, on }))
    }
}

/// A typed lookup result: the value and the version to record in the decision event.
pub type Looked<T> = (T, AppliedParameter);

macro_rules! typed_lookup {
    ($fn_name:ident, $variant:ident, $ty:ty) => {
        /// Looks the parameter up in the context's rule book; refused when no version governs.
        ///
        /// # Errors
        /// `RULE_PARAMETER_MISSING` when no version governs `on`.
        pub fn $fn_name(
            ctx: &Context<'_>,
            parameter: Parameter,
            on: NaiveDate,
        ) -> Result<Looked<$ty>, Rejection> {
            let version = ctx.rule_book.required(parameter, on, ctx)?;
            match &version.value {
                ParameterValue::$variant(value) => Ok((value.clone(), version.applied())),
                _ => Err(Reason::RuleParameterMissing { parameter, on }.into()),
            }
        }
    };
}

typed_lookup!(age, Age, u32);
typed_lookup!(months, Months, u32);
typed_lookup!(years, Years, u32);
typed_lookup!(count, Count, u32);
typed_lookup!(date, Date, NaiveDate);
typed_lookup!(euro, Euro, Euro);
typed_lookup!(percent, Percent, Decimal);
typed_lookup!(days, Days, u32);
typed_lookup!(codes, Codes, Vec<String>);

/// A fraction parameter: `(numerator, denominator)`.
///
/// # Errors
/// `RULE_PARAMETER_MISSING` when no version governs `on`.
pub fn fraction(
    ctx: &Context<'_>,
    parameter: Parameter,
    on: NaiveDate,
) -> Result<Looked<(u32, u32)>, Rejection> {
    let version = ctx.rule_book.required(parameter, on, ctx)?;
    match version.value {
        ParameterValue::Fraction {
            numerator,
            denominator,
        } => Ok(((numerator, denominator), version.applied())),
        _ => Err(Reason::RuleParameterMissing { parameter, on }.into()),
    }
}

/// A day-of-year parameter: `(month, day)`.
///
/// # Errors
/// `RULE_PARAMETER_MISSING` when no version governs `on`.
pub fn month_day(
    ctx: &Context<'_>,
    parameter: Parameter,
    on: NaiveDate,
) -> Result<Looked<(u32, u32)>, Rejection> {
    let version = ctx.rule_book.required(parameter, on, ctx)?;
    match version.value {
        ParameterValue::MonthDay { month, day } => Ok(((month, day), version.applied())),
        _ => Err(Reason::RuleParameterMissing { parameter, on }.into()),
    }
}

/// Any parameter that may not govern `on` (a rule without a version then): the version, if any.
pub fn optional<'a>(
    ctx: &Context<'a>,
    parameter: Parameter,
    on: NaiveDate,
) -> Option<&'a ParameterVersion> {
    ctx.rule_book.version(parameter, on, ctx.today)
}

/// A period parameter (both ends inclusive).
///
/// # Errors
/// `RULE_PARAMETER_MISSING` when no version governs `on`.
pub fn period(
    ctx: &Context<'_>,
    parameter: Parameter,
    on: NaiveDate,
) -> Result<Looked<(NaiveDate, NaiveDate)>, Rejection> {
    let version = ctx.rule_book.required(parameter, on, ctx)?;
    match version.value {
        ParameterValue::Period { from, to } => Ok(((from, to), version.applied())),
        _ => Err(Reason::RuleParameterMissing { parameter, on }.into()),
    }
}

/// An age-range parameter (both ends inclusive).
///
/// # Errors
/// `RULE_PARAMETER_MISSING` when no version governs `on`.
pub fn age_range(
    ctx: &Context<'_>,
    parameter: Parameter,
    on: NaiveDate,
) -> Result<Looked<(u32, u32)>, Rejection> {
    let version = ctx.rule_book.required(parameter, on, ctx)?;
    match version.value {
        ParameterValue::AgeRange { min, max } => Ok(((min, max), version.applied())),
        _ => Err(Reason::RuleParameterMissing { parameter, on }.into()),
    }
}

/// A parameter that may not exist yet on `on` (a rule that did not apply before its first
/// version, such as the PAB age limit before 2016-04-01).
pub fn optional_age(ctx: &Context<'_>, parameter: Parameter, on: NaiveDate) -> Option<Looked<u32>> {
    let version = ctx.rule_book.version(parameter, on, ctx.today)?;
    match version.value {
        ParameterValue::Age(age) => Some((age, version.applied())),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Commands, events, decide, evolve

/// Publish a new version of a parameter (admin only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRuleParameter {
    pub parameter: Parameter,
    pub value: ParameterValue,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub source: Source,
}

/// A new version of a rule parameter was published in the rule book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RuleParameterPublished {
    /// The version, with its number, validity, publication date and source.
    #[serde(flatten)]
    pub version: ParameterVersion,
    /// The seed file it came from (`rulebook-v1`), absent for a publication by an administrator.
    pub seed: Option<String>,
}

/// Decides a publication.
///
/// # Errors
/// `NOT_AUTHORISED` for anyone but an administrator (or the system applying the seed);
/// `PARAMETER_VALUE_KIND_MISMATCH`; `PARAMETER_PERIOD_INVALID` when `valid_to < valid_from` or a
/// period value ends before it starts; `PARAMETER_SOURCE_MISSING` without a rule id and reference.
pub fn decide(
    command: &PublishRuleParameter,
    state: &RuleBook,
    ctx: &Context<'_>,
) -> Result<Vec<RuleParameterPublished>, Rejection> {
    if !matches!(ctx.actor, Actor::Admin { .. } | Actor::System) {
        return Err(Reason::NotAuthorised {
            action: Action::new(
                "publish a rule parameter",
                "een parameter van het regelboek te publiceren",
            ),
        }
        .into());
    }
    let expected = command.parameter.value_kind();
    if command.value.kind() != expected {
        return Err(Reason::ParameterValueKindMismatch {
            parameter: command.parameter,
            expected,
        }
        .into());
    }
    let period_ok = match command.value {
        ParameterValue::Period { from, to } => from <= to,
        ParameterValue::AgeRange { min, max } => min <= max,
        ParameterValue::Fraction { denominator, .. } => denominator > 0,
        _ => true,
    } && command.valid_to.is_none_or(|to| command.valid_from <= to);
    if !period_ok {
        return Err(Reason::ParameterPeriodInvalid {
            parameter: command.parameter,
        }
        .into());
    }
    if command.source.rule.trim().is_empty() || command.source.legal_reference.trim().is_empty() {
        return Err(Reason::ParameterSourceMissing {
            parameter: command.parameter,
        }
        .into());
    }
    let version = u32::try_from(state.history(command.parameter).len()).unwrap_or(u32::MAX) + 1;
    Ok(vec![RuleParameterPublished {
        version: ParameterVersion {
            parameter: command.parameter,
            version,
            value: command.value.clone(),
            valid_from: command.valid_from,
            valid_to: command.valid_to,
            published_on: ctx.today,
            source: command.source.clone(),
            placeholder: command.source.legal_reference == NOT_PUBLIC,
        },
        seed: None,
    }])
}

crate::event::event_enum! {
    /// Events of the rule-book stream.
    RuleBookEvent {
        RuleParameterPublished = 1,
    }
}

/// The name of the one rule-book stream.
pub const STREAM: &str = "rulebook";

/// The rule-book stream: every published version of every rule parameter.
#[derive(Debug, Clone, Copy)]
pub struct RuleBookStream;

impl crate::Decider for RuleBookStream {
    type Id = ();
    type Command = PublishRuleParameter;
    type Event = RuleBookEvent;
    type State = RuleBook;
    const KIND: &'static str = "rule-book";

    fn stream((): &()) -> String {
        STREAM.to_owned()
    }

    fn decide(
        command: &PublishRuleParameter,
        state: &RuleBook,
        ctx: &Context<'_>,
    ) -> Result<Vec<RuleBookEvent>, Rejection> {
        Ok(decide(command, state, ctx)?
            .into_iter()
            .map(RuleBookEvent::from)
            .collect())
    }

    /// Publishing is the rule book's one command (its JSON is the parameter, not a tagged name).
    fn weighty(
        _command: &PublishRuleParameter,
    ) -> Option<&'static crate::four_eyes::WeightyDecision> {
        crate::four_eyes::decision_of(Self::KIND, crate::four_eyes::PUBLISH_RULE_PARAMETER)
    }

    fn evolve(state: RuleBook, event: &RuleBookEvent) -> RuleBook {
        let RuleBookEvent::RuleParameterPublished(published) = event;
        evolve(state, published)
    }
}

/// Applies a publication.
pub fn evolve(mut state: RuleBook, event: &RuleParameterPublished) -> RuleBook {
    if let Some(seed) = &event.seed {
        state.seeds.insert(seed.clone());
    }
    state
        .versions
        .entry(event.version.parameter)
        .or_default()
        .push(event.version.clone());
    state
}

// ---------------------------------------------------------------------------------------------
// The seed

/// The seed file's name, recorded in every event it produces.
pub const SEED_NAME: &str = "rulebook-v1";
const SEED_JSON: &str = include_str!("../seed/rulebook-v1.json");

#[derive(Deserialize)]
struct SeedFile {
    parameters: Vec<SeedEntry>,
}

#[derive(Deserialize)]
struct SeedEntry {
    parameter: Parameter,
    value: ParameterValue,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    published_on: NaiveDate,
    source: Source,
}

/// Why the seed could not become events (a defect of the seed file, caught by a test).
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the rule-book seed is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("seed entry {index} ({parameter:?}) was refused: {rejection}")]
    Refused {
        index: usize,
        parameter: Parameter,
        /// Boxed: a refusal is rare here and the error stays small.
        rejection: Box<Rejection>,
    },
}

/// The seed files shipped with this code, oldest first: `(name, JSON)`. A new version of the
/// rule book ships as a new file here; its entries that an older one already holds are not
/// published again.
pub const SEEDS: &[(&str, &str)] = &[(SEED_NAME, SEED_JSON)];

/// The initial rule book as events, for an empty store. Every entry passes the same decider as an
/// administrator's publication, as the system on the entry's publication date.
///
/// # Errors
/// When the seed file is malformed or an entry is refused.
pub fn seed_events() -> Result<Vec<RuleParameterPublished>, SeedError> {
    seed_events_for(&RuleBook::default(), SEEDS)
}

/// What applying the seed files `seeds` adds to `book`: the entries of every file it has not
/// applied yet that it does not already hold (the same parameter, value and validity), each
/// decided as [`seed_events`] does, in order. Empty when every file is applied.
///
/// # Errors
/// When a seed file is malformed or an entry is refused.
pub fn seed_events_for(
    book: &RuleBook,
    seeds: &[(&str, &str)],
) -> Result<Vec<RuleParameterPublished>, SeedError> {
    let registry = crate::registry::Registry::default();
    let mut book = book.clone();
    let mut events = Vec::new();
    let pending: Vec<_> = seeds
        .iter()
        .filter(|(name, _)| !book.seeds.contains(*name))
        .collect();
    for (name, json) in pending {
        let seed: SeedFile = serde_json::from_str(json)?;
        for (index, entry) in seed.parameters.into_iter().enumerate() {
            let held = book.history(entry.parameter).iter().any(|v| {
                v.value == entry.value
                    && v.valid_from == entry.valid_from
                    && v.valid_to == entry.valid_to
            });
            if held {
                continue;
            }
            let ctx = Context::new(entry.published_on, Actor::System, &book, &registry);
            let command = PublishRuleParameter {
                parameter: entry.parameter,
                value: entry.value,
                valid_from: entry.valid_from,
                valid_to: entry.valid_to,
                source: entry.source,
            };
            let published =
                decide(&command, &book, &ctx).map_err(|rejection| SeedError::Refused {
                    index,
                    parameter: entry.parameter,
                    rejection: Box::new(rejection),
                })?;
            for mut event in published {
                event.seed = Some((*name).to_owned());
                book = evolve(book, &event);
                events.push(event);
            }
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn seeded() -> RuleBook {
        seed_events()
            .unwrap()
            .iter()
            .fold(RuleBook::default(), evolve)
    }

    #[test]
    fn a_newer_seed_adds_only_what_the_book_does_not_hold_and_only_once() {
        let book = seeded();
        assert!(
            seed_events_for(&book, SEEDS).unwrap().is_empty(),
            "v1 is applied"
        );
        // The v1 payment term again, and a new one from 2027.
        let v2 = r#"{"parameters": [
            { "parameter": "payment.term_days", "value": { "kind": "days", "value": 30 },
              "valid_from": "2017-01-01", "valid_to": null, "published_on": "2017-01-01",
              "source": { "rule": "P-05", "legal_reference": "binnen 30 dagen" } },
            { "parameter": "payment.term_days", "value": { "kind": "days", "value": 21 },
              "valid_from": "2027-01-01", "valid_to": null, "published_on": "2026-11-02",
              "source": { "rule": "P-05", "legal_reference": "binnen 21 dagen" } }
        ]}"#;
        let shipped = [(SEED_NAME, SEED_JSON), ("rulebook-v2", v2)];
        let added = seed_events_for(&book, &shipped).unwrap();
        assert_eq!(added.len(), 1, "{added:?}");
        assert_eq!(
            (
                added[0].seed.as_deref(),
                added[0].version.version,
                &added[0].version.value
            ),
            (Some("rulebook-v2"), 2, &ParameterValue::Days(21))
        );
        let book = added.iter().fold(book, evolve);
        assert!(seed_events_for(&book, &shipped).unwrap().is_empty(), "once");
        let term = |on| {
            book.version(Parameter::PaymentTermDays, on, date(2027, 6, 1))
                .map(|v| v.value.clone())
        };
        assert_eq!(term(date(2026, 12, 31)), Some(ParameterValue::Days(30)));
        assert_eq!(term(date(2027, 1, 1)), Some(ParameterValue::Days(21)));
        // On an empty store both apply, the shared entry once.
        let fresh = seed_events_for(&RuleBook::default(), &shipped).unwrap();
        assert_eq!(fresh.len(), seed_events().unwrap().len() + 1);
    }

    #[test]
    fn seed_covers_every_parameter_and_labels_placeholders() {
        let book = seeded();
        for event in seed_events().unwrap() {
            let v = &event.version;
            assert_eq!(v.placeholder, v.source.legal_reference == NOT_PUBLIC);
            assert_eq!(event.seed.as_deref(), Some(SEED_NAME));
        }
        let rates = book.history(Parameter::PabReductionPerHalfDaySchoolReplacing);
        assert!(!rates.is_empty() && rates.iter().all(|v| v.placeholder));
    }

    #[test]
    fn covid_regime_versions_follow_publication_and_service_date() {
        let book = seeded();
        let cap = |known: NaiveDate| {
            book.version(Parameter::CovidOverrunCapPercent, date(2020, 5, 1), known)
                .map(|v| v.value.clone())
        };
        use rust_decimal_macros::dec;
        assert_eq!(
            cap(date(2020, 6, 15)),
            Some(ParameterValue::Percent(dec!(8.5)))
        );
        assert_eq!(
            cap(date(2020, 9, 30)),
            Some(ParameterValue::Percent(dec!(25.5)))
        );
        let window = |on: NaiveDate, known: NaiveDate| {
            book.version(Parameter::CovidAgreementWindow, on, known)
                .map(|v| v.value.clone())
        };
        let seed_window = ParameterValue::Period {
            from: date(2020, 3, 14),
            to: date(2020, 12, 31),
        };
        let extended = ParameterValue::Period {
            from: date(2020, 3, 14),
            to: date(2021, 6, 30),
        };
        assert_eq!(
            window(date(2020, 12, 31), date(2026, 1, 1)),
            Some(seed_window.clone())
        );
        assert_eq!(
            window(date(2021, 1, 1), date(2021, 4, 29)),
            Some(seed_window)
        );
        assert_eq!(window(date(2021, 1, 1), date(2021, 4, 30)), Some(extended));
    }

    #[test]
    fn only_an_administrator_publishes_and_the_value_kind_must_match() {
        let book = RuleBook::default();
        let registry = Registry::default();
        let command = PublishRuleParameter {
            parameter: Parameter::AssistanceOrganisationLicenceCap,
            value: ParameterValue::Count(6),
            valid_from: date(2030, 1, 1),
            valid_to: None,
            source: Source {
                rule: "S000-03".into(),
                legal_reference: "test".into(),
            },
        };
        let staff = Context::new(
            date(2026, 1, 1),
            Actor::Staff {
                user: crate::values::UserId::from_uuid(uuid::Uuid::nil()),
            },
            &book,
            &registry,
        );
        assert_eq!(
            decide(&command, &book, &staff).unwrap_err().code(),
            "NOT_AUTHORISED"
        );
        let admin = Context {
            actor: Actor::Admin {
                user: crate::values::UserId::from_uuid(uuid::Uuid::nil()),
            },
            ..staff
        };
        let published = decide(&command, &book, &admin).unwrap();
        assert_eq!(published[0].version.version, 1);
        assert_eq!(published[0].version.published_on, date(2026, 1, 1));
        let wrong = PublishRuleParameter {
            value: ParameterValue::Months(6),
            ..command.clone()
        };
        assert_eq!(
            decide(&wrong, &book, &admin).unwrap_err().code(),
            "PARAMETER_VALUE_KIND_MISMATCH"
        );
        let backwards = PublishRuleParameter {
            valid_to: Some(date(2029, 1, 1)),
            ..command.clone()
        };
        assert_eq!(
            decide(&backwards, &book, &admin).unwrap_err().code(),
            "PARAMETER_PERIOD_INVALID"
        );
        let unsourced = PublishRuleParameter {
            source: Source {
                rule: String::new(),
                legal_reference: "x".into(),
            },
            ..command
        };
        assert_eq!(
            decide(&unsourced, &book, &admin).unwrap_err().code(),
            "PARAMETER_SOURCE_MISSING"
        );
    }
}
