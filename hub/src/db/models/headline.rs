//! What a model is known by at a glance, read for many cards in one query: the version
//! that speaks for it (the newest in production, else the newest), that version's first
//! result, and its current QF4SA assessment. The model page's summary strip, the models
//! list, search results and the front page all lead with it.

use std::collections::HashMap;

use agora_schemas::{AssessmentState, EvaluationResult, RegistryStage};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, QueryBuilder};

use super::OWNERS;
use crate::db::parse_stored;
use crate::error::Result;
use crate::policy::Caller;

/// The version a model is known by.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadVersion {
    pub version: String,
    pub stage: Option<RegistryStage>,
    pub aliases: Vec<String>,
    pub registered_at: Option<DateTime<Utc>>,
    pub artifact_uri: Option<String>,
}

/// A model's current QF4SA assessment, in short.
#[derive(Debug, Clone, PartialEq)]
pub struct Qf4saBadge {
    pub id: i64,
    pub state: AssessmentState,
    pub levels: [u8; 5],
    /// Made for an older version than the newest.
    pub stale: bool,
}

impl Qf4saBadge {
    /// The lowest level over the five dimensions: what the model reaches on every one.
    pub fn lowest(&self) -> u8 {
        self.levels.iter().copied().min().unwrap_or(0)
    }
}

/// A model at a glance; every part is absent when the model has nothing to show for it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headline {
    pub version: Option<HeadVersion>,
    /// The first result of [`Headline::version`].
    pub metric: Option<EvaluationResult>,
    pub qf4sa: Option<Qf4saBadge>,
}

#[derive(FromRow)]
struct Row {
    organisation: String,
    name: String,
    version: Option<String>,
    stage: Option<String>,
    aliases: Option<Vec<String>>,
    registered_at: Option<DateTime<Utc>>,
    artifact_uri: Option<String>,
    metric: Option<String>,
    value: Option<f64>,
    dataset: Option<String>,
    split: Option<String>,
    assessment_id: Option<i64>,
    assessment_state: Option<String>,
    levels: Option<Vec<i16>>,
    stale: Option<bool>,
}

impl Row {
    fn into_headline(self) -> Result<((String, String), Headline)> {
        let version = match self.version {
            Some(version) => Some(HeadVersion {
                version,
                stage: self.stage.map(|s| parse_stored("stage", &s)).transpose()?,
                aliases: self.aliases.unwrap_or_default(),
                registered_at: self.registered_at,
                artifact_uri: self.artifact_uri,
            }),
            None => None,
        };
        let metric = match (self.metric, self.value, self.dataset) {
            (Some(metric), Some(value), Some(dataset)) => Some(EvaluationResult {
                metric,
                value,
                dataset,
                split: self.split,
            }),
            _ => None,
        };
        let qf4sa = match (self.assessment_id, self.assessment_state, self.levels) {
            (Some(id), Some(state), Some(levels)) if levels.len() == 5 => {
                let mut five = [0u8; 5];
                for (slot, level) in five.iter_mut().zip(levels) {
                    *slot = u8::try_from(level).unwrap_or(0);
                }
                Some(Qf4saBadge {
                    id,
                    state: parse_stored("state", &state)?,
                    levels: five,
                    stale: self.stale.unwrap_or(false),
                })
            }
            _ => None,
        };
        Ok((
            (self.organisation, self.name),
            Headline {
                version,
                metric,
                qf4sa,
            },
        ))
    }
}

/// The headlines of the cards named `(organisation, name)` that the caller may see, by
/// that key. The QF4SA assessment is chosen as [`crate::db::assessments::current`] does:
/// the newest one made for the newest version, else the newest.
pub async fn headlines(
    conn: &mut PgConnection,
    caller: &Caller,
    cards: &[(String, String)],
) -> Result<HashMap<(String, String), Headline>> {
    if cards.is_empty() {
        return Ok(HashMap::new());
    }
    let organisations: Vec<&str> = cards.iter().map(|(o, _)| o.as_str()).collect();
    let names: Vec<&str> = cards.iter().map(|(_, n)| n.as_str()).collect();
    let mut qb = QueryBuilder::new(
        "SELECT o.slug::text AS organisation, m.name::text AS name, \
         hv.version, hv.stage, hv.aliases, hv.registered_at, hv.artifact_uri, \
         r.metric, r.value, r.dataset, r.split, \
         qa.id AS assessment_id, qa.state AS assessment_state, qa.levels, \
         qa.model_version_id IS DISTINCT FROM latest_model_version(m.id) AS stale \
         FROM unnest(",
    );
    qb.push_bind(organisations)
        .push("::text[], ")
        .push_bind(names)
        .push(
            "::text[]) AS wanted(organisation, name) \
             JOIN organisations o ON o.slug::text = wanted.organisation \
             JOIN model_cards m ON m.organisation_id = o.id AND m.name::text = wanted.name \
             LEFT JOIN LATERAL (SELECT v.id, v.version, v.stage, v.aliases, v.registered_at, v.artifact_uri \
               FROM model_versions v WHERE v.model_card_id = m.id AND v.withdrawn_at IS NULL \
               ORDER BY coalesce(v.stage = 'production', false) DESC, v.registered_at DESC NULLS LAST, v.id DESC \
               LIMIT 1) hv ON true \
             LEFT JOIN LATERAL (SELECT e.metric, e.value, e.dataset, e.split FROM evaluation_results e \
               WHERE e.model_version_id = hv.id ORDER BY e.position LIMIT 1) r ON true \
             LEFT JOIN LATERAL (SELECT a.id, a.state, a.levels, a.model_version_id FROM assessments a \
               JOIN model_versions av ON av.id = a.model_version_id \
               WHERE av.model_card_id = m.id AND a.kind = 'qf4sa' AND a.withdrawn_at IS NULL \
               ORDER BY (a.model_version_id = latest_model_version(m.id)) DESC, a.updated_at DESC, a.id DESC \
               LIMIT 1) qa ON true WHERE ",
        );
    caller.push_can_read(&mut qb, "m.visibility", OWNERS);
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter().map(Row::into_headline).collect()
}

/// Up to `limit` models the caller may see that have a QF4SA assessment, as
/// (`<organisation>/<name>`, title), by key: what a comparison can add.
pub async fn assessed(
    conn: &mut PgConnection,
    caller: &Caller,
    limit: i64,
) -> Result<Vec<(String, String)>> {
    let mut qb = QueryBuilder::new(
        "SELECT o.slug::text || '/' || m.name::text AS key, coalesce(m.title, m.name::text) AS title \
         FROM model_cards m JOIN organisations o ON o.id = m.organisation_id WHERE EXISTS (\
         SELECT 1 FROM assessments a JOIN model_versions v ON v.id = a.model_version_id \
         WHERE v.model_card_id = m.id AND a.kind = 'qf4sa' AND a.withdrawn_at IS NULL) AND ",
    );
    caller.push_can_read(&mut qb, "m.visibility", OWNERS);
    qb.push(" ORDER BY key LIMIT ").push_bind(limit);
    Ok(qb.build_query_as().fetch_all(&mut *conn).await?)
}

/// The values the models list's filters offer: what the cards the caller may see use.
#[derive(Debug, Default)]
pub struct ListChoices {
    /// Language tags as written, in lower case.
    pub languages: Vec<String>,
    /// Licence identifiers, in lower case.
    pub licences: Vec<String>,
    pub frameworks: Vec<String>,
}

/// Most values offered per filter.
const MAX_CHOICES: i64 = 300;

/// [`ListChoices`] for the caller: three small queries over the cards they may see.
pub async fn list_choices(conn: &mut PgConnection, caller: &Caller) -> Result<ListChoices> {
    let values = |expr: &str, from: &str| {
        let mut qb = QueryBuilder::new(format!(
            "SELECT DISTINCT {expr} AS v FROM model_cards m JOIN organisations o ON o.id = m.organisation_id{from} WHERE {expr} IS NOT NULL AND "
        ));
        caller.push_can_read(&mut qb, "m.visibility", OWNERS);
        qb.push(" ORDER BY v LIMIT ").push_bind(MAX_CHOICES);
        qb
    };
    let mut languages = values("lower(l)", ", unnest(m.language) l");
    let mut licences = values("lower(m.license)", "");
    let mut frameworks = values("m.library_name", "");
    Ok(ListChoices {
        languages: languages.build_query_scalar().fetch_all(&mut *conn).await?,
        licences: licences.build_query_scalar().fetch_all(&mut *conn).await?,
        frameworks: frameworks
            .build_query_scalar()
            .fetch_all(&mut *conn)
            .await?,
    })
}
