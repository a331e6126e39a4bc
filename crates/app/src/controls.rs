//! Random control samples (K-01): the population is every dossier with a budget in the year, the
//! seed is drawn here (the domain has no randomness), the controls stream records the draw, and
//! each selected dossier gets its control case.

use chrono::NaiveDate;
use domain::controls::{ControlsCommand, ControlsStream, DrawControlSample};
use domain::dossier::{ControlKind, DossierCommand};
use domain::{Actor, ControlId, DossierId, SampleId};

use crate::executor::{ExecuteError, WriteContext};
use crate::service::{CommandError, Service};

/// What a draw did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnSample {
    pub sample: SampleId,
    pub seed: u64,
    /// How many dossiers were eligible (had a budget in the year).
    pub population: usize,
    /// The selected dossiers with the control case opened in each, sorted by dossier.
    pub opened: Vec<(DossierId, ControlId)>,
    /// Selected dossiers whose control case was refused, with the refusal's code.
    pub refused: Vec<(DossierId, String)>,
}

impl Service {
    /// Draws a random sample of `size` dossiers among those with a budget in `year` and opens a
    /// control case of `kind` over that year in each. A retry of a keyed request draws the same
    /// sample with the same seed and opens nothing twice.
    ///
    /// # Errors
    /// A refusal of the draw (`NOT_AUTHORISED`, `SAMPLE_SIZE_INVALID`, …) or a store failure;
    /// control cases already opened stay opened.
    pub async fn draw_control_sample(
        &self,
        year: i32,
        kind: ControlKind,
        size: u32,
        actor: Actor,
        today: NaiveDate,
        write: &WriteContext,
    ) -> Result<DrawnSample, CommandError> {
        let mut population = Vec::new();
        for id in self.dossier_ids().await? {
            let (dossier, _) = self.dossier(id).await?;
            if domain::controls::budget_controlled(&dossier, year).is_some() {
                population.push(id);
            }
        }
        let command = ControlsCommand::DrawSample(DrawControlSample {
            sample: SampleId::from_uuid(write.new_id("control-sample")),
            year,
            kind,
            seed: write.new_seed("control-sample-seed"),
            population: population.clone(),
            size,
        });
        let controls = self
            .execute::<ControlsStream>(&(), &command, actor, today, write, None)
            .await?;
        let ControlsCommand::DrawSample(draw) = &command;
        // A keyed retry answers the first draw: its sample is the one to open cases for.
        let drawn = controls
            .state
            .sample(draw.sample)
            .cloned()
            .ok_or_else(|| ExecuteError::Unencodable("the drawn sample is missing".into()))?;
        let mut outcome = DrawnSample {
            sample: drawn.sample,
            seed: drawn.seed,
            population: drawn.population.len(),
            opened: Vec::new(),
            refused: Vec::new(),
        };
        for &dossier_id in &drawn.selected {
            let (dossier, _) = self.dossier(dossier_id).await?;
            let control = ControlId::from_uuid(
                write.new_id(&format!("control-case {} {dossier_id}", drawn.sample)),
            );
            let Some(open) = domain::controls::control_case(&drawn, dossier_id, &dossier, control)
            else {
                continue;
            };
            let command = DossierCommand::OpenControlCase(open);
            match self
                .dossier_command(dossier_id, &command, actor, today, write, None)
                .await
            {
                Ok(_) => outcome.opened.push((dossier_id, control)),
                Err(ExecuteError::Rejected(r)) => {
                    outcome.refused.push((dossier_id, r.code().to_owned()));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(outcome)
    }
}
