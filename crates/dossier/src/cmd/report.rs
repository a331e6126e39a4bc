//! `dossier report`: read models for inspectors as CSV (Excel, Belgian locale) or JSON, each
//! stamped with the log position and the `verify` digest it was computed at.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use event_store::verify::{VerifyError, verify_store};
use event_store::{EventStore, Position, ReadPages};
use projections::read::budgets::{BUDGET_YEARS, Budgets};
use projections::read::covid::{COVID_OVERRUN, CovidOverrun};
use projections::read::fold::Folding;
use projections::read::signals::{SIGNALS, Signals};
use projections::read::work::{WORK_ITEMS, WorkQueues};
use projections::{Projection, RowChanges, Table, Value};
use serde_json::json;

use crate::UsageError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportKind {
    /// COVID-19 overrun per dossier and budget year.
    CovidOverrun,
    /// Fraud and misuse signals with their triage.
    Signals,
    /// Budget per dossier per budget year.
    Budgets,
    /// The open items of the work queues (all but the signals), with their due dates.
    WorkQueues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `;`-separated, decimal comma, dd/mm/yyyy, UTF-8 with BOM: opens in Excel (nl-BE).
    Csv,
    /// Decimals as strings, ISO dates.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    pub kind: ReportKind,
    /// Only this budget year (budgets, covid-overrun).
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long, value_enum)]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// A computed report.
#[derive(Debug, Clone)]
pub struct Report {
    pub name: &'static str,
    pub table: &'static Table,
    pub log_position: Option<Position>,
    pub verify_digest: String,
    pub year: Option<i32>,
    pub rows: Vec<Vec<Value>>,
}

fn source(kind: ReportKind) -> (&'static str, Box<dyn Projection>, &'static Table) {
    match kind {
        ReportKind::CovidOverrun => (
            "covid-overrun",
            Box::new(Folding::<CovidOverrun>::default()),
            &COVID_OVERRUN,
        ),
        ReportKind::Signals => ("signals", Box::new(Folding::<Signals>::default()), &SIGNALS),
        ReportKind::Budgets => (
            "budgets",
            Box::new(Folding::<Budgets>::default()),
            &BUDGET_YEARS,
        ),
        ReportKind::WorkQueues => (
            "work-queues",
            Box::new(Folding::<WorkQueues>::default()),
            &WORK_ITEMS,
        ),
    }
}

/// Verifies the log, then folds it up to the verified position: the report and its digest
/// describe the same log.
///
/// # Errors
/// When the log fails verification or cannot be read.
pub async fn compute(
    store: &dyn EventStore,
    kind: ReportKind,
    year: Option<i32>,
) -> anyhow::Result<Report> {
    let (name, mut projection, table) = source(kind);
    let year_column = table.columns.iter().position(|c| c.name == "year");
    if year.is_some() && year_column.is_none() {
        return Err(UsageError(format!("--year does not apply to the {name} report")).into());
    }
    let verified = match verify_store(store, None, |_| {}).await {
        Ok(report) => report,
        Err(VerifyError::Failed(f)) => anyhow::bail!("the log does not verify: {f}"),
        Err(VerifyError::Store(e)) => return Err(e).context("cannot read the log"),
    };
    let mut changes = RowChanges::default();
    if let Some(last) = verified.last_position {
        let mut pages = store.log_pages(Position::START, 8192);
        'read: while let Some(page) = pages.next_page().await? {
            for event in &page {
                if event.position > last {
                    break 'read;
                }
                projection.apply(event, &mut changes);
            }
        }
    }
    let rows = changes
        .iter()
        .filter(|(t, _, _)| *t == table.name)
        .filter_map(|(_, _, row)| row.map(<[Value]>::to_vec))
        .filter(|row| match (year, year_column) {
            (Some(y), Some(i)) => row[i] == Value::Integer(i64::from(y)),
            _ => true,
        })
        .collect();
    Ok(Report {
        name,
        table,
        log_position: verified.last_position,
        verify_digest: verified.digest(),
        year,
        rows,
    })
}

/// A decimal with at least two decimals (amounts read `0.00`, never `0`).
fn decimal_text(value: &Value) -> String {
    match value {
        Value::Decimal(d) => {
            let mut d = *d;
            if d.scale() < 2 {
                d.rescale(2);
            }
            d.to_string()
        }
        _ => String::new(),
    }
}

/// A cell for Excel in a Belgian locale.
fn csv_cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Text(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Decimal(_) => decimal_text(value).replace('.', ","),
        Value::Date(d) => domain::values::dutch_date(*d),
        Value::Timestamp(t) => t.format("%d/%m/%Y %H:%M:%S").to_string(),
        Value::Boolean(b) => if *b { "ja" } else { "nee" }.to_owned(),
    }
}

fn json_cell(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Text(s) => s.clone().into(),
        Value::Integer(i) => (*i).into(),
        Value::Decimal(_) => decimal_text(value).into(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string().into(),
        Value::Timestamp(t) => t.to_rfc3339().into(),
        Value::Boolean(b) => (*b).into(),
    }
}

impl Report {
    /// CSV for Excel (nl-BE): UTF-8 with BOM, `;`-separated, decimal comma; every row carries
    /// the log position and digest.
    ///
    /// # Errors
    /// Only if writing to memory fails.
    pub fn to_csv(&self) -> anyhow::Result<Vec<u8>> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        {
            let mut writer = csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(&mut out);
            let mut header: Vec<&str> = self.table.columns.iter().map(|c| c.name).collect();
            header.extend(["log_position", "verify_digest"]);
            writer.write_record(&header)?;
            let position = self
                .log_position
                .map(|p| p.0.to_string())
                .unwrap_or_default();
            for row in &self.rows {
                let mut record: Vec<String> = row.iter().map(csv_cell).collect();
                record.push(position.clone());
                record.push(self.verify_digest.clone());
                writer.write_record(&record)?;
            }
            writer.flush()?;
        }
        Ok(out)
    }

    pub fn to_json(&self) -> serde_json::Value {
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|row| {
                self.table
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.name.to_owned(), json_cell(v)))
                    .collect::<serde_json::Map<_, _>>()
                    .into()
            })
            .collect();
        json!({
            "report": self.name,
            "log_position": self.log_position.map(|p| p.0),
            "verify_digest": self.verify_digest,
            "year": self.year,
            "rows": rows,
        })
    }
}

pub async fn run(store: Arc<dyn EventStore>, args: &ReportArgs) -> anyhow::Result<()> {
    let report = compute(store.as_ref(), args.kind, args.year).await?;
    crate::cli_access::record(store.clone(), None, &format!("report {}", report.name)).await?;
    let bytes = match args.format {
        Format::Csv => report.to_csv()?,
        Format::Json => {
            let mut text = serde_json::to_vec_pretty(&report.to_json())?;
            text.push(b'\n');
            text
        }
    };
    match &args.out {
        Some(path) => std::fs::write(path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    eprintln!(
        "report {}: rows={} log_position={} digest={}",
        report.name,
        report.rows.len(),
        report.log_position.map_or(0, |p| p.0),
        report.verify_digest
    );
    Ok(())
}
