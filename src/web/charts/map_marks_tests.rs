//! Unit tests of what the map marks beside the shading (`map.rs`): the chosen district and the
//! landmarks.

use super::super::tests::assert_no_bad_numbers;
use super::super::{Landmark, LandmarkKind};
use super::tests::{communities, core_areas};
use super::*;

#[test]
fn the_chosen_district_is_outlined_and_marked_current_the_others_drawn_as_before() {
    let collection = communities();
    let mut districts = core_areas(&collection);
    districts
        .iter_mut()
        .find(|d| d.name == "Beltline")
        .unwrap()
        .current = true;

    let html = map("Coverage", "Planned coverage", &districts, &[])
        .render()
        .unwrap();

    assert_eq!(html.matches(r#"aria-current="true""#).count(), 1);
    let current = html.find(r#"aria-current="true""#).unwrap();
    let link = &html[html[..current].rfind("<a ").unwrap()..current];
    assert!(link.contains(r#"href="/districts/BLN""#), "{link}");
    assert!(html.contains("<title>Beltline (selected): 63.2% planned coverage</title>"));
    assert_eq!(html.matches(r#"class="current-outline""#).count(), 1);
    assert_eq!(html.matches(r#"<path class="district "#).count(), 6);
    assert!(html.contains(">selected district</text>"));
    assert!(html.contains("<td>district (selected)</td>"));
    assert!(html.contains("Beltline is selected and outlined."));
}

#[test]
fn landmarks_inside_the_view_are_drawn_with_their_names_and_a_legend_entry() {
    let collection = communities();
    let districts = core_areas(&collection);
    let landmarks = [
        Landmark {
            name: "Centre St".into(),
            kind: LandmarkKind::Station,
            lon: -114.0617,
            lat: 51.0464,
        },
        Landmark {
            name: "Shawnessy".into(),
            kind: LandmarkKind::Station,
            lon: -114.0706,
            lat: 50.9106,
        },
        Landmark {
            name: "District 1 Office".into(),
            kind: LandmarkKind::PoliceOffice,
            lon: -114.0388,
            lat: 51.0306,
        },
    ];
    let around = Surroundings {
        context: &[],
        landmarks: &landmarks,
    };

    let html = map_with_context("Coverage", "Planned coverage", &districts, &[], &around)
        .render()
        .unwrap();

    assert!(html.contains("<title>Centre St (CTrain station)</title>"));
    assert!(
        !html.contains("Shawnessy"),
        "a station across town is left out"
    );
    // Just outside the districts, the office is brought into the view and labelled.
    assert!(html.contains("<title>District 1 Office (police office)</title>"));
    assert!(html.contains(">District 1 Office</text>"));
    assert!(html.contains(">CTrain station</text>") && html.contains(">police office</text>"));
    assert_eq!(html.matches(r#"<circle class="station""#).count(), 1);
    assert_no_bad_numbers(&html);
}
