//! The per-dossier signal rules of brief §6, on recorded facts.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::dossier::{
    Agreement, AgreementKind, AgreementStatus, AssistanceThreshold, BudgetKind, BudgetLine,
    ClaimLine, CombinedCare, CostCategory, CostClaim, CostNature, Dossier, DossierEvent as E,
    RepresentativeRole, Worker,
};
use domain::rule_book::{Parameter, ParameterValue};
use domain::values::{AGE_OF_MAJORITY, age_on, dutch_date};
use domain::{Actor, AgreementId, BudgetId, ClaimId, Euro, PersonId, RuleBook};
use uuid::Uuid;

use super::Signal;

/// A signature by someone who is neither the budget holder, the person, nor a legal
/// representative (F32), found when the agreement or claim was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UnauthorisedSignature {
    subject: String,
    what: &'static str,
    on: NaiveDate,
    event: Uuid,
}

/// The ids of the events that recorded each fact a signal can point at.
#[derive(Debug, Default, Clone)]
pub struct Evidence {
    claim_submitted: HashMap<ClaimId, Uuid>,
    line_decided: HashMap<(ClaimId, u32), Uuid>,
    agreement_events: HashMap<AgreementId, Vec<Uuid>>,
    workers: HashMap<AgreementId, Worker>,
    budget_started: HashMap<BudgetId, Uuid>,
    budget_ended: HashMap<BudgetId, Uuid>,
    combinations: Vec<(Uuid, BudgetId, String)>,
    death: Option<Uuid>,
    assistance: Vec<(Uuid, domain::dossier::AssistanceRecorded)>,
    signatures: Vec<UnauthorisedSignature>,
}

/// Someone who may sign for the dossier on `on`: the holder, the person, or a legal
/// representative (plus-parents and other relatives are not, S003-22..26).
fn may_sign(state: &Dossier, person: PersonId, on: NaiveDate) -> bool {
    state.holder == Some(person)
        || state.person.as_ref().is_some_and(|p| p.id == person)
        || state.representatives_on(on).any(|r| {
            r.representative == person
                && !matches!(
                    r.role,
                    RepresentativeRole::PlusParent | RepresentativeRole::OtherRelative
                )
        })
}

impl Evidence {
    /// Records the event that established a fact; `state` is the dossier after it.
    pub fn record(&mut self, id: Uuid, event: &E, state: &Dossier) {
        match event {
            E::CostClaimSubmitted(e) => {
                self.claim_submitted.insert(e.claim, id);
                if let Actor::Holder { person } = e.submitted_by
                    && !may_sign(state, person, e.submitted_on)
                {
                    self.signatures.push(UnauthorisedSignature {
                        subject: format!("kostenstaat {}", e.claim),
                        what: "De kostenstaat",
                        on: e.submitted_on,
                        event: id,
                    });
                }
            }
            E::CostLineAccepted(e) => {
                self.line_decided.insert((e.claim, e.line), id);
            }
            E::CostLineRejected(e) => {
                self.line_decided.insert((e.claim, e.line), id);
            }
            E::CostLineHeld(e) => {
                self.line_decided.insert((e.claim, e.line), id);
            }
            E::CostLineDecidedByStaff(e) => {
                self.line_decided.insert((e.claim, e.line), id);
            }
            E::CostLineDecisionOverridden(e) => {
                self.line_decided.insert((e.claim, e.line), id);
            }
            E::AgreementRegistered(e) => {
                self.agreement_events
                    .entry(e.agreement)
                    .or_default()
                    .push(id);
                if let Some(worker) = e.worker {
                    self.workers.insert(e.agreement, worker);
                }
                if let Actor::Holder { person } = e.registered_by
                    && !may_sign(state, person, e.start)
                {
                    self.signatures.push(UnauthorisedSignature {
                        subject: format!("overeenkomst {}", e.agreement),
                        what: "De overeenkomst",
                        on: e.start,
                        event: id,
                    });
                }
            }
            E::AgreementApproved(e) => self.agreement_event(e.agreement, id),
            E::AgreementNoticeGiven(e) => self.agreement_event(e.agreement, id),
            E::AgreementTerminated(e) => self.agreement_event(e.agreement, id),
            E::AgreementVoided(e) => self.agreement_event(e.agreement, id),
            E::BudgetStarted(e) => {
                self.budget_started.insert(e.budget, id);
            }
            E::BudgetStopped(e) => {
                self.budget_ended.insert(e.budget, id);
            }
            E::BudgetAvailabilityLapsed(e) => {
                self.budget_ended.insert(e.budget, id);
            }
            E::PabCombinationStarted(e) if e.care == CombinedCare::MobileOrAmbulantGuidance => {
                self.combinations
                    .push((id, e.budget, e.combination.to_string()));
            }
            E::PersonDeceased(_) => self.death = Some(id),
            E::AssistanceRecorded(e) => self.assistance.push((id, e.clone())),
            _ => {}
        }
    }

    fn agreement_event(&mut self, agreement: AgreementId, id: Uuid) {
        self.agreement_events.entry(agreement).or_default().push(id);
    }

    /// The events that recorded a claim line: its submission and its latest decision.
    pub fn of_line(&self, claim: ClaimId, line: u32) -> Vec<Uuid> {
        self.claim_submitted
            .get(&claim)
            .into_iter()
            .chain(self.line_decided.get(&(claim, line)))
            .copied()
            .collect()
    }

    fn of_agreement(&self, agreement: AgreementId) -> Vec<Uuid> {
        self.agreement_events
            .get(&agreement)
            .cloned()
            .unwrap_or_default()
    }

    /// The stable subject of a claim line: the event that submitted it, and the line number.
    pub fn line_subject(&self, claim: ClaimId, line: u32) -> String {
        format!("kostenstaat {claim} lijn {line}")
    }
}

/// A period parameter governing `on`, as known on `known_on`.
fn period(
    rule_book: &RuleBook,
    parameter: Parameter,
    on: NaiveDate,
    known_on: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    match rule_book.version(parameter, on, known_on)?.value {
        ParameterValue::Period { from, to } => Some((from, to)),
        _ => None,
    }
}

fn period_text(from: NaiveDate, to: NaiveDate) -> String {
    format!("{} tot en met {}", dutch_date(from), dutch_date(to))
}

/// An accepted line with its claim and the kind of budget it is charged to.
struct Accepted<'a> {
    claim: &'a CostClaim,
    line: &'a ClaimLine,
    kind: Option<BudgetKind>,
    agreement: Option<&'a Agreement>,
}

fn accepted_lines(state: &Dossier) -> impl Iterator<Item = Accepted<'_>> {
    state.claims.values().flat_map(move |claim| {
        claim
            .lines
            .values()
            .filter(|l| l.status == domain::dossier::LineStatus::Accepted)
            .map(move |line| Accepted {
                claim,
                line,
                kind: state.budgets.get(&claim.budget).map(|b| b.kind),
                agreement: line.line.agreement.and_then(|a| state.agreements.get(&a)),
            })
    })
}

/// Everything the rules read.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub dossier: &'a str,
    pub state: &'a Dossier,
    pub rule_book: &'a RuleBook,
    pub evidence: &'a Evidence,
    pub known_on: NaiveDate,
}

impl Input<'_> {
    fn line_signal(
        &self,
        rule: &'static str,
        accepted: &Accepted<'_>,
        explanation: String,
        extra: &[Uuid],
    ) -> Signal {
        let (claim, line) = (accepted.claim.id, accepted.line.line.line);
        let mut evidence = self.evidence.of_line(claim, line);
        evidence.extend_from_slice(extra);
        Signal::new(
            rule,
            self.dossier,
            self.evidence.line_subject(claim, line),
            explanation,
            Some(accepted.line.line.amount),
            evidence,
        )
    }
}

/// The signals about the dossier as a whole: agreements, the budget start, assistance,
/// signatures.
pub fn evaluate_dossier(input: &Input<'_>) -> Vec<Signal> {
    let mut signals = Vec::new();
    f13_pab_with_home_guidance(input, &mut signals);
    f7_ido_ended_in_freeze(input, &mut signals);
    f21_minor_family_member(input, &mut signals);
    f23_bo_fee_for_low_threshold_help(input, &mut signals);
    f32_unauthorised_signature(input, &mut signals);
    signals
}

/// The signals about one claim line (none unless it is accepted).
pub fn evaluate_line(input: &Input<'_>, claim: &CostClaim, line: &ClaimLine) -> Vec<Signal> {
    let mut signals = Vec::new();
    if line.status != domain::dossier::LineStatus::Accepted {
        return signals;
    }
    let accepted = Accepted {
        claim,
        line,
        kind: input.state.budgets.get(&claim.budget).map(|b| b.kind),
        agreement: line
            .line
            .agreement
            .and_then(|a| input.state.agreements.get(&a)),
    };
    f2_covid_cost_outside_window(input, &accepted, &mut signals);
    f5_extra_charges_during_freeze(input, &accepted, &mut signals);
    f8_cost_outside_agreement(input, &accepted, &mut signals);
    f9_cost_after_end(input, &accepted, &mut signals);
    f14_17_18_not_payable_with_pab(input, &accepted, &mut signals);
    signals
}

/// The signals about one budget year.
pub fn evaluate_year(input: &Input<'_>, line: &BudgetLine) -> Vec<Signal> {
    let mut signals = Vec::new();
    f1_overrun_not_explained_by_covid(input, line, &mut signals);
    f11_pab_other_costs_over_limit(input, line, &mut signals);
    signals
}

/// F1 (S004-15): in a COVID-19 year, accepted costs above the net annual budget that COVID-19
/// costs within the window do not explain. The deciders cap each line against the remaining
/// budget; this catches what they cannot: overruns built from lines accepted by staff
/// override or imported, and the comparison with the costs actually inside the window.
fn f1_overrun_not_explained_by_covid(
    input: &Input<'_>,
    line: &BudgetLine,
    signals: &mut Vec<Signal>,
) {
    {
        let Some(year_end) = NaiveDate::from_ymd_opt(line.year, 12, 31) else {
            return;
        };
        let Some(year_start) = NaiveDate::from_ymd_opt(line.year, 1, 1) else {
            return;
        };
        let Some((from, to)) = period(
            input.rule_book,
            Parameter::CovidAgreementWindow,
            year_end,
            input.known_on,
        ) else {
            return;
        };
        if to < year_start || from > year_end {
            return; // not a COVID-19 year
        }
        let excess = line.accepted - line.net_annual;
        if !excess.is_positive() {
            return;
        }
        let mut explained = Euro::ZERO;
        let mut evidence = Vec::new();
        for accepted in accepted_lines(input.state)
            .filter(|a| a.claim.budget == line.budget && a.claim.year == line.year)
        {
            evidence.extend(
                input
                    .evidence
                    .of_line(accepted.claim.id, accepted.line.line.line),
            );
            let l = &accepted.line.line;
            let on_covid_agreement = accepted.agreement.is_some_and(|a| a.covid.is_some());
            let in_window = period(
                input.rule_book,
                Parameter::CovidAgreementWindow,
                l.service_from,
                input.known_on,
            )
            .is_some_and(|(from, to)| from <= l.service_from && l.service_to <= to);
            if l.category == CostCategory::Covid && on_covid_agreement && in_window {
                explained += l.amount;
            }
        }
        let unexplained = excess - explained;
        if unexplained.is_positive() {
            signals.push(Signal::new(
                "F1",
                input.dossier,
                format!("budget {} jaar {}", line.budget, line.year),
                format!(
                    "De aanvaarde kosten van {} ({}) overschrijden het netto jaarbudget ({}) met {}; COVID-19-kosten binnen de COVID-19-periode verklaren daarvan slechts {}. Niet verklaard: {}.",
                    line.year,
                    line.accepted.to_dutch(),
                    line.net_annual.to_dutch(),
                    excess.to_dutch(),
                    explained.to_dutch(),
                    unexplained.to_dutch()
                ),
                Some(unexplained),
                evidence,
            ));
        }
    }
}

/// F2 (S004-10/13): an accepted COVID-19 line with service dates outside the COVID-19 window in
/// force on its service date. The deciders reject such a line; this catches lines accepted by
/// staff override or imported from history.
fn f2_covid_cost_outside_window(input: &Input<'_>, a: &Accepted<'_>, signals: &mut Vec<Signal>) {
    let l = &a.line.line;
    if l.category != CostCategory::Covid {
        return;
    }
    let window = period(
        input.rule_book,
        Parameter::CovidAgreementWindow,
        l.service_from,
        input.known_on,
    )
    // Before the window's first version no window governs: the service date is outside it.
    .or_else(|| {
        period(
            input.rule_book,
            Parameter::CovidAgreementWindow,
            l.service_to,
            input.known_on,
        )
    });
    let outside = window.is_none_or(|(from, to)| l.service_to < from || l.service_from > to);
    if outside {
        let window_text = window.map_or_else(
            || "geen COVID-19-periode".to_owned(),
            |(from, to)| format!("de COVID-19-periode loopt van {}", period_text(from, to)),
        );
        signals.push(input.line_signal(
            "F2",
            a,
            format!(
                "COVID-19-kost van {} voor prestaties van {} valt buiten de COVID-19-periode ({window_text}).",
                l.amount.to_dutch(),
                period_text(l.service_from, l.service_to),
            ),
            &[],
        ));
    }
}

/// F5 (S004-08/17/20/22): extra charges (meerkosten) accepted for service dates within the
/// freeze. The deciders reject them; this catches lines accepted by override or imported.
fn f5_extra_charges_during_freeze(input: &Input<'_>, a: &Accepted<'_>, signals: &mut Vec<Signal>) {
    let l = &a.line.line;
    if l.nature != CostNature::ExtraCharges {
        return;
    }
    let freeze = period(
        input.rule_book,
        Parameter::CovidExtraChargesFreeze,
        l.service_from,
        input.known_on,
    );
    if let Some((from, to)) = freeze
        && l.service_from <= to
        && l.service_to >= from
    {
        {
            signals.push(input.line_signal(
                "F5",
                a,
                format!(
                    "Meerkosten van {} aangerekend voor prestaties van {}, tijdens de COVID-19-bevriezing ({}).",
                    l.amount.to_dutch(),
                    period_text(l.service_from, l.service_to),
                    period_text(from, to)
                ),
                &[],
            ));
        }
    }
}

/// F7 (S004-06/07): an IDO that ended before the end of the freeze, or whose notice was given
/// before notice was allowed. The deciders refuse such a notice or termination; this catches
/// them in imported history.
fn f7_ido_ended_in_freeze(input: &Input<'_>, signals: &mut Vec<Signal>) {
    for agreement in input
        .state
        .agreements
        .values()
        .filter(|a| a.kind == AgreementKind::Ido)
    {
        let Some(end) = agreement.end else { continue };
        if agreement.status != AgreementStatus::Terminated && agreement.notice.is_none() {
            continue;
        }
        let Some(freeze) = crate::read::agreements::ido_freeze(
            input.rule_book,
            agreement.start,
            Some(end),
            input.known_on,
        ) else {
            continue;
        };
        let ended_early = end >= freeze.from && end < freeze.to;
        let early_notice = agreement.notice.and_then(|(notice, _)| {
            let allowed = freeze.notice_from?;
            (notice >= freeze.from && notice < allowed).then_some((notice, allowed))
        });
        let explanation = if let Some((notice, allowed)) = early_notice {
            format!(
                "De opzeg van IDO {} werd gegeven op {}, vóór {} (COVID-19-bevriezing).",
                agreement.id,
                dutch_date(notice),
                dutch_date(allowed)
            )
        } else if ended_early {
            format!(
                "IDO {} eindigt op {}, vóór het einde van de COVID-19-bevriezing op {}.",
                agreement.id,
                dutch_date(end),
                dutch_date(freeze.to)
            )
        } else {
            continue;
        };
        signals.push(Signal::new(
            "F7",
            input.dossier,
            format!("overeenkomst {}", agreement.id),
            explanation,
            None,
            input.evidence.of_agreement(agreement.id),
        ));
    }
}

/// F8 (S004-18, K-01): an accepted line on an agreement whose period does not cover the service
/// dates, or before the agreement was approved. The deciders reject these; this catches lines
/// accepted by override or imported.
fn f8_cost_outside_agreement(input: &Input<'_>, a: &Accepted<'_>, signals: &mut Vec<Signal>) {
    let Some(agreement) = a.agreement else {
        return;
    };
    let l = &a.line.line;
    let outside =
        l.service_from < agreement.start || agreement.end.is_some_and(|e| l.service_to > e);
    let before_approval = agreement.approved_on.is_none_or(|d| l.service_from < d);
    let reason = if outside {
        format!(
            "valt buiten de periode van overeenkomst {} (vanaf {}{})",
            agreement.id,
            dutch_date(agreement.start),
            agreement
                .end
                .map(|e| format!(" tot en met {}", dutch_date(e)))
                .unwrap_or_default()
        )
    } else if before_approval {
        match agreement.approved_on {
            Some(approved) => format!(
                "ligt vóór de goedkeuring van overeenkomst {} op {}",
                agreement.id,
                dutch_date(approved)
            ),
            None => format!(
                "hoort bij overeenkomst {}, die niet goedgekeurd is",
                agreement.id
            ),
        }
    } else {
        return;
    };
    signals.push(input.line_signal(
        "F8",
        a,
        format!(
            "Kost van {} voor prestaties van {} {reason}.",
            l.amount.to_dutch(),
            period_text(l.service_from, l.service_to)
        ),
        &input.evidence.of_agreement(agreement.id),
    ));
}

/// F9 (E-02/E-03, S003-07): an accepted line for services after the death of the person or the
/// end of the budget (other than severance and closing costs). The deciders reject these; this
/// catches lines accepted before the death was recorded, by override, or imported.
fn f9_cost_after_end(input: &Input<'_>, a: &Accepted<'_>, signals: &mut Vec<Signal>) {
    let l = &a.line.line;
    if l.category.survives_budget_end() {
        return;
    }
    let death = input
        .state
        .person
        .as_ref()
        .and_then(|p| p.date_of_death)
        .filter(|d| l.service_from > *d);
    let budget_end = input
        .state
        .budgets
        .get(&a.claim.budget)
        .and_then(|b| b.ended_on)
        .filter(|d| l.service_from > *d);
    let (reason, extra) = if let Some(death) = death {
        (
            format!("na het overlijden op {}", dutch_date(death)),
            input.evidence.death,
        )
    } else if let Some(end) = budget_end {
        (
            format!("na het einde van het budget op {}", dutch_date(end)),
            input.evidence.budget_ended.get(&a.claim.budget).copied(),
        )
    } else {
        return;
    };
    signals.push(input.line_signal(
        "F9",
        a,
        format!(
            "Kost van {} voor prestaties vanaf {} {reason}.",
            l.amount.to_dutch(),
            dutch_date(l.service_from)
        ),
        &extra.into_iter().collect::<Vec<_>>(),
    ));
}

/// F11 (S003-05, A-10): PAB other costs (other + free part) of a year above the limit in force.
/// The deciders reject the line that would cross the limit; this catches crossings by override
/// or import, and a limit lowered after the fact.
fn f11_pab_other_costs_over_limit(input: &Input<'_>, line: &BudgetLine, signals: &mut Vec<Signal>) {
    {
        let Some(limit) = line.other_costs_limit else {
            return;
        };
        let over = line.other_costs - limit;
        if !over.is_positive() {
            return;
        }
        let evidence = accepted_lines(input.state)
            .filter(|a| {
                a.claim.budget == line.budget
                    && a.claim.year == line.year
                    && a.line.line.category.is_other_cost()
            })
            .flat_map(|a| input.evidence.of_line(a.claim.id, a.line.line.line))
            .collect();
        signals.push(Signal::new(
            "F11",
            input.dossier,
            format!("budget {} jaar {}", line.budget, line.year),
            format!(
                "De andere kosten van het PAB in {} ({}) overschrijden de grens van {} met {}.",
                line.year,
                line.other_costs.to_dutch(),
                limit.to_dutch(),
                over.to_dutch()
            ),
            Some(over),
            evidence,
        ));
    }
}

/// F13 (S003-08/09): a PAB combined with mobile or ambulant guidance (an agreement or a
/// combination form), or started without the attest of deregistration from home guidance.
/// The deciders refuse both; this catches imported history and forms registered before the
/// rule.
fn f13_pab_with_home_guidance(input: &Input<'_>, signals: &mut Vec<Signal>) {
    let state = input.state;
    let is_pab = |budget: &BudgetId| {
        state
            .budgets
            .get(budget)
            .is_some_and(|b| b.kind == BudgetKind::Pab)
    };
    for agreement in state.agreements.values().filter(|a| {
        a.kind == AgreementKind::MobileOrAmbulantGuidance
            && is_pab(&a.budget)
            && a.status != AgreementStatus::Rejected
    }) {
        signals.push(Signal::new(
            "F13",
            input.dossier,
            format!("overeenkomst {}", agreement.id),
            format!(
                "Het PAB wordt gecombineerd met mobiele of ambulante begeleiding (overeenkomst {} vanaf {}).",
                agreement.id,
                dutch_date(agreement.start)
            ),
            None,
            input.evidence.of_agreement(agreement.id),
        ));
    }
    for (event, budget, combination) in &input.evidence.combinations {
        if is_pab(budget) {
            signals.push(Signal::new(
                "F13",
                input.dossier,
                format!("combinatie {combination}"),
                "Het PAB wordt gecombineerd met mobiele of ambulante begeleiding (combinatieformulier)."
                    .to_owned(),
                None,
                vec![*event],
            ));
        }
    }
    for budget in state.budgets.values().filter(|b| b.kind == BudgetKind::Pab) {
        let Some(started) = budget.started_on else {
            continue;
        };
        let attested = state
            .home_guidance_deregistered_on
            .is_some_and(|on| on <= started);
        if !attested {
            signals.push(Signal::new(
                "F13",
                input.dossier,
                format!("budget {} start", budget.id),
                format!(
                    "Het PAB startte op {} zonder attest van uitschrijving uit de thuisbegeleiding.",
                    dutch_date(started)
                ),
                None,
                input
                    .evidence
                    .budget_started
                    .get(&budget.id)
                    .copied()
                    .into_iter()
                    .collect(),
            ));
        }
    }
}

/// F14 (S003-13), F17 (S003-18), F18 (S003-17): accepted PAB lines for day care bought from a
/// facility, TOAH, or GO boarding school. The deciders refuse such agreements and lines; this
/// catches lines accepted by override or imported, and agreements of the wrong type.
fn f14_17_18_not_payable_with_pab(input: &Input<'_>, a: &Accepted<'_>, signals: &mut Vec<Signal>) {
    if a.kind != Some(BudgetKind::Pab) {
        return;
    }
    let l = &a.line.line;
    let kind = a.agreement.map(|ag| ag.kind);
    let (rule, what) = if kind == Some(AgreementKind::DayCare) {
        ("F14", "dagopvang bij een voorziening")
    } else if l.nature == CostNature::TemporaryHomeEducation
        || kind == Some(AgreementKind::TemporaryHomeEducation)
    {
        ("F17", "tijdelijk onderwijs aan huis (TOAH)")
    } else if l.nature == CostNature::GoBoardingSchool
        || kind == Some(AgreementKind::GoBoardingSchool)
    {
        ("F18", "een internaat van het GO")
    } else {
        return;
    };
    signals.push(input.line_signal(
        rule,
        a,
        format!(
            "PAB-kost van {} voor {what} ({}, factuur {}).",
            l.amount.to_dutch(),
            l.provider.key(),
            l.invoice_no
        ),
        &[],
    ));
}

/// F21 (F-01/F-02): a family member within the second degree who is a minor on the agreement's
/// start or on a paid service date. The decider refuses such an agreement at registration;
/// this catches imported agreements and lines.
fn f21_minor_family_member(input: &Input<'_>, signals: &mut Vec<Signal>) {
    for (agreement_id, worker) in &input.evidence.workers {
        if !worker.family_within_second_degree {
            continue;
        }
        let Some(agreement) = input.state.agreements.get(agreement_id) else {
            continue;
        };
        if agreement.status == AgreementStatus::Rejected {
            continue;
        }
        let mut dates = vec![agreement.start];
        let mut evidence = input.evidence.of_agreement(*agreement_id);
        for a in
            accepted_lines(input.state).filter(|a| a.line.line.agreement == Some(*agreement_id))
        {
            if age_on(worker.birth_date, a.line.line.service_from) < AGE_OF_MAJORITY {
                dates.push(a.line.line.service_from);
                evidence.extend(input.evidence.of_line(a.claim.id, a.line.line.line));
            }
        }
        let Some(first_minor) = dates
            .into_iter()
            .filter(|d| age_on(worker.birth_date, *d) < AGE_OF_MAJORITY)
            .min()
        else {
            continue;
        };
        signals.push(Signal::new(
            "F21",
            input.dossier,
            format!("overeenkomst {agreement_id}"),
            format!(
                "Een familielid tot de tweede graad is assistent via overeenkomst {agreement_id} en was op {} pas {} jaar.",
                dutch_date(first_minor),
                age_on(worker.birth_date, first_minor)
            ),
            None,
            evidence,
        ));
    }
}

/// F23 (S000-08): a bijstandsorganisatie charging a fee for low-threshold help, which is free.
/// The decider refuses it; this catches imported records.
fn f23_bo_fee_for_low_threshold_help(input: &Input<'_>, signals: &mut Vec<Signal>) {
    for (event, assistance) in &input.evidence.assistance {
        if assistance.threshold == AssistanceThreshold::LowThreshold && assistance.fee.is_positive()
        {
            signals.push(Signal::new(
                "F23",
                input.dossier,
                format!("bijstand {event}"),
                format!(
                    "Bijstandsorganisatie {} rekende {} aan voor laagdrempelige hulp op {} ({}).",
                    assistance.organisation,
                    assistance.fee.to_dutch(),
                    dutch_date(assistance.provided_on),
                    assistance.description
                ),
                Some(assistance.fee),
                vec![*event],
            ));
        }
    }
}

/// F32 (S003-22..26): an agreement or cost claim signed by someone who was neither the budget
/// holder, the person, nor a legal representative on that day. The deciders check the acting
/// holder at the time; this keeps the finding when the history was imported or a
/// representation is ended later.
fn f32_unauthorised_signature(input: &Input<'_>, signals: &mut Vec<Signal>) {
    for signature in &input.evidence.signatures {
        signals.push(Signal::new(
            "F32",
            input.dossier,
            signature.subject.clone(),
            format!(
                "{} werd op {} ondertekend door iemand die geen budgethouder of wettelijk vertegenwoordiger is.",
                signature.what,
                dutch_date(signature.on)
            ),
            None,
            vec![signature.event],
        ));
    }
}
