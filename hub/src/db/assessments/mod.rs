//! Assessments of projects and model versions: reading them (here), writing them
//! ([`write`]), and what agents send ([`sync`]).
//!
//! An assessment shares its subject's audience: the read policy is asked with the
//! subject's visibility and owners ([`VISIBILITY`], [`OWNERS`]).

mod subject;
pub mod sync;
pub mod write;

use std::collections::HashMap;

use agora_schemas::{
    Assessment, AssessmentKind, AssessmentState, AssessmentVersion, Content, Provenance, Review,
    Subject,
};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

pub use subject::{SubjectRow, resolve, resolve_visible};

use super::{PageRequest, parse_checked, parse_stored};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// The joins that give an assessment `a` its subject: project `p`, or model version `v`
/// of card `m` of organisation `mo`.
pub const FROM: &str = "FROM assessments a \
    LEFT JOIN projects p ON p.id = a.project_id \
    LEFT JOIN model_versions v ON v.id = a.model_version_id \
    LEFT JOIN model_cards m ON m.id = v.model_card_id \
    LEFT JOIN organisations mo ON mo.id = m.organisation_id";

/// The owners of assessment `a` (its subject's organisations), as an SQL expression.
pub const OWNERS: &str = "(CASE WHEN a.project_id IS NOT NULL THEN ARRAY(SELECT o.slug::text \
    FROM project_organisations po JOIN organisations o ON o.id = po.organisation_id \
    WHERE po.project_id = a.project_id ORDER BY po.position) ELSE ARRAY[mo.slug::text] END)";

/// The visibility of assessment `a` (its subject's), as an SQL expression.
pub const VISIBILITY: &str = "coalesce(p.visibility, m.visibility)::text";

/// The workstreams of assessment `a`: its project's, or its model's project's.
pub const WORKSTREAMS: &str = "ARRAY(SELECT w.slug::text FROM project_workstreams pw \
    JOIN workstreams w ON w.id = pw.workstream_id \
    WHERE pw.project_id = coalesce(a.project_id, m.project_id) ORDER BY w.slug)";

/// The subject's title, for display.
pub const TITLE: &str = "coalesce(p.title, coalesce(m.title, mo.slug::text || '/' || m.name::text) \
    || ' · version ' || v.version)";

#[derive(FromRow)]
struct Row {
    id: i64,
    kind: String,
    project: Option<String>,
    organisation: Option<String>,
    model: Option<String>,
    model_version: Option<String>,
    subject_title: String,
    visibility: String,
    organisations: Vec<String>,
    workstreams: Vec<String>,
    state: String,
    version: i32,
    content: serde_json::Value,
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

/// `org/name` of the agent that sent assessment `a`, or NULL.
const AGENT: &str = "(SELECT ao.slug::text || '/' || ag.name::text FROM agents ag \
    JOIN organisations ao ON ao.id = ag.organisation_id WHERE ag.id = a.agent_id)";

/// Assessments as `caller` sees them: their workstreams are their project's (a model's
/// assessment, its card's project's), named only to readers of that project and of the
/// workstream.
fn select(caller: &Caller) -> QueryBuilder<Postgres> {
    let mut qb = QueryBuilder::new(
        "SELECT a.id, a.kind, p.slug::text AS project, mo.slug::text AS organisation, \
         m.name::text AS model, v.version AS model_version, ARRAY(SELECT w.slug::text \
         FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
         JOIN projects p ON p.id = pw.project_id \
         WHERE pw.project_id = coalesce(a.project_id, m.project_id) AND ",
    );
    caller.push_can_read(&mut qb, "w.visibility", "'{}'::text[]");
    qb.push(" AND ");
    caller.push_can_read(&mut qb, "p.visibility", super::projects::OWNERS);
    qb.push(format!(
        " ORDER BY w.slug) AS workstreams, {TITLE} AS subject_title, \
         {VISIBILITY} AS visibility, {OWNERS} AS organisations, \
         a.state, a.version, a.content, \
         (SELECT lv.version FROM model_versions lv WHERE lv.id = latest_model_version(m.id)) AS latest_version, \
         a.origin::text, {AGENT} AS agent, a.source, a.commit_id, a.synced_at, a.withdrawn_at, \
         a.created_at, a.updated_at {FROM} WHERE "
    ));
    qb
}

pub(crate) fn content_of(value: serde_json::Value) -> Result<Content> {
    serde_json::from_value(value)
        .map_err(|e| Error::Internal(format!("stored assessment content is unreadable: {e}")))
}

impl Row {
    fn into_assessment(self, reviews: Vec<Review>) -> Result<Assessment> {
        let subject = match self.project {
            Some(p) => Subject::project(parse_checked("project", p)?),
            None => Subject::model_version(
                parse_checked("organisation", self.organisation.unwrap_or_default())?,
                parse_checked("model", self.model.unwrap_or_default())?,
                self.model_version.clone().unwrap_or_default(),
            ),
        };
        let stale = match (&self.model_version, &self.latest_version) {
            (Some(mine), Some(latest)) => mine != latest,
            _ => false,
        };
        Ok(Assessment {
            id: self.id,
            kind: parse_stored::<AssessmentKind>("kind", &self.kind)?,
            subject,
            subject_title: self.subject_title,
            visibility: parse_stored("visibility", &self.visibility)?,
            organisations: self.organisations,
            workstreams: self.workstreams,
            state: parse_stored::<AssessmentState>("state", &self.state)?,
            version: self.version,
            content: content_of(self.content)?,
            stale,
            latest_version: if stale { self.latest_version } else { None },
            reviews,
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

#[derive(FromRow)]
struct ReviewRow {
    assessment_id: i64,
    version: i32,
    decision: String,
    comments: String,
    reviewer: String,
    reviewer_organisation: Option<String>,
    standing: String,
    at: DateTime<Utc>,
}

async fn reviews_of(conn: &mut PgConnection, ids: &[i64]) -> Result<HashMap<i64, Vec<Review>>> {
    let rows: Vec<ReviewRow> = sqlx::query_as(
        "SELECT assessment_id, version, decision, comments, reviewer, reviewer_organisation, \
         standing, at FROM assessment_reviews WHERE assessment_id = ANY($1) ORDER BY assessment_id, id",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: HashMap<i64, Vec<Review>> = HashMap::new();
    for r in rows {
        out.entry(r.assessment_id).or_default().push(Review {
            version: r.version,
            decision: parse_stored("decision", &r.decision)?,
            comments: r.comments,
            reviewer: r.reviewer,
            reviewer_organisation: r.reviewer_organisation,
            standing: r.standing,
            at: r.at,
        });
    }
    Ok(out)
}

async fn finish(conn: &mut PgConnection, rows: Vec<Row>) -> Result<Vec<Assessment>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut reviews = reviews_of(conn, &ids).await?;
    rows.into_iter()
        .map(|r| {
            let mine = reviews.remove(&r.id).unwrap_or_default();
            r.into_assessment(mine)
        })
        .collect()
}

/// One assessment, if it exists and the caller may see its subject.
pub async fn get(conn: &mut PgConnection, caller: &Caller, id: i64) -> Result<Option<Assessment>> {
    let mut qb = select(caller);
    caller.push_can_read(&mut qb, VISIBILITY, OWNERS);
    qb.push(" AND a.id = ").push_bind(id);
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    Ok(finish(conn, rows).await?.pop())
}

/// Filters of the assessment list.
#[derive(Debug, Clone, Default)]
pub struct AssessmentFilter {
    pub project: Option<String>,
    /// `<organisation>/<name>`: assessments of any version of the model.
    pub model: Option<String>,
    pub kind: Option<AssessmentKind>,
    pub state: Option<AssessmentState>,
    /// Leave out assessments whose source no longer lists them.
    pub listed_only: bool,
}

/// Assessments the caller may see, most recently updated first (at most `limit`).
pub async fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    f: &AssessmentFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Assessment>, i64)> {
    let push = |qb: &mut QueryBuilder<Postgres>| {
        caller.push_can_read(qb, VISIBILITY, OWNERS);
        if let Some(project) = &f.project {
            qb.push(" AND p.slug = ").push_bind(project.clone());
        }
        if let Some(model) = &f.model {
            let (org, name) = model.split_once('/').unwrap_or((model.as_str(), ""));
            qb.push(" AND mo.slug = ")
                .push_bind(org.to_string())
                .push(" AND m.name = ")
                .push_bind(name.to_string());
        }
        if let Some(kind) = f.kind {
            qb.push(" AND a.kind = ").push_bind(kind.as_str());
        }
        if let Some(state) = f.state {
            qb.push(" AND a.state = ").push_bind(state.as_str());
        }
        if f.listed_only {
            qb.push(" AND a.withdrawn_at IS NULL");
        }
    };
    let mut count = QueryBuilder::new(format!("SELECT count(*) {FROM} WHERE "));
    push(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut qb = select(caller);
    push(&mut qb);
    qb.push(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    Ok((finish(conn, rows).await?, total))
}

/// The assessments the caller may see among `ids`, in the order asked.
pub async fn get_many(
    conn: &mut PgConnection,
    caller: &Caller,
    ids: &[i64],
) -> Result<Vec<Assessment>> {
    let mut qb = select(caller);
    caller.push_can_read(&mut qb, VISIBILITY, OWNERS);
    qb.push(" AND a.id = ANY(")
        .push_bind(ids.to_vec())
        .push(")");
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let mut found = finish(conn, rows).await?;
    found.sort_by_key(|a| ids.iter().position(|i| *i == a.id));
    Ok(found)
}

/// The QF4SA assessment that speaks for model `<organisation>/<name>` now: the one of its
/// newest version when there is one, else the most recently updated one of any version.
pub async fn current_of_model(
    conn: &mut PgConnection,
    caller: &Caller,
    model: &str,
) -> Result<Option<Assessment>> {
    current(conn, caller, Some(model), None, AssessmentKind::Qf4sa).await
}

/// A model's (`<organisation>/<name>`) or a project's current assessment of a kind, as
/// the caller may see it: the newest one made for the model's newest version, else the
/// newest.
pub async fn current(
    conn: &mut PgConnection,
    caller: &Caller,
    model: Option<&str>,
    project: Option<&str>,
    kind: AssessmentKind,
) -> Result<Option<Assessment>> {
    let filter = AssessmentFilter {
        model: model.map(str::to_string),
        project: project.map(str::to_string),
        kind: Some(kind),
        listed_only: true,
        ..AssessmentFilter::default()
    };
    let (all, _) = list(conn, caller, &filter, 50, 0).await?;
    Ok(all
        .iter()
        .find(|a| !a.stale)
        .or_else(|| all.first())
        .cloned())
}

#[derive(FromRow)]
struct VersionRow {
    version: i32,
    content: serde_json::Value,
    actor: String,
    note: Option<String>,
    at: DateTime<Utc>,
}

/// Every version of an assessment the caller may see, newest first; `None` when the
/// assessment does not exist or is not visible.
pub async fn versions(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
) -> Result<Option<Vec<AssessmentVersion>>> {
    versions_within(conn, caller, id, None).await
}

/// One page of an assessment's versions, newest first, and how many there are in all.
pub async fn versions_page(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    page: PageRequest,
) -> Result<Option<(Vec<AssessmentVersion>, i64)>> {
    let Some(items) = versions_within(conn, caller, id, Some(page)).await? else {
        return Ok(None);
    };
    let total: i64 =
        sqlx::query_scalar("SELECT count(*) FROM assessment_versions WHERE assessment_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Some((items, total)))
}

async fn versions_within(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    page: Option<PageRequest>,
) -> Result<Option<Vec<AssessmentVersion>>> {
    if get(conn, caller, id).await?.is_none() {
        return Ok(None);
    }
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT version, content, actor, note, at FROM assessment_versions \
         WHERE assessment_id = $1 ORDER BY version DESC LIMIT $2 OFFSET $3",
    )
    .bind(id)
    .bind(page.map(|p| p.limit()))
    .bind(page.map_or(0, |p| p.offset()))
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AssessmentVersion {
                version: r.version,
                content: content_of(r.content)?,
                actor: r.actor,
                note: r.note,
                at: r.at,
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}
