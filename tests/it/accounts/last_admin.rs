//! Some active administrator always remains, even when two demote each other at once.

use axum::http::StatusCode;
use patrolboard::domain::Role;
use patrolboard::domain::account_form::{Access, LAST_ADMIN};
use patrolboard::domain::ids::UserId;
use patrolboard::service::accounts::{self, AccountError};
use sqlx::PgPool;

use super::support::*;
use crate::common::app::{PASSWORD, TestApp};

#[tokio::test]
async fn the_last_active_admin_can_be_neither_demoted_nor_deactivated() {
    let app = TestApp::empty().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let id = id_of(&app.db, "test-admin").await;
    let path = format!("/admin/users/{id}");

    for fields in [
        [("role", "supervisor"), ("active", "true")],
        [("role", "admin"), ("active", "false")],
    ] {
        let response = app.post_form(&path, &fields, Some(&admin)).await;
        assert_eq!(response.status, StatusCode::CONFLICT);
        assert_eq!(response.texts(&format!("#user-{id}-error")), [LAST_ADMIN]);
    }
    let account = stored(&app.db, "test-admin").await.unwrap();
    assert_eq!((account.role.as_str(), account.active), ("admin", true));
    assert_eq!(audited(&app.db).await.len(), 1);

    app.add_user("second", Role::Admin).await;
    let demoted = [("role", "supervisor"), ("active", "true")];
    let response = app.post_form(&path, &demoted, Some(&admin)).await;
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "another admin remains"
    );
}

/// Active administrators.
async fn admins(db: &PgPool) -> Vec<String> {
    sqlx::query_scalar("select username from users where role = 'admin' and active")
        .fetch_all(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = TestApp::empty().await;
    app.add_user("first", Role::Admin).await;
    app.add_user("second", Role::Admin).await;
    let (first, second) = (
        id_of(&app.db, "first").await,
        id_of(&app.db, "second").await,
    );
    let demote = Access {
        role: Role::Viewer,
        active: true,
    };
    // Hold the first admin's row so that both changes start and wait for it together.
    let mut holder = app.db.begin().await.unwrap();
    sqlx::query("select 1 from users where id = $1 for update")
        .bind(first)
        .execute(&mut *holder)
        .await
        .unwrap();
    let change = |author: UserId, id: UserId| {
        let db = app.db.clone();
        tokio::spawn(async move { accounts::change(&db, author, id, demote).await })
    };
    let (first, second) = (UserId(first), UserId(second));
    let (one, other) = (change(first, second), change(second, first));
    wait_for_lock_waiters(&app.db, 2).await;
    holder.rollback().await.unwrap();
    let results = [one.await.unwrap(), other.await.unwrap()];

    let done = results.iter().filter(|r| r.is_ok()).count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(AccountError::LastAdmin)))
        .count();
    assert_eq!((done, refused), (1, 1), "{results:?}");
    assert_eq!(admins(&app.db).await.len(), 1);

    // The same race through the forms: one admin remains whichever order they run in.
    app.add_user("third", Role::Admin).await;
    let third_cookie = sign_in(&app, "third", PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let remaining = admins(&app.db).await;
    let remaining = remaining.iter().find(|name| *name != "third").unwrap();
    let other_cookie = sign_in(&app, remaining, PASSWORD)
        .await
        .session_cookie()
        .unwrap();
    let (third, remaining) = (
        id_of(&app.db, "third").await,
        id_of(&app.db, remaining).await,
    );
    let fields = [("role", "viewer"), ("active", "true")];
    let (to_remaining, to_third) = (
        format!("/admin/users/{remaining}"),
        format!("/admin/users/{third}"),
    );
    let (a, b) = tokio::join!(
        app.post_form(&to_remaining, &fields, Some(&third_cookie)),
        app.post_form(&to_third, &fields, Some(&other_cookie)),
    );
    let statuses = [a.status, b.status];
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1
    );
    assert_eq!(admins(&app.db).await.len(), 1, "{statuses:?}");
}

/// Waits until `count` connections wait for a row lock.
async fn wait_for_lock_waiters(db: &PgPool, count: i64) {
    for _ in 0..500 {
        let waiting: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'",
        )
        .fetch_one(db)
        .await
        .unwrap();
        if waiting >= count {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("{count} changes never waited for the lock together");
}
