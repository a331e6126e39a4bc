//! What every handler shares: the application service, the business date, the answers kept for
//! idempotent retries and the read models.

use std::sync::Arc;

use app::Service;
use chrono::NaiveDate;
use projections::ReadModelSink;

/// Everything a request handler needs.
#[derive(Clone)]
pub struct ApiState {
    pub service: Arc<Service>,
    /// Today's business date (the clock lives outside the domain; tests fix it).
    pub today: Arc<dyn Fn() -> NaiveDate + Send + Sync>,
    pub idempotency: Arc<crate::idempotency::Responses>,
    /// The read models the runner keeps (`None`: the read routes answer 503).
    pub read_models: Option<Arc<dyn ReadModelSink>>,
}

impl std::fmt::Debug for ApiState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiState")
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl ApiState {
    /// A state whose business date is the machine's local date.
    pub fn new(service: Arc<Service>) -> Self {
        Self::with_clock(service, Arc::new(|| chrono::Local::now().date_naive()))
    }

    pub fn with_clock(
        service: Arc<Service>,
        today: Arc<dyn Fn() -> NaiveDate + Send + Sync>,
    ) -> Self {
        Self {
            service,
            today,
            idempotency: Arc::new(crate::idempotency::Responses::default()),
            read_models: None,
        }
    }

    /// This state reading from `read_models` (the database the projections runner writes).
    #[must_use]
    pub fn with_read_models(mut self, read_models: Arc<dyn ReadModelSink>) -> Self {
        self.read_models = Some(read_models);
        self
    }

    pub fn today(&self) -> NaiveDate {
        (self.today)()
    }
}
