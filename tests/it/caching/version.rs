//! The pilot data version: bumped when a change's audit entries commit, once per pilot per
//! transaction, and for every pilot by a change that is no one pilot's.

use patrolboard::db::audit::{self, AuditEntry};
use patrolboard::domain::audit::{AuditAction, AuditEntity};
use patrolboard::domain::ids::PilotId;

use super::version_of;
use crate::common::fixture::Fixture;

fn entry(id: i64) -> AuditEntry {
    AuditEntry::new(None, AuditAction::Update, AuditEntity::Hotspot, Some(id))
}

async fn two_pilots() -> (sqlx::PgPool, PilotId) {
    let db = crate::common::fresh_db().await;
    let first = Fixture::pilot("first").build(&db).await.pilot_id;
    Fixture::pilot("second").build(&db).await;
    (db, first)
}

#[tokio::test]
async fn thousands_of_entries_of_one_pilot_in_one_transaction_bump_it_once_and_no_other() {
    let (db, first) = two_pilots().await;
    let before = (
        version_of(&db, "first").await,
        version_of(&db, "second").await,
    );
    let entries: Vec<_> = (0..5000).map(|id| entry(id).of_pilot(first)).collect();

    let mut tx = db.begin().await.unwrap();
    audit::record_all(&mut *tx, &entries).await.unwrap();
    audit::record(&mut *tx, &entry(1).of_pilot(first))
        .await
        .unwrap();
    assert_eq!(
        version_of(&mut *tx, "first").await,
        before.0,
        "bumped at commit, not before"
    );
    tx.commit().await.unwrap();

    assert_eq!(version_of(&db, "first").await, before.0 + 1);
    assert_eq!(version_of(&db, "second").await, before.1);
}

#[tokio::test]
async fn a_change_of_no_one_pilot_bumps_every_pilot_once() {
    let (db, first) = two_pilots().await;
    let before = (
        version_of(&db, "first").await,
        version_of(&db, "second").await,
    );

    let mut tx = db.begin().await.unwrap();
    audit::record(&mut *tx, &entry(1).of_pilot(first))
        .await
        .unwrap();
    audit::record_all(&mut *tx, &[entry(2), entry(3)])
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let after = (
        version_of(&db, "first").await,
        version_of(&db, "second").await,
    );
    assert!(
        after.0 > before.0 && after.0 <= before.0 + 2,
        "{before:?} {after:?}"
    );
    assert_eq!(after.1, before.1 + 1);
}

#[tokio::test]
async fn a_change_rolled_back_bumps_nothing() {
    let (db, first) = two_pilots().await;
    let before = version_of(&db, "first").await;

    let mut tx = db.begin().await.unwrap();
    audit::record(&mut *tx, &entry(1).of_pilot(first))
        .await
        .unwrap();
    tx.rollback().await.unwrap();

    assert_eq!(version_of(&db, "first").await, before);
}

#[tokio::test]
async fn the_pilot_of_each_audit_entry_is_stored() {
    let (db, first) = two_pilots().await;

    audit::record(&db, &entry(7).of_pilot(first)).await.unwrap();
    audit::record(&db, &entry(8)).await.unwrap();

    let stored: Vec<(Option<i64>, Option<PilotId>)> = sqlx::query_as(
        "select entity_id, pilot_id from audit_log where entity_id in (7, 8) order by entity_id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(stored, [(Some(7), Some(first)), (Some(8), None)]);
}
