//! The hub's pages in a real browser (headless Chromium through chromedriver), over the
//! demo data: every page type opens with its key content, a search is submitted and a
//! facet followed, an edit form refuses a bad value with the message next to its field and
//! then saves, the layout holds on a phone and in dark mode, focus is visible, and the
//! browser's console stays free of errors. A second walk opens every page type at two widths
//! in both colour schemes. Screenshots of each page are saved under
//! `<target>/browser-screenshots/{walk,matrix}/` (or `AGORA_SCREENSHOT_DIR`).

use std::path::PathBuf;
use std::time::Duration;

use agora_e2e::browser::{Browser, axe_source, screenshot_dir};
use agora_e2e::{Hub, TestDb, create_agent, free_port, hub_command};
use fantoccini::Locator;
use serde_json::json;

/// Console entries that are errors, apart from the status of pages opened on purpose with
/// an error status (a 404 page, a refused form).
fn console_errors(entries: Vec<(String, String)>, expected_status: Option<u16>) -> Vec<String> {
    entries
        .into_iter()
        .filter(|(level, _)| level == "SEVERE")
        .filter(|(_, message)| {
            !expected_status.is_some_and(|s| {
                message.contains(&format!("the server responded with a status of {s}"))
            })
        })
        .map(|(_, message)| message)
        .collect()
}

struct Run {
    browser: Browser,
    /// axe-core's script, run on every page.
    axe: String,
    /// What axe-core found, by page.
    violations: Vec<String>,
    hub: Hub,
    shots: PathBuf,
    saved: Vec<PathBuf>,
    errors: Vec<String>,
}

impl Run {
    /// Opens a page, waits for `ready` (a CSS selector), checks it shows `expect`, and
    /// saves a screenshot.
    async fn open(&mut self, name: &str, path: &str, ready: &str, expect: &[&str]) -> String {
        self.browser
            .client
            .goto(&self.hub.url(path))
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        self.settled(name, ready, expect, None).await
    }

    /// After a navigation: waits for `ready`, checks the text, reads the console, saves a
    /// screenshot. Returns the text of `main`.
    async fn settled(
        &mut self,
        name: &str,
        ready: &str,
        expect: &[&str],
        expected_status: Option<u16>,
    ) -> String {
        let client = &self.browser.client;
        client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(ready))
            .await
            .unwrap_or_else(|e| panic!("{name}: `{ready}` never appeared: {e}"));
        let main = client
            .find(Locator::Css("main"))
            .await
            .expect("a main landmark")
            .text()
            .await
            .expect("text");
        for text in expect {
            assert!(
                main.contains(text),
                "{name}: `{text}` is missing from:\n{main}"
            );
        }
        let title = client.title().await.expect("a title");
        assert!(title.ends_with(" · Agora"), "{name}: title `{title}`");
        let description = client
            .find(Locator::Css("meta[name=description]"))
            .await
            .expect("a description")
            .attr("content")
            .await
            .expect("content")
            .unwrap_or_default();
        assert!(
            description.len() > 20,
            "{name}: description `{description}`"
        );
        self.violations.extend(
            self.browser
                .axe(&self.axe)
                .await
                .into_iter()
                .map(|v| format!("{name}: {v}")),
        );
        let console = self.browser.console().await;
        self.errors.extend(
            console_errors(console, expected_status)
                .into_iter()
                .map(|e| format!("{name}: {e}")),
        );
        let shot = self.browser.screenshot(&self.shots, name).await;
        self.saved.push(shot);
        main
    }

    async fn click(&self, css: &str) {
        self.browser
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("`{css}`: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    }

    /// What is wrong with the layout of the page shown ([`LAYOUT_PROBLEMS`]), each named
    /// after `shot`.
    async fn layout_problems(&self, shot: &str) -> Vec<String> {
        let wrong = self.script(LAYOUT_PROBLEMS).await;
        wrong
            .as_array()
            .into_iter()
            .flatten()
            .map(|w| format!("{shot}: {}", w.as_str().unwrap_or_default()))
            .collect()
    }

    /// Fails on any console error or accessibility violation seen on the way, then closes
    /// the browser, stops the hub and drops the database.
    async fn finish(self, db: TestDb) {
        assert!(
            self.errors.is_empty(),
            "the browser console reported errors:\n{}",
            self.errors.join("\n")
        );
        assert!(
            self.violations.is_empty(),
            "axe-core found accessibility violations:\n{}",
            self.violations.join("\n")
        );
        println!(
            "{} screenshots in {}",
            self.saved.len(),
            self.shots.display()
        );
        let Run { browser, hub, .. } = self;
        browser.quit().await;
        drop(hub);
        db.drop_now().await;
    }

    async fn script(&self, js: &str) -> serde_json::Value {
        self.browser
            .client
            .execute(js, vec![])
            .await
            .unwrap_or_else(|e| panic!("{js}: {e}"))
    }
}

#[tokio::test]
async fn the_pages_work_in_a_real_browser() {
    let db = TestDb::create().await;
    let seeded = hub_command(&db.url, &["seed-demo"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let granted = hub_command(
        &db.url,
        &[
            "user",
            "grant",
            "--email",
            "claire.dubois@insee.fr",
            "--role",
            "steward",
            "--org",
            "insee",
        ],
    );
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    create_agent(&db.url, "insee", "insee-mlflow");
    let config = tempfile::NamedTempFile::new().expect("a config file");
    std::fs::write(config.path(), "dev_login = true\n").expect("config written");
    let hub = Hub::start_with(&db.url, free_port(), Some(config.path())).await;
    let browser = Browser::start().await;
    let mut run = Run {
        browser,
        axe: axe_source(),
        violations: vec![],
        hub,
        shots: screenshot_dir("walk"),
        saved: vec![],
        errors: vec![],
    };

    // The console is read: a message logged on purpose comes back.
    run.browser.client.goto(&run.hub.url("/")).await.unwrap();
    run.script("console.error('agora-canary'); return true")
        .await;
    let canary = run.browser.console().await;
    assert!(
        canary
            .iter()
            .any(|(level, m)| level == "SEVERE" && m.contains("agora-canary")),
        "the browser console cannot be read: {canary:?}"
    );

    // Every page type, anonymously, with the demo data.
    run.open(
        "01-home",
        "/",
        "#ws-heading",
        &["Workstreams", "WS1", "Recent activity"],
    )
    .await;
    // Focus is visible: the first Tab reaches the skip link, drawn with an outline.
    run.browser
        .client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    let focus = run
        .script("const a = document.activeElement; return [a.className, getComputedStyle(a).outlineStyle];")
        .await;
    assert_eq!(
        focus,
        json!(["skip", "solid"]),
        "the skip link takes the first Tab, visibly"
    );
    run.open(
        "02-projects",
        "/projects",
        ".item-list",
        &["Automated coding of member-state time series"],
    )
    .await;
    run.open(
        "03-project",
        "/projects/imf-ts-coding",
        ".timeline",
        &[
            "Journey stage: Validated",
            "Time-series indicator coder",
            "Repositories",
            "Activity",
        ],
    )
    .await;
    run.open(
        "04-models",
        "/models",
        "table",
        &["NAF/APE activity coder (fastText)"],
    )
    .await;
    run.open(
        "05-model",
        "/models/insee/naf-coder",
        "#versions-heading",
        &[
            "Evaluation results",
            "0.915",
            "Versions",
            "Provenance",
            "Intended use",
        ],
    )
    .await;
    run.open(
        "06-workstreams",
        "/workstreams",
        ".cards",
        &["WS1", "Pilot studies"],
    )
    .await;
    let ws = run
        .open(
            "07-workstream",
            "/workstreams/ws1",
            "#projects-heading",
            &[
                "Goal",
                "Leads",
                "Member organisations",
                "Projects by journey stage",
                "Subscribe to its digest",
            ],
        )
        .await;
    assert!(ws.contains("Thomas Lefèvre"), "{ws}");
    let subscribe = run
        .browser
        .client
        .find(Locator::LinkText("Subscribe to its digest"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap();
    assert_eq!(
        subscribe.as_deref(),
        Some("/account/digests?workstream=ws1")
    );
    run.open("08-organisations", "/organisations", "table", &["INSEE"])
        .await;
    let org = run
        .open(
            "09-organisation",
            "/organisations/insee",
            "#projects-heading",
            &["Projects", "Models"],
        )
        .await;
    assert!(
        !org.contains("insee-mlflow"),
        "agents are for stewards only"
    );
    run.open("10-activity", "/activity", ".activity", &["registered"])
        .await;
    run.open(
        "11-activity-filtered",
        "/activity?workstream=ws1&kind=project",
        ".activity",
        &["New project"],
    )
    .await;
    run.browser
        .client
        .goto(&run.hub.url("/projects/no-such-project"))
        .await
        .unwrap();
    run.settled(
        "12-not-found",
        ".error-page",
        &["Page not found", "Search for"],
        Some(404),
    )
    .await;

    // Search from the home page, then follow a facet.
    run.browser.client.goto(&run.hub.url("/")).await.unwrap();
    run.browser
        .client
        .wait()
        .for_element(Locator::Css("#q"))
        .await
        .unwrap()
        .send_keys("coding")
        .await
        .unwrap();
    run.click("form[role=search] button[type=submit]").await;
    let results = run
        .settled("13-search", "ol.hits", &["results", "for"], None)
        .await;
    assert!(results.contains("Filters"), "{results}");
    run.click("input[name=kind][value=model]").await;
    run.click(".facet-actions button").await;
    run.settled(
        "14-search-facet",
        "input[name=kind][value=model][checked]",
        &["results"],
        None,
    )
    .await;
    let kinds = run
        .script("return [...document.querySelectorAll('.hits .kind')].map(k => k.textContent)")
        .await;
    let kinds = kinds.as_array().expect("a list").clone();
    assert!(!kinds.is_empty(), "the facet keeps results");
    assert!(
        kinds.iter().all(|k| k == "Model"),
        "only models after the facet: {kinds:?}"
    );
    let url = run.browser.client.current_url().await.unwrap();
    assert!(
        url.query().unwrap_or_default().contains("kind=model"),
        "{url}"
    );

    // Sign in (development sign-in) and edit a project: a bad value, then a good one.
    run.browser
        .client
        .goto(
            &run.hub
                .url("/auth/login?return_to=/projects/insee-ape-coding/edit"),
        )
        .await
        .unwrap();
    run.browser
        .client
        .wait()
        .for_element(Locator::Css("select#email"))
        .await
        .unwrap()
        .select_by_value("claire.dubois@insee.fr")
        .await
        .unwrap();
    run.click("form[action='/auth/dev-login'] button[type=submit]")
        .await;
    run.settled(
        "15-edit-project",
        "form.edit",
        &["Edit", "Journey stage", "Repositories"],
        None,
    )
    .await;
    let title = run.browser.client.find(Locator::Id("title")).await.unwrap();
    title.clear().await.unwrap();
    run.click("form.edit button[type=submit]").await;
    run.settled(
        "16-edit-refused",
        "#title-error",
        &["The changes were not saved", "must not be empty"],
        Some(422),
    )
    .await;
    let placed = run
        .script(
            "const f = document.getElementById('title'); \
             const e = document.getElementById('title-error'); \
             return [f.closest('.field').contains(e), f.getAttribute('aria-describedby'), f.getAttribute('aria-invalid')];",
        )
        .await;
    assert_eq!(
        placed,
        json!([true, "title-hint title-error", "true"]),
        "the message sits next to its field and is tied to it"
    );
    let title = run.browser.client.find(Locator::Id("title")).await.unwrap();
    title
        .send_keys("Automatic APE coding with fastText")
        .await
        .unwrap();
    run.click("form.edit button[type=submit]").await;
    let saved = run
        .settled(
            "17-project-saved",
            ".timeline",
            &["Automatic APE coding with fastText"],
            None,
        )
        .await;
    assert!(saved.contains("Edit project"), "{saved}");

    // The steward sees the organisation's agents and their health.
    run.open(
        "18-organisation-steward",
        "/organisations/insee",
        "#agents-heading",
        &[
            "insee-mlflow",
            "Never connected",
            // Its people with their roles in words, and the benchmarks it takes part in.
            "Claire Dubois",
            "Lead of WS6 Skills and capabilities",
            "Economic activity coding across offices",
        ],
    )
    .await;
    run.open(
        "19-edit-model",
        "/models/insee/naf-coder/edit",
        "form.edit",
        &["Model card", "Licence"],
    )
    .await;

    // A phone: one column, nothing wider than the screen.
    run.browser.client.set_window_size(390, 844).await.unwrap();
    for (name, path, ready) in [
        ("20-phone-home", "/", "#ws-heading"),
        ("21-phone-project", "/projects/imf-ts-coding", ".timeline"),
        (
            "22-phone-model",
            "/models/insee/naf-coder",
            "#versions-heading",
        ),
    ] {
        run.open(name, path, ready, &[]).await;
        let fits = run
            .script("return document.documentElement.scrollWidth <= window.innerWidth")
            .await;
        assert_eq!(fits, json!(true), "{path} is wider than a phone");
    }

    // Dark mode through prefers-color-scheme.
    run.browser
        .client
        .set_window_size(1280, 1000)
        .await
        .unwrap();
    run.browser
        .cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
        )
        .await;
    run.open("23-dark-home", "/", "#ws-heading", &["Workstreams"])
        .await;
    let background = run
        .script("return getComputedStyle(document.body).backgroundColor")
        .await;
    assert_eq!(
        background,
        json!("rgb(18, 22, 28)"),
        "dark mode follows the system"
    );
    run.open(
        "24-dark-model",
        "/models/insee/naf-coder",
        "#versions-heading",
        &[],
    )
    .await;
    // The radar charts' labels fit inside their charts, in every language, and their
    // text takes the page's light colour in the dark scheme.
    for lang in ["en", "fr", "es"] {
        run.open(
            &format!("25-dark-compare-{lang}"),
            // Through the language switcher, back to the comparison.
            &format!(
                "/language/{lang}?back=%2Fassessments%2Fcompare%3Fmodel%3Dinsee%2Fnaf-coder%26model%3Dinegi%2Fsinco-occupation-coder"
            ),
            "svg.radar-full text",
            &[],
        )
        .await;
        let cut = run
            .script(
                "const cut = []; \
                 for (const svg of document.querySelectorAll('svg.radar')) { \
                   const v = svg.viewBox.baseVal; \
                   for (const t of svg.querySelectorAll('text')) { \
                     const b = t.getBBox(); \
                     if (b.x < v.x || b.y < v.y || b.x + b.width > v.x + v.width \
                         || b.y + b.height > v.y + v.height) cut.push(t.textContent); \
                   } \
                 } \
                 return cut;",
            )
            .await;
        assert_eq!(cut, json!([]), "{lang}: radar labels cut off");
        let colour = run
            .script("return getComputedStyle(document.querySelector('svg.radar-full text')).fill")
            .await;
        assert_eq!(colour, page_text_colour(&run).await, "{lang}: label colour");
    }

    run.finish(db).await;
}

/// The colour of the page's text, which the charts' labels take.
async fn page_text_colour(run: &Run) -> serde_json::Value {
    run.script("return getComputedStyle(document.body).color")
        .await
}

/// What no page may do at any width: scroll sideways, or draw an SVG text outside its
/// SVG's box. Returns what is wrong, empty when nothing is.
const LAYOUT_PROBLEMS: &str = "const wrong = []; \
    if (document.documentElement.scrollWidth > window.innerWidth) \
      wrong.push('scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth); \
    for (const svg of document.querySelectorAll('svg')) { \
      const v = svg.viewBox.baseVal; \
      if (!v || (v.width === 0 && v.height === 0)) continue; \
      for (const t of svg.querySelectorAll('text')) { \
        const b = t.getBBox(); \
        if (b.x < v.x - 0.5 || b.y < v.y - 0.5 || b.x + b.width > v.x + v.width + 0.5 \
            || b.y + b.height > v.y + v.height + 0.5) wrong.push('text cut: ' + t.textContent); \
      } \
    } \
    return wrong;";

#[tokio::test]
async fn every_page_reads_at_both_widths_in_both_colour_schemes() {
    let db = TestDb::create().await;
    let seeded = hub_command(&db.url, &["seed-demo"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let hub = Hub::start(&db.url).await;
    let browser = Browser::start().await;
    let mut run = Run {
        browser,
        axe: axe_source(),
        violations: vec![],
        hub,
        shots: screenshot_dir("matrix"),
        saved: vec![],
        errors: vec![],
    };
    let compare = "/assessments/compare?model=insee/naf-coder&model=inegi/sinco-occupation-coder";
    let pages: &[(&str, &str)] = &[
        ("home", "/"),
        ("projects", "/projects"),
        ("project", "/projects/imf-ts-coding"),
        ("models", "/models"),
        ("model", "/models/insee/naf-coder"),
        ("model-es", "/models/inegi/sinco-occupation-coder"),
        ("search", "/search?q=coder"),
        ("search-filtered", "/search?kind=model&language=fr"),
        ("workstreams", "/workstreams"),
        ("workstream", "/workstreams/ws2"),
        ("organisations", "/organisations"),
        ("organisation", "/organisations/insee"),
        ("benchmarks", "/benchmarks"),
        ("benchmark", "/benchmarks/activity-coding"),
        ("activity", "/activity"),
        ("compare", compare),
        ("compare-empty", "/assessments/compare"),
        ("sign-in", "/auth/login"),
        ("not-found", "/models/nobody/nothing"),
    ];
    let mut problems: Vec<String> = Vec::new();
    for scheme in ["light", "dark"] {
        run.browser
            .cdp(
                "Emulation.setEmulatedMedia",
                json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
            )
            .await;
        for (width, height) in [(1366, 900), (390, 844)] {
            run.browser
                .client
                .set_window_size(width, height)
                .await
                .unwrap();
            for (name, path) in pages {
                let status = (*name == "not-found").then_some(404);
                run.browser
                    .client
                    .goto(&run.hub.url(path))
                    .await
                    .unwrap_or_else(|e| panic!("{path}: {e}"));
                let shot = format!("{scheme}-{width}-{name}");
                run.settled(&shot, "main", &[], status).await;
                problems.extend(run.layout_problems(&shot).await);
            }
        }
    }
    // The pages people open most, in French and Spanish on a phone.
    for lang in ["fr", "es"] {
        for (name, path) in [
            ("model", "/models/insee/naf-coder"),
            ("search", "/search?kind=model"),
            ("compare", compare),
            ("benchmark", "/benchmarks/activity-coding"),
        ] {
            let back: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
            run.browser
                .client
                .goto(&run.hub.url(&format!("/language/{lang}?back={back}")))
                .await
                .unwrap();
            let shot = format!("{lang}-390-{name}");
            run.settled(&shot, "main", &[], None).await;
            problems.extend(run.layout_problems(&shot).await);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    run.finish(db).await;
}
