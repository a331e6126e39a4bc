//! `dossier serve`: the HTTP service on the chosen store.

use std::io::Write as _;
use std::sync::Arc;

use anyhow::Context;
use api::ApiState;
use app::{Service, WriteContext};
use domain::access::Role;
use domain::access::{AccessCommand, AccessStream};
use domain::{Actor, UserId};
use event_store::{EventStore, Position};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the bound address is logged).
    #[arg(long, env = "DOSSIER_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// On an empty store: fill it with a demo history (`dossier demo`), add one user per role
    /// and print their tokens, to try the service.
    #[arg(long)]
    pub demo: bool,
    /// Dossiers of the demo history (with --demo).
    #[arg(long, default_value_t = 40)]
    pub demo_dossiers: u32,
}

pub async fn run(
    store_url: &str,
    store: Arc<dyn EventStore>,
    args: &ServeArgs,
) -> anyhow::Result<()> {
    let empty = store.read_all(Position::START, 1).await?.is_empty();
    let service = Arc::new(Service::new(store.clone(), 10_000));
    let today = chrono::Local::now().date_naive();
    service.ensure_rule_book(today).await?;
    // Bound first, so what is printed names the real port (`--bind 127.0.0.1:0` picks one); the
    // demo is written before the daily job and the read models start.
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    if args.demo {
        demo_users(&service, store_url, empty, args.demo_dossiers, address).await?;
    }
    api::metrics_handle();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let read_sink = crate::cmd::rebuild::open_read_sink(store_url).await?;
    let read_models = {
        let runner = projections::Runner::new(store.clone(), read_sink.clone());
        let stopped = stopped.clone();
        tokio::spawn(follow_the_log(runner, stopped))
    };
    let daily_job = tokio::spawn(daily_job(service.clone(), stopped));
    let app = api::router(ApiState::new(service).with_read_models(read_sink));
    let shutdown = shutdown_signal();
    tracing::info!(%address, store = %store.describe(), "dossier serves");
    println!("dossier: listening on http://{address} (API docs: http://{address}/api/docs)");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    let _ = stop.send(true);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let _ = read_models.await;
        let _ = daily_job.await;
    })
    .await;
    // Whoever started the service may have stopped reading its output by now.
    let _ = writeln!(std::io::stdout(), "dossier: stopped");
    Ok(())
}

/// `--demo`: on an empty store, a demo history and one user per role with their tokens; on a
/// store with events, how to get a token again (tokens are shown once and never stored).
async fn demo_users(
    service: &Arc<Service>,
    store_url: &str,
    empty: bool,
    dossiers: u32,
    address: std::net::SocketAddr,
) -> anyhow::Result<()> {
    if !empty {
        println!(
            "demo: the store already holds events, so no demo users were added. A new token \
             for a user (shown once): dossier user token demo-staff --store {}   (every user: \
             dossier user list --store {})",
            crate::store_url::redact(store_url),
            crate::store_url::redact(store_url),
        );
        return Ok(());
    }
    let summary = crate::cmd::demo::populate(
        service.clone(),
        dossiers,
        crate::cmd::demo::Recording::AsWritten,
        true,
    )
    .await?;
    println!("{summary}");
    // Two administrators first, added by the operator (the bootstrap); then, each proposed by
    // one administrator and confirmed by the other (four-eyes), two staff members, so that one
    // can confirm what the other proposes, an inspector and an investigator.
    println!("demo: users and their tokens (shown once):");
    let write = WriteContext::system("demo users at first start");
    let mut admins = Vec::new();
    for name in ["demo-admin", "demo-admin-2"] {
        let issued = service
            .add_user(name, Role::Admin, Actor::System, &write)
            .await?;
        println!(
            "  {name:<18} {:<13} {}",
            Role::Admin.as_str(),
            issued.secret
        );
        admins.push(Actor::Admin { user: issued.user });
    }
    let users = [
        ("demo-staff", Role::Staff),
        ("demo-staff-2", Role::Staff),
        ("demo-inspector", Role::Inspector),
        ("demo-investigator", Role::Investigator),
    ];
    let today = chrono::Utc::now().date_naive();
    for (name, role) in users {
        let add = AccessCommand::AddUser {
            user: UserId::from_uuid(uuid::Uuid::now_v7()),
            name: name.to_owned(),
            role,
        };
        let decided = crate::cmd::demo::four_eyes::<AccessStream>(
            service,
            &(),
            &add,
            (admins[0], admins[1]),
            today,
        )
        .await?;
        let secret = decided
            .issued
            .map(|i| i.secret)
            .context("a confirmed user gets their first token")?;
        println!("  {name:<18} {:<13} {secret}", role.as_str());
    }
    println!(
        "demo: try  curl -H \"Authorization: Bearer <token>\" http://{address}/api/me  \
         (Swagger UI at http://{address}/api/docs)"
    );
    Ok(())
}

/// Keeps the read models up to date with the log; after a failure (the read-model database
/// away, say) it starts again from the checkpoints, so nothing is skipped or applied twice.
async fn follow_the_log(runner: projections::Runner, stopped: tokio::sync::watch::Receiver<bool>) {
    while !*stopped.borrow() {
        let mut read_models = projections::read::all();
        match runner.follow(&mut read_models, stopped.clone()).await {
            Ok(()) => break,
            Err(error) => {
                tracing::error!(%error, "read models stopped following the log; retrying in 5 s");
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        }
    }
}

/// The daily job inside the service: at start, then whenever the date changes (checked every
/// minute). `tick` is idempotent per date, so a restart or a second instance does no harm.
async fn daily_job(service: Arc<Service>, mut stopped: tokio::sync::watch::Receiver<bool>) {
    let mut done_for = None;
    loop {
        let today = chrono::Local::now().date_naive();
        if done_for != Some(today) {
            match service.tick(today, |_, _| {}).await {
                Ok(report) => {
                    tracing::info!(%today, dossiers = report.dossiers, commands = report.commands, "daily job done");
                    done_for = Some(today);
                }
                Err(error) => {
                    tracing::error!(%error, %today, "daily job failed; it runs again in a minute")
                }
            }
        }
        tokio::select! {
            _ = stopped.changed() => return,
            () = tokio::time::sleep(std::time::Duration::from_secs(60)) => {}
        }
    }
}

/// SIGINT or SIGTERM: stop accepting, let running requests finish. Every acknowledged command
/// was committed before its answer was sent, so nothing acknowledged is lost. The handlers are
/// installed when this is called, not when the future is first polled, so a signal sent as soon
/// as the address is printed already stops the service gracefully.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        )
    };
    async move {
        #[cfg(unix)]
        match signals {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    }
}
