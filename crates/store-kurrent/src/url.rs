//! The store URL: a KurrentDB connection string (`esdb://`, `esdb+discover://`, `kurrentdb://`,
//! `kurrentdb+discover://`), handed to the client unchanged after its scheme is checked. The
//! description for logs never holds the password, and neither does any error about the URL.

use event_store::StoreError;
use kurrentdb::ClientSettings;

/// The schemes this adapter answers to; `dossier` dispatches on them.
pub const SCHEMES: [&str; 4] = ["esdb", "esdb+discover", "kurrentdb", "kurrentdb+discover"];

#[derive(Debug, Clone)]
pub(crate) struct StoreUrl {
    pub settings: ClientSettings,
    /// The URL without its password, for logs and reports.
    pub described: String,
}

impl StoreUrl {
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let described = redact(url);
        let invalid =
            |why: String| StoreError::InvalidRequest(format!("store URL {described}: {why}"));
        let scheme = url.split_once("://").map(|(s, _)| s).unwrap_or_default();
        if !SCHEMES.contains(&scheme) {
            return Err(invalid(format!(
                "a KurrentDB store URL starts with {}",
                SCHEMES.map(|s| format!("{s}://")).join(", ")
            )));
        }
        let settings: ClientSettings =
            url.parse()
                .map_err(|e: kurrentdb::ClientSettingsParseError| {
                    // The client's message may quote the whole connection string, password included.
                    invalid(format!(
                        "not a KurrentDB connection string: {}",
                        hide_password(url, &e.to_string())
                    ))
                })?;
        Ok(Self {
            settings,
            described,
        })
    }
}

/// The password of `url`'s user info, if it has one.
fn password(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let (user_info, _) = authority.rsplit_once('@')?;
    let (_, password) = user_info.split_once(':')?;
    Some(password).filter(|p| !p.is_empty())
}

/// `text` with every occurrence of `url`'s password (as written, and percent-decoded) masked.
fn hide_password(url: &str, text: &str) -> String {
    let mut out = text.to_owned();
    if let Some(password) = password(url) {
        out = out.replace(password, "***");
        if let Ok(decoded) = urlencoded_decode(password)
            && !decoded.is_empty()
        {
            out = out.replace(&decoded, "***");
        }
    }
    out
}

/// Percent-decoding, enough to mask a password the client may have decoded.
fn urlencoded_decode(s: &str) -> Result<String, ()> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(())?;
            let hex = std::str::from_utf8(hex).map_err(|_| ())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

/// The URL with the password removed from its user info (several hosts and a query are kept).
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return hide_password(url, url);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user_info, hosts)) => {
            let user = user_info.split_once(':').map_or(user_info, |(u, _)| u);
            format!("{user}@{hosts}")
        }
        None => authority.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_of_the_issue_is_accepted() {
        for url in [
            "esdb://localhost:2113?tls=false",
            "esdb+discover://cluster.example:2113",
            "kurrentdb://admin:changeit@localhost:2113?tls=false",
            "kurrentdb+discover://admin:changeit@cluster.example:2113?nodePreference=leader",
            "esdb://node1:2113,node2:2113,node3:2113?tls=true&tlsVerifyCert=false",
        ] {
            let parsed = StoreUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(
                !parsed.described.contains("changeit"),
                "{}",
                parsed.described
            );
        }
        let discover = StoreUrl::parse("kurrentdb+discover://h:2113").unwrap();
        assert!(discover.settings.is_dns_discovery_enabled());
        let plain = StoreUrl::parse("esdb://h:2113?tls=false").unwrap();
        assert!(!plain.settings.is_dns_discovery_enabled());
        assert!(!plain.settings.is_secure_mode_enabled());
    }

    #[test]
    fn other_schemes_and_bad_strings_are_refused() {
        for bad in [
            "postgres://u@h/db",
            "sqlite:data/dossier.db",
            "http://localhost:2113",
            "esdb://",
            "esdb://h:notaport",
            "esdb://h:2113?tls=maybe",
        ] {
            assert!(
                matches!(StoreUrl::parse(bad), Err(StoreError::InvalidRequest(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_never_reach_descriptions_or_errors() {
        assert_eq!(
            redact("kurrentdb://admin:s3cr%40t@h1:2113,h2:2113?tls=false"),
            "kurrentdb://admin@h1:2113,h2:2113?tls=false"
        );
        assert_eq!(redact("esdb://h:2113"), "esdb://h:2113");
        assert_eq!(redact("esdb://u@h"), "esdb://u@h");
        assert_eq!(
            redact("esdb+discover://u:pw@cluster/?tls=true"),
            "esdb+discover://u@cluster/?tls=true"
        );
        // A bad seed list: the client's message quotes the whole string, password included.
        for bad in [
            "esdb://admin:hunter2@h1:x,h2:2113",
            "kurrentdb://admin:hunter2@h:2113?tls=maybe",
        ] {
            let err = StoreUrl::parse(bad).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
            assert!(err.contains("admin@"), "{err}");
        }
        assert_eq!(
            hide_password("esdb://u:p%40ss@h", "x p%40ss y p@ss z"),
            "x *** y *** z"
        );
    }
}
