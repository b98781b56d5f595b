use std::time::Duration;

use agora_schemas::Slug;

use super::*;
use crate::release::Release;
use crate::report::{Format, Stream};
use crate::sources::Listed;
use crate::sources::config::SourceDetail;

fn def() -> SourceDef {
    SourceDef {
        name: Slug::parse("ml").unwrap(),
        kind: SourceDetail::Folder {
            path: "/nowhere".into(),
            visibility: None,
        },
        interval: Duration::from_secs(60),
        release: Release::default(),
    }
}

fn collector<'a>(def: &'a SourceDef, previous: &'a SourceState, dir: &'a Path) -> Collector<'a> {
    Collector {
        def,
        epoch: "e1".into(),
        batch_size: 100,
        output: Output::Print { all: false },
        reporter: Arc::new(Reporter::new(Format::Json, Stream::Stderr)),
        spool_dir: dir,
        previous,
        send_all: false,
        persisted: previous.clone(),
        next: SourceState::default(),
        batch: Vec::new(),
        keys: Vec::new(),
        rejected: Vec::new(),
        refused_now: HashMap::new(),
        cursor: BTreeMap::new(),
        stop: Arc::new(AtomicBool::new(false)),
        report: SourceReport::default(),
    }
}

fn version(key: &str, card: &str) -> Entry {
    Entry::Item(Listed {
        key: key.into(),
        kind: ItemKind::ModelVersion,
        payload: serde_json::json!({"model": "a", "version": {"version": "1"}}),
        commit: None,
        stamp: None,
        needs: Some(card.into()),
        warnings: Vec::new(),
    })
}

fn refused_card(key: &str) -> Entry {
    Entry::Rejected {
        key: key.into(),
        field: Some("tags.agora.visibility".into()),
        reason: "use public, members or organisation".into(),
    }
}

#[tokio::test]
async fn a_version_waits_while_its_card_is_refused_and_the_hub_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let def = def();
    let previous = SourceState::default();
    let mut c = collector(&def, &previous, dir.path());
    c.push(refused_card("m/a")).await.unwrap();
    c.push(version("m/a/v/1", "m/a")).await.unwrap();
    assert_eq!(c.report.waiting, 1);
    assert_eq!(c.report.rejected_here, 1);
    assert!(c.batch.is_empty(), "nothing to send");
    assert!(!c.next.items.contains_key("m/a/v/1"));
    assert_eq!(
        c.next.refused["m/a/v/1"].field.as_deref(),
        Some("model"),
        "held back, so read and sent again next time"
    );
    // Both go to the epoch's list of items not sent, with their reasons; both keys
    // are listed, so neither is withdrawn.
    let keys: Vec<&str> = c.rejected.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["m/a", "m/a/v/1"]);
    assert!(c.rejected[1].reason.as_deref().unwrap().contains("m/a"));
    assert_eq!(c.keys, ["m/a", "m/a/v/1"]);
    assert_eq!(c.reporter.refused(), 1);
    assert_eq!(c.reporter.waiting(), 1);
}

#[tokio::test]
async fn a_version_goes_when_the_hub_holds_an_earlier_copy_of_its_card() {
    let dir = tempfile::tempdir().unwrap();
    let def = def();
    let mut previous = SourceState::default();
    previous.items.insert(
        "m/a".into(),
        state::Entry {
            hash: "h".into(),
            stamp: None,
        },
    );
    let mut c = collector(&def, &previous, dir.path());
    c.push(refused_card("m/a")).await.unwrap();
    c.push(version("m/a/v/1", "m/a")).await.unwrap();
    assert_eq!(c.report.waiting, 0);
    assert_eq!(c.batch.len(), 1);
    // The hub keeps the card it accepted before: so does the state.
    assert_eq!(c.next.items["m/a"].hash, "h");
    assert!(c.next.refused.contains_key("m/a"));
}

#[tokio::test]
async fn a_long_reason_is_cut_for_the_epoch_and_not_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let def = def();
    let previous = SourceState::default();
    let mut c = collector(&def, &previous, dir.path());
    let long = "x".repeat(5_000);
    c.push(Entry::Rejected {
        key: "k".into(),
        field: None,
        reason: long.clone(),
    })
    .await
    .unwrap();
    assert!(c.rejected[0].reason.as_ref().unwrap().chars().count() <= 2_000);
    assert_eq!(c.next.refused["k"].reason, long);
}

#[tokio::test]
async fn full_sends_unchanged_items_again() {
    let dir = tempfile::tempdir().unwrap();
    let def = def();
    let mut previous = SourceState::default();
    let payload = serde_json::json!({"organisation": "insee", "name": "naf"});
    previous.items.insert(
        "k".into(),
        state::Entry {
            hash: hash(&payload),
            stamp: None,
        },
    );
    let card = || {
        Entry::Item(Listed {
            key: "k".into(),
            kind: ItemKind::ModelCard,
            payload: payload.clone(),
            commit: None,
            stamp: None,
            needs: None,
            warnings: Vec::new(),
        })
    };
    let mut c = collector(&def, &previous, dir.path());
    c.push(card()).await.unwrap();
    assert!(c.batch.is_empty(), "unchanged: not sent");
    let mut c = collector(&def, &previous, dir.path());
    c.send_all = true;
    c.push(card()).await.unwrap();
    assert_eq!(c.batch.len(), 1, "--full: sent again");
    assert_eq!(c.report.changed, 0);
}
