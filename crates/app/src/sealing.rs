//! Personal data is kept encrypted in the log, each subject's with a key of its own in the key
//! store, so that destroying the key erases the data while the events, and the hash chain over
//! them, stay as they are (crypto-shredding, the "forgettable payloads" pattern).
//!
//! [`SealedStore`] wraps any event store. On the way in, it moves the personal fields the domain
//! lists ([`domain::personal_data`]) and the metadata's free-text reason into one encrypted
//! member, `sealed`, of the payload; the store hashes what it stores, so the chain covers the
//! ciphertext. On the way out, it puts them back, or, where the key was destroyed, the mark
//! "gewist". Everything above it (deciders, folds, projections, API) reads plain values.
//!
//! An erasure is an event like any other (the domain lists which, [`personal_data::ERASURE_EVENTS`]):
//! once it is appended here, this store destroys the stream's key; a reader that meets it
//! treats the key as destroyed from then on, and destroys a key that outlived it.
//!
//! The cipher is XChaCha20-Poly1305. The nonce is derived from the key, the event id and the
//! plaintext (a keyed hash, as in SIV): a retried append seals to the same bytes, so the store
//! still recognises the retry, and a nonce never repeats for different plaintext.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use domain::personal_data::{self, ERASED, KEY_MISSING};
use event_store::{
    AppendOutcome, EventMetadata, EventStore, ExpectedVersion, ImportOutcome, KEY_LEN, KeyRecord,
    KeyState, KeyStore, NewEvent, Position, RecordedEvent, StoreError, StreamName,
};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The member of a stored payload that holds its sealed personal data.
const SEALED: &str = "sealed";

/// What a sealed payload says in the clear: which key, which fields, and the ciphertext.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Envelope {
    /// The key's name: the stream of the subject.
    key: String,
    /// The payload fields inside (their names are not personal: the erased mark goes there).
    fields: Vec<String>,
    /// Whether the metadata's reason is inside.
    #[serde(default)]
    reason: bool,
    nonce: String,
    data: String,
}

/// What the ciphertext holds.
#[derive(Debug, Serialize, Deserialize)]
struct Sealed {
    fields: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// The keys of the data subjects, with a cache in front of the key store (a rebuild reads every
/// event of a dossier, and the key of each).
pub struct Keyring {
    keys: Arc<dyn KeyStore>,
    cache: Mutex<HashMap<String, KeyState>>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keyring")
    }
}

impl Keyring {
    pub fn new(keys: Arc<dyn KeyStore>) -> Self {
        Self {
            keys,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// A keyring over a key store in memory, for tests and the `memory:` store.
    pub fn in_memory() -> Self {
        Self::new(Arc::new(event_store::MemoryKeyStore::new()))
    }

    fn cached(&self, id: &str) -> Option<KeyState> {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
            .cloned()
    }

    fn remember(&self, id: &str, state: &KeyState) {
        if !matches!(state, KeyState::Absent) {
            self.cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(id.to_owned(), state.clone());
        }
    }

    /// The key of `id` as kept (absent answers are not cached: a copy may bring the key later).
    ///
    /// # Errors
    /// When the key store fails.
    pub async fn key(&self, id: &str) -> Result<KeyState, StoreError> {
        if let Some(state) = self.cached(id) {
            return Ok(state);
        }
        let state = self.keys.key(id).await?;
        self.remember(id, &state);
        Ok(state)
    }

    /// The key to seal new data of `id` with, made on first use.
    ///
    /// # Errors
    /// [`StoreError::InvalidRequest`] when the subject's data was erased: nothing personal is
    /// recorded about them again. Key store failures.
    async fn for_writing(&self, id: &str) -> Result<[u8; KEY_LEN], StoreError> {
        let state = match self.key(id).await? {
            KeyState::Absent => {
                let mut fresh = [0u8; KEY_LEN];
                rand::fill(&mut fresh);
                let state = self.keys.create(id, fresh).await?;
                self.remember(id, &state);
                state
            }
            state => state,
        };
        match state {
            KeyState::Live(key) => Ok(key),
            _ => Err(StoreError::InvalidRequest(format!(
                "the personal data of {id} was erased: nothing personal is recorded about them again"
            ))),
        }
    }

    /// Destroys the key of `id`: its data reads "gewist" from now on, here at once.
    ///
    /// # Errors
    /// When the key store fails (then the key may still be there: destroying again is safe).
    pub async fn destroy(&self, id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.keys.destroy(id, at).await?;
        self.remember(id, &KeyState::Destroyed { at });
        Ok(())
    }

    /// Every key record, for a copy or a backup.
    ///
    /// # Errors
    /// When the key store fails.
    pub async fn export(&self) -> Result<Vec<KeyRecord>, StoreError> {
        self.keys.export_keys().await
    }

    /// Takes the records of another key store (a tombstone always wins).
    ///
    /// # Errors
    /// When the key store fails.
    pub async fn import(&self, records: &[KeyRecord]) -> Result<(), StoreError> {
        self.keys.import_keys(records).await?;
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        Ok(())
    }

    /// An erasure recorded in the log wins over a cached key, also when another instance
    /// destroyed the key: reads of the subject show "gewist" from the erasure on.
    fn erased_in_log(&self, id: &str, at: DateTime<Utc>) {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if !matches!(cache.get(id), Some(KeyState::Destroyed { .. })) {
            cache.insert(id.to_owned(), KeyState::Destroyed { at });
        }
    }
}

/// An event store that keeps personal data sealed (see the module documentation).
pub struct SealedStore {
    inner: Arc<dyn EventStore>,
    keyring: Arc<Keyring>,
}

impl std::fmt::Debug for SealedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedStore({})", self.inner.describe())
    }
}

impl SealedStore {
    pub fn new(inner: Arc<dyn EventStore>, keyring: Arc<Keyring>) -> Self {
        Self { inner, keyring }
    }

    /// The keys this store seals with.
    pub fn keyring(&self) -> &Arc<Keyring> {
        &self.keyring
    }

    /// The store underneath, which holds the sealed bytes: for verifying, exporting and
    /// copying the log as it is.
    pub fn raw(&self) -> &Arc<dyn EventStore> {
        &self.inner
    }

    /// Destroys the key of a stream whose erasure is recorded. A failure is logged, not
    /// answered: the decision is in the log, reads already show "gewist", and the next read
    /// of the erasure event destroys the key again.
    async fn complete_erasure(&self, stream: &str, at: DateTime<Utc>) {
        if let Err(e) = self.keyring.destroy(stream, at).await {
            tracing::error!(stream, error = %e, "the key of erased personal data is not destroyed yet");
        }
    }

    async fn open_all(&self, events: Vec<RecordedEvent>) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut opened = Vec::with_capacity(events.len());
        for event in events {
            if personal_data::is_erasure(&event.event_type) {
                let stream = event.stream.as_str();
                // A key that outlived its erasure (a stop between the two) goes now.
                if matches!(self.keyring.keys.key(stream).await, Ok(KeyState::Live(_))) {
                    self.complete_erasure(stream, event.recorded_at).await;
                }
                self.keyring.erased_in_log(stream, event.recorded_at);
            }
            opened.push(self.open(event).await?);
        }
        Ok(opened)
    }

    async fn open(&self, event: RecordedEvent) -> Result<RecordedEvent, StoreError> {
        if !holds_sealed(&event.payload) {
            return Ok(event);
        }
        let Ok(Value::Object(mut payload)) = serde_json::from_slice::<Value>(&event.payload) else {
            return Ok(event);
        };
        let Some(envelope) = payload
            .remove(SEALED)
            .and_then(|v| serde_json::from_value::<Envelope>(v).ok())
        else {
            return Ok(event);
        };
        let sealed = match self.keyring.key(&envelope.key).await? {
            KeyState::Live(key) => decrypt(&key, &event, &envelope).unwrap_or_else(|| {
                tracing::error!(
                    event_id = %event.event_id, stream = %event.stream,
                    "sealed personal data does not decrypt: tampered with, or a wrong key"
                );
                marked(&envelope, KEY_MISSING)
            }),
            KeyState::Destroyed { .. } => marked(&envelope, ERASED),
            KeyState::Absent => {
                tracing::warn!(
                    event_id = %event.event_id, key = %envelope.key,
                    "no key for sealed personal data: was the store copied without its keys?"
                );
                marked(&envelope, KEY_MISSING)
            }
        };
        payload.extend(sealed.fields);
        let mut event = event;
        event.payload = serde_json::to_vec(&Value::Object(payload))
            .map_err(|e| StoreError::Corrupt(format!("payload does not serialise: {e}")))?;
        if envelope.reason {
            let mut metadata = event
                .metadata()
                .map_err(|e| StoreError::Corrupt(format!("metadata is not readable: {e}")))?;
            metadata.reason = sealed.reason;
            event.metadata = serde_json::to_vec(&metadata)
                .map_err(|e| StoreError::Corrupt(format!("metadata does not serialise: {e}")))?;
        }
        Ok(event)
    }

    /// `event` as an append through this store would have stored it: the personal data a log
    /// written before sealing holds in plain text sealed with its stream's key (made if need
    /// be), a person index's reason dropped; an event with nothing plain to seal comes back as
    /// it is. Its hash is left as it was: the caller chains it anew (`store copy --seal`).
    ///
    /// # Errors
    /// When the event's metadata is unreadable or its stream's key cannot be had.
    pub async fn reseal(&self, event: &RecordedEvent) -> Result<RecordedEvent, StoreError> {
        if holds_sealed(&event.payload) {
            return Ok(event.clone());
        }
        let new = NewEvent {
            event_id: event.event_id,
            event_type: event.event_type.clone(),
            schema_version: event.schema_version,
            payload: event.payload.clone(),
            metadata: event.metadata.clone(),
        };
        let Some(sealed) = self.seal_all(&event.stream, &[new]).await? else {
            return Ok(event.clone());
        };
        let mut resealed = event.clone();
        if let Some(sealed) = sealed.into_iter().next() {
            resealed.payload = sealed.payload;
            resealed.metadata = sealed.metadata;
        }
        Ok(resealed)
    }

    async fn seal_all(
        &self,
        stream: &StreamName,
        events: &[NewEvent],
    ) -> Result<Option<Vec<NewEvent>>, StoreError> {
        if personal_data::is_person_index_stream(stream.as_str()) {
            return without_reasons(events).map(Some);
        }
        if !personal_data::is_personal_stream(stream.as_str()) {
            return Ok(None);
        }
        let mut sealed = Vec::with_capacity(events.len());
        let mut key = None;
        for event in events {
            let Some(parts) = personal_parts(event)? else {
                sealed.push(event.clone());
                continue;
            };
            let key = match key {
                Some(key) => key,
                None => *key.insert(
                    self.keyring
                        .for_writing(personal_data::key_of(stream.as_str()))
                        .await?,
                ),
            };
            sealed.push(seal(&key, stream, event, parts)?);
        }
        Ok(Some(sealed))
    }
}

/// The events without the reason in their metadata.
fn without_reasons(events: &[NewEvent]) -> Result<Vec<NewEvent>, StoreError> {
    events
        .iter()
        .map(|event| {
            let mut metadata: EventMetadata =
                serde_json::from_slice(&event.metadata).map_err(|e| {
                    StoreError::InvalidRequest(format!("metadata is not readable: {e}"))
                })?;
            if metadata.reason.take().is_none() {
                return Ok(event.clone());
            }
            let mut stripped = event.clone();
            stripped.metadata = serde_json::to_vec(&metadata).map_err(|e| {
                StoreError::InvalidRequest(format!("metadata does not serialise: {e}"))
            })?;
            Ok(stripped)
        })
        .collect()
}

/// A cheap test before parsing: most events hold nothing sealed.
fn holds_sealed(payload: &[u8]) -> bool {
    const NEEDLE: &[u8] = b"\"sealed\":{";
    payload.windows(NEEDLE.len()).any(|w| w == NEEDLE)
}

/// The payload without its personal fields, the fields, and the metadata without its reason;
/// `None` when the event holds nothing personal.
struct Parts {
    payload: Map<String, Value>,
    metadata: EventMetadata,
    sealed: Sealed,
}

fn personal_parts(event: &NewEvent) -> Result<Option<Parts>, StoreError> {
    let names = personal_data::personal_fields(&event.event_type);
    let mut metadata: EventMetadata = serde_json::from_slice(&event.metadata)
        .map_err(|e| StoreError::InvalidRequest(format!("metadata is not readable: {e}")))?;
    if names.is_empty() && metadata.reason.is_none() {
        return Ok(None);
    }
    let Ok(Value::Object(mut payload)) = serde_json::from_slice::<Value>(&event.payload) else {
        return Ok(None);
    };
    let mut fields = Map::new();
    for name in names {
        if let Some(value) = payload.remove(*name).filter(|v| !v.is_null()) {
            fields.insert((*name).to_owned(), value);
        }
    }
    let reason = metadata.reason.take();
    if fields.is_empty() && reason.is_none() {
        return Ok(None);
    }
    Ok(Some(Parts {
        payload,
        metadata,
        sealed: Sealed { fields, reason },
    }))
}

/// What the cipher authenticates besides the plaintext: the event and its stream, so sealed
/// data cannot be moved to another event unnoticed.
fn associated_data(event_id: uuid::Uuid, stream: &str) -> Vec<u8> {
    let mut aad = event_id.as_bytes().to_vec();
    aad.extend_from_slice(stream.as_bytes());
    aad
}

fn seal(
    key: &[u8; KEY_LEN],
    stream: &StreamName,
    event: &NewEvent,
    parts: Parts,
) -> Result<NewEvent, StoreError> {
    let plaintext = serde_json::to_vec(&parts.sealed).map_err(|e| {
        StoreError::InvalidRequest(format!("personal data does not serialise: {e}"))
    })?;
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("any key length");
    mac.update(b"dossier/seal/v1");
    mac.update(event.event_id.as_bytes());
    mac.update(&plaintext);
    let digest = mac.finalize().into_bytes();
    let nonce = XNonce::from_slice(&digest[..24]);
    let cipher = XChaCha20Poly1305::new(key.into());
    let data = cipher
        .encrypt(
            nonce,
            Payload {
                msg: &plaintext,
                aad: &associated_data(event.event_id, stream.as_str()),
            },
        )
        .map_err(|_| StoreError::InvalidRequest("personal data does not encrypt".into()))?;
    let envelope = Envelope {
        key: personal_data::key_of(stream.as_str()).to_owned(),
        fields: parts.sealed.fields.keys().cloned().collect(),
        reason: parts.sealed.reason.is_some(),
        nonce: BASE64.encode(nonce),
        data: BASE64.encode(data),
    };
    let mut payload = parts.payload;
    payload.insert(
        SEALED.to_owned(),
        serde_json::to_value(envelope).expect("an envelope serialises"),
    );
    let mut sealed = event.clone();
    sealed.payload = serde_json::to_vec(&Value::Object(payload))
        .map_err(|e| StoreError::InvalidRequest(format!("payload does not serialise: {e}")))?;
    sealed.metadata = serde_json::to_vec(&parts.metadata)
        .map_err(|e| StoreError::InvalidRequest(format!("metadata does not serialise: {e}")))?;
    Ok(sealed)
}

fn decrypt(key: &[u8; KEY_LEN], event: &RecordedEvent, envelope: &Envelope) -> Option<Sealed> {
    let nonce = BASE64.decode(&envelope.nonce).ok()?;
    let data = BASE64.decode(&envelope.data).ok()?;
    if nonce.len() != 24 {
        return None;
    }
    let plaintext = XChaCha20Poly1305::new(key.into())
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &data,
                aad: &associated_data(event.event_id, event.stream.as_str()),
            },
        )
        .ok()?;
    serde_json::from_slice(&plaintext).ok()
}

/// The sealed parts, each replaced by `mark`.
fn marked(envelope: &Envelope, mark: &str) -> Sealed {
    Sealed {
        fields: envelope
            .fields
            .iter()
            .map(|name| (name.clone(), Value::String(mark.to_owned())))
            .collect(),
        reason: envelope.reason.then(|| mark.to_owned()),
    }
}

#[async_trait]
impl EventStore for SealedStore {
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<AppendOutcome, StoreError> {
        let outcome = match self.seal_all(stream, events).await? {
            Some(sealed) => self.inner.append(stream, expected, &sealed).await,
            None => self.inner.append(stream, expected, events).await,
        }?;
        if events
            .iter()
            .any(|e| personal_data::is_erasure(&e.event_type))
        {
            self.complete_erasure(stream.as_str(), Utc::now()).await;
        }
        Ok(outcome)
    }

    async fn read_stream(
        &self,
        stream: &StreamName,
        from_version: u64,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let events = self
            .inner
            .read_stream(stream, from_version, max_count)
            .await?;
        self.open_all(events).await
    }

    async fn read_all(
        &self,
        from: Position,
        max_count: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let events = self.inner.read_all(from, max_count).await?;
        self.open_all(events).await
    }

    /// Imports the events as they are: an import carries sealed data sealed.
    async fn import(&self, events: &[RecordedEvent]) -> Result<ImportOutcome, StoreError> {
        self.inner.import(events).await
    }

    async fn wait_for_events(&self, from: Position, timeout: Duration) {
        self.inner.wait_for_events(from, timeout).await;
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }

    fn as_stored(&self) -> Option<&dyn EventStore> {
        Some(self.inner.as_ref())
    }
}
