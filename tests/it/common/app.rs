//! The router, driven in-process through real HTTP requests and responses.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, Response, StatusCode, header};
use patrolboard::config::Config;
use patrolboard::domain::{Role, Username, password};
use patrolboard::service::accounts;
use patrolboard::state::AppState;
use sqlx::PgPool;
use tower::ServiceExt;

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// The application over a test database.
pub struct TestApp {
    pub db: PgPool,
    router: Router,
}

/// A response, with its body read.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    /// The body parsed as HTML.
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// Texts of the elements matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = scraper::Selector::parse(selector).expect("a valid selector");
        self.html()
            .select(&selector)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The `Location` header of a redirect.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The `name=value` part of the session cookie set by this response.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("patrolboard_session="))
            .and_then(|v| v.split(';').next())
            .map(str::to_string)
    }
}

impl TestApp {
    /// The application over a database holding the demo pilot.
    pub async fn seeded() -> TestApp {
        TestApp::over(super::seeded_db().await)
    }

    /// The application over an empty, migrated database.
    pub async fn empty() -> TestApp {
        TestApp::over(super::fresh_db().await)
    }

    /// The application over `db`.
    pub fn over(db: PgPool) -> TestApp {
        let state = AppState::new(db.clone(), Config::default());
        TestApp {
            db,
            router: patrolboard::web::router(state),
        }
    }

    /// Sends a request through the router and returns the response with its body unread.
    pub async fn respond(&self, request: Request<Body>) -> Response<Body> {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers")
    }

    /// Sends a request through the router.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.respond(request).await;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// `GET path`, with a session cookie when given.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> TestResponse {
        let mut request = Request::builder().method(Method::GET).uri(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A same-origin form post, as a browser sends it.
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(encode_form(fields))).unwrap())
            .await
    }

    /// Adds an account with [`PASSWORD`]; an officer's belongs to the officer with the most
    /// shifts who has no account yet.
    pub async fn add_user(&self, username: &str, role: Role) {
        let hash = password::hash(PASSWORD).unwrap();
        let officer = match role {
            Role::Officer => patrolboard::db::me::busiest_officer_without_account(&self.db)
                .await
                .unwrap(),
            _ => None,
        };
        accounts::create_linked(
            &self.db,
            &Username::parse(username).unwrap(),
            username,
            role,
            officer,
            &hash,
        )
        .await
        .expect("the account is created");
    }

    /// Adds an account for `role` and signs it in; returns the cookie to send.
    pub async fn sign_in_as(&self, role: Role) -> String {
        let username = format!("test-{role}");
        self.add_user(&username, role).await;
        let response = self
            .post_form(
                "/login",
                &[("username", &username), ("password", PASSWORD)],
                None,
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{role} signs in");
        response.session_cookie().expect("a session cookie is set")
    }
}

/// The `value` a form control shows: an input's value, a select's selected option, a textarea's
/// text.
pub fn shown_value(response: &TestResponse, id: &str) -> String {
    let html = response.html();
    let selector = scraper::Selector::parse(&format!("#{id}")).unwrap();
    let element = html
        .select(&selector)
        .next()
        .unwrap_or_else(|| panic!("#{id} is on the page"));
    match element.value().name() {
        "select" => {
            let selected = scraper::Selector::parse("option[selected]").unwrap();
            element
                .select(&selected)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or("")
                .to_string()
        }
        "textarea" => element.text().collect(),
        _ => element.value().attr("value").unwrap_or("").to_string(),
    }
}

/// The attribute `name` of the first element matching a CSS selector.
pub fn attr(response: &TestResponse, selector: &str, name: &str) -> Option<String> {
    let html = response.html();
    let selector = scraper::Selector::parse(selector).unwrap();
    html.select(&selector)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

/// A same-origin form post of `fields` (repeated names allowed), signed in with `cookie`.
pub async fn post(
    app: &TestApp,
    path: &str,
    fields: &[(String, String)],
    cookie: &str,
) -> TestResponse {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.post_form(path, &pairs, Some(cookie)).await
}

/// `application/x-www-form-urlencoded` of the fields.
pub fn encode_form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The boundary of [`multipart`] bodies.
pub const BOUNDARY: &str = "----patrolboard-test-boundary";

/// The `Content-Type` of a [`multipart`] body.
pub fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// A `multipart/form-data` body, as a browser sends the upload form: `fields`, then `file` under
/// the name `file_name`.
pub fn multipart(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}
