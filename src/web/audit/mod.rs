//! The audit log page: every change, newest first, filtered by who, what and when, with a
//! readable difference of each entry's before and after.

pub mod diff;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{Days, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;

use super::auth::AsSupervisor;
use super::login::encode_next;
use super::page::{Layout, Page};
use super::pager::Pager;
use crate::db::audit_log::{self, AuditFilter, LoggedEntry, Who};
use crate::domain::Role;
use crate::domain::audit::AuditEntity;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use diff::{Change, diff};

/// Entries on one page.
pub const PER_PAGE: i64 = 50;

/// What the user filter offers for changes nobody signed in made.
const SYSTEM: &str = "system";

/// The audit log's routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

/// The filter as typed in the URL.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    pub user: Option<String>,
    pub entity: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<String>,
}

/// The filter, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub who: Who,
    pub entity: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: i64,
}

impl Filter {
    /// Reads the query; the message says what is wrong with it.
    pub fn parse(query: &AuditQuery) -> Result<Filter, String> {
        let text = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let date = |field: &str, value: &Option<String>| {
            match text(value) {
            None => Ok(None),
            Some(value) => NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    format!("{field} must be a date written YYYY-MM-DD, not {value:?}. Change the dates and try again.")
                }),
        }
        };
        let from = date("From", &query.from)?;
        let to = date("To", &query.to)?;
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(format!(
                "The range ends ({to}) before it starts ({from}). Change the dates and try again."
            ));
        }
        let page = Pager::parse(query.page.as_deref(), PER_PAGE)?.page;
        let who = match text(&query.user) {
            None => Who::Anyone,
            Some(user) if user == SYSTEM => Who::System,
            Some(user) => Who::User(user),
        };
        Ok(Filter {
            who,
            entity: text(&query.entity),
            from,
            to,
            page,
        })
    }

    /// What the database is asked for; dates are UTC days.
    fn query(&self) -> AuditFilter {
        let midnight = |date: NaiveDate| date.and_time(NaiveTime::MIN).and_utc();
        AuditFilter {
            who: self.who.clone(),
            entity: self.entity.clone(),
            since: self.from.map(midnight),
            before: self
                .to
                .and_then(|to| to.checked_add_days(Days::new(1)))
                .map(midnight),
        }
    }

    /// The address of page `page` with the same filter.
    pub fn href(&self, page: i64) -> String {
        let mut parts = Vec::new();
        match &self.who {
            Who::Anyone => {}
            Who::System => parts.push(format!("user={SYSTEM}")),
            Who::User(user) => parts.push(format!("user={}", encode_next(user))),
        }
        if let Some(entity) = &self.entity {
            parts.push(format!("entity={}", encode_next(entity)));
        }
        if let Some(from) = self.from {
            parts.push(format!("from={from}"));
        }
        if let Some(to) = self.to {
            parts.push(format!("to={to}"));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            "/audit".to_string()
        } else {
            format!("/audit?{}", parts.join("&"))
        }
    }
}

/// Where an entry's entity can be seen, if anywhere.
pub fn entity_href(entry: &LoggedEntry, viewer: Role) -> Option<String> {
    let id = entry.entity_id;
    let shift_of = || {
        [&entry.after, &entry.before]
            .into_iter()
            .flatten()
            .find_map(|row| row.get("shift_id").and_then(serde_json::Value::as_i64))
    };
    match entry.entity.parse().ok()? {
        AuditEntity::Shift => id.map(|id| format!("/shifts/{id}/log")),
        AuditEntity::Visit | AuditEntity::Arrival | AuditEntity::Activity => {
            shift_of().map(|shift| format!("/shifts/{shift}/log"))
        }
        AuditEntity::Hotspot => Some(format!(
            "/pilots/{}/hotspots/{}",
            entry.pilot_slug.as_ref()?,
            id?
        )),
        AuditEntity::District => Some(format!(
            "/pilots/{}/districts/{}",
            entry.pilot_slug.as_ref()?,
            encode_next(entry.district_code.as_ref()?)
        )),
        AuditEntity::Pilot => Some(format!("/pilots/{}", entry.pilot_slug.as_ref()?)),
        AuditEntity::User if viewer.includes(Role::Admin) => Some("/admin/users".to_string()),
        AuditEntity::Agency if viewer.includes(Role::Admin) => Some("/admin/agencies".to_string()),
        _ => None,
    }
}

/// An option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// An entry as listed.
pub struct EntryLine {
    pub id: i64,
    pub when: String,
    pub who: String,
    pub action: String,
    pub entity: String,
    pub href: Option<String>,
    pub changes: Vec<Change>,
    pub truncated: bool,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
pub struct AuditPage {
    layout: Layout,
    users: Vec<Choice>,
    entities: Vec<Choice>,
    from: String,
    to: String,
    /// The bounds of the date inputs: the log's first day (empty while it has none) and today,
    /// both UTC.
    first_day: String,
    last_day: String,
    entries: Vec<EntryLine>,
    page: i64,
    first: i64,
    last: i64,
    newer_href: Option<String>,
    older_href: Option<String>,
}

/// `GET /audit?user=&entity=&from=&to=&page=`: supervisors and up.
#[tracing::instrument(skip_all, fields(user = %user.username))]
pub async fn list(
    AsSupervisor(user): AsSupervisor,
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
) -> AppResult<impl IntoResponse> {
    let filter = Filter::parse(&query).map_err(AppError::BadRequest)?;
    let mut conn = state.db.acquire().await?;
    let pager = Pager {
        page: filter.page,
        per_page: PER_PAGE,
    };
    let offset = pager.offset();
    let mut rows = audit_log::entries(&mut *conn, &filter.query(), pager.fetch(), offset).await?;
    let more = pager.keep(&mut rows);
    let usernames = audit_log::usernames(&mut *conn).await?;
    let entity_names = audit_log::entities(&mut *conn).await?;
    let first_day = audit_log::first_day(&mut *conn).await?;
    drop(conn);

    let selected_user = match &filter.who {
        Who::Anyone => "",
        Who::System => SYSTEM,
        Who::User(name) => name.as_str(),
    };
    let users = std::iter::once(SYSTEM.to_string())
        .chain(usernames)
        .map(|name| Choice {
            label: if name == SYSTEM {
                "system (no signed-in user)".to_string()
            } else {
                name.clone()
            },
            selected: name == selected_user,
            value: name,
        })
        .collect();
    let entities = entity_names
        .into_iter()
        .map(|name| Choice {
            label: name.clone(),
            selected: filter.entity.as_deref() == Some(name.as_str()),
            value: name,
        })
        .collect();
    let entries: Vec<EntryLine> = rows.iter().map(|row| line(row, user.role)).collect();
    let first = offset + 1;
    Ok(Page(AuditPage {
        layout: Layout::new("Audit log", Some(&user)),
        users,
        entities,
        from: filter.from.map(|d| d.to_string()).unwrap_or_default(),
        to: filter.to.map(|d| d.to_string()).unwrap_or_default(),
        first_day: first_day.map(|d| d.to_string()).unwrap_or_default(),
        last_day: Utc::now().date_naive().to_string(),
        page: filter.page,
        first,
        last: offset + entries.len() as i64,
        entries,
        newer_href: (filter.page > 1).then(|| filter.href(filter.page - 1)),
        older_href: more.then(|| filter.href(filter.page + 1)),
    }))
}

fn line(entry: &LoggedEntry, viewer: Role) -> EntryLine {
    let difference = diff(entry.before.as_ref(), entry.after.as_ref());
    let pretty = |value: &Option<serde_json::Value>| {
        value
            .as_ref()
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string()))
    };
    EntryLine {
        id: entry.id,
        when: crate::web::format::local(entry.at.naive_utc()),
        who: entry.username.clone().unwrap_or_else(|| SYSTEM.to_string()),
        action: entry.action.clone(),
        entity: match entry.entity_id {
            Some(id) => format!("{} #{id}", entry.entity),
            None => entry.entity.clone(),
        },
        href: entity_href(entry, viewer),
        changes: difference.changes,
        truncated: difference.truncated,
        before: pretty(&entry.before),
        after: pretty(&entry.after),
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;

    use super::*;
    use crate::domain::audit::AuditAction;

    fn query(pairs: &[(&str, &str)]) -> AuditQuery {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        AuditQuery {
            user: get("user"),
            entity: get("entity"),
            from: get("from"),
            to: get("to"),
            page: get("page"),
        }
    }

    #[test]
    fn an_empty_query_shows_everything_from_the_first_page() {
        let filter = Filter::parse(&query(&[("user", ""), ("entity", " ")])).unwrap();
        assert_eq!(filter.who, Who::Anyone);
        assert_eq!(filter.entity, None);
        assert_eq!(filter.page, 1);
        assert_eq!(filter.href(1), "/audit");
    }

    #[test]
    fn page_links_keep_the_filter() {
        let filter = Filter::parse(&query(&[
            ("user", "sup.one"),
            ("entity", "visit"),
            ("from", "2023-03-01"),
            ("to", "2023-03-31"),
            ("page", "2"),
        ]))
        .unwrap();
        assert_eq!(
            filter.href(3),
            "/audit?user=sup.one&entity=visit&from=2023-03-01&to=2023-03-31&page=3"
        );
        assert_eq!(
            filter.href(1),
            "/audit?user=sup.one&entity=visit&from=2023-03-01&to=2023-03-31"
        );
        let system = Filter::parse(&query(&[("user", "system")])).unwrap();
        assert_eq!(system.who, Who::System);
        assert_eq!(system.href(2), "/audit?user=system&page=2");
    }

    #[test]
    fn dates_are_whole_utc_days() {
        let filter = Filter::parse(&query(&[("from", "2023-03-12"), ("to", "2023-03-12")]))
            .unwrap()
            .query();
        assert_eq!(
            filter.since.unwrap().to_rfc3339(),
            "2023-03-12T00:00:00+00:00"
        );
        assert_eq!(
            filter.before.unwrap().to_rfc3339(),
            "2023-03-13T00:00:00+00:00"
        );
    }

    #[test]
    fn bad_dates_and_pages_are_refused_with_a_reason() {
        let error = Filter::parse(&query(&[("from", "2023-13-01")])).unwrap_err();
        assert!(
            error.contains("From must be a date written YYYY-MM-DD"),
            "{error}"
        );
        let error =
            Filter::parse(&query(&[("from", "2023-03-02"), ("to", "2023-03-01")])).unwrap_err();
        assert!(
            error.contains("ends (2023-03-01) before it starts"),
            "{error}"
        );
        for page in ["0", "-1", "two"] {
            assert!(Filter::parse(&query(&[("page", page)])).is_err(), "{page}");
        }
    }

    fn entry(entity: AuditEntity, id: Option<i64>) -> LoggedEntry {
        LoggedEntry {
            id: 1,
            at: Utc::now(),
            username: None,
            action: AuditAction::Update.to_string(),
            entity: entity.to_string(),
            entity_id: id,
            before: None,
            after: None,
            pilot_slug: None,
            district_code: None,
        }
    }

    #[test]
    fn entries_link_to_the_page_of_their_entity() {
        assert_eq!(
            entity_href(&entry(AuditEntity::Shift, Some(9)), Role::Supervisor).as_deref(),
            Some("/shifts/9/log")
        );
        let mut visit = entry(AuditEntity::Visit, Some(4));
        visit.before = Some(json!({"id": 4, "shift_id": 12}));
        assert_eq!(
            entity_href(&visit, Role::Supervisor).as_deref(),
            Some("/shifts/12/log")
        );
        let mut hotspot = entry(AuditEntity::Hotspot, Some(3));
        assert_eq!(entity_href(&hotspot, Role::Admin), None, "gone: no link");
        hotspot.pilot_slug = Some("calgary-2023".into());
        assert_eq!(
            entity_href(&hotspot, Role::Supervisor).as_deref(),
            Some("/pilots/calgary-2023/hotspots/3")
        );
        assert_eq!(
            entity_href(&entry(AuditEntity::User, Some(1)), Role::Supervisor),
            None
        );
        assert_eq!(
            entity_href(&entry(AuditEntity::User, Some(1)), Role::Admin).as_deref(),
            Some("/admin/users")
        );
    }
}
