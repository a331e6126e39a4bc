//! Commands of the domain, run against the log: the one path every entry point (HTTP, CLI,
//! the daily job, the demo) takes, so each command meets the same rules and leaves the same
//! metadata.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::sync::Arc;

use chrono::NaiveDate;
use domain::dossier::{Dossier, DossierCommand};
use domain::person_index::PersonIndexCommand;
use domain::registry::{Registry, RegistryCommand};
use domain::rule_book::{PublishRuleParameter, RuleBook};
use domain::{Actor, Context, DossierId, Rejection};
use event_store::{EventStore, Position};
use uuid::Uuid;

use crate::executor::{Decided, ExecuteError, Executed, Executor, WriteContext};
use crate::models::{
    AccessModel, DossierModel, PersonIndexKeyModel, PersonIndexModel, RegistryModel, RuleBookModel,
    SignalTriageModel, dossier_of, dossier_stream, person_index_key_stream, person_index_stream,
    registry_stream, rule_book_stream,
};

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
    dossiers: Executor<DossierModel>,
    registry: Executor<RegistryModel>,
    rule_book: Executor<RuleBookModel>,
    person_index: Executor<PersonIndexModel>,
    person_index_key: Executor<PersonIndexKeyModel>,
    access: Executor<AccessModel>,
    signals: Executor<SignalTriageModel>,
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
    pub fn new(store: Arc<dyn EventStore>, cached_dossiers: usize) -> Self {
        Self {
            dossiers: Executor::new(store.clone(), cached_dossiers),
            registry: Executor::new(store.clone(), 4),
            rule_book: Executor::new(store.clone(), 4),
            person_index: Executor::new(store.clone(), cached_dossiers),
            person_index_key: Executor::new(store.clone(), 1),
            access: Executor::new(store.clone(), 1),
            signals: Executor::new(store.clone(), 1),
            store,
        }
    }

    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    pub(crate) fn access_executor(&self) -> &Executor<AccessModel> {
        &self.access
    }

    /// Publishes the initial rule book from the versioned seed file when the store has none.
    /// Safe to call on every start and from several processes at once.
    ///
    /// # Errors
    /// When the seed is invalid (a bug) or the store fails.
    pub async fn ensure_rule_book(&self, today: NaiveDate) -> Result<SeedOutcome, CommandError> {
        let (_, version) = self
            .rule_book
            .load(&rule_book_stream())
            .await
            .map_err(widen)?;
        if version.is_some() {
            return Ok(SeedOutcome::AlreadyPresent);
        }
        let events = domain::rule_book::seed_events()
            .map_err(|e| ExecuteError::Unencodable(format!("rule-book seed: {e}")))?;
        let versions = events.len();
        let context = WriteContext::system(format!("initial rule book (seed) on {today}"));
        match self
            .rule_book
            .execute(&rule_book_stream(), Some(None), &context, |_| {
                Decided::<_, Rejection>::Events(events.clone())
            })
            .await
        {
            Ok(_) => Ok(SeedOutcome::Seeded { versions }),
            // Another process seeded it between our look and our write.
            Err(ExecuteError::StaleVersion { .. }) => Ok(SeedOutcome::AlreadyPresent),
            Err(e) => Err(e),
        }
    }

    /// The rule book and the registry as they stand now.
    async fn context_states(&self) -> Result<(RuleBook, Registry), CommandError> {
        // Two independent streams: read side by side.
        let (rule_book_stream, registry_stream) = (rule_book_stream(), registry_stream());
        let (rule_book, registry) = tokio::join!(
            self.rule_book.load(&rule_book_stream),
            self.registry.load(&registry_stream)
        );
        Ok((rule_book.map_err(widen)?.0, registry.map_err(widen)?.0))
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
        self.decide_in_dossier(dossier, command, actor, today, write, if_match)
            .await
    }

    async fn decide_in_dossier(
        &self,
        dossier: DossierId,
        command: &DossierCommand,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
        if_match: Option<Option<u64>>,
    ) -> Result<Executed<Dossier>, CommandError> {
        let (rule_book, registry) = self.context_states().await?;
        let ctx = Context {
            today,
            actor,
            rule_book: &rule_book,
            registry: &registry,
        };
        self.dossiers
            .execute(&dossier_stream(dossier), if_match, write, |state| {
                decided(domain::dossier::decide(command, state, &ctx))
            })
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
        // A keyed retry of a registration that was recorded: its first answer, not a refusal of
        // the person as already registered.
        if let Some(first) = self
            .dossiers
            .recorded_by(&dossier_stream(dossier), write)
            .await
            .map_err(widen)?
        {
            return Ok(first);
        }
        let command = DossierCommand::RegisterPerson(registration.clone());
        let (rule_book, registry) = self.context_states().await?;
        let ctx = Context {
            today,
            actor,
            rule_book: &rule_book,
            registry: &registry,
        };
        let (current, _) = self.dossier(dossier).await?;
        if let Err(rejection) = domain::dossier::decide(&command, &current, &ctx) {
            return Err(ExecuteError::Rejected(rejection));
        }
        let index = person_index_stream(&self.person_index_key(today).await?, &registration.insz);
        let claim = PersonIndexCommand::Claim {
            dossier,
            person: registration.person,
        };
        self.person_index
            .execute(&index, None, write, |state| {
                decided(domain::person_index::decide(&claim, state, &ctx))
            })
            .await?;
        let registered = self
            .decide_in_dossier(dossier, &command, actor, today, write, if_match)
            .await;
        if let Err(refusal) = &registered {
            let reason = match refusal {
                ExecuteError::Rejected(r) => format!("registration refused: {}", r.code()),
                other => format!("registration failed: {other}"),
            };
            let release = PersonIndexCommand::Release { dossier, reason };
            if let Err(e) = self
                .person_index
                .execute(&index, None, write, |state| {
                    decided(domain::person_index::decide(&release, state, &ctx))
                })
                .await
            {
                tracing::error!(error = %e, %dossier, "could not release a person-index claim");
            }
        }
        registered
    }

    /// The installation's person-index key, created (once, by the system) on first use.
    async fn person_index_key(&self, today: NaiveDate) -> Result<Vec<u8>, CommandError> {
        let stream = person_index_key_stream();
        let (existing, _) = self.person_index_key.load(&stream).await.map_err(widen)?;
        let key_hex = match existing {
            Some(key) => key,
            None => {
                let fresh = hex::encode(rand::random::<[u8; 32]>());
                let write = WriteContext::system(format!("person-index key created on {today}"));
                let created = self
                    .person_index_key
                    .execute(&stream, None, &write, |state| {
                        decided(domain::person_index::create_key(
                            &fresh,
                            state.as_deref(),
                            Actor::System,
                        ))
                    })
                    .await?;
                created.state.ok_or_else(|| {
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
        let (rule_book, _) = self.context_states().await?;
        self.registry
            .execute(&registry_stream(), None, write, |state| {
                let ctx = Context {
                    today,
                    actor,
                    rule_book: &rule_book,
                    registry: state,
                };
                decided(domain::registry::decide(command, state, &ctx))
            })
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
        let (_, registry) = self.context_states().await?;
        self.rule_book
            .execute(&rule_book_stream(), None, write, |state| {
                let ctx = Context {
                    today,
                    actor,
                    rule_book: state,
                    registry: &registry,
                };
                decided(domain::rule_book::decide(command, state, &ctx))
            })
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
        self.signals
            .execute(&crate::models::signals_stream(), None, write, |state| {
                decided(domain::signals::decide(command, state, actor))
            })
            .await
            .map(|_| ())
    }

    /// A dossier's current state and version (`None`: no such dossier).
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn dossier(
        &self,
        dossier: DossierId,
    ) -> Result<(Dossier, Option<u64>), CommandError> {
        self.dossiers
            .load(&dossier_stream(dossier))
            .await
            .map_err(widen)
    }

    /// The current rule book.
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn rule_book(&self) -> Result<RuleBook, CommandError> {
        Ok(self.context_states().await?.0)
    }

    /// Every dossier in the log, in the order they were opened.
    ///
    /// # Errors
    /// When the store fails.
    pub async fn dossier_ids(&self) -> Result<Vec<DossierId>, CommandError> {
        let mut seen = BTreeSet::new();
        let mut ordered = Vec::new();
        let mut from = Position::START;
        loop {
            let page = self.store.read_all(from, 4096).await?;
            let Some(last) = page.last() else { break };
            from = last.position.next();
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
