//! Each city's community outlines, read and parsed once per change of its communities: the
//! dashboard map draws those around a pilot's districts as faint context, and parsing a city's
//! 2 MB of boundaries on every dashboard computed would cost more than the dashboard itself.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sqlx::PgPool;

use crate::db::communities::{self, Stamp};
use crate::domain::City;
use crate::web::charts::{Polygon, polygons};

/// A community's code (to leave out those that are a pilot's districts) and its outline in
/// lon/lat.
pub struct Outline {
    pub code: String,
    pub shape: Vec<Polygon>,
}

/// A city's outlines with the stamp of the communities they were read from.
type Read = (Stamp, Arc<Vec<Outline>>);

/// The outlines of every city asked for so far.
#[derive(Clone, Default)]
pub struct CityOutlines {
    cities: Arc<Mutex<HashMap<City, Read>>>,
}

impl CityOutlines {
    /// The outlines of `city`'s communities as they are now stored.
    pub async fn of(&self, db: &PgPool, city: &City) -> Result<Arc<Vec<Outline>>, sqlx::Error> {
        let stamp = communities::stamp(db, city).await?;
        if let Some((read, outlines)) = self.lock().get(city)
            && *read == stamp
        {
            return Ok(Arc::clone(outlines));
        }
        let outlines: Arc<Vec<Outline>> = Arc::new(
            communities::list(db, city)
                .await?
                .into_iter()
                .map(|c| Outline {
                    shape: polygons(&c.boundary),
                    code: c.code,
                })
                .collect(),
        );
        self.lock()
            .insert(city.clone(), (stamp, Arc::clone(&outlines)));
        Ok(outlines)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<City, Read>> {
        // A panic while holding the lock leaves a map that is still whole: use it.
        self.cities.lock().unwrap_or_else(|e| e.into_inner())
    }
}
