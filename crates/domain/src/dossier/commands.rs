//! Commands on a dossier: imperative, carrying ids generated outside the domain.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::events::{
    AccountHolderRelation, AgreementKind, AssistanceThreshold, CareRelation, ClaimChannel,
    CombinedCare, ControlKind, ControlSelection, CostLine, CovidBasis, EvidenceDocument, Finding,
    LateException, LineOutcome, PartyIdentification, PaymentForm, Provider, PvbRoute,
    RecoveryReason, Reporter, RepresentativeRole, StopReason, Suspicion, VisitLocation, Worker,
};
use crate::values::{
    AgreementId, BudgetId, ClaimId, CombinationId, ControlId, DossierId, Euro, Iban, Insz,
    OrganisationId, PaymentId, PersonId, RecoveryId, ReportId, UserId, VoucherId,
};

/// Every command a dossier accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum DossierCommand {
    RegisterPerson(RegisterPerson),
    CorrectBirthDate(CorrectBirthDate),
    RecordDeath(RecordDeath),
    VoidDossier(VoidDossier),
    EraseDossierData(EraseDossierData),
    CorrectInsz(CorrectInsz),
    AssignLegalRepresentative(AssignLegalRepresentative),
    EndLegalRepresentative(EndLegalRepresentative),
    DesignateBudgetHolder(DesignateBudgetHolder),
    RegisterBudgetAccount(RegisterBudgetAccount),
    CorrectBudgetAccount(CorrectBudgetAccount),
    ChangeAccountProxy(ChangeAccountProxy),
    /// System (daily job): the person turned 18.
    RecordMajority,
    SubmitPabApplication(SubmitPabApplication),
    GrantPab(GrantPab),
    MakePvbAvailable(MakePvbAvailable),
    SetAnnualAmount(SetAnnualAmount),
    RecordHomeGuidanceDeregistration(RecordHomeGuidanceDeregistration),
    StartBudget(StartBudget),
    /// System (daily job): the start deadline passed without a start.
    LapseBudget(LapseBudget),
    StopBudget(StopBudget),
    ConvertPabToPvbNaJeugdhulp(ConvertPabToPvbNaJeugdhulp),
    SwitchToZorgbudget(SwitchToZorgbudget),
    #[serde(rename = "redeem_bo_value_voucher")]
    RedeemValueVoucher(RedeemValueVoucher),
    /// System (daily job): a waardebon passed its validity.
    #[serde(rename = "expire_bo_value_voucher")]
    ExpireValueVoucher(ExpireValueVoucher),
    RegisterAgreement(RegisterAgreement),
    ApproveAgreement(ApproveAgreement),
    RejectAgreement(RejectAgreement),
    AmendAgreement(AmendAgreement),
    GiveNotice(GiveNotice),
    TerminateAgreement(TerminateAgreement),
    VoidAgreement(VoidAgreement),
    SubmitCombinationForm(SubmitCombinationForm),
    /// System (daily job): a new half-day rate took effect for a running combination.
    RecalculateCombinationReduction(RecalculateCombinationReduction),
    JoinAssistanceOrganisation(JoinAssistanceOrganisation),
    #[serde(rename = "record_bo_assistance")]
    RecordAssistance(RecordAssistance),
    ReportSuspectedMisuse(ReportSuspectedMisuse),
    SubmitCostClaim(SubmitCostClaim),
    DecideCostLine(DecideCostLine),
    OverrideCostLineDecision(OverrideCostLineDecision),
    VoidCostClaim(VoidCostClaim),
    /// System (daily job) or staff: after the first approved COVID-19 agreement.
    GrantCovidOverrunAllowance(GrantCovidOverrunAllowance),
    /// System (daily job) or staff: a newer COVID-19 regime version raised the cap.
    RaiseCovidOverrunAllowance(RaiseCovidOverrunAllowance),
    DeclareCashPart(DeclareCashPart),
    PayAdvance(PayAdvance),
    OrderPayment(OrderPayment),
    ExecutePayment(ExecutePayment),
    GrantExtraSeverance(GrantExtraSeverance),
    CloseBudgetYear(CloseBudgetYear),
    DecideRecovery(DecideRecovery),
    RecordRecoveryRepayment(RecordRecoveryRepayment),
    WriteOffRecovery(WriteOffRecovery),
    DraftFinalSettlement(DraftFinalSettlement),
    IssueFinalSettlement(IssueFinalSettlement),
    OpenControlCase(OpenControlCase),
    RequestEvidence(RequestEvidence),
    RecordEvidence(RecordEvidence),
    RecordInspectionVisit(RecordInspectionVisit),
    ConcludeControl(ConcludeControl),
    ReportSuspectedFraud(ReportSuspectedFraud),
    MigrateHistory(MigrateHistory),
}

impl DossierCommand {
    /// The persons the command names besides the dossier's own person: each must be a known
    /// person (a record of their own, `crate::persons`) or one the dossier already names.
    pub fn persons_named(&self) -> Vec<PersonId> {
        match self {
            Self::AssignLegalRepresentative(c) => vec![c.representative],
            Self::DesignateBudgetHolder(c) => vec![c.holder],
            Self::RegisterBudgetAccount(c) => vec![c.account_holder],
            Self::ChangeAccountProxy(c) => vec![c.account_holder],
            Self::StopBudget(c) => c.signed_by.into_iter().collect(),
            _ => Vec::new(),
        }
    }
}

/// Open the dossier of a person with a disability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterPerson {
    pub dossier: DossierId,
    pub person: PersonId,
    pub insz: Insz,
    /// When absent, derived from the INSZ (refused when the INSZ does not encode it).
    pub birth_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectBirthDate {
    pub corrected: NaiveDate,
    pub reason: String,
}

/// Correct a mistyped INSZ (a staff member, with a reason): the person index is re-keyed, so the
/// corrected INSZ is refused if another dossier holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectInsz {
    pub corrected: Insz,
    pub reason: String,
}

/// Void a dossier opened by mistake (a staff member, with a reason; refused once a payment was
/// ordered in it: then a recovery is the way).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidDossier {
    pub reason: String,
}

/// Erase the dossier's personal data once its retention period has ended (the application
/// issues it when its person's data is erased).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseDossierData {
    pub basis: crate::persons::ErasureBasis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDeath {
    pub date_of_death: NaiveDate,
    /// Reference of the overlijdensakte.
    pub certificate_ref: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignLegalRepresentative {
    pub representative: PersonId,
    pub role: RepresentativeRole,
    pub valid_from: NaiveDate,
    pub evidence_ref: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndLegalRepresentative {
    pub representative: PersonId,
    pub ended_on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignateBudgetHolder {
    pub holder: PersonId,
    pub from: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBudgetAccount {
    pub iban: Iban,
    /// The person in whose name the account is.
    pub account_holder: PersonId,
    pub relation: AccountHolderRelation,
    /// The holder declares the account is used only for the budget.
    pub dedicated: bool,
    pub registered_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectBudgetAccount {
    pub corrected: Iban,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeAccountProxy {
    pub account_holder: PersonId,
    pub relation: AccountHolderRelation,
    pub changed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitPabApplication {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub budget: BudgetId,
    pub submitted_on: NaiveDate,
    /// Spoedprocedure: the reference of the treating arts-specialist's attest, if urgent.
    pub urgent: Option<UrgentProcedure>,
}

/// The spoedprocedure for rapidly degenerative conditions (S003-20).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UrgentProcedure {
    /// Reference of the arts-specialist's attest; empty when none was sent.
    pub specialist_attest_ref: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantPab {
    pub budget: BudgetId,
    /// Date of the grant letter.
    pub granted_on: NaiveDate,
    pub annual_amount: Euro,
    /// Id for the waardebon issued to a new holder.
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub voucher: VoucherId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MakePvbAvailable {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub budget: BudgetId,
    /// Date of the terbeschikkingstellingsbrief.
    pub letter_date: NaiveDate,
    pub annual_amount: Euro,
    pub route: PvbRoute,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetAnnualAmount {
    pub budget: BudgetId,
    pub year: i32,
    pub amount: Euro,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordHomeGuidanceDeregistration {
    pub attest_ref: String,
    pub received_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartBudget {
    pub budget: BudgetId,
    pub start_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LapseBudget {
    pub budget: BudgetId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StopBudget {
    pub budget: BudgetId,
    pub reason: StopReason,
    pub stop_date: NaiveDate,
    /// Who signed the stop letter (voluntary stop).
    pub signed_by: Option<PersonId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConvertPabToPvbNaJeugdhulp {
    pub pab: BudgetId,
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub pvb: BudgetId,
    pub converted_on: NaiveDate,
    /// When the ondersteuningsplan was submitted.
    pub plan_submitted_on: NaiveDate,
    /// Reference of the definitive toewijzing.
    pub toewijzing_ref: String,
    pub annual_amount: Euro,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchToZorgbudget {
    pub budget: BudgetId,
    pub switch_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemValueVoucher {
    pub voucher: VoucherId,
    pub redemption: VoucherRedemption,
    pub redeemed_on: NaiveDate,
}

/// What the holder asks for with the waardebon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VoucherRedemption {
    /// An exploratory talk (verkennend gesprek) with a bijstandsorganisatie.
    ExploratoryTalk { organisation: OrganisationId },
    /// Payment of its value in money: never allowed (S003-28).
    CashPayment,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpireValueVoucher {
    pub voucher: VoucherId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterAgreement {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub agreement: AgreementId,
    pub budget: BudgetId,
    pub payment: PaymentForm,
    pub kind: AgreementKind,
    pub provider: Provider,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// Taakomschrijving.
    pub task_description: String,
    pub weekly_hours: Option<Decimal>,
    pub care_relation: CareRelation,
    /// Present for a COVID-19 agreement.
    pub covid: Option<CovidBasis>,
    /// The worker, when a natural person is employed; required for a job student (F-02).
    pub worker: Option<Worker>,
    /// Day both parties signed. Required for an IDO, which is signed before the support starts
    /// (or, in an emergency, at most `ido.emergency_signing_max_days` after).
    #[serde(default)]
    pub signed_on: Option<NaiveDate>,
    /// The IDO was signed after the start because of an emergency (noodsituatie).
    #[serde(default)]
    pub emergency: bool,
    /// The person works as a volunteer (vrijwilliger): only via an erkende
    /// vrijwilligersorganisatie (F-03).
    #[serde(default)]
    pub volunteer: bool,
    /// The other party's rijksregisternummer or ondernemingsnummer (A-05; required for a PAB
    /// agreement with a party outside the organisation registry).
    #[serde(default)]
    pub party_identification: Option<PartyIdentification>,
    /// Duration and notice rules (duur en opzegregeling; required for a PAB agreement, A-05).
    #[serde(default)]
    pub notice_terms: Option<String>,
    /// Cost per hour (uurloon or uurprijs; required for a PAB agreement, A-05).
    #[serde(default)]
    pub hourly_cost: Option<Euro>,
    /// Payment terms (betalingsvoorwaarden; required for a PAB agreement, A-05).
    #[serde(default)]
    pub payment_terms: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveAgreement {
    pub agreement: AgreementId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectAgreement {
    pub agreement: AgreementId,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendAgreement {
    pub agreement: AgreementId,
    pub effective_from: NaiveDate,
    pub task_description: Option<String>,
    pub weekly_hours: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GiveNotice {
    pub agreement: AgreementId,
    pub notice_date: NaiveDate,
    /// Last day of the agreement.
    pub end_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminateAgreement {
    pub agreement: AgreementId,
    /// Last day of the agreement.
    pub end_date: NaiveDate,
    pub reason: String,
}

/// Void an agreement entered in the wrong dossier (or twice): it counts for nothing from then
/// on, and the right dossier registers it anew. Refused while a claim not voided cites it, and
/// once a cost it covers was paid (then a recovery is the way). The reason goes into the event's
/// metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidAgreement {
    pub agreement: AgreementId,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitCombinationForm {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub combination: CombinationId,
    pub budget: BudgetId,
    pub change: CombinationChange,
    /// First day of the month the change takes effect.
    pub effective_from: NaiveDate,
    pub signed_by_holder: bool,
    pub signed_by_provider: bool,
    /// E.g. "corona".
    pub reason: Option<String>,
}

/// What the combinatieformulier reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CombinationChange {
    Start {
        provider: OrganisationId,
        care: CombinedCare,
    },
    Change {
        care: CombinedCare,
    },
    End,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecalculateCombinationReduction {
    pub combination: CombinationId,
    /// First day of the month from which the new rate applies.
    pub from: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinAssistanceOrganisation {
    pub organisation: OrganisationId,
    pub joined_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAssistance {
    pub organisation: OrganisationId,
    pub threshold: AssistanceThreshold,
    pub description: String,
    /// What the organisation charges the holder.
    pub fee: Euro,
    pub provided_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSuspectedMisuse {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub report: ReportId,
    pub organisation: OrganisationId,
    pub suspicion: Suspicion,
    pub narrative: String,
    pub reported_on: NaiveDate,
}

// ---------------------------------------------------------------------------------------------
// Part 2: money and controls

/// Submit a kostenstaat (S003-21).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitCostClaim {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub claim: ClaimId,
    pub budget: BudgetId,
    pub budget_year: i32,
    pub submitted_on: NaiveDate,
    pub channel: ClaimChannel,
    /// A request to accept a late claim (D-02).
    pub late_exception: Option<LateException>,
    pub lines: Vec<CostLine>,
}

/// A staff member decides a held line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideCostLine {
    pub claim: ClaimId,
    pub line: u32,
    pub outcome: LineOutcome,
    pub reason: String,
}

/// A staff member replaces the current decision of a line (override or reversal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideCostLineDecision {
    pub claim: ClaimId,
    pub line: u32,
    pub outcome: LineOutcome,
    pub reason: String,
}

/// Void a cost claim entered in the wrong dossier (or twice): none of its lines counts from then
/// on, and the right dossier receives it anew. Refused once a payment was ordered for one of its
/// lines (then a recovery is the way). The reason goes into the event's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidCostClaim {
    pub claim: ClaimId,
    pub reason: String,
}

/// The daily job (or staff): grant the COVID-19 increase of a budget year after the first
/// approved COVID-19 agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantCovidOverrunAllowance {
    pub budget: BudgetId,
    pub year: i32,
}

/// The daily job (or staff): raise the increase to a newer regime version's cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaiseCovidOverrunAllowance {
    pub budget: BudgetId,
    pub year: i32,
}

/// The PVB holder declares the cash part (form "PVB starten met besteding in cash").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclareCashPart {
    pub budget: BudgetId,
    pub amount: Euro,
    pub declared_on: NaiveDate,
}

/// Pay the recoverable advance (P-04, A-04).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayAdvance {
    pub budget: BudgetId,
}

/// Order the payment of every accepted, unpaid line of the budget, net of credit notes and open
/// recoveries (P-05, K-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderPayment {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub payment: PaymentId,
    pub budget: BudgetId,
    pub year: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecutePayment {
    pub payment: PaymentId,
    pub executed_on: NaiveDate,
}

/// Grant the extra severance on top of the cap (E-02/E-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantExtraSeverance {
    pub budget: BudgetId,
    pub year: i32,
    pub reason: String,
}

/// Close a budget year: overrun letter and recovery of an overrun not explained by COVID-19.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBudgetYear {
    pub budget: BudgetId,
    pub year: i32,
    /// Id for the recovery of an unexplained overrun, if there is one.
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub recovery: RecoveryId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideRecovery {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub recovery: RecoveryId,
    pub budget: BudgetId,
    pub year: Option<i32>,
    pub amount: Euro,
    pub reasons: Vec<RecoveryReason>,
    pub evidence: Vec<String>,
    pub legal_basis: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordRecoveryRepayment {
    pub recovery: RecoveryId,
    pub amount: Euro,
    pub paid_on: NaiveDate,
}

/// Write off what is still outstanding of a recovery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteOffRecovery {
    pub recovery: RecoveryId,
    pub reason: String,
}

/// Issue the provisional final settlement of an ended budget (E-01).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftFinalSettlement {
    pub budget: BudgetId,
}

/// Issue the definitive final settlement after the evidence period (E-01/E-03).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueFinalSettlement {
    pub budget: BudgetId,
    /// Id for the recovery of the advance.
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub recovery: RecoveryId,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenControlCase {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub control: ControlId,
    pub budget: BudgetId,
    pub selection: ControlSelection,
    pub kind: ControlKind,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestEvidence {
    pub control: ControlId,
    pub documents: Vec<String>,
    pub due_by: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordEvidence {
    pub control: ControlId,
    pub documents: Vec<EvidenceDocument>,
    pub received_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordInspectionVisit {
    pub control: ControlId,
    pub inspector: UserId,
    pub announced_on: NaiveDate,
    pub visited_on: NaiveDate,
    pub location: VisitLocation,
    pub duration_minutes: u32,
}

/// Conclude a control; a recovery on its findings is decided in the same decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConcludeControl {
    pub control: ControlId,
    pub findings: Vec<Finding>,
    pub letter_ref: String,
    pub recovery: Option<ControlRecovery>,
}

/// The recovery decided on a control's findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlRecovery {
    pub recovery: RecoveryId,
    pub amount: Euro,
    pub legal_basis: String,
}

/// A staff member or inspector reports suspected misuse or fraud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSuspectedFraud {
    /// Left out, the server makes it (and answers with it).
    #[serde(default)]
    pub report: ReportId,
    pub reporter: Reporter,
    pub suspicion: Suspicion,
    pub narrative: String,
    pub reported_on: NaiveDate,
}

/// Facts of this dossier taken over from a system before Dossier, recorded as they were: only
/// the migration actor may send it (`app::Service::migrate`), and the deciders' rules do not
/// apply to what happened before (a fee the old system recorded stays recorded, for the
/// signals to find).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrateHistory {
    /// The system the facts come from, e.g. "dossiersysteem bijstandsorganisatie".
    pub source: String,
    /// The facts, as current dossier events, in the order they happened.
    #[schemars(with = "Vec<serde_json::Value>")]
    pub facts: Vec<super::events::DossierEvent>,
}

/// Declares, once, the id each command gives to what it creates (a budget, an agreement, a
/// claim, …): the field a client may leave out and the server then makes.
macro_rules! created_ids {
    ($($variant:ident . $field:ident),* $(,)?) => {
        impl DossierCommand {
            /// The id this command gives to what it creates, with its field name; `None` for a
            /// command that creates nothing. Nil while not given.
            pub fn created_id(&self) -> Option<(&'static str, uuid::Uuid)> {
                use crate::values::EntityId;
                match self {
                    $(Self::$variant(c) => Some((stringify!($field), c.$field.uuid())),)*
                    _ => None,
                }
            }

            /// Gives what this command creates the id `make` makes for its field, unless the
            /// client gave one; answers the id, with its field name.
            pub fn fill_created_id(
                &mut self,
                make: impl FnOnce(&'static str) -> uuid::Uuid,
            ) -> Option<(&'static str, uuid::Uuid)> {
                use crate::values::EntityId;
                match self {
                    $(Self::$variant(c) => {
                        if c.$field.uuid().is_nil() {
                            c.$field = EntityId::of(make(stringify!($field)));
                        }
                        Some((stringify!($field), c.$field.uuid()))
                    })*
                    _ => None,
                }
            }
        }
    };
}

created_ids! {
    SubmitPabApplication.budget,
    GrantPab.voucher,
    MakePvbAvailable.budget,
    ConvertPabToPvbNaJeugdhulp.pvb,
    RegisterAgreement.agreement,
    SubmitCombinationForm.combination,
    ReportSuspectedMisuse.report,
    SubmitCostClaim.claim,
    OrderPayment.payment,
    CloseBudgetYear.recovery,
    DecideRecovery.recovery,
    IssueFinalSettlement.recovery,
    OpenControlCase.control,
    ReportSuspectedFraud.report,
}
