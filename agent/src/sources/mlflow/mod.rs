//! An MLflow model registry, read through its REST API.
//!
//! Every sync lists all registered models (a page of up to 1000 per call): their cards are
//! cheap to rebuild. Versions are costlier (each needs its run's metrics), so after a first
//! full listing the agent reads only what changed: versions are listed most recently updated
//! first and the listing stops at the previous sync's watermark; models whose update time
//! moved (a version added or deleted) have all their versions listed again; the versions of
//! unchanged models are kept from the state. A full listing runs again every `full_every`
//! (default a day), or with `sync --full`, to catch what MLflow's update times do not show
//! (metrics logged to a run after its version was registered).

mod api;
mod mapping;
mod records;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use agora_schemas::sync::ItemKind;
use agora_schemas::{Slug, Visibility};

use self::api::Api;
use self::records::{ModelVersion, RegisteredModel};
use super::{Entry, ListContext, Listed, Sink};
use crate::error::{Error, Result};
use crate::sources::config::{SourceDef, SourceDetail};

/// Versions updated this long before the watermark are read again, in case of clock skew
/// or a write that committed late.
const WATERMARK_MARGIN_MS: i64 = 60 * 1000;
/// Above this many changed models, one listing of every version is cheaper.
const MAX_MODELS_ONE_BY_ONE: usize = 50;

const WATERMARK: &str = "versions_watermark";
const LAST_FULL: &str = "last_full";

fn card_key(model: &str) -> String {
    format!("mlflow:models/{model}")
}

fn version_prefix(model: &str) -> String {
    format!("mlflow:models/{model}/versions/")
}

fn settings(def: &SourceDef) -> Result<(Api, Duration, Visibility)> {
    let SourceDetail::Mlflow {
        url,
        token_env,
        page_size,
        full_every,
        visibility,
    } = &def.kind
    else {
        return Err(Error::Config("not an mlflow source".into()));
    };
    let token = match token_env {
        Some(var) => Some(std::env::var(var).map_err(|_| {
            Error::Config(format!(
                "source `{}`: the environment variable {var} (token_env) is not set",
                def.name
            ))
        })?),
        None => None,
    };
    Ok((
        Api::new(url.clone(), token, Duration::from_secs(60), *page_size)?,
        *full_every,
        *visibility,
    ))
}

pub async fn check(def: &SourceDef, _timeout: Duration) -> Result<String> {
    let (api, _, _) = settings(def)?;
    let n = api.probe().await?;
    Ok(format!("registry answers ({n} models on the first page)"))
}

/// The aliases of each version, from the registered model.
fn aliases_by_version(model: &RegisteredModel) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for a in &model.aliases {
        out.entry(a.version.clone())
            .or_default()
            .push(a.alias.clone());
    }
    for list in out.values_mut() {
        list.sort();
    }
    out
}

pub async fn list(def: &SourceDef, ctx: &ListContext<'_>, sink: &mut impl Sink) -> Result<()> {
    let (api, full_every, visibility) = settings(def)?;
    let previous = ctx.previous;
    let now_ms = chrono::Utc::now().timestamp_millis();
    let watermark: Option<i64> = previous.cursor.get(WATERMARK).and_then(|w| w.parse().ok());
    let last_full: Option<i64> = previous.cursor.get(LAST_FULL).and_then(|w| w.parse().ok());
    let full = ctx.full
        || watermark.is_none()
        || last_full
            .is_none_or(|t| now_ms - t > i64::try_from(full_every.as_millis()).unwrap_or(i64::MAX));

    // After a full listing, the versions changed since the watermark are listed while the
    // registered models are: the first page is read at the same time.
    let since = watermark.map(|w| w - WATERMARK_MARGIN_MS);
    let mut since_pager = api.version_pager(None, since, Some(100));
    let (models, first_since_page) = if full {
        (api.models().await?, None)
    } else {
        let (models, page) = tokio::join!(api.models(), since_pager.next_page());
        (models?, Some(page?))
    };
    tracing::info!(source = %def.name, models = models.len(), full, "registered models listed");

    // Cards, and which models changed since the last sync.
    let mut slugs: HashMap<String, Slug> = HashMap::new();
    let mut taken: HashSet<Slug> = HashSet::new();
    let mut changed: Vec<&str> = Vec::new();
    for m in &models {
        let key = card_key(&m.name);
        let stamp = m.last_updated_timestamp.unwrap_or(0).to_string();
        // A model with a version refused last time has its versions read again: a refused
        // item is sent at every sync until it is accepted.
        if previous.stamp(&key) != Some(stamp.as_str())
            || previous.refused_under(&version_prefix(&m.name))
        {
            changed.push(&m.name);
        }
        match mapping::card(m, ctx.organisation, visibility) {
            Ok(card) if taken.contains(&card.name) => {
                sink.push(Entry::Rejected {
                    key,
                    field: Some("name".into()),
                    reason: format!(
                        "`{}` gives the name `{}`, which another model of this registry has",
                        m.name, card.name
                    ),
                })
                .await?;
            }
            Ok(card) => {
                taken.insert(card.name.clone());
                slugs.insert(m.name.clone(), card.name.clone());
                let payload = serde_json::to_value(&card).map_err(std::io::Error::other)?;
                sink.push(Entry::Item(Listed {
                    key,
                    kind: ItemKind::ModelCard,
                    payload,
                    commit: None,
                    stamp: Some(stamp),
                    needs: None,
                    warnings: Vec::new(),
                }))
                .await?;
            }
            Err(r) => {
                // The version names still need a slug for their items.
                if let Ok(slug) = Slug::parse(super::slugify(&m.name)) {
                    slugs.insert(m.name.clone(), slug);
                }
                sink.push(Entry::Rejected {
                    key,
                    field: Some(r.field),
                    reason: r.reason,
                })
                .await?;
            }
        }
    }

    // The hub's answers to the cards, before any version is sent: a version whose card was
    // refused waits for it instead of being refused as an orphan.
    sink.settle().await?;

    // The versions to look at, a page at a time (memory stays flat however large the
    // registry).
    let listed_all = full || changed.len() > MAX_MODELS_ONE_BY_ONE;
    let mut reader = VersionReader {
        api: &api,
        source: def.name.as_str(),
        full,
        previous,
        known: models.iter().map(|m| m.name.as_str()).collect(),
        slugs: &slugs,
        aliases: models
            .iter()
            .map(|m| (m.name.as_str(), aliases_by_version(m)))
            .collect(),
        seen: HashSet::new(),
        track_seen: !listed_all,
        watermark,
        read: 0,
    };
    if listed_all {
        let mut pager = api.version_pager(None, None, None);
        while let Some(page) = pager.next_page().await? {
            reader.process(page, sink).await?;
        }
    } else {
        // Few versions changed since the last sync: a small first page, and an early stop.
        if let Some(Some(page)) = first_since_page {
            reader.process(page, sink).await?;
        }
        while let Some(page) = since_pager.next_page().await? {
            reader.process(page, sink).await?;
        }
        for name in &changed {
            let mut pager = api.version_pager(Some(name), None, None);
            while let Some(page) = pager.next_page().await? {
                reader.process(page, sink).await?;
            }
        }
        // Versions of unchanged models that were not listed again are kept from the state.
        let changed: HashSet<&str> = changed.iter().copied().collect();
        for m in models.iter().filter(|m| !changed.contains(m.name.as_str())) {
            let prefix = version_prefix(&m.name);
            for key in previous.keys_with_prefix(&prefix) {
                let version = &key[prefix.len()..];
                if !reader.seen.contains(&(m.name.clone(), version.to_string())) {
                    sink.push(Entry::Kept(key.clone())).await?;
                }
            }
        }
    }
    let new_watermark = reader.watermark;

    let mut cursor = BTreeMap::new();
    if let Some(w) = new_watermark {
        cursor.insert(WATERMARK.to_string(), w.to_string());
    }
    cursor.insert(
        LAST_FULL.to_string(),
        if full {
            now_ms.to_string()
        } else {
            last_full.unwrap_or(now_ms).to_string()
        },
    );
    sink.set_cursor(cursor);
    Ok(())
}

/// Turns pages of model versions into entries: kept when their stamp did not move, else
/// read with their runs.
struct VersionReader<'a> {
    api: &'a Api,
    source: &'a str,
    full: bool,
    previous: &'a crate::state::SourceState,
    known: HashSet<&'a str>,
    slugs: &'a HashMap<String, Slug>,
    aliases: HashMap<&'a str, HashMap<String, Vec<String>>>,
    /// (model, version) pairs seen, when several listings may overlap.
    seen: HashSet<(String, String)>,
    track_seen: bool,
    watermark: Option<i64>,
    read: usize,
}

impl VersionReader<'_> {
    async fn process(&mut self, page: Vec<ModelVersion>, sink: &mut impl Sink) -> Result<()> {
        let mut to_read: Vec<(&ModelVersion, String, String, Vec<String>)> = Vec::new();
        for v in &page {
            if !self.known.contains(v.name.as_str()) {
                continue;
            }
            if self.track_seen && !self.seen.insert((v.name.clone(), v.version.clone())) {
                continue;
            }
            if let Some(t) = v.last_updated_timestamp {
                self.watermark = Some(self.watermark.map_or(t, |w| w.max(t)));
            }
            if v.status.as_deref().is_some_and(|s| s != "READY") {
                continue;
            }
            let key = format!("{}{}", version_prefix(&v.name), v.version);
            let mut alias_list = if v.aliases.is_empty() {
                self.aliases
                    .get(v.name.as_str())
                    .and_then(|a| a.get(&v.version))
                    .cloned()
                    .unwrap_or_default()
            } else {
                v.aliases.clone()
            };
            alias_list.sort();
            let stamp = format!(
                "{}|{}|{}",
                v.last_updated_timestamp.unwrap_or(0),
                v.run_id.as_deref().unwrap_or(""),
                alias_list.join(",")
            );
            if !self.full && self.previous.stamp(&key) == Some(stamp.as_str()) {
                sink.push(Entry::Kept(key)).await?;
            } else {
                to_read.push((v, key, stamp, alias_list));
            }
        }
        let mut run_ids: Vec<String> = to_read
            .iter()
            .filter_map(|(v, ..)| v.run_id.clone().filter(|r| !r.is_empty()))
            .collect();
        run_ids.sort();
        run_ids.dedup();
        let runs = self.api.runs(&run_ids).await?;
        for (v, key, stamp, alias_list) in to_read {
            let Some(slug) = self.slugs.get(&v.name) else {
                continue;
            };
            let run = v.run_id.as_ref().and_then(|r| runs.get(r));
            let entry = match mapping::version(v, slug, alias_list, run) {
                Ok(item) => Entry::Item(Listed {
                    key,
                    kind: ItemKind::ModelVersion,
                    payload: serde_json::to_value(&item).map_err(std::io::Error::other)?,
                    commit: None,
                    stamp: Some(stamp),
                    needs: Some(card_key(&v.name)),
                    warnings: Vec::new(),
                }),
                Err(r) => Entry::Rejected {
                    key,
                    field: Some(r.field),
                    reason: r.reason,
                },
            };
            sink.push(entry).await?;
        }
        let before = self.read;
        self.read += page.len();
        if self.read / 2000 > before / 2000 {
            tracing::info!(source = %self.source, versions = self.read, "model versions read");
        }
        Ok(())
    }
}
