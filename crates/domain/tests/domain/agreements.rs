//! Agreements: registration and its refusals, COVID-19 agreements, the IDO freeze.

use chrono::NaiveDate;
use domain::dossier::*;
use domain::rule_book::Parameter;
use domain::testing::Scenario;
use domain::*;

use crate::fixtures::*;

fn ido(start: NaiveDate, care_relation: CareRelation) -> RegisterAgreement {
    RegisterAgreement {
        payment: PaymentForm::Voucher,
        kind: AgreementKind::Ido,
        provider: Provider::Organisation { organisation: VZA },
        task_description: "dagondersteuning en individuele begeleiding".into(),
        care_relation,
        ..cash_agreement(PVB, start)
    }
}

/// An adult with a PVB and a voucher IDO with the VZA since 2019-07-01.
fn pvb_with_ido(care_relation: CareRelation) -> Scenario {
    adult_with_started_pvb()
        .by(organisation(VZA))
        .after(register_agreement(ido(d(2019, 7, 1), care_relation)))
        .by(staff())
        .after(DossierCommand::ApproveAgreement(ApproveAgreement {
            agreement: AGREEMENT,
        }))
}

#[test]
fn p09_the_holder_cannot_register_a_voucher_agreement() {
    let rejection = adult_with_started_pvb()
        .by(holder(CHILD))
        .when(register_agreement(ido(
            d(2019, 7, 1),
            CareRelation::OneToOne,
        )))
        .then_rejected("VOUCHER_AGREEMENT_PROVIDER_ONLY");
    assert_eq!(rejection.rule(), "P-09");
    adult_with_started_pvb()
        .by(organisation(MFC))
        .when(register_agreement(ido(
            d(2019, 7, 1),
            CareRelation::OneToOne,
        )))
        .then_rejected("NOT_AUTHORISED");
    adult_with_started_pvb()
        .by(staff())
        .after(register_agreement(ido(
            d(2019, 7, 1),
            CareRelation::OneToOne,
        )));
}

#[test]
fn p09_voucher_only_with_a_licensed_provider_or_bo_intensive_assistance() {
    let scenario = adult_with_started_pvb().by(staff());
    scenario
        .clone()
        .when(register_agreement(RegisterAgreement {
            provider: Provider::Organisation {
                organisation: UNLICENSED,
            },
            ..ido(d(2019, 7, 1), CareRelation::OneToOne)
        }))
        .then_rejected("VOUCHER_REQUIRES_LICENSED_PROVIDER");
    scenario
        .clone()
        .when(register_agreement(RegisterAgreement {
            payment: PaymentForm::Voucher,
            ..cash_agreement(PVB, d(2019, 7, 1))
        }))
        .then_rejected("VOUCHER_REQUIRES_LICENSED_PROVIDER");
    scenario.after(register_agreement(RegisterAgreement {
        payment: PaymentForm::Voucher,
        kind: AgreementKind::AssistanceOrganisationIntensiveAssistance,
        provider: Provider::Organisation { organisation: BO },
        ..cash_agreement(PVB, d(2019, 7, 1))
    }));
}

#[test]
fn s003_08_mobile_or_ambulant_guidance_cannot_be_bought_with_a_pab() {
    let rejection = child_with_started_pab()
        .by(holder(MOTHER))
        .when(register_agreement(RegisterAgreement {
            kind: AgreementKind::MobileOrAmbulantGuidance,
            ..cash_agreement(PAB, d(2020, 3, 1))
        }))
        .then_rejected("PAB_COMBINATION_NOT_ALLOWED");
    assert_eq!(rejection.rule(), "S003-08");
}

#[test]
fn s003_13_day_care_cannot_be_bought_with_a_pab_but_short_stay_can() {
    let scenario = child_with_started_pab().by(holder(MOTHER));
    let rejection = scenario
        .clone()
        .when(register_agreement(RegisterAgreement {
            kind: AgreementKind::DayCare,
            ..cash_agreement(PAB, d(2020, 3, 1))
        }))
        .then_rejected("PAB_COMBINATION_NOT_ALLOWED");
    assert_eq!(rejection.rule(), "S003-13");
    scenario.after(register_agreement(RegisterAgreement {
        kind: AgreementKind::ShortStay,
        provider: Provider::Organisation { organisation: MFC },
        ..cash_agreement(PAB, d(2020, 3, 1))
    }));
}

#[test]
fn s003_16_with_a_pvb_day_care_can_be_bought() {
    adult_with_started_pvb()
        .by(holder(CHILD))
        .after(register_agreement(RegisterAgreement {
            kind: AgreementKind::DayCare,
            provider: Provider::Organisation { organisation: VZA },
            ..cash_agreement(PVB, d(2019, 8, 1))
        }));
}

#[test]
fn s003_17_go_boarding_school_costs_are_not_payable_from_the_pab() {
    child_with_started_pab()
        .by(holder(MOTHER))
        .when(register_agreement(RegisterAgreement {
            kind: AgreementKind::GoBoardingSchool,
            ..cash_agreement(PAB, d(2020, 3, 1))
        }))
        .then_rejected("GO_INTERNAAT_COSTS_NOT_PAYABLE");
}

#[test]
fn s003_18_toah_is_not_payable_from_the_pab() {
    child_with_started_pab()
        .by(holder(MOTHER))
        .when(register_agreement(RegisterAgreement {
            kind: AgreementKind::TemporaryHomeEducation,
            ..cash_agreement(PAB, d(2020, 3, 1))
        }))
        .then_rejected("TOAH_NOT_PAYABLE_WITH_PAB");
}

#[test]
fn f01_no_agreement_with_a_minor_family_member_and_p10_family_is_registered_as_family() {
    let scenario = child_with_started_pab().by(holder(MOTHER));
    let family = |birth, kind| {
        register_agreement(RegisterAgreement {
            kind,
            worker: Some(Worker {
                birth_date: birth,
                family_within_second_degree: true,
                completed_two_years_secondary: false,
            }),
            ..cash_agreement(PAB, d(2020, 3, 1))
        })
    };
    scenario
        .clone()
        .when(family(d(2002, 3, 2), AgreementKind::FamilyMember))
        .then_rejected("MINOR_FAMILY_MEMBER_NOT_ALLOWED");
    scenario
        .clone()
        .after(family(d(2002, 3, 1), AgreementKind::FamilyMember));
    scenario
        .when(family(d(1970, 1, 1), AgreementKind::IndividualAssistant))
        .then_rejected("WRONG_AGREEMENT_TYPE_FAMILY");
}

#[test]
fn an_agreement_needs_a_granted_budget_and_a_sane_period() {
    let scenario = child_with_mother(child_birth()).after(apply_pab(d(2019, 11, 1)));
    scenario
        .clone()
        .by(holder(MOTHER))
        .when(register_agreement(cash_agreement(PAB, d(2020, 3, 1))))
        .then_rejected("NO_ACTIVE_BUDGET");
    child_with_started_pab()
        .by(holder(MOTHER))
        .when(register_agreement(RegisterAgreement {
            end: Some(d(2020, 2, 29)),
            ..cash_agreement(PAB, d(2020, 3, 1))
        }))
        .then_rejected("AGREEMENT_PERIOD_INVALID");
    child_with_started_pab()
        .by(holder(PLUS_PARENT))
        .when(register_agreement(cash_agreement(PAB, d(2020, 3, 1))))
        .then_rejected("NOT_AUTHORISED");
}

#[test]
fn agreements_are_approved_or_rejected_once_by_staff() {
    let registered = child_with_started_pab()
        .by(holder(MOTHER))
        .after(register_agreement(cash_agreement(PAB, d(2020, 3, 1))));
    let approve = DossierCommand::ApproveAgreement(ApproveAgreement {
        agreement: AGREEMENT,
    });
    registered
        .clone()
        .when(approve.clone())
        .then_rejected("NOT_AUTHORISED");
    let approved = registered
        .clone()
        .by(staff())
        .today(d(2020, 3, 5))
        .when(approve.clone())
        .then_events(vec![dossier_event(AgreementApproved {
            agreement: AGREEMENT,
            approved_on: d(2020, 3, 5),
        })]);
    approved
        .when(approve)
        .then_rejected("AGREEMENT_NOT_PENDING");
    registered
        .by(staff())
        .after(DossierCommand::RejectAgreement(RejectAgreement {
            agreement: AGREEMENT,
            reason: "geen handtekening".into(),
        }));
}

// ---------------------------------------------------------------------------------------------
// COVID-19 agreements

fn covid(start: NaiveDate, end: Option<NaiveDate>) -> RegisterAgreement {
    RegisterAgreement {
        agreement: AGREEMENT_2,
        kind: AgreementKind::HomeCareService,
        provider: Provider::Other {
            name: "Thuiszorg Oost".into(),
        },
        start,
        end,
        task_description: "extra thuiszorg COVID-19".into(),
        covid: Some(CovidBasis::New),
        party_identification: Some(thuiszorg_oost()),
        ..cash_agreement(PAB, start)
    }
}

/// The ondernemingsnummer of "Thuiszorg Oost" (04031707 mod 97 = 96, 97 - 96 = 01).
fn thuiszorg_oost() -> PartyIdentification {
    PartyIdentification::EnterpriseNumber {
        number: EnterpriseNumber::parse("0403.170.701").unwrap(),
    }
}

fn pab_holder() -> Scenario {
    child_with_started_pab().by(holder(MOTHER))
}

#[test]
fn s004_10_a_covid_agreement_starts_on_or_after_2020_03_14() {
    let rejection = pab_holder()
        .when(register_agreement(covid(
            d(2020, 3, 13),
            Some(d(2020, 6, 30)),
        )))
        .then_rejected("COVID_AGREEMENT_OUTSIDE_WINDOW");
    assert_eq!(rejection.rule(), "S004-10");
    assert!(rejection.message_nl().contains("14/03/2020"));
    pab_holder()
        .when(register_agreement(covid(
            d(2020, 3, 14),
            Some(d(2020, 6, 30)),
        )))
        .then_events(vec![dossier_event(AgreementRegistered {
            agreement: AGREEMENT_2,
            budget: PAB,
            payment: PaymentForm::Cash,
            kind: AgreementKind::HomeCareService,
            provider: Provider::Other {
                name: "Thuiszorg Oost".into(),
            },
            start: d(2020, 3, 14),
            end: Some(d(2020, 6, 30)),
            task_description: "extra thuiszorg COVID-19".into(),
            weekly_hours: Some(10.into()),
            care_relation: CareRelation::OneToOne,
            covid: Some(CovidBasis::New),
            worker: None,
            signed_on: Some(d(2020, 3, 14)),
            emergency: false,
            party_identification: Some(thuiszorg_oost()),
            notice_terms: Some("onbepaalde duur; opzeg volgens het arbeidsrecht".into()),
            hourly_cost: Some(euro("18.50")),
            payment_terms: Some("maandelijks, binnen 14 dagen na de prestatiestaat".into()),
            registered_by: holder(MOTHER),
            rules_applied: vec![applied(Parameter::CovidAgreementWindow, 1)],
        })]);
    pab_holder().after(register_agreement(covid(
        d(2020, 3, 15),
        Some(d(2020, 6, 30)),
    )));
}

#[test]
fn s004_05_the_seed_window_ends_2020_12_31_and_an_open_end_never_fits() {
    // Decided before the extension was published (2021-04-30).
    let before_extension = pab_holder().today(d(2021, 4, 29));
    before_extension.clone().after(register_agreement(covid(
        d(2020, 12, 1),
        Some(d(2020, 12, 31)),
    )));
    before_extension
        .clone()
        .when(register_agreement(covid(
            d(2020, 12, 1),
            Some(d(2021, 1, 1)),
        )))
        .then_rejected("COVID_AGREEMENT_OUTSIDE_WINDOW");
    before_extension
        .when(register_agreement(covid(d(2020, 12, 1), None)))
        .then_rejected("COVID_AGREEMENT_OUTSIDE_WINDOW");
}

#[test]
fn c03_the_extended_window_runs_to_2021_06_30_once_published() {
    let after_extension = pab_holder().today(d(2021, 4, 30));
    let (events, _) = after_extension
        .clone()
        .when(register_agreement(covid(
            d(2020, 12, 1),
            Some(d(2021, 1, 1)),
        )))
        .then_accepted();
    let Event::Dossier(DossierEvent::AgreementRegistered(registered)) = &events[0] else {
        panic!("unexpected {events:?}");
    };
    assert_eq!(
        registered.rules_applied,
        vec![applied(Parameter::CovidAgreementWindow, 2)]
    );
    after_extension.clone().after(register_agreement(covid(
        d(2021, 6, 1),
        Some(d(2021, 6, 30)),
    )));
    let rejection = after_extension
        .when(register_agreement(covid(
            d(2021, 6, 1),
            Some(d(2021, 7, 1)),
        )))
        .then_rejected("COVID_AGREEMENT_OUTSIDE_WINDOW");
    assert!(rejection.message_nl().contains("30/06/2021"));
}

#[test]
fn s004_12_a_covid_agreement_is_cash_and_mentions_covid_19() {
    pab_holder()
        .when(register_agreement(RegisterAgreement {
            task_description: "extra thuiszorg corona".into(),
            ..covid(d(2020, 4, 1), Some(d(2020, 6, 30)))
        }))
        .then_rejected("COVID_MENTION_MISSING");
    pab_holder().after(register_agreement(RegisterAgreement {
        task_description: "Extra uren (covid-19 aanpassing)".into(),
        ..covid(d(2020, 4, 1), Some(d(2020, 6, 30)))
    }));
    pvb_with_ido(CareRelation::OneToOne)
        .by(staff())
        .when(register_agreement(RegisterAgreement {
            agreement: AGREEMENT_2,
            covid: Some(CovidBasis::IdoExtension { ido: AGREEMENT }),
            task_description: "uitbreiding IDO COVID-19".into(),
            start: d(2020, 4, 1),
            end: Some(d(2020, 6, 30)),
            ..ido(d(2020, 4, 1), CareRelation::OneToOne)
        }))
        .then_rejected("COVID_AGREEMENT_MUST_BE_CASH");
}

#[test]
fn s004_03_a_covid_agreement_is_one_to_one_or_one_family_at_one_address() {
    pab_holder()
        .when(register_agreement(RegisterAgreement {
            care_relation: CareRelation::Group,
            ..covid(d(2020, 4, 1), Some(d(2020, 6, 30)))
        }))
        .then_rejected("COVID_AGREEMENT_NOT_ONE_TO_ONE");
    pab_holder().after(register_agreement(RegisterAgreement {
        care_relation: CareRelation::FamilyAtOneAddress,
        ..covid(d(2020, 4, 1), Some(d(2020, 6, 30)))
    }));
}

fn covid_with_vza(basis: CovidBasis) -> DossierCommand {
    register_agreement(RegisterAgreement {
        agreement: AGREEMENT_2,
        budget: PVB,
        payment: PaymentForm::Cash,
        kind: AgreementKind::Ido,
        provider: Provider::Organisation { organisation: VZA },
        start: d(2020, 4, 1),
        end: Some(d(2020, 12, 31)),
        task_description: "1-op-1 ondersteuning thuis COVID-19".into(),
        covid: Some(basis),
        ..cash_agreement(PVB, d(2020, 4, 1))
    })
}

#[test]
fn s004_04_a_new_covid_agreement_with_a_vza_only_without_a_running_ido() {
    let rejection = pvb_with_ido(CareRelation::OneToOne)
        .by(holder(CHILD))
        .when(covid_with_vza(CovidBasis::New))
        .then_rejected("COVID_USE_IDO_EXTENSION");
    assert_eq!(rejection.rule(), "S004-04");
    adult_with_started_pvb()
        .by(holder(CHILD))
        .after(covid_with_vza(CovidBasis::New));
}

#[test]
fn s004_04_an_ido_extension_only_if_the_ido_was_already_one_to_one() {
    pvb_with_ido(CareRelation::Group)
        .by(holder(CHILD))
        .when(covid_with_vza(CovidBasis::IdoExtension { ido: AGREEMENT }))
        .then_rejected("COVID_IDO_EXTENSION_REQUIRES_ONE_TO_ONE");
    pvb_with_ido(CareRelation::OneToOne)
        .by(holder(CHILD))
        .after(covid_with_vza(CovidBasis::IdoExtension { ido: AGREEMENT }));
}

#[test]
fn s004_18_extra_hours_of_an_existing_agreement_are_a_new_covid_agreement() {
    let with_assistant = pab_holder().after(register_agreement(cash_agreement(PAB, d(2020, 2, 1))));
    let extra = |of| {
        register_agreement(RegisterAgreement {
            kind: AgreementKind::IndividualAssistant,
            task_description: "extra uren, aanpassing COVID-19".into(),
            covid: Some(CovidBasis::ExtraHours { of }),
            ..covid(d(2020, 4, 1), Some(d(2020, 6, 30)))
        })
    };
    with_assistant
        .clone()
        .when(extra(AGREEMENT_2))
        .then_rejected("UNKNOWN_AGREEMENT");
    with_assistant.after(extra(AGREEMENT));
}

// ---------------------------------------------------------------------------------------------
// The COVID-19 IDO freeze (S004-06/07)

fn terminate(end: NaiveDate) -> DossierCommand {
    DossierCommand::TerminateAgreement(TerminateAgreement {
        agreement: AGREEMENT,
        end_date: end,
        reason: "einde ondersteuning".into(),
    })
}

#[test]
fn s004_06_an_ido_runs_on_up_to_2020_09_30_and_cannot_end_earlier() {
    let scenario = pvb_with_ido(CareRelation::OneToOne).by(holder(CHILD));
    let rejection = scenario
        .clone()
        .when(terminate(d(2020, 9, 29)))
        .then_rejected("IDO_FROZEN_UNTIL_2020_09_30");
    assert_eq!(rejection.rule(), "S004-06");
    assert!(rejection.message_nl().contains("30/09/2020"));
    scenario
        .clone()
        .when(terminate(d(2020, 3, 14)))
        .then_rejected("IDO_FROZEN_UNTIL_2020_09_30");
    scenario.clone().after(terminate(d(2020, 3, 13)));
    scenario.clone().after(terminate(d(2020, 9, 30)));
    scenario.after(terminate(d(2020, 10, 1)));
}

#[test]
fn s004_07_notice_of_an_ido_from_2020_07_01_for_an_end_on_2020_09_30_at_the_earliest() {
    let scenario = pvb_with_ido(CareRelation::OneToOne).by(holder(CHILD));
    let notice = |notice_date, end_date| {
        DossierCommand::GiveNotice(GiveNotice {
            agreement: AGREEMENT,
            notice_date,
            end_date,
        })
    };
    let rejection = scenario
        .clone()
        .when(notice(d(2020, 6, 30), d(2020, 9, 30)))
        .then_rejected("IDO_FROZEN_UNTIL_2020_09_30");
    assert_eq!(rejection.rule(), "S004-07");
    assert!(rejection.message_nl().contains("01/07/2020"));
    scenario
        .clone()
        .when(notice(d(2020, 7, 1), d(2020, 9, 29)))
        .then_rejected("IDO_FROZEN_UNTIL_2020_09_30");
    let (events, _) = scenario
        .clone()
        .when(notice(d(2020, 7, 1), d(2020, 9, 30)))
        .then_accepted();
    let Event::Dossier(DossierEvent::AgreementNoticeGiven(given)) = &events[0] else {
        panic!("unexpected {events:?}");
    };
    assert_eq!(
        given.rules_applied,
        vec![
            applied(Parameter::CovidIdoFrozenPeriod, 1),
            applied(Parameter::CovidIdoNoticeFrom, 1)
        ]
    );
    scenario
        .clone()
        .after(notice(d(2020, 7, 2), d(2020, 10, 31)));
    scenario.after(notice(d(2020, 10, 1), d(2020, 12, 31)));
}

#[test]
fn s004_06_an_ido_can_be_changed_again_from_2020_10_01() {
    let scenario = pvb_with_ido(CareRelation::OneToOne).by(staff());
    let amend = |from| {
        DossierCommand::AmendAgreement(AmendAgreement {
            agreement: AGREEMENT,
            effective_from: from,
            task_description: None,
            weekly_hours: Some(12.into()),
        })
    };
    scenario.clone().after(amend(d(2020, 3, 13)));
    scenario
        .clone()
        .when(amend(d(2020, 3, 14)))
        .then_rejected("IDO_FROZEN_UNTIL_2020_09_30");
    scenario
        .clone()
        .when(amend(d(2020, 9, 30)))
        .then_rejected("IDO_FROZEN_UNTIL_2020_09_30");
    scenario.after(amend(d(2020, 10, 1)));
}

#[test]
fn the_ido_freeze_does_not_touch_other_agreements() {
    pab_holder()
        .after(register_agreement(cash_agreement(PAB, d(2020, 2, 1))))
        .after(DossierCommand::TerminateAgreement(TerminateAgreement {
            agreement: AGREEMENT,
            end_date: d(2020, 5, 31),
            reason: "assistent stopt".into(),
        }));
}

/// The COVID-19 window edges, each the day before, on and after (S004-05, S004-10, C-03).
#[test]
fn s004_10_covid_window_edges_day_before_on_and_after() {
    // (start, end, decided on, accepted)
    let cases = [
        (d(2020, 3, 13), d(2020, 4, 30), d(2026, 1, 1), false),
        (d(2020, 3, 14), d(2020, 4, 30), d(2026, 1, 1), true),
        (d(2020, 3, 15), d(2020, 4, 30), d(2026, 1, 1), true),
        (d(2020, 12, 1), d(2020, 12, 30), d(2021, 4, 29), true),
        (d(2020, 12, 1), d(2020, 12, 31), d(2021, 4, 29), true),
        (d(2020, 12, 1), d(2021, 1, 1), d(2021, 4, 29), false),
        (d(2020, 12, 1), d(2021, 1, 1), d(2021, 4, 30), true),
        (d(2021, 6, 1), d(2021, 6, 29), d(2026, 1, 1), true),
        (d(2021, 6, 1), d(2021, 6, 30), d(2026, 1, 1), true),
        (d(2021, 6, 1), d(2021, 7, 1), d(2026, 1, 1), false),
    ];
    for (start, end, today, accepted) in cases {
        let outcome = pab_holder()
            .today(today)
            .when(register_agreement(covid(start, Some(end))));
        if accepted {
            outcome.then_accepted();
        } else {
            outcome.then_rejected("COVID_AGREEMENT_OUTSIDE_WINDOW");
        }
    }
}

/// The IDO freeze edges, each the day before, on and after (S004-06, S004-07).
#[test]
fn s004_06_s004_07_ido_freeze_edges_day_before_on_and_after() {
    let scenario = pvb_with_ido(CareRelation::OneToOne).by(staff());
    let amend = |from| {
        DossierCommand::AmendAgreement(AmendAgreement {
            agreement: AGREEMENT,
            effective_from: from,
            task_description: Some("nieuwe frequentie".into()),
            weekly_hours: None,
        })
    };
    let notice = |on| {
        DossierCommand::GiveNotice(GiveNotice {
            agreement: AGREEMENT,
            notice_date: on,
            end_date: d(2020, 12, 31),
        })
    };
    let cases: [(DossierCommand, bool); 14] = [
        (terminate(d(2020, 3, 13)), true),
        (terminate(d(2020, 3, 14)), false),
        (terminate(d(2020, 3, 15)), false),
        (terminate(d(2020, 9, 29)), false),
        (terminate(d(2020, 9, 30)), true),
        (terminate(d(2020, 10, 1)), true),
        (notice(d(2020, 6, 30)), false),
        (notice(d(2020, 7, 1)), true),
        (notice(d(2020, 7, 2)), true),
        (amend(d(2020, 3, 13)), true),
        (amend(d(2020, 3, 14)), false),
        (amend(d(2020, 9, 30)), false),
        (amend(d(2020, 10, 1)), true),
        (amend(d(2020, 10, 2)), true),
    ];
    for (command, accepted) in cases {
        let outcome = scenario.clone().when(command);
        if accepted {
            outcome.then_accepted();
        } else {
            outcome.then_rejected("IDO_FROZEN_UNTIL_2020_09_30");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Job students (F-02), volunteers (F-03), ouderinitiatieven (V-02), the IDO signature, and the
// mandatory content of a PAB agreement

/// The rules a registration applied, from its `AgreementRegistered` event.
#[track_caller]
fn registered(outcome: domain::testing::Outcome) -> AgreementRegistered {
    let (events, _) = outcome.then_accepted();
    let Event::Dossier(DossierEvent::AgreementRegistered(registered)) = &events[0] else {
        panic!("unexpected {events:?}");
    };
    registered.clone()
}

/// A job student born on `birth_date`, starting 2020-03-01 with the PAB of the fixtures.
fn student(birth_date: NaiveDate, completed_two_years_secondary: bool) -> DossierCommand {
    register_agreement(RegisterAgreement {
        kind: AgreementKind::Student,
        worker: Some(Worker {
            birth_date,
            family_within_second_degree: false,
            completed_two_years_secondary,
        }),
        ..cash_agreement(PAB, d(2020, 3, 1))
    })
}

#[test]
fn f02_a_job_student_is_16_or_15_after_two_years_of_secondary_school() {
    // (birth date, completed two years of secondary school, accepted) for a start on 2020-03-01.
    let cases = [
        (d(2004, 3, 2), false, false), // 15, the day before the 16th birthday
        (d(2004, 3, 1), false, true),  // 16 on the start
        (d(2004, 2, 29), false, true), // 16 and a day
        (d(2005, 3, 2), true, false),  // 14, the day before the 15th birthday
        (d(2005, 3, 1), true, true),   // 15 on the start, two years done
        (d(2005, 3, 1), false, false), // 15 on the start, two years not done
        (d(2004, 3, 2), true, true),   // 15 the day before the 16th birthday, two years done
    ];
    for (birth, completed, accepted) in cases {
        let outcome = pab_holder().when(student(birth, completed));
        if accepted {
            let event = registered(outcome);
            assert_eq!(
                event.rules_applied,
                vec![
                    applied(Parameter::StudentMinimumAge, 1),
                    applied(Parameter::StudentMinimumAgeAfterTwoYearsSecondary, 1)
                ]
            );
            assert_eq!(
                event.worker.map(|w| w.completed_two_years_secondary),
                Some(completed)
            );
        } else {
            let rejection = outcome.then_rejected("STUDENT_TOO_YOUNG");
            assert_eq!(rejection.rule(), "F-02");
            assert!(rejection.message_nl().contains("minstens 16 jaar"));
            assert!(
                rejection
                    .message_nl()
                    .contains("15 jaar na de eerste twee jaar")
            );
        }
    }
}

#[test]
fn f02_a_job_student_agreement_states_the_birth_date_and_a_minor_relative_stays_refused() {
    let rejection = pab_holder()
        .when(register_agreement(RegisterAgreement {
            kind: AgreementKind::Student,
            ..cash_agreement(PAB, d(2020, 3, 1))
        }))
        .then_rejected("AGREEMENT_FIELD_MISSING");
    assert_eq!(rejection.rule(), "F-02");
    assert!(
        rejection
            .message_nl()
            .contains("geboortedatum van de jobstudent")
    );
    // A family member under 18 is refused as a minor relative (F-01), old enough or not.
    let relative = |birth_date| {
        register_agreement(RegisterAgreement {
            kind: AgreementKind::Student,
            worker: Some(Worker {
                birth_date,
                family_within_second_degree: true,
                completed_two_years_secondary: true,
            }),
            ..cash_agreement(PAB, d(2020, 3, 1))
        })
    };
    pab_holder()
        .when(relative(d(2004, 3, 1)))
        .then_rejected("MINOR_FAMILY_MEMBER_NOT_ALLOWED");
    pab_holder().after(relative(d(2002, 3, 1)));
}

/// `pab_holder` with VOLUNTEERS recognised as a vrijwilligersorganisatie from 2020-03-01.
fn pab_holder_with_volunteer_organisation() -> Scenario {
    child_with_started_pab()
        .by(admin())
        .after(license(
            VOLUNTEERS,
            domain::registry::OrganisationKind::RecognisedVolunteerOrganisation,
            d(2020, 3, 1),
        ))
        .by(holder(MOTHER))
}

fn volunteering(provider: Provider, start: NaiveDate) -> DossierCommand {
    register_agreement(RegisterAgreement {
        kind: AgreementKind::VolunteerOrganisation,
        provider,
        task_description: "begeleiding bij vrijetijdsactiviteiten".into(),
        ..cash_agreement(PAB, start)
    })
}

#[test]
fn f03_a_volunteer_only_through_a_recognised_volunteer_organisation() {
    let scenario = pab_holder_with_volunteer_organisation();
    let organisation = |organisation| Provider::Organisation { organisation };
    // Recognised from 2020-03-01: the day before, on and after.
    let rejection = scenario
        .clone()
        .when(volunteering(organisation(VOLUNTEERS), d(2020, 2, 29)))
        .then_rejected("VOLUNTEER_REQUIRES_ORGANISATION");
    assert_eq!(rejection.rule(), "F-03");
    assert!(
        rejection
            .message_nl()
            .contains("erkende vrijwilligersorganisatie")
    );
    scenario
        .clone()
        .after(volunteering(organisation(VOLUNTEERS), d(2020, 3, 1)));
    scenario
        .clone()
        .after(volunteering(organisation(VOLUNTEERS), d(2020, 3, 2)));
    // Not with the volunteer as a natural person, nor with an organisation of another kind.
    scenario
        .clone()
        .when(volunteering(
            Provider::Other {
                name: "Jan Vrijwilliger".into(),
            },
            d(2020, 3, 2),
        ))
        .then_rejected("VOLUNTEER_REQUIRES_ORGANISATION");
    scenario
        .clone()
        .when(volunteering(organisation(VZA), d(2020, 3, 2)))
        .then_rejected("VOLUNTEER_REQUIRES_ORGANISATION");
    scenario
        .clone()
        .when(volunteering(organisation(UNLICENSED), d(2020, 3, 2)))
        .then_rejected("VOLUNTEER_REQUIRES_ORGANISATION");
    // A volunteer engaged directly under another kind of agreement.
    scenario
        .clone()
        .when(register_agreement(RegisterAgreement {
            kind: AgreementKind::NaturalOrLegalPerson,
            volunteer: true,
            ..cash_agreement(PAB, d(2020, 3, 2))
        }))
        .then_rejected("VOLUNTEER_REQUIRES_ORGANISATION");
}

fn parent_initiative(provider: OrganisationId, start: NaiveDate) -> DossierCommand {
    register_agreement(RegisterAgreement {
        kind: AgreementKind::ParentInitiative,
        provider: Provider::Organisation {
            organisation: provider,
        },
        care_relation: CareRelation::Group,
        task_description: "wonen en dagbesteding in het ouderinitiatief".into(),
        ..cash_agreement(PVB, start)
    })
}

#[test]
fn v02_from_2019_01_01_pvb_collective_support_only_from_a_registered_ouderinitiatief() {
    let pvb = adult_with_started_pvb().by(holder(CHILD));
    // Not registered: the day before, on and after the cut-over.
    let before = registered(
        pvb.clone()
            .when(parent_initiative(PARENT_INITIATIVE, d(2018, 12, 31))),
    );
    assert_eq!(
        before.rules_applied,
        vec![applied(
            Parameter::ParentInitiativeRegistrationRequiredFrom,
            1
        )]
    );
    let rejection = pvb
        .clone()
        .when(parent_initiative(PARENT_INITIATIVE, d(2019, 1, 1)))
        .then_rejected("OUDERINITIATIEF_NOT_REGISTERED");
    assert_eq!(rejection.rule(), "V-02");
    assert!(rejection.message_nl().contains("01/01/2019"));
    pvb.clone()
        .when(parent_initiative(PARENT_INITIATIVE, d(2019, 1, 2)))
        .then_rejected("OUDERINITIATIEF_NOT_REGISTERED");
    // Registered from 2019-08-01: the day before, on and after.
    let registered_from = pvb.by(admin()).after(license(
        PARENT_INITIATIVE,
        domain::registry::OrganisationKind::RegisteredParentInitiative,
        d(2019, 8, 1),
    ));
    let as_holder = registered_from.clone().by(holder(CHILD));
    as_holder
        .clone()
        .when(parent_initiative(PARENT_INITIATIVE, d(2019, 7, 31)))
        .then_rejected("OUDERINITIATIEF_NOT_REGISTERED");
    as_holder
        .clone()
        .after(parent_initiative(PARENT_INITIATIVE, d(2019, 8, 1)));
    as_holder
        .clone()
        .after(parent_initiative(PARENT_INITIATIVE, d(2019, 8, 2)));
    // An organisation registered as something else is no registered ouderinitiatief.
    as_holder
        .when(parent_initiative(VZA, d(2019, 8, 2)))
        .then_rejected("OUDERINITIATIEF_NOT_REGISTERED");
    // PVB cash only: no voucher, even registered.
    registered_from
        .when(register_agreement(RegisterAgreement {
            payment: PaymentForm::Voucher,
            ..match parent_initiative(PARENT_INITIATIVE, d(2019, 8, 2)) {
                DossierCommand::RegisterAgreement(command) => command,
                other => panic!("unexpected {other:?}"),
            }
        }))
        .then_rejected("VOUCHER_REQUIRES_LICENSED_PROVIDER");
}

fn ido_signed(signed_on: Option<NaiveDate>, emergency: bool) -> DossierCommand {
    register_agreement(RegisterAgreement {
        signed_on,
        emergency,
        ..ido(d(2019, 7, 1), CareRelation::OneToOne)
    })
}

#[test]
fn ido_is_signed_before_the_support_starts_or_within_5_days_in_an_emergency() {
    let vza = adult_with_started_pvb().by(organisation(VZA));
    let rejection = vza
        .clone()
        .when(ido_signed(None, false))
        .then_rejected("AGREEMENT_FIELD_MISSING");
    assert_eq!(rejection.rule(), "G-IDO");
    assert!(rejection.message_nl().contains("datum van ondertekening"));
    // (signed on, emergency, accepted) for support starting 2019-07-01.
    let cases = [
        (d(2019, 6, 30), false, true),
        (d(2019, 7, 1), false, true),
        (d(2019, 7, 2), false, false),
        (d(2019, 7, 2), true, true),
        (d(2019, 7, 5), true, true),
        (d(2019, 7, 6), true, true),
        (d(2019, 7, 7), true, false),
    ];
    for (signed_on, emergency, accepted) in cases {
        let outcome = vza.clone().when(ido_signed(Some(signed_on), emergency));
        if accepted {
            let event = registered(outcome);
            assert_eq!(
                (event.signed_on, event.emergency),
                (Some(signed_on), emergency)
            );
            let expected = if signed_on > d(2019, 7, 1) {
                vec![applied(Parameter::IdoEmergencySigningMaxDays, 1)]
            } else {
                vec![]
            };
            assert_eq!(event.rules_applied, expected);
        } else {
            let rejection = outcome.then_rejected("IDO_MUST_PRECEDE_SUPPORT");
            assert_eq!(rejection.rule(), "G-IDO");
            assert!(rejection.message_nl().contains("01/07/2019"));
            if emergency {
                assert!(rejection.message_nl().contains("uiterlijk 5 dagen"));
            }
        }
    }
}

#[test]
fn a05_a_pab_agreement_states_its_mandatory_content_and_the_first_missing_field_is_named() {
    let complete = || cash_agreement(PAB, d(2020, 3, 1));
    let refused = |command: RegisterAgreement, field_nl: &str| {
        let rejection = pab_holder()
            .when(register_agreement(command))
            .then_rejected("AGREEMENT_FIELD_MISSING");
        assert_eq!(rejection.rule(), "A-05");
        assert!(
            rejection.message_nl().contains(field_nl),
            "{} does not name {field_nl}",
            rejection.message_nl()
        );
    };
    refused(
        RegisterAgreement {
            party_identification: None,
            ..complete()
        },
        "rijksregisternummer van de assistent of ondernemingsnummer",
    );
    for notice_terms in [None, Some(" ".to_owned())] {
        refused(
            RegisterAgreement {
                notice_terms,
                ..complete()
            },
            "de duur en de opzegregeling",
        );
    }
    refused(
        RegisterAgreement {
            task_description: "  ".into(),
            ..complete()
        },
        "concrete taakomschrijving",
    );
    for weekly_hours in [None, Some(0.into())] {
        refused(
            RegisterAgreement {
                weekly_hours,
                ..complete()
            },
            "het aantal uren per week",
        );
    }
    for hourly_cost in [None, Some(euro("0.00"))] {
        refused(
            RegisterAgreement {
                hourly_cost,
                ..complete()
            },
            "de kostprijs per uur",
        );
    }
    refused(
        RegisterAgreement {
            payment_terms: None,
            ..complete()
        },
        "de betalingsvoorwaarden",
    );
    // Several missing: the first in the order of A-05 is named.
    refused(
        RegisterAgreement {
            notice_terms: None,
            weekly_hours: None,
            payment_terms: None,
            ..complete()
        },
        "de duur en de opzegregeling",
    );
    // A company is identified by its ondernemingsnummer; an organisation of the registry is
    // identified by the registry.
    pab_holder().after(register_agreement(RegisterAgreement {
        provider: Provider::Other {
            name: "Thuiszorg Oost".into(),
        },
        party_identification: Some(thuiszorg_oost()),
        ..complete()
    }));
    pab_holder().after(register_agreement(RegisterAgreement {
        kind: AgreementKind::ShortStay,
        provider: Provider::Organisation { organisation: MFC },
        party_identification: None,
        ..complete()
    }));
    // The content is recorded in the event.
    let event = registered(pab_holder().when(register_agreement(complete())));
    assert_eq!(event.hourly_cost, Some(euro("18.50")));
    assert_eq!(
        event.party_identification,
        Some(PartyIdentification::Insz {
            insz: assistant_insz()
        })
    );
    // A-05 is a PAB rule: a PVB agreement is registered without these fields.
    adult_with_started_pvb()
        .by(holder(CHILD))
        .after(register_agreement(RegisterAgreement {
            party_identification: None,
            notice_terms: None,
            hourly_cost: None,
            payment_terms: None,
            weekly_hours: None,
            ..cash_agreement(PVB, d(2019, 8, 1))
        }));
}

/// Events stored before the A-05, IDO and F-02 fields were added read back with the fields
/// absent (serde defaults), under the same schema version.
#[test]
fn an_agreement_registered_before_the_new_fields_still_reads() {
    let event = registered(pab_holder().when(register_agreement(RegisterAgreement {
        kind: AgreementKind::FamilyMember,
        worker: Some(Worker {
            birth_date: d(1970, 1, 1),
            family_within_second_degree: true,
            completed_two_years_secondary: false,
        }),
        ..cash_agreement(PAB, d(2020, 3, 1))
    })));
    let stored = Event::from(DossierEvent::from(event.clone()))
        .to_stored()
        .unwrap();
    let mut payload = stored.payload;
    let object = payload.as_object_mut().expect("an object payload");
    for field in [
        "signed_on",
        "emergency",
        "party_identification",
        "notice_terms",
        "hourly_cost",
        "payment_terms",
    ] {
        assert!(object.remove(field).is_some(), "{field} is in the payload");
    }
    object["worker"]
        .as_object_mut()
        .unwrap()
        .remove("completed_two_years_secondary")
        .unwrap();
    let read = domain::upcast(&stored.event_type, stored.schema_version, payload).unwrap();
    let expected = AgreementRegistered {
        signed_on: None,
        emergency: false,
        party_identification: None,
        notice_terms: None,
        hourly_cost: None,
        payment_terms: None,
        ..event
    };
    assert_eq!(read, Event::from(DossierEvent::from(expected)));
}
