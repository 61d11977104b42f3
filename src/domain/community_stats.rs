//! The City's monthly community statistics: which of its files a count comes from, and what the
//! count is of.

use serde::Serialize;

crate::text_enum! {
    /// Which of the City's files a count comes from; stored in `community_stats.dataset`.
    pub enum Dataset("dataset") {
        /// CPS Community Crime Statistics.
        Crime = "crime",
        /// Community Disorder Statistics.
        Disorder = "disorder",
    }
}

/// What a count is of within a dataset: the key of `community_stats`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, sqlx::FromRow)]
pub struct StatKey {
    /// The community as the City writes it, in capitals, e.g. `BELTLINE`.
    pub community: String,
    /// The category with its whitespace normalised.
    pub category: String,
    pub year: i32,
    /// 1–12.
    pub month: i32,
}
