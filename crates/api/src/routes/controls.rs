//! Random-sample controls (K-01): staff draw a sample, which opens a control case in each
//! selected dossier.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::dossier::ControlKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::json::AppJson;
use crate::state::ApiState;

/// A sample to draw.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawSample {
    /// The budget year controlled; the population is every dossier with a budget in it.
    pub year: i32,
    /// `standard` (correct spending) or `sufficiency` (sufficient spending).
    #[schema(value_type = String, example = "standard")]
    pub kind: ControlKind,
    /// How many dossiers to select.
    pub size: u32,
}

/// A drawn sample and the control cases it opened.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DrawnSample {
    pub sample: Uuid,
    /// The seed the selection is computed from (recorded, so the draw replays).
    pub seed: u64,
    /// How many dossiers had a budget in the year.
    pub population: usize,
    /// The selected dossiers, each with the control case opened in it.
    pub opened: Vec<OpenedCase>,
    /// Selected dossiers whose control case was refused, with the refusal's code.
    pub refused: Vec<RefusedCase>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OpenedCase {
    pub dossier: Uuid,
    pub control: Uuid,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RefusedCase {
    pub dossier: Uuid,
    pub code: String,
}

#[utoipa::path(post, path = "/api/controls/samples", tag = "controls",
    request_body = DrawSample,
    responses((status = 201, body = DrawnSample, description = "Drawn; a control case is open in each selected dossier"),
              (status = 422, body = crate::error::Problem, description = "Refused (e.g. SAMPLE_SIZE_INVALID)")))]
pub async fn draw_sample(
    State(state): State<ApiState>,
    Extension(principal): Extension<Principal>,
    AppJson(draw): AppJson<DrawSample>,
) -> Result<Response, ApiError> {
    let write = principal.write_context(Uuid::now_v7());
    let drawn = state
        .service
        .draw_control_sample(
            draw.year,
            draw.kind,
            draw.size,
            principal.actor()?,
            state.today(),
            &write,
        )
        .await?;
    let answer = DrawnSample {
        sample: drawn.sample.as_uuid(),
        seed: drawn.seed,
        population: drawn.population,
        opened: drawn
            .opened
            .iter()
            .map(|(dossier, control)| OpenedCase {
                dossier: dossier.as_uuid(),
                control: control.as_uuid(),
            })
            .collect(),
        refused: drawn
            .refused
            .iter()
            .map(|(dossier, code)| RefusedCase {
                dossier: dossier.as_uuid(),
                code: code.clone(),
            })
            .collect(),
    };
    Ok((StatusCode::CREATED, axum::Json(answer)).into_response())
}
