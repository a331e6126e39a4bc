//! The store URL: a libpq-style `postgres://` URL plus two parameters of our own, `schema`
//! (where the tables live; default `public`) and `pool_size` (connections in the pool;
//! default [`DEFAULT_POOL_SIZE`]). Both are removed before the rest goes to tokio-postgres.

use std::time::Duration;

use event_store::StoreError;

/// Enough connections for 32 concurrent writers, the load the adapter is sized for.
pub const DEFAULT_POOL_SIZE: usize = 32;

/// The read models of a store live beside it, in schema `<store schema>_read`.
const READ_SCHEMA_SUFFIX: &str = "_read";

/// PostgreSQL's longest identifier, in bytes.
const MAX_IDENTIFIER: usize = 63;

/// A parsed PostgreSQL store URL: the one parser for the store and its read models.
#[derive(Debug, Clone)]
pub struct PostgresUrl {
    /// The connection settings, without our own parameters; `search_path` is the schema.
    pub pg: tokio_postgres::Config,
    /// The schema of the event tables.
    pub schema: String,
    pub pool_size: usize,
    /// The URL without its password, for logs and reports.
    pub described: String,
}

impl PostgresUrl {
    /// Parses `postgres://…[?schema=S][&pool_size=N][&libpq options]`.
    ///
    /// # Errors
    /// [`StoreError::InvalidRequest`] naming what is wrong (never the password).
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let invalid = |why: String| StoreError::InvalidRequest(format!("store URL: {why}"));
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(invalid(
                "a PostgreSQL store URL starts with postgres://".into(),
            ));
        }
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut schema = "public".to_owned();
        let mut pool_size = DEFAULT_POOL_SIZE;
        let mut kept = Vec::new();
        for param in query.split('&').filter(|p| !p.is_empty()) {
            match param.split_once('=') {
                Some(("schema", value)) => {
                    check_schema(value).map_err(invalid)?;
                    value.clone_into(&mut schema);
                }
                Some(("pool_size", value)) => {
                    pool_size =
                        value.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                            invalid(format!("pool_size {value:?} is not a count"))
                        })?;
                }
                _ => kept.push(param),
            }
        }
        let rest = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        // tokio-postgres' messages name the option, never its value, so no secret leaks here.
        let mut pg: tokio_postgres::Config = rest
            .parse()
            .map_err(|e| invalid(format!("not a PostgreSQL URL: {e}")))?;
        let options = match pg.get_options() {
            Some(o) if !o.trim().is_empty() => format!("{o} -c search_path={schema}"),
            _ => format!("-c search_path={schema}"),
        };
        pg.options(&options);
        if pg.get_application_name().is_none() {
            pg.application_name("dossier");
        }
        if pg.get_connect_timeout().is_none() {
            pg.connect_timeout(Duration::from_secs(10));
        }
        Ok(Self {
            pg,
            schema,
            pool_size,
            described: redact(url),
        })
    }
}

impl PostgresUrl {
    /// The schema of the store's read models.
    pub fn read_schema(&self) -> String {
        format!("{}{READ_SCHEMA_SUFFIX}", self.schema)
    }
}

/// Schema names go into SQL and a connection option unquoted, so only plain lower-case
/// identifiers are accepted, short enough that the read models' schema
/// ([`PostgresUrl::read_schema`]) is an identifier too.
fn check_schema(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() + READ_SCHEMA_SUFFIX.len() <= MAX_IDENTIFIER
        && !name.starts_with("pg_")
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "schema {name:?} must be 1 to 58 characters from a-z, 0-9 and _, not starting with a digit or pg_"
        ))
    }
}

/// The URL with any password removed (from the user info and from a `password` parameter).
pub(crate) fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user_info, hosts)) => {
            let user = user_info.split_once(':').map_or(user_info, |(u, _)| u);
            format!("{user}@{hosts}")
        }
        None => authority.to_owned(),
    };
    let mut out = format!("{scheme}://{authority}{path}");
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("password="))
            .collect();
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept.join("&"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_and_pool_size_are_ours_and_stripped() {
        let u = PostgresUrl::parse(
            "postgres://app:s3cret@db.example:5433/dossier?schema=t_01&pool_size=64&application_name=x",
        )
        .unwrap();
        assert_eq!(u.schema, "t_01");
        assert_eq!(u.read_schema(), "t_01_read");
        assert_eq!(u.pool_size, 64);
        assert_eq!(u.pg.get_dbname(), Some("dossier"));
        assert_eq!(u.pg.get_application_name(), Some("x"));
        assert_eq!(u.pg.get_options(), Some("-c search_path=t_01"));
        assert_eq!(
            u.described,
            "postgres://app@db.example:5433/dossier?schema=t_01&pool_size=64&application_name=x"
        );
    }

    #[test]
    fn defaults() {
        let u = PostgresUrl::parse("postgresql://postgres@127.0.0.1/test").unwrap();
        assert_eq!(u.schema, "public");
        assert_eq!(u.pool_size, DEFAULT_POOL_SIZE);
        assert_eq!(u.pg.get_options(), Some("-c search_path=public"));
        assert_eq!(u.described, "postgresql://postgres@127.0.0.1/test");
    }

    #[test]
    fn bad_urls_are_refused() {
        for bad in [
            "sqlite:data/dossier.db",
            "postgres://h/db?schema=Robert'); DROP TABLE events;--",
            "postgres://h/db?schema=1abc",
            "postgres://h/db?schema=pg_catalog",
            // 59 characters: valid for the events, but `<schema>_read` would be 64.
            &format!("postgres://h/db?schema={}", "s".repeat(59)),
            "postgres://h/db?pool_size=0",
            "postgres://h/db?no_such_option=1",
        ] {
            assert!(
                matches!(PostgresUrl::parse(bad), Err(StoreError::InvalidRequest(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_never_reach_the_description() {
        assert_eq!(
            redact("postgres://u:p%40ss@h:1/d?password=x&schema=s"),
            "postgres://u@h:1/d?schema=s"
        );
        assert_eq!(redact("postgres://h/d"), "postgres://h/d");
        assert_eq!(redact("postgres://u@h"), "postgres://u@h");
    }
}
