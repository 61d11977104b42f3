//! Rows from PostgreSQL to CSV chunks, streamed: memory stays flat however many rows there are.
//!
//! A task owns a pool handle, runs the query with `fetch` (rows arrive as PostgreSQL sends them)
//! and writes them into chunks of about [`CHUNK_BYTES`], which it hands to the response body
//! through a channel of [`CHUNKS_IN_FLIGHT`]. A slow client therefore slows the query down
//! instead of piling rows up in memory, and a client that goes away ends the task.
//!
//! A client that stops reading would hold the task's database connection for as long as it
//! likes, so a chunk not taken within [`SEND_TIMEOUT`] ends the export; and only
//! [`MAX_RUNNING`] exports run at once ([`ExportSlots`]), so they cannot take the whole pool.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use futures_util::{StreamExt, TryStreamExt};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tracing::Instrument;

use super::cell;
use super::dictionary::{Column, Dataset, Kind};
use super::filter::{Filter, bind};

/// A chunk is handed to the client once it holds this many bytes (a few hundred rows).
pub const CHUNK_BYTES: usize = 64 * 1024;

/// Room past [`CHUNK_BYTES`] for the row that crosses it, so a chunk rarely grows.
const ROW_SLACK: usize = 16 * 1024;

/// Chunks written but not yet sent: the most the export holds in memory.
const CHUNKS_IN_FLIGHT: usize = 2;

/// How long a chunk may wait for the client to take it before the export is given up.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Exports running at once, at most: a quarter of the pool, so pages keep their connections
/// however many downloads are under way.
pub const MAX_RUNNING: usize = 4;

/// The places for running exports, shared by every request.
#[derive(Clone)]
pub struct ExportSlots(Arc<Semaphore>);

/// A place held by one export until its task ends.
pub struct ExportSlot {
    _permit: OwnedSemaphorePermit,
}

impl ExportSlots {
    pub fn new() -> ExportSlots {
        ExportSlots(Arc::new(Semaphore::new(MAX_RUNNING)))
    }

    /// A place for one more export, or `None` while [`MAX_RUNNING`] are under way.
    pub fn try_take(&self) -> Option<ExportSlot> {
        let permit = self.0.clone().try_acquire_owned().ok()?;
        Some(ExportSlot { _permit: permit })
    }
}

impl Default for ExportSlots {
    fn default() -> Self {
        ExportSlots::new()
    }
}

/// The UTF-8 byte-order mark, which tells Excel the file is UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The response body of an export: the header row, then every row of `dataset` under `filter`,
/// produced while `slot` is held. A failure half-way is logged and breaks the response off
/// (no final chunk), so the client sees a failed download rather than a file cut short.
pub fn body(
    db: PgPool,
    dataset: &'static Dataset,
    filter: Filter,
    bom: bool,
    slot: ExportSlot,
) -> Body {
    let (sender, receiver) = mpsc::channel::<Bytes>(CHUNKS_IN_FLIGHT);
    let complete = Arc::new(AtomicBool::new(false));
    let completed = complete.clone();
    tokio::spawn(
        async move {
            let _slot = slot;
            let started = Instant::now();
            let produced = produce(&db, dataset, &filter, bom, &sender).await;
            if matches!(produced, Ok(Produced::All(_))) {
                completed.store(true, Ordering::Release);
            }
            match produced {
                Ok(Produced::All(rows)) => tracing::info!(
                    dataset = dataset.name,
                    rows,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "export sent"
                ),
                Ok(Produced::ClientLeft(rows)) => tracing::info!(
                    dataset = dataset.name,
                    rows,
                    "export abandoned: the client went away"
                ),
                Ok(Produced::ClientStalled(rows)) => tracing::warn!(
                    dataset = dataset.name,
                    rows,
                    timeout_s = SEND_TIMEOUT.as_secs(),
                    "export given up: the client stopped reading"
                ),
                Err(error) => tracing::error!(
                    dataset = dataset.name,
                    error = format!("{error:#}"),
                    "export failed half-way; the download was broken off"
                ),
            }
        }
        .instrument(tracing::Span::current()),
    );
    let chunks = futures_util::stream::unfold(Some(receiver), move |receiver| {
        let complete = complete.clone();
        async move {
            let mut receiver = receiver?;
            match receiver.recv().await {
                Some(chunk) => Some((Ok(chunk), Some(receiver))),
                None if complete.load(Ordering::Acquire) => None,
                None => Some((Err(std::io::Error::other("the export ended early")), None)),
            }
        }
    });
    // Fused: the compression layer reads the body once more after its end, looking for
    // trailers, and `unfold` panics when polled past its end.
    Body::from_stream(chunks.fuse())
}

enum Produced {
    All(u64),
    ClientLeft(u64),
    ClientStalled(u64),
}

/// Runs the export on a connection of its own. When it does not run to the end, the connection
/// is closed rather than returned to the pool: otherwise PostgreSQL would go on producing every
/// remaining row for nobody (the pool drains them before reuse), holding the connection meanwhile.
/// Closed, the server notices at its next send and stops the query.
async fn produce(
    db: &PgPool,
    dataset: &'static Dataset,
    filter: &Filter,
    bom: bool,
    sender: &mpsc::Sender<Bytes>,
) -> anyhow::Result<Produced> {
    let mut conn = db.acquire().await?;
    let produced = write_rows(&mut conn, dataset, filter, bom, sender).await;
    if !matches!(produced, Ok(Produced::All(_))) {
        let _ = conn.close().await;
    }
    produced
}

async fn write_rows(
    conn: &mut PgConnection,
    dataset: &'static Dataset,
    filter: &Filter,
    bom: bool,
    sender: &mpsc::Sender<Bytes>,
) -> anyhow::Result<Produced> {
    let mut out = Chunk::new(if bom { BOM } else { b"" });
    for name in dataset.header() {
        out.field(name.as_bytes());
    }
    out.end_record();
    let sql = dataset.select_sql();
    let mut rows = bind(sqlx::query(&sql), filter).fetch(conn);
    let mut count = 0u64;
    while let Some(row) = rows.try_next().await? {
        out.write_row(&row, dataset.columns, filter.zone)?;
        count += 1;
        if out.len() >= CHUNK_BYTES {
            match send(sender, out.take()).await {
                Sent::Taken => {}
                Sent::Gone => return Ok(Produced::ClientLeft(count)),
                Sent::Stalled => return Ok(Produced::ClientStalled(count)),
            }
        }
    }
    let last = out.take();
    if !last.is_empty() {
        match send(sender, last).await {
            Sent::Taken => {}
            Sent::Gone => return Ok(Produced::ClientLeft(count)),
            Sent::Stalled => return Ok(Produced::ClientStalled(count)),
        }
    }
    Ok(Produced::All(count))
}

enum Sent {
    Taken,
    Gone,
    Stalled,
}

/// Hands `chunk` to the response body, waiting at most [`SEND_TIMEOUT`] for room.
async fn send(sender: &mpsc::Sender<Bytes>, chunk: Bytes) -> Sent {
    match tokio::time::timeout(SEND_TIMEOUT, sender.send(chunk)).await {
        Ok(Ok(())) => Sent::Taken,
        Ok(Err(_)) => Sent::Gone,
        Err(_) => Sent::Stalled,
    }
}

/// The CSV being written: RFC 4180 (comma, CRLF line ends). A cell is quoted when it holds a
/// comma, quote or line end, and also a `;` or tab, so that a spreadsheet splitting on those
/// (Excel in many European locales) keeps it whole when it starts a row.
struct Chunk {
    bytes: Vec<u8>,
    /// Whether the next field starts a record (no comma before it).
    record_start: bool,
    /// The cell being formatted, reused from cell to cell.
    cell: Vec<u8>,
}

impl Chunk {
    /// An empty chunk that starts with `prefix`.
    fn new(prefix: &[u8]) -> Chunk {
        let mut bytes = Vec::with_capacity(CHUNK_BYTES + ROW_SLACK);
        bytes.extend_from_slice(prefix);
        Chunk {
            bytes,
            record_start: true,
            cell: Vec::with_capacity(256),
        }
    }

    /// Bytes written so far.
    fn len(&self) -> usize {
        self.bytes.len()
    }

    /// The bytes written so far, leaving the chunk empty for more.
    fn take(&mut self) -> Bytes {
        let empty = Vec::with_capacity(CHUNK_BYTES + ROW_SLACK);
        Bytes::from(std::mem::replace(&mut self.bytes, empty))
    }

    /// One field of the current record.
    fn field(&mut self, value: &[u8]) {
        if !self.record_start {
            self.bytes.push(b',');
        }
        self.record_start = false;
        cell::field(&mut self.bytes, value);
    }

    fn end_record(&mut self) {
        self.bytes.extend_from_slice(b"\r\n");
        self.record_start = true;
    }

    fn write_row(&mut self, row: &PgRow, columns: &[Column], zone: Tz) -> anyhow::Result<()> {
        let mut cell = std::mem::take(&mut self.cell);
        for (i, column) in columns.iter().enumerate() {
            cell.clear();
            write_cell(&mut cell, row, i, column.kind, zone).map_err(|error| {
                anyhow::anyhow!("reading column {} of the row: {error}", column.name)
            })?;
            self.field(&cell);
        }
        self.cell = cell;
        self.end_record();
        Ok(())
    }
}

/// Column `i` of `row`, written as its kind says; NULL is an empty cell.
fn write_cell(
    out: &mut Vec<u8>,
    row: &PgRow,
    i: usize,
    kind: Kind,
    zone: Tz,
) -> Result<(), sqlx::Error> {
    match kind {
        Kind::Integer => {
            if let Some(value) = row.try_get::<Option<i64>, _>(i)? {
                cell::integer(out, value);
            }
        }
        Kind::Text | Kind::Code => {
            if let Some(value) = row.try_get::<Option<&str>, _>(i)? {
                cell::text(out, value);
            }
        }
        Kind::Json => {
            if let Some(value) = row.try_get::<Option<&str>, _>(i)? {
                cell::json(out, value);
            }
        }
        Kind::IdList => {
            if let Some(value) = row.try_get::<Option<&str>, _>(i)? {
                out.extend_from_slice(value.as_bytes());
            }
        }
        Kind::Date => {
            if let Some(value) = row.try_get::<Option<NaiveDate>, _>(i)? {
                cell::date(out, value);
            }
        }
        Kind::Time => {
            if let Some(value) = row.try_get::<Option<NaiveTime>, _>(i)? {
                cell::time(out, value);
            }
        }
        Kind::Instant => {
            if let Some(value) = row.try_get::<Option<DateTime<Utc>>, _>(i)? {
                cell::instant(out, value);
            }
        }
        Kind::LocalInstant => {
            if let Some(value) = row.try_get::<Option<DateTime<Utc>>, _>(i)? {
                cell::local_instant(out, value, zone);
            }
        }
        Kind::Minutes => {
            if let Some(seconds) = row.try_get::<Option<f64>, _>(i)? {
                cell::minutes(out, seconds);
            }
        }
        Kind::Decimal => {
            if let Some(value) = row.try_get::<Option<f64>, _>(i)? {
                cell::decimal(out, value);
            }
        }
    }
    Ok(())
}
