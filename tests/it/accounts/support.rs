//! What the account tests share: reading what was stored and audited, and reading pages.

use sqlx::PgPool;

use crate::common::app::{PASSWORD, TestApp, TestResponse};

/// A password that passes the rules, other than [`PASSWORD`].
pub const NEW_PASSWORD: &str = "a brand new passphrase";

/// An account as stored.
#[derive(Debug, PartialEq, sqlx::FromRow)]
pub struct Stored {
    pub id: i64,
    pub display_name: String,
    pub role: String,
    pub active: bool,
    pub must_change_password: bool,
    pub password_hash: String,
}

pub async fn stored(db: &PgPool, username: &str) -> Option<Stored> {
    sqlx::query_as(
        "select id, display_name, role, active, must_change_password, password_hash
           from users where username = $1",
    )
    .bind(username)
    .fetch_optional(db)
    .await
    .unwrap()
}

pub async fn id_of(db: &PgPool, username: &str) -> i64 {
    stored(db, username).await.expect("the account exists").id
}

/// Audit entries about accounts: author, action, account, before and after (as text).
pub type Entry = (
    Option<i64>,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

pub async fn audited(db: &PgPool) -> Vec<Entry> {
    let entries: Vec<Entry> = sqlx::query_as(
        "select user_id, action, entity_id, before::text, after::text
           from audit_log where entity = 'user' order by id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (_, _, _, before, after) in &entries {
        for json in [before, after].into_iter().flatten() {
            assert!(
                !json.contains("password_hash") && !json.contains("$argon2"),
                "no hash in the audit log: {json}"
            );
            assert!(!json.contains(PASSWORD) && !json.contains(NEW_PASSWORD));
        }
    }
    entries
}

pub async fn sessions_of(db: &PgPool, id: i64) -> i64 {
    sqlx::query_scalar("select count(*) from sessions where user_id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

/// Whether the field `id` is marked invalid.
pub fn is_invalid(response: &TestResponse, id: &str) -> bool {
    let selector = scraper::Selector::parse(&format!(r#"#{id}[aria-invalid="true"]"#)).unwrap();
    response.html().select(&selector).count() == 1
}

/// The `value` attribute of the element matching `selector`.
pub fn value_of(response: &TestResponse, selector: &str) -> Option<String> {
    let selector = scraper::Selector::parse(selector).unwrap();
    let html = response.html();
    let element = html.select(&selector).next()?;
    element.value().attr("value").map(str::to_string)
}

pub async fn sign_in(app: &TestApp, username: &str, password: &str) -> TestResponse {
    app.post_form(
        "/login",
        &[("username", username), ("password", password)],
        None,
    )
    .await
}

pub fn new_account<'a>(
    username: &'a str,
    role: &'a str,
    password: &'a str,
) -> [(&'a str, &'a str); 4] {
    [
        ("username", username),
        ("display_name", "Dana Dispatch"),
        ("role", role),
        ("password", password),
    ]
}

/// The fields of the "change your password" form.
pub fn password_change<'a>(
    current: &'a str,
    new: &'a str,
    confirm: &'a str,
    next: &'a str,
) -> [(&'static str, &'a str); 4] {
    [
        ("current_password", current),
        ("new_password", new),
        ("confirm_password", confirm),
        ("next", next),
    ]
}
