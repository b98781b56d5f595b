//! Judging and saving the items of a batch: each decoded and checked on its own, then
//! saved by kind, a refusal naming the item's field and never failing the batch.

use std::collections::HashSet;

use agora_schemas::decode::from_value;
use agora_schemas::sync::{ItemKind, ItemOutcome, ItemResult, SyncItem, SyncModelVersion};
use agora_schemas::validate::nul_path;
use agora_schemas::{DecodeError, ModelCardInput, ProjectInput, Slug, SyncAssessment, Validate};
use serde::de::DeserializeOwned;
use sqlx::{Connection, PgConnection};

use super::cards::Sent;
use super::{AgentRef, cards, rejected, versions};
use crate::db::provenance::SyncProvenance;
use crate::db::{NUL_REASON, Outcome, SaveMode, assessments, projects};
use crate::error::{Error, Result};

/// A value as JSON PostgreSQL can store: a NUL character (in a refused item's key or in
/// a reason quoting its value) is written as U+FFFD, so that a bad item is recorded
/// instead of failing the statement that records its whole batch.
pub(super) fn storable<T: serde::Serialize + ?Sized>(value: &T) -> Result<serde_json::Value> {
    fn clean(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) if s.contains('\0') => *s = s.replace('\0', "\u{FFFD}"),
            serde_json::Value::Array(items) => items.iter_mut().for_each(clean),
            serde_json::Value::Object(map) => {
                if map.keys().any(|k| k.contains('\0')) {
                    let entries = std::mem::take(map);
                    for (k, v) in entries {
                        map.insert(k.replace('\0', "\u{FFFD}"), v);
                    }
                }
                map.values_mut().for_each(clean);
            }
            _ => {}
        }
    }
    let mut v = serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))?;
    clean(&mut v);
    Ok(v)
}

/// Decodes a payload strictly, as the API decodes bodies (from the value the body was
/// parsed into, without writing it back to text).
fn decode<T: DeserializeOwned + Validate>(item: &SyncItem) -> std::result::Result<T, ItemResult> {
    from_value(&item.payload).map_err(|e| match e {
        DecodeError::Invalid(f) => rejected(&item.key, Some(f.field), f.message),
        DecodeError::Syntax { .. } => rejected(&item.key, None, e.to_string()),
    })
}

/// An item decoded and allowed, ready to save.
enum Ready {
    Project(ProjectInput),
    Card(Box<ModelCardInput>),
    Version(SyncModelVersion),
    Assessment(SyncAssessment),
}

/// Decodes an item and checks that it belongs to the agent's organisation.
async fn prepare(
    conn: &mut PgConnection,
    org: &str,
    item: &SyncItem,
) -> Result<std::result::Result<Ready, ItemResult>> {
    let not_yours = |field: &str, what: String| {
        Ok(Err(rejected(
            &item.key,
            Some(field.to_string()),
            format!("{what}: not your organisation (this agent belongs to `{org}`)"),
        )))
    };
    // Checked before decoding: a NUL would otherwise fail the statement saving the batch.
    if item.key.contains('\0') {
        return Ok(Err(rejected(&item.key, Some("key".into()), NUL_REASON)));
    }
    if let Some(field) = nul_path(&item.payload) {
        return Ok(Err(rejected(&item.key, Some(field), NUL_REASON)));
    }
    Ok(Ok(match item.kind {
        ItemKind::Project => {
            let input: ProjectInput = match decode(item) {
                Ok(v) => v,
                Err(r) => return Ok(Err(r)),
            };
            if !input.organisations.iter().any(|o| o.as_str() == org) {
                return not_yours(
                    "organisations",
                    format!("the project does not list `{org}` among its organisations"),
                );
            }
            if let Some(owners) = projects::owners(conn, &input.slug).await?
                && !owners.iter().any(|o| o == org)
            {
                // Whose it is stays unsaid: the slug is just not available.
                return Ok(Err(rejected(
                    &item.key,
                    Some("slug".to_string()),
                    format!("project `{}`: this slug is not available", input.slug),
                )));
            }
            Ready::Project(input)
        }
        ItemKind::ModelCard => {
            let input: ModelCardInput = match decode(item) {
                Ok(v) => v,
                Err(r) => return Ok(Err(r)),
            };
            if input.organisation.as_str() != org {
                return not_yours(
                    "organisation",
                    format!("model `{}/{}`", input.organisation, input.name),
                );
            }
            Ready::Card(Box::new(input))
        }
        ItemKind::ModelVersion => match decode(item) {
            Ok(v) => Ready::Version(v),
            Err(r) => return Ok(Err(r)),
        },
        ItemKind::Assessment => match decode(item) {
            Ok(v) => Ready::Assessment(v),
            Err(r) => return Ok(Err(r)),
        },
    }))
}

fn outcome_of(key: &str, outcome: Outcome) -> ItemResult {
    ItemResult {
        key: key.to_string(),
        outcome: match outcome {
            Outcome::Created => ItemOutcome::Added,
            Outcome::Updated => ItemOutcome::Updated,
            Outcome::Unchanged => ItemOutcome::Unchanged,
        },
        field: None,
        reason: None,
        warnings: Vec::new(),
    }
}

/// Applies the items of a batch: projects one by one (each in a savepoint), then model
/// cards, then versions, each kind in a few statements, then assessments (which may be of
/// the versions just saved), each in a savepoint. Results come back in item order.
pub(super) async fn apply_items(
    conn: &mut PgConnection,
    agent: &AgentRef,
    source: &Slug,
    items: &[SyncItem],
) -> Result<Vec<ItemResult>> {
    let org = agent.organisation.as_str();
    let actor = agent.actor();
    let provenance = |item: &SyncItem| SyncProvenance {
        agent_id: agent.id,
        source: source.to_string(),
        key: item.key.clone(),
        commit: item.commit.clone(),
    };
    let mut results: Vec<Option<ItemResult>> = vec![None; items.len()];
    let mut cards: Vec<(usize, ModelCardInput)> = Vec::new();
    let mut versions: Vec<(usize, SyncModelVersion)> = Vec::new();
    let mut assessments: Vec<(usize, SyncAssessment)> = Vec::new();
    // What each kind of item is, to find one sent twice in the batch.
    let mut seen_cards = HashSet::new();
    let mut seen_versions = HashSet::new();
    let mut seen_assessments = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let repeated = || {
            Some(rejected(
                &item.key,
                None,
                "the same item is sent twice in this batch",
            ))
        };
        match prepare(conn, org, item).await? {
            Err(refused) => results[i] = Some(refused),
            Ok(Ready::Project(input)) => {
                results[i] = Some(save_project(conn, &actor, &input, &provenance(item)).await?);
            }
            Ok(Ready::Card(input)) => {
                if seen_cards.insert(input.name.clone()) {
                    cards.push((i, *input));
                } else {
                    results[i] = repeated();
                }
            }
            Ok(Ready::Version(input)) => {
                let identity = (input.model.clone(), input.version.version.clone());
                if seen_versions.insert(identity) {
                    versions.push((i, input));
                } else {
                    results[i] = repeated();
                }
            }
            Ok(Ready::Assessment(input)) => {
                if seen_assessments.insert((input.subject.clone(), input.content.kind())) {
                    assessments.push((i, input));
                } else {
                    results[i] = repeated();
                }
            }
        }
    }
    let sent: Vec<Sent<'_, ModelCardInput>> = cards
        .iter()
        .map(|(i, c)| Sent {
            input: c,
            provenance: provenance(&items[*i]),
        })
        .collect();
    let saved = cards::save_cards(conn, org, &actor, &sent).await?;
    for ((i, card), r) in cards.iter().zip(saved) {
        let mut result = settle(&items[*i].key, r);
        if result.outcome != ItemOutcome::Rejected {
            result.warnings = card.warnings();
        }
        results[*i] = Some(result);
    }
    let sent: Vec<Sent<'_, SyncModelVersion>> = versions
        .iter()
        .map(|(i, v)| Sent {
            input: v,
            provenance: provenance(&items[*i]),
        })
        .collect();
    let saved = versions::save_versions(conn, org, &actor, &sent).await?;
    for ((i, _), r) in versions.iter().zip(saved) {
        results[*i] = Some(settle(&items[*i].key, r));
    }
    for (i, input) in &assessments {
        let r = assessments::sync::save(conn, org, &actor, input, &provenance(&items[*i])).await?;
        results[*i] = Some(settle(&items[*i].key, r));
    }
    Ok(results.into_iter().flatten().collect())
}

fn settle(key: &str, r: std::result::Result<Outcome, (String, String)>) -> ItemResult {
    match r {
        Ok(outcome) => outcome_of(key, outcome),
        Err((field, reason)) => rejected(key, Some(field), reason),
    }
}

/// Saves a project in its own savepoint: a refused write takes back that item only.
async fn save_project(
    conn: &mut PgConnection,
    actor: &str,
    input: &ProjectInput,
    provenance: &SyncProvenance,
) -> Result<ItemResult> {
    let mut sp = conn.begin().await?;
    let saved = projects::save(&mut sp, input, actor, SaveMode::Upsert, Some(provenance)).await;
    match saved {
        Ok((_, outcome)) => {
            sp.commit().await?;
            Ok(outcome_of(&provenance.key, outcome))
        }
        Err(Error::Invalid(f) | Error::Conflict(f)) => {
            sp.rollback().await?;
            Ok(rejected(&provenance.key, Some(f.field), f.message))
        }
        Err(Error::NotFound(what)) => {
            sp.rollback().await?;
            Ok(rejected(&provenance.key, None, format!("{what} not found")))
        }
        Err(e) => Err(e),
    }
}
