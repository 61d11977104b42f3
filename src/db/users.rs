//! Accounts.

use sqlx::PgExecutor;

use crate::domain::ids::{OfficerId, UserId};
use crate::domain::{Role, Username};

/// The columns of [`User`], in its order.
const USER_COLUMNS: &str =
    "id, username, display_name, role, active, must_change_password, officer_id";

/// A user as the rest of the application sees it (no password hash, so the audit log can keep it
/// whole).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// An administrator set the password: the user must choose their own before anything else.
    pub must_change_password: bool,
    /// The officer an account of role `officer` belongs to.
    pub officer_id: Option<OfficerId>,
}

/// An account and its password hash.
#[derive(sqlx::FromRow)]
struct WithHash {
    #[sqlx(flatten)]
    user: User,
    password_hash: String,
}

/// A new account as stored: `must_change_password` when someone else chose the password.
pub struct NewUser<'a> {
    pub username: &'a Username,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    /// The officer the account belongs to: required for role `officer`, none for the others.
    pub officer_id: Option<OfficerId>,
}

/// Stores a new account; fails with `users_username_key` when the username is taken.
pub async fn insert(db: impl PgExecutor<'_>, new: &NewUser<'_>) -> Result<User, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"insert into users (username, display_name, role, password_hash, must_change_password,
                              officer_id)
           values ($1, $2, $3, $4, $5, $6)
           returning {USER_COLUMNS}"#
    ))
    .bind(new.username.as_str())
    .bind(new.display_name)
    .bind(new.role)
    .bind(new.password_hash)
    .bind(new.must_change_password)
    .bind(new.officer_id)
    .fetch_one(db)
    .await
}

/// An active user and their password hash, for signing in.
pub async fn find_for_login(
    db: impl PgExecutor<'_>,
    username: &str,
) -> Result<Option<(User, String)>, sqlx::Error> {
    let row: Option<WithHash> = sqlx::query_as(&format!(
        "select {USER_COLUMNS}, password_hash from users where username = $1 and active"
    ))
    .bind(username)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| (row.user, row.password_hash)))
}

/// The account `id`, if there is one.
pub async fn find(db: impl PgExecutor<'_>, id: UserId) -> Result<Option<User>, sqlx::Error> {
    sqlx::query_as(&format!("select {USER_COLUMNS} from users where id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The password hash of account `id`, for checking the password its owner types.
pub async fn password_hash(
    db: impl PgExecutor<'_>,
    id: UserId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select password_hash from users where id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Every account, by username.
pub async fn list(db: impl PgExecutor<'_>) -> Result<Vec<User>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {USER_COLUMNS} from users order by username"
    ))
    .fetch_all(db)
    .await
}

/// How many accounts exist.
pub async fn count(db: impl PgExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from users")
        .fetch_one(db)
        .await
}

/// Account `id` and its password hash, locked until the transaction ends.
///
/// Locks are `for no key update`, so that sign-ins (a new session) and audit entries naming the
/// account, which only hold a key-share lock on it, need not wait.
pub async fn lock(
    db: impl PgExecutor<'_>,
    id: UserId,
) -> Result<Option<(User, String)>, sqlx::Error> {
    let row: Option<WithHash> = sqlx::query_as(&format!(
        "select {USER_COLUMNS}, password_hash from users where id = $1 for no key update"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| (row.user, row.password_hash)))
}

/// Account `id` and every active administrator, locked in id order until the transaction ends.
/// An administrator demoted or deactivated by a transaction this one waited for is not among
/// them (PostgreSQL checks the condition again on the row it waited for), so two changes that
/// would each leave the other as the last admin run one after the other and see each other.
pub async fn lock_with_active_admins(
    db: impl PgExecutor<'_>,
    id: UserId,
) -> Result<Vec<User>, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"select {USER_COLUMNS} from users
            where id = $1 or (role = 'admin' and active)
            order by id
            for no key update"#
    ))
    .bind(id)
    .fetch_all(db)
    .await
}

/// Gives account `id` a role and says whether it may sign in.
pub async fn set_access(
    db: impl PgExecutor<'_>,
    id: UserId,
    role: Role,
    active: bool,
) -> Result<User, sqlx::Error> {
    sqlx::query_as(&format!(
        "update users set role = $2, active = $3 where id = $1 returning {USER_COLUMNS}"
    ))
    .bind(id)
    .bind(role)
    .bind(active)
    .fetch_one(db)
    .await
}

/// Gives account `id` a new password hash, and whether its owner must change it.
pub async fn set_password(
    db: impl PgExecutor<'_>,
    id: UserId,
    password_hash: &str,
    must_change: bool,
) -> Result<User, sqlx::Error> {
    sqlx::query_as(&format!(
        r#"update users set password_hash = $2, must_change_password = $3
            where id = $1
        returning {USER_COLUMNS}"#
    ))
    .bind(id)
    .bind(password_hash)
    .bind(must_change)
    .fetch_one(db)
    .await
}

/// Whether `error` refused a new account because its username is taken.
pub fn is_username_taken(error: &sqlx::Error) -> bool {
    super::is_violation(error, "users_username_key")
}
