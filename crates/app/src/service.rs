//! Commands of the domain, run against the log: the one path every entry point (HTTP, CLI,
//! the daily job, the demo) takes, so each command meets the same rules and leaves the same
//! metadata.

use std::any::{Any, TypeId};
use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::sync::{Arc, PoisonError};

use chrono::NaiveDate;
use domain::dossier::{Dossier, DossierCommand, DossierStream};
use domain::person_index::{CreateIndexKey, IndexKeyStream, PersonIndexCommand, PersonIndexStream};
use domain::registry::{Registry, RegistryCommand, RegistryStream};
use domain::rule_book::{PublishRuleParameter, RuleBook, RuleBookEvent, RuleBookStream};
use domain::signals::SignalsStream;
use domain::{Actor, Context, Decider, DossierId, Rejection};
use event_store::{EventStore, Position, ReadPages};
use uuid::Uuid;

use crate::executor::{Decided, ExecuteError, Executed, Executor, WriteContext};
use crate::models::{Kind, Runnable, dossier_of, person_index_id, stream_of};

/// Why a domain command did not complete (a refusal carries the domain's code and rule).
pub type CommandError = ExecuteError<Rejection>;

/// What seeding the rule book did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The store was empty of rules: the seed's versions were published.
    Seeded { versions: usize },
    /// The rule book already had versions: nothing was written.
    AlreadyPresent,
}

/// What one run of the daily job did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    pub dossiers: usize,
    pub commands: usize,
    /// Commands that were due when computed but refused when decided (e.g. another run got
    /// there first): harmless, reported for the log.
    pub refused: Vec<(DossierId, String)>,
}

/// The commands of the domain against one event store.
pub struct Service {
    store: Arc<dyn EventStore>,
    executors: Executors,
}

/// One executor (with its cache of folded streams) per kind of stream, made on first use.
struct Executors {
    store: Arc<dyn EventStore>,
    /// How many streams of one kind keep their folded state in memory.
    capacity: usize,
    by_kind: std::sync::Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Executors {
    fn of<D: Runnable>(&self) -> Arc<Executor<Kind<D>>> {
        let mut by_kind = self.by_kind.lock().unwrap_or_else(PoisonError::into_inner);
        let executor = by_kind.entry(TypeId::of::<D>()).or_insert_with(|| {
            Arc::new(Executor::<Kind<D>>::new(self.store.clone(), self.capacity))
        });
        Arc::clone(executor)
            .downcast()
            .expect("the executor of a kind is made for that kind")
    }
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("store", &self.store.describe())
            .finish_non_exhaustive()
    }
}

/// Widens an error that cannot be a refusal into one for any refusal type.
pub(crate) fn widen<R>(e: ExecuteError<Infallible>) -> ExecuteError<R> {
    e.cast()
}

fn decided<E>(result: Result<Vec<E>, Rejection>) -> Decided<E, Rejection> {
    match result {
        Ok(events) => Decided::Events(events),
        Err(rejection) => Decided::Rejected(rejection),
    }
}

impl Service {
    /// `cached_dossiers` bounds how many dossier states are kept in memory.
    /// `cached_dossiers` bounds how many dossier states (and, alike, person-index states) are
    /// kept in memory; kinds with one stream keep just that one.
    pub fn new(store: Arc<dyn EventStore>, cached_dossiers: usize) -> Self {
        Self {
            executors: Executors {
                store: store.clone(),
                capacity: cached_dossiers,
                by_kind: std::sync::Mutex::default(),
            },
            store,
        }
    }

    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    /// Decides `command` in the stream `id` names, with the rule book and the registry as they
    /// stand, and records its events: the one path of every command of every kind of stream.
    /// `required` is the version the caller last saw (`If-Match`), if any.
    pub(crate) async fn execute<D: Runnable>(
        &self,
        id: &D::Id,
        command: &D::Command,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
        required: Option<Option<u64>>,
    ) -> Result<Executed<D::State>, CommandError> {
        let (rule_book, registry) = self.context_states().await?;
        let ctx = Context::new(today, actor, &rule_book, &registry);
        self.execute_in::<D>(id, command, &ctx, write, required)
            .await
    }

    /// [`Self::execute`] with a context already loaded (a process of several commands decides
    /// them all against one rule book and registry).
    pub(crate) async fn execute_in<D: Runnable>(
        &self,
        id: &D::Id,
        command: &D::Command,
        ctx: &Context<'_>,
        write: &WriteContext,
        required: Option<Option<u64>>,
    ) -> Result<Executed<D::State>, CommandError> {
        let write = write.with_reason_of::<D>(command);
        let ctx = &ctx.confirmed(write.confirmation);
        self.executors
            .of::<D>()
            .execute(&stream_of::<D>(id), required, &write, |state| {
                decided(D::decide_checked(command, state, ctx))
            })
            .await
    }

    /// The executor of the kind `D` (with its cache).
    pub(crate) fn executor<D: Runnable>(&self) -> Arc<Executor<Kind<D>>> {
        self.executors.of::<D>()
    }

    /// The current state and version of the stream `id` names (`None`: no such stream yet).
    pub(crate) async fn load<D: Runnable>(
        &self,
        id: &D::Id,
    ) -> Result<(D::State, Option<u64>), CommandError> {
        self.executors
            .of::<D>()
            .load(&stream_of::<D>(id))
            .await
            .map_err(widen)
    }

    /// Publishes what the shipped seed files add to the rule book: on an empty store all of
    /// the first, later the entries of a newer file it does not hold yet. Recorded as a
    /// migration (the seed is reviewed as code, not decided by a person). Safe to call on every
    /// start and from several processes at once.
    ///
    /// # Errors
    /// When the seed is invalid (a bug) or the store fails.
    pub async fn ensure_rule_book(&self, today: NaiveDate) -> Result<SeedOutcome, CommandError> {
        let (book, version) = self.load::<RuleBookStream>(&()).await?;
        let events: Vec<RuleBookEvent> =
            domain::rule_book::seed_events_for(&book, domain::rule_book::SEEDS)
                .map_err(|e| ExecuteError::Unencodable(format!("rule-book seed: {e}")))?
                .into_iter()
                .map(RuleBookEvent::from)
                .collect();
        if events.is_empty() {
            return Ok(SeedOutcome::AlreadyPresent);
        }
        let versions = events.len();
        let seeds: BTreeSet<String> = events
            .iter()
            .filter_map(|RuleBookEvent::RuleParameterPublished(e)| e.seed.clone())
            .collect();
        let context = WriteContext::of(
            Actor::Migration,
            Uuid::now_v7(),
            Some(format!(
                "rule-book seed {} applied at start on {today}",
                seeds.into_iter().collect::<Vec<_>>().join(", ")
            )),
        );
        match self
            .executors
            .of::<RuleBookStream>()
            .execute(
                &stream_of::<RuleBookStream>(&()),
                Some(version),
                &context,
                |_| Decided::<_, Rejection>::Events(events.clone()),
            )
            .await
        {
            Ok(_) => Ok(SeedOutcome::Seeded { versions }),
            // Another process applied it between our look and our write.
            Err(ExecuteError::StaleVersion { .. }) => Ok(SeedOutcome::AlreadyPresent),
            Err(e) => Err(e),
        }
    }

    /// The rule book and the registry as they stand now.
    pub(crate) async fn context_states(&self) -> Result<(RuleBook, Registry), CommandError> {
        // Two independent streams: read side by side.
        let (rule_book, registry) = tokio::join!(
            self.load::<RuleBookStream>(&()),
            self.load::<RegistryStream>(&())
        );
        Ok((rule_book?.0, registry?.0))
    }

    /// Decides a dossier command and records its events.
    ///
    /// # Errors
    /// See [`ExecuteError`]: a refusal, a stale `if_match`, contention or a store failure.
    pub async fn dossier_command(
        &self,
        dossier: DossierId,
        command: &DossierCommand,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
        if_match: Option<Option<u64>>,
    ) -> Result<Executed<Dossier>, CommandError> {
        if let DossierCommand::RegisterPerson(registration) = command {
            return self
                .register_person(dossier, registration, actor, today, write, if_match)
                .await;
        }
        if let DossierCommand::CorrectInsz(correction) = command {
            return self
                .correct_insz(dossier, correction, actor, today, write, if_match)
                .await;
        }
        if !command.persons_named().is_empty() {
            let (current, _) = self.dossier(dossier).await?;
            self.require_known_persons(&current, command).await?;
        }
        let done = self
            .execute::<DossierStream>(&dossier, command, actor, today, write, if_match)
            .await?;
        // A voided dossier, and an erased one, no longer holds its person's INSZ: a new
        // dossier can be opened for it (after an erasure, when the person applies again).
        let released = match command {
            DossierCommand::VoidDossier(void) => Some(format!("dossier voided: {}", void.reason)),
            DossierCommand::EraseDossierData(_) => Some("dossier's personal data erased".into()),
            _ => None,
        };
        if let Some(why) = released {
            self.release_person(dossier, &done.state, why, actor, today, write)
                .await;
        }
        Ok(done)
    }

    /// Corrects a mistyped INSZ and re-keys the person index: the dossier's own rules first
    /// (nothing is claimed for a refused correction), then the corrected INSZ's index stream is
    /// claimed (`DUPLICATE_PERSON` when another dossier holds it), then the correction is
    /// recorded, then the old INSZ's claim is released. A correction refused at the last step
    /// gives the new claim back.
    async fn correct_insz(
        &self,
        dossier: DossierId,
        correction: &domain::dossier::CorrectInsz,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
        if_match: Option<Option<u64>>,
    ) -> Result<Executed<Dossier>, CommandError> {
        let command = DossierCommand::CorrectInsz(correction.clone());
        let (current, rule_book, registry) = match self
            .precheck(dossier, &command, actor, today, write)
            .await?
        {
            Prechecked::Recorded(first) => return Ok(first),
            Prechecked::Accepted(states) => states,
        };
        let ctx = Context::new(today, actor, &rule_book, &registry);
        let Some(person) = current.person.as_ref() else {
            return Err(ExecuteError::Rejected(
                domain::Reason::DossierNotOpened.into(),
            ));
        };
        let key = self.person_index_key(today).await?;
        let (old_index, new_index) = (
            person_index_id(&key, &person.insz),
            person_index_id(&key, &correction.corrected),
        );
        let claim = PersonIndexCommand::Claim {
            dossier,
            person: person.id,
        };
        self.execute_in::<PersonIndexStream>(&new_index, &claim, &ctx, write, None)
            .await?;
        let corrected = self
            .execute_in::<DossierStream>(&dossier, &command, &ctx, write, if_match)
            .await;
        match &corrected {
            Ok(_) => {
                self.release_claim(&old_index, dossier, "INSZ corrected".into(), &ctx, write)
                    .await;
                self.unindex(&old_index, person.id, &ctx, write).await;
                self.follow_insz_correction(person.id, correction, &ctx, write)
                    .await;
            }
            Err(refusal) => {
                let reason = format!("INSZ correction not recorded: {refusal}");
                self.release_claim(&new_index, dossier, reason, &ctx, write)
                    .await;
            }
        }
        corrected
    }

    /// A voided or erased dossier gives up its person's index claim, so the INSZ can be
    /// registered in another dossier. The void or erasure is recorded whatever happens here; a
    /// release that fails is logged (the claim then still names the dossier).
    async fn release_person(
        &self,
        dossier: DossierId,
        state: &Dossier,
        reason: String,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) {
        let Some(person) = &state.person else {
            return;
        };
        let states = async {
            let key = self.person_index_key(today).await?;
            let (rule_book, registry) = self.context_states().await?;
            Ok::<_, CommandError>((key, rule_book, registry))
        };
        let (key, rule_book, registry) = match states.await {
            Ok(states) => states,
            Err(e) => {
                tracing::error!(error = %e, %dossier, "could not release the person-index claim of a voided or erased dossier");
                return;
            }
        };
        let ctx = Context::new(today, actor, &rule_book, &registry);
        let index = person_index_id(&key, &person.insz);
        self.release_claim(&index, dossier, reason, &ctx, write)
            .await;
    }

    /// For a command that also writes the person index: a keyed retry's first answer, or the
    /// dossier's state and the context states once the dossier's own rules accept the command
    /// (nothing is claimed for a refused one).
    async fn precheck(
        &self,
        dossier: DossierId,
        command: &DossierCommand,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Prechecked, CommandError> {
        // A keyed retry of a command that was recorded: its first answer, not a refusal of
        // what it already did (the person as already registered).
        if let Some(first) = self
            .executors
            .of::<DossierStream>()
            .recorded_by(&stream_of::<DossierStream>(&dossier), write)
            .await
            .map_err(widen)?
        {
            return Ok(Prechecked::Recorded(first));
        }
        let (rule_book, registry) = self.context_states().await?;
        let (current, _) = self.dossier(dossier).await?;
        let ctx = Context::new(today, actor, &rule_book, &registry).confirmed(write.confirmation);
        DossierStream::decide_checked(command, &current, &ctx).map_err(ExecuteError::Rejected)?;
        Ok(Prechecked::Accepted((current, rule_book, registry)))
    }

    /// Gives up `dossier`'s claim on the person-index stream `index`. Best effort: what the
    /// request asked of the dossier is decided already; a release that fails is logged. It is
    /// written as the request's next step, so a keyed request's release is never taken for a
    /// retry of its claim on the same stream.
    async fn release_claim(
        &self,
        index: &String,
        dossier: DossierId,
        reason: String,
        ctx: &Context<'_>,
        write: &WriteContext,
    ) {
        let release = PersonIndexCommand::Release { dossier, reason };
        let step = write.next_step("release person-index claim");
        if let Err(e) = self
            .execute_in::<PersonIndexStream>(index, &release, ctx, &step, None)
            .await
        {
            tracing::error!(error = %e, %dossier, "could not release a person-index claim");
        }
    }

    /// Records facts of `dossier` taken over from `source`, a system before Dossier, as the
    /// migration actor: the one path by which history that was not decided here enters the log
    /// (see `domain::dossier::MigrateHistory`). The metadata names the source as the reason.
    ///
    /// # Errors
    /// See [`ExecuteError`]: a refusal (no such dossier, no facts, a registration among them),
    /// contention or a store failure.
    pub async fn migrate(
        &self,
        dossier: DossierId,
        source: &str,
        facts: Vec<domain::dossier::DossierEvent>,
        today: NaiveDate,
        correlation_id: Uuid,
    ) -> Result<Executed<Dossier>, CommandError> {
        // The metadata's reason is the source, as the command states it.
        let write = WriteContext::of(Actor::Migration, correlation_id, None);
        let command = DossierCommand::MigrateHistory(domain::dossier::MigrateHistory {
            source: source.to_owned(),
            facts,
        });
        self.execute::<DossierStream>(&dossier, &command, Actor::Migration, today, &write, None)
            .await
    }

    /// Registers a person in a dossier, and in the person index so that no other dossier can
    /// register the same INSZ: the dossier's own rules are checked first (nothing is claimed
    /// for a refused registration), then the person's index stream is claimed, then the person
    /// is recorded in the dossier; if that last step is refused after all, the claim is
    /// released with the refusal's code as reason.
    async fn register_person(
        &self,
        dossier: DossierId,
        registration: &domain::dossier::RegisterPerson,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
        if_match: Option<Option<u64>>,
    ) -> Result<Executed<Dossier>, CommandError> {
        let command = DossierCommand::RegisterPerson(registration.clone());
        let (_, rule_book, registry) = match self
            .precheck(dossier, &command, actor, today, write)
            .await?
        {
            Prechecked::Recorded(first) => return Ok(first),
            Prechecked::Accepted(states) => states,
        };
        let ctx = Context::new(today, actor, &rule_book, &registry);
        let index = person_index_id(&self.person_index_key(today).await?, &registration.insz);
        // A person the INSZ already names (a parent now applying themselves) keeps their id.
        let (indexed, _) = self.load::<PersonIndexStream>(&index).await?;
        let registration = domain::dossier::RegisterPerson {
            person: indexed.person.unwrap_or(registration.person),
            ..registration.clone()
        };
        let command = DossierCommand::RegisterPerson(registration.clone());
        let claim = PersonIndexCommand::Claim {
            dossier,
            person: registration.person,
        };
        self.execute_in::<PersonIndexStream>(&index, &claim, &ctx, write, None)
            .await?;
        let registered = self
            .execute_in::<DossierStream>(&dossier, &command, &ctx, write, if_match)
            .await;
        if let Err(refusal) = &registered {
            let reason = match refusal {
                ExecuteError::Rejected(r) => format!("registration refused: {}", r.code()),
                other => format!("registration failed: {other}"),
            };
            self.release_claim(&index, dossier, reason, &ctx, write)
                .await;
        }
        registered
    }

    /// The installation's person-index key, created (once, by the system) on first use.
    pub(crate) async fn person_index_key(&self, today: NaiveDate) -> Result<Vec<u8>, CommandError> {
        let (existing, _) = self.load::<IndexKeyStream>(&()).await?;
        let key_hex = match existing.key_hex {
            Some(key) => key,
            None => {
                let create = CreateIndexKey {
                    key_hex: hex::encode(rand::random::<[u8; 32]>()),
                };
                let write = WriteContext::system(format!("person-index key created on {today}"));
                let created = self
                    .execute::<IndexKeyStream>(&(), &create, Actor::System, today, &write, None)
                    .await?;
                created.state.key_hex.ok_or_else(|| {
                    ExecuteError::Unencodable("person-index key missing after creation".into())
                })?
            }
        };
        hex::decode(&key_hex)
            .map_err(|e| ExecuteError::Unencodable(format!("person-index key is not hex: {e}")))
    }

    /// Decides a registry command (organisation licences) and records its events.
    ///
    /// # Errors
    /// See [`ExecuteError`].
    pub async fn registry_command(
        &self,
        command: &RegistryCommand,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Executed<Registry>, CommandError> {
        self.execute::<RegistryStream>(&(), command, actor, today, write, None)
            .await
    }

    /// Publishes a new version of a rule parameter.
    ///
    /// # Errors
    /// See [`ExecuteError`].
    pub async fn publish_rule(
        &self,
        command: &PublishRuleParameter,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Executed<RuleBook>, CommandError> {
        self.execute::<RuleBookStream>(&(), command, actor, today, write, None)
            .await
    }

    /// An investigator dismisses or escalates a fraud signal.
    ///
    /// # Errors
    /// See [`ExecuteError`]: `NOT_AUTHORISED`, `REASON_REQUIRED`, `INVALID_INPUT`, or a store
    /// failure.
    pub async fn triage_signal(
        &self,
        command: &domain::signals::SignalTriageCommand,
        actor: Actor,
        write: &WriteContext,
    ) -> Result<(), CommandError> {
        let today = chrono::Utc::now().date_naive();
        self.execute::<SignalsStream>(&(), command, actor, today, write, None)
            .await
            .map(|_| ())
    }

    /// A user takes or releases an item of a work queue (`domain::work`). Whether the item is in
    /// its queue is for the caller to check, on the read models.
    ///
    /// # Errors
    /// `NOT_AUTHORISED`, `INVALID_INPUT`, `WORK_ITEM_TAKEN`, `WORK_ITEM_NOT_YOURS`, or a store
    /// failure.
    pub async fn work_item(
        &self,
        command: &domain::work::WorkCommand,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Vec<Uuid>, CommandError> {
        let queue = match command {
            domain::work::WorkCommand::Take { queue, .. }
            | domain::work::WorkCommand::Release { queue, .. } => *queue,
        };
        self.execute::<domain::work::WorkStream>(&queue, command, actor, today, write, None)
            .await
            .map(|executed| executed.event_ids)
    }

    /// A dossier's current state and version (`None`: no such dossier).
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn dossier(
        &self,
        dossier: DossierId,
    ) -> Result<(Dossier, Option<u64>), CommandError> {
        self.load::<DossierStream>(&dossier).await
    }

    /// The current rule book.
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn rule_book(&self) -> Result<RuleBook, CommandError> {
        Ok(self.context_states().await?.0)
    }

    /// The registry of licensed organisations as it stands.
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn registry(&self) -> Result<Registry, CommandError> {
        Ok(self.context_states().await?.1)
    }

    /// Every dossier in the log, in the order they were opened.
    ///
    /// # Errors
    /// When the store fails.
    pub async fn dossier_ids(&self) -> Result<Vec<DossierId>, CommandError> {
        let mut seen = BTreeSet::new();
        let mut ordered = Vec::new();
        // Only stream names and versions are needed: read the log as stored, not opened.
        let stored = self.store.as_stored().unwrap_or(self.store.as_ref());
        let mut pages = stored.log_pages(Position::START, 4096);
        while let Some(page) = pages.next_page().await? {
            for event in &page {
                if event.stream_version == 0
                    && let Some(id) = dossier_of(&event.stream)
                    && seen.insert(id)
                {
                    ordered.push(id);
                }
            }
        }
        Ok(ordered)
    }

    /// The daily job: for every dossier, the commands due on `today` (an 18th birthday, a
    /// start deadline passed, a waardebon expired, a new rate taking effect), issued by the
    /// `system` actor. Idempotent per date: a second run finds nothing due.
    ///
    /// # Errors
    /// When the store fails; commands already issued stay issued, and a re-run continues.
    pub async fn tick(
        &self,
        today: NaiveDate,
        mut progress: impl FnMut(usize, usize) + Send,
    ) -> Result<TickReport, CommandError> {
        let ids = self.dossier_ids().await?;
        let correlation = Uuid::now_v7();
        let mut report = TickReport {
            dossiers: ids.len(),
            ..TickReport::default()
        };
        for (i, id) in ids.iter().enumerate() {
            let (state, _) = self.dossier(*id).await?;
            let rule_book = self.rule_book().await?;
            for command in domain::dossier::due_on(today, &state, &rule_book) {
                let write = WriteContext {
                    correlation_id: correlation,
                    ..WriteContext::system(format!("daily job for {today}"))
                };
                match self
                    .dossier_command(*id, &command, Actor::System, today, &write, None)
                    .await
                {
                    Ok(_) => report.commands += 1,
                    Err(ExecuteError::Rejected(r)) => {
                        report.refused.push((*id, r.code().to_owned()))
                    }
                    Err(e) => return Err(e),
                }
            }
            progress(i + 1, ids.len());
        }
        Ok(report)
    }
}

/// What [`Service::precheck`] found.
enum Prechecked {
    /// A keyed retry of a command that was recorded: its first answer.
    Recorded(Executed<Dossier>),
    /// The dossier's own rules accept the command: the dossier's state, the rule book and the
    /// registry it was decided with.
    Accepted((Dossier, RuleBook, Registry)),
}
