//! `dossier serve`: the HTTP service on the chosen store.

use std::sync::Arc;

use anyhow::Context;
use api::ApiState;
use app::{Service, WriteContext};
use domain::Actor;
use domain::access::Role;
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
    if args.demo {
        if empty {
            let summary = crate::cmd::demo::populate(
                service.clone(),
                args.demo_dossiers,
                crate::cmd::demo::Recording::AsWritten,
                true,
            )
            .await?;
            println!("{summary}");
            println!("demo: one user per role (tokens are shown once):");
            for role in Role::ALL {
                let write = WriteContext::system("demo users at first start");
                let issued = service
                    .add_user(
                        &format!("demo-{}", role.as_str()),
                        role,
                        Actor::System,
                        &write,
                    )
                    .await?;
                println!("  {:<13} {}", role.as_str(), issued.secret);
            }
            println!(
                "demo: try  curl -H \"Authorization: Bearer <token>\" http://{}/api/me  (Swagger UI at /api/docs)",
                args.bind
            );
        } else {
            println!("demo: the store already holds events; no demo users added");
        }
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
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, store = %store.describe(), "dossier serves");
    println!("dossier: listening on http://{address} (API docs: http://{address}/api/docs)");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    let _ = stop.send(true);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let _ = read_models.await;
        let _ = daily_job.await;
    })
    .await;
    println!("dossier: stopped");
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
/// was committed before its answer was sent, so nothing acknowledged is lost.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
