//! The history builder of the demo: ids, commands as a demo actor, PAB and PVB cases, agreements,
//! cost lines and claims, staff overrides and payments, each run through `app::Service`.

use super::*;

impl<'a> Builder<'a> {
    pub(super) fn new(
        service: &'a Service,
        world: &'a World,
        recording: &'a Recording,
        index: u32,
    ) -> Self {
        Self {
            service,
            world,
            recording,
            rng: Rng::seeded(u64::from(index) + 1),
            index,
            ids: 0,
            correlation: Uuid::now_v7(),
            dossiers_opened: 0,
        }
    }

    /// A deterministic id, unique per plan.
    pub(super) fn id(&mut self) -> Uuid {
        self.ids += 1;
        Uuid::from_u128(
            0x0197_0000_0000_7000_8000_0000_0000_0000 | (u128::from(self.index) << 24) | self.ids,
        )
    }

    pub(super) fn staff(&self) -> Actor {
        Actor::Staff {
            user: self.world.staff,
        }
    }

    pub(super) fn name(&mut self) -> String {
        format!(
            "{} {}",
            self.rng.pick(FIRST_NAMES),
            self.rng.pick(LAST_NAMES)
        )
    }

    pub(super) async fn command(
        &mut self,
        dossier: DossierId,
        actor: Actor,
        today: NaiveDate,
        command: DossierCommand,
    ) -> anyhow::Result<Executed<Dossier>> {
        let what = serde_json::to_value(&command)
            .ok()
            .and_then(|v| v.get("command").and_then(Json::as_str).map(str::to_owned))
            .unwrap_or_default();
        self.recording.on(today);
        // A weighty decision by staff: proposed by them, confirmed by their colleague.
        if DossierStream::weighty(&command).is_some() && matches!(actor, Actor::Staff { .. }) {
            let (proposer, checker) = self.world.staff_pair();
            let decided = four_eyes::<DossierStream>(
                self.service,
                &dossier,
                &command,
                (proposer, checker),
                today,
            )
            .await
            .map_err(|e| refused(&format!("{what} on {today}"), e))?;
            let (state, version) = self
                .service
                .dossier(dossier)
                .await
                .map_err(|e| refused(&format!("{what} on {today}"), e))?;
            return Ok(Executed {
                state,
                version,
                event_ids: decided.event_ids,
            });
        }
        let done = self
            .service
            .dossier_command(
                dossier,
                &command,
                actor,
                today,
                &write_context(actor, self.correlation),
                None,
            )
            .await
            .map_err(|e| refused(&format!("{what} on {today}"), e))?;
        Ok(done)
    }

    pub(super) async fn staff_command(
        &mut self,
        case: &Case,
        today: NaiveDate,
        command: DossierCommand,
    ) -> anyhow::Result<Executed<Dossier>> {
        let staff = self.staff();
        self.command(case.dossier, staff, today, command).await
    }

    pub(super) async fn holder_command(
        &mut self,
        case: &Case,
        today: NaiveDate,
        command: DossierCommand,
    ) -> anyhow::Result<Executed<Dossier>> {
        let holder = Actor::Holder {
            person: case.holder,
        };
        self.command(case.dossier, holder, today, command).await
    }

    pub(super) async fn build(&mut self, kind: Kind) -> anyhow::Result<()> {
        match kind {
            Kind::Ordinary => self.ordinary().await,
            Kind::CovidOverrun => self.covid_overrun().await,
            Kind::Combination => self.combination().await,
            Kind::Control => self.control().await,
            Kind::F7 => self.f7_ido_ended_in_freeze().await,
            Kind::F9 => self.f9_cost_after_death().await,
            Kind::F13 => self.f13_attest_after_start().await,
            Kind::F19 => self.f19_invoice_in_two_dossiers().await,
            Kind::F23 => self.f23_fee_for_low_threshold_help().await,
            Kind::F32 => self.f32_unauthorised_signature().await,
            Kind::OpenWork => self.open_work().await,
            Kind::Lapsed => self.never_started(true).await,
            Kind::NotStarted => self.never_started(false).await,
            Kind::F1
            | Kind::F2
            | Kind::F5
            | Kind::F8
            | Kind::F11
            | Kind::F14
            | Kind::F17F18
            | Kind::F21 => self.overridden(kind).await,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Opening dossiers

    /// Registers the person; `serial` keeps INSZs unique across the demo.
    pub(super) async fn register(
        &mut self,
        birth: NaiveDate,
        registered_on: NaiveDate,
    ) -> anyhow::Result<(DossierId, PersonId)> {
        let dossier = DossierId::from_uuid(self.id());
        let person = PersonId::from_uuid(self.id());
        // Each dossier prefers a serial of its own; `new_insz` settles a shared birth day.
        let serial = self.index * 2 + u32::try_from(self.dossiers_opened).unwrap_or(0);
        let insz = self.world.new_insz(birth, serial);
        let staff = self.staff();
        // Names for staff to search by, from a stream of their own: the rest of the history
        // does not depend on them.
        let mut names = Rng::seeded(u64::from(serial) ^ 0x4E41_4D45);
        let (family_name, given_names) = (names.pick(LAST_NAMES), names.pick(FIRST_NAMES));
        self.recording.on(registered_on);
        self.service
            .open_dossier(
                &RegisterPerson {
                    dossier,
                    person,
                    insz,
                    birth_date: None,
                },
                Some((family_name, given_names)),
                staff,
                registered_on,
                &write_context(staff, self.correlation),
            )
            .await
            .map_err(|e| refused(&format!("open a dossier on {registered_on}"), e))?;
        self.dossiers_opened += 1;
        Ok((dossier, person))
    }

    /// Records a relative of a dossier's person (a parent) born on `born`, by name and INSZ.
    pub(super) async fn relative(
        &mut self,
        born: NaiveDate,
        today: NaiveDate,
    ) -> anyhow::Result<PersonId> {
        let serial = self.index * 2 + 1 + u32::try_from(self.ids % 500).unwrap_or(0);
        let insz = self.world.new_insz(born, serial);
        let mut names = Rng::seeded(u64::from(serial) ^ 0x5041_5245);
        let staff = self.staff();
        let command = IdentifyPerson {
            person: PersonId::from_uuid(self.id()),
            family_name: names.pick(LAST_NAMES).to_owned(),
            given_names: names.pick(FIRST_NAMES).to_owned(),
            insz: Some(insz),
            birth_date: None,
            no_insz_reason: None,
            contact: domain::persons::Contact::default(),
        };
        self.recording.on(today);
        let done = self
            .service
            .identify_person(
                &command,
                staff,
                today,
                &write_context(staff, self.correlation),
            )
            .await
            .map_err(|e| refused(&format!("record a relative on {today}"), e))?;
        Ok(done.person)
    }

    /// A child born on `birth` with a PAB: applied for in the autumn before `start_year`,
    /// granted in January, started on 1 February with the mother as parent, budgethouder and
    /// account holder; annual amounts set for each later year; an approved cash agreement with a
    /// personal assistant from the start.
    pub(super) async fn pab_case(
        &mut self,
        birth: NaiveDate,
        start_year: i32,
        annual: i64,
    ) -> anyhow::Result<Case> {
        let opened = date(start_year - 1, 10, 15);
        let (dossier, _) = self.register(birth, opened).await?;
        let mother = self
            .relative(birth - Duration::days(365 * 31), opened)
            .await?;
        let budget = BudgetId::from_uuid(self.id());
        let voucher = VoucherId::from_uuid(self.id());
        let account = iban(u64::from(self.index) * 7_919 + 310_000_000)?;
        let mut case = Case {
            dossier,
            holder: mother,
            budget,
            kind: BudgetKind::Pab,
            start: date(start_year, 2, 1),
            annual,
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
            iban: account,
            budget,
            voucher,
            start_year,
            annual: cents(annual),
        });
        for (today, command) in commands {
            self.staff_command(&case, today, command).await?;
        }
        self.later_annual_amounts(&case, start_year).await?;
        self.first_agreement(&mut case).await?;
        Ok(case)
    }

    /// An adult born on `birth` holding their own PVB: made available in January of
    /// `start_year`, started on 1 March, the account in their name; an approved cash agreement.
    pub(super) async fn pvb_case(
        &mut self,
        birth: NaiveDate,
        start_year: i32,
        annual: i64,
    ) -> anyhow::Result<Case> {
        let opened = date(start_year - 1, 12, 2);
        let (dossier, person) = self.register(birth, opened).await?;
        let budget = BudgetId::from_uuid(self.id());
        let account = iban(u64::from(self.index) * 7_907 + 730_000_000)?;
        let mut case = Case {
            dossier,
            holder: person,
            budget,
            kind: BudgetKind::Pvb,
            start: date(start_year, 3, 1),
            annual,
            agreement: AgreementId::from_uuid(Uuid::nil()),
            provider: Provider::Other {
                name: String::new(),
            },
            invoices: 0,
        };
        let commands = [
            DossierCommand::DesignateBudgetHolder(DesignateBudgetHolder {
                holder: person,
                from: opened,
            }),
            DossierCommand::RegisterBudgetAccount(RegisterBudgetAccount {
                iban: account,
                account_holder: person,
                relation: AccountHolderRelation::BudgetHolder,
                dedicated: true,
                registered_on: opened,
            }),
        ];
        for command in commands {
            self.staff_command(&case, opened, command).await?;
        }
        let letter_date = date(start_year, 1, 10);
        let route = if self.rng.one_in(4) {
            PvbRoute::Emergency
        } else {
            PvbRoute::PriorityGroup
        };
        self.staff_command(
            &case,
            letter_date,
            DossierCommand::MakePvbAvailable(MakePvbAvailable {
                budget,
                letter_date,
                annual_amount: cents(annual),
                route,
            }),
        )
        .await?;
        self.staff_command(
            &case,
            date(start_year, 2, 20),
            DossierCommand::StartBudget(StartBudget {
                budget,
                start_date: case.start,
            }),
        )
        .await?;
        self.later_annual_amounts(&case, start_year).await?;
        self.first_agreement(&mut case).await?;
        Ok(case)
    }

    /// The annual amounts after the first year: indexed by 2 % each January.
    pub(super) async fn later_annual_amounts(
        &mut self,
        case: &Case,
        start_year: i32,
    ) -> anyhow::Result<()> {
        let mut amount = case.annual;
        for year in start_year + 1..=LAST_MONTH.0 {
            amount = amount * 102 / 100 / 100 * 100;
            self.staff_command(
                case,
                date(year, 1, 5),
                DossierCommand::SetAnnualAmount(SetAnnualAmount {
                    budget: case.budget,
                    year,
                    amount: cents(amount),
                    reason: format!("indexering {year}"),
                }),
            )
            .await?;
        }
        Ok(())
    }

    /// A cash agreement with a personal assistant from the budget's start, registered by the
    /// holder two weeks before and approved by staff nine days later.
    pub(super) async fn first_agreement(&mut self, case: &mut Case) -> anyhow::Result<()> {
        let name = self.name();
        let (agreement, provider) = self
            .cash_agreement(
                case,
                case.start,
                case.start - Duration::days(14),
                None,
                &name,
                AgreementKind::IndividualAssistant,
            )
            .await?;
        case.agreement = agreement;
        case.provider = provider;
        Ok(())
    }

    /// A cash agreement (a COVID-19 one for 2020 when `covid` is given) registered by the
    /// holder on `registered_on` and approved by staff nine days later.
    pub(super) async fn cash_agreement(
        &mut self,
        case: &Case,
        start: NaiveDate,
        registered_on: NaiveDate,
        covid: Option<CovidBasis>,
        assistant: &str,
        kind: AgreementKind,
    ) -> anyhow::Result<(AgreementId, Provider)> {
        let (agreement, provider) = self
            .register_cash_agreement(case, start, registered_on, covid, assistant, kind)
            .await?;
        self.staff_command(
            case,
            registered_on + Duration::days(9),
            DossierCommand::ApproveAgreement(ApproveAgreement { agreement }),
        )
        .await?;
        Ok((agreement, provider))
    }

    /// [`Self::cash_agreement`] registered by the holder, not yet approved.
    pub(super) async fn register_cash_agreement(
        &mut self,
        case: &Case,
        start: NaiveDate,
        registered_on: NaiveDate,
        covid: Option<CovidBasis>,
        assistant: &str,
        kind: AgreementKind,
    ) -> anyhow::Result<(AgreementId, Provider)> {
        let agreement = AgreementId::from_uuid(self.id());
        let provider = Provider::Other {
            name: assistant.to_owned(),
        };
        let assistant_birth = date(
            i32::try_from(self.rng.between(1965, 1998)).unwrap_or(1980),
            u32::try_from(self.rng.between(1, 12)).unwrap_or(1),
            u32::try_from(self.rng.between(1, 28)).unwrap_or(1),
        );
        let weekly_hours = Some(Decimal::from(self.rng.between(6, 20)));
        let hourly_cost = Some(cents(self.rng.between(1_750, 2_450)));
        let command = RegisterAgreement {
            kind,
            provider: provider.clone(),
            end: covid.map(|_| date(2020, 12, 31)),
            task_description: if covid.is_some() {
                "extra persoonlijke assistentie thuis tijdens COVID-19".into()
            } else {
                "persoonlijke assistentie thuis: opstaan, verzorging, begeleiding naar school"
                    .into()
            },
            weekly_hours,
            covid,
            signed_on: Some(registered_on.min(start)),
            hourly_cost,
            ..examples::cash_agreement(
                agreement,
                case.budget,
                start,
                insz(assistant_birth, self.index % 997 + 2),
            )
        };
        self.holder_command(
            case,
            registered_on,
            DossierCommand::RegisterAgreement(command),
        )
        .await?;
        Ok((agreement, provider))
    }

    // -----------------------------------------------------------------------------------------
    // Claims

    pub(super) fn line(
        &mut self,
        case: &mut Case,
        n: u32,
        (year, month): (i32, u32),
        amount: i64,
    ) -> CostLine {
        case.invoices += 1;
        let to = month_end(year, month);
        CostLine {
            line: n,
            agreement: Some(case.agreement),
            provider: case.provider.clone(),
            // Invoice numbers are the assistant's own: unique per dossier.
            invoice_no: format!("{}/{year}-{:04}", self.index + 100, case.invoices),
            invoice_date: to,
            service_from: date(year, month, 1),
            service_to: to,
            amount: cents(amount),
            category: CostCategory::Direct,
            nature: CostNature::Care,
            evidence_ref: format!("prestatiestaat {month:02}/{year}"),
        }
    }

    /// Submits a claim by the holder on `submitted_on` (also the decision date).
    pub(super) async fn claim(
        &mut self,
        case: &Case,
        year: i32,
        submitted_on: NaiveDate,
        lines: Vec<CostLine>,
    ) -> anyhow::Result<(ClaimId, Executed<Dossier>)> {
        let claim = ClaimId::from_uuid(self.id());
        let channel = if self.rng.one_in(5) {
            ClaimChannel::Paper
        } else {
            ClaimChannel::Mijnvaph
        };
        let done = self
            .holder_command(
                case,
                submitted_on,
                DossierCommand::SubmitCostClaim(SubmitCostClaim {
                    claim,
                    budget: case.budget,
                    budget_year: year,
                    submitted_on,
                    channel,
                    late_exception: None,
                    lines,
                }),
            )
            .await?;
        Ok((claim, done))
    }

    /// A staff member accepts a refused line after all (the facts the signals look for).
    pub(super) async fn override_to_accepted(
        &mut self,
        case: &Case,
        (claim, done): (ClaimId, Executed<Dossier>),
        line: u32,
        today: NaiveDate,
        reason: &str,
    ) -> anyhow::Result<()> {
        let status = done
            .state
            .claims
            .get(&claim)
            .and_then(|c| c.lines.get(&line))
            .map(|l| l.status);
        anyhow::ensure!(
            matches!(status, Some(LineStatus::Rejected(_))),
            "line {line} of the claim was expected to be refused, not {status:?}"
        );
        self.staff_command(
            case,
            today,
            DossierCommand::OverrideCostLineDecision(OverrideCostLineDecision {
                claim,
                line,
                outcome: LineOutcome::Accepted,
                reason: reason.into(),
            }),
        )
        .await?;
        Ok(())
    }

    /// One claim a month, submitted on the 10th of the next month, for `share` per mille of the
    /// monthly budget (with some variation); now and then a line the rules refuse.
    pub(super) async fn monthly_claims(
        &mut self,
        case: &mut Case,
        from: (i32, u32),
        to: (i32, u32),
        share: i64,
    ) -> anyhow::Result<()> {
        let (mut year, mut month) = from;
        let mut previous: Option<CostLine> = None;
        while (year, month) <= to {
            let monthly = self.annual_of(case, year) / 12;
            let amount = monthly * (share - self.rng.between(0, 60)) / 1000;
            let mut lines = vec![self.line(case, 1, (year, month), amount)];
            if self.rng.one_in(12)
                && let Some(again) = previous.clone()
                && again.service_from.year() == year
            {
                // The previous month's invoice sent again: refused as a duplicate.
                lines.push(CostLine { line: 2, ..again });
            } else if self.rng.one_in(15) {
                let mut no_agreement = self.line(case, 2, (year, month), amount / 10);
                no_agreement.agreement = None;
                no_agreement.provider = Provider::Other {
                    name: "Taxi Vlaanderen bv".into(),
                };
                lines.push(no_agreement);
            } else if case.kind == BudgetKind::Pvb && self.rng.one_in(15) {
                let mut rent = self.line(case, 2, (year, month), amount / 4);
                rent.nature = CostNature::LivingCosts;
                rent.evidence_ref = "huurcontract".into();
                lines.push(rent);
            }
            previous = Some(lines[0].clone());
            let (ny, nm) = next_month(year, month);
            let day = u32::try_from(self.rng.between(3, 20)).unwrap_or(10);
            let submitted_on = if year == 2020 {
                // The rule book knows the claim deadline for 2020 costs only from 01/01/2021
                // (the version of D-01 valid from 2021): 2020 claims come in in January 2021.
                date(2021, 1, month + day / 2)
            } else {
                date(ny, nm, day)
            };
            let (_, done) = self.claim(case, year, submitted_on, lines).await?;
            if month == 12 || (year, month) == to {
                self.pay(case, year, &done.state, submitted_on + Duration::days(7))
                    .await?;
            }
            (year, month) = (ny, nm);
        }
        Ok(())
    }

    /// Orders and executes the payment of the year's accepted, unpaid lines (if any).
    pub(super) async fn pay(
        &mut self,
        case: &Case,
        year: i32,
        state: &Dossier,
        ordered_on: NaiveDate,
    ) -> anyhow::Result<()> {
        let unpaid = state
            .claims
            .values()
            .filter(|c| c.budget == case.budget && c.year == year)
            .flat_map(|c| c.lines.values())
            .any(|l| l.status == LineStatus::Accepted && l.paid.is_none());
        if !unpaid {
            return Ok(());
        }
        let payment = PaymentId::from_uuid(self.id());
        self.staff_command(
            case,
            ordered_on,
            DossierCommand::OrderPayment(OrderPayment {
                payment,
                budget: case.budget,
                year,
            }),
        )
        .await?;
        self.staff_command(
            case,
            ordered_on + Duration::days(3),
            DossierCommand::ExecutePayment(ExecutePayment {
                payment,
                executed_on: ordered_on + Duration::days(3),
            }),
        )
        .await?;
        Ok(())
    }

    /// The annual amount of a year in cents, as set by `later_annual_amounts`.
    pub(super) fn annual_of(&self, case: &Case, year: i32) -> i64 {
        let mut amount = case.annual;
        for _ in case.start.year() + 1..=year {
            amount = amount * 102 / 100 / 100 * 100;
        }
        amount
    }

    pub(super) fn child_birth(&mut self, start_year: i32) -> NaiveDate {
        let age = i32::try_from(self.rng.between(4, 14)).unwrap_or(8);
        date(
            start_year - age,
            u32::try_from(self.rng.between(1, 12)).unwrap_or(1),
            u32::try_from(self.rng.between(1, 28)).unwrap_or(1),
        )
    }

    pub(super) fn adult_birth(&mut self) -> NaiveDate {
        date(
            i32::try_from(self.rng.between(1958, 1999)).unwrap_or(1980),
            u32::try_from(self.rng.between(1, 12)).unwrap_or(1),
            u32::try_from(self.rng.between(1, 28)).unwrap_or(1),
        )
    }

    // -----------------------------------------------------------------------------------------
    // Ordinary holders

    pub(super) async fn ordinary(&mut self) -> anyhow::Result<()> {
        let start_year = i32::try_from(self.rng.between(2019, 2024)).unwrap_or(2021);
        let annual = self.rng.between(150, 600) * 10_000;
        let mut case = if self.rng.one_in(2) {
            let birth = self.child_birth(start_year);
            self.pab_case(birth, start_year, annual).await?
        } else {
            let birth = self.adult_birth();
            self.pvb_case(birth, start_year, annual).await?
        };
        if case.kind == BudgetKind::Pvb && self.rng.one_in(3) {
            self.voucher_ido(&case).await?;
        }
        let first = (case.start.year(), case.start.month());
        // A COVID-19 agreement for about a third of those running in 2020.
        if case.start < date(2020, 3, 1) && self.rng.one_in(3) {
            self.monthly_claims(&mut case, first, (2020, 9), 930)
                .await?;
            let covid = self.covid_agreement_and_increase(&case).await?;
            self.monthly_claims(&mut case, (2020, 10), (2020, 12), 930)
                .await?;
            self.covid_claim(&case, covid, 50, date(2021, 1, 25))
                .await?;
            self.monthly_claims(&mut case, (2021, 1), LAST_MONTH, 930)
                .await?;
        } else if self.rng.one_in(5) {
            // A change of assistant: notice given in May, a new agreement from July.
            let year = i32::try_from(self.rng.between(2023, 2025))
                .unwrap_or(2024)
                .max(case.start.year() + 1);
            self.monthly_claims(&mut case, first, (year, 4), 930)
                .await?;
            self.holder_command(
                &case,
                date(year, 5, 2),
                DossierCommand::GiveNotice(GiveNotice {
                    agreement: case.agreement,
                    notice_date: date(year, 5, 2),
                    end_date: month_end(year, 6),
                }),
            )
            .await?;
            self.monthly_claims(&mut case, (year, 5), (year, 6), 930)
                .await?;
            let name = self.name();
            let (agreement, provider) = self
                .cash_agreement(
                    &case,
                    date(year, 7, 1),
                    date(year, 6, 10),
                    None,
                    &name,
                    AgreementKind::IndividualAssistant,
                )
                .await?;
            case.agreement = agreement;
            case.provider = provider;
            self.monthly_claims(&mut case, (year, 7), LAST_MONTH, 930)
                .await?;
        } else {
            self.monthly_claims(&mut case, first, LAST_MONTH, 930)
                .await?;
        }
        if self.rng.one_in(4) {
            // More hours from November, agreed in October.
            let hours = self.rng.between(8, 24);
            self.holder_command(
                &case,
                date(LAST_MONTH.0, 10, 21),
                DossierCommand::AmendAgreement(AmendAgreement {
                    agreement: case.agreement,
                    effective_from: date(LAST_MONTH.0, 11, 1),
                    task_description: None,
                    weekly_hours: Some(Decimal::from(hours)),
                }),
            )
            .await?;
        }
        Ok(())
    }

    /// A voucher IDO with the licensed provider, registered by the provider (P-09).
    pub(super) async fn voucher_ido(&mut self, case: &Case) -> anyhow::Result<()> {
        let agreement = AgreementId::from_uuid(self.id());
        let start = case.start + Duration::days(31);
        let provider = Actor::Organisation {
            organisation: self.world.vza,
        };
        self.command(
            case.dossier,
            provider,
            start - Duration::days(3),
            DossierCommand::RegisterAgreement(examples::ido_agreement(
                agreement,
                case.budget,
                self.world.vza,
                start,
            )),
        )
        .await?;
        self.staff_command(
            case,
            start + Duration::days(5),
            DossierCommand::ApproveAgreement(ApproveAgreement { agreement }),
        )
        .await?;
        Ok(())
    }

    /// A COVID-19 agreement from 16/03/2020 to 31/12/2020, registered and approved after the
    /// window was published (30/09/2020), and the COVID-19 increase granted.
    pub(super) async fn covid_agreement_and_increase(
        &mut self,
        case: &Case,
    ) -> anyhow::Result<(AgreementId, Provider)> {
        let name = self.name();
        let covid = self
            .cash_agreement(
                case,
                date(2020, 3, 16),
                date(2020, 10, 5),
                Some(CovidBasis::New),
                &name,
                AgreementKind::IndividualAssistant,
            )
            .await?;
        self.staff_command(
            case,
            date(2020, 10, 20),
            DossierCommand::GrantCovidOverrunAllowance(GrantCovidOverrunAllowance {
                budget: case.budget,
                year: 2020,
            }),
        )
        .await?;
        Ok(covid)
    }

    /// The COVID-19 costs from the approval (14/10/2020) to December in one claim; `share` is
    /// their total per mille of the annual budget. Submitted after the COVID-19 deadline (01/03/2021) but by the
    /// general one, lines are held; staff then decides them.
    pub(super) async fn covid_claim(
        &mut self,
        case: &Case,
        (agreement, provider): (AgreementId, Provider),
        share: i64,
        submitted_on: NaiveDate,
    ) -> anyhow::Result<()> {
        let (claim, held) = self
            .submit_covid_claim(case, (agreement, provider), share, submitted_on)
            .await?;
        let decided_on = submitted_on + Duration::days(28);
        for line in held {
            self.staff_command(
                case,
                decided_on,
                DossierCommand::DecideCostLine(DecideCostLine {
                    claim,
                    line,
                    outcome: LineOutcome::Accepted,
                    reason: "ingediend vóór de algemene termijn van 1 april; aanvaard".into(),
                }),
            )
            .await?;
        }
        let (state, _) = self.service.dossier(case.dossier).await?;
        self.pay(case, 2020, &state, decided_on + Duration::days(5))
            .await
    }

    /// The claim of [`Self::covid_claim`], submitted and not yet decided: the claim and its
    /// held lines.
    pub(super) async fn submit_covid_claim(
        &mut self,
        case: &Case,
        (agreement, provider): (AgreementId, Provider),
        share: i64,
        submitted_on: NaiveDate,
    ) -> anyhow::Result<(ClaimId, Vec<u32>)> {
        let per_month = self.annual_of(case, 2020) * share / 1000 / 3;
        let lines: Vec<CostLine> = (10..=12)
            .map(|month| CostLine {
                line: month - 9,
                agreement: Some(agreement),
                provider: provider.clone(),
                invoice_no: format!("C2020-{month:02}"),
                invoice_date: month_end(2020, month),
                service_from: date(2020, month, if month == 10 { 15 } else { 1 }),
                service_to: month_end(2020, month),
                amount: cents(per_month),
                category: CostCategory::Covid,
                nature: CostNature::Care,
                evidence_ref: format!("prestatiestaat COVID-19 {month:02}/2020"),
            })
            .collect();
        let (claim, done) = self.claim(case, 2020, submitted_on, lines).await?;
        let held: Vec<u32> = done
            .state
            .claims
            .get(&claim)
            .map(|c| {
                c.lines
                    .values()
                    .filter(|l| matches!(l.status, LineStatus::Held(_)))
                    .map(|l| l.line.line)
                    .collect()
            })
            .unwrap_or_default();
        Ok((claim, held))
    }
}
