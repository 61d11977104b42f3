//! Bad visits, activities and edits: refused beside their field with what was typed kept, and
//! nothing stored.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use patrolboard::domain::Role;
use patrolboard::domain::ids::ShiftId;

use super::{WorkedExample, counts, fixture, log_visit};
use crate::common::app::{attr, shown_value};

/// A bad visit: the fields to post (beyond a good default), the field the message belongs beside
/// and words it must contain.
struct BadVisit {
    shift: fn(&WorkedExample) -> ShiftId,
    hotspot: fn(&WorkedExample) -> String,
    arrived: &'static str,
    departed: &'static str,
    source: &'static str,
    field: &'static str,
    says: &'static str,
}

#[tokio::test]
async fn every_bad_visit_is_refused_beside_its_field_with_what_was_typed_kept() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let shift_a: fn(&WorkedExample) -> ShiftId = |f| f.shift;
    let library: fn(&WorkedExample) -> String = |f| f.library.to_string();
    let good = BadVisit {
        shift: shift_a,
        hotspot: library,
        arrived: "2023-03-11T23:05",
        departed: "2023-03-11T23:17",
        source: "report",
        field: "",
        says: "",
    };
    let cases = [
        BadVisit {
            arrived: "11/03/2023 23:05",
            field: "arrived_at",
            says: "is not a date and time",
            ..good
        },
        BadVisit {
            departed: "",
            field: "departed_at",
            says: "Enter the date and time of departure",
            ..good
        },
        BadVisit {
            arrived: "2023-03-12T02:30",
            departed: "2023-03-12T03:10",
            field: "arrived_at",
            says: "does not exist in America/Edmonton",
            ..good
        },
        BadVisit {
            shift: |f| f.fall_back,
            arrived: "2023-11-05T01:30",
            departed: "2023-11-05T02:10",
            field: "arrived_at",
            says: "happens twice",
            ..good
        },
        BadVisit {
            departed: "2023-03-11T23:05",
            field: "departed_at",
            says: "after arrival",
            ..good
        },
        BadVisit {
            departed: "2023-03-11T22:55",
            field: "departed_at",
            says: "after arrival",
            ..good
        },
        BadVisit {
            arrived: "2023-03-11T21:15",
            departed: "2023-03-11T21:40",
            field: "arrived_at",
            says: "before the shift",
            ..good
        },
        BadVisit {
            arrived: "2023-03-12T06:20",
            departed: "2023-03-12T06:45",
            field: "departed_at",
            says: "after the shift",
            ..good
        },
        BadVisit {
            hotspot: |f| f.elsewhere.to_string(),
            field: "hotspot_id",
            says: "this pilot's hotspots",
            ..good
        },
        BadVisit {
            hotspot: |_| String::new(),
            field: "hotspot_id",
            says: "Choose the hotspot",
            ..good
        },
        BadVisit {
            hotspot: |f| f.old_plaza.to_string(),
            field: "hotspot_id",
            says: "was not a hotspot on 2023-03-11",
            ..good
        },
        BadVisit {
            source: "radio",
            field: "source",
            says: "crew report, AVL or import",
            ..good
        },
        BadVisit {
            shift: |f| f.cancelled,
            arrived: "2023-03-12T23:05",
            departed: "2023-03-12T23:17",
            field: "form",
            says: "cancelled",
            ..good
        },
    ];
    let before = counts(&f.app).await;
    let days_before: Vec<(i32, i32, i32)> = sqlx::query_as(
        "select delivered_blocks, visits, koper_visits from hotspot_days order by hotspot_id, day",
    )
    .fetch_all(&f.app.db)
    .await
    .unwrap();

    for case in &cases {
        let hotspot = (case.hotspot)(&f);
        let shift = (case.shift)(&f);
        let response = f
            .app
            .post_form(
                &format!("/shifts/{shift}/visits"),
                &[
                    ("hotspot_id", &hotspot),
                    ("arrived_at", case.arrived),
                    ("departed_at", case.departed),
                    ("source", case.source),
                ],
                Some(&cookie),
            )
            .await;

        let what = format!("{} {} {}", case.field, case.arrived, case.departed);
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let message = response.texts(&format!("#new-visit-{}-error", case.field));
        assert_eq!(message.len(), 1, "{what}: {}", response.body);
        assert!(message[0].contains(case.says), "{what}: {}", message[0]);
        assert_eq!(response.texts("#problem").len(), 1, "{what}");
        if case.field != "form" {
            assert_eq!(
                attr(
                    &response,
                    &format!("#new-visit-{}", case.field),
                    "aria-describedby"
                ),
                Some(format!("new-visit-{}-error", case.field)),
                "{what}"
            );
        }
        assert_eq!(
            shown_value(&response, "new-visit-arrived_at"),
            case.arrived,
            "{what}"
        );
        assert_eq!(
            shown_value(&response, "new-visit-departed_at"),
            case.departed,
            "{what}"
        );
        if case.field != "hotspot_id" {
            assert_eq!(
                shown_value(&response, "new-visit-hotspot_id"),
                hotspot,
                "{what}"
            );
        }
        if case.field != "source" {
            assert_eq!(
                shown_value(&response, "new-visit-source"),
                case.source,
                "{what}"
            );
        }
    }
    assert_eq!(counts(&f.app).await, before, "nothing was stored");
    let days_after: Vec<(i32, i32, i32)> = sqlx::query_as(
        "select delivered_blocks, visits, koper_visits from hotspot_days order by hotspot_id, day",
    )
    .fetch_all(&f.app.db)
    .await
    .unwrap();
    assert_eq!(days_before, days_after);
}

#[tokio::test]
async fn every_bad_activity_is_refused_beside_its_field_with_what_was_typed_kept() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let long_note = "n".repeat(501);
    let other = f.elsewhere.to_string();
    let good = [
        ("kind", "ticket"),
        ("count", "1"),
        ("hotspot_id", ""),
        ("occurred_at", "2023-03-11T23:40"),
        ("note", "typed note"),
    ];
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        // (field, typed, where the message goes, what it says)
        ("count", "0", "count", "from 1 to 1000"),
        ("count", "1001", "count", "from 1 to 1000"),
        ("count", "lots", "count", "whole number"),
        ("count", "", "count", "Enter how many"),
        ("kind", "arrest", "kind", "kinds listed"),
        ("kind", "", "kind", "Choose what happened"),
        ("note", &long_note, "note", "501 characters"),
        (
            "occurred_at",
            "2023-03-12T02:15",
            "occurred_at",
            "does not exist",
        ),
        (
            "occurred_at",
            "2023-03-12T09:00",
            "occurred_at",
            "after the shift",
        ),
        (
            "occurred_at",
            "soon",
            "occurred_at",
            "is not a date and time",
        ),
        ("hotspot_id", &other, "hotspot_id", "this pilot's hotspots"),
    ];
    let before = counts(&f.app).await;

    for (field, typed, beside, says) in &cases {
        let fields: Vec<(&str, &str)> = good
            .iter()
            .map(|(name, value)| (*name, if name == field { *typed } else { *value }))
            .collect();
        let response = f
            .app
            .post_form(
                &format!("/shifts/{}/activities", f.shift),
                &fields,
                Some(&cookie),
            )
            .await;

        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={typed}"
        );
        let message = response.texts(&format!("#new-activity-{beside}-error"));
        assert_eq!(message.len(), 1, "{field}={typed}");
        assert!(message[0].contains(says), "{field}={typed}: {}", message[0]);
        for (name, value) in &fields {
            if name != field || !["kind", "hotspot_id"].contains(name) {
                assert_eq!(
                    shown_value(&response, &format!("new-activity-{name}")),
                    *value,
                    "{field}={typed}: {name} kept"
                );
            }
        }
    }

    let cancelled = f
        .app
        .post_form(
            &format!("/shifts/{}/activities", f.cancelled),
            &good,
            Some(&cookie),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(cancelled.texts("#new-activity-form-error")[0].contains("cancelled"));
    assert_eq!(counts(&f.app).await, before, "nothing was stored");
}

#[tokio::test]
async fn a_bad_edit_is_shown_again_in_its_own_open_form_and_changes_nothing() {
    let f = fixture().await;
    let cookie = f.app.sign_in_as(Role::Supervisor).await;
    let visit = log_visit(&f, &cookie, "2023-03-11T23:05", "2023-03-11T23:17").await;
    let stored: (DateTime<Utc>,) = sqlx::query_as("select departed_at from visits where id = $1")
        .bind(visit)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    let before = counts(&f.app).await;

    let library = f.library.to_string();
    let response = f
        .app
        .post_form(
            &format!("/visits/{visit}"),
            &[
                ("hotspot_id", library.as_str()),
                ("arrived_at", "2023-03-11T23:05"),
                ("departed_at", "2023-03-11T22:00"),
            ],
            Some(&cookie),
        )
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let prefix = format!("visit-{visit}");
    assert!(response.texts(&format!("#{prefix}-departed_at-error"))[0].contains("after arrival"));
    assert_eq!(
        shown_value(&response, &format!("{prefix}-departed_at")),
        "2023-03-11T22:00"
    );
    assert_eq!(
        response
            .texts(&format!("#visit-row-{visit} details[open]"))
            .len(),
        1
    );
    assert!(response.texts("#new-visit-departed_at-error").is_empty());
    assert_eq!(counts(&f.app).await, before);
    let now: (DateTime<Utc>,) = sqlx::query_as("select departed_at from visits where id = $1")
        .bind(visit)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    assert_eq!(now, stored);
}
