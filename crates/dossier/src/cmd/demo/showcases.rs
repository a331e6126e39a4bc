//! The showcase cases of the demo: a case for each fraud signal, a COVID-19 overrun, a
//! combination form and a control case, written with the history builder.

use super::*;

impl Builder<'_> {
    /// A PAB with a COVID-19 agreement whose costs take 2020 over the normal budget: the
    /// overrun is explained by COVID-19 costs; the late COVID-19 claim is held and decided.
    pub(super) async fn covid_overrun(&mut self) -> anyhow::Result<()> {
        let birth = date(2011, 4, 18);
        let mut case = self.pab_case(birth, 2019, 2_800_000).await?;
        self.monthly_claims(&mut case, (2019, 2), (2020, 9), 1_000)
            .await?;
        let covid = self.covid_agreement_and_increase(&case).await?;
        self.monthly_claims(&mut case, (2020, 10), (2020, 12), 1_000)
            .await?;
        self.covid_claim(&case, covid, 120, date(2021, 3, 15))
            .await?;
        self.monthly_claims(&mut case, (2021, 1), (2022, 6), 930)
            .await
    }

    /// A PAB combined with MFC day care: a waardebon redeemed for a talk with a
    /// bijstandsorganisatie, a combination form with its monthly reduction, a change of
    /// half-days.
    pub(super) async fn combination(&mut self) -> anyhow::Result<()> {
        let birth = date(2012, 9, 3);
        let mut case = self.pab_case(birth, 2021, 3_200_000).await?;
        let voucher = case_voucher(&self.service.dossier(case.dossier).await?.0);
        if let Some(voucher) = voucher {
            self.holder_command(
                &case,
                date(2021, 3, 2),
                DossierCommand::RedeemValueVoucher(RedeemValueVoucher {
                    voucher,
                    redemption: VoucherRedemption::ExploratoryTalk {
                        organisation: self.world.bo,
                    },
                    redeemed_on: date(2021, 3, 2),
                }),
            )
            .await?;
        }
        self.monthly_claims(&mut case, (2021, 2), (2021, 7), 880)
            .await?;
        let combination = CombinationId::from_uuid(self.id());
        self.holder_command(
            &case,
            date(2021, 8, 20),
            DossierCommand::SubmitCombinationForm(SubmitCombinationForm {
                combination,
                budget: case.budget,
                change: CombinationChange::Start {
                    provider: self.world.mfc,
                    care: CombinedCare::MfcDayCare {
                        day_care: DayCareType::SchoolSupplementary,
                        half_days_per_month: 8,
                    },
                },
                effective_from: date(2021, 9, 1),
                signed_by_holder: true,
                signed_by_provider: true,
                reason: None,
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2021, 8), (2022, 7), 880)
            .await?;
        self.holder_command(
            &case,
            date(2022, 8, 25),
            DossierCommand::SubmitCombinationForm(SubmitCombinationForm {
                combination,
                budget: case.budget,
                change: CombinationChange::Change {
                    care: CombinedCare::MfcDayCare {
                        day_care: DayCareType::SchoolSupplementary,
                        half_days_per_month: 6,
                    },
                },
                effective_from: date(2022, 9, 1),
                signed_by_holder: true,
                signed_by_provider: true,
                reason: Some("minder dagdelen in het nieuwe schooljaar".into()),
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2022, 8), (2023, 12), 880)
            .await
    }

    /// A PVB controlled by Zorginspectie: evidence requested and received, an announced visit,
    /// a finding and a recovery, repaid.
    pub(super) async fn control(&mut self) -> anyhow::Result<()> {
        let birth = self.adult_birth();
        let mut case = self.pvb_case(birth, 2021, 4_100_000).await?;
        self.monthly_claims(&mut case, (2021, 3), (2023, 3), 930)
            .await?;
        let control = ControlId::from_uuid(self.id());
        let recovery = RecoveryId::from_uuid(self.id());
        let statement = format!("rekeninguittreksels 2022 van dossier {}", case.dossier);
        let commands = [
            (
                date(2023, 5, 2),
                DossierCommand::OpenControlCase(OpenControlCase {
                    control,
                    budget: case.budget,
                    selection: ControlSelection::Zorginspectie,
                    kind: ControlKind::Standard,
                    period_from: date(2022, 1, 1),
                    period_to: date(2022, 12, 31),
                }),
            ),
            (
                date(2023, 5, 3),
                DossierCommand::RequestEvidence(RequestEvidence {
                    control,
                    documents: vec![
                        "rekeninguittreksels 2022".into(),
                        "overeenkomsten".into(),
                        "facturen".into(),
                    ],
                    due_by: date(2023, 6, 2),
                }),
            ),
        ];
        for (today, command) in commands {
            self.staff_command(&case, today, command).await?;
        }
        self.holder_command(
            &case,
            date(2023, 5, 24),
            DossierCommand::RecordEvidence(RecordEvidence {
                control,
                documents: vec![EvidenceDocument {
                    reference: "rekeninguittreksels 2022".into(),
                    sha256: sha256_of(&statement),
                }],
                received_on: date(2023, 5, 24),
            }),
        )
        .await?;
        let inspector = self.world.inspector;
        let commands = [
            (
                date(2023, 6, 14),
                DossierCommand::RecordInspectionVisit(RecordInspectionVisit {
                    control,
                    inspector,
                    announced_on: date(2023, 6, 1),
                    visited_on: date(2023, 6, 14),
                    location: VisitLocation::Home,
                    duration_minutes: 95,
                }),
            ),
            (
                date(2023, 7, 3),
                DossierCommand::ConcludeControl(ConcludeControl {
                    control,
                    findings: vec![Finding {
                        rule: "P-12".into(),
                        severity: Severity::Irregularity,
                        amount: Some(cents(48_000)),
                        description: "woon- en leefkosten (huur) betaald uit het budget".into(),
                    }],
                    letter_ref: "brief controle 2023/0412".into(),
                    recovery: Some(ControlRecovery {
                        recovery,
                        amount: cents(48_000),
                        legal_basis: "BVR besteding PVB, art. 9".into(),
                    }),
                }),
            ),
        ];
        for (today, command) in commands {
            self.staff_command(&case, today, command).await?;
        }
        self.staff_command(
            &case,
            date(2023, 8, 30),
            DossierCommand::RecordRecoveryRepayment(RecordRecoveryRepayment {
                recovery,
                amount: cents(48_000),
                paid_on: date(2023, 8, 28),
            }),
        )
        .await?;
        Ok(())
    }

    /// A PVB from `start_year` with a cash IDO with the licensed provider from 1 April.
    pub(super) async fn pvb_with_ido(
        &mut self,
        birth: NaiveDate,
        start_year: i32,
        annual: i64,
    ) -> anyhow::Result<(Case, AgreementId)> {
        let case = self.pvb_case(birth, start_year, annual).await?;
        let ido = AgreementId::from_uuid(self.id());
        let from = date(start_year, 4, 1);
        self.holder_command(
            &case,
            from,
            DossierCommand::RegisterAgreement(RegisterAgreement {
                payment: PaymentForm::Cash,
                task_description: "woonondersteuning, 4 nachten per week".into(),
                weekly_hours: Some(Decimal::from(20)),
                care_relation: CareRelation::OneToOne,
                signed_on: Some(date(start_year, 3, 25)),
                ..examples::ido_agreement(ido, case.budget, self.world.vza, from)
            }),
        )
        .await?;
        self.staff_command(
            &case,
            date(start_year, 4, 10),
            DossierCommand::ApproveAgreement(ApproveAgreement { agreement: ido }),
        )
        .await?;
        Ok((case, ido))
    }

    /// F7: an IDO terminated in June 2020 to end on 31/08/2020, inside the freeze that was
    /// published only on 30/09/2020.
    pub(super) async fn f7_ido_ended_in_freeze(&mut self) -> anyhow::Result<()> {
        let birth = self.adult_birth();
        let (mut case, ido) = self.pvb_with_ido(birth, 2019, 3_600_000).await?;
        self.monthly_claims(&mut case, (2019, 3), (2020, 5), 500)
            .await?;
        self.holder_command(
            &case,
            date(2020, 6, 15),
            DossierCommand::TerminateAgreement(TerminateAgreement {
                agreement: ido,
                end_date: date(2020, 8, 31),
                reason: "verhuis naar een woonvorm in een andere provincie".into(),
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2020, 6), (2020, 12), 500)
            .await
    }

    /// F9: June 2022 claimed and accepted; the death on 31/05/2022 recorded only in July.
    pub(super) async fn f9_cost_after_death(&mut self) -> anyhow::Result<()> {
        let birth = self.adult_birth();
        let mut case = self.pvb_case(birth, 2020, 3_300_000).await?;
        self.monthly_claims(&mut case, (2020, 3), (2022, 6), 930)
            .await?;
        self.staff_command(
            &case,
            date(2022, 7, 20),
            DossierCommand::RecordDeath(RecordDeath {
                date_of_death: date(2022, 5, 31),
                certificate_ref: "overlijdensakte 2022/1187".into(),
            }),
        )
        .await?;
        Ok(())
    }

    /// F13: a corrected de-registration attest, received after the PAB had started.
    pub(super) async fn f13_attest_after_start(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2023);
        let mut case = self.pab_case(birth, 2023, 2_500_000).await?;
        self.staff_command(
            &case,
            date(2023, 3, 9),
            DossierCommand::RecordHomeGuidanceDeregistration(RecordHomeGuidanceDeregistration {
                attest_ref: "gecorrigeerd attest uitschrijving (vorige betrof een andere dienst)"
                    .into(),
                received_on: date(2023, 3, 9),
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2023, 2), (2024, 6), 930)
            .await
    }

    /// F19: a cleaning company bills the same invoice in two dossiers; each accepts it.
    pub(super) async fn f19_invoice_in_two_dossiers(&mut self) -> anyhow::Result<()> {
        let company = Provider::Other {
            name: "Poetsdienst Het Zonnetje bv".into(),
        };
        for _ in 0..2 {
            let birth = self.adult_birth();
            let mut case = self.pvb_case(birth, 2022, 2_400_000).await?;
            let (agreement, _) = self
                .cash_agreement(
                    &case,
                    date(2022, 4, 1),
                    date(2022, 3, 15),
                    None,
                    "Poetsdienst Het Zonnetje bv",
                    AgreementKind::ServiceVouchers,
                )
                .await?;
            self.monthly_claims(&mut case, (2022, 3), (2023, 3), 800)
                .await?;
            let line = CostLine {
                line: 1,
                agreement: Some(agreement),
                provider: company.clone(),
                invoice_no: "ZON-2023-0412".into(),
                invoice_date: date(2023, 4, 30),
                service_from: date(2023, 4, 1),
                service_to: date(2023, 4, 30),
                amount: cents(38_400),
                category: CostCategory::Direct,
                nature: CostNature::Care,
                evidence_ref: "factuur ZON-2023-0412".into(),
            };
            self.claim(&case, 2023, date(2023, 5, 9), vec![line])
                .await?;
        }
        Ok(())
    }

    /// F23: a record of the bijstandsorganisatie from before this system, migrated into the
    /// dossier: a fee for low-threshold help. No staff or organisation command can record it
    /// (the decider refuses it, S000-08); history migrated from the previous system is how such
    /// a fact reaches the log, so it comes through the service's migration path, as the
    /// migration actor.
    pub(super) async fn f23_fee_for_low_threshold_help(&mut self) -> anyhow::Result<()> {
        let birth = self.adult_birth();
        let mut case = self.pvb_case(birth, 2019, 3_400_000).await?;
        self.staff_command(
            &case,
            date(2019, 2, 4),
            DossierCommand::JoinAssistanceOrganisation(JoinAssistanceOrganisation {
                organisation: self.world.bo,
                joined_on: date(2019, 2, 1),
            }),
        )
        .await?;
        let bo = Actor::Organisation {
            organisation: self.world.bo,
        };
        self.command(
            case.dossier,
            bo,
            date(2019, 2, 20),
            DossierCommand::RecordAssistance(RecordAssistance {
                organisation: self.world.bo,
                threshold: AssistanceThreshold::HighThreshold,
                description: "opmaak ondersteuningsplan en zoektocht naar assistenten".into(),
                fee: cents(45_000),
                provided_on: date(2019, 2, 18),
            }),
        )
        .await?;
        self.monthly_claims(&mut case, (2019, 3), (2020, 6), 900)
            .await?;
        let migrated = DossierEvent::from(AssistanceRecorded {
            organisation: self.world.bo,
            threshold: AssistanceThreshold::LowThreshold,
            description: "infosessie persoonsvolgend budget (overgenomen uit het vorige systeem)"
                .into(),
            fee: cents(7_500),
            provided_on: date(2019, 1, 21),
        });
        self.recording.on(date(2020, 7, 1));
        self.service
            .migrate(
                case.dossier,
                "het dossiersysteem van de bijstandsorganisatie",
                vec![migrated],
                date(2020, 7, 1),
                self.correlation,
            )
            .await
            .map_err(|e| refused("migrate the 2019 infosessie", e))?;
        Ok(())
    }

    /// F32: the father, legal representative only from 01/06/2021, registers an agreement that
    /// began on 01/05/2021: he signed for a period in which he could not sign.
    pub(super) async fn f32_unauthorised_signature(&mut self) -> anyhow::Result<()> {
        let birth = self.child_birth(2020);
        let mut case = self.pab_case(birth, 2020, 2_700_000).await?;
        self.monthly_claims(&mut case, (2020, 2), (2021, 4), 700)
            .await?;
        let father = self
            .relative(birth - Duration::days(365 * 33), date(2021, 6, 1))
            .await?;
        self.staff_command(
            &case,
            date(2021, 6, 1),
            DossierCommand::AssignLegalRepresentative(AssignLegalRepresentative {
                representative: father,
                role: RepresentativeRole::Parent,
                valid_from: date(2021, 6, 1),
                evidence_ref: "erkenning door de vader".into(),
            }),
        )
        .await?;
        let signed_by_father = Case {
            holder: father,
            ..case.clone()
        };
        let name = self.name();
        let (agreement, provider) = self
            .cash_agreement(
                &signed_by_father,
                date(2021, 5, 1),
                date(2021, 6, 10),
                None,
                &name,
                AgreementKind::NaturalOrLegalPerson,
            )
            .await?;
        case.agreement = agreement;
        case.provider = provider;
        self.monthly_claims(&mut case, (2021, 5), (2021, 12), 700)
            .await
    }
}
