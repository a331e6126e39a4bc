//! Users and their bearer tokens: the secret of a token is made here, shown once, and only its
//! SHA-256 is recorded.

use domain::access::{Access, AccessCommand, Role};
use domain::{Actor, TokenId, UserId};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::executor::{Decided, Executed, WriteContext};
use crate::models::access_stream;
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
        Ok(self
            .access_executor()
            .load(&access_stream())
            .await
            .map_err(crate::service::widen::<domain::Rejection>)?
            .0)
    }

    async fn access_command(
        &self,
        command: &AccessCommand,
        actor: Actor,
        write: &WriteContext,
    ) -> Result<Executed<Access>, CommandError> {
        self.access_executor()
            .execute(
                &access_stream(),
                None,
                write,
                |state| match domain::access::decide(command, state, actor) {
                    Ok(events) => Decided::Events(events),
                    Err(rejection) => Decided::Rejected(rejection),
                },
            )
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
