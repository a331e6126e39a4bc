//! The demo's unfinished work, so that every work queue has items on the last day of the
//! history: agreements waiting for approval and proposed for it, COVID-19 lines held since
//! 2021 and a claim past its payment term, a PAB never started past its start deadline, and
//! dossiers closed in 2019 whose retention period has ended.

use super::*;

impl Builder<'_> {
    /// A PAB from 2020 with three held COVID-19 lines nobody decided (past the payment term),
    /// and three agreements registered in September 2026, each proposed for approval by one
    /// staff member and waiting for the second.
    pub(super) async fn open_work(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2020);
        let case = self.pab_case(birth, 2020, 420 * 10_000).await?;
        let covid = self.covid_agreement_and_increase(&case).await?;
        // After the COVID-19 deadline of 01/03/2021, before the general one: held (C1).
        let (_, held) = self
            .submit_covid_claim(&case, covid, 60, date(2021, 3, 15))
            .await?;
        anyhow::ensure!(held.len() == 3, "the COVID-19 lines are held: {held:?}");
        for n in 0..3 {
            let registered_on = date(2026, 9, 14 + n);
            let name = self.name();
            let (agreement, _) = self
                .register_cash_agreement(
                    &case,
                    date(2026, 10, 1),
                    registered_on,
                    None,
                    &name,
                    AgreementKind::IndividualAssistant,
                )
                .await?;
            let proposer = self.staff();
            let today = registered_on + Duration::days(2);
            self.recording.on(today);
            self.service
                .propose::<DossierStream>(
                    &case.dossier,
                    &DossierCommand::ApproveAgreement(ApproveAgreement { agreement }),
                    proposer,
                    today,
                    &write_context(proposer, Uuid::now_v7()),
                )
                .await
                .map_err(|e| refused("propose an agreement's approval", e))?;
        }
        Ok(())
    }

    /// A PAB granted in January 2019 and never started: it lapsed after its start deadline,
    /// the dossier closed then, and its retention period ended in 2026 (D-03). With
    /// `lapse: false` the budget is granted in 2026 and left past its start deadline.
    pub(super) async fn never_started(&mut self, lapse: bool) -> anyhow::Result<()> {
        let start_year = if lapse { 2019 } else { 2026 };
        let birth = self.child_birth(start_year);
        let opened = date(start_year - 1, 10, 15);
        let (dossier, _) = self.register(birth, opened).await?;
        let mother = self
            .relative(birth - Duration::days(365 * 31), opened)
            .await?;
        let budget = BudgetId::from_uuid(self.id());
        let case = Case {
            dossier,
            holder: mother,
            budget,
            kind: BudgetKind::Pab,
            start: date(start_year, 2, 1),
            annual: 300 * 10_000,
            agreement: AgreementId::from_uuid(Uuid::nil()),
            provider: Provider::Other {
                name: String::new(),
            },
            invoices: 0,
        };
        let commands = examples::minors_pab(&examples::MinorsPab {
            parent: mother,
            birth,
            registered_on: opened,
            iban: iban(u64::from(self.index) * 7_919 + 410_000_000)?,
            budget,
            voucher: VoucherId::from_uuid(self.id()),
            start_year,
            annual: cents(case.annual),
        });
        // Up to the grant: no attest, no start.
        for (today, command) in commands.into_iter().take(5) {
            self.staff_command(&case, today, command).await?;
        }
        if lapse {
            // The daily job, the day after the start deadline (A-02: three months).
            self.command(
                dossier,
                Actor::System,
                date(start_year, 4, 16),
                DossierCommand::LapseBudget(LapseBudget { budget }),
            )
            .await?;
        }
        Ok(())
    }
}
