//! axe-core in the page: injected, run, and its findings read back.

use std::fmt;

use fantoccini::Client;
use serde::Deserialize;

/// axe-core, vendored (see `tests/vendor/README.md`): pages are never given anything from a CDN.
const AXE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/vendor/axe.min.js"
));

/// One rule axe found broken on the page, with the elements that break it.
#[derive(Debug, Deserialize)]
pub struct Violation {
    /// The rule, e.g. `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    /// What the rule asks for, in a sentence.
    pub help: String,
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    pub nodes: Vec<ViolationNode>,
}

/// An element that breaks a rule.
#[derive(Debug, Deserialize)]
pub struct ViolationNode {
    /// CSS selector(s) of the element.
    pub target: Vec<String>,
    /// The element's opening HTML.
    pub html: String,
    /// What is wrong with it and how to fix it.
    #[serde(rename = "failureSummary")]
    pub failure_summary: Option<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "[{}] {}: {} ({})",
            self.impact.as_deref().unwrap_or("unknown impact"),
            self.id,
            self.help,
            self.help_url
        )?;
        for node in &self.nodes {
            writeln!(f, "  at {}", node.target.join(" "))?;
            writeln!(f, "     {}", node.html)?;
            if let Some(summary) = &node.failure_summary {
                for line in summary.lines() {
                    writeln!(f, "     {line}")?;
                }
            }
        }
        Ok(())
    }
}

/// The rule sets every page is held to: WCAG 2.0 A and AA, 2.1 AA, 2.2 AA, and axe's best
/// practices (landmarks, heading order, …).
pub const TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"];

/// Injects axe-core into the page shown, runs the rules of [`TAGS`] and returns what it finds
/// broken, of any impact.
///
/// WebDriver's scripts run outside the page's Content-Security-Policy, so axe loads although the
/// application allows only its own scripts; the application's headers are not relaxed for tests.
pub async fn axe_violations(client: &Client) -> Vec<Violation> {
    client
        .execute(AXE, vec![])
        .await
        .expect("axe-core is injected into the page");
    // Targets inside shadow DOM or frames are arrays of selectors: joined to one string each.
    let run = r#"
        const done = arguments[arguments.length - 1];
        const tags = arguments[0];
        axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
          .then((results) => done({ violations: results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({
              target: n.target.map((t) => Array.isArray(t) ? t.join(' >>> ') : String(t)),
              html: n.html,
              failureSummary: n.failureSummary,
            })),
          })) }))
          .catch((e) => done({ error: String(e && e.stack || e) }));
    "#;
    let answer = client
        .execute_async(run, vec![serde_json::json!(TAGS)])
        .await
        .expect("axe runs on the page");
    if let Some(error) = answer.get("error") {
        panic!("axe failed on the page: {error}");
    }
    serde_json::from_value(answer["violations"].clone()).expect("axe's violations parse")
}
