//! The controls stream: one registry stream of random control samples (K-01, brief §6:
//! "random sampling must be reproducible: store the seed and the population snapshot").
//!
//! The seed is generated outside the domain (the domain has no randomness) and passed in the
//! command; the selection is a pure function of the seed, the population and the sample size, so
//! a replay or an auditor recomputes exactly the same dossiers ([`select`]). Each selected dossier
//! then gets a control case in its own stream ([`control_case`] makes its `OpenControlCase`, with
//! `ControlSelection::RandomSample`), which is where evidence, visits, findings and recoveries
//! live. Samples sit in one stream of their own because a sample spans dossiers.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Context;
use crate::dossier::{ControlKind, ControlSelection, Dossier, OpenControlCase};
use crate::rejection::Action;
use crate::rejection::{Reason, Rejection};
use crate::values::{BudgetId, ControlId, DossierId, SampleId};

/// The name of the selection algorithm, recorded in every sample so a later change of algorithm
/// never changes how an old sample replays.
pub const ALGORITHM: &str = "splitmix64-partial-fisher-yates-v1";

/// SplitMix64 (Steele, Lea, Flood 2014): a small, well-known deterministic generator. Not for
/// secrets; only to make a selection reproducible from its seed.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (rejection sampling, no modulo bias).
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let value = self.next();
            if value < zone {
                return value % bound;
            }
        }
    }
}

/// The dossiers a sample selects: the population sorted by id (so its order in the command does
/// not matter), a partial Fisher–Yates shuffle driven by SplitMix64 from `seed`, the first `size`
/// taken, returned sorted.
pub fn select(seed: u64, population: &[DossierId], size: usize) -> Vec<DossierId> {
    let mut pool: Vec<DossierId> = population.to_vec();
    pool.sort_unstable();
    let mut rng = SplitMix64(seed);
    let size = size.min(pool.len());
    for i in 0..size {
        let remaining = (pool.len() - i) as u64;
        let offset = usize::try_from(rng.below(remaining)).unwrap_or(0);
        pool.swap(i, i + offset);
    }
    let mut selected: Vec<DossierId> = pool.into_iter().take(size).collect();
    selected.sort_unstable();
    selected
}

/// Draw a random control sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum ControlsCommand {
    DrawSample(DrawControlSample),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawControlSample {
    pub sample: SampleId,
    /// The budget year controlled.
    pub year: i32,
    pub kind: ControlKind,
    /// Generated outside the domain, recorded for replay.
    pub seed: u64,
    /// The dossiers eligible on the day of the draw (the population snapshot).
    pub population: Vec<DossierId>,
    pub size: u32,
}

/// A random control sample was drawn: seed, population and selection recorded for replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ControlSampleDrawn {
    pub sample: SampleId,
    /// The budget year controlled.
    pub year: i32,
    pub kind: ControlKind,
    /// The seed the selection is computed from.
    pub seed: u64,
    /// The population snapshot, sorted by dossier id.
    pub population: Vec<DossierId>,
    /// The number of dossiers drawn.
    pub size: u32,
    /// The dossiers selected, sorted; always `select(seed, population, size)`.
    pub selected: Vec<DossierId>,
    /// The selection algorithm and its version.
    pub algorithm: String,
    /// Date of the draw.
    pub drawn_on: NaiveDate,
}

crate::event::event_enum! {
    /// Events of the controls stream.
    ControlsEvent {
        ControlSampleDrawn = 1,
    }
}

/// State of the controls stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Controls {
    samples: BTreeMap<SampleId, ControlSampleDrawn>,
}

impl Controls {
    pub fn sample(&self, sample: SampleId) -> Option<&ControlSampleDrawn> {
        self.samples.get(&sample)
    }

    /// True when the sample selected the dossier (for the application layer before it opens a
    /// control case for a sample).
    pub fn selects(&self, sample: SampleId, dossier: DossierId) -> bool {
        self.sample(sample)
            .is_some_and(|s| s.selected.contains(&dossier))
    }
}

/// Decides a draw.
///
/// # Errors
/// `NOT_AUTHORISED` for anyone but VAPH; `DUPLICATE_SAMPLE`; `POPULATION_HAS_DUPLICATES`;
/// `SAMPLE_SIZE_INVALID` for an empty sample or one larger than the population.
pub fn decide(
    command: &ControlsCommand,
    state: &Controls,
    ctx: &Context<'_>,
) -> Result<Vec<ControlsEvent>, Rejection> {
    let ControlsCommand::DrawSample(command) = command;
    if !ctx.actor.is_agency() {
        return Err(Reason::NotAuthorised {
            action: Action::new("draw a control sample", "een controlesteekproef te trekken"),
        }
        .into());
    }
    if state.samples.contains_key(&command.sample) {
        return Err(Reason::DuplicateSample.into());
    }
    let population: BTreeSet<DossierId> = command.population.iter().copied().collect();
    if population.len() != command.population.len() {
        return Err(Reason::PopulationHasDuplicates.into());
    }
    let size = usize::try_from(command.size).unwrap_or(usize::MAX);
    if size == 0 || size > population.len() {
        return Err(Reason::SampleSizeInvalid {
            size: command.size,
            population: population.len(),
        }
        .into());
    }
    let population: Vec<DossierId> = population.into_iter().collect();
    Ok(vec![
        ControlSampleDrawn {
            sample: command.sample,
            year: command.year,
            kind: command.kind,
            seed: command.seed,
            selected: select(command.seed, &population, size),
            population,
            size: command.size,
            algorithm: ALGORITHM.to_owned(),
            drawn_on: ctx.today,
        }
        .into(),
    ])
}

/// The budget of `dossier` a control of `year` looks at: the first budget with an annual amount
/// for that year. A dossier without one is not in the population of a draw for that year.
pub fn budget_controlled(dossier: &Dossier, year: i32) -> Option<BudgetId> {
    dossier
        .budgets
        .values()
        .find(|budget| budget.annual_amounts.contains_key(&year))
        .map(|budget| budget.id)
}

/// The control case a drawn sample opens in one of the dossiers it selected: over the whole
/// budget year, for the budget that has an amount for that year; `None` when the sample did not
/// select the dossier or the dossier has no such budget.
pub fn control_case(
    drawn: &ControlSampleDrawn,
    dossier_id: DossierId,
    dossier: &Dossier,
    control: ControlId,
) -> Option<OpenControlCase> {
    if !drawn.selected.contains(&dossier_id) {
        return None;
    }
    Some(OpenControlCase {
        control,
        budget: budget_controlled(dossier, drawn.year)?,
        selection: ControlSelection::RandomSample {
            sample: drawn.sample,
            seed: drawn.seed,
        },
        kind: drawn.kind,
        period_from: NaiveDate::from_ymd_opt(drawn.year, 1, 1)?,
        period_to: NaiveDate::from_ymd_opt(drawn.year, 12, 31)?,
    })
}

/// The name of the one controls stream.
pub const STREAM: &str = "controls";

/// The controls stream: every random sample drawn.
#[derive(Debug, Clone, Copy)]
pub struct ControlsStream;

impl crate::Decider for ControlsStream {
    type Id = ();
    type Command = ControlsCommand;
    type Event = ControlsEvent;
    type State = Controls;
    const KIND: &'static str = "controls";

    fn stream((): &()) -> String {
        STREAM.to_owned()
    }

    fn decide(
        command: &ControlsCommand,
        state: &Controls,
        ctx: &Context<'_>,
    ) -> Result<Vec<ControlsEvent>, Rejection> {
        decide(command, state, ctx)
    }

    fn reason(command: &Self::Command) -> Result<Option<String>, Rejection> {
        crate::command_reasons::stated(Self::KIND, command)
    }

    fn evolve(state: Controls, event: &ControlsEvent) -> Controls {
        evolve(state, event)
    }
}

/// Applies a draw.
pub fn evolve(mut state: Controls, event: &ControlsEvent) -> Controls {
    let ControlsEvent::ControlSampleDrawn(drawn) = event;
    state.samples.insert(drawn.sample, drawn.clone());
    state
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn dossiers(n: u128) -> Vec<DossierId> {
        (1..=n)
            .map(|i| DossierId::from_uuid(Uuid::from_u128(i)))
            .collect()
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Reference values of SplitMix64 for seed 1234567 (from the published C implementation).
        let mut rng = SplitMix64(1_234_567);
        assert_eq!(rng.next(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn the_selection_depends_only_on_seed_population_and_size() {
        let population = dossiers(50);
        let mut shuffled = population.clone();
        shuffled.reverse();
        let a = select(42, &population, 5);
        assert_eq!(a, select(42, &shuffled, 5));
        assert_eq!(a.len(), 5);
        assert_ne!(a, select(43, &population, 5));
        let all = select(7, &population, 50);
        assert_eq!(all, population);
    }
}
