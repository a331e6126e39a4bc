//! Persons: records of their own, found by INSZ (one person per number) or, without one, by
//! name and birth date (a warning of a likely duplicate). Dossiers refer to them by id.

use chrono::NaiveDate;
use domain::dossier::{Dossier, DossierCommand, EraseDossierData, RegisterPerson, Warning};
use domain::person_index::{NameIndexStream, PersonIndexCommand, PersonIndexStream};
use domain::persons::{self, IdentifyPerson, PersonCommand, PersonRecord, PersonStream};
use domain::{Actor, Context, PersonId, Reason};
use uuid::Uuid;

use crate::executor::{ExecuteError, Executed, WriteContext};
use crate::models::{name_index_id, person_index_id};
use crate::service::{CommandError, Service};

/// What identifying a person did.
#[derive(Debug, Clone)]
pub struct Identified {
    /// The person: the one the INSZ already named, or the one just recorded.
    pub person: PersonId,
    /// The INSZ named a person already recorded: nothing new was recorded for them.
    pub found: bool,
    pub record: PersonRecord,
    /// The version of the person's record stream.
    pub version: Option<u64>,
    /// The events recorded in the person's record.
    pub event_ids: Vec<Uuid>,
    /// E-g. a likely duplicate, or a birth date the INSZ contradicts.
    pub warnings: Vec<Warning>,
}

/// A person whose dossier's retention period has ended: their data is due for erasure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureDue {
    pub person: PersonId,
    pub dossier: domain::DossierId,
    /// The day the dossier closed.
    pub closed_on: NaiveDate,
    /// The last day of the retention period.
    pub retention_until: NaiveDate,
}

impl Service {
    /// Records who a person is, once: a person the INSZ already names is found, not made again
    /// (a mother of two children is one person); a person a dossier named by bare id before
    /// person records is completed; without an INSZ the persons of the same name and birth
    /// date are named in a warning. The person's own rules come first, so a refused
    /// identification writes nothing.
    ///
    /// # Errors
    /// See [`ExecuteError`]: a refusal, contention or a store failure.
    pub async fn identify_person(
        &self,
        command: &IdentifyPerson,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Identified, CommandError> {
        self.identify(command, false, actor, today, write).await
    }

    /// [`Self::identify_person`]; `completing` a person some dossier named by id, the INSZ
    /// must not be another person's (`INSZ_OF_ANOTHER_PERSON`), rather than find them.
    async fn identify(
        &self,
        command: &IdentifyPerson,
        completing: bool,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Identified, CommandError> {
        let (rule_book, registry) = self.context_states().await?;
        let ctx = Context::new(today, actor, &rule_book, &registry);
        let mut command = command.clone();
        let asked = PersonCommand::Identify(command.clone());
        persons::decide(&asked, &PersonRecord::default(), &ctx).map_err(ExecuteError::Rejected)?;
        let mut warnings = persons::warnings(&asked, None);
        let key = self.person_index_key(today).await?;
        if let Some(insz) = &command.insz {
            let index = person_index_id(&key, insz);
            let (indexed, _) = self.load::<PersonIndexStream>(&index).await?;
            match indexed.person {
                Some(known) if completing && known != command.person => {
                    return Err(ExecuteError::Rejected(
                        Reason::InszOfAnotherPerson { person: known }.into(),
                    ));
                }
                Some(known) => {
                    let (record, version) = self.load::<PersonStream>(&known).await?;
                    if record.identity.is_some() {
                        return Ok(Identified {
                            person: known,
                            found: true,
                            record,
                            version,
                            event_ids: Vec::new(),
                            warnings: Vec::new(),
                        });
                    }
                    // Named by a dossier before person records: completed now.
                    command.person = known;
                }
                None => {
                    let claim = PersonIndexCommand::Index {
                        person: command.person,
                    };
                    self.execute_in::<PersonIndexStream>(&index, &claim, &ctx, write, None)
                        .await?;
                }
            }
        }
        let birth_date = command
            .birth_date
            .or_else(|| command.insz.as_ref().and_then(domain::Insz::birth_date));
        let name_index = birth_date
            .map(|born| name_index_id(&key, &command.family_name, &command.given_names, born));
        if let Some(name_index) = &name_index {
            let (namesakes, _) = self.load::<NameIndexStream>(name_index).await?;
            let candidates: Vec<PersonId> = namesakes
                .persons
                .into_iter()
                .filter(|p| *p != command.person)
                .collect();
            if !candidates.is_empty() {
                warnings.push(Warning::LikelyDuplicatePerson { candidates });
            }
        }
        let done = self
            .execute_in::<PersonStream>(
                &command.person,
                &PersonCommand::Identify(command.clone()),
                &ctx,
                write,
                None,
            )
            .await?;
        if let Some(name_index) = name_index {
            self.index_name(&name_index, command.person, &ctx, write)
                .await;
        }
        Ok(Identified {
            person: command.person,
            found: false,
            record: done.state,
            version: done.version,
            event_ids: done.event_ids,
            warnings,
        })
    }

    /// Lists `person` under a name and birth date. Best effort: the record is written already;
    /// a listing that fails only leaves out a later warning of a likely duplicate.
    async fn index_name(
        &self,
        name_index: &String,
        person: PersonId,
        ctx: &Context<'_>,
        write: &WriteContext,
    ) {
        let step = write.next_step("index person name");
        if let Err(e) = self
            .execute_in::<NameIndexStream>(name_index, &person, ctx, &step, None)
            .await
        {
            tracing::error!(error = %e, %person, "could not list a person under their name");
        }
    }

    /// Decides a command of a person's record (a correction of the name, new contact details;
    /// an identification goes through [`Self::identify_person`]). The reason staff give is
    /// the metadata's reason.
    ///
    /// # Errors
    /// See [`ExecuteError`]: a refusal (`PERSON_UNKNOWN`, `REASON_REQUIRED`, …), contention or
    /// a store failure.
    pub async fn person_command(
        &self,
        person: PersonId,
        command: &PersonCommand,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Identified, CommandError> {
        if let PersonCommand::Identify(identify) = command {
            let identify = IdentifyPerson {
                person,
                ..identify.clone()
            };
            return self.identify(&identify, true, actor, today, write).await;
        }
        let write = write.with_reason_of::<PersonStream>(command);
        if let PersonCommand::Erase(erase) = command {
            return self.erase_person(person, erase, actor, today, &write).await;
        }
        if let PersonCommand::CorrectInsz(correct) = command {
            return self
                .correct_person_insz(person, correct, actor, today, &write)
                .await;
        }
        let done = self
            .execute::<PersonStream>(&person, command, actor, today, &write, None)
            .await?;
        if let (PersonCommand::CorrectName(corrected), Some(identity)) =
            (command, &done.state.identity)
            && let Some(born) = identity.birth_date
        {
            let (rule_book, registry) = self.context_states().await?;
            let ctx = Context::new(today, actor, &rule_book, &registry);
            let key = self.person_index_key(today).await?;
            let name_index =
                name_index_id(&key, &corrected.family_name, &corrected.given_names, born);
            self.index_name(&name_index, person, &ctx, &write).await;
        }
        Ok(Identified {
            person,
            found: false,
            record: done.state,
            version: done.version,
            event_ids: done.event_ids,
            warnings: Vec::new(),
        })
    }

    /// Corrects the INSZ of a person who is no dossier's own person (that INSZ is corrected
    /// in the dossier), and re-keys the index: the corrected INSZ's stream first (refused when
    /// it is another person's), then the record, then the old INSZ's stream lets go.
    async fn correct_person_insz(
        &self,
        person: PersonId,
        correct: &persons::CorrectPersonInsz,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Identified, CommandError> {
        let command = PersonCommand::CorrectInsz(correct.clone());
        let (rule_book, registry) = self.context_states().await?;
        let ctx = Context::new(today, actor, &rule_book, &registry);
        let (current, _) = self.person(person).await?;
        persons::decide(&command, &current, &ctx).map_err(ExecuteError::Rejected)?;
        let key = self.person_index_key(today).await?;
        let old_index = current
            .identity
            .as_ref()
            .and_then(|i| i.insz.as_ref())
            .map(|insz| person_index_id(&key, insz));
        if let Some(old_index) = &old_index {
            let (old, _) = self.load::<PersonIndexStream>(old_index).await?;
            if let Some(claim) = old.claimed_by {
                return Err(ExecuteError::Rejected(
                    Reason::InszCorrectedInDossier {
                        dossier: claim.dossier,
                    }
                    .into(),
                ));
            }
        }
        let new_index = person_index_id(&key, &correct.corrected);
        self.execute_in::<PersonIndexStream>(
            &new_index,
            &PersonIndexCommand::Index { person },
            &ctx,
            write,
            None,
        )
        .await?;
        let done = self
            .execute_in::<PersonStream>(&person, &command, &ctx, write, None)
            .await?;
        if let Some(old_index) = old_index {
            self.unindex(&old_index, person, &ctx, write).await;
        }
        let born = done.state.identity.as_ref().and_then(|i| i.birth_date);
        Ok(Identified {
            person,
            found: false,
            warnings: persons::warnings(&command, born),
            record: done.state,
            version: done.version,
            event_ids: done.event_ids,
        })
    }

    /// Erases a person's data: refused while a dossier that names them must keep it (the
    /// domain's retention rule); otherwise each dossier of which they are the person is
    /// erased first, then their record. Each step destroys its stream's key; a retry after a
    /// failure finds the steps already taken done and takes the rest.
    async fn erase_person(
        &self,
        person: PersonId,
        erase: &persons::ErasePersonData,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Identified, CommandError> {
        let command = PersonCommand::Erase(erase.clone());
        let (rule_book, registry) = self.context_states().await?;
        let ctx = Context::new(today, actor, &rule_book, &registry);
        let (current, _) = self.person(person).await?;
        persons::decide(&command, &current, &ctx).map_err(ExecuteError::Rejected)?;
        let naming = self.erasable(person, &ctx).await?;
        let own = naming.iter().filter(|(_, state)| {
            state.erased_on.is_none() && state.subject.is_some_and(|(_, p)| p == person)
        });
        for (dossier, _) in own {
            let step = write.next_step("erase the person's dossier");
            let erase_dossier =
                DossierCommand::EraseDossierData(EraseDossierData { basis: erase.basis });
            self.dossier_command(*dossier, &erase_dossier, actor, today, &step, None)
                .await?;
        }
        // Once erased, the INSZ leads to nobody: the index lets the person go first (best
        // effort; a retry lets go again, an unindex is idempotent).
        if let Some(insz) = current.identity.as_ref().and_then(|i| i.insz.as_ref()) {
            let index = person_index_id(&self.person_index_key(today).await?, insz);
            self.unindex(&index, person, &ctx, write).await;
        }
        let done = self
            .execute_in::<PersonStream>(&person, &command, &ctx, write, None)
            .await?;
        Ok(Identified {
            person,
            found: false,
            warnings: Vec::new(),
            record: done.state,
            version: done.version,
            event_ids: done.event_ids,
        })
    }

    /// The dossiers that name `person`, once the domain's retention rule lets their data go.
    ///
    /// # Errors
    /// `PERSON_KEPT_FOR_DOSSIER`, or a store failure.
    async fn erasable(
        &self,
        person: PersonId,
        ctx: &Context<'_>,
    ) -> Result<Vec<(domain::DossierId, Dossier)>, CommandError> {
        let naming = self.dossiers_naming(person).await?;
        let states: Vec<_> = naming.iter().map(|(id, state)| (*id, state)).collect();
        domain::dossier::retention::person_erasable(&states, ctx)
            .map_err(ExecuteError::Rejected)?;
        Ok(naming)
    }

    /// Proposes a weighty decision about a person's record (`Service::propose`), refusing at
    /// once an erasure the retention rule does not allow yet, as its confirmation would.
    ///
    /// # Errors
    /// As [`Service::propose`]; `PERSON_KEPT_FOR_DOSSIER`.
    pub async fn propose_person_command(
        &self,
        person: PersonId,
        command: &PersonCommand,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<crate::Proposed, CommandError> {
        if matches!(command, PersonCommand::Erase(_)) {
            let (rule_book, registry) = self.context_states().await?;
            let ctx = Context::new(today, actor, &rule_book, &registry);
            self.erasable(person, &ctx).await?;
        }
        self.propose::<PersonStream>(&person, command, actor, today, write)
            .await
    }

    /// The work queue of erasures: every dossier closed longer ago than its retention period
    /// whose data was not erased yet, with the person it is of, oldest first. Reads every
    /// dossier, as [`Self::dossiers_naming`] does.
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn erasure_due(&self, today: NaiveDate) -> Result<Vec<ErasureDue>, CommandError> {
        let (rule_book, registry) = self.context_states().await?;
        let ctx = Context::new(today, Actor::System, &rule_book, &registry);
        let mut due = Vec::new();
        for dossier in self.dossier_ids().await? {
            let (state, _) = self.dossier(dossier).await?;
            if let (Some((_, person)), Some((closed_on, retention_until))) = (
                state.subject,
                domain::dossier::retention::erasure_due(&state, &ctx),
            ) {
                due.push(ErasureDue {
                    person,
                    dossier,
                    closed_on,
                    retention_until,
                });
            }
        }
        due.sort_by_key(|d| (d.retention_until, d.dossier));
        Ok(due)
    }

    /// Every dossier that names `person`, in any role, with its state. Reads the whole log's
    /// dossier list: an erasure is rare, and no index of persons to dossiers is kept.
    pub(crate) async fn dossiers_naming(
        &self,
        person: PersonId,
    ) -> Result<Vec<(domain::DossierId, Dossier)>, CommandError> {
        let mut naming = Vec::new();
        for dossier in self.dossier_ids().await? {
            let (state, _) = self.dossier(dossier).await?;
            if state.persons().iter().any(|(p, _)| *p == person) {
                naming.push((dossier, state));
            }
        }
        Ok(naming)
    }

    /// The mistyped INSZ whose index stream is `old_index` no longer finds `person`. Best
    /// effort, after the correction is recorded; a failure is logged.
    pub(crate) async fn unindex(
        &self,
        old_index: &String,
        person: PersonId,
        ctx: &Context<'_>,
        write: &WriteContext,
    ) {
        let step = write.next_step("unindex the corrected INSZ");
        if let Err(e) = self
            .execute_in::<PersonIndexStream>(
                old_index,
                &PersonIndexCommand::Unindex { person },
                ctx,
                &step,
                None,
            )
            .await
        {
            tracing::error!(error = %e, %person, "could not let the corrected INSZ go");
        }
    }

    /// The record of a dossier's own person follows a correction of their INSZ in the dossier.
    /// Best effort: the dossier holds the correction; a record left behind is logged.
    pub(crate) async fn follow_insz_correction(
        &self,
        person: PersonId,
        correction: &domain::dossier::CorrectInsz,
        ctx: &Context<'_>,
        write: &WriteContext,
    ) {
        let command = PersonCommand::CorrectInsz(persons::CorrectPersonInsz {
            corrected: correction.corrected.clone(),
            reason: correction.reason.clone(),
        });
        let step = WriteContext {
            reason: Some(correction.reason.clone()),
            ..write.next_step("correct the person's record")
        };
        match self.person(person).await {
            Ok((record, _)) if record.identity.is_none() => {}
            Ok(_) => {
                if let Err(e) = self
                    .execute_in::<PersonStream>(&person, &command, ctx, &step, None)
                    .await
                {
                    tracing::error!(error = %e, %person, "could not correct the INSZ in the person's record");
                }
            }
            Err(e) => {
                tracing::error!(error = %e, %person, "could not read the person's record");
            }
        }
    }

    /// Opens a dossier: registers its person (see [`Self::dossier_command`]) and, given their
    /// name, records who they are (a person the INSZ names already keeps their record). A name
    /// that is not well formed opens nothing.
    ///
    /// # Errors
    /// See [`ExecuteError`]: a refusal (`DUPLICATE_PERSON`, `PERSON_NAME_INVALID`, …),
    /// contention or a store failure.
    pub async fn open_dossier(
        &self,
        registration: &RegisterPerson,
        name: Option<(&str, &str)>,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<(Executed<Dossier>, Option<Identified>), CommandError> {
        if let Some((family_name, given_names)) = name {
            persons::well_formed_name(family_name, given_names).map_err(ExecuteError::Rejected)?;
        }
        let command = DossierCommand::RegisterPerson(registration.clone());
        let opened = self
            .dossier_command(
                registration.dossier,
                &command,
                actor,
                today,
                write,
                Some(None),
            )
            .await?;
        let (Some((family_name, given_names)), Some(person)) = (name, &opened.state.person) else {
            return Ok((opened, None));
        };
        let identify = IdentifyPerson {
            person: person.id,
            family_name: family_name.to_owned(),
            given_names: given_names.to_owned(),
            insz: Some(person.insz.clone()),
            birth_date: registration.birth_date,
            no_insz_reason: None,
            contact: persons::Contact::default(),
        };
        let step = write.next_step("identify the person");
        let identified = self.identify_person(&identify, actor, today, &step).await?;
        Ok((opened, Some(identified)))
    }

    /// A person's record and its version (`None`: nothing recorded for that id).
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn person(
        &self,
        person: PersonId,
    ) -> Result<(PersonRecord, Option<u64>), CommandError> {
        self.load::<PersonStream>(&person).await
    }

    /// Every person `command` names besides the dossier's own must be known: recorded, or
    /// named by the dossier already (a bare id from before person records). The dossier's
    /// decider cannot look into another stream, so the application layer looks.
    pub(crate) async fn require_known_persons(
        &self,
        dossier: &Dossier,
        command: &DossierCommand,
    ) -> Result<(), CommandError> {
        for person in command.persons_named() {
            if dossier.names_person(person) {
                continue;
            }
            let (record, _) = self.person(person).await?;
            if record.identity.is_none() {
                return Err(ExecuteError::Rejected(Reason::PersonUnknown.into()));
            }
        }
        Ok(())
    }
}
