//! Opening an event store from the URL an operator gives (`--store`, `DOSSIER_STORE`).

use std::sync::Arc;

use anyhow::Context;
use app::{Keyring, SealedStore};
use event_store::{EventStore, KeyStore, MemoryKeyStore, MemoryStore};
use store_sqlite::SqliteStore;

use crate::UsageError;

/// The embedded store a newcomer gets without saying anything.
pub const DEFAULT_STORE: &str = "sqlite:data/dossier.db";

/// Which kind of store a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// `sqlite:PATH`: the embedded store.
    Sqlite(String),
    /// `postgres://…` or `postgresql://…`.
    Postgres(String),
    /// `esdb://…` or `kurrentdb://…`.
    Kurrent(String),
    /// `memory:`: gone when the process ends; for trying things out.
    Memory,
}

impl StoreUrl {
    /// # Errors
    /// When the URL names no store kind Dossier knows.
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(UsageError(format!(
                    "a SQLite store URL needs a file path, e.g. {DEFAULT_STORE}"
                ))
                .into());
            }
            return Ok(Self::Sqlite(path.to_owned()));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        if url.starts_with("esdb://")
            || url.starts_with("esdb+discover://")
            || url.starts_with("kurrentdb://")
            || url.starts_with("kurrentdb+discover://")
        {
            return Ok(Self::Kurrent(url.to_owned()));
        }
        if url == "memory:" {
            return Ok(Self::Memory);
        }
        Err(UsageError(format!(
            "unknown store URL {:?}: use sqlite:PATH, postgres://…, esdb://… or memory:",
            redact(url)
        ))
        .into())
    }
}

/// Where the keys of a KurrentDB store are kept: KurrentDB has no table for them, and a key
/// kept in the log could not be destroyed.
pub const KURRENT_KEY_STORE: &str = "DOSSIER_KEY_STORE";

/// A store as it is, and the key store kept beside it.
pub struct RawStore {
    /// The log as stored: personal data sealed.
    pub events: Arc<dyn EventStore>,
    pub keys: Arc<dyn KeyStore>,
}

/// Opens the store a URL names, creating and migrating it where that is the store's way, with
/// its personal data sealed on the way in and opened on the way out.
///
/// # Errors
/// When the URL is unknown or the store cannot be opened.
pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn EventStore>> {
    let raw = open_raw(url).await?;
    Ok(Arc::new(SealedStore::new(
        raw.events,
        Arc::new(Keyring::new(raw.keys)),
    )))
}

/// Opens the store a URL names as it is, with its key store: for verifying, exporting and
/// copying the log byte for byte.
///
/// # Errors
/// When the URL is unknown or the store cannot be opened.
pub async fn open_raw(url: &str) -> anyhow::Result<RawStore> {
    open(url)
        .await
        .with_context(|| format!("cannot open the event store {}", redact(url)))
}

async fn open(url: &str) -> anyhow::Result<RawStore> {
    match StoreUrl::parse(url)? {
        StoreUrl::Sqlite(path) => {
            let store = tokio::task::spawn_blocking(move || SqliteStore::open(path)).await??;
            let keys = Arc::new(store.keys());
            Ok(RawStore {
                events: Arc::new(store),
                keys,
            })
        }
        StoreUrl::Memory => Ok(RawStore {
            events: Arc::new(MemoryStore::new()),
            keys: Arc::new(MemoryKeyStore::new()),
        }),
        StoreUrl::Postgres(url) => {
            let store = Arc::new(store_postgres::PostgresStore::connect(&url).await?);
            Ok(RawStore {
                events: store.clone(),
                keys: store,
            })
        }
        StoreUrl::Kurrent(url) => {
            let events = Arc::new(store_kurrent::KurrentStore::connect(&url).await?);
            let path = std::env::var(KURRENT_KEY_STORE)
                .unwrap_or_else(|_| "data/dossier-keys.db".to_owned());
            let keys = tokio::task::spawn_blocking(move || SqliteStore::open(path)).await??;
            Ok(RawStore {
                events,
                keys: Arc::new(keys.keys()),
            })
        }
    }
}

/// The URL without a password, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_once('/').map_or((rest, ""), |(a, t)| (a, t));
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
    let slash = if rest.contains('/') { "/" } else { "" };
    format!("{scheme}://{user}:***@{host}{slash}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_store_kind() {
        assert_eq!(
            StoreUrl::parse("sqlite:data/x.db").unwrap(),
            StoreUrl::Sqlite("data/x.db".into())
        );
        assert_eq!(
            StoreUrl::parse("sqlite:///abs/x.db").unwrap(),
            StoreUrl::Sqlite("/abs/x.db".into())
        );
        assert!(matches!(
            StoreUrl::parse("postgres://u@h/db").unwrap(),
            StoreUrl::Postgres(_)
        ));
        assert!(matches!(
            StoreUrl::parse("esdb://h:2113?tls=false").unwrap(),
            StoreUrl::Kurrent(_)
        ));
        assert_eq!(StoreUrl::parse("memory:").unwrap(), StoreUrl::Memory);
        assert!(StoreUrl::parse("sqlite:").is_err());
        assert!(StoreUrl::parse("mysql://x").is_err());
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/dossier"),
            "postgres://app:***@db:5432/dossier"
        );
        assert_eq!(redact("postgres://db/dossier"), "postgres://db/dossier");
        assert!(
            !format!("{}", StoreUrl::parse("mysql://u:s3cret@h").unwrap_err()).contains("s3cret")
        );
    }
}
