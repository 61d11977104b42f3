//! The demo's hotspots: illustrative areas around real downtown Calgary stations and landmarks.
//!
//! CPS does not publish hotspot polygons. The pilot's public reporting named City Hall/Olympic
//! Plaza, Central Memorial Park, Stephen Avenue, the 7 Avenue CTrain corridor and East Village, so
//! the demo draws an octagon of about 200 m around those places and says so in each `reason`.

use anyhow::Context;
use chrono::{NaiveDate, NaiveTime};
use serde_json::Value;

use super::districts::DistrictDef;
use super::geo::octagon;
use super::stations::{mean_of_stations, station_points};
use crate::domain::hotspot::Watch;

/// Where a hotspot is centred.
#[derive(Debug, Clone, Copy)]
enum Centre {
    /// The mean of the named points of `LRT_Stations.geojson` (a name may appear once per platform).
    Stations(&'static [&'static str]),
    /// A landmark's longitude and latitude.
    Landmark(f64, f64),
}

/// One hotspot as written by hand, before its geometry and district are worked out.
struct Spec {
    name: &'static str,
    centre: Centre,
    /// Half the width of the octagon, in metres.
    radius_m: f64,
    priority: i16,
    window: (u32, u32),
    target_minutes_per_day: i32,
    max_gap_minutes: i32,
    /// Set when the hotspot was identified after the pilot began (re-identification).
    active_from: Option<(i32, u32, u32)>,
    /// Set when the hotspot was stood down before the pilot ended.
    active_to: Option<(i32, u32, u32)>,
    /// What the area is around, completing "Illustrative area around ...".
    around: &'static str,
}

const fn spec(name: &'static str, centre: Centre, priority: i16, window: (u32, u32)) -> Spec {
    Spec {
        name,
        centre,
        radius_m: 100.0,
        priority,
        window,
        target_minutes_per_day: 120,
        max_gap_minutes: 120,
        active_from: None,
        active_to: None,
        around: "",
    }
}

/// The hand-written hotspot list; the order is the insertion order.
fn specs() -> Vec<Spec> {
    use Centre::{Landmark, Stations};
    vec![
        Spec {
            target_minutes_per_day: 180,
            around: "City Hall CTrain station and Olympic Plaza, named in the pilot's reporting",
            ..spec(
                "City Hall / Olympic Plaza",
                Landmark(-114.0582, 51.0458),
                1,
                (10, 2),
            )
        },
        Spec {
            target_minutes_per_day: 150,
            radius_m: 120.0,
            around: "the Stephen Avenue pedestrian mall (8 Avenue SW), named in the pilot's reporting",
            ..spec(
                "Stephen Avenue Mall",
                Landmark(-114.0650, 51.0457),
                1,
                (7, 19),
            )
        },
        Spec {
            around: "Central Memorial Park, named in the pilot's reporting",
            ..spec(
                "Central Memorial Park",
                Landmark(-114.0710, 51.0415),
                1,
                (10, 22),
            )
        },
        Spec {
            max_gap_minutes: 90,
            around: "the Centre Street CTrain platform on the 7 Avenue corridor",
            ..spec(
                "7 Ave CTrain – Centre St",
                Stations(&["Centre St"]),
                1,
                (18, 4),
            )
        },
        Spec {
            target_minutes_per_day: 90,
            around: "the 3 Street SW and 4 Street SW CTrain platforms on the 7 Avenue corridor",
            ..spec(
                "7 Ave CTrain – 3/4 St SW",
                Stations(&["3 St SW", "4 St SW"]),
                2,
                (7, 19),
            )
        },
        Spec {
            target_minutes_per_day: 90,
            around: "the 7 Street SW and 8 Street SW CTrain platforms on the 7 Avenue corridor",
            ..spec(
                "7 Ave CTrain – 7/8 St SW",
                Stations(&["7 St SW", "8 St SW"]),
                2,
                (16, 2),
            )
        },
        Spec {
            target_minutes_per_day: 60,
            max_gap_minutes: 180,
            active_to: Some((2023, 4, 15)),
            around: "Downtown West – Kerby CTrain station (stood down at the mid-April review)",
            ..spec(
                "Downtown West – Kerby Station",
                Stations(&["Downtown West - Kerby Station"]),
                3,
                (22, 6),
            )
        },
        Spec {
            target_minutes_per_day: 90,
            around: "Victoria Park / Stampede CTrain station",
            ..spec(
                "Victoria Park / Stampede Station",
                Stations(&["Victoria Park / Stampede"]),
                2,
                (18, 4),
            )
        },
        Spec {
            target_minutes_per_day: 90,
            radius_m: 120.0,
            active_from: Some((2023, 4, 3)),
            around: "17 Avenue SW at 4 Street SW (added at the April re-identification)",
            ..spec(
                "17 Avenue SW (Red Mile)",
                Landmark(-114.0725, 51.0386),
                2,
                (18, 4),
            )
        },
        Spec {
            target_minutes_per_day: 120,
            around: "4 Street SE and 7 Avenue SE in East Village, named in the pilot's reporting",
            ..spec(
                "East Village – 4 St SE & 7 Ave SE",
                Landmark(-114.0530, 51.0455),
                1,
                (22, 6),
            )
        },
        Spec {
            target_minutes_per_day: 60,
            max_gap_minutes: 180,
            around: "the East Village Riverwalk",
            ..spec(
                "East Village Riverwalk",
                Landmark(-114.0520, 51.0480),
                3,
                (10, 22),
            )
        },
        Spec {
            target_minutes_per_day: 90,
            radius_m: 90.0,
            around: "Centre Street and 2 Avenue SW in Chinatown",
            ..spec(
                "Chinatown – Centre St & 2 Ave SW",
                Landmark(-114.0627, 51.0512),
                2,
                (7, 19),
            )
        },
        Spec {
            target_minutes_per_day: 60,
            max_gap_minutes: 180,
            around: "Eau Claire Plaza and the Barclay Parade entrance to the river pathway",
            ..spec(
                "Eau Claire Plaza",
                Landmark(-114.0695, 51.0528),
                3,
                (10, 22),
            )
        },
    ]
}

/// A hotspot of a seeded pilot (the demo's or the city-scale one), ready to insert.
#[derive(Debug, Clone)]
pub struct HotspotDef {
    /// Unique within the pilot.
    pub name: String,
    /// Index into the pilot's list of districts.
    pub district: usize,
    /// When it is watched and what is aimed for.
    pub watch: Watch,
    /// Why the area was identified, and that its polygon is illustrative.
    pub reason: String,
    /// A GeoJSON Polygon geometry object.
    pub boundary: Value,
}

impl HotspotDef {
    /// Whether the hotspot is active on local date `day`.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.watch.is_active_on(day)
    }
}

/// The demo hotspots, each placed in the district of `districts` that contains its centre;
/// `pilot_start` is the `active_from` of the hotspots identified before the pilot.
pub fn hotspots(
    districts: &[DistrictDef],
    pilot_start: NaiveDate,
) -> anyhow::Result<Vec<HotspotDef>> {
    let stations = station_points()?;
    specs()
        .into_iter()
        .map(|s| {
            let centre = match s.centre {
                Centre::Landmark(lon, lat) => (lon, lat),
                Centre::Stations(names) => mean_of_stations(&stations, names)
                    .with_context(|| format!("placing hotspot {}", s.name))?,
            };
            let district = districts
                .iter()
                .position(|d| d.contains(centre))
                .with_context(|| format!("hotspot {} at {centre:?} lies in no district", s.name))?;
            let date = |(y, m, d): (i32, u32, u32)| {
                NaiveDate::from_ymd_opt(y, m, d).with_context(|| format!("bad date for {}", s.name))
            };
            let hour = |h: u32| {
                NaiveTime::from_hms_opt(h, 0, 0).with_context(|| format!("bad hour for {}", s.name))
            };
            Ok(HotspotDef {
                name: s.name.to_string(),
                district,
                watch: Watch {
                    priority: s.priority,
                    active_from: s.active_from.map(date).transpose()?.unwrap_or(pilot_start),
                    active_to: s.active_to.map(date).transpose()?,
                    window_start: hour(s.window.0)?,
                    window_end: hour(s.window.1)?,
                    target_minutes_per_day: s.target_minutes_per_day,
                    max_gap_minutes: s.max_gap_minutes,
                },
                reason: format!(
                    "Illustrative area around {}; CPS hotspot polygons are not public.",
                    s.around
                ),
                boundary: octagon(centre, s.radius_m),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::districts::{communities, core_districts};
    use super::super::geo::LonLat;
    use super::*;
    use crate::import::geometry;
    use geo::{Contains, Point};

    fn ring(h: &HotspotDef) -> Vec<LonLat> {
        h.boundary["coordinates"][0]
            .as_array()
            .expect("ring")
            .iter()
            .map(|p| (p[0].as_f64().expect("lon"), p[1].as_f64().expect("lat")))
            .collect()
    }

    /// The mean of the octagon's eight corners: its centre.
    fn centre(h: &HotspotDef) -> LonLat {
        let corners = &ring(h)[..8];
        let lon = corners.iter().map(|p| p.0).sum::<f64>() / 8.0;
        let lat = corners.iter().map(|p| p.1).sum::<f64>() / 8.0;
        (lon, lat)
    }

    fn demo() -> (Vec<DistrictDef>, Vec<HotspotDef>) {
        let districts = core_districts(&communities().expect("communities")).expect("districts");
        let start = NaiveDate::from_ymd_opt(2023, 2, 27).expect("date");
        let hotspots = hotspots(&districts, start).expect("hotspots");
        (districts, hotspots)
    }

    #[test]
    fn every_hotspot_centre_lies_in_its_district() {
        let (districts, hotspots) = demo();
        assert!((12..=14).contains(&hotspots.len()));
        for h in &hotspots {
            assert!(districts[h.district].contains(centre(h)), "{}", h.name);
        }
        let district_of = |name: &str| {
            let h = hotspots.iter().find(|h| h.name == name).expect("hotspot");
            districts[h.district].code.as_str()
        };
        assert_eq!(district_of("Central Memorial Park"), "BLN");
        assert_eq!(district_of("Downtown West – Kerby Station"), "DNW");
        assert_eq!(district_of("Chinatown – Centre St & 2 Ave SW"), "CHN");
        assert_eq!(district_of("Eau Claire Plaza"), "EAU");
        assert_eq!(district_of("East Village Riverwalk"), "DNE");
    }

    #[test]
    fn every_district_has_a_hotspot_and_names_are_unique() {
        let (districts, hotspots) = demo();
        for (i, d) in districts.iter().enumerate() {
            assert!(
                hotspots.iter().any(|h| h.district == i),
                "{} has no hotspot",
                d.code
            );
        }
        let mut names: Vec<_> = hotspots.iter().map(|h| h.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), hotspots.len());
    }

    #[test]
    fn hotspots_mix_priorities_windows_and_active_dates() {
        let (_, hotspots) = demo();
        for p in 1..=3 {
            assert!(hotspots.iter().any(|h| h.watch.priority == p));
        }
        let crossing = hotspots
            .iter()
            .filter(|h| h.watch.window_end <= h.watch.window_start)
            .count();
        assert!(crossing >= 3, "{crossing} windows cross midnight");
        assert!(
            hotspots
                .iter()
                .any(|h| h.watch.window_end > h.watch.window_start)
        );
        let start = NaiveDate::from_ymd_opt(2023, 2, 27).expect("date");
        assert!(hotspots.iter().any(|h| h.watch.active_from > start));
        assert!(hotspots.iter().any(|h| h.watch.active_to.is_some()));
        assert!(
            hotspots
                .iter()
                .all(|h| h.reason.contains("CPS hotspot polygons are not public"))
        );
    }

    #[test]
    fn octagons_are_valid_about_200_m_across_and_contain_their_centre() {
        let (_, hotspots) = demo();
        for h in &hotspots {
            let ring = ring(h);
            assert_eq!(ring.len(), 9);
            assert_eq!(ring.first(), ring.last());
            let shape = geometry::from_geojson(&h.boundary, false).expect("a polygon");
            assert_eq!(geometry::check(&shape), Ok(()), "{}", h.name);
            assert!(shape.contains(&Point::from(centre(h))));
            let (min, max) = ring.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
                (lo.min(p.1), hi.max(p.1))
            });
            let across_m = (max - min) * 111_132.0;
            assert!(
                (150.0..=250.0).contains(&across_m),
                "{} is {across_m} m across",
                h.name
            );
        }
    }
}
