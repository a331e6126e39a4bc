//! Layered configuration: built-in defaults, then configuration files (`--config FILE`, which may
//! be repeated: later files override earlier ones), then the environment, then flags.
//!
//! A configuration file holds `KEY=VALUE` lines, the same format as the environment files in
//! `deploy/config/` and systemd's `EnvironmentFile=`, so one file serves both. Every `DOSSIER_*`
//! key must be a setting some option reads from the environment (a typo is an error, not a
//! silently ignored line); other keys (such as `TZ`) are left to the environment.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::Command;

/// The option naming configuration files, and the environment variable that does the same.
pub const CONFIG_FLAG: &str = "--config";
pub const CONFIG_ENV: &str = "DOSSIER_CONFIG";

/// Why a configuration file was not used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: expected KEY=VALUE")]
    Malformed { path: PathBuf, line: usize },
    #[error("{path}, line {line}: unknown setting {key} (known: {known})")]
    UnknownSetting {
        path: PathBuf,
        line: usize,
        key: String,
        known: String,
    },
}

/// The configuration files named on the command line (`--config FILE`, `--config=FILE`) or, when
/// none is, in `DOSSIER_CONFIG`.
pub fn config_files(args: &[OsString]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut words = args.iter().skip(1);
    while let Some(word) = words.next() {
        let Some(text) = word.to_str() else { continue };
        if text == "--" {
            break;
        }
        if text == CONFIG_FLAG {
            if let Some(path) = words.next() {
                files.push(PathBuf::from(path));
            }
        } else if let Some(path) = text.strip_prefix("--config=") {
            files.push(PathBuf::from(path));
        }
    }
    if files.is_empty()
        && let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty())
    {
        files.push(PathBuf::from(path));
    }
    files
}

/// The settings of `files`, later files overriding earlier ones. `known` are the environment
/// variables the command line reads.
///
/// # Errors
/// A file that cannot be read, a line that is not `KEY=VALUE`, or an unknown `DOSSIER_*` key.
pub fn read_files(
    files: &[PathBuf],
    known: &[String],
) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut settings = BTreeMap::new();
    for path in files {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Unreadable {
            path: path.clone(),
            source,
        })?;
        for (key, value, line) in parse(path, &text)? {
            if !key.starts_with("DOSSIER_") {
                continue;
            }
            if !known.contains(&key) {
                return Err(ConfigError::UnknownSetting {
                    path: path.clone(),
                    line,
                    key,
                    known: known.join(", "),
                });
            }
            settings.insert(key, value);
        }
    }
    Ok(settings)
}

/// `KEY=VALUE` lines with their line numbers; blank lines and `#` comments skipped, optional
/// `export ` and surrounding quotes accepted as in shell environment files.
fn parse(path: &Path, text: &str) -> Result<Vec<(String, String, usize)>, ConfigError> {
    let mut pairs = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let malformed = || ConfigError::Malformed {
            path: path.to_owned(),
            line: index + 1,
        };
        let (key, value) = line.split_once('=').ok_or_else(malformed)?;
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(malformed());
        }
        let value = value.trim();
        let value = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .unwrap_or(value);
        pairs.push((key.to_owned(), value.to_owned(), index + 1));
    }
    Ok(pairs)
}

/// Every environment variable an option of `command` or its subcommands reads.
pub fn environment_settings(command: &Command) -> Vec<String> {
    let mut names: Vec<String> = command
        .get_arguments()
        .filter_map(|a| a.get_env())
        .filter_map(|e| e.to_str().map(str::to_owned))
        .collect();
    for sub in command.get_subcommands() {
        names.extend(environment_settings(sub));
    }
    names.sort();
    names.dedup();
    names
}

/// `command` with the options that read `settings` from the environment defaulting to the
/// configured values instead: the environment and flags still override them.
pub fn with_defaults(command: Command, settings: &BTreeMap<String, String>) -> Command {
    if settings.is_empty() {
        return command;
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    let mut command = command.mut_args(|arg| {
        let configured = arg
            .get_env()
            .and_then(|e| e.to_str())
            .and_then(|e| settings.get(e));
        match configured {
            // Read once at start-up: leaking the few configured values is what lets clap hold
            // them as defaults.
            Some(value) => arg.default_value(&*Box::leak(value.clone().into_boxed_str())),
            None => arg,
        }
    });
    for name in names {
        command = command.mut_subcommand(name, |sub| with_defaults(sub, settings));
    }
    command
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches, Parser};

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[arg(long = "config", global = true)]
        config: Vec<PathBuf>,
        #[command(subcommand)]
        command: Sub,
    }

    #[derive(Debug, clap::Subcommand)]
    enum Sub {
        Serve {
            #[arg(long, env = "DOSSIER_TEST_BIND", default_value = "127.0.0.1:8080")]
            bind: String,
        },
    }

    fn parse(args: &[&str], settings: &BTreeMap<String, String>) -> String {
        let matches = with_defaults(Cli::command(), settings)
            .try_get_matches_from(args)
            .unwrap();
        match Cli::from_arg_matches(&matches).unwrap().command {
            Sub::Serve { bind } => bind,
        }
    }

    fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_later_file_overrides_an_earlier_one_and_a_flag_overrides_both() {
        let dir = tempfile::tempdir().unwrap();
        let base = file(
            dir.path(),
            "base.env",
            "# base\nDOSSIER_TEST_BIND=0.0.0.0:1\nTZ=Europe/Brussels\n",
        );
        let production = file(
            dir.path(),
            "production.env",
            "export DOSSIER_TEST_BIND=\"0.0.0.0:2\"\n",
        );
        let known = environment_settings(&Cli::command());
        assert_eq!(known, ["DOSSIER_TEST_BIND"]);
        let settings = read_files(&[base.clone(), production], &known).unwrap();
        assert_eq!(parse(&["dossier", "serve"], &settings), "0.0.0.0:2");
        assert_eq!(
            parse(&["dossier", "serve", "--bind", "0.0.0.0:3"], &settings),
            "0.0.0.0:3"
        );
        let only_base = read_files(&[base], &known).unwrap();
        assert_eq!(parse(&["dossier", "serve"], &only_base), "0.0.0.0:1");
        assert_eq!(
            parse(&["dossier", "serve"], &BTreeMap::new()),
            "127.0.0.1:8080"
        );
    }

    #[test]
    fn a_misspelt_setting_or_a_malformed_line_is_an_error_naming_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let known = environment_settings(&Cli::command());
        let typo = file(dir.path(), "typo.env", "\nDOSSIER_TEST_BIN=x\n");
        let error = read_files(&[typo], &known).unwrap_err().to_string();
        assert!(
            error.contains("line 2: unknown setting DOSSIER_TEST_BIN"),
            "{error}"
        );
        let malformed = file(dir.path(), "bad.env", "DOSSIER_TEST_BIND\n");
        let error = read_files(&[malformed], &known).unwrap_err().to_string();
        assert!(error.ends_with("line 1: expected KEY=VALUE"), "{error}");
        let missing = dir.path().join("missing.env");
        assert!(matches!(
            read_files(&[missing], &known),
            Err(ConfigError::Unreadable { .. })
        ));
    }

    #[test]
    fn config_files_are_found_in_either_spelling_of_the_flag() {
        let args: Vec<OsString> = ["dossier", "--config", "a.env", "serve", "--config=b.env"]
            .iter()
            .map(OsString::from)
            .collect();
        assert_eq!(
            config_files(&args),
            [PathBuf::from("a.env"), PathBuf::from("b.env")]
        );
    }
}
