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
        kind: AgreementKind::BoIntensiveAssistance,
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
        ..cash_agreement(PAB, start)
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
