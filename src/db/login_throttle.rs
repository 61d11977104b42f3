//! Failed sign-ins, counted before each password check, and the addresses accounts sign in from.

use sqlx::PgExecutor;

use crate::domain::ids::UserId;
use crate::domain::lockout::{
    ClientAddress, Counter, FORGET_AFTER_SECS, OnSuccess, USUAL_FOR_DAYS,
};

/// Counts one attempt on `counter` unless it is locked. `None`: counted, the password may be
/// checked. `Some(seconds)`: locked for that long still, nothing counted.
///
/// The upsert reads, checks and raises the count in one statement: concurrent attempts queue on
/// the row and each sees the ones before it, so no more attempts than allowed ever get through.
pub async fn count_attempt(
    db: impl PgExecutor<'_> + Copy,
    counter: &Counter,
) -> Result<Option<i64>, sqlx::Error> {
    let (username, address) = counter.key();
    // Counters quiet for long enough start again; sweeping them all here also keeps the table
    // from growing with every made-up username.
    sqlx::query(
        "delete from login_failures where last_failed_at < clock_timestamp() - make_interval(secs => $1)",
    )
    .bind(FORGET_AFTER_SECS)
    .execute(db)
    .await?;
    let counted: Option<i32> = sqlx::query_scalar(
        r#"insert into login_failures as f (username, address, failures, last_failed_at, locked_until)
           values ($1, $2, 1, clock_timestamp(), clock_timestamp() + make_interval(secs => $3[1]))
           on conflict (username, address) do update
              set failures = f.failures + 1,
                  last_failed_at = clock_timestamp(),
                  locked_until = clock_timestamp()
                      + make_interval(secs => $3[least(f.failures + 1, cardinality($3))])
            where f.locked_until <= clock_timestamp()
           returning failures"#,
    )
    .bind(&username)
    .bind(&address)
    .bind(counter.schedule())
    .fetch_optional(db)
    .await?;
    if counted.is_some() {
        return Ok(None);
    }
    let wait: Option<f64> = sqlx::query_scalar(
        r#"select extract(epoch from locked_until - clock_timestamp())::float8
             from login_failures
            where username = $1 and address = $2"#,
    )
    .bind(&username)
    .bind(&address)
    .fetch_optional(db)
    .await?;
    Ok(Some(wait.map_or(1, |w| w.ceil().max(1.0) as i64)))
}

/// Settles `counter` after a successful sign-in that was counted on it: clears it, or takes back
/// the one count, with the lock-out that count brought (see [`OnSuccess`]).
pub async fn count_success(db: impl PgExecutor<'_>, counter: &Counter) -> Result<(), sqlx::Error> {
    let (username, address) = counter.key();
    match counter.on_success() {
        OnSuccess::Clear => {
            sqlx::query("delete from login_failures where username = $1 and address = $2")
                .bind(username)
                .bind(address)
                .execute(db)
                .await?;
        }
        OnSuccess::TakeBack => {
            sqlx::query(
                r#"update login_failures as f
                      set failures = f.failures - 1,
                          locked_until = f.last_failed_at
                              + make_interval(secs => $3[least(greatest(f.failures - 1, 1), cardinality($3))])
                    where username = $1 and address = $2 and failures > 0"#,
            )
            .bind(username)
            .bind(address)
            .bind(counter.schedule())
            .execute(db)
            .await?;
        }
    }
    Ok(())
}

/// Whether the account `username` signed in from `address` lately. Asked for unknown usernames
/// too, so that they take the same queries as known ones.
pub async fn is_usual_address(
    db: impl PgExecutor<'_>,
    username: &str,
    address: ClientAddress,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        r#"select exists (
               select 1
                 from login_addresses a
                 join users u on u.id = a.user_id
                where u.username = $1
                  and a.address = $2
                  and a.last_signed_in_at > now() - make_interval(days => $3))"#,
    )
    .bind(username)
    .bind(address.to_string())
    .bind(USUAL_FOR_DAYS)
    .fetch_one(db)
    .await
}

/// Remembers that `user_id` signed in from `address`, and forgets its addresses not used lately.
pub async fn remember_address(
    db: impl PgExecutor<'_> + Copy,
    user_id: UserId,
    address: ClientAddress,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r#"insert into login_addresses (user_id, address, last_signed_in_at) values ($1, $2, now())
           on conflict (user_id, address) do update set last_signed_in_at = now()"#,
    )
    .bind(user_id)
    .bind(address.to_string())
    .execute(db)
    .await?;
    sqlx::query(
        r#"delete from login_addresses
            where user_id = $1 and last_signed_in_at < now() - make_interval(days => $2)"#,
    )
    .bind(user_id)
    .bind(USUAL_FOR_DAYS)
    .execute(db)
    .await?;
    Ok(())
}
