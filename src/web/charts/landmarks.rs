//! Landmarks on the map for bearings: points a reader knows (CTrain stations, a police office),
//! drawn as small symbols named by their `<title>`, only where they fall inside the view.

use geo::{Coord, LineString, Polygon, Rect};

use super::geometry::{Projection, bounds, overlap, union};
use super::num;

/// What a landmark is: it chooses the symbol and the legend's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LandmarkKind {
    /// A CTrain (light rail) station.
    Station,
    /// A police office; one just outside the areas widens the view to show it.
    PoliceOffice,
}

impl LandmarkKind {
    /// The legend's words for the kind.
    pub fn noun(self) -> &'static str {
        match self {
            LandmarkKind::Station => "CTrain station",
            LandmarkKind::PoliceOffice => "police office",
        }
    }
}

/// A named point, lon/lat WGS84.
#[derive(Clone, Debug, PartialEq)]
pub struct Landmark {
    pub name: String,
    pub kind: LandmarkKind,
    pub lon: f64,
    pub lat: f64,
}

/// How far outside the areas (as a share of their larger span) a police office may lie and still
/// be brought into the view: near enough to give bearings, never a whole city away.
const PULL: f64 = 0.15;
/// How far inside the view's edge a symbol must be to be drawn whole, in viewBox units.
const INSET: f64 = 6.0;

/// A landmark as drawn.
pub(super) struct Mark {
    pub x: String,
    pub y: String,
    /// "Victoria Park / Stampede (CTrain station)".
    pub title: String,
    pub station: bool,
    /// Police offices are few: they are labelled beside their symbol.
    pub label: Option<String>,
}

/// The police offices near enough to `focus` (lon/lat shapes) to be fitted into the view, each as
/// a point-sized shape the projection can fit.
pub(super) fn pulled_in<'a>(
    landmarks: &[Landmark],
    focus: impl Iterator<Item = &'a Vec<Polygon>>,
) -> Vec<Vec<Polygon>> {
    let Some(around) = focus.filter_map(|shape| bounds(shape)).reduce(union) else {
        return Vec::new();
    };
    let reach = PULL * around.width().max(around.height());
    let near = Rect::new(
        Coord {
            x: around.min().x - reach,
            y: around.min().y - reach,
        },
        Coord {
            x: around.max().x + reach,
            y: around.max().y + reach,
        },
    );
    landmarks
        .iter()
        .filter(|l| l.kind == LandmarkKind::PoliceOffice)
        .map(|l| point_shape(l.lon, l.lat))
        .filter(|shape| bounds(shape).is_some_and(|b| overlap(&b, &near)))
        .collect()
}

/// The landmarks that fall inside `view` under `projection`, in the order given.
pub(super) fn in_view(projection: &Projection, view: &Rect, landmarks: &[Landmark]) -> Vec<Mark> {
    landmarks
        .iter()
        .filter_map(|landmark| {
            let (x, y) = projection.point((landmark.lon, landmark.lat));
            let inside = x >= view.min().x + INSET
                && x <= view.max().x - INSET
                && y >= view.min().y + INSET
                && y <= view.max().y - INSET;
            inside.then(|| Mark {
                x: num(x),
                y: num(y),
                title: format!("{} ({})", landmark.name, landmark.kind.noun()),
                station: landmark.kind == LandmarkKind::Station,
                label: (landmark.kind == LandmarkKind::PoliceOffice).then(|| landmark.name.clone()),
            })
        })
        .collect()
}

/// A point as a shape of one corner, for fitting the projection around it.
fn point_shape(lon: f64, lat: f64) -> Vec<Polygon> {
    vec![Polygon::new(LineString::from(vec![(lon, lat)]), Vec::new())]
}

#[cfg(test)]
mod tests {
    use geo::polygon;

    use super::*;

    fn landmark(name: &str, kind: LandmarkKind, lon: f64, lat: f64) -> Landmark {
        Landmark {
            name: name.to_owned(),
            kind,
            lon,
            lat,
        }
    }

    fn downtown() -> Vec<Polygon> {
        vec![polygon![
            (x: -114.09, y: 51.035),
            (x: -114.05, y: 51.035),
            (x: -114.05, y: 51.055),
            (x: -114.09, y: 51.055),
        ]]
    }

    #[test]
    fn only_landmarks_inside_the_view_are_drawn() {
        let focus = downtown();
        let projection = Projection::fit([&focus].into_iter(), 800.0, 640.0, 16.0).unwrap();
        let view = projection.view();
        let landmarks = [
            landmark("Centre St", LandmarkKind::Station, -114.0617, 51.0464),
            landmark("Shawnessy", LandmarkKind::Station, -114.0706, 50.9106),
            landmark("Far east", LandmarkKind::PoliceOffice, -113.9, 51.04),
            // Three units from the view's left edge (the area is 18 in, at 19,110 units a
            // degree): its symbol would be cut, so it is left out.
            landmark("Edge", LandmarkKind::Station, -114.090785, 51.045),
        ];

        let marks = in_view(&projection, &view, &landmarks);

        let titles: Vec<&str> = marks.iter().map(|m| m.title.as_str()).collect();
        assert_eq!(titles, ["Centre St (CTrain station)"]);
        let (x, y): (f64, f64) = (marks[0].x.parse().unwrap(), marks[0].y.parse().unwrap());
        assert!((0.0..=800.0).contains(&x) && (0.0..=projection.height).contains(&y));
        assert!(marks[0].station && marks[0].label.is_none());
    }

    #[test]
    fn a_police_office_just_outside_is_pulled_into_the_view_one_across_town_is_not() {
        let focus = downtown();
        let landmarks = [
            landmark(
                "District 1 Office",
                LandmarkKind::PoliceOffice,
                -114.047,
                51.033,
            ),
            landmark(
                "District 5 Office",
                LandmarkKind::PoliceOffice,
                -113.9445,
                51.1245,
            ),
            landmark(
                "Erlton / Stampede",
                LandmarkKind::Station,
                -114.0589,
                51.0321,
            ),
        ];

        let pulled = pulled_in(&landmarks, [&focus].into_iter());

        assert_eq!(pulled.len(), 1);
        let projection =
            Projection::fit([&focus].into_iter().chain(&pulled), 800.0, 640.0, 16.0).unwrap();
        let view = projection.view();
        let marks = in_view(&projection, &view, &landmarks[..1]);
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].label.as_deref(), Some("District 1 Office"));
    }

    #[test]
    fn no_areas_pull_nothing() {
        let landmarks = [landmark("Office", LandmarkKind::PoliceOffice, -114.0, 51.0)];
        assert!(pulled_in(&landmarks, std::iter::empty()).is_empty());
    }
}
