//! Projects, with the organisations that run them and the workstreams they serve.

mod save;

pub use save::{check_link, save};

use agora_schemas::{JourneyStage, MlTask, Project, ProjectInput, Provenance};
use chrono::{DateTime, Utc};
use sqlx::{AssertSqlSafe, FromRow, PgConnection, Postgres, QueryBuilder};

use crate::db::provenance::agent_label;
use crate::db::qf4sa_filter::Qf4saFilter;
use crate::db::{PageRequest, parse_all, parse_checked, parse_stored};
use crate::error::{Error, Result};
use crate::policy::Caller;

#[derive(FromRow)]
pub(crate) struct Row {
    slug: String,
    title: String,
    summary: String,
    organisations: Vec<String>,
    workstreams: Vec<String>,
    stage: String,
    gsbpm: Option<String>,
    domain: Option<String>,
    task: Option<String>,
    data_sources: Vec<String>,
    languages: Vec<String>,
    text_language: Option<String>,
    repositories: Vec<String>,
    contacts: serde_json::Value,
    tags: Vec<String>,
    visibility: String,
    origin: String,
    agent: Option<String>,
    source: Option<String>,
    commit_id: Option<String>,
    synced_at: Option<DateTime<Utc>>,
    withdrawn_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// The owners of project `p`, as an SQL expression (used by the read policy).
pub const OWNERS: &str = "ARRAY(SELECT o.slug::text FROM project_organisations po \
     JOIN organisations o ON o.id = po.organisation_id WHERE po.project_id = p.id ORDER BY po.position)";

/// Projects as `caller` sees them: a workstream it may not read is not named.
pub(crate) fn select(caller: &Caller) -> QueryBuilder<Postgres> {
    let agent = agent_label("p");
    let mut qb = QueryBuilder::new(format!(
        "SELECT p.slug::text, p.title, p.summary, {OWNERS} AS organisations, \
         ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
               WHERE pw.project_id = p.id AND "
    ));
    caller.push_can_read(&mut qb, "w.visibility", "'{}'::text[]");
    qb.push(format!(
        " ORDER BY w.code, w.slug) AS workstreams, \
         p.stage, p.gsbpm, p.domain, p.task::text, p.data_sources, p.languages, p.text_language, p.repositories, \
         p.contacts, p.tags, p.visibility::text, p.origin::text, {agent} AS agent, p.source, p.commit_id, p.synced_at, \
         p.withdrawn_at, p.created_at, p.updated_at FROM projects p WHERE "
    ));
    qb
}

impl Row {
    pub(crate) fn into_project(self) -> Result<Project> {
        Ok(Project {
            spec: ProjectInput {
                slug: parse_checked("slug", self.slug)?,
                title: self.title,
                summary: self.summary,
                organisations: parse_all("organisations", self.organisations)?,
                workstreams: parse_all("workstreams", self.workstreams)?,
                stage: parse_stored("stage", &self.stage)?,
                gsbpm: self.gsbpm.map(|g| parse_checked("gsbpm", g)).transpose()?,
                domain: self.domain,
                task: self.task.map(|t| parse_stored("task", &t)).transpose()?,
                data_sources: self.data_sources,
                languages: parse_all("languages", self.languages)?,
                text_language: self
                    .text_language
                    .map(|l| parse_checked("text_language", l))
                    .transpose()?,
                repositories: parse_all("repositories", self.repositories)?,
                contacts: serde_json::from_value(self.contacts)
                    .map_err(|e| Error::Internal(format!("stored contacts are unreadable: {e}")))?,
                tags: self.tags,
                visibility: parse_stored("visibility", &self.visibility)?,
            },
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

/// Filters of the project list.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub workstream: Option<String>,
    pub organisation: Option<String>,
    pub stage: Option<JourneyStage>,
    pub task: Option<MlTask>,
    /// A language the project works in (an ISO 639-1 code), in any case.
    pub language: Option<String>,
    /// The project's own current QF4SA assessment.
    pub qf4sa: Qf4saFilter,
    pub order: ProjectOrder,
}

/// The order of a list of projects; each ends in the project's id, so pages never
/// overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProjectOrder {
    /// Most recently changed first.
    #[default]
    Updated,
    /// Most recently created first.
    Created,
    /// By slug.
    Name,
}

impl ProjectOrder {
    fn order_by(self) -> &'static str {
        match self {
            Self::Updated => " ORDER BY p.updated_at DESC, p.id DESC",
            Self::Created => " ORDER BY p.created_at DESC, p.id DESC",
            Self::Name => " ORDER BY p.slug, p.id",
        }
    }
}

fn push_filter(qb: &mut QueryBuilder<Postgres>, caller: &Caller, f: &ProjectFilter) {
    caller.push_can_read(qb, "p.visibility", OWNERS);
    // Slugs are stored in lower case; people write `WS2` and `INEGI`.
    if let Some(ws) = &f.workstream {
        qb.push(
            " AND EXISTS (SELECT 1 FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
             WHERE pw.project_id = p.id AND w.slug::text = ",
        )
        .push_bind(ws.to_lowercase())
        .push(" AND ");
        // A workstream the caller may not read filters to nothing, as an unknown one.
        caller.push_can_read(qb, "w.visibility", "'{}'::text[]");
        qb.push(")");
    }
    if let Some(org) = &f.organisation {
        qb.push(
            " AND EXISTS (SELECT 1 FROM project_organisations po JOIN organisations o ON o.id = po.organisation_id \
             WHERE po.project_id = p.id AND o.slug::text = ",
        )
        .push_bind(org.to_lowercase())
        .push(")");
    }
    if let Some(stage) = f.stage {
        qb.push(" AND p.stage = ").push_bind(stage.as_str());
    }
    if let Some(task) = f.task {
        qb.push(" AND p.task = ").push_bind(task.as_str());
    }
    if let Some(language) = &f.language {
        qb.push(" AND ")
            .push_bind(language.to_lowercase())
            .push(" = ANY(p.languages)");
    }
    f.qf4sa.push(qb, "qa.project_id = p.id");
}

/// Projects the caller may see, most recently updated first.
pub async fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    f: &ProjectFilter,
    page: PageRequest,
) -> Result<(Vec<Project>, i64)> {
    let mut count = QueryBuilder::new("SELECT count(*) FROM projects p WHERE ");
    push_filter(&mut count, caller, f);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut qb = select(caller);
    push_filter(&mut qb, caller, f);
    qb.push(f.order.order_by())
        .push(" LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let items = rows
        .into_iter()
        .map(Row::into_project)
        .collect::<Result<_>>()?;
    Ok((items, total))
}

/// One project, if it exists and the caller may see it.
pub async fn get(conn: &mut PgConnection, caller: &Caller, slug: &str) -> Result<Option<Project>> {
    let mut qb = select(caller);
    caller.push_can_read(&mut qb, "p.visibility", OWNERS);
    qb.push(" AND p.slug = ").push_bind(slug.to_string());
    let row: Option<Row> = qb.build_query_as().fetch_optional(&mut *conn).await?;
    row.map(Row::into_project).transpose()
}

/// The organisations that run project `slug` now, or `None` when it does not exist.
pub async fn owners(conn: &mut PgConnection, slug: &str) -> Result<Option<Vec<String>>> {
    let row: Option<Vec<String>> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT {OWNERS} FROM projects p WHERE p.slug = $1"
    )))
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row)
}
