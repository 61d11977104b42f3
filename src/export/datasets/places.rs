//! Districts and hotspots.

use crate::export::dictionary::{Column, Dataset, Kind::*, col};

const DISTRICT_COLUMNS: &[Column] = &[
    col("id", Integer, "", "District id (districts.id).", "d.id"),
    col(
        "code",
        Text,
        "",
        "Short code, unique in the pilot, e.g. BLN.",
        "d.code",
    ),
    col(
        "name",
        Text,
        "",
        "Name, as the City names the community.",
        "d.name",
    ),
    col(
        "hotspots",
        Integer,
        "hotspots",
        "Number of hotspots in the district.",
        "(select count(*) from hotspots x where x.district_id = d.id)",
    ),
    col(
        "boundary_geojson",
        Json,
        "",
        "Boundary as a GeoJSON MultiPolygon in WGS84 longitude/latitude. Spreadsheets cut cells \
         past 32,767 characters; read this column with a GIS or a script.",
        "d.boundary::text",
    ),
];

/// The districts of the pilot.
pub static DISTRICTS: Dataset = Dataset {
    name: "districts",
    row: "a district (coverage area) of the pilot",
    by_range: None,
    by_district: None,
    columns: DISTRICT_COLUMNS,
    from: "from districts d where d.pilot_id = $1",
    order_by: "d.id",
    counted_by: None,
};

const HOTSPOT_COLUMNS: &[Column] = &[
    col("id", Integer, "", "Hotspot id (hotspots.id).", "h.id"),
    col(
        "district_id",
        Integer,
        "",
        "The district it lies in (districts.id).",
        "h.district_id",
    ),
    col("district_code", Text, "", "The district's code.", "d.code"),
    col("district_name", Text, "", "The district's name.", "d.name"),
    col("name", Text, "", "Hotspot name.", "h.name"),
    col(
        "priority",
        Integer,
        "",
        "Priority, 1 (highest) to 3.",
        "h.priority::int8",
    ),
    col(
        "active_from",
        Date,
        "",
        "First day the hotspot is patrolled, inclusive.",
        "h.active_from",
    ),
    col(
        "active_to",
        Date,
        "",
        "Last day, inclusive; empty when open-ended (to the end of the pilot).",
        "h.active_to",
    ),
    col(
        "window_start",
        Time,
        "",
        "Start of the daily watch window.",
        "h.window_start",
    ),
    col(
        "window_end",
        Time,
        "",
        "End of the daily watch window; at or before window_start when it crosses midnight (the \
         window then belongs to the day it opens).",
        "h.window_end",
    ),
    col(
        "target_minutes_per_day",
        Integer,
        "minutes",
        "Patrol minutes aimed for each active day (the dosage target).",
        "h.target_minutes_per_day::int8",
    ),
    col(
        "max_gap_minutes",
        Integer,
        "minutes",
        "Longest stretch of the window without a visit that is acceptable.",
        "h.max_gap_minutes::int8",
    ),
    col(
        "reason",
        Text,
        "",
        "Why the hotspot was identified.",
        "h.reason",
    ),
    col(
        "boundary_geojson",
        Json,
        "",
        "Outline as a GeoJSON Polygon in WGS84 longitude/latitude.",
        "h.boundary::text",
    ),
];

/// The hotspots of the pilot, or of one district.
pub static HOTSPOTS: Dataset = Dataset {
    name: "hotspots",
    row: "a hotspot of the pilot",
    by_range: None,
    by_district: Some("hotspots in the district"),
    columns: HOTSPOT_COLUMNS,
    from: r#"from hotspots h join districts d on d.id = h.district_id
             where h.pilot_id = $1 and ($5::int8 is null or h.district_id = $5)"#,
    order_by: "h.id",
    counted_by: None,
};
