//! Tests of the heatmap's layout: runs of alike hours, titles, labels and the table.
use super::super::tests::assert_no_bad_numbers;
use super::*;

/// Chinatown: 14 blocks an hour on weekdays 8:00–19:00, 12 planned; nothing at night or at
/// weekends.
fn chinatown() -> HeatmapRow {
    let cells = (0..HOURS)
        .map(|hour| {
            let (day, clock) = (hour / 24, hour % 24);
            if day < 5 && (8..20).contains(&clock) {
                (14, 12)
            } else {
                (0, 0)
            }
        })
        .collect();
    HeatmapRow {
        label: "Chinatown".into(),
        href: "/hotspots/3".into(),
        cells,
    }
}

/// The rectangles of a rendered row as (x, width, title).
fn drawn_cells(html: &str) -> Vec<(f64, f64, String)> {
    let height = format!("height=\"{CELL_HEIGHT}\"");
    html.split("<rect ")
        .skip(1)
        .filter(|rect| rect.contains(&height))
        .map(|rect| {
            let attr = |name: &str| {
                let start = rect.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                rect[start..start + rect[start..].find('"').unwrap()].to_owned()
            };
            let title = &rect[rect.find("<title>").unwrap() + 7..rect.find("</title>").unwrap()];
            let x = rect[3..3 + rect[3..].find('"').unwrap()].parse().unwrap();
            (x, attr("width").parse().unwrap(), title.to_owned())
        })
        .collect()
}

#[test]
fn every_hour_is_drawn_once_with_runs_of_alike_hours_in_one_titled_cell() {
    let html = heatmap("Planned by hour", &[chinatown()]).render().unwrap();

    let cells = drawn_cells(&html);
    let hours: f64 = cells.iter().map(|(_, width, _)| width / CELL_WIDTH).sum();
    assert_eq!(hours, HOURS as f64);
    // Each weekday is night, day, evening (3 runs); each weekend day one run.
    assert_eq!(cells.len(), 5 * 3 + 2);
    let titles: Vec<&str> = cells.iter().map(|(_, _, title)| title.as_str()).collect();
    assert!(titles.contains(&"Chinatown, Tue 08:00–20:00: 144 of 168 blocks planned (85.7%)"));
    assert!(titles.contains(&"Chinatown, Sat 00:00–24:00: no hotspot-blocks"));
    assert_no_bad_numbers(&html);
}

#[test]
fn an_hour_unlike_its_neighbours_is_a_cell_of_its_own() {
    let mut row = chinatown();
    row.cells[24 + 14] = (14, 7);
    let html = heatmap("Planned by hour", &[row]).render().unwrap();

    let cells = drawn_cells(&html);
    let (x, width, _) = cells
        .iter()
        .find(|(_, _, title)| title == "Chinatown, Tue 14:00: 7 of 14 blocks planned (50.0%)")
        .unwrap();
    assert_eq!(*width, CELL_WIDTH);
    let tuesday = LABEL_WIDTH + DAY_WIDTH + DAY_GAP;
    assert_eq!(*x, tuesday + 14.0 * CELL_WIDTH);
    assert_eq!(cells.len(), 5 * 3 + 2 + 2);
}

#[test]
fn hours_of_one_shade_step_share_a_cell_whose_title_sums_them() {
    let mut row = chinatown();
    // 13 of 14 (92.9%) is in the same 80–100% step as the other hours' 12 of 14.
    row.cells[24 + 14] = (14, 13);
    let html = heatmap("Planned by hour", &[row]).render().unwrap();

    let cells = drawn_cells(&html);
    assert_eq!(cells.len(), 5 * 3 + 2);
    let titles: Vec<&str> = cells.iter().map(|(_, _, title)| title.as_str()).collect();
    // 11 hours of 12 of 14, and one of 13 of 14: 145 of 168 (86.3%).
    assert!(titles.contains(&"Chinatown, Tue 08:00–20:00: 145 of 168 blocks planned (86.3%)"));
}

#[test]
fn hours_without_blocks_are_hatched_not_shaded_as_zero() {
    let mut row = chinatown();
    row.cells[0] = (3, 0);
    let html = heatmap("Planned by hour", &[row]).render().unwrap();

    let cells = drawn_cells(&html);
    let zero = cells
        .iter()
        .position(|(_, _, title)| title == "Chinatown, Mon 00:00: 0 of 3 blocks planned (0.0%)")
        .unwrap();
    let rects: Vec<&str> = html
        .split("<rect ")
        .skip(1)
        .filter(|rect| rect.contains(&format!("height=\"{CELL_HEIGHT}\"")))
        .collect();
    assert!(rects[zero].contains(r##"fill="#dbe9f6""##));
    let nothing = r#"fill="url(#heatmap-planned-by-hour-nodata)""#;
    let hatched: f64 = cells
        .iter()
        .zip(&rects)
        .filter(|(_, rect)| rect.contains(nothing))
        .map(|((_, width, _), _)| width / CELL_WIDTH)
        .sum();
    // 107 hours without blocks.
    assert_eq!(hatched, (HOURS - 5 * 12 - 1) as f64);
}

#[test]
fn days_and_hours_are_labelled() {
    let html = heatmap("Planned by hour", &[chinatown()]).render().unwrap();

    for day in DAYS {
        assert_eq!(html.matches(&format!(">{day}</text>")).count(), 1);
    }
    assert_eq!(html.matches(">18</text>").count(), 7);
    assert!(html.contains(">no blocks</text>"));
    assert!(html.contains(">80–100%</text>"));
}

#[test]
fn each_row_links_its_label_and_prints_its_week() {
    let html = heatmap("Planned by hour", &[chinatown()]).render().unwrap();

    assert!(html.contains(r#"<a href="/hotspots/3">"#));
    assert!(html.contains(
        ">Chinatown<title>Chinatown: 85.7% of hotspot-blocks planned this week</title></text>"
    ));
    assert!(html.contains(">85.7%</text>"));
}

#[test]
fn the_table_gives_each_day_inside_details() {
    let html = heatmap("Planned by hour", &[chinatown()]).render().unwrap();

    let details = html.find("<details").unwrap();
    let table = html.find("<table").unwrap();
    assert!(details < table);
    assert!(html.contains("<summary>"));
    assert!(html.contains(
        "<td>85.7%</td><td>85.7%</td><td>85.7%</td><td>85.7%</td><td>85.7%</td>\
         <td>no blocks</td><td>no blocks</td><td>85.7%</td>"
    ));
}

#[test]
fn short_and_long_rows_are_read_as_a_week_and_long_names_shortened() {
    let rows = [
        HeatmapRow {
            label: "Central Memorial Park and surroundings".into(),
            href: "/hotspots/1".into(),
            cells: vec![(2, 1)],
        },
        HeatmapRow {
            label: "Olympic Plaza".into(),
            href: "/hotspots/2".into(),
            cells: vec![(4, 4); 200],
        },
    ];
    let html = heatmap("Planned by hour", &rows).render().unwrap();

    let hours: f64 = drawn_cells(&html)
        .iter()
        .map(|(_, width, _)| width / CELL_WIDTH)
        .sum();
    assert_eq!(hours, 2.0 * HOURS as f64);
    assert!(html.contains(">Central Memorial Park…<title>"));
    assert!(html.contains(">Central Memorial Park and surroundings</a></th>"));
    assert!(html.contains(">100.0%</text>"));
    assert_no_bad_numbers(&html);
}

#[test]
fn no_rows_render_a_message_instead_of_a_chart() {
    let html = heatmap("Planned by hour", &[]).render().unwrap();

    assert!(!html.contains("<svg"));
    assert!(html.contains("Nothing to show for this selection."));
}
