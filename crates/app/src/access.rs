//! Users and their bearer tokens: the secret of a token is made here, shown once, and only its
//! SHA-256 is recorded.

use domain::access::{Access, AccessCommand, AccessStream, Role};
use domain::{Actor, TokenId, UserId};
use event_store::ReadPages;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::executor::{Executed, WriteContext};
use crate::service::{CommandError, Service};

/// A token as handed to its user: the secret is never shown again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub user: UserId,
    pub token: TokenId,
    /// 256 random bits as 64 hexadecimal digits.
    pub secret: String,
}

/// The SHA-256 of a presented secret, as the access stream records it.
pub fn secret_sha256(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

impl Service {
    /// The access stream as it stands now.
    ///
    /// # Errors
    /// When the store fails or an event cannot be read.
    pub async fn access(&self) -> Result<Access, CommandError> {
        Ok(self.load::<AccessStream>(&()).await?.0)
    }

    async fn access_command(
        &self,
        command: &AccessCommand,
        actor: Actor,
        write: &WriteContext,
    ) -> Result<Executed<Access>, CommandError> {
        // No access rule depends on the date; the decision is dated today.
        let today = chrono::Utc::now().date_naive();
        self.execute::<AccessStream>(&(), command, actor, today, write, None)
            .await
    }

    /// Adds a user with a role and issues their first token.
    ///
    /// # Errors
    /// A refusal (`USER_NAME_TAKEN`, `NOT_AUTHORISED`, …) or a store failure.
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        actor: Actor,
        write: &WriteContext,
    ) -> Result<IssuedToken, CommandError> {
        let user = UserId::from_uuid(Uuid::now_v7());
        self.access_command(
            &AccessCommand::AddUser {
                user,
                name: name.to_owned(),
                role,
            },
            actor,
            write,
        )
        .await?;
        self.issue_token(user, actor, write).await
    }

    /// Issues a new token to an existing user.
    ///
    /// # Errors
    /// A refusal (`UNKNOWN_USER`, `NOT_AUTHORISED`) or a store failure.
    pub async fn issue_token(
        &self,
        user: UserId,
        actor: Actor,
        write: &WriteContext,
    ) -> Result<IssuedToken, CommandError> {
        let secret = hex::encode(rand::random::<[u8; 32]>());
        let token = TokenId::from_uuid(Uuid::now_v7());
        let command = AccessCommand::IssueToken {
            token,
            user,
            secret_sha256: secret_sha256(&secret),
        };
        self.access_command(&command, actor, write).await?;
        Ok(IssuedToken {
            user,
            token,
            secret,
        })
    }

    /// Revokes a token, with a reason.
    ///
    /// # Errors
    /// A refusal (`UNKNOWN_TOKEN`, `REASON_REQUIRED`, `NOT_AUTHORISED`) or a store failure.
    pub async fn revoke_token(
        &self,
        token: TokenId,
        reason: &str,
        actor: Actor,
        write: &WriteContext,
    ) -> Result<(), CommandError> {
        let command = AccessCommand::RevokeToken {
            token,
            reason: reason.to_owned(),
        };
        self.access_command(&command, actor, write)
            .await
            .map(|_| ())
    }
}

/// An entry of the access log with when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    pub access: domain::access::DataAccessed,
}

impl Service {
    /// Records that someone read personal data, before it is handed out. A read that cannot be
    /// recorded must not be served.
    ///
    /// # Errors
    /// When the store fails.
    pub async fn record_access(
        &self,
        access: domain::access::DataAccessed,
        on: chrono::NaiveDate,
        write: &WriteContext,
    ) -> Result<(), CommandError> {
        let event = domain::event::Event::AccessLog(access.into());
        // Entries of a month need no order among themselves beyond the log's own.
        self.append_fact(&crate::models::access_log_stream(on), &event, write)
            .await
    }

    /// Records in the lineage stream that this log is a re-encrypting copy of another
    /// (`dossier store copy --seal`).
    ///
    /// # Errors
    /// A store failure.
    pub async fn record_lineage(
        &self,
        resealed: domain::lineage::LogResealed,
        write: &WriteContext,
    ) -> Result<(), CommandError> {
        let event = domain::event::Event::Lineage(resealed.into());
        let stream =
            event_store::StreamName::parse(domain::lineage::STREAM).expect("a valid stream name");
        self.append_fact(&stream, &event, write).await
    }

    /// Appends a fact no rule decides (a read, a copy) to `stream`, with `write`'s metadata.
    async fn append_fact(
        &self,
        stream: &event_store::StreamName,
        event: &domain::event::Event,
        write: &WriteContext,
    ) -> Result<(), CommandError> {
        let (event_type, schema_version, payload) =
            crate::models::encode(event).map_err(crate::ExecuteError::Unencodable)?;
        let metadata = event_store::EventMetadata {
            actor_id: write.actor_id.clone(),
            actor_role: write.actor_role.clone(),
            correlation_id: write.correlation_id,
            causation_id: write.causation_id,
            reason: write.reason.clone(),
            proposed: None,
        };
        let new = event_store::NewEvent::from_json_bytes(
            Uuid::now_v7(),
            event_type,
            schema_version,
            payload,
            &metadata,
        )
        .map_err(|e| crate::ExecuteError::Unencodable(e.0))?;
        self.store()
            .append(stream, event_store::ExpectedVersion::Any, &[new])
            .await?;
        Ok(())
    }

    /// The access log of the month `month` falls in, oldest first.
    ///
    /// # Errors
    /// When the store fails or an entry cannot be read.
    pub async fn access_log(
        &self,
        month: chrono::NaiveDate,
    ) -> Result<Vec<AccessEntry>, CommandError> {
        let stream = crate::models::access_log_stream(month);
        let mut entries = Vec::new();
        let mut pages = self.store().whole_stream(&stream);
        while let Some(page) = pages.next_page().await? {
            for e in &page {
                let access = e
                    .payload_as()
                    .map_err(|err| crate::ExecuteError::Undecodable {
                        stream: stream.clone(),
                        version: e.stream_version,
                        detail: err.to_string(),
                    })?;
                entries.push(AccessEntry {
                    recorded_at: e.recorded_at,
                    access,
                });
            }
        }
        Ok(entries)
    }
}
