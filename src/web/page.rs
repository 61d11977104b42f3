//! Rendering templates into responses, the layout every page shares, and the error page.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::assets;
use crate::db::users::User;
use crate::domain::Role;

/// A rendered askama template. A template that fails to render is a bug: log it, show a 500.
pub struct Page<T>(pub T);

impl<T: Template> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        match self.0.render() {
            Ok(html) => Html(html).into_response(),
            Err(error) => {
                tracing::error!(%error, "template failed to render");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    "Something went wrong on our side. Please try again.",
                )
                    .into_response()
            }
        }
    }
}

/// A link in the navigation bar.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
}

/// A navigation link and who may follow it.
type NavRule = (&'static str, &'static str, fn(Role) -> bool);

/// What `base.html` needs: the page title, who is signed in, the pilot in view, and the URLs of
/// the static files.
pub struct Layout {
    pub title: String,
    pub user: Option<User>,
    pub nav: Vec<NavLink>,
    pub stylesheet: &'static str,
    pub script: &'static str,
    pub icon: &'static str,
    pub pilot: Option<PilotNav>,
    /// A sentence above the page's content about how the request was read, e.g. dates moved
    /// into the pilot.
    pub notice: Option<String>,
}

/// The pages of the pilot in view, offered in the header beside the main menu.
pub struct PilotNav {
    pub name: String,
    /// (address, label) of each page.
    pub links: Vec<(String, &'static str)>,
}

impl Layout {
    /// The layout for a page seen by `user` (or by nobody signed in).
    pub fn new(title: impl Into<String>, user: Option<&User>) -> Layout {
        // Each link with who may follow it, in the order of the bar.
        let links: [NavRule; 9] = [
            ("/me", "My shift", |r| r == Role::Officer),
            ("/", "Pilots", |r| r != Role::Officer),
            ("/exports", "Exports", |r| r.includes(Role::Supervisor)),
            ("/calendar", "Calendar feeds", Role::edits_rosters),
            ("/imports", "Imports", |r| r.includes(Role::Analyst)),
            ("/audit", "Audit log", |r| r.includes(Role::Supervisor)),
            ("/admin/users", "Accounts", |r| r.includes(Role::Admin)),
            ("/admin/pilots", "Pilot setup", |r| r.includes(Role::Admin)),
            ("/admin/agencies", "Agencies", |r| r.includes(Role::Admin)),
        ];
        let nav = user.map_or_else(Vec::new, |user| {
            links
                .iter()
                .filter(|(_, _, allowed)| allowed(user.role))
                .map(|(href, label, _)| NavLink { href, label })
                .collect()
        });
        Layout {
            title: title.into(),
            user: user.cloned(),
            nav,
            pilot: None,
            stylesheet: assets::stylesheet_url(),
            script: assets::htmx_url(),
            icon: assets::favicon_url(),
            notice: None,
        }
    }

    /// The same layout with `notice` above the content.
    pub fn with_notice(self, notice: Option<String>) -> Layout {
        Layout { notice, ..self }
    }

    /// The same layout with the pages of pilot `slug` (named `name`) in the header: its
    /// dashboard, the now board, this week's roster, officers and teams, and its exports and calendar feeds
    /// for those who may use them.
    pub fn for_pilot(mut self, slug: &str, name: &str) -> Layout {
        let Some(role) = self.user.as_ref().map(|u| u.role) else {
            return self;
        };
        if role == Role::Officer {
            self.pilot = Some(PilotNav {
                name: name.to_string(),
                links: vec![(format!("/pilots/{slug}/now"), "Now")],
            });
            return self;
        }
        let mut links = vec![
            (format!("/pilots/{slug}"), "Dashboard"),
            (format!("/pilots/{slug}/now"), "Now"),
            (format!("/pilots/{slug}/roster"), "Roster"),
            (format!("/pilots/{slug}/officers"), "Officers"),
            (format!("/pilots/{slug}/teams"), "Teams"),
            (format!("/pilots/{slug}/evaluation"), "Evaluation"),
        ];
        if role.includes(Role::Supervisor) {
            links.push((format!("/exports?pilot={slug}"), "Exports"));
        }
        if role.edits_rosters() {
            links.push((format!("/calendar?pilot={slug}"), "Calendar feeds"));
        }
        self.pilot = Some(PilotNav {
            name: name.to_string(),
            links,
        });
        self
    }
}

/// The page shown for every error, with a plain sentence and never internal detail.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub reason: String,
    pub message: String,
}

/// What an error page said, kept on its response so that [`with_signed_in_layout`] can draw it
/// again with the signed-in user's header (an error is answered before anyone looks the user up).
#[derive(Debug, Clone)]
pub struct ErrorShown {
    pub message: String,
}

impl ErrorPage {
    /// An error page for `status` with `message` for people, seen by `user`.
    pub fn render(status: StatusCode, message: String, user: Option<&User>) -> Response {
        let reason = status.canonical_reason().unwrap_or("Error").to_string();
        let mut response = (
            status,
            Page(ErrorPage {
                layout: Layout::new(reason.clone(), user),
                status: status.as_u16(),
                reason,
                message: message.clone(),
            }),
        )
            .into_response();
        if user.is_none() {
            response.extensions_mut().insert(ErrorShown { message });
        }
        response
    }
}
