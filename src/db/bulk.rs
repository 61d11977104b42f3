//! Bulk loading, as the city-scale seed does it: a table is handed over as typed columns and sent
//! either with `COPY ... from stdin` or as `insert ... select * from unnest(...)` in chunks, so the
//! two can be measured against each other (`patrolboard seed scale --insert-with`).

use std::fmt::Write as _;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// How the large tables are sent to PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InsertWith {
    /// `COPY table (columns) from stdin`, in text format, about 4 MiB a message.
    Copy,
    /// `insert into table select * from unnest($1, $2, ...)`, 50,000 rows a statement.
    Unnest,
}

/// Rows a single `unnest` statement carries.
const UNNEST_ROWS: usize = 50_000;
/// Bytes of COPY data sent to the server at a time.
const COPY_BUFFER: usize = 4 << 20;

/// One column of a table to load, with its values in row order.
pub enum Column<'a> {
    Int8(Vec<i64>),
    OptInt8(Vec<Option<i64>>),
    Int4(Vec<i32>),
    Timestamptz(Vec<DateTime<Utc>>),
    Text(Vec<&'a str>),
}

impl Column<'_> {
    fn len(&self) -> usize {
        match self {
            Column::Int8(v) => v.len(),
            Column::OptInt8(v) => v.len(),
            Column::Int4(v) => v.len(),
            Column::Timestamptz(v) => v.len(),
            Column::Text(v) => v.len(),
        }
    }

    fn sql_type(&self) -> &'static str {
        match self {
            Column::Int8(_) | Column::OptInt8(_) => "int8[]",
            Column::Int4(_) => "int4[]",
            Column::Timestamptz(_) => "timestamptz[]",
            Column::Text(_) => "text[]",
        }
    }

    /// Appends row `row` in COPY's text format.
    fn write_copy(&self, row: usize, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = match self {
            Column::Int8(v) => write!(out, "{}", v[row]),
            Column::OptInt8(v) => match v[row] {
                Some(x) => write!(out, "{x}"),
                None => write!(out, "\\N"),
            },
            Column::Int4(v) => write!(out, "{}", v[row]),
            Column::Timestamptz(v) => write!(out, "{}", v[row].format("%Y-%m-%d %H:%M:%S+00")),
            Column::Text(v) => {
                for c in v[row].chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
                Ok(())
            }
        };
    }
}

/// A table to load: its name and its columns, all of the same length. The names are constants
/// of this module's callers, never input.
pub struct Table<'a> {
    pub name: &'static str,
    pub columns: Vec<(&'static str, Column<'a>)>,
}

impl Table<'_> {
    fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    fn column_list(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|(name, _)| *name).collect();
        names.join(", ")
    }
}

/// Loads every row of `table`; the number of rows written.
pub async fn load(
    conn: &mut PgConnection,
    table: &Table<'_>,
    how: InsertWith,
) -> anyhow::Result<u64> {
    let rows = table.rows();
    anyhow::ensure!(
        table.columns.iter().all(|(_, c)| c.len() == rows),
        "columns of {} differ in length",
        table.name
    );
    match how {
        InsertWith::Copy => copy(conn, table).await,
        InsertWith::Unnest => unnest(conn, table).await,
    }
    .with_context(|| format!("loading {rows} rows into {}", table.name))
}

async fn copy(conn: &mut PgConnection, table: &Table<'_>) -> anyhow::Result<u64> {
    // Identity values given in COPY data are kept, as with `overriding system value`.
    let statement = format!("copy {} ({}) from stdin", table.name, table.column_list());
    let mut sink = conn.copy_in_raw(&statement).await?;
    let mut buffer = String::with_capacity(COPY_BUFFER + 4096);
    for row in 0..table.rows() {
        for (i, (_, column)) in table.columns.iter().enumerate() {
            if i > 0 {
                buffer.push('\t');
            }
            column.write_copy(row, &mut buffer);
        }
        buffer.push('\n');
        if buffer.len() >= COPY_BUFFER {
            sink.send(buffer.as_bytes()).await?;
            buffer.clear();
        }
    }
    if !buffer.is_empty() {
        sink.send(buffer.as_bytes()).await?;
    }
    Ok(sink.finish().await?)
}

async fn unnest(conn: &mut PgConnection, table: &Table<'_>) -> anyhow::Result<u64> {
    let arrays: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, c))| format!("${}::{}", i + 1, c.sql_type()))
        .collect();
    let statement = format!(
        "insert into {} ({}) overriding system value select * from unnest({})",
        table.name,
        table.column_list(),
        arrays.join(", ")
    );
    let mut written = 0;
    let rows = table.rows();
    for start in (0..rows).step_by(UNNEST_ROWS) {
        let chunk = start..(start + UNNEST_ROWS).min(rows);
        let mut query = sqlx::query(&statement);
        for (_, column) in &table.columns {
            query = match column {
                Column::Int8(v) => query.bind(&v[chunk.clone()]),
                Column::OptInt8(v) => query.bind(&v[chunk.clone()]),
                Column::Int4(v) => query.bind(&v[chunk.clone()]),
                Column::Timestamptz(v) => query.bind(&v[chunk.clone()]),
                Column::Text(v) => query.bind(&v[chunk.clone()]),
            };
        }
        written += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}

/// `n` fresh values of the identity sequence of `table.id`, so rows can be sent with their ids
/// (by either method) and referred to without reading them back.
pub async fn reserve_ids(
    conn: &mut PgConnection,
    table: &'static str,
    n: usize,
) -> anyhow::Result<Vec<i64>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "select nextval(pg_get_serial_sequence($1, 'id')) from generate_series(1, $2)",
    )
    .bind(table)
    .bind(i64::try_from(n)?)
    .fetch_all(&mut *conn)
    .await
    .with_context(|| format!("reserving {n} ids of {table}"))?;
    anyhow::ensure!(
        ids.len() == n,
        "reserved {} ids of {table}, not {n}",
        ids.len()
    );
    Ok(ids)
}
