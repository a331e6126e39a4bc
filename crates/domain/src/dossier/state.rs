//! The state of a dossier: a fold of its events, nothing more.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::events::*;
use crate::rejection::{Reason, Rejection};
use crate::rule_book::AppliedParameter;
use crate::values::{
    self, AgreementId, BudgetId, ClaimId, CombinationId, ControlId, DossierId, Euro, Iban, Insz,
    OrganisationId, PaymentId, PersonId, RecoveryId, VoucherId,
};

/// The person with a disability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub dossier: DossierId,
    pub id: PersonId,
    pub insz: Insz,
    pub birth_date: NaiveDate,
    pub date_of_death: Option<NaiveDate>,
    /// The latest name recorded, if any.
    pub name: Option<super::events::PersonNameRecorded>,
}

impl Person {
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        values::age_on(self.birth_date, on)
    }

    pub fn is_minor_on(&self, on: NaiveDate) -> bool {
        self.age_on(on) < values::AGE_OF_MAJORITY
    }

    pub fn majority_date(&self) -> NaiveDate {
        values::birthday(self.birth_date, values::AGE_OF_MAJORITY)
    }
}

/// A representation, current or ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Representation {
    pub representative: PersonId,
    pub role: RepresentativeRole,
    pub valid_from: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

impl Representation {
    pub fn is_active_on(&self, on: NaiveDate) -> bool {
        self.valid_from <= on && self.ended_on.is_none_or(|end| on < end)
    }
}

/// The dedicated budget account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetAccount {
    pub iban: Iban,
    pub account_holder: PersonId,
    pub relation: AccountHolderRelation,
    pub proxy_must_change: bool,
}

/// Where a budget is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetStatus {
    /// PAB applied for, not yet granted.
    Applied,
    /// Granted (PAB) or made available (PVB), not started.
    Available,
    Started,
    Lapsed,
    Stopped(StopReason),
    ConvertedToPvb,
    SwitchedToZorgbudget,
}

/// A PAB or PVB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub id: BudgetId,
    pub kind: BudgetKind,
    pub status: BudgetStatus,
    pub submitted_on: Option<NaiveDate>,
    pub available_on: Option<NaiveDate>,
    pub start_deadline: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub annual_amounts: BTreeMap<i32, Euro>,
}

impl Budget {
    /// Granted or made available and not ended: agreements and combinations may refer to it.
    pub fn is_active(&self) -> bool {
        matches!(self.status, BudgetStatus::Available | BudgetStatus::Started)
    }
}

/// Where a waardebon is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoucherStatus {
    Issued,
    Redeemed,
    Expired,
}

/// A waardebon "verkennend gesprek".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueVoucher {
    pub id: VoucherId,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: VoucherStatus,
}

/// Where an agreement is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementStatus {
    Pending,
    Approved,
    Rejected,
    Terminated,
    /// Entered by mistake (in the wrong dossier, or twice): it counts for nothing.
    Voided,
}

/// An agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub id: AgreementId,
    pub budget: BudgetId,
    pub payment: PaymentForm,
    pub kind: AgreementKind,
    pub provider: Provider,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub task_description: String,
    pub weekly_hours: Option<Decimal>,
    pub care_relation: CareRelation,
    pub covid: Option<CovidBasis>,
    pub status: AgreementStatus,
    pub notice: Option<(NaiveDate, NaiveDate)>,
    /// Date VAPH approved it.
    pub approved_on: Option<NaiveDate>,
}

impl Agreement {
    /// Registered or approved, not rejected or ended before `on`.
    pub fn is_running_on(&self, on: NaiveDate) -> bool {
        matches!(
            self.status,
            AgreementStatus::Pending | AgreementStatus::Approved
        ) && self.start <= on
            && self.end.is_none_or(|end| on <= end)
    }
}

/// A combination of the PAB with other care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Combination {
    pub id: CombinationId,
    pub budget: BudgetId,
    pub provider: OrganisationId,
    pub care: CombinedCare,
    /// First day of the month of the latest start or change.
    pub effective_from: NaiveDate,
    pub monthly_reduction: Euro,
    /// The rate parameter version applied, for MFC day care.
    pub rate_applied: Option<AppliedParameter>,
    pub ended_from: Option<NaiveDate>,
}

/// Everything a dossier knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dossier {
    /// The person as registered, when their data can be read (not erased, its key at hand).
    pub person: Option<Person>,
    /// Who the dossier is of, from the registration on, even once their data is erased.
    pub subject: Option<(DossierId, PersonId)>,
    /// Set when the dossier was voided (opened by mistake): the day.
    pub voided_on: Option<NaiveDate>,
    /// Set when the dossier's personal data was erased: the day.
    pub erased_on: Option<NaiveDate>,
    pub representations: Vec<Representation>,
    pub holder: Option<PersonId>,
    pub account: Option<BudgetAccount>,
    pub home_guidance_deregistered_on: Option<NaiveDate>,
    pub majority_recorded: bool,
    pub budgets: BTreeMap<BudgetId, Budget>,
    pub vouchers: BTreeMap<VoucherId, ValueVoucher>,
    pub agreements: BTreeMap<AgreementId, Agreement>,
    pub combinations: BTreeMap<CombinationId, Combination>,
    pub memberships: BTreeMap<OrganisationId, NaiveDate>,
    pub assistance: Vec<AssistanceRecorded>,
    pub misuse_reports: Vec<SuspectedMisuseReported>,
    /// Every start, change and end of a combination's monthly reduction, in stream order.
    pub reduction_history: Vec<ReductionPeriod>,
    pub claims: BTreeMap<ClaimId, CostClaim>,
    pub covid_allowances: BTreeMap<(BudgetId, i32), CovidAllowance>,
    pub cash_parts: BTreeMap<BudgetId, Euro>,
    pub advances: BTreeMap<BudgetId, AdvancePaid>,
    pub payments: BTreeMap<PaymentId, Payment>,
    pub extra_severance: BTreeMap<(BudgetId, i32), Euro>,
    pub closed_years: BTreeMap<(BudgetId, i32), BudgetYearClosed>,
    pub top_ups: Vec<OverrunTopUpRequested>,
    pub recoveries: BTreeMap<RecoveryId, Recovery>,
    pub provisional_settlements: BTreeMap<BudgetId, ProvisionalFinalSettlementIssued>,
    pub final_settlements: BTreeMap<BudgetId, FinalSettlementIssued>,
    pub controls: BTreeMap<ControlId, ControlCase>,
    pub fraud_reports: Vec<FraudSuspicionReported>,
}

/// From `from` on, a combination reduces the PAB by `monthly` per month (zero after its end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReductionPeriod {
    pub combination: CombinationId,
    pub budget: BudgetId,
    pub from: NaiveDate,
    pub monthly: Euro,
}

/// Where the decision of a line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStatus {
    /// Recorded with the claim; its decision event follows in the same decision.
    Undecided,
    Accepted,
    Rejected(LineReason),
    Held(LineReason),
    /// Its claim was voided: the line counts for nothing.
    Voided,
}

impl LineStatus {
    /// The decision, when there is one (a held line has none yet).
    pub fn outcome(self) -> Option<LineOutcome> {
        match self {
            Self::Accepted => Some(LineOutcome::Accepted),
            Self::Rejected(reason) => Some(LineOutcome::Rejected { reason }),
            Self::Held(_) | Self::Undecided | Self::Voided => None,
        }
    }
}

impl From<LineOutcome> for LineStatus {
    fn from(outcome: LineOutcome) -> Self {
        match outcome {
            LineOutcome::Accepted => Self::Accepted,
            LineOutcome::Rejected { reason } => Self::Rejected(reason),
        }
    }
}

/// A line of a claim with its current decision and payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimLine {
    pub line: CostLine,
    pub status: LineStatus,
    /// The payment order that paid it, with the amount paid.
    pub paid: Option<(PaymentId, Euro)>,
}

/// A kostenstaat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostClaim {
    pub id: ClaimId,
    pub budget: BudgetId,
    pub year: i32,
    pub sequence_no: u32,
    pub submitted_on: NaiveDate,
    pub lines: BTreeMap<u32, ClaimLine>,
    /// Set when the claim was voided (entered by mistake): the day. Its lines are `Voided`.
    pub voided_on: Option<NaiveDate>,
}

/// The COVID-19 increase of a budget year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CovidAllowance {
    pub cap_percent: Decimal,
    /// Base budget plus management costs: what the percentage applies to.
    pub base: Euro,
    pub cap: Euro,
    pub trigger_agreement: AgreementId,
}

/// A payment order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: PaymentId,
    pub budget: BudgetId,
    pub year: i32,
    pub ordered_on: NaiveDate,
    pub due_by: NaiveDate,
    pub lines: Vec<PaidLine>,
    pub deductions: Euro,
    pub net: Euro,
    pub executed_on: Option<NaiveDate>,
}

/// A recovery decision and what was recovered of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    pub id: RecoveryId,
    pub budget: BudgetId,
    pub year: Option<i32>,
    pub amount: Euro,
    pub reasons: Vec<RecoveryReason>,
    pub offset: Euro,
    pub repaid: Euro,
    pub written_off: Euro,
    pub decided_on: NaiveDate,
}

impl Recovery {
    /// Still to recover.
    pub fn outstanding(&self) -> Euro {
        self.amount - self.offset - self.repaid - self.written_off
    }
}

/// A control case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlCase {
    pub opened: ControlCaseOpened,
    pub requests: Vec<EvidenceRequested>,
    /// Evidence received: reference → SHA-256.
    pub evidence: BTreeMap<String, String>,
    pub visits: Vec<InspectionVisitHeld>,
    pub conclusion: Option<ControlConcluded>,
}

impl Dossier {
    /// The person, or `DOSSIER_NOT_OPENED`.
    ///
    /// # Errors
    /// When no person was registered yet.
    pub fn registered_person(&self) -> Result<&Person, Rejection> {
        self.person
            .as_ref()
            .ok_or_else(|| Reason::DossierNotOpened.into())
    }

    /// The representations active on `on`.
    pub fn representatives_on(&self, on: NaiveDate) -> impl Iterator<Item = &Representation> {
        self.representations
            .iter()
            .filter(move |r| r.is_active_on(on))
    }

    pub fn is_representative_on(&self, person: PersonId, on: NaiveDate) -> bool {
        self.representatives_on(on)
            .any(|r| r.representative == person)
    }

    /// The budget, or `UNKNOWN_BUDGET`.
    ///
    /// # Errors
    /// When the dossier has no budget with that id.
    pub fn budget(&self, id: BudgetId) -> Result<&Budget, Rejection> {
        self.budgets
            .get(&id)
            .ok_or_else(|| Reason::UnknownBudget.into())
    }

    /// The agreement, or `UNKNOWN_AGREEMENT`.
    ///
    /// # Errors
    /// When the dossier has no agreement with that id.
    pub fn agreement(&self, id: AgreementId) -> Result<&Agreement, Rejection> {
        self.agreements
            .get(&id)
            .ok_or_else(|| Reason::UnknownAgreement.into())
    }

    /// A PAB or PVB that is granted/available or started.
    pub fn has_active_budget(&self, kind: BudgetKind) -> bool {
        self.budgets
            .values()
            .any(|b| b.kind == kind && (b.is_active() || b.status == BudgetStatus::Applied))
    }
}

pub(super) fn apply(mut state: Dossier, event: &DossierEvent) -> Dossier {
    use DossierEvent as E;
    match event {
        E::PersonRegistered(e) => {
            state.subject = Some((e.dossier, e.person));
            // Erased (or its key not at hand): the person is known by id only.
            if let (Some(insz), Some(birth_date)) = (&e.insz, e.birth_date) {
                state.person = Some(Person {
                    dossier: e.dossier,
                    id: e.person,
                    insz: insz.clone(),
                    birth_date,
                    date_of_death: None,
                    name: None,
                });
            }
        }
        E::BirthDateCorrected(e) => {
            if let (Some(person), Some(corrected)) = (state.person.as_mut(), e.corrected) {
                person.birth_date = corrected;
            }
        }
        E::PersonNameRecorded(e) => {
            if let Some(person) = state.person.as_mut() {
                person.name = Some(e.clone());
            }
        }
        E::DossierVoided(e) => state.voided_on = Some(e.voided_on),
        E::InszCorrected(e) => {
            if let (Some(person), Some(corrected)) = (state.person.as_mut(), &e.corrected_insz) {
                person.insz = corrected.clone();
            }
        }
        E::DossierDataErased(e) => state.erased_on = Some(e.erased_on),
        E::PersonDeceased(e) => {
            if let Some(person) = state.person.as_mut() {
                person.date_of_death = Some(e.date_of_death);
            }
        }
        E::LegalRepresentativeAssigned(e) => state.representations.push(Representation {
            representative: e.representative,
            role: e.role,
            valid_from: e.valid_from,
            ended_on: None,
        }),
        E::LegalRepresentativeEnded(e) => {
            for r in state.representations.iter_mut().filter(|r| {
                r.representative == e.representative && r.role == e.role && r.ended_on.is_none()
            }) {
                r.ended_on = Some(e.ended_on);
            }
        }
        E::BudgetHolderDesignated(e) => state.holder = Some(e.holder),
        E::BudgetAccountRegistered(e) => {
            state.account = e.iban.as_ref().map(|iban| BudgetAccount {
                iban: iban.clone(),
                account_holder: e.account_holder,
                relation: e.relation.clone(),
                proxy_must_change: false,
            });
        }
        E::BudgetAccountCorrected(e) => {
            if let (Some(account), Some(corrected)) = (state.account.as_mut(), &e.corrected) {
                account.iban = corrected.clone();
            }
        }
        E::BudgetAccountProxyChanged(e) => {
            if let Some(account) = state.account.as_mut() {
                account.account_holder = e.account_holder;
                account.relation = e.relation.clone();
                account.proxy_must_change = false;
            }
        }
        E::PersonReachedMajority(e) => {
            state.majority_recorded = true;
            if let Some(account) = state.account.as_mut() {
                account.proxy_must_change = e.account_proxy_must_change;
            }
        }
        E::PabApplicationSubmitted(e) => {
            state.budgets.insert(
                e.budget,
                Budget {
                    id: e.budget,
                    kind: BudgetKind::Pab,
                    status: BudgetStatus::Applied,
                    submitted_on: Some(e.submitted_on),
                    available_on: None,
                    start_deadline: None,
                    started_on: None,
                    ended_on: None,
                    annual_amounts: BTreeMap::new(),
                },
            );
        }
        E::PabGranted(e) => {
            if let Some(budget) = state.budgets.get_mut(&e.budget) {
                budget.status = BudgetStatus::Available;
                budget.available_on = Some(e.granted_on);
                budget.start_deadline = Some(e.start_deadline);
                budget
                    .annual_amounts
                    .insert(chrono::Datelike::year(&e.granted_on), e.annual_amount);
            }
        }
        E::ValueVoucherIssued(e) => {
            state.vouchers.insert(
                e.voucher,
                ValueVoucher {
                    id: e.voucher,
                    issued_on: e.issued_on,
                    valid_until: e.valid_until,
                    status: VoucherStatus::Issued,
                },
            );
        }
        E::ValueVoucherRedeemed(e) => set_voucher(&mut state, e.voucher, VoucherStatus::Redeemed),
        E::ValueVoucherExpired(e) => set_voucher(&mut state, e.voucher, VoucherStatus::Expired),
        E::PvbMadeAvailable(e) => {
            state.budgets.insert(
                e.budget,
                Budget {
                    id: e.budget,
                    kind: BudgetKind::Pvb,
                    status: BudgetStatus::Available,
                    submitted_on: None,
                    available_on: Some(e.letter_date),
                    start_deadline: Some(e.start_deadline),
                    started_on: None,
                    ended_on: None,
                    annual_amounts: BTreeMap::from([(
                        chrono::Datelike::year(&e.letter_date),
                        e.annual_amount,
                    )]),
                },
            );
        }
        E::AnnualBudgetAmountSet(e) => {
            if let Some(budget) = state.budgets.get_mut(&e.budget) {
                budget.annual_amounts.insert(e.year, e.amount);
            }
        }
        E::HomeGuidanceDeregistrationAttested(e) => {
            state.home_guidance_deregistered_on = Some(e.received_on);
        }
        E::BudgetStarted(e) => {
            if let Some(budget) = state.budgets.get_mut(&e.budget) {
                budget.status = BudgetStatus::Started;
                budget.started_on = Some(e.start_date);
            }
        }
        E::BudgetAvailabilityLapsed(e) => {
            end_budget(&mut state, e.budget, BudgetStatus::Lapsed, e.lapsed_on);
        }
        E::BudgetStopped(e) => {
            end_budget(
                &mut state,
                e.budget,
                BudgetStatus::Stopped(e.reason),
                e.stop_date,
            );
        }
        E::PabConvertedToPvbNaJeugdhulp(e) => {
            end_budget(
                &mut state,
                e.pab,
                BudgetStatus::ConvertedToPvb,
                e.converted_on,
            );
            state.budgets.insert(
                e.pvb,
                Budget {
                    id: e.pvb,
                    kind: BudgetKind::Pvb,
                    status: BudgetStatus::Started,
                    submitted_on: Some(e.plan_submitted_on),
                    available_on: Some(e.converted_on),
                    start_deadline: None,
                    started_on: Some(e.converted_on),
                    ended_on: None,
                    annual_amounts: BTreeMap::from([(
                        chrono::Datelike::year(&e.converted_on),
                        e.annual_amount,
                    )]),
                },
            );
        }
        E::VoluntarySwitchToZorgbudgetRecorded(e) => {
            end_budget(
                &mut state,
                e.budget,
                BudgetStatus::SwitchedToZorgbudget,
                e.switch_date,
            );
        }
        E::AgreementRegistered(e) => {
            state.agreements.insert(
                e.agreement,
                Agreement {
                    id: e.agreement,
                    budget: e.budget,
                    payment: e.payment,
                    kind: e.kind,
                    provider: e.provider.clone(),
                    start: e.start,
                    end: e.end,
                    task_description: e.task_description.clone(),
                    weekly_hours: e.weekly_hours,
                    care_relation: e.care_relation,
                    covid: e.covid,
                    status: AgreementStatus::Pending,
                    notice: None,
                    approved_on: None,
                },
            );
        }
        E::AgreementApproved(e) => set_agreement(&mut state, e.agreement, |a| {
            a.status = AgreementStatus::Approved;
            a.approved_on = Some(e.approved_on);
        }),
        E::AgreementRejected(e) => set_agreement(&mut state, e.agreement, |a| {
            a.status = AgreementStatus::Rejected;
        }),
        E::AgreementAmended(e) => set_agreement(&mut state, e.agreement, |a| {
            if let Some(text) = &e.task_description {
                a.task_description.clone_from(text);
            }
            if e.weekly_hours.is_some() {
                a.weekly_hours = e.weekly_hours;
            }
        }),
        E::AgreementNoticeGiven(e) => set_agreement(&mut state, e.agreement, |a| {
            a.notice = Some((e.notice_date, e.end_date));
            a.end = Some(e.end_date);
        }),
        E::AgreementTerminated(e) => set_agreement(&mut state, e.agreement, |a| {
            a.status = AgreementStatus::Terminated;
            a.end = Some(e.end_date);
        }),
        E::AgreementVoided(e) => set_agreement(&mut state, e.agreement, |a| {
            a.status = AgreementStatus::Voided;
        }),
        E::PabCombinationStarted(e) => {
            state.combinations.insert(
                e.combination,
                Combination {
                    id: e.combination,
                    budget: e.budget,
                    provider: e.provider,
                    care: e.care,
                    effective_from: e.effective_from,
                    monthly_reduction: e.monthly_reduction,
                    rate_applied: e.rules_applied.first().copied(),
                    ended_from: None,
                },
            );
            state.reduction_history.push(ReductionPeriod {
                combination: e.combination,
                budget: e.budget,
                from: e.effective_from,
                monthly: e.monthly_reduction,
            });
        }
        E::PabCombinationChanged(e) => {
            if let Some(c) = state.combinations.get_mut(&e.combination) {
                c.care = e.care;
                c.effective_from = e.effective_from;
                c.monthly_reduction = e.monthly_reduction;
                c.rate_applied = e.rules_applied.first().copied();
                let budget = c.budget;
                state.reduction_history.push(ReductionPeriod {
                    combination: e.combination,
                    budget,
                    from: e.effective_from,
                    monthly: e.monthly_reduction,
                });
            }
        }
        E::PabCombinationEnded(e) => {
            if let Some(c) = state.combinations.get_mut(&e.combination) {
                c.ended_from = Some(e.effective_from);
                let budget = c.budget;
                state.reduction_history.push(ReductionPeriod {
                    combination: e.combination,
                    budget,
                    from: e.effective_from,
                    monthly: Euro::ZERO,
                });
            }
        }
        E::AssistanceOrganisationJoined(e) => {
            state.memberships.insert(e.organisation, e.joined_on);
        }
        E::AssistanceRecorded(e) => state.assistance.push(e.clone()),
        E::SuspectedMisuseReported(e) => state.misuse_reports.push(e.clone()),
        _ => return super::money_state::apply(state, event),
    }
    state
}

fn set_voucher(state: &mut Dossier, id: VoucherId, status: VoucherStatus) {
    if let Some(voucher) = state.vouchers.get_mut(&id) {
        voucher.status = status;
    }
}

fn end_budget(state: &mut Dossier, id: BudgetId, status: BudgetStatus, on: NaiveDate) {
    if let Some(budget) = state.budgets.get_mut(&id) {
        budget.status = status;
        budget.ended_on = Some(on);
    }
}

fn set_agreement(state: &mut Dossier, id: AgreementId, change: impl FnOnce(&mut Agreement)) {
    if let Some(agreement) = state.agreements.get_mut(&id) {
        change(agreement);
    }
}
