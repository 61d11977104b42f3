//! The figure the dashboard map is shaded by, chosen in the page's address (`shade=`).

use crate::coverage::DayFigures;

crate::text_enum! {
    /// Which coverage the map's districts and hotspots are shaded by: what patrols delivered
    /// unless the reader asks for what was planned.
    pub enum ShadeBy("map shading") {
        Delivered = "delivered",
        Planned = "planned",
    }
}

impl ShadeBy {
    /// The choice in `shade=`: delivered when there is none; a name that is no choice is read as
    /// delivered too, with the sentence the page shows about it (never an error page for a map).
    pub fn chosen(text: Option<&str>) -> (ShadeBy, Option<String>) {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => (ShadeBy::Delivered, None),
            Some(text) => match text.parse() {
                Ok(shade) => (shade, None),
                Err(_) => (
                    ShadeBy::Delivered,
                    Some(
                        "The map can be shaded by delivered or planned coverage, so it shows \
                         delivered coverage."
                            .to_owned(),
                    ),
                ),
            },
        }
    }

    /// The figure's name as the map's legend and title print it.
    pub fn measure(self) -> &'static str {
        match self {
            ShadeBy::Delivered => "Delivered coverage",
            ShadeBy::Planned => "Planned coverage",
        }
    }

    /// The figure of an area, `None` when it has no hotspot-blocks in range.
    pub fn figure(self, figures: &DayFigures) -> Option<f64> {
        (figures.blocks > 0).then(|| match self {
            ShadeBy::Delivered => figures.delivered_pct(),
            ShadeBy::Planned => figures.planned_pct(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivered_unless_planned_is_asked_for_and_an_unknown_name_is_told() {
        assert_eq!(ShadeBy::chosen(None), (ShadeBy::Delivered, None));
        assert_eq!(ShadeBy::chosen(Some(" ")), (ShadeBy::Delivered, None));
        assert_eq!(ShadeBy::chosen(Some("planned")), (ShadeBy::Planned, None));
        let (shade, notice) = ShadeBy::chosen(Some("<b>hours</b>"));
        assert_eq!(shade, ShadeBy::Delivered);
        assert!(notice.unwrap().contains("delivered or planned"));
    }
}
