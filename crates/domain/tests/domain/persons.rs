//! Persons, legal representatives, the budgethouder and the budget account.

use domain::dossier::*;
use domain::persons::ErasureBasis;
use domain::testing::given;
use domain::*;

use crate::fixtures::*;

#[test]
fn registering_a_person_derives_the_birth_date_from_the_insz() {
    let birth = d(2010, 6, 15);
    world()
        .when(register_person(birth))
        .then_events(vec![dossier_event(PersonRegistered {
            dossier: DOSSIER,
            person: CHILD,
            insz: Some(insz_born(birth)),
            birth_date: Some(birth),
            birth_date_from_insz: true,
        })]);
}

#[test]
fn a_second_registration_in_the_same_dossier_is_refused() {
    world()
        .after(register_person(d(2010, 6, 15)))
        .when(register_person(d(2010, 6, 15)))
        .then_rejected("DUPLICATE_PERSON");
}

#[test]
fn a_bis_number_without_birth_date_needs_the_birth_date() {
    let base = 104_000_001u64; // bis number, month 40 + 0: birth month unknown
    let check = 97 - (2_000_000_000 + base) % 97;
    let insz = Insz::parse(&format!("{base:09}{check:02}")).unwrap();
    let command = RegisterPerson {
        dossier: DOSSIER,
        person: CHILD,
        insz,
        birth_date: None,
    };
    world()
        .when(DossierCommand::RegisterPerson(command.clone()))
        .then_rejected("BIRTH_DATE_REQUIRED");
    world().after(DossierCommand::RegisterPerson(RegisterPerson {
        birth_date: Some(d(2010, 6, 15)),
        ..command
    }));
}

#[test]
fn s003_22_a_parent_represents_a_minor_and_is_budget_holder() {
    let birth = d(2010, 6, 15);
    world()
        .after(register_person(birth))
        .after(assign(MOTHER, RepresentativeRole::Parent, birth))
        .when(designate(MOTHER, d(2020, 1, 1)))
        .then_events(vec![dossier_event(BudgetHolderDesignated {
            holder: MOTHER,
            from: d(2020, 1, 1),
        })]);
}

#[test]
fn s003_23_an_adoptive_parent_is_a_legal_representative_and_budget_holder() {
    let birth = d(2010, 6, 15);
    world()
        .after(register_person(birth))
        .after(assign(
            FATHER,
            RepresentativeRole::AdoptiveParent,
            d(2012, 1, 1),
        ))
        .after(designate(FATHER, d(2012, 1, 1)));
}

#[test]
fn s003_24_a_plus_parent_is_no_legal_representative() {
    let birth = d(2010, 6, 15);
    let rejection = world()
        .after(register_person(birth))
        .when(assign(
            PLUS_PARENT,
            RepresentativeRole::PlusParent,
            d(2015, 1, 1),
        ))
        .then_rejected("REP_NOT_LEGAL_REPRESENTATIVE");
    assert_eq!(rejection.rule(), "S003-24");
    assert!(rejection.message_nl().contains("plusouder"));
}

#[test]
fn s003_25_another_relative_is_no_legal_representative_nor_budget_holder() {
    let birth = d(2010, 6, 15);
    let scenario = world().after(register_person(birth));
    let rejection = scenario
        .clone()
        .when(assign(
            GRANDMOTHER,
            RepresentativeRole::OtherRelative,
            d(2015, 1, 1),
        ))
        .then_rejected("REP_NOT_LEGAL_REPRESENTATIVE");
    assert_eq!(rejection.rule(), "S003-25");
    scenario
        .when(designate(GRANDMOTHER, d(2015, 1, 1)))
        .then_rejected("INVALID_BUDGET_HOLDER");
}

#[test]
fn s003_26_no_court_administration_for_a_minor_until_the_18th_birthday() {
    let birth = d(2004, 6, 15);
    let administrator = |from| {
        assign(
            ADMINISTRATOR,
            RepresentativeRole::CourtAdministrator {
                scope: AdministrationScope::PersonAndGoods,
            },
            from,
        )
    };
    let scenario = world().after(register_person(birth));
    scenario
        .clone()
        .when(administrator(d(2022, 6, 14)))
        .then_rejected("COURT_BEWIND_NOT_ALLOWED_FOR_MINOR");
    scenario.clone().after(administrator(d(2022, 6, 15)));
    scenario.after(administrator(d(2022, 6, 16)));
}

#[test]
fn e05_a_parent_is_no_legal_representative_of_an_adult() {
    let birth = d(2000, 1, 10);
    let rejection = world()
        .after(register_person(birth))
        .when(assign(MOTHER, RepresentativeRole::Parent, d(2018, 1, 10)))
        .then_rejected("REP_NOT_LEGAL_REPRESENTATIVE");
    assert_eq!(rejection.rule(), "E-05");
}

#[test]
fn e06_an_adult_under_administration_of_person_and_goods_has_the_administrator_as_holder() {
    let birth = d(1990, 1, 10);
    let scenario = world().after(register_person(birth)).after(assign(
        ADMINISTRATOR,
        RepresentativeRole::CourtAdministrator {
            scope: AdministrationScope::PersonAndGoods,
        },
        d(2015, 1, 1),
    ));
    let rejection = scenario
        .clone()
        .when(designate(CHILD, d(2016, 1, 1)))
        .then_rejected("INVALID_BUDGET_HOLDER");
    assert_eq!(rejection.rule(), "E-06");
    scenario.after(designate(ADMINISTRATOR, d(2016, 1, 1)));
    world()
        .after(register_person(birth))
        .after(designate(CHILD, d(2016, 1, 1)));
}

#[test]
fn a03_the_account_is_dedicated_and_in_the_name_of_holder_representative_appointee_or_minor() {
    let birth = d(2010, 6, 15);
    let scenario = world()
        .after(register_person(birth))
        .after(assign(MOTHER, RepresentativeRole::Parent, birth))
        .after(assign(FATHER, RepresentativeRole::Parent, birth))
        .after(designate(MOTHER, birth));
    let on = d(2020, 1, 1);
    scenario
        .clone()
        .after(account(MOTHER, AccountHolderRelation::BudgetHolder, on));
    scenario.clone().after(account(
        FATHER,
        AccountHolderRelation::LegalRepresentative,
        on,
    ));
    scenario.clone().after(account(
        GRANDMOTHER,
        AccountHolderRelation::NotarialAppointee {
            deed_ref: "notariële akte 2019/123".into(),
        },
        on,
    ));
    scenario
        .clone()
        .after(account(CHILD, AccountHolderRelation::ThePerson, on));
    scenario
        .clone()
        .when(account(
            PLUS_PARENT,
            AccountHolderRelation::LegalRepresentative,
            on,
        ))
        .then_rejected("ACCOUNT_NAME_MISMATCH");
    scenario
        .clone()
        .when(account(FATHER, AccountHolderRelation::BudgetHolder, on))
        .then_rejected("ACCOUNT_NAME_MISMATCH");
    let DossierCommand::RegisterBudgetAccount(command) =
        account(MOTHER, AccountHolderRelation::BudgetHolder, on)
    else {
        unreachable!()
    };
    scenario
        .when(DossierCommand::RegisterBudgetAccount(
            RegisterBudgetAccount {
                dedicated: false,
                ..command
            },
        ))
        .then_rejected("ACCOUNT_NOT_DEDICATED");
}

#[test]
fn s003_27_at_majority_the_parents_stop_representing_and_the_account_proxy_must_change() {
    let birth = d(2004, 6, 15);
    let scenario = child_with_mother(birth);
    let state = &scenario.world.dossier;
    assert!(dossier::due_on(d(2022, 6, 14), state, &scenario.world.rule_book).is_empty());
    let due = dossier::due_on(d(2022, 6, 15), state, &scenario.world.rule_book);
    assert_eq!(due, vec![DossierCommand::RecordMajority]);
    scenario
        .today(d(2022, 6, 14))
        .by(Actor::System)
        .when(DossierCommand::RecordMajority)
        .then_rejected("NOTHING_DUE");
    let after = child_with_mother(birth)
        .today(d(2022, 6, 15))
        .by(Actor::System)
        .when(DossierCommand::RecordMajority)
        .then_events(vec![
            dossier_event(PersonReachedMajority {
                reached_on: d(2022, 6, 15),
                account_proxy_must_change: true,
            }),
            dossier_event(LegalRepresentativeEnded {
                representative: MOTHER,
                role: RepresentativeRole::Parent,
                ended_on: d(2022, 6, 15),
                reason: "majority".into(),
            }),
            dossier_event(BudgetHolderDesignated {
                holder: CHILD,
                from: d(2022, 6, 15),
            }),
        ]);
    // Idempotent per date: nothing more is due.
    assert!(
        dossier::due_on(d(2022, 6, 15), &after.world.dossier, &after.world.rule_book).is_empty()
    );
    let change = |account_holder, relation| {
        DossierCommand::ChangeAccountProxy(ChangeAccountProxy {
            account_holder,
            relation,
            changed_on: d(2022, 7, 1),
        })
    };
    after
        .clone()
        .by(staff())
        .when(change(MOTHER, AccountHolderRelation::LegalRepresentative))
        .then_rejected("ACCOUNT_NAME_MISMATCH");
    let after = after
        .by(staff())
        .after(change(CHILD, AccountHolderRelation::BudgetHolder));
    assert!(
        !after
            .world
            .dossier
            .account
            .as_ref()
            .unwrap()
            .proxy_must_change
    );
}

#[test]
fn e05_a_parent_who_becomes_administrator_of_person_and_goods_stays_holder_at_majority() {
    let birth = d(2004, 6, 15);
    let after = child_with_mother(birth)
        .after(assign(
            MOTHER,
            RepresentativeRole::CourtAdministrator {
                scope: AdministrationScope::PersonAndGoods,
            },
            d(2022, 6, 15),
        ))
        .today(d(2022, 6, 20))
        .by(Actor::System)
        .when(DossierCommand::RecordMajority)
        .then_events(vec![
            dossier_event(PersonReachedMajority {
                reached_on: d(2022, 6, 15),
                account_proxy_must_change: false,
            }),
            dossier_event(LegalRepresentativeEnded {
                representative: MOTHER,
                role: RepresentativeRole::Parent,
                ended_on: d(2022, 6, 15),
                reason: "majority".into(),
            }),
        ]);
    assert_eq!(after.world.dossier.holder, Some(MOTHER));
    assert!(
        after
            .world
            .dossier
            .is_representative_on(MOTHER, d(2022, 7, 1))
    );
}

#[test]
fn nothing_but_a_registration_is_decided_in_a_dossier_never_opened() {
    let budget = BudgetId::from_uuid(uuid::Uuid::from_u128(0xB1));
    for command in [
        DossierCommand::SubmitPabApplication(SubmitPabApplication {
            budget,
            submitted_on: d(2025, 1, 10),
            urgent: None,
        }),
        DossierCommand::SetAnnualAmount(SetAnnualAmount {
            budget,
            year: 2025,
            amount: Euro::parse("1000.00").unwrap(),
            reason: "jaarbedrag".into(),
        }),
    ] {
        world().when(command).then_rejected("DOSSIER_NOT_OPENED");
    }
}

#[test]
fn a_wrong_birth_date_is_corrected_by_a_compensating_event_with_a_reason() {
    let scenario = world().after(register_person(d(2010, 6, 15)));
    let correct = |reason: &str| {
        DossierCommand::CorrectBirthDate(CorrectBirthDate {
            corrected: d(2010, 6, 16),
            reason: reason.into(),
        })
    };
    scenario
        .clone()
        .when(correct(" "))
        .then_rejected("REASON_REQUIRED");
    let after = scenario
        .when(correct("geboorteakte toont 16/06/2010"))
        .then_events(vec![dossier_event(BirthDateCorrected {
            previous: Some(d(2010, 6, 15)),
            corrected: Some(d(2010, 6, 16)),
            reason: "geboorteakte toont 16/06/2010".into(),
        })]);
    after
        .when(correct("again"))
        .then_rejected("CORRECTION_UNCHANGED");
}

#[test]
fn a_wrong_iban_is_corrected_by_a_compensating_event_with_a_reason() {
    let scenario = child_with_mother(d(2010, 6, 15));
    let corrected = Iban::parse("BE71 0961 2345 6769").unwrap();
    let command = |reason: &str, iban: &Iban| {
        DossierCommand::CorrectBudgetAccount(CorrectBudgetAccount {
            corrected: iban.clone(),
            reason: reason.into(),
        })
    };
    scenario
        .clone()
        .when(command("", &corrected))
        .then_rejected("REASON_REQUIRED");
    scenario
        .clone()
        .when(command("typo", &iban()))
        .then_rejected("CORRECTION_UNCHANGED");
    scenario
        .when(command("typfout in formulier", &corrected))
        .then_events(vec![dossier_event(BudgetAccountCorrected {
            previous: Some(iban()),
            corrected: Some(corrected),
            reason: "typfout in formulier".into(),
        })]);
}

#[test]
fn only_staff_registers_a_person_and_a_death_cannot_be_in_the_future() {
    world()
        .by(holder(MOTHER))
        .when(register_person(d(2010, 6, 15)))
        .then_rejected("NOT_AUTHORISED");
    let death = |on| {
        DossierCommand::RecordDeath(RecordDeath {
            date_of_death: on,
            certificate_ref: "overlijdensakte".into(),
        })
    };
    let scenario = world()
        .after(register_person(d(2010, 6, 15)))
        .today(d(2024, 3, 1));
    scenario
        .clone()
        .when(death(d(2024, 3, 2)))
        .then_rejected("DATE_IN_FUTURE");
    scenario.after(death(d(2024, 3, 1)));
}

#[test]
fn commands_read_from_json_refuse_unknown_fields() {
    let mut json = serde_json::json!({
        "command": "register_person",
        "dossier": DOSSIER,
        "person": CHILD,
        "insz": insz_born(d(2012, 5, 17)).expose_digits(),
        "birth_date": null,
    });
    let parsed: DossierCommand = serde_json::from_value(json.clone()).unwrap();
    assert!(matches!(parsed, DossierCommand::RegisterPerson(_)));
    json["nickname"] = serde_json::json!("Jo");
    let refused = serde_json::from_value::<DossierCommand>(json).unwrap_err();
    assert!(
        refused.to_string().contains("unknown field `nickname`"),
        "{refused}"
    );
}

fn void(reason: &str) -> DossierCommand {
    DossierCommand::VoidDossier(VoidDossier {
        reason: reason.into(),
    })
}

#[test]
fn a_dossier_opened_by_mistake_is_voided_with_a_reason_and_then_decides_nothing() {
    let scenario = child_with_started_pab().by(staff());
    scenario
        .clone()
        .when(void("  "))
        .then_rejected("REASON_REQUIRED");
    let refused = scenario
        .clone()
        .by(Actor::System)
        .when(void("dubbel geopend"))
        .then_rejected("NOT_AUTHORISED");
    // Dutch for staff, English for the logs: neither borrows the other's words.
    assert_eq!(
        refused.message_nl(),
        "U bent niet bevoegd om een dossier te vernietigen."
    );
    assert_eq!(
        refused.message_en(),
        "You are not authorised to void a dossier."
    );
    let voided = scenario
        .today(d(2020, 3, 2))
        .after(void("geopend voor de verkeerde persoon"));
    assert_eq!(voided.world.dossier.voided_on, Some(d(2020, 3, 2)));
    voided
        .clone()
        .when(DossierCommand::CorrectBirthDate(CorrectBirthDate {
            corrected: d(2010, 6, 16),
            reason: "geboorteakte".into(),
        }))
        .then_rejected("DOSSIER_VOIDED");
    voided
        .clone()
        .when(void("nog eens"))
        .then_rejected("DOSSIER_VOIDED");
    assert!(
        due_on(
            d(2040, 1, 1),
            &voided.world.dossier,
            &voided.world.rule_book
        )
        .is_empty(),
        "the daily job leaves a voided dossier alone"
    );
}

#[test]
fn a_dossier_in_which_money_moved_is_not_voided() {
    child_with_started_pab()
        .by(staff())
        .after(DossierCommand::PayAdvance(PayAdvance { budget: PAB }))
        .when(void("toch verkeerd"))
        .then_rejected("VOID_AFTER_PAYMENT");
}

#[test]
fn a_mistyped_insz_is_corrected_by_staff_with_a_reason() {
    let correct = |insz: Insz, reason: &str| {
        DossierCommand::CorrectInsz(CorrectInsz {
            corrected: insz,
            reason: reason.into(),
        })
    };
    let right = domain::examples::insz(child_birth(), 2);
    let scenario = child_with_started_pab().by(staff());
    let recorded = scenario.world.dossier.person.clone().unwrap().insz;
    scenario
        .clone()
        .when(correct(right.clone(), ""))
        .then_rejected("REASON_REQUIRED");
    scenario
        .clone()
        .when(correct(recorded.clone(), "nagekeken"))
        .then_rejected("CORRECTION_UNCHANGED");
    scenario
        .clone()
        .by(Actor::System)
        .when(correct(right.clone(), "nagekeken"))
        .then_rejected("NOT_AUTHORISED");
    let corrected = scenario.after(correct(right.clone(), "rijksregister nagekeken"));
    assert_eq!(corrected.world.dossier.person.unwrap().insz, right);
}

fn erase(basis: ErasureBasis) -> DossierCommand {
    DossierCommand::EraseDossierData(EraseDossierData { basis })
}

#[test]
fn d03_a_dossier_is_erased_only_once_closed_and_after_its_retention_period() {
    let open = child_with_started_pab().by(staff()).today(d(2040, 1, 1));
    open.clone()
        .when(erase(ErasureBasis::RetentionEnded))
        .then_rejected("DOSSIER_NOT_CLOSED");
    let voided = child_with_started_pab()
        .by(staff())
        .today(d(2020, 3, 2))
        .after(void("geopend voor de verkeerde persoon"));
    assert_eq!(
        retention::closed_on(&voided.world.dossier),
        Some(d(2020, 3, 2))
    );
    let refused = voided
        .clone()
        .today(d(2027, 3, 2))
        .when(erase(ErasureBasis::ErasureRequest))
        .then_rejected("RETENTION_NOT_ENDED");
    assert!(refused.message_nl().contains("02/03/2027"), "{refused}");
    voided
        .clone()
        .by(Actor::System)
        .today(d(2027, 3, 3))
        .when(erase(ErasureBasis::RetentionEnded))
        .then_rejected("NOT_AUTHORISED");
    let (events, erased) = voided
        .today(d(2027, 3, 3))
        .when(erase(ErasureBasis::RetentionEnded))
        .then_accepted();
    let [Event::Dossier(DossierEvent::DossierDataErased(e))] = events.as_slice() else {
        panic!("expected one erasure, got {events:?}");
    };
    assert_eq!(
        (e.closed_on, e.retention_until, e.erased_on),
        (d(2020, 3, 2), d(2027, 3, 2), d(2027, 3, 3))
    );
    assert_eq!(
        e.rules_applied[0].parameter,
        rule_book::Parameter::RetentionYearsAfterClosure
    );
    erased
        .when(erase(ErasureBasis::RetentionEnded))
        .then_rejected("DOSSIER_ERASED");
}

/// What a store hands back once the key is gone: the mark where the INSZ and birth date were.
#[test]
fn a_registration_whose_personal_data_is_unreadable_keeps_the_subject_and_decides_nothing() {
    let dossier = DossierId::from_uuid(uuid::Uuid::from_u128(7));
    let person = PersonId::from_uuid(uuid::Uuid::from_u128(8));
    let stored = serde_json::json!({
        "dossier": dossier, "person": person,
        "insz": personal_data::ERASED, "birth_date": personal_data::ERASED,
        "birth_date_from_insz": true,
    });
    let registered: PersonRegistered = serde_json::from_value(stored).unwrap();
    assert_eq!(
        (registered.insz.clone(), registered.birth_date),
        (None, None)
    );
    let scenario = given([dossier_event(registered)]).by(staff());
    assert_eq!(scenario.world.dossier.subject, Some((dossier, person)));
    assert!(scenario.world.dossier.person.is_none());
    scenario
        .when(DossierCommand::CorrectBirthDate(CorrectBirthDate {
            corrected: d(2010, 6, 16),
            reason: "geboorteakte".into(),
        }))
        .then_rejected("PERSONAL_DATA_UNREADABLE");
}
