//! The roster's write path: creating, changing and cancelling shifts, each in one transaction with
//! its audit entry and the refreshed coverage, so a change cannot exist without either. The `_in`
//! variants write inside a caller's transaction (the roster import), which refreshes coverage
//! once for all its writes.

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor, PgPool};

use crate::domain::shift_draft::{RosterRules, ShiftDraft};

/// Rest shorter than this between two shifts of one officer needs a reason.
pub const MIN_REST: TimeDelta = TimeDelta::hours(8);

/// A shift as stored, with its members and hotspots: what the audit log records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ShiftRecord {
    pub id: i64,
    pub pilot_id: i64,
    pub team_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub mode: String,
    pub status: String,
    pub notes: String,
    pub version: i32,
    pub officer_ids: Vec<i64>,
    pub hotspot_ids: Vec<i64>,
}

/// Another shift an officer is already on at that time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub officer: String,
    pub shift_id: i64,
    pub team: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Clash {
    /// A sentence for people, naming the other shift as `other` (e.g. `shift #12`).
    pub fn describe(&self, zone: Tz, other: &str) -> String {
        let when = crate::domain::local_time::input_value(self.starts_at, zone).replace('T', " ");
        format!(
            "{} is already on {other} ({}, from {when}).",
            self.officer, self.team
        )
    }
}

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("an officer is already on an overlapping shift")]
    Clash(Clash),
    #[error("the shift was changed by someone else")]
    Stale(Box<ShiftRecord>),
    #[error("less rest than the minimum between shifts")]
    NeedsRestReason(Vec<String>),
    #[error("no such shift")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

macro_rules! record_where {
    ($condition:literal) => {
        concat!(
            r#"select s.id, s.pilot_id, s.team_id, s.starts_at, s.ends_at, s.mode, s.status, s.notes, s.version,
       coalesce((select array_agg(m.officer_id order by m.officer_id) from shift_members m where m.shift_id = s.id), '{}') as officer_ids,
       coalesce((select array_agg(h.hotspot_id order by h.hotspot_id) from shift_hotspots h where h.shift_id = s.id), '{}') as hotspot_ids
  from shifts s where "#,
            $condition
        )
    };
}

/// The shift with this id.
pub async fn get(db: impl PgExecutor<'_>, id: i64) -> Result<Option<ShiftRecord>, sqlx::Error> {
    sqlx::query_as(record_where!("s.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The shifts of the pilot among `ids`, locked for update until the transaction ends, in id
/// order (so two writers lock them in the same order).
pub async fn lock_many(
    conn: &mut PgConnection,
    pilot_id: i64,
    ids: &[i64],
) -> Result<Vec<ShiftRecord>, sqlx::Error> {
    sqlx::query(
        "select id from shifts where pilot_id = $1 and id = any($2) order by id for update",
    )
    .bind(pilot_id)
    .bind(ids)
    .execute(&mut *conn)
    .await?;
    sqlx::query_as(record_where!(
        "s.pilot_id = $1 and s.id = any($2) order by s.id"
    ))
    .bind(pilot_id)
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
}

/// What the roster of a pilot may hold: its teams, assigned officers and hotspots.
pub async fn rules(
    conn: &mut PgConnection,
    pilot_id: i64,
    zone: Tz,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<RosterRules, sqlx::Error> {
    let teams = sqlx::query_as("select id, name from teams where pilot_id = $1 order by name")
        .bind(pilot_id)
        .fetch_all(&mut *conn)
        .await?;
    let assignments = sqlx::query_as(
        r#"select o.id, o.name, a.starts_on, a.ends_on from assignments a join officers o on o.id = a.officer_id
            where a.pilot_id = $1 order by o.name"#,
    )
    .bind(pilot_id)
    .fetch_all(&mut *conn)
    .await?;
    let hotspots = sqlx::query_as(
        "select id, name, active_from, active_to from hotspots where pilot_id = $1 order by priority, name",
    )
    .bind(pilot_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(RosterRules {
        zone,
        starts_on,
        ends_on,
        teams,
        assignments,
        hotspots,
    })
}

type ClashRow = (String, i64, String, DateTime<Utc>, DateTime<Utc>);

/// The first clash of any of `officers` with a non-cancelled shift overlapping `[starts, ends)`.
pub async fn find_clash(
    db: impl PgExecutor<'_>,
    officers: &[i64],
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except_shift: Option<i64>,
) -> Result<Option<Clash>, sqlx::Error> {
    let row: Option<ClashRow> = sqlx::query_as(
        r#"select o.name, s.id, t.name, s.starts_at, s.ends_at
             from shift_members m
             join shifts s on s.id = m.shift_id
             join teams t on t.id = s.team_id
             join officers o on o.id = m.officer_id
            where m.officer_id = any($1) and m.counts
              and m.shift_period && tstzrange($2, $3, '[)')
              and ($4::int8 is null or s.id <> $4)
            order by s.starts_at, o.name
            limit 1"#,
    )
    .bind(officers)
    .bind(starts_at)
    .bind(ends_at)
    .bind(except_shift)
    .fetch_optional(db)
    .await?;
    Ok(
        row.map(|(officer, shift_id, team, starts_at, ends_at)| Clash {
            officer,
            shift_id,
            team,
            starts_at,
            ends_at,
        }),
    )
}

/// Sentences naming each officer who would get less than [`MIN_REST`] before or after the shift.
pub async fn rest_warnings(
    db: impl PgExecutor<'_>,
    officers: &[i64],
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except_shift: Option<i64>,
    zone: Tz,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        r#"select o.name, s.starts_at, s.ends_at
             from shift_members m
             join shifts s on s.id = m.shift_id
             join officers o on o.id = m.officer_id
            where m.officer_id = any($1) and m.counts
              and ($4::int8 is null or s.id <> $4)
              and s.ends_at > $2 - $5::interval and s.starts_at < $3 + $5::interval
              and not (m.shift_period && tstzrange($2, $3, '[)'))
            order by o.name, s.starts_at"#,
    )
    .bind(officers)
    .bind(starts_at)
    .bind(ends_at)
    .bind(except_shift)
    .bind(MIN_REST)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, other_start, other_end)| {
            let rest = if other_end <= starts_at {
                starts_at - other_end
            } else {
                other_start - ends_at
            };
            format!(
                "{name} would have {:.1} hours of rest next to the shift of {}.",
                rest.num_minutes() as f64 / 60.0,
                other_start.with_timezone(&zone).format("%a %-d %b %H:%M")
            )
        })
        .collect())
}

/// Who changes the roster and, if they accept short rest, why.
pub struct Author<'a> {
    pub user_id: i64,
    pub rest_reason: &'a str,
}

impl<'a> Author<'a> {
    /// The same author, as the writes inside a transaction take it.
    pub fn editor(&self) -> Editor<'a> {
        Editor {
            user_id: Some(self.user_id),
            rest_reason: self.rest_reason,
        }
    }
}

/// Who changes the roster inside a caller's transaction: a user, or no one (an import from the
/// shell); and, if they accept short rest, why.
#[derive(Debug, Clone, Copy)]
pub struct Editor<'a> {
    pub user_id: Option<i64>,
    pub rest_reason: &'a str,
}

/// Stores a new shift. Refuses a clash (checked first for a clear message, and by the database's
/// exclusion constraint for writers racing each other) and unexplained short rest.
pub async fn create(
    pool: &PgPool,
    pilot_id: i64,
    zone: Tz,
    draft: &ShiftDraft,
    author: &Author<'_>,
) -> Result<ShiftRecord, WriteError> {
    let result = async {
        let mut tx = pool.begin().await?;
        let after = create_in(&mut tx, pilot_id, zone, draft, "planned", author.editor()).await?;
        refresh(&mut tx, pilot_id, zone, [&after]).await?;
        tx.commit().await?;
        Ok(after)
    }
    .await;
    explain_clash(pool, draft, None, result).await
}

/// [`create`] inside the caller's transaction, with `status`, and without refreshing coverage:
/// the caller refreshes once for all its writes. A refusal by the overlap constraint is
/// returned as it is (the transaction is then unusable).
pub async fn create_in(
    conn: &mut PgConnection,
    pilot_id: i64,
    zone: Tz,
    draft: &ShiftDraft,
    status: &str,
    editor: Editor<'_>,
) -> Result<ShiftRecord, WriteError> {
    if status != "cancelled" {
        check(conn, draft, None, zone, editor).await?;
    }
    let after = insert(conn, pilot_id, draft, status, editor.user_id).await?;
    record(conn, editor, "create", None, &after).await?;
    Ok(after)
}

/// Inserts a shift with its members and hotspots.
async fn insert(
    tx: &mut PgConnection,
    pilot_id: i64,
    draft: &ShiftDraft,
    status: &str,
    user_id: Option<i64>,
) -> Result<ShiftRecord, WriteError> {
    let id: i64 = sqlx::query_scalar(
        r#"insert into shifts (pilot_id, team_id, starts_at, ends_at, mode, status, notes, created_by, updated_by)
           values ($1, $2, $3, $4, $5, $8, $6, $7, $7) returning id"#,
    )
    .bind(pilot_id)
    .bind(draft.team_id)
    .bind(draft.starts_at)
    .bind(draft.ends_at)
    .bind(&draft.mode)
    .bind(&draft.notes)
    .bind(user_id)
    .bind(status)
    .fetch_one(&mut *tx)
    .await?;
    link(tx, id, draft).await?;
    get(&mut *tx, id).await?.ok_or(WriteError::NotFound)
}

/// What copying a week did: the shifts created (source id, new id) and those skipped, with why.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub copied: Vec<(i64, i64)>,
    pub skipped: Vec<(i64, String)>,
}

/// Copies every non-cancelled shift starting in `source` (local dates) to the same wall-clock times
/// `weeks` weeks later, in one transaction; a shift that would clash, leave too little rest, fall
/// outside the pilot or name an officer or hotspot not available then is skipped and reported.
pub async fn copy_week(
    pool: &PgPool,
    pilot_id: i64,
    rules: &RosterRules,
    source: (NaiveDate, NaiveDate),
    weeks: i64,
    user_id: i64,
) -> Result<CopyReport, WriteError> {
    use crate::domain::shift_draft::ShiftForm;
    let zone = rules.zone;
    let mut tx = pool.begin().await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        r#"select id from shifts where pilot_id = $1 and status <> 'cancelled'
              and (starts_at at time zone $2)::date between $3 and $4 order by starts_at, id"#,
    )
    .bind(pilot_id)
    .bind(zone.name())
    .bind(source.0)
    .bind(source.1)
    .fetch_all(&mut *tx)
    .await?;
    let author = Editor {
        user_id: Some(user_id),
        rest_reason: "",
    };
    let mut report = CopyReport::default();
    let mut created = Vec::new();
    for id in ids {
        let original = get(&mut *tx, id).await?.ok_or(WriteError::NotFound)?;
        let moved = |at: DateTime<Utc>| {
            (at.with_timezone(&zone).naive_local() + TimeDelta::weeks(weeks))
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        let form = ShiftForm {
            team_id: original.team_id.to_string(),
            starts_at: moved(original.starts_at),
            ends_at: moved(original.ends_at),
            mode: original.mode.clone(),
            officer_ids: original.officer_ids.iter().map(i64::to_string).collect(),
            hotspot_ids: original.hotspot_ids.iter().map(i64::to_string).collect(),
            notes: original.notes.clone(),
            ..ShiftForm::default()
        };
        let draft = match ShiftDraft::parse(&form, rules) {
            Ok(draft) => draft,
            Err(errors) => {
                let reasons: Vec<String> = errors.into_messages().collect();
                report.skipped.push((id, reasons.join(" ")));
                continue;
            }
        };
        match check(&mut tx, &draft, None, zone, author).await {
            Ok(()) => {}
            Err(WriteError::Clash(clash)) => {
                let other = format!("shift #{}", clash.shift_id);
                report.skipped.push((id, clash.describe(zone, &other)));
                continue;
            }
            Err(WriteError::NeedsRestReason(warnings)) => {
                report.skipped.push((id, warnings.join(" ")));
                continue;
            }
            Err(other) => return Err(other),
        }
        let after = insert(&mut tx, pilot_id, &draft, "planned", Some(user_id)).await?;
        let mut after_json = serde_json::to_value(&after).map_err(anyhow::Error::from)?;
        after_json["copied_from"] = id.into();
        super::audit::record(
            &mut *tx,
            Some(user_id),
            "copy",
            "shift",
            Some(after.id),
            None,
            Some(after_json),
        )
        .await?;
        report.copied.push((id, after.id));
        created.push(after);
    }
    refresh(&mut tx, pilot_id, zone, &created).await?;
    tx.commit().await?;
    Ok(report)
}

/// Changes a shift if it is still at `version`; otherwise `Stale` with its current state.
pub async fn update(
    pool: &PgPool,
    id: i64,
    version: i32,
    zone: Tz,
    draft: &ShiftDraft,
    author: &Author<'_>,
) -> Result<ShiftRecord, WriteError> {
    let result = async {
        let mut tx = pool.begin().await?;
        let before = lock(&mut tx, id, version).await?;
        let after = update_in(
            &mut tx,
            &before,
            zone,
            draft,
            &before.status,
            author.editor(),
        )
        .await?;
        refresh(&mut tx, before.pilot_id, zone, [&before, &after]).await?;
        tx.commit().await?;
        Ok(after)
    }
    .await;
    explain_clash(pool, draft, Some(id), result).await
}

/// [`update`] inside the caller's transaction, of a shift the caller has locked and read as
/// `before`, also setting its `status`, without refreshing coverage. The audit entry says
/// `cancel` when this cancels the shift, `edit` otherwise.
pub async fn update_in(
    conn: &mut PgConnection,
    before: &ShiftRecord,
    zone: Tz,
    draft: &ShiftDraft,
    status: &str,
    editor: Editor<'_>,
) -> Result<ShiftRecord, WriteError> {
    let id = before.id;
    if status != "cancelled" {
        check(conn, draft, Some(id), zone, editor).await?;
    }
    // Memberships go first: moving the shift must not drag officers who are leaving it into a
    // clash at its new time.
    sqlx::query("delete from shift_members where shift_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("delete from shift_hotspots where shift_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        r#"update shifts set team_id = $2, starts_at = $3, ends_at = $4, mode = $5, notes = $6,
                  status = $8, version = version + 1, updated_by = $7, updated_at = now()
            where id = $1"#,
    )
    .bind(id)
    .bind(draft.team_id)
    .bind(draft.starts_at)
    .bind(draft.ends_at)
    .bind(&draft.mode)
    .bind(&draft.notes)
    .bind(editor.user_id)
    .bind(status)
    .execute(&mut *conn)
    .await?;
    link(conn, id, draft).await?;
    let after = get(&mut *conn, id).await?.ok_or(WriteError::NotFound)?;
    let action = if status == "cancelled" && before.status != "cancelled" {
        "cancel"
    } else {
        "edit"
    };
    record(conn, editor, action, Some(before), &after).await?;
    Ok(after)
}

/// Cancels a shift if it is still at `version`.
pub async fn cancel(
    pool: &PgPool,
    id: i64,
    version: i32,
    zone: Tz,
    user_id: i64,
) -> Result<ShiftRecord, WriteError> {
    let mut tx = pool.begin().await?;
    let before = lock(&mut tx, id, version).await?;
    let editor = Editor {
        user_id: Some(user_id),
        rest_reason: "",
    };
    let after = cancel_in(&mut tx, &before, editor).await?;
    refresh(&mut tx, before.pilot_id, zone, [&before]).await?;
    tx.commit().await?;
    Ok(after)
}

/// [`cancel`] inside the caller's transaction, of a shift the caller has locked and read as
/// `before`, without refreshing coverage.
pub async fn cancel_in(
    conn: &mut PgConnection,
    before: &ShiftRecord,
    editor: Editor<'_>,
) -> Result<ShiftRecord, WriteError> {
    sqlx::query(
        "update shifts set status = 'cancelled', version = version + 1, updated_by = $2, updated_at = now() where id = $1",
    )
    .bind(before.id)
    .bind(editor.user_id)
    .execute(&mut *conn)
    .await?;
    let after = get(&mut *conn, before.id)
        .await?
        .ok_or(WriteError::NotFound)?;
    record(conn, editor, "cancel", Some(before), &after).await?;
    Ok(after)
}

/// Locks the shift's row and checks nobody changed it since `version` was read.
async fn lock(tx: &mut PgConnection, id: i64, version: i32) -> Result<ShiftRecord, WriteError> {
    let current: Option<i32> =
        sqlx::query_scalar("select version from shifts where id = $1 for update")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let record = get(&mut *tx, id).await?.ok_or(WriteError::NotFound)?;
    match current {
        Some(v) if v == version => Ok(record),
        Some(_) => Err(WriteError::Stale(Box::new(record))),
        None => Err(WriteError::NotFound),
    }
}

async fn check(
    tx: &mut PgConnection,
    draft: &ShiftDraft,
    except: Option<i64>,
    zone: Tz,
    author: Editor<'_>,
) -> Result<(), WriteError> {
    if let Some(clash) = find_clash(
        &mut *tx,
        &draft.officer_ids,
        draft.starts_at,
        draft.ends_at,
        except,
    )
    .await?
    {
        return Err(WriteError::Clash(clash));
    }
    let warnings = rest_warnings(
        &mut *tx,
        &draft.officer_ids,
        draft.starts_at,
        draft.ends_at,
        except,
        zone,
    )
    .await?;
    if !warnings.is_empty() && author.rest_reason.trim().is_empty() {
        return Err(WriteError::NeedsRestReason(warnings));
    }
    Ok(())
}

async fn link(tx: &mut PgConnection, id: i64, draft: &ShiftDraft) -> Result<(), sqlx::Error> {
    sqlx::query("insert into shift_members (shift_id, officer_id) select $1, unnest($2::int8[])")
        .bind(id)
        .bind(&draft.officer_ids)
        .execute(&mut *tx)
        .await?;
    sqlx::query("insert into shift_hotspots (shift_id, hotspot_id) select $1, unnest($2::int8[])")
        .bind(id)
        .bind(&draft.hotspot_ids)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

async fn record(
    tx: &mut PgConnection,
    author: Editor<'_>,
    action: &str,
    before: Option<&ShiftRecord>,
    after: &ShiftRecord,
) -> Result<(), WriteError> {
    let mut after_json = serde_json::to_value(after).map_err(anyhow::Error::from)?;
    if !author.rest_reason.trim().is_empty() {
        after_json["rest_override_reason"] = author.rest_reason.trim().into();
    }
    let before_json = before
        .map(serde_json::to_value)
        .transpose()
        .map_err(anyhow::Error::from)?;
    super::audit::record(
        &mut *tx,
        author.user_id,
        action,
        "shift",
        Some(after.id),
        before_json,
        Some(after_json),
    )
    .await?;
    Ok(())
}

/// Recomputes stored coverage for every local day a window touching these shifts may open on.
pub async fn refresh<'a>(
    tx: &mut PgConnection,
    pilot_id: i64,
    zone: Tz,
    shifts: impl IntoIterator<Item = &'a ShiftRecord>,
) -> anyhow::Result<()> {
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    for shift in shifts {
        let from = shift
            .starts_at
            .with_timezone(&zone)
            .date_naive()
            .checked_sub_days(Days::new(1));
        let to = shift.ends_at.with_timezone(&zone).date_naive();
        if let Some(from) = from {
            span = Some(span.map_or((from, to), |(a, b)| (a.min(from), b.max(to))));
        }
    }
    if let Some((from, to)) = span {
        super::coverage::refresh(tx, pilot_id, from, to).await?;
    }
    Ok(())
}

/// A refusal by the overlap constraint means another writer won a race: name the clash it found.
async fn explain_clash(
    pool: &PgPool,
    draft: &ShiftDraft,
    except: Option<i64>,
    result: Result<ShiftRecord, WriteError>,
) -> Result<ShiftRecord, WriteError> {
    match result {
        Err(WriteError::Db(sqlx::Error::Database(e)))
            if e.constraint() == Some("shift_members_no_overlap") =>
        {
            match find_clash(
                pool,
                &draft.officer_ids,
                draft.starts_at,
                draft.ends_at,
                except,
            )
            .await?
            {
                Some(clash) => Err(WriteError::Clash(clash)),
                None => Err(WriteError::Db(sqlx::Error::Database(e))),
            }
        }
        other => other,
    }
}
