//! `dossier bench http`: cost claims through the HTTP API of an in-process service, as the
//! holders' software would send them, with the read models following the log as in `serve`.
//!
//! The service runs on a fresh embedded SQLite store in a temporary directory, bound on
//! 127.0.0.1:0. Set-up (the dossiers, their budgets and agreements) goes through `Service`
//! directly; only the measured commands go over HTTP.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use app::{Service, WriteContext};
use chrono::{Datelike, NaiveDate};
use domain::access::Role;
use domain::dossier::*;
use domain::{Actor, AgreementId, BudgetId, ClaimId, DossierId, Euro, Iban, PersonId, UserId};
use futures::StreamExt;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::progress;
use domain::examples::{date, insz};

#[derive(Debug, clap::Args)]
pub struct HttpBenchArgs {
    /// How long the clients submit claims.
    #[arg(long, default_value_t = 20)]
    pub seconds: u64,
    /// Dossiers set up before the run (PAB and PVB holders with an approved agreement).
    #[arg(long, default_value_t = 1_000)]
    pub dossiers: u32,
    /// Concurrent HTTP clients, each sending one command at a time.
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
}

/// One dossier ready to take claims.
#[derive(Debug, Clone, Copy)]
struct Ready {
    dossier: DossierId,
    budget: BudgetId,
    agreement: AgreementId,
}

/// The latencies and answers one client saw.
#[derive(Debug, Default)]
struct ClientRun {
    latencies_ms: Vec<f64>,
    non_2xx: Vec<(u16, String)>,
}

pub async fn run(args: &HttpBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.clients > 0 && args.dossiers > 0 && args.seconds > 0,
        "--clients, --dossiers and --seconds must be at least 1"
    );
    let dir = std::env::temp_dir().join(format!("dossier-bench-http-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let result = bench(args, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn bench(args: &HttpBenchArgs, dir: &std::path::Path) -> anyhow::Result<()> {
    let url = format!("sqlite:{}", dir.join("dossier.db").display());
    let store = crate::store_url::open_store(&url).await?;
    let service = Arc::new(Service::new(store.clone(), 10_000));
    let today = chrono::Local::now().date_naive();
    // Claims are for the budget year of forty days ago, for months already past.
    let year_day = today - chrono::Duration::days(40);
    let (year, last_month) = (year_day.year(), year_day.month());
    service.ensure_rule_book(date(year - 1, 11, 1)).await?;
    let token = service
        .add_user(
            "bench-staff",
            Role::Staff,
            Actor::System,
            &WriteContext::system("bench http"),
        )
        .await?
        .secret;

    let bar = progress::bar(Some(u64::from(args.dossiers)), "dossiers set up");
    let mut ready = Vec::with_capacity(usize::try_from(args.dossiers)?);
    let mut set_up = futures::stream::iter((0..args.dossiers).map(|i| {
        let service = service.clone();
        async move { set_up_dossier(&service, i, year).await }
    }))
    .buffer_unordered(32);
    while let Some(dossier) = set_up.next().await {
        ready.push(dossier?);
        bar.inc(1);
    }
    drop(set_up);
    bar.finish_and_clear();

    // The service as `serve` runs it: the API, and the read models following the log.
    api::metrics_handle();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let read_models = {
        let runner = projections::Runner::new(
            store.clone(),
            crate::cmd::rebuild::open_read_sink(&url).await?,
        );
        tokio::spawn(async move {
            let mut read_models = projections::read::all();
            runner.follow(&mut read_models, stopped).await
        })
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let mut server_stopped = stop.subscribe();
    let server = tokio::spawn(async move {
        axum::serve(listener, api::router(api::ApiState::new(service)))
            .with_graceful_shutdown(async move {
                let _ = server_stopped.changed().await;
            })
            .await
    });

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .build()?;
    let ready = Arc::new(ready);
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let clients: Vec<_> = (0..args.clients)
        .map(|n| {
            let (client, ready, token) = (client.clone(), ready.clone(), token.clone());
            tokio::spawn(async move {
                submit_claims(
                    &client, address, &token, &ready, n, year, last_month, today, deadline,
                )
                .await
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut non_2xx = Vec::new();
    for client in clients {
        let run = client.await.context("a client task panicked")??;
        latencies.extend(run.latencies_ms);
        non_2xx.extend(run.non_2xx);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let _ = stop.send(true);
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        let _ = server.await;
        let _ = read_models.await;
    })
    .await;

    latencies.sort_by(f64::total_cmp);
    let percentile = |p: f64| -> f64 {
        if latencies.is_empty() {
            return 0.0;
        }
        let rank = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[rank.min(latencies.len() - 1)]
    };
    if !non_2xx.is_empty() {
        eprintln!("bench http: {} answers were not 2xx", non_2xx.len());
        for (status, body) in non_2xx.iter().take(5) {
            eprintln!("  {status} {body}");
        }
    }
    println!(
        "bench http: commands_per_s={:.0} p50_ms={:.1} p99_ms={:.1} clients={}",
        latencies.len() as f64 / elapsed,
        percentile(0.50),
        percentile(0.99),
        args.clients
    );
    Ok(())
}

/// One client: claims one at a time until the deadline, each on a dossier of its own share,
/// with its own invoice number, for a month of the agreement.
#[allow(clippy::too_many_arguments)]
async fn submit_claims(
    client: &reqwest::Client,
    address: std::net::SocketAddr,
    token: &str,
    ready: &[Ready],
    client_no: usize,
    year: i32,
    last_month: u32,
    today: NaiveDate,
    deadline: Instant,
) -> anyhow::Result<ClientRun> {
    let mut run = ClientRun::default();
    let mut sent: u64 = 0;
    while Instant::now() < deadline {
        let target = ready[(client_no + sent as usize * 31) % ready.len()];
        let month = u32::try_from(sent % u64::from(last_month)).unwrap_or(0) + 1;
        let service_from = date(year, month, 1);
        let service_to = date(year, month, 28);
        let command = DossierCommand::SubmitCostClaim(SubmitCostClaim {
            claim: ClaimId::from_uuid(Uuid::now_v7()),
            budget: target.budget,
            budget_year: year,
            submitted_on: today,
            channel: ClaimChannel::Mijnvaph,
            late_exception: None,
            lines: vec![CostLine {
                line: 1,
                agreement: Some(target.agreement),
                provider: Provider::Other {
                    name: "Bench Assistent".into(),
                },
                invoice_no: format!("B{client_no}-{sent}"),
                invoice_date: service_to,
                service_from,
                service_to,
                amount: Euro::rounded(Decimal::new(5_000 + i64::try_from(sent % 97)? * 100, 2)),
                category: CostCategory::Direct,
                nature: CostNature::Care,
                evidence_ref: "prestatiestaat".into(),
            }],
        });
        let body = serde_json::to_vec(&command)?;
        let begun = Instant::now();
        let answer = client
            .post(format!(
                "http://{address}/api/dossiers/{}/commands",
                target.dossier
            ))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?;
        let status = answer.status();
        let text = if status.is_success() {
            let _ = answer.bytes().await?;
            String::new()
        } else {
            answer.text().await.unwrap_or_default()
        };
        run.latencies_ms
            .push(begun.elapsed().as_secs_f64() * 1_000.0);
        if !status.is_success() {
            run.non_2xx.push((status.as_u16(), text));
        }
        sent += 1;
    }
    Ok(run)
}

/// An adult holding their own PVB for `year` (large enough for every claim of the run), with an
/// approved cash agreement for the whole year.
async fn set_up_dossier(service: &Service, i: u32, year: i32) -> anyhow::Result<Ready> {
    let dossier = DossierId::from_uuid(Uuid::now_v7());
    let person = PersonId::from_uuid(Uuid::now_v7());
    let budget = BudgetId::from_uuid(Uuid::now_v7());
    let agreement = AgreementId::from_uuid(Uuid::now_v7());
    let birth = date(1960 + i32::try_from(i / 997 % 40)?, 1, 1)
        + chrono::Duration::days(i64::from(i % 360));
    let staff = Actor::Staff {
        user: UserId::from_uuid(Uuid::from_u128(1)),
    };
    let write = WriteContext::system("bench http set-up");
    let opened = date(year - 1, 11, 2);
    let commands = [
        (
            staff,
            opened,
            DossierCommand::RegisterPerson(RegisterPerson {
                dossier,
                person,
                insz: insz(birth, i % 997 + 1),
                birth_date: None,
            }),
        ),
        (
            staff,
            opened,
            DossierCommand::DesignateBudgetHolder(DesignateBudgetHolder {
                holder: person,
                from: opened,
            }),
        ),
        (
            staff,
            opened,
            DossierCommand::RegisterBudgetAccount(RegisterBudgetAccount {
                iban: Iban::parse("BE68 5390 0754 7034")?,
                account_holder: person,
                relation: AccountHolderRelation::BudgetHolder,
                dedicated: true,
                registered_on: opened,
            }),
        ),
        (
            staff,
            date(year - 1, 11, 10),
            DossierCommand::MakePvbAvailable(MakePvbAvailable {
                budget,
                letter_date: date(year - 1, 11, 10),
                annual_amount: Euro::rounded(Decimal::from(40_000)),
                route: PvbRoute::PriorityGroup,
            }),
        ),
        (
            staff,
            date(year - 1, 11, 20),
            DossierCommand::StartBudget(StartBudget {
                budget,
                start_date: date(year - 1, 12, 1),
            }),
        ),
        (
            staff,
            date(year - 1, 12, 5),
            DossierCommand::SetAnnualAmount(SetAnnualAmount {
                budget,
                year,
                // The run sends many claims per dossier: a budget none of them exhausts.
                amount: Euro::rounded(Decimal::from(5_000_000)),
                reason: "bench".into(),
            }),
        ),
        (
            Actor::Holder { person },
            date(year - 1, 12, 10),
            DossierCommand::RegisterAgreement(RegisterAgreement {
                provider: Provider::Other {
                    name: "Bench Assistent".into(),
                },
                weekly_hours: Some(Decimal::from(12)),
                signed_on: Some(date(year - 1, 12, 10)),
                ..domain::examples::cash_agreement(
                    agreement,
                    budget,
                    date(year, 1, 1),
                    insz(date(1980, 1, 1), 1),
                )
            }),
        ),
        (
            staff,
            date(year - 1, 12, 20),
            DossierCommand::ApproveAgreement(ApproveAgreement { agreement }),
        ),
    ];
    // The approval is a weighty decision: proposed by one staff member, confirmed by another.
    let checker = Actor::Staff {
        user: UserId::from_uuid(Uuid::from_u128(2)),
    };
    for (actor, on, command) in commands {
        let done = if <DossierStream as domain::Decider>::weighty(&command).is_some() {
            crate::cmd::demo::four_eyes::<DossierStream>(
                service,
                &dossier,
                &command,
                (actor, checker),
                on,
            )
            .await
            .map(|_| ())
        } else {
            service
                .dossier_command(dossier, &command, actor, on, &write, None)
                .await
                .map(|_| ())
        };
        done.map_err(|e| match e {
            app::ExecuteError::Rejected(r) => {
                anyhow::anyhow!("bench set-up refused: {} ({r:?})", r.code())
            }
            other => other.into(),
        })?;
    }
    Ok(Ready {
        dossier,
        budget,
        agreement,
    })
}
