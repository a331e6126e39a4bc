//! Two people for every weighty decision (`domain::four_eyes`): a proposal is recorded beside
//! its target, with what the decision would cause; a second user's confirmation decides it again
//! on the target as it then stands and records it through the same typed path as any command,
//! told that it is confirmed. The domain refuses a weighty decision given any other way.

use chrono::NaiveDate;
use domain::access::{AccessCommand, AccessStream};
use domain::dossier::{DossierCommand, DossierStream};
use domain::four_eyes::{self, Proposal, ProposalCommand, Proposals, ProposalsStream};
use domain::persons::{PersonCommand, PersonStream};
use domain::registry::RegistryStream;
use domain::rule_book::RuleBookStream;
use domain::{Actor, Context, Decider, DossierId, PersonId, ProposalId, Reason};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::executor::{ExecuteError, WriteContext};
use crate::models::{Runnable, stream_of};
use crate::service::{CommandError, Service, widen};

/// What a proposal is about: a stream of a kind weighty decisions are given to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalTarget {
    Dossier(DossierId),
    Person(PersonId),
    Registry,
    RuleBook,
    Access,
}

impl ProposalTarget {
    /// The target by its stream's name, as a proposal names it.
    pub fn parse(stream: &str) -> Option<Self> {
        if let Some(dossier) = domain::dossier::dossier_of_stream(stream) {
            return Some(Self::Dossier(dossier));
        }
        if let Some(person) = stream.strip_prefix(domain::persons::STREAM_PREFIX) {
            return PersonId::parse(person).ok().map(Self::Person);
        }
        [Self::Registry, Self::RuleBook, Self::Access]
            .into_iter()
            .find(|t| t.stream() == stream)
    }

    /// The target stream's name.
    pub fn stream(&self) -> String {
        match self {
            Self::Dossier(id) => DossierStream::stream(id),
            Self::Person(id) => PersonStream::stream(id),
            Self::Registry => RegistryStream::stream(&()),
            Self::RuleBook => RuleBookStream::stream(&()),
            Self::Access => AccessStream::stream(&()),
        }
    }
}

/// A proposal as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposed {
    pub proposal: ProposalId,
    /// The target stream's name.
    pub target: String,
    /// The weighty decision proposed.
    pub decision: &'static four_eyes::WeightyDecision,
    /// The events the decision would cause now, each `{"type", "payload"}`.
    pub preview: Vec<Value>,
}

/// What a confirmation recorded in the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalDecided {
    pub proposal: ProposalId,
    pub target: String,
    /// The target's version after the decision.
    pub target_version: Option<u64>,
    /// The target's events the decision recorded (none when it changed nothing).
    pub event_ids: Vec<Uuid>,
    /// For a user added: their first token, shown once, to the one who confirmed.
    pub issued: Option<crate::IssuedToken>,
}

/// The namespace of a confirmation's correlation id (a fixed random UUID): derived from the
/// proposal, so a retry of a confirmation after a stop finds what the first try recorded.
const CONFIRMATION_NAMESPACE: Uuid = Uuid::from_u128(0x2f0c_83d4_5a61_4e7b_b1c9_7e35_d04a_96f2);

/// The events as a proposal shows them: `{"type", "payload"}` each.
fn preview_of<D: Runnable>(events: &[D::Event]) -> Result<Vec<Value>, CommandError> {
    events
        .iter()
        .map(|event| {
            let event: domain::Event = event.clone().into();
            let stored = event
                .to_stored()
                .map_err(|e| ExecuteError::Unencodable(e.to_string()))?;
            Ok(json!({"type": stored.event_type, "payload": stored.payload}))
        })
        .collect()
}

/// The proposed command as the target's command type.
fn decoded<C: DeserializeOwned>(proposal: &Proposal) -> Result<C, CommandError> {
    serde_json::from_value(proposal.command.clone()).map_err(|e| {
        ExecuteError::Unencodable(format!(
            "proposal {} holds no readable command: {e}",
            proposal.id
        ))
    })
}

impl Service {
    /// Records `command`, a weighty decision about the stream `id` names, as a proposal for a
    /// second user to confirm: decided first on the stream as it stands (a command the rules
    /// refuse now is refused now, and nothing is recorded), then recorded with the version and
    /// the events it would cause.
    ///
    /// # Errors
    /// The rules' refusal, `REASON_REQUIRED`, `NOT_A_WEIGHTY_DECISION`, `NOT_AUTHORISED` (not
    /// the role that proposes it), or a store failure.
    pub async fn propose<D: Runnable>(
        &self,
        id: &D::Id,
        command: &D::Command,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<Proposed, CommandError>
    where
        D::Command: Serialize,
    {
        let target = D::stream(id);
        let proposed = serde_json::to_value(command)
            .map_err(|e| ExecuteError::Unencodable(format!("command does not serialise: {e}")))?;
        let decision = four_eyes::decision_in(D::KIND, &proposed)
            .ok_or(ExecuteError::Rejected(Reason::NotAWeightyDecision.into()))?;
        let (state, version) = self.load::<D>(id).await?;
        let (rule_book, registry) = self.context_states().await?;
        let ctx = Context::new(today, actor, &rule_book, &registry);
        let events =
            D::decide_as_proposed(command, &state, &ctx).map_err(ExecuteError::Rejected)?;
        let preview = preview_of::<D>(&events)?;
        let proposal = ProposalId::from_uuid(write.new_id("proposal"));
        let propose = ProposalCommand::Propose {
            proposal,
            kind: D::KIND.to_owned(),
            proposed,
            target_version: version,
            preview: preview.clone(),
        };
        self.execute_in::<ProposalsStream>(&target, &propose, &ctx, write, None)
            .await?;
        Ok(Proposed {
            proposal,
            target,
            decision,
            preview,
        })
    }

    /// The proposals about the stream `target` names.
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn proposals(&self, target: &str) -> Result<Proposals, CommandError> {
        Ok(self.load::<ProposalsStream>(&target.to_owned()).await?.0)
    }

    /// Confirms another user's proposal: its command is decided again on the target as it
    /// stands, dated `today`, and recorded with metadata naming both users; then the
    /// confirmation is recorded in the proposals stream.
    ///
    /// # Errors
    /// `UNKNOWN_PROPOSAL`, `PROPOSAL_CLOSED`, `FOUR_EYES_SAME_USER`, `NOT_AUTHORISED`,
    /// `PROPOSAL_STALE`, the rules' refusal of the command now, or a store failure.
    pub async fn confirm_proposal(
        &self,
        target: &str,
        proposal: ProposalId,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<ProposalDecided, CommandError> {
        let kind = ProposalTarget::parse(target)
            .ok_or(ExecuteError::Rejected(Reason::UnknownProposal.into()))?;
        let proposals = self.proposals(target).await?;
        let open = proposals
            .open_one(proposal)
            .map_err(ExecuteError::Rejected)?
            .clone();
        four_eyes::confirmable(&open, actor).map_err(ExecuteError::Rejected)?;
        let step = WriteContext {
            correlation_id: Uuid::new_v5(&CONFIRMATION_NAMESPACE, open.id.as_uuid().as_bytes()),
            causation_id: Some(write.correlation_id),
            confirmation: Some(open.confirmation()),
            ..write.clone()
        };
        let (target_version, event_ids) = match kind {
            ProposalTarget::Dossier(dossier) => {
                let command: DossierCommand = decoded(&open)?;
                let if_match = self
                    .fresh::<DossierStream>(&dossier, &command, &open, actor, today, &step)
                    .await?;
                let done = self
                    .dossier_command(dossier, &command, actor, today, &step, if_match)
                    .await
                    .map_err(stale)?;
                (done.version, done.event_ids)
            }
            ProposalTarget::Person(person) => {
                let command: PersonCommand = decoded(&open)?;
                self.fresh::<PersonStream>(&person, &command, &open, actor, today, &step)
                    .await?;
                let done = self
                    .person_command(person, &command, actor, today, &step)
                    .await?;
                (done.version, done.event_ids)
            }
            ProposalTarget::Registry => {
                self.confirm_in::<RegistryStream>(&(), &open, actor, today, &step)
                    .await?
            }
            ProposalTarget::RuleBook => {
                self.confirm_in::<RuleBookStream>(&(), &open, actor, today, &step)
                    .await?
            }
            ProposalTarget::Access => {
                self.confirm_in::<AccessStream>(&(), &open, actor, today, &step)
                    .await?
            }
        };
        // A user added gets their first token, handed over by the one who confirmed.
        let issued = match decoded::<AccessCommand>(&open) {
            Ok(AccessCommand::AddUser { user, .. }) if kind == ProposalTarget::Access => Some(
                self.issue_token(user, actor, &step.next_step("first token"))
                    .await?,
            ),
            _ => None,
        };
        let confirm = ProposalCommand::ConfirmProposal {
            proposal,
            target_version,
        };
        let recorded = WriteContext {
            confirmation: None,
            ..step.next_step("proposal confirmed")
        };
        self.execute::<ProposalsStream>(
            &target.to_owned(),
            &confirm,
            actor,
            today,
            &recorded,
            None,
        )
        .await?;
        Ok(ProposalDecided {
            proposal,
            target: target.to_owned(),
            target_version,
            event_ids,
            issued,
        })
    }

    /// Refuses another user's proposal, with a reason: nothing of it is decided.
    ///
    /// # Errors
    /// `UNKNOWN_PROPOSAL`, `PROPOSAL_CLOSED`, `FOUR_EYES_SAME_USER`, `NOT_AUTHORISED`,
    /// `REASON_REQUIRED`, or a store failure.
    pub async fn refuse_proposal(
        &self,
        target: &str,
        proposal: ProposalId,
        reason: &str,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<(), CommandError> {
        let refuse = ProposalCommand::RefuseProposal {
            proposal,
            reason: reason.to_owned(),
        };
        self.execute::<ProposalsStream>(&target.to_owned(), &refuse, actor, today, write, None)
            .await
            .map(|_| ())
    }

    /// The proposer takes their proposal back.
    ///
    /// # Errors
    /// `UNKNOWN_PROPOSAL`, `PROPOSAL_CLOSED`, `NOT_AUTHORISED` (another user's), or a store
    /// failure.
    pub async fn withdraw_proposal(
        &self,
        target: &str,
        proposal: ProposalId,
        reason: Option<String>,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<(), CommandError> {
        let withdraw = ProposalCommand::WithdrawProposal { proposal, reason };
        self.execute::<ProposalsStream>(&target.to_owned(), &withdraw, actor, today, write, None)
            .await
            .map(|_| ())
    }

    /// The confirmation of a proposal about a stream with no process of its own: checked fresh,
    /// then decided with the version it was checked on.
    async fn confirm_in<D: Runnable>(
        &self,
        id: &D::Id,
        open: &Proposal,
        actor: Actor,
        today: NaiveDate,
        step: &WriteContext,
    ) -> Result<(Option<u64>, Vec<Uuid>), CommandError>
    where
        D::Command: DeserializeOwned,
    {
        let command: D::Command = decoded(open)?;
        let if_match = self
            .fresh::<D>(id, &command, open, actor, today, step)
            .await?;
        let done = self
            .execute::<D>(id, &command, actor, today, step, if_match)
            .await
            .map_err(stale)?;
        Ok((done.version, done.event_ids))
    }

    /// Whether `open` may still be decided on the target as it stands: when the target changed
    /// since the proposal, the decision must come out as the proposer saw it
    /// (`PROPOSAL_STALE` otherwise). Answers the version the check was made on, to decide
    /// with (`None`: a retry, whose first try recorded the decision already).
    async fn fresh<D: Runnable>(
        &self,
        id: &D::Id,
        command: &D::Command,
        open: &Proposal,
        actor: Actor,
        today: NaiveDate,
        step: &WriteContext,
    ) -> Result<Option<Option<u64>>, CommandError> {
        let executor = self.executor::<D>();
        if executor
            .recorded_by(&stream_of::<D>(id), step)
            .await
            .map_err(widen)?
            .is_some()
        {
            return Ok(None);
        }
        let (state, version) = self.load::<D>(id).await?;
        if version != open.target_version {
            let (rule_book, registry) = self.context_states().await?;
            let ctx = Context::new(today, actor, &rule_book, &registry);
            let events =
                D::decide_as_proposed(command, &state, &ctx).map_err(ExecuteError::Rejected)?;
            four_eyes::still_as_proposed(open, version, &preview_of::<D>(&events)?)
                .map_err(ExecuteError::Rejected)?;
        }
        Ok(Some(version))
    }
}

/// A target that changed between the check and the decision: the proposal is stale as far as
/// this confirmation can tell (a second try checks again).
fn stale(e: CommandError) -> CommandError {
    match e {
        ExecuteError::StaleVersion { .. } => ExecuteError::Rejected(Reason::ProposalStale.into()),
        other => other,
    }
}
