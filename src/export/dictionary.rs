//! The shape of an export: its columns with their meaning, type and unit, and the SQL behind them.
//!
//! One table per dataset (in `datasets/`) writes the header row, reads the database row and
//! renders the data dictionary on the exports page, so the three cannot drift apart.

/// How a column's value is read from the database and written into its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number (SQL `int8`).
    Integer,
    /// Free text (SQL `text`); a cell a spreadsheet would read as a formula gets a leading `'`.
    Text,
    /// One of a fixed set of words (SQL `text`), e.g. `foot`; neutralised like text.
    Code,
    /// A local calendar date, `YYYY-MM-DD` (SQL `date`).
    Date,
    /// A local wall-clock time, `HH:MM` (SQL `time`).
    Time,
    /// An instant in UTC, RFC 3339 with offset `+00:00` (SQL `timestamptz`).
    Instant,
    /// The same instant on the pilot's local clock, RFC 3339 with the local offset.
    LocalInstant,
    /// A duration in minutes with up to 4 decimals, read from seconds (SQL `float8` seconds).
    Minutes,
    /// A number with up to 4 decimals (SQL `float8`).
    Decimal,
    /// JSON text (SQL `text` of a `jsonb`), written as stored, never altered.
    Json,
    /// Ids separated by `;` (SQL `text`).
    IdList,
}

impl Kind {
    /// The type as the data dictionary names it.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Integer => "integer",
            Kind::Text => "text",
            Kind::Code => "code (one of the listed words)",
            Kind::Date => "date, YYYY-MM-DD (local)",
            Kind::Time => "time, HH:MM (local)",
            Kind::Instant => "instant, RFC 3339 in UTC",
            Kind::LocalInstant => "local time, RFC 3339 with the pilot's UTC offset",
            Kind::Minutes => "decimal (up to 4 places)",
            Kind::Decimal => "decimal (up to 4 places)",
            Kind::Json => "JSON",
            Kind::IdList => "integers separated by ;",
        }
    }
}

/// One column of a dataset.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header; stable, `snake_case`.
    pub name: &'static str,
    pub kind: Kind,
    /// The unit of a quantity (`minutes`, `%`); empty when there is none.
    pub unit: &'static str,
    /// What the value means, for people.
    pub meaning: &'static str,
    /// The SQL expression that yields it, over the aliases of the dataset's `from` clause.
    pub sql: &'static str,
}

/// Shorthand for the tables in `datasets/`.
pub const fn col(
    name: &'static str,
    kind: Kind,
    unit: &'static str,
    meaning: &'static str,
    sql: &'static str,
) -> Column {
    Column {
        name,
        kind,
        unit,
        meaning,
        sql,
    }
}

/// A dataset that can be exported.
///
/// The `from` clause (with its `where`) is shared by the row count on the exports page and by the
/// export itself, so the two cannot disagree. It may use these parameters, bound the same for
/// every dataset: `$1` the pilot's id (`int8`), `$2` its time zone (`text`), `$3` and `$4` the
/// first and last local date (`date`), `$5` the district's id or null (`int8`), `$6` and `$7`
/// instants safely before the first and after the last local date (`timestamptz`), which let an
/// index narrow the rows before the exact local-date test.
#[derive(Debug)]
pub struct Dataset {
    /// The name in the URL: `/exports/{name}.csv`.
    pub name: &'static str,
    /// What one row is, for people.
    pub row: &'static str,
    /// What the date range selects, when it applies.
    pub by_range: Option<&'static str>,
    /// What the district selects, when it applies.
    pub by_district: Option<&'static str>,
    pub columns: &'static [Column],
    pub from: &'static str,
    pub order_by: &'static str,
    /// A query over the roll-ups giving the same number as counting `from`'s rows, for the
    /// datasets of a city-sized pilot that would otherwise count millions of rows; it may use the
    /// parameters `$1`..`$5`. Tests hold it to the rows the download has.
    pub counted_by: Option<&'static str>,
}

impl Dataset {
    /// The header row.
    pub fn header(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns.iter().map(|c| c.name)
    }

    /// `select <columns> <from> order by <order>`.
    pub fn select_sql(&self) -> String {
        let mut sql = String::from("select ");
        for (i, column) in self.columns.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(column.sql);
        }
        sql.push(' ');
        sql.push_str(self.from);
        sql.push_str(" order by ");
        sql.push_str(self.order_by);
        sql
    }

    /// The query for the rows the export will have: [`Dataset::counted_by`], or
    /// `select count(*) <from>`.
    pub fn count_sql(&self) -> String {
        match self.counted_by {
            Some(sql) => sql.to_owned(),
            None => format!("select count(*) {}", self.from),
        }
    }
}
