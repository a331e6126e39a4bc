//! The roles a dossier gives the persons it names, in Dutch words for staff: "ouder · wettelijk
//! vertegenwoordiger · budgethouder".

use super::events::{AdministrationScope, RepresentativeRole};
use super::state::Dossier;
use crate::values::PersonId;

/// A role a dossier gives a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonRole {
    /// The person with a disability, whose dossier it is.
    Subject,
    /// A representative (or a relative recorded as one and refused): `ended` once it ended.
    Representative {
        role: RepresentativeRole,
        ended: bool,
    },
    BudgetHolder,
    AccountHolder,
}

impl PersonRole {
    /// A stable code, for filters and tests.
    pub fn code(self) -> &'static str {
        match self {
            Self::Subject => "subject",
            Self::Representative { ended: false, .. } => "representative",
            Self::Representative { ended: true, .. } => "former_representative",
            Self::BudgetHolder => "budget_holder",
            Self::AccountHolder => "account_holder",
        }
    }

    /// The role in Dutch (nl-BE).
    pub fn label_nl(self) -> String {
        match self {
            Self::Subject => "persoon met een handicap".into(),
            Self::Representative { role, ended } => {
                let relation = match role {
                    RepresentativeRole::Parent => "ouder · wettelijk vertegenwoordiger",
                    RepresentativeRole::AdoptiveParent => {
                        "adoptieouder · wettelijk vertegenwoordiger"
                    }
                    RepresentativeRole::Guardian => "voogd · wettelijk vertegenwoordiger",
                    RepresentativeRole::PlusParent => "plusouder",
                    RepresentativeRole::OtherRelative => "familielid",
                    RepresentativeRole::CourtAdministrator { scope } => match scope {
                        AdministrationScope::Person => "bewindvoerder over de persoon",
                        AdministrationScope::Goods => "bewindvoerder over de goederen",
                        AdministrationScope::PersonAndGoods => {
                            "bewindvoerder over persoon en goederen"
                        }
                    },
                    RepresentativeRole::CareMandate => "zorgvolmachthouder",
                };
                if ended {
                    format!("{relation} (beëindigd)")
                } else {
                    relation.to_owned()
                }
            }
            Self::BudgetHolder => "budgethouder".into(),
            Self::AccountHolder => "rekeninghouder".into(),
        }
    }
}

impl Dossier {
    /// Every person the dossier names, the person with a disability first, each with the roles
    /// the dossier gives them (a current representation before an ended one).
    pub fn persons(&self) -> Vec<(PersonId, Vec<PersonRole>)> {
        let mut persons: Vec<(PersonId, Vec<PersonRole>)> = Vec::new();
        let mut give = |person: PersonId, role: PersonRole| match persons
            .iter_mut()
            .find(|(p, _)| *p == person)
        {
            Some((_, roles)) if !roles.contains(&role) => roles.push(role),
            Some(_) => {}
            None => persons.push((person, vec![role])),
        };
        if let Some((_, person)) = self.subject {
            give(person, PersonRole::Subject);
        }
        let (current, ended): (Vec<_>, Vec<_>) = self
            .representations
            .iter()
            .partition(|r| r.ended_on.is_none());
        for r in current.into_iter().chain(ended) {
            give(
                r.representative,
                PersonRole::Representative {
                    role: r.role,
                    ended: r.ended_on.is_some(),
                },
            );
        }
        if let Some(holder) = self.holder {
            give(holder, PersonRole::BudgetHolder);
        }
        if let Some(account) = &self.account {
            give(account.account_holder, PersonRole::AccountHolder);
        }
        persons
    }

    /// Whether the dossier already names `person` (in any role, current or past).
    pub fn names_person(&self, person: PersonId) -> bool {
        self.persons().iter().any(|(p, _)| *p == person)
    }
}

/// The roles in Dutch, joined: "ouder · wettelijk vertegenwoordiger · budgethouder".
pub fn roles_nl(roles: &[PersonRole]) -> String {
    roles
        .iter()
        .map(|r| r.label_nl())
        .collect::<Vec<_>>()
        .join(" · ")
}
