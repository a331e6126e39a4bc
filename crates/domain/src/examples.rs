//! Example commands and values that meet the rules: the one place the demo, the benchmarks and
//! the tests take a valid agreement, INSZ or date from. A rule that adds a field to a command
//! is met here once; callers change only what their case is about, with struct update
//! (`RegisterAgreement { weekly_hours: …, ..examples::cash_agreement(…) }`).
//!
//! Pure like the rest of the domain: the generator is seeded, nothing reads a clock.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use crate::dossier::{
    AccountHolderRelation, AgreementKind, AssignLegalRepresentative, CareRelation, CostCategory,
    CostLine, CostNature, DesignateBudgetHolder, DossierCommand, GrantPab, PartyIdentification,
    PaymentForm, Provider, RecordHomeGuidanceDeregistration, RegisterAgreement,
    RegisterBudgetAccount, RepresentativeRole, StartBudget, SubmitPabApplication,
};
use crate::{AgreementId, BudgetId, Euro, Iban, Insz, OrganisationId, PersonId, VoucherId};

/// A calendar date written in code.
///
/// # Panics
/// When the date does not exist (a mistake in the literal).
pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day)
        .unwrap_or_else(|| panic!("{year}-{month}-{day} is not a date"))
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> NaiveDate {
    date(year, month, 1) + Months::new(1) - chrono::Days::new(1)
}

/// An amount in euro cents.
pub fn cents(cents: i64) -> Euro {
    Euro::rounded(Decimal::new(cents, 2))
}

/// A valid INSZ for a birth date and a serial number `1..=999` (check digits with the 2000+
/// rule for births from 2000).
///
/// # Panics
/// When `serial` is outside `1..=999`.
pub fn insz(birth: NaiveDate, serial: u32) -> Insz {
    assert!(
        (1..=999).contains(&serial),
        "INSZ serial {serial} out of range"
    );
    let base = format!(
        "{:02}{:02}{:02}{serial:03}",
        birth.year() % 100,
        birth.month(),
        birth.day(),
    );
    let number: u64 = base.parse().expect("nine digits");
    let number = if birth.year() >= 2000 {
        2_000_000_000 + number
    } else {
        number
    };
    let check = 97 - number % 97;
    Insz::parse(&format!("{base}{check:02}")).expect("a generated INSZ is valid")
}

/// A cash agreement with an individual assistant (paid per hour, in wage employment) from
/// `start`, signed that day and stating everything a PAB agreement must state: the
/// assistant's INSZ, duration and notice, hourly cost and payment terms.
pub fn cash_agreement(
    agreement: AgreementId,
    budget: BudgetId,
    start: NaiveDate,
    assistant: Insz,
) -> RegisterAgreement {
    RegisterAgreement {
        agreement,
        budget,
        payment: PaymentForm::Cash,
        kind: AgreementKind::IndividualAssistant,
        provider: Provider::Other {
            name: "An Assistent".into(),
        },
        start,
        end: None,
        task_description: "persoonlijke assistentie thuis".into(),
        weekly_hours: Some(Decimal::from(10)),
        care_relation: CareRelation::OneToOne,
        covid: None,
        worker: None,
        signed_on: Some(start),
        emergency: false,
        volunteer: false,
        party_identification: Some(PartyIdentification::Insz { insz: assistant }),
        notice_terms: Some("onbepaalde duur; opzeg volgens het arbeidsrecht".into()),
        hourly_cost: Some(cents(1_850)),
        payment_terms: Some("maandelijks, binnen 14 dagen na de prestatiestaat".into()),
    }
}

/// Line `n` of a claim: direct care by "An Assistent" under `agreement` from `from` to `to`,
/// invoice `F-n` dated `to`.
pub fn care_line(
    n: u32,
    agreement: AgreementId,
    from: NaiveDate,
    to: NaiveDate,
    amount: Euro,
) -> CostLine {
    CostLine {
        line: n,
        agreement: Some(agreement),
        provider: Provider::Other {
            name: "An Assistent".into(),
        },
        invoice_no: format!("F-{n}"),
        invoice_date: to,
        service_from: from,
        service_to: to,
        amount,
        category: CostCategory::Direct,
        nature: CostNature::Care,
        evidence_ref: format!("factuur F-{n}"),
    }
}

/// A minor's PAB as staff set it up, for [`minors_pab`].
#[derive(Debug, Clone)]
pub struct MinorsPab {
    /// The parent: legal representative from the child's birth, budgethouder and holder of
    /// the dedicated account.
    pub parent: PersonId,
    pub birth: NaiveDate,
    /// The day the parent is recorded as budgethouder and the account registered.
    pub registered_on: NaiveDate,
    pub iban: Iban,
    pub budget: BudgetId,
    pub voucher: VoucherId,
    /// The budget starts on 1 February of this year.
    pub start_year: i32,
    pub annual: Euro,
}

/// The commands that set up a minor's PAB, each with the day it is made: the parent as
/// representative, budgethouder and account holder; the application on 4 November before the
/// start year, the grant on 15 January, the attest of de-registration from home guidance on
/// 20 January and the start on 1 February.
pub fn minors_pab(case: &MinorsPab) -> Vec<(NaiveDate, DossierCommand)> {
    let year = case.start_year;
    let applied = date(year - 1, 11, 4);
    let granted = date(year, 1, 15);
    let attested = date(year, 1, 20);
    vec![
        (
            case.registered_on,
            DossierCommand::AssignLegalRepresentative(AssignLegalRepresentative {
                representative: case.parent,
                role: RepresentativeRole::Parent,
                valid_from: case.birth,
                evidence_ref: "geboorteakte".into(),
            }),
        ),
        (
            case.registered_on,
            DossierCommand::DesignateBudgetHolder(DesignateBudgetHolder {
                holder: case.parent,
                from: case.registered_on,
            }),
        ),
        (
            case.registered_on,
            DossierCommand::RegisterBudgetAccount(RegisterBudgetAccount {
                iban: case.iban.clone(),
                account_holder: case.parent,
                relation: AccountHolderRelation::BudgetHolder,
                dedicated: true,
                registered_on: case.registered_on,
            }),
        ),
        (
            applied,
            DossierCommand::SubmitPabApplication(SubmitPabApplication {
                budget: case.budget,
                submitted_on: applied,
                urgent: None,
            }),
        ),
        (
            granted,
            DossierCommand::GrantPab(GrantPab {
                budget: case.budget,
                granted_on: granted,
                annual_amount: case.annual,
                voucher: case.voucher,
            }),
        ),
        (
            attested,
            DossierCommand::RecordHomeGuidanceDeregistration(RecordHomeGuidanceDeregistration {
                attest_ref: format!("attest uitschrijving thuisbegeleiding {year}"),
                received_on: attested,
            }),
        ),
        (
            date(year, 1, 29),
            DossierCommand::StartBudget(StartBudget {
                budget: case.budget,
                start_date: date(year, 2, 1),
            }),
        ),
    ]
}

/// An IDO (individuele dienstverleningsovereenkomst) in vouchers with a licensed provider
/// from `start`, group support, signed three days before it starts.
pub fn ido_agreement(
    agreement: AgreementId,
    budget: BudgetId,
    provider: OrganisationId,
    start: NaiveDate,
) -> RegisterAgreement {
    RegisterAgreement {
        agreement,
        budget,
        payment: PaymentForm::Voucher,
        kind: AgreementKind::Ido,
        provider: Provider::Organisation {
            organisation: provider,
        },
        start,
        end: None,
        task_description: "dagondersteuning in het dagcentrum, 3 dagen per week".into(),
        weekly_hours: Some(Decimal::from(18)),
        care_relation: CareRelation::Group,
        covid: None,
        worker: None,
        signed_on: Some(start - chrono::Days::new(3)),
        emergency: false,
        volunteer: false,
        party_identification: None,
        notice_terms: None,
        hourly_cost: None,
        payment_terms: None,
    }
}

/// A linear congruential generator: reproducible and without a dependency; not for secrets.
#[derive(Debug, Clone)]
pub struct Lcg(pub u64);

impl Lcg {
    /// The next value of the stream (31 bits).
    pub fn next_value(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_value() % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_carry_the_birth_date_and_valid_check_digits() {
        for (birth, serial) in [(date(1985, 7, 30), 1), (date(2012, 5, 17), 999)] {
            let insz = insz(birth, serial);
            assert_eq!(insz.birth_date(), Some(birth));
        }
        assert_eq!(
            insz(date(1985, 7, 30), 1),
            Insz::parse("85073000160").unwrap()
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let (mut a, mut b) = (Lcg(7), Lcg(7));
        let first: Vec<u64> = (0..5).map(|_| a.below(100)).collect();
        assert_eq!(first, (0..5).map(|_| b.below(100)).collect::<Vec<_>>());
        assert!(first.iter().all(|n| *n < 100));
    }

    #[test]
    fn month_ends_know_leap_years() {
        assert_eq!(month_end(2020, 2), date(2020, 2, 29));
        assert_eq!(month_end(2021, 2), date(2021, 2, 28));
        assert_eq!(month_end(2020, 12), date(2020, 12, 31));
    }
}
