//! Database ids as types. An id that crosses a layer (handler to service, service to query) is one
//! of these, so a shift's id cannot be passed where a hotspot's is wanted. Each is stored as
//! `bigint` and travels in forms, URLs and JSON as a plain number.

/// Declares id newtypes over `i64`, read and written by sqlx as `bigint` (arrays too), by serde as
/// a number, and shown as the number.
macro_rules! ids {
    ($( $(#[$meta:meta])* $name:ident ),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )+};
}

ids! {
    /// A pilot (`pilots.id`).
    PilotId,
    /// A district of a pilot (`districts.id`).
    DistrictId,
    /// A community of a city (`communities.id`).
    CommunityId,
    /// A hotspot (`hotspots.id`).
    HotspotId,
    /// An officer (`officers.id`).
    OfficerId,
    /// An officer's assignment to a pilot (`assignments.id`).
    AssignmentId,
    /// A team of a pilot (`teams.id`).
    TeamId,
    /// A shift (`shifts.id`).
    ShiftId,
    /// A logged visit (`visits.id`).
    VisitId,
    /// A logged activity (`activities.id`).
    ActivityId,
    /// A user account (`users.id`).
    UserId,
}

#[cfg(test)]
mod tests {
    use super::{HotspotId, ShiftId};

    #[test]
    fn an_id_reads_and_shows_as_its_number() {
        assert_eq!("42".parse::<ShiftId>(), Ok(ShiftId(42)));
        assert!("4x".parse::<ShiftId>().is_err());
        assert_eq!(HotspotId(7).to_string(), "7");
        assert_eq!(serde_json::to_string(&HotspotId(7)).unwrap(), "7");
        assert_eq!(
            serde_json::from_str::<HotspotId>("7").unwrap(),
            HotspotId(7)
        );
    }
}
