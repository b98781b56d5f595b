//! `/events.atom` read by a real feed parser (Python's `feedparser`): a well-formed Atom
//! 1.0 feed of the events the reader may see, filtered by workstream in any case, with
//! links to each subject's page; who made a change is named to signed-in readers only.

use std::process::Command;

use agora_e2e::{Hub, TestDb, admin_token, create_as, python_venv};
use serde_json::{Value, json};

/// Pinned: the version the feed was checked with.
const PACKAGES: &[&str] = &["feedparser==6.0.11"];

const PARSE: &str = r#"
import json, sys, urllib.request
import feedparser
request = urllib.request.Request(sys.argv[1])
if sys.argv[2]:
    request.add_header("Authorization", "Bearer " + sys.argv[2])
with urllib.request.urlopen(request) as r:
    kind = r.headers["Content-Type"]
    text = r.read()
feed = feedparser.parse(text)
print(json.dumps({
    "content_type": kind,
    "bozo": bool(feed.bozo),
    "version": feed.version,
    "title": feed.feed.get("title"),
    "self": [l["href"] for l in feed.feed.get("links", []) if l.get("rel") == "self"],
    "entries": [{
        "title": e.get("title"),
        "id": e.get("id"),
        "link": e.get("link"),
        "author": e.get("author"),
        "updated": e.get("updated"),
        "term": e.tags[0]["term"] if e.get("tags") else None,
    } for e in feed.entries],
}))
"#;

fn parse(bin: &std::path::Path, url: &str, token: &str) -> Value {
    let out = Command::new(bin.join("python"))
        .args(["-c", PARSE, url, token])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "feedparser failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[tokio::test]
async fn a_feed_reader_reads_the_events_it_may_see() {
    let bin = python_venv("feedparser", PACKAGES);
    let db = TestDb::create().await;
    let hub = Hub::start(&db.url).await;
    let token = admin_token(&db.url).await;
    let http = reqwest::Client::new();
    create_as(
        &hub.url("/api/v1/organisations"),
        &token,
        &json!({"slug": "inegi", "name": "INEGI", "kind": "other"}),
    )
    .await;
    create_as(&hub.url("/api/v1/workstreams"), &token, &json!({"slug": "ws2", "code": "WS2", "title": "Production", "goal": "Ship <models> & more."})).await;
    for (slug, visibility) in [("open-coding", "public"), ("closed-coding", "organisation")] {
        create_as(
            &hub.url("/api/v1/projects"),
            &token,
            &json!({
                "slug": slug, "title": format!("Coding \"{slug}\" <fast> & well"),
                "summary": "Codes answers.", "organisations": ["inegi"], "stage": "pilot",
                "workstreams": ["ws2"], "visibility": visibility,
            }),
        )
        .await;
    }

    let anonymous = parse(&bin, &hub.url("/events.atom?workstream=WS2"), "");
    assert_eq!(anonymous["bozo"], false, "{anonymous}");
    assert_eq!(anonymous["version"], "atom10");
    assert!(
        anonymous["content_type"]
            .as_str()
            .is_some_and(|t| t.starts_with("application/atom+xml")),
        "{anonymous}"
    );
    assert_eq!(
        anonymous["self"],
        json!([hub.url("/events.atom?workstream=WS2")])
    );
    let entries = anonymous["entries"].as_array().expect("entries");
    let links: Vec<&str> = entries.iter().filter_map(|e| e["link"].as_str()).collect();
    assert!(
        links.contains(&hub.url("/projects/open-coding").as_str()),
        "{anonymous}"
    );
    assert!(
        !anonymous.to_string().contains("closed-coding"),
        "a private project's events are not in the anonymous feed: {anonymous}"
    );
    let created = entries
        .iter()
        .find(|e| e["link"] == hub.url("/projects/open-coding"))
        .expect("the project's event");
    assert!(
        created["title"]
            .as_str()
            .is_some_and(|t| t.contains("\"open-coding\" <fast> & well")),
        "titles come back as written: {created}"
    );
    assert_eq!(created["author"], "Agora", "no actor for anonymous readers");
    assert_eq!(created["term"], "project.created");
    assert!(
        created["updated"]
            .as_str()
            .is_some_and(|u| u.ends_with('Z'))
    );

    let signed_in = parse(&bin, &hub.url("/events.atom?workstream=ws2"), &token);
    assert_eq!(signed_in["bozo"], false, "{signed_in}");
    let entries = signed_in["entries"].as_array().expect("entries");
    let closed = entries
        .iter()
        .find(|e| e["link"] == hub.url("/projects/closed-coding"))
        .unwrap_or_else(|| panic!("the owner reads the private project's event: {signed_in}"));
    assert_ne!(
        closed["author"], "Agora",
        "signed-in readers see who: {closed}"
    );

    let bad = http
        .get(hub.url("/events.atom?colour=red"))
        .send()
        .await
        .expect("the hub answers");
    assert_eq!(bad.status(), 422);

    drop(hub);
    db.drop_now().await;
}
