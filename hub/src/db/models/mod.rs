//! Model cards; their versions and evaluation results are in [`versions`].

mod evaluations;
mod headline;
mod save;
mod versions;

pub use evaluations::{EvaluationFilter, SourceKind, evaluations};
pub use headline::{
    HeadVersion, Headline, ListChoices, Qf4saBadge, assessed, headlines, list_choices,
};
pub use save::save_card;
pub(crate) use versions::results_of;
pub use versions::{save_version, versions, versions_page};

use agora_schemas::{
    JourneyStage, Label, LanguageTag, MlTask, ModelCard, ModelCardInput, OneOrMany, Provenance,
    TaskName,
};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use crate::db::provenance::agent_label;
use crate::db::qf4sa_filter::Qf4saFilter;
use crate::db::{PageRequest, parse_checked, parse_stored};
use crate::error::{Error, Result};
use crate::policy::{Caller, write};

#[derive(FromRow)]
pub(crate) struct CardRow {
    organisation: String,
    name: String,
    title: Option<String>,
    summary: Option<String>,
    project: Option<String>,
    task: Option<String>,
    pipeline_tag: Option<String>,
    library_name: Option<String>,
    license: Option<String>,
    language: Vec<String>,
    tags: Vec<String>,
    datasets: Vec<String>,
    metrics: Vec<String>,
    base_model: Option<String>,
    model_index: serde_json::Value,
    intended_use: Option<String>,
    training_data: Option<String>,
    limitations: Option<String>,
    ethical_considerations: Option<String>,
    body: Option<String>,
    text_language: Option<String>,
    visibility: String,
    metadata: Option<serde_json::Value>,
    warnings: serde_json::Value,
    latest_version: Option<String>,
    origin: String,
    agent: Option<String>,
    source: Option<String>,
    commit_id: Option<String>,
    synced_at: Option<DateTime<Utc>>,
    withdrawn_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const OWNERS: &str = "ARRAY[o.slug::text]";

/// The card's project is named only to callers who may see the project.
pub(crate) fn select_cards(caller: &Caller) -> QueryBuilder<Postgres> {
    let mut qb = QueryBuilder::new(
        "SELECT o.slug::text AS organisation, m.name::text, m.title, m.summary, CASE WHEN ",
    );
    caller.push_can_read(&mut qb, "p.visibility", super::projects::OWNERS);
    qb.push(format!(
        " THEN p.slug::text END AS project, \
         m.task::text, m.pipeline_tag, m.library_name, m.license, m.language, m.tags, m.datasets, m.metrics, \
         m.base_model, m.model_index, m.intended_use, m.training_data, m.limitations, \
         m.ethical_considerations, m.body, m.text_language, m.visibility::text, m.metadata, m.warnings, \
         (SELECT v.version FROM model_versions v WHERE v.model_card_id = m.id \
          ORDER BY v.registered_at DESC NULLS LAST, v.id DESC LIMIT 1) AS latest_version, \
         m.origin::text, {} AS agent, m.source, m.commit_id, m.synced_at, m.withdrawn_at, m.created_at, m.updated_at \
         FROM model_cards m JOIN organisations o ON o.id = m.organisation_id \
         LEFT JOIN projects p ON p.id = m.project_id WHERE ",
        agent_label("m")
    ));
    qb
}

impl CardRow {
    /// The card as written (its stored metadata), with the project named only when the
    /// caller may see it; a card stored before the metadata column is read from its columns.
    fn spec(self_metadata: Option<serde_json::Value>, row: &CardRow) -> Result<ModelCardInput> {
        let project = row
            .project
            .clone()
            .map(|p| parse_checked("project", p))
            .transpose()?;
        if let Some(metadata) = self_metadata {
            let mut spec: ModelCardInput = serde_json::from_value(metadata)
                .map_err(|e| Error::Internal(format!("stored model card is unreadable: {e}")))?;
            spec.project = project;
            spec.visibility = parse_stored("visibility", &row.visibility)?;
            return Ok(spec);
        }
        Ok(ModelCardInput {
            organisation: parse_checked("organisation", row.organisation.clone())?,
            name: parse_checked("name", row.name.clone())?,
            title: row.title.clone(),
            summary: row.summary.clone(),
            project,
            task: row.task.clone().map(TaskName::new),
            pipeline_tag: row.pipeline_tag.clone(),
            library_name: row.library_name.clone(),
            license: row
                .license
                .clone()
                .map(|l| parse_checked("license", l))
                .transpose()?,
            license_name: None,
            license_link: None,
            language: OneOrMany::Many(
                row.language
                    .iter()
                    .map(|l| LanguageTag::new(l.as_str()))
                    .collect(),
            ),
            tags: Label::texts_of(row.tags.clone()),
            datasets: Label::texts_of(row.datasets.clone()),
            metrics: Label::texts_of(row.metrics.clone()),
            base_model: row
                .base_model
                .clone()
                .map(|b| OneOrMany::One(b.into()))
                .unwrap_or_default(),
            model_index: serde_json::from_value(row.model_index.clone())
                .map_err(|e| Error::Internal(format!("stored model-index is unreadable: {e}")))?,
            inference: None,
            widget: None,
            co2_eq_emissions: None,
            thumbnail: None,
            intended_use: row.intended_use.clone(),
            training_data: row.training_data.clone(),
            limitations: row.limitations.clone(),
            ethical_considerations: row.ethical_considerations.clone(),
            body: row.body.clone(),
            text_language: row
                .text_language
                .clone()
                .map(|l| parse_checked("text_language", l))
                .transpose()?,
            visibility: parse_stored("visibility", &row.visibility)?,
            extra: Default::default(),
        })
    }

    /// The card as `caller` may read it: its warnings go to its organisation only.
    pub(crate) fn into_card_for(self, caller: &Caller) -> Result<ModelCard> {
        let mut card = self.into_card()?;
        if !write::can_write_model(caller, card.spec.organisation.as_str()) {
            card.warnings.clear();
        }
        Ok(card)
    }

    pub(crate) fn into_card(mut self) -> Result<ModelCard> {
        let spec = Self::spec(self.metadata.take(), &self)?;
        Ok(ModelCard {
            spec,
            warnings: serde_json::from_value(self.warnings).unwrap_or_default(),
            latest_version: self.latest_version,
            provenance: Provenance {
                origin: parse_stored("origin", &self.origin)?,
                agent: self.agent,
                source: self.source,
                commit: self.commit_id,
                synced_at: self.synced_at,
                withdrawn: self.withdrawn_at.is_some(),
            },
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The columns a card fills beside its metadata: what filters, facets and search read.
pub(crate) struct Columns {
    pub task: Option<&'static str>,
    pub language: Vec<String>,
    pub tags: Vec<String>,
    pub datasets: Vec<String>,
    pub metrics: Vec<String>,
    pub base_model: Option<String>,
    pub metadata: serde_json::Value,
    pub warnings: serde_json::Value,
}

impl Columns {
    pub(crate) fn of(input: &ModelCardInput) -> Result<Self> {
        // Entries that are not text are kept in the metadata only.
        let texts = |l: &OneOrMany<Label>| l.texts().into_iter().map(str::to_string).collect();
        Ok(Self {
            task: input.agora_task().map(MlTask::as_str),
            language: input.language.iter().map(|l| l.to_string()).collect(),
            tags: texts(&input.tags),
            datasets: texts(&input.datasets),
            metrics: texts(&input.metrics),
            base_model: (!input.base_model.texts().is_empty())
                .then(|| input.base_model.texts().join(", ")),
            metadata: serde_json::to_value(input).map_err(|e| Error::Internal(e.to_string()))?,
            warnings: serde_json::to_value(input.warnings())
                .map_err(|e| Error::Internal(e.to_string()))?,
        })
    }
}

/// Filters of the model list.
#[derive(Debug, Clone, Default)]
pub struct ModelFilter {
    pub organisation: Option<String>,
    pub project: Option<String>,
    pub workstream: Option<String>,
    pub task: Option<MlTask>,
    /// The stage of the card's project (as the caller may see the project).
    pub stage: Option<JourneyStage>,
    pub framework: Option<String>,
    /// A language code the card lists, in any case; `fr` also finds `fr-CA`.
    pub language: Option<String>,
    /// The licence, in any case.
    pub license: Option<String>,
    /// One of the card's tags, in any case.
    pub tag: Option<String>,
    /// The current QF4SA assessment: that of the card's newest version.
    pub qf4sa: Qf4saFilter,
    pub order: ModelOrder,
}

/// The order of a list of model cards; each ends in the card's id, so pages never
/// overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ModelOrder {
    /// Most recently changed first.
    #[default]
    Updated,
    /// Most recently created first.
    Created,
    /// By organisation, then name.
    Name,
}

impl ModelOrder {
    fn order_by(self) -> &'static str {
        match self {
            Self::Updated => " ORDER BY m.updated_at DESC, m.id DESC",
            Self::Created => " ORDER BY m.created_at DESC, m.id DESC",
            Self::Name => " ORDER BY o.slug, m.name, m.id",
        }
    }
}

/// A card is listed with its project only when its organisation could link it there
/// (`projects::check_link`): a public project, or one the organisation runs. Another
/// office's card pointing at a project that is not public is not shown on it.
const LINK_HOLDS: &str = " AND (p.visibility = 'public' OR o.slug::text = ANY(ARRAY(\
    SELECT lo.slug::text FROM project_organisations lpo JOIN organisations lo ON lo.id = lpo.organisation_id \
    WHERE lpo.project_id = p.id)))";

fn push_filter(qb: &mut QueryBuilder<Postgres>, caller: &Caller, f: &ModelFilter) {
    caller.push_can_read(qb, "m.visibility", OWNERS);
    // Slugs are stored in lower case; people write `INEGI`.
    if let Some(org) = &f.organisation {
        qb.push(" AND o.slug::text = ")
            .push_bind(org.to_lowercase());
    }
    if let Some(project) = &f.project {
        qb.push(" AND p.slug::text = ")
            .push_bind(project.to_lowercase())
            .push(" AND ");
        caller.push_can_read(qb, "p.visibility", super::projects::OWNERS);
        qb.push(LINK_HOLDS);
    }
    if let Some(ws) = &f.workstream {
        qb.push(
            " AND EXISTS (SELECT 1 FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
             WHERE pw.project_id = m.project_id AND w.slug::text = ",
        )
        .push_bind(ws.to_lowercase())
        .push(" AND ");
        caller.push_can_read(qb, "w.visibility", "'{}'::text[]");
        qb.push(") AND ");
        // Through the project: only when the caller may see the project.
        caller.push_can_read(qb, "p.visibility", super::projects::OWNERS);
        qb.push(LINK_HOLDS);
    }
    if let Some(task) = f.task {
        qb.push(" AND m.task = ").push_bind(task.as_str());
    }
    if let Some(stage) = f.stage {
        qb.push(" AND p.stage = ")
            .push_bind(stage.as_str())
            .push(" AND ");
        caller.push_can_read(qb, "p.visibility", super::projects::OWNERS);
        qb.push(LINK_HOLDS);
    }
    f.qf4sa
        .push(qb, "qa.model_version_id = latest_model_version(m.id)");
    if let Some(fw) = &f.framework {
        qb.push(" AND lower(m.library_name) = lower(")
            .push_bind(fw.clone())
            .push(")");
    }
    if let Some(language) = &f.language {
        let language = language.to_lowercase();
        qb.push(" AND EXISTS (SELECT 1 FROM unnest(m.language) l WHERE lower(l) = ")
            .push_bind(language.clone())
            .push(" OR starts_with(lower(l), ")
            .push_bind(format!("{language}-"))
            .push("))");
    }
    if let Some(license) = &f.license {
        qb.push(" AND lower(m.license) = lower(")
            .push_bind(license.clone())
            .push(")");
    }
    if let Some(tag) = &f.tag {
        qb.push(" AND EXISTS (SELECT 1 FROM unnest(m.tags) t WHERE lower(t) = lower(")
            .push_bind(tag.clone())
            .push("))");
    }
}

pub async fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    f: &ModelFilter,
    page: PageRequest,
) -> Result<(Vec<ModelCard>, i64)> {
    let mut count = QueryBuilder::new(
        "SELECT count(*) FROM model_cards m JOIN organisations o ON o.id = m.organisation_id \
         LEFT JOIN projects p ON p.id = m.project_id WHERE ",
    );
    push_filter(&mut count, caller, f);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut qb = select_cards(caller);
    push_filter(&mut qb, caller, f);
    qb.push(f.order.order_by())
        .push(" LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let rows: Vec<CardRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let items = rows
        .into_iter()
        .map(|r| r.into_card_for(caller))
        .collect::<Result<_>>()?;
    Ok((items, total))
}

pub async fn get(
    conn: &mut PgConnection,
    caller: &Caller,
    organisation: &str,
    name: &str,
) -> Result<Option<ModelCard>> {
    let mut qb = select_cards(caller);
    caller.push_can_read(&mut qb, "m.visibility", OWNERS);
    qb.push(" AND o.slug = ")
        .push_bind(organisation.to_string())
        .push(" AND m.name = ")
        .push_bind(name.to_string());
    let row: Option<CardRow> = qb.build_query_as().fetch_optional(&mut *conn).await?;
    row.map(|r| r.into_card_for(caller)).transpose()
}
