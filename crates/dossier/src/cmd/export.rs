//! `dossier export` and `dossier import`: the whole log as a file of JSON lines, and back.
//!
//! # The file
//! UTF-8, one JSON object per line, in log order:
//!
//! ```text
//! {"header":{"format":"dossier-export","version":1,"source":"sqlite:data/dossier.db","exported_at":"2026-03-14T09:00:00.000000Z"}}
//! {"event":{"id":"…","stream":"dossier-…","version":0,"type":"PersonRegistered","schema_version":1,"recorded_at":"2019-01-07T08:30:00.000000Z","payload":"{\"insz\":…}","metadata":"{\"actor_id\":…}","hash":"…"}}
//! …
//! {"end":{"events":4321,"streams":51,"digest":"…"}}
//! ```
//!
//! Payload and metadata are stored as exact bytes, and the hash covers those bytes, so they
//! travel as JSON *strings* holding the exact text (`"payload":"{\"a\":1}"`), never as parsed
//! JSON, which would not keep spacing, key order or number spelling. Bytes that are not UTF-8
//! (no Dossier writer makes them) go as `payload_hex` / `metadata_hex` instead. Recorded-at is
//! RFC 3339 in UTC with exactly six decimals: the whole-microsecond time the hash covers.
//! Positions are left out: the importing store gives its own. The end line carries the count
//! and the digest `dossier verify` prints for this log; a file without it was cut short.
//!
//! # Import
//! `import` reads the file twice. The first pass checks everything before the store is
//! touched: the shape of every line (a bad line is bad input, exit 2, naming the line), every
//! hash chain and the end line's count and digest (a changed byte or a missing event is a
//! finding, exit 1, naming the line). The second pass imports the events in batches through
//! the store's import path, resuming when the store already holds the start of the file (an
//! import that was stopped). Then the store is verified and its digest compared with the file's.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use event_store::copy::LogReader;
use event_store::verify::ChainVerifier;
use event_store::{
    EventHash, EventStore, KEY_LEN, KeyRecord, KeyState, KeyStore, Position, ReadPages,
    RecordedEvent, StoreError, StreamName, truncate_to_micros,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::cmd::copy::{copy_batches, start, verify_side};
use crate::{Outcome, UsageError, progress};

const FORMAT: &str = "dossier-export";
const VERSION: u32 = 1;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Write the export here instead of to standard output (written as FILE.partial, renamed
    /// when complete).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write the keys the personal data is sealed with into this file (readable by its
    /// owner only). Kept apart from the export, so the log can travel without them; without
    /// it the export's personal data reads "sleutel ontbreekt" wherever it is imported.
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// A file written by `dossier export`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The keys file written by `dossier export --keys`: imported first, so the imported
    /// personal data reads. A key destroyed in the store stays destroyed.
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,
    /// Events per import call. Each call is one transaction in SQLite and PostgreSQL.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub batch: u64,
}

/// One line of a keys file: a subject's key, or the time it was destroyed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyLine {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    destroyed_at: Option<DateTime<Utc>>,
}

impl KeyLine {
    fn of(record: &KeyRecord) -> Option<Self> {
        let (key, destroyed_at) = match &record.state {
            KeyState::Absent => return None,
            KeyState::Live(key) => (Some(hex_encode(key)), None),
            KeyState::Destroyed { at } => (None, Some(*at)),
        };
        Some(Self {
            id: record.id.clone(),
            key,
            destroyed_at,
        })
    }

    fn into_record(self) -> Result<KeyRecord, String> {
        let state = match (self.key, self.destroyed_at) {
            (None, Some(at)) => KeyState::Destroyed { at },
            (Some(hex), None) => KeyState::Live(
                hex_decode(&hex)?
                    .try_into()
                    .map_err(|_| format!("the key of {} is not {KEY_LEN} bytes", self.id))?,
            ),
            _ => return Err(format!("{}: give either key or destroyed_at", self.id)),
        };
        Ok(KeyRecord { id: self.id, state })
    }
}

/// Writes every key of `keys` to `path`, one JSON line each, readable by its owner only.
async fn write_keys(keys: &dyn KeyStore, path: &Path) -> anyhow::Result<usize> {
    let records = keys.export_keys().await.context("cannot read the keys")?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    let mut written = 0;
    for line in records.iter().filter_map(KeyLine::of) {
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
        written += 1;
    }
    out.flush()
        .and_then(|()| out.get_ref().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(written)
}

/// Reads a keys file; a line that does not read names its number.
fn read_keys(path: &Path) -> anyhow::Result<Vec<KeyRecord>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str::<KeyLine>(line)
                .map_err(|e| json_error(&e))
                .and_then(KeyLine::into_record)
                .map_err(|why| {
                    UsageError(format!(
                        "{} line {}: {why}; nothing was imported",
                        path.display(),
                        n + 1
                    ))
                    .into()
                })
        })
        .collect()
}

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Line {
    Header(Header),
    Event(EventLine),
    End(End),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    /// The store exported, as it describes itself (no secrets).
    #[serde(default)]
    source: String,
    #[serde(default)]
    exported_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct End {
    events: u64,
    streams: u64,
    digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventLine {
    id: Uuid,
    stream: StreamName,
    version: u64,
    #[serde(rename = "type")]
    event_type: String,
    schema_version: u32,
    recorded_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payload: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payload_hex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metadata: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metadata_hex: Option<String>,
    hash: EventHash,
}

/// Exact bytes as (text, hex): text when they are UTF-8.
fn encode_bytes(bytes: &[u8]) -> (Option<String>, Option<String>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Some(text.to_owned()), None),
        Err(_) => (None, Some(hex_encode(bytes))),
    }
}

fn hex_encode(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn hex_decode(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err("odd number of hex digits".into());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| format!("not hex at character {}", i + 1))
        })
        .collect()
}

fn decode_bytes(name: &str, text: Option<String>, hex: Option<String>) -> Result<Vec<u8>, String> {
    match (text, hex) {
        (Some(text), None) => Ok(text.into_bytes()),
        (None, Some(hex)) => hex_decode(&hex).map_err(|e| format!("{name}_hex: {e}")),
        (None, None) => Err(format!("no {name} (nor {name}_hex)")),
        (Some(_), Some(_)) => Err(format!("both {name} and {name}_hex")),
    }
}

impl EventLine {
    fn of(e: &RecordedEvent) -> Self {
        let (payload, payload_hex) = encode_bytes(&e.payload);
        let (metadata, metadata_hex) = encode_bytes(&e.metadata);
        Self {
            id: e.event_id,
            stream: e.stream.clone(),
            version: e.stream_version,
            event_type: e.event_type.clone(),
            schema_version: e.schema_version,
            recorded_at: e.recorded_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            payload,
            payload_hex,
            metadata,
            metadata_hex,
            hash: e.hash,
        }
    }

    /// The event, with `position` standing in for the store's own.
    fn into_event(self, position: Position) -> Result<RecordedEvent, String> {
        let recorded_at = DateTime::parse_from_rfc3339(&self.recorded_at)
            .map_err(|e| format!("recorded_at {:?}: {e}", self.recorded_at))?
            .with_timezone(&Utc);
        if truncate_to_micros(recorded_at) != recorded_at {
            return Err(format!(
                "recorded_at {:?} has more than microsecond precision",
                self.recorded_at
            ));
        }
        Ok(RecordedEvent {
            event_id: self.id,
            stream: self.stream,
            stream_version: self.version,
            position,
            event_type: self.event_type,
            schema_version: self.schema_version,
            recorded_at,
            payload: decode_bytes("payload", self.payload, self.payload_hex)?,
            metadata: decode_bytes("metadata", self.metadata, self.metadata_hex)?,
            hash: self.hash,
        })
    }
}

/// A JSON error of one line, placed by column (serde's "line 1" would mislead).
fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    format!("{message} (column {})", e.column())
}

fn write_line(out: &mut impl Write, line: &Line) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")
}

// Export --------------------------------------------------------------------------------------

pub async fn export(
    store: crate::store_url::RawStore,
    args: &ExportArgs,
) -> anyhow::Result<Outcome> {
    if let Some(path) = &args.keys {
        let written = write_keys(store.keys.as_ref(), path).await?;
        eprintln!("export: keys={written} file={}", path.display());
    }
    let store = store.events;
    crate::cli_access::record(store.clone(), None, "export").await?;
    let partial = args.out.as_ref().map(|out| {
        let mut name = out.as_os_str().to_owned();
        name.push(".partial");
        PathBuf::from(name)
    });
    let mut out: Box<dyn Write> = match &partial {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let written = write_export(store.as_ref(), &mut out).await;
    let finished = written.and_then(|outcome| {
        out.flush().context("cannot write the export")?;
        Ok(outcome)
    });
    drop(out);
    let (outcome, end) = match finished {
        Ok(Ok(end)) => (Outcome::Ok, Some(end)),
        Ok(Err(failure)) => {
            println!("export: FAILED the log does not verify, export stopped: {failure}");
            (Outcome::Finding, None)
        }
        Err(e) => {
            if let Some(path) = &partial {
                let _ = std::fs::remove_file(path);
            }
            return Err(e);
        }
    };
    match (&args.out, &partial, end) {
        (Some(out), Some(path), Some(end)) => {
            File::open(path)
                .and_then(|f| f.sync_all())
                .with_context(|| format!("cannot write {}", path.display()))?;
            std::fs::rename(path, out).with_context(|| {
                format!("cannot rename {} to {}", path.display(), out.display())
            })?;
            println!(
                "export: events={} streams={} digest={} file={}",
                end.events,
                end.streams,
                end.digest,
                out.display()
            );
        }
        (None, None, Some(end)) => eprintln!(
            "export: events={} streams={} digest={}",
            end.events, end.streams, end.digest
        ),
        (_, Some(path), None) => {
            let _ = std::fs::remove_file(path);
        }
        _ => {}
    }
    Ok(outcome)
}

/// Writes header, events and end line, checking every chain on the way (the end line's digest
/// is the verify digest of exactly the events written). `Ok(Err(_))`: the log does not verify.
async fn write_export(
    store: &dyn EventStore,
    out: &mut impl Write,
) -> anyhow::Result<Result<End, event_store::verify::VerifyFailure>> {
    let header = Header {
        format: FORMAT.to_owned(),
        version: VERSION,
        source: store.describe(),
        exported_at: Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true),
    };
    write_line(out, &Line::Header(header)).context("cannot write the export")?;
    let bar = progress::bar(None, "events exported");
    let mut verifier = ChainVerifier::new();
    let mut count = 0u64;
    let mut pages = store.log_pages(Position::START, 4096);
    while let Some(page) = pages
        .next_page()
        .await
        .context("export could not read the log")?
    {
        for event in &page {
            if let Err(failure) = verifier.check(event) {
                bar.abandon();
                return Ok(Err(failure));
            }
            write_line(out, &Line::Event(EventLine::of(event)))
                .context("cannot write the export")?;
        }
        count += page.len() as u64;
        bar.set_position(count);
    }
    bar.finish_and_clear();
    let report = match verifier.finish() {
        Ok(report) => report,
        Err(failure) => return Ok(Err(failure)),
    };
    let end = End {
        events: report.events,
        streams: report.heads.len() as u64,
        digest: report.digest(),
    };
    write_line(out, &Line::End(end.clone())).context("cannot write the export")?;
    Ok(Ok(end))
}

// Import --------------------------------------------------------------------------------------

/// What the first pass found wrong with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileProblem {
    /// Not a well-formed export (exit 2).
    Malformed { line: u64, why: String },
    /// Well-formed, but its contents are not the log its hashes and digest say (exit 1).
    Tampered { line: u64, why: String },
}

/// The first pass: every line well-formed, every chain intact, the end line's count and digest
/// those of the events. Returns the end line.
fn check_file(path: &Path) -> anyhow::Result<Result<End, FileProblem>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let bar = progress::bar(None, "lines checked");
    let result = check_lines(BufReader::new(file), |n| {
        if n % 4096 == 0 {
            bar.set_position(n);
        }
    });
    bar.finish_and_clear();
    result.with_context(|| format!("cannot read {}", path.display()))
}

fn check_lines(
    reader: impl BufRead,
    mut progress: impl FnMut(u64),
) -> std::io::Result<Result<End, FileProblem>> {
    let malformed = |line: u64, why: String| Ok(Err(FileProblem::Malformed { line, why }));
    let tampered = |line: u64, why: String| Ok(Err(FileProblem::Tampered { line, why }));
    let mut verifier = ChainVerifier::new();
    let mut end: Option<(u64, End)> = None;
    let mut number = 0u64;
    for text in reader.lines() {
        let text = text?;
        number += 1;
        progress(number);
        if let Some((end_line, _)) = &end {
            if text.trim().is_empty() {
                continue;
            }
            return malformed(number, format!("a line after the end line ({end_line})"));
        }
        let line = match serde_json::from_str::<Line>(&text) {
            Ok(line) => line,
            Err(e) => {
                return malformed(
                    number,
                    format!("not a line of an export: {}", json_error(&e)),
                );
            }
        };
        match (number, line) {
            (1, Line::Header(header)) => {
                if header.format != FORMAT || header.version != VERSION {
                    return malformed(
                        1,
                        format!(
                            "format {:?} version {} is not {FORMAT:?} version {VERSION}",
                            header.format, header.version
                        ),
                    );
                }
            }
            (1, _) => return malformed(1, "the first line must be the header".into()),
            (_, Line::Header(_)) => return malformed(number, "a second header".into()),
            (_, Line::Event(event)) => {
                let event = match event.into_event(Position(number)) {
                    Ok(event) => event,
                    Err(why) => return malformed(number, why),
                };
                if let Err(failure) = verifier.check(&event) {
                    return tampered(number, failure.to_string());
                }
            }
            (_, Line::End(e)) => end = Some((number, e)),
        }
    }
    let Some((end_line, end)) = end else {
        return malformed(
            number + 1,
            "the file ends without its end line: it was cut short".into(),
        );
    };
    let report = match verifier.finish() {
        Ok(report) => report,
        Err(failure) => return tampered(end_line, failure.to_string()),
    };
    if report.events != end.events
        || report.heads.len() as u64 != end.streams
        || report.digest() != end.digest
    {
        return tampered(
            end_line,
            format!(
                "the end line says events={} streams={} digest={}, the lines above hold \
                 events={} streams={} digest={}",
                end.events,
                end.streams,
                end.digest,
                report.events,
                report.heads.len(),
                report.digest()
            ),
        );
    }
    Ok(Ok(end))
}

/// The events of a checked file, in order (the second pass).
struct FileReader {
    path: PathBuf,
    lines: std::io::Lines<BufReader<File>>,
    number: u64,
}

impl FileReader {
    fn open(path: &Path) -> anyhow::Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok(Self {
            path: path.to_owned(),
            lines: BufReader::new(file).lines(),
            number: 0,
        })
    }
}

impl LogReader for FileReader {
    async fn next_page(&mut self, max: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        let fail = |number: u64, why: String| {
            StoreError::Corrupt(format!(
                "{} line {number} (changed since it was checked?): {why}",
                self.path.display()
            ))
        };
        let mut page = Vec::new();
        while page.len() < max {
            let Some(text) = self.lines.next() else { break };
            self.number += 1;
            let text = text.map_err(|e| fail(self.number, e.to_string()))?;
            match serde_json::from_str::<Line>(&text) {
                Ok(Line::Event(event)) => page.push(
                    event
                        .into_event(Position(self.number))
                        .map_err(|why| fail(self.number, why))?,
                ),
                Ok(Line::Header(_)) => {}
                Ok(Line::End(_)) => break,
                Err(e) => return Err(fail(self.number, json_error(&e))),
            }
        }
        Ok(page)
    }
}

const IMPORT: &str = "import";

pub async fn import(store_url: &str, args: &ImportArgs) -> anyhow::Result<Outcome> {
    let path = &args.file;
    let end = match check_file(path)? {
        Ok(end) => end,
        Err(FileProblem::Malformed { line, why }) => {
            return Err(UsageError(format!(
                "{} line {line}: {why}; nothing was imported",
                path.display()
            ))
            .into());
        }
        Err(FileProblem::Tampered { line, why }) => {
            println!(
                "{IMPORT}: FAILED {} line {line}: {why}; nothing was imported",
                path.display()
            );
            return Ok(Outcome::Finding);
        }
    };
    let keys = args.keys.as_deref().map(read_keys).transpose()?;
    let raw = crate::store_url::open_raw(store_url).await?;
    if let Some(keys) = keys {
        raw.keys
            .import_keys(&keys)
            .await
            .context("cannot write the keys into the store")?;
        println!("{IMPORT}: {} keys imported", keys.len());
    }
    let store = raw.events;
    let mut copy = start(IMPORT, FileReader::open(path)?, store.as_ref(), end.events).await?;
    let batch = usize::try_from(args.batch).unwrap_or(usize::MAX);
    if copy_batches(IMPORT, &mut copy, batch, end.events)
        .await?
        .is_none()
    {
        return Ok(Outcome::Finding);
    }
    let report = match verify_side(IMPORT, "store", store.as_ref(), end.events).await? {
        Ok(report) => report,
        Err(failure) => {
            println!("{IMPORT}: FAILED the store does not verify: {failure}");
            return Ok(Outcome::Finding);
        }
    };
    if report.digest() == end.digest && report.events == end.events {
        println!(
            "{IMPORT}: events={} streams={} digest={} (store and file agree)",
            report.events,
            report.heads.len(),
            report.digest()
        );
        Ok(Outcome::Ok)
    } else {
        println!(
            "{IMPORT}: FAILED the store (events={} streams={} digest={}) and the file \
             (events={} streams={} digest={}) differ",
            report.events,
            report.heads.len(),
            report.digest(),
            end.events,
            end.streams,
            end.digest
        );
        Ok(Outcome::Finding)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn event(payload: &[u8]) -> RecordedEvent {
        let mut e = RecordedEvent {
            event_id: Uuid::from_u128(7),
            stream: StreamName::parse("dossier-1").unwrap(),
            stream_version: 0,
            position: Position(3),
            event_type: "PersonRegistered".into(),
            schema_version: 2,
            recorded_at: Utc.timestamp_micros(1_584_176_400_123_456).unwrap(),
            payload: payload.to_vec(),
            metadata: r#"{"actor_id":"x","reason":"caf\u00e9 — ok"}"#.as_bytes().to_vec(),
            hash: EventHash::GENESIS,
        };
        e.hash = event_store::hash::expected_hash(&e, &EventHash::GENESIS);
        e
    }

    fn round_trip(e: &RecordedEvent) -> RecordedEvent {
        let mut text = Vec::new();
        write_line(&mut text, &Line::Event(EventLine::of(e))).unwrap();
        assert_eq!(text.iter().filter(|&&b| b == b'\n').count(), 1, "one line");
        let Line::Event(line) = serde_json::from_slice(&text).unwrap() else {
            panic!("not an event line")
        };
        line.into_event(e.position).unwrap()
    }

    #[test]
    fn events_round_trip_to_the_exact_bytes() {
        for payload in [
            &b"{\"b\": 1.0,  \"a\":[1e3]}"[..],
            b"{\n  \"pretty\": \"\\u00e9\xc3\xa9\",\n  \"tab\":\"\t\"\n}",
            b"\xff\xfe not utf-8",
        ] {
            let e = event(payload);
            assert_eq!(round_trip(&e), e);
        }
        let line = serde_json::to_string(&Line::Event(EventLine::of(&event(b"\xff")))).unwrap();
        assert!(line.contains(r#""payload_hex":"ff""#), "{line}");
    }

    #[test]
    fn lines_with_problems_are_named() {
        let e = event(b"{}");
        let good_event = serde_json::to_string(&Line::Event(EventLine::of(&e))).unwrap();
        let header = serde_json::to_string(&Line::Header(Header {
            format: FORMAT.into(),
            version: VERSION,
            source: "test".into(),
            exported_at: String::new(),
        }))
        .unwrap();
        let mut verifier = ChainVerifier::new();
        verifier.check(&e).unwrap();
        let report = verifier.finish().unwrap();
        let end = serde_json::to_string(&Line::End(End {
            events: 1,
            streams: 1,
            digest: report.digest(),
        }))
        .unwrap();
        let check = |lines: &[&str]| check_lines(lines.join("\n").as_bytes(), |_| {}).unwrap();

        assert_eq!(
            check(&[&header, &good_event, &end]),
            Ok(End {
                events: 1,
                streams: 1,
                digest: report.digest()
            })
        );
        let bad_json = good_event.replacen(',', ";", 1);
        assert!(matches!(
            check(&[&header, &bad_json, &end]),
            Err(FileProblem::Malformed { line: 2, .. })
        ));
        assert!(matches!(
            check(&[&good_event, &end]),
            Err(FileProblem::Malformed { line: 1, .. })
        ));
        assert!(matches!(
            check(&[&header, &good_event]),
            Err(FileProblem::Malformed { line: 3, .. })
        ));
        let unknown = good_event.replacen("{\"id\"", "{\"extra\":1,\"id\"", 1);
        assert!(matches!(
            check(&[&header, &unknown, &end]),
            Err(FileProblem::Malformed { line: 2, .. })
        ));
        let nanos = good_event.replacen(".123456Z", ".123456789Z", 1);
        assert!(matches!(
            check(&[&header, &nanos, &end]),
            Err(FileProblem::Malformed { line: 2, .. })
        ));
        let tampered = good_event.replacen("\"payload\":\"{}\"", "\"payload\":\"{ }\"", 1);
        assert_ne!(tampered, good_event);
        assert!(matches!(
            check(&[&header, &tampered, &end]),
            Err(FileProblem::Tampered { line: 2, .. })
        ));
        let wrong_count = end.replacen("\"events\":1", "\"events\":2", 1);
        assert!(matches!(
            check(&[&header, &good_event, &wrong_count]),
            Err(FileProblem::Tampered { line: 3, .. })
        ));
        assert!(matches!(
            check(&[&header, &good_event, &end, &good_event]),
            Err(FileProblem::Malformed { line: 4, .. })
        ));
    }
}
