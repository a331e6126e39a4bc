//! `dossier user`: users and their bearer tokens, managed by the operator at the server.

use std::sync::Arc;

use app::{Service, WriteContext};
use domain::access::Role;
use domain::{Actor, TokenId};
use event_store::EventStore;
use serde::Serialize;

use crate::UsageError;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a user with a role and print their first token (shown once).
    Add {
        name: String,
        /// staff, inspector, investigator or admin.
        #[arg(long)]
        role: String,
        #[arg(long)]
        json: bool,
    },
    /// Issue another token to an existing user (shown once).
    Token {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token.
    Revoke {
        token: String,
        #[arg(long)]
        reason: String,
    },
    /// List users, their roles and tokens.
    List {
        #[arg(long)]
        json: bool,
    },
}

/// The operator at the console acts as the system, named after the operating-system user.
fn operator() -> WriteContext {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    WriteContext {
        actor_id: format!("os:{user}"),
        ..WriteContext::system("dossier user command")
    }
}

#[derive(Debug, Serialize)]
struct Issued {
    user: String,
    token: String,
    secret: String,
}

#[derive(Debug, Serialize)]
struct Listed {
    user: String,
    name: String,
    role: &'static str,
    tokens: Vec<ListedToken>,
}

#[derive(Debug, Serialize)]
struct ListedToken {
    token: String,
    revoked: bool,
}

fn refused(e: app::CommandError) -> anyhow::Error {
    match e {
        app::ExecuteError::Rejected(r) => {
            UsageError(format!("{}: {}", r.code(), r.message_en())).into()
        }
        other => other.into(),
    }
}

fn print_issued(issued: &app::IssuedToken, json: bool) -> anyhow::Result<()> {
    let out = Issued {
        user: issued.user.to_string(),
        token: issued.token.to_string(),
        secret: issued.secret.clone(),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "user {} token {}\n{}\n(the secret above is not stored: hand it over now)",
            out.user, out.token, out.secret
        );
    }
    Ok(())
}

pub async fn run(store: Arc<dyn EventStore>, command: &UserCommand) -> anyhow::Result<()> {
    let service = Service::new(store, 10);
    match command {
        UserCommand::Add { name, role, json } => {
            let role = Role::parse(role).map_err(UsageError)?;
            let issued = service
                .add_user(name, role, Actor::System, &operator())
                .await
                .map_err(refused)?;
            print_issued(&issued, *json)
        }
        UserCommand::Token { name, json } => {
            let access = service.access().await?;
            let user = access
                .user_named(name)
                .ok_or_else(|| UsageError(format!("no user named {name}")))?;
            let issued = service
                .issue_token(user.id, Actor::System, &operator())
                .await
                .map_err(refused)?;
            print_issued(&issued, *json)
        }
        UserCommand::Revoke { token, reason } => {
            let token = TokenId::parse(token).map_err(|e| UsageError(e.to_string()))?;
            service
                .revoke_token(token, reason, Actor::System, &operator())
                .await
                .map_err(refused)?;
            println!("revoked {token}");
            Ok(())
        }
        UserCommand::List { json } => {
            let access = service.access().await?;
            let users: Vec<Listed> = access
                .users()
                .map(|u| Listed {
                    user: u.id.to_string(),
                    name: u.name.clone(),
                    role: u.role.as_str(),
                    tokens: access
                        .tokens_of(u.id)
                        .map(|t| ListedToken {
                            token: t.id.to_string(),
                            revoked: t.revoked,
                        })
                        .collect(),
                })
                .collect();
            if *json {
                println!("{}", serde_json::to_string_pretty(&users)?);
            } else {
                for u in &users {
                    let active = u.tokens.iter().filter(|t| !t.revoked).count();
                    println!(
                        "{:<20} {:<13} {} ({} active tokens)",
                        u.name, u.role, u.user, active
                    );
                }
            }
            Ok(())
        }
    }
}
