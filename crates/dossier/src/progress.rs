//! Progress bars for long work, on standard error so standard output stays parseable.

use indicatif::{ProgressBar, ProgressStyle};

/// A bar counting `unit`s up to `total`, or a spinner with a count when the total is unknown.
/// Hidden when standard error is not a terminal.
pub fn bar(total: Option<u64>, unit: &str) -> ProgressBar {
    let bar = match total {
        Some(total) => ProgressBar::new(total).with_style(
            ProgressStyle::with_template(&format!(
                "{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{per_sec}}, {{eta}} left)"
            ))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template(&format!("{{elapsed_precise}} {{spinner}} {{pos}} {unit} ({{per_sec}})"))
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar
}

/// Plain progress lines for when standard error is not a terminal (a log file, a service
/// manager, a test harness), where [`bar`] is hidden: the first report at once, then at most
/// one every few seconds.
#[derive(Debug)]
pub struct Ticker {
    enabled: bool,
    every: std::time::Duration,
    last: Option<std::time::Instant>,
}

impl Ticker {
    pub fn new() -> Self {
        Self {
            enabled: !std::io::IsTerminal::is_terminal(&std::io::stderr()),
            every: std::time::Duration::from_secs(5),
            last: None,
        }
    }

    /// Prints `line()` on standard error if this is the first report or the last one is a
    /// while ago.
    pub fn report(&mut self, line: impl FnOnce() -> String) {
        if !self.enabled || self.last.is_some_and(|t| t.elapsed() < self.every) {
            return;
        }
        self.last = Some(std::time::Instant::now());
        eprintln!("{}", line());
    }
}
