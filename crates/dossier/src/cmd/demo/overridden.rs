//! The showcases of one shape: a dossier opens, claims month by month, then a claim holds lines
//! the rules refuse and a staff member accepts them after all, with a reason. That override is
//! how the fact a fraud signal looks for really enters the log. Each case is a row of
//! [`OVERRIDDEN`]; what differs from case to case (the refused lines and what they need first:
//! a COVID-19 agreement, a day-care agreement, …) is one arm of [`Builder::refused_lines`].

use super::*;

/// How a showcase dossier opens: its budget, the holder's birth, the first year and annual
/// amount, then monthly claims from the budget's start to `claims_until` for `share` per mille
/// of the monthly budget.
#[derive(Debug, Clone, Copy)]
struct Opening {
    budget: OpenedBudget,
    born: Born,
    start_year: i32,
    annual: i64,
    claims_until: (i32, u32),
    share: i64,
}

#[derive(Debug, Clone, Copy)]
enum OpenedBudget {
    /// A minor's PAB, the mother as parent and budgethouder ([`Builder::pab_case`]).
    Pab,
    /// An adult's own PVB ([`Builder::pvb_case`]).
    Pvb,
    /// A PVB with an IDO with the licensed provider ([`Builder::pvb_with_ido`]).
    PvbWithIdo,
}

#[derive(Debug, Clone, Copy)]
enum Born {
    /// A child of 4 to 14 when the budget starts (drawn).
    Child,
    /// An adult (drawn).
    Adult,
    On(i32, u32, u32),
}

/// One showcase of the override shape.
#[derive(Debug, Clone, Copy)]
pub(super) struct Overridden {
    kind: Kind,
    opening: Opening,
    /// The claim's budget year and the day it is submitted.
    claim_year: i32,
    submitted_on: (i32, u32, u32),
    /// The day of the override, and the staff member's reason for each overridden line.
    overridden_on: (i32, u32, u32),
    reasons: &'static [(u32, &'static str)],
}

const fn pab(start_year: i32, annual: i64, claims_until: (i32, u32), share: i64) -> Opening {
    Opening {
        budget: OpenedBudget::Pab,
        born: Born::Child,
        start_year,
        annual,
        claims_until,
        share,
    }
}

const fn pvb(start_year: i32, annual: i64, claims_until: (i32, u32), share: i64) -> Opening {
    Opening {
        budget: OpenedBudget::Pvb,
        born: Born::Adult,
        start_year,
        annual,
        claims_until,
        share,
    }
}

/// The override showcases, each with the signal it raises.
const OVERRIDDEN: [Overridden; 8] = [
    // F1: in 2020 a line above the exhausted budget; no COVID-19 costs explain the overrun.
    Overridden {
        kind: Kind::F1,
        opening: pab(2019, 2_400_000, (2020, 11), 950),
        claim_year: 2020,
        submitted_on: (2021, 1, 12),
        overridden_on: (2021, 2, 3),
        reasons: &[(
            2,
            "eindejaarsafrekening assistent; akkoord teamverantwoordelijke",
        )],
    },
    // F2: a COVID-19 cost for July 2021, after the extended window.
    Overridden {
        kind: Kind::F2,
        opening: pab(2019, 3_000_000, (2020, 9), 900),
        claim_year: 2021,
        submitted_on: (2021, 8, 9),
        overridden_on: (2021, 8, 30),
        reasons: &[(1, "COVID-19-maatregel verlengd volgens de budgethouder")],
    },
    // F5: extra charges of the provider for September 2020, in the freeze on extra charges.
    Overridden {
        kind: Kind::F5,
        opening: Opening {
            budget: OpenedBudget::PvbWithIdo,
            ..pvb(2019, 3_600_000, (2020, 8), 500)
        },
        claim_year: 2020,
        submitted_on: (2021, 1, 21),
        overridden_on: (2021, 2, 8),
        reasons: &[(1, "meerkosten voor extra nachtpermanentie, akkoord")],
    },
    // F8: costs of the month before the agreement started.
    Overridden {
        kind: Kind::F8,
        opening: pvb(2021, 2_600_000, (2021, 12), 900),
        claim_year: 2022,
        submitted_on: (2022, 3, 14),
        overridden_on: (2022, 4, 4),
        reasons: &[(1, "prestaties vóór de ondertekening; toch aanvaard")],
    },
    // F11: PAB other costs above 5 % of the annual budget.
    Overridden {
        kind: Kind::F11,
        opening: pab(2022, 2_000_000, (2022, 10), 800),
        claim_year: 2022,
        submitted_on: (2022, 12, 5),
        overridden_on: (2022, 12, 19),
        reasons: &[(1, "aangepaste fiets, eenmalig aanvaard")],
    },
    // F14: a PAB holder who turned 18 also gets a PVB with day care; the day-care invoice is
    // claimed on the PAB.
    Overridden {
        kind: Kind::F14,
        opening: Opening {
            born: Born::On(2002, 9, 1),
            ..pab(2020, 2_600_000, (2020, 12), 900)
        },
        claim_year: 2021,
        submitted_on: (2021, 3, 8),
        overridden_on: (2021, 3, 22),
        reasons: &[(1, "factuur dagcentrum; budget nagekeken")],
    },
    // F17, F18: TOAH and GO boarding-school costs on a PAB.
    Overridden {
        kind: Kind::F17F18,
        opening: pab(2021, 2_900_000, (2021, 9), 850),
        claim_year: 2021,
        submitted_on: (2021, 11, 8),
        overridden_on: (2021, 11, 29),
        reasons: &[
            (1, "onderwijs aan huis tijdens ziekenhuisopname"),
            (2, "internaatskosten, volgens de moeder afgesproken"),
        ],
    },
    // F21: the brother, a minor in the month before his agreement began.
    Overridden {
        kind: Kind::F21,
        opening: pab(2021, 3_100_000, (2022, 4), 800),
        claim_year: 2022,
        submitted_on: (2022, 5, 16),
        overridden_on: (2022, 6, 1),
        reasons: &[(
            1,
            "weekendbegeleiding april, bewijs van prestaties ontvangen",
        )],
    },
];

impl Builder<'_> {
    /// Builds the override showcase of `kind`, as its row of [`OVERRIDDEN`] says.
    pub(super) async fn overridden(&mut self, kind: Kind) -> anyhow::Result<()> {
        let Some(row) = OVERRIDDEN.iter().find(|row| row.kind == kind) else {
            anyhow::bail!("{kind:?} has no row in the override showcases");
        };
        let (mut case, ido) = self.open(&row.opening).await?;
        let first = (case.start.year(), case.start.month());
        let opening = row.opening;
        self.monthly_claims(&mut case, first, opening.claims_until, opening.share)
            .await?;
        let lines = self.refused_lines(row.kind, &mut case, ido).await?;
        let (y, m, d) = row.submitted_on;
        let (claim, done) = self
            .claim(&case, row.claim_year, date(y, m, d), lines)
            .await?;
        let (y, m, d) = row.overridden_on;
        for (line, reason) in row.reasons {
            self.override_to_accepted(&case, (claim, done.clone()), *line, date(y, m, d), reason)
                .await?;
        }
        Ok(())
    }

    /// The dossier of an opening, and its IDO if it has one.
    async fn open(&mut self, opening: &Opening) -> anyhow::Result<(Case, Option<AgreementId>)> {
        let birth = match opening.born {
            Born::Child => self.child_birth(opening.start_year),
            Born::Adult => self.adult_birth(),
            Born::On(y, m, d) => date(y, m, d),
        };
        let (start_year, annual) = (opening.start_year, opening.annual);
        Ok(match opening.budget {
            OpenedBudget::Pab => (self.pab_case(birth, start_year, annual).await?, None),
            OpenedBudget::Pvb => (self.pvb_case(birth, start_year, annual).await?, None),
            OpenedBudget::PvbWithIdo => {
                let (case, ido) = self.pvb_with_ido(birth, start_year, annual).await?;
                (case, Some(ido))
            }
        })
    }

    /// The lines of the claim a staff member overrides, and what they need first.
    async fn refused_lines(
        &mut self,
        kind: Kind,
        case: &mut Case,
        ido: Option<AgreementId>,
    ) -> anyhow::Result<Vec<CostLine>> {
        Ok(match kind {
            Kind::F1 => {
                let december = self.annual_of(case, 2020) / 12;
                vec![
                    self.line(case, 1, (2020, 12), december),
                    self.line(case, 2, (2020, 12), december * 3),
                ]
            }
            Kind::F2 => {
                let (covid_agreement, _) = self.covid_agreement_and_increase(case).await?;
                self.monthly_claims(case, (2020, 10), (2021, 6), 900)
                    .await?;
                let mut line = self.line(case, 1, (2021, 7), 42_000);
                line.agreement = Some(covid_agreement);
                line.category = CostCategory::Covid;
                vec![line]
            }
            Kind::F5 => {
                let mut extra = self.line(case, 1, (2020, 9), 18_500);
                extra.agreement = ido;
                extra.provider = Provider::Organisation {
                    organisation: self.world.vza,
                };
                extra.nature = CostNature::ExtraCharges;
                extra.invoice_date = date(2020, 9, 18);
                extra.service_to = date(2020, 9, 18);
                extra.evidence_ref = "factuur meerkosten september".into();
                vec![extra]
            }
            Kind::F8 => {
                let name = self.name();
                let (agreement, provider) = self
                    .cash_agreement(
                        case,
                        date(2022, 3, 1),
                        date(2022, 3, 1),
                        None,
                        &name,
                        AgreementKind::NaturalOrLegalPerson,
                    )
                    .await?;
                case.agreement = agreement;
                case.provider = provider;
                vec![self.line(case, 1, (2022, 2), 61_000)]
            }
            Kind::F11 => {
                let mut other = self.line(case, 1, (2022, 11), 130_000);
                other.agreement = None;
                other.category = CostCategory::Other;
                other.provider = Provider::Other {
                    name: "Hulpmiddelenwinkel Mobiel bv".into(),
                };
                other.evidence_ref = "kasticket aangepaste fiets".into();
                vec![other]
            }
            Kind::F14 => {
                let (day_care, centre) = self.pvb_with_day_care(case).await?;
                let mut line = self.line(case, 1, (2021, 2), 52_000);
                line.agreement = Some(day_care);
                line.provider = centre;
                vec![line]
            }
            Kind::F17F18 => {
                let mut toah = self.line(case, 1, (2021, 10), 21_000);
                toah.nature = CostNature::TemporaryHomeEducation;
                let mut boarding = self.line(case, 2, (2021, 10), 34_000);
                boarding.nature = CostNature::GoBoardingSchool;
                boarding.provider = Provider::Other {
                    name: "Internaat GO! De Horizon".into(),
                };
                vec![toah, boarding]
            }
            Kind::F21 => {
                self.brother_as_assistant(case).await?;
                vec![self.line(case, 1, (2022, 4), 33_600)]
            }
            other => anyhow::bail!("{other:?} is no override showcase"),
        })
    }

    /// F14: the holder, 18 in 2020, is also granted a PVB from 01/02/2021 with a day-care
    /// agreement with the licensed provider.
    async fn pvb_with_day_care(&mut self, case: &Case) -> anyhow::Result<(AgreementId, Provider)> {
        let pvb = BudgetId::from_uuid(self.id());
        self.staff_command(
            case,
            date(2021, 1, 15),
            DossierCommand::MakePvbAvailable(MakePvbAvailable {
                budget: pvb,
                letter_date: date(2021, 1, 15),
                annual_amount: cents(1_800_000),
                route: PvbRoute::PriorityGroup,
            }),
        )
        .await?;
        self.staff_command(
            case,
            date(2021, 1, 28),
            DossierCommand::StartBudget(StartBudget {
                budget: pvb,
                start_date: date(2021, 2, 1),
            }),
        )
        .await?;
        let day_care = AgreementId::from_uuid(self.id());
        let centre = Provider::Organisation {
            organisation: self.world.vza,
        };
        self.holder_command(
            case,
            date(2021, 1, 20),
            DossierCommand::RegisterAgreement(RegisterAgreement {
                payment: PaymentForm::Cash,
                kind: AgreementKind::DayCare,
                provider: centre.clone(),
                task_description: "dagopvang in het dagcentrum, 2 dagen per week".into(),
                weekly_hours: Some(Decimal::from(14)),
                signed_on: Some(date(2021, 1, 20)),
                ..examples::ido_agreement(day_care, pvb, self.world.vza, date(2021, 2, 1))
            }),
        )
        .await?;
        self.staff_command(
            case,
            date(2021, 1, 27),
            DossierCommand::ApproveAgreement(ApproveAgreement {
                agreement: day_care,
            }),
        )
        .await?;
        Ok((day_care, centre))
    }

    /// F21: the holder's brother, born 01/05/2004, assists at weekends from 01/05/2022 under
    /// an approved family-member agreement; claims are made under it from then on.
    async fn brother_as_assistant(&mut self, case: &mut Case) -> anyhow::Result<()> {
        let brother_birth = date(2004, 5, 1);
        let agreement = AgreementId::from_uuid(self.id());
        let brother = Provider::Other {
            name: "broer van de budgethouder".into(),
        };
        let start = date(2022, 5, 1);
        self.holder_command(
            case,
            start,
            DossierCommand::RegisterAgreement(RegisterAgreement {
                kind: AgreementKind::FamilyMember,
                provider: brother.clone(),
                task_description: "begeleiding bij vrijetijdsactiviteiten in het weekend".into(),
                weekly_hours: Some(Decimal::from(6)),
                worker: Some(Worker {
                    birth_date: brother_birth,
                    family_within_second_degree: true,
                    completed_two_years_secondary: true,
                }),
                notice_terms: Some("bepaalde duur van een jaar".into()),
                hourly_cost: Some(cents(1_400)),
                payment_terms: Some("maandelijks".into()),
                ..examples::cash_agreement(
                    agreement,
                    case.budget,
                    start,
                    insz(brother_birth, self.index % 997 + 2),
                )
            }),
        )
        .await?;
        self.staff_command(
            case,
            start + Duration::days(7),
            DossierCommand::ApproveAgreement(ApproveAgreement { agreement }),
        )
        .await?;
        case.agreement = agreement;
        case.provider = brother;
        Ok(())
    }
}
