//! `dossier`: the one binary of Dossier, an event-sourced case-management system for VAPH
//! personal budgets (PVB and PAB). Every operator task is a subcommand.

mod cli_access;
mod cmd;
mod config;
mod progress;
mod store_url;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::store_url::{DEFAULT_STORE, open_raw, open_store};

// Reading the log allocates a few buffers per event; mimalloc makes that markedly cheaper than
// the system allocator (measured with `dossier bench store`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Event-sourced case management for VAPH personal budgets"
)]
#[command(
    after_help = "Exit codes: 0 done; 1 a check found a problem (verify, selftest); \
                        2 bad usage or input; 3 the store or a file could not be used.\n\
                  Reads of personal data (replay, report, export) are recorded in the access log \
                  as the operating-system user; DOSSIER_ACCESS_LOG_STORE names another store to \
                  record them in (the primary, when reading a read-only replica)."
)]
struct Cli {
    /// A configuration file of KEY=VALUE settings (DOSSIER_STORE=…), as in deploy/config/.
    /// Repeatable: later files override earlier ones; the environment and flags override files.
    #[arg(long = "config", value_name = "FILE", global = true)]
    config: Vec<std::path::PathBuf>,
    /// Log filter: error, warn, info, debug, or per module (dossier=debug).
    #[arg(long, env = "DOSSIER_LOG", default_value = "warn", global = true)]
    log: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct StoreArg {
    /// The event store: sqlite:PATH, postgres://…, esdb://… or memory:.
    #[arg(long, env = "DOSSIER_STORE", default_value = DEFAULT_STORE, global = true)]
    store: String,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service (API, Swagger UI at /api/docs, health, metrics).
    Serve {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::serve::ServeArgs,
    },
    /// Manage users and their bearer tokens.
    User {
        #[command(flatten)]
        store: StoreArg,
        #[command(subcommand)]
        command: cmd::user::UserCommand,
    },
    /// Check every hash chain of the log and print its digest.
    Verify {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::verify::VerifyArgs,
    },
    /// Run the store conformance suite against a live store, in scratch streams.
    Selftest {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::selftest::SelftestArgs,
    },
    /// The daily job: issue every command that is due because a date passed.
    Tick {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::tick::TickArgs,
    },
    /// Drop read models and rebuild them from the log.
    Rebuild {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::rebuild::RebuildArgs,
    },
    /// Where each read model stands against the log: position, events behind, version, and
    /// whether a running process follows it.
    Status {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::status::StatusArgs,
    },
    /// Print a dossier's events in order: who, when, why, and the state after each.
    Replay {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::replay::ReplayArgs,
    },
    /// Reports for inspectors (CSV for Excel or JSON), stamped with log position and digest.
    Report {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::report::ReportArgs,
    },
    /// Write the whole log as JSON lines (one event per line, exact bytes, hashes, digest).
    Export {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::export::ExportArgs,
    },
    /// Read a file written by `export` into a store (empty, or holding the file's start),
    /// then verify the store against the file's digest.
    Import {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::export::ImportArgs,
    },
    /// Fill an empty store with a realistic demo history (2019–2026) through the domain's
    /// commands: holders, budgets, agreements, claims, a control case and every fraud signal.
    Demo {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::demo::DemoArgs,
    },
    /// Measure throughput.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Work on the store itself.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Print a completion script for a shell: `dossier completions bash > /etc/bash_completion.d/dossier`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `dossier man > dossier.1 && man ./dossier.1`.
    Man,
}

#[derive(Debug, Subcommand)]
enum StoreCommand {
    /// Append probe events until killed, printing `acked <id>` for each acknowledged one.
    Soak {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::soak::SoakArgs,
    },
    /// After a crash: check that every event `soak` acknowledged is there and the log verifies.
    SoakCheck {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::soak::SoakCheckArgs,
    },
    /// Copy the whole log into another store (any pair: SQLite, PostgreSQL, KurrentDB),
    /// keeping ids, versions, times and hashes; resumes when started again after a stop.
    Copy {
        #[command(flatten)]
        args: cmd::copy::CopyArgs,
    },
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Append N events from W concurrent writers, then read the whole log back.
    Store {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::bench::StoreBenchArgs,
    },
    /// Generate a history of dossiers, rebuild every read model, time as-of answers.
    Rebuild {
        #[command(flatten)]
        store: StoreArg,
        #[command(flatten)]
        args: cmd::bench_rebuild::BenchRebuildArgs,
    },
    /// Submit cost claims over HTTP to an in-process service on a fresh SQLite store.
    Http {
        #[command(flatten)]
        args: cmd::bench_http::HttpBenchArgs,
    },
}

/// What a command concluded, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A check ran and found a problem.
    Finding,
    /// The input was not usable.
    Usage,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        ExitCode::from(match o {
            Outcome::Ok => 0,
            Outcome::Finding => 1,
            Outcome::Usage => 2,
        })
    }
}

/// An error in what the operator asked for (exit code 2), as opposed to a store or file that
/// could not be used (exit code 3).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

fn main() -> ExitCode {
    // Before anything can open a TLS connection: with KurrentDB's client linked, rustls has two
    // crypto back-ends and would pick neither by itself.
    store_kurrent::install_crypto_provider();
    let cli = match parse_command_line() {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::Usage.into();
        }
    };
    init_tracing(&cli.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(3);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(outcome) => outcome.into(),
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.chain().any(|cause| cause.is::<UsageError>()) {
                Outcome::Usage.into()
            } else {
                ExitCode::from(3)
            }
        }
    }
}

async fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "dossier", &mut script);
            print_whole(&script)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            print_whole(&page)
        }
        Command::Serve { store, args } => {
            cmd::serve::run(&store.store, open_store(&store.store).await?, &args).await?;
            Ok(Outcome::Ok)
        }
        Command::User { store, command } => {
            cmd::user::run(open_store(&store.store).await?, &command).await?;
            Ok(Outcome::Ok)
        }
        Command::Verify { store, args } => {
            // The hash chain covers the bytes as stored, personal data sealed.
            let store = open_raw(&store.store).await?.events;
            cmd::verify::run(store.as_ref(), &args).await
        }
        Command::Selftest { store, args } => {
            let store = open_raw(&store.store).await?.events;
            Ok(cmd::selftest::run(store, &args).await)
        }
        Command::Tick { store, args } => {
            cmd::tick::run(open_store(&store.store).await?, &args).await?;
            Ok(Outcome::Ok)
        }
        Command::Store(StoreCommand::Soak { store, args }) => {
            cmd::soak::soak(open_store(&store.store).await?, &args).await?;
            Ok(Outcome::Ok)
        }
        Command::Store(StoreCommand::SoakCheck { store, args }) => {
            cmd::soak::check(open_store(&store.store).await?, &args).await
        }
        Command::Store(StoreCommand::Copy { args }) => cmd::copy::run(&args).await,
        Command::Export { store, args } => {
            // An export carries the log as stored: personal data stays sealed.
            cmd::export::export(open_raw(&store.store).await?, &args).await
        }
        Command::Import { store, args } => cmd::export::import(&store.store, &args).await,
        Command::Rebuild { store, args } => {
            let opened = open_store(&store.store).await?;
            cmd::rebuild::run(opened, &store.store, &args).await?;
            Ok(Outcome::Ok)
        }
        Command::Status { store, args } => {
            // Positions and counts only: the log as stored will do.
            let opened = open_raw(&store.store).await?.events;
            cmd::status::run(opened, &store.store, &args).await?;
            Ok(Outcome::Ok)
        }
        Command::Replay { store, args } => {
            cmd::replay::run(open_store(&store.store).await?, &args).await?;
            Ok(Outcome::Ok)
        }
        Command::Demo { store, args } => {
            cmd::demo::run(open_store(&store.store).await?, &args).await?;
            Ok(Outcome::Ok)
        }
        Command::Report { store, args } => {
            cmd::report::run(open_store(&store.store).await?, &args).await?;
            Ok(Outcome::Ok)
        }
        Command::Bench(BenchCommand::Rebuild { store, args }) => {
            let opened = open_store(&store.store).await?;
            cmd::bench_rebuild::run(opened, &store.store, &args).await?;
            Ok(Outcome::Ok)
        }
        Command::Bench(BenchCommand::Http { args }) => {
            cmd::bench_http::run(&args).await?;
            Ok(Outcome::Ok)
        }
        Command::Bench(BenchCommand::Store { store, args }) => {
            let opened = open_store(&store.store).await?;
            cmd::bench::run(opened, &store.store, &args).await?;
            Ok(Outcome::Ok)
        }
    }
}

/// Writes generated text to standard output; a reader that stops early (`| head`) is no error.
fn print_whole(bytes: &[u8]) -> anyhow::Result<Outcome> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(Outcome::Ok),
    }
}

/// The command line with configuration files applied beneath the environment and the flags.
/// `--help`, `--version` and bad usage end the process here, as clap does.
fn parse_command_line() -> Result<Cli, config::ConfigError> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let known = config::environment_settings(&Cli::command());
    let settings = config::read_files(&config::config_files(&args), &known)?;
    let matches = config::with_defaults(Cli::command(), &settings).get_matches_from(args);
    Ok(Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit()))
}

/// Logs go to standard error, filtered by `--log` / `DOSSIER_LOG` (e.g. `info`, `dossier=debug`).
fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
