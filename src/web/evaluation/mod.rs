//! The evaluation of a pilot (docs/evaluation.md): its JSON API and its page, both over one
//! [`Study`] per dataset kept by pilot data version.

pub mod csv;
pub mod json;
pub mod page;
mod patrols;

use std::sync::Arc;

use crate::db::evaluation;
use crate::db::pilots::VersionedPilot;
use crate::domain::community_stats::Dataset;
use crate::evaluation::Study;
use crate::state::AppState;
use crate::web::view_cache::ViewKey;

/// The study of `dataset` for the pilot `versioned`, from the cache when its data version has one.
pub async fn study(
    state: &AppState,
    versioned: &VersionedPilot,
    dataset: Dataset,
) -> Result<Arc<Study>, sqlx::Error> {
    let key = ViewKey {
        pilot: versioned.pilot.id,
        version: versioned.data_version,
        view: format!("evaluation-study?dataset={dataset}"),
        today: None,
    };
    if let Some(study) = state.evaluation_studies.get(&key) {
        return Ok(study);
    }
    let mut conn = state.db.acquire().await?;
    let study = Arc::new(evaluation::study(&mut conn, &versioned.pilot, dataset).await?);
    state.evaluation_studies.insert(key, study.clone());
    Ok(study)
}
