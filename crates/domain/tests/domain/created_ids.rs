//! What a command creates gets its id from the caller or, left out, from the server; never
//! none.

use domain::dossier::*;
use domain::*;
use uuid::Uuid;

use crate::fixtures::*;

fn application(budget: BudgetId) -> DossierCommand {
    DossierCommand::SubmitPabApplication(SubmitPabApplication {
        budget,
        submitted_on: d(2019, 11, 1),
        urgent: None,
    })
}

#[test]
fn a_left_out_id_is_made_once_and_a_given_one_is_kept() {
    let left_out: DossierCommand = serde_json::from_value(serde_json::json!({
        "command": "submit_pab_application",
        "submitted_on": "2019-11-01",
        "urgent": null,
    }))
    .unwrap();
    assert_eq!(left_out.created_id(), Some(("budget", Uuid::nil())));
    let made = Uuid::from_u128(0x77);
    let mut filled = left_out.clone();
    let mut asked = Vec::new();
    let answer = filled.fill_created_id(|field| {
        asked.push(field);
        made
    });
    assert_eq!(answer, Some(("budget", made)));
    assert_eq!(asked, ["budget"]);
    assert_eq!(filled, application(BudgetId::from_uuid(made)));

    let mut given = application(PAB);
    let kept = given.fill_created_id(|_| panic!("a given id is kept"));
    assert_eq!(kept, Some(("budget", PAB.as_uuid())));
    let mut creates_nothing = DossierCommand::RecordMajority;
    assert_eq!(creates_nothing.fill_created_id(|_| made), None);
}

#[test]
fn a_command_whose_new_thing_has_no_id_is_refused() {
    let rejection = child_with_mother(child_birth())
        .when(application(BudgetId::default()))
        .then_rejected("ID_MISSING");
    assert!(rejection.message_nl().contains("budget"), "{rejection}");
}
