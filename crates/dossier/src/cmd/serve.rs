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
    /// On an empty store: add one user per role and print their tokens, to try the service.
    #[arg(long)]
    pub demo: bool,
}

pub async fn run(store: Arc<dyn EventStore>, args: &ServeArgs) -> anyhow::Result<()> {
    let empty = store.read_all(Position::START, 1).await?.is_empty();
    let service = Arc::new(Service::new(store.clone(), 10_000));
    let today = chrono::Local::now().date_naive();
    service.ensure_rule_book(today).await?;
    if args.demo {
        if empty {
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
        } else {
            println!("demo: the store already holds events; no demo users added");
        }
    }
    api::metrics_handle();
    let app = api::router(ApiState::new(service));
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, store = %store.describe(), "dossier serves");
    println!("dossier: listening on http://{address} (API docs: http://{address}/api/docs)");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    println!("dossier: stopped");
    Ok(())
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
