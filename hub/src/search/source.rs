//! Reads searchable items from PostgreSQL, the source of truth: a few items by key (for
//! events) or every item, page by page (for a rebuild).

use std::sync::LazyLock;

use agora_schemas::{LanguageTag, License};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use super::document::{Kind, SearchDoc};
use crate::error::Result;

/// Which items of a kind to read.
#[derive(Debug, Clone)]
pub enum Select<'a> {
    /// These subjects (slugs, or `<organisation>/<name>` for models).
    Subjects(&'a [String]),
    /// Model cards of these projects (their workstreams and stage come from the project).
    OfProjects(&'a [String]),
    /// A page of every item, after this row id.
    Page { after: i64, limit: i64 },
}

#[derive(FromRow)]
struct Row {
    id: i64,
    subject: String,
    title: String,
    summary: String,
    body: String,
    tags: Vec<String>,
    task: Option<String>,
    framework: Option<String>,
    languages: Vec<String>,
    licence: Option<String>,
    organisations: Vec<String>,
    workstreams: Vec<String>,
    stage: Option<String>,
    gsbpm: Option<String>,
    updated_at: DateTime<Utc>,
    visibility: String,
    owners: Vec<String>,
    withdrawn: bool,
    qf4sa: Vec<String>,
    qf4sa_levels: Option<Vec<i16>>,
}

/// A loaded item: its document, or `None` when it must leave the index (withdrawn).
pub struct Loaded {
    pub id: i64,
    pub key: String,
    pub doc: Option<SearchDoc>,
}

const PROJECTS: &str = "SELECT p.id, p.slug::text AS subject, p.title, p.summary, \
    concat_ws(E'\\n', p.domain, array_to_string(p.data_sources, E'\\n')) AS body, p.tags, \
    p.task::text AS task, NULL::text AS framework, p.languages, NULL::text AS licence, \
    ARRAY(SELECT o.slug::text FROM project_organisations po JOIN organisations o ON o.id = po.organisation_id \
          WHERE po.project_id = p.id ORDER BY po.position) AS organisations, \
    ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
          WHERE pw.project_id = p.id AND readers_may_read(w.visibility, '{}', p.visibility, \
            ARRAY(SELECT o.slug::text FROM project_organisations po \
                  JOIN organisations o ON o.id = po.organisation_id WHERE po.project_id = p.id)) \
          ORDER BY w.slug) AS workstreams, \
    p.stage, p.gsbpm, p.updated_at, p.visibility::text AS visibility, \
    ARRAY(SELECT o.slug::text FROM project_organisations po JOIN organisations o ON o.id = po.organisation_id \
          WHERE po.project_id = p.id) AS owners, p.withdrawn_at IS NOT NULL AS withdrawn, \
    qf4sa_flags(qa.state) AS qf4sa, qa.levels AS qf4sa_levels \
    FROM projects p LEFT JOIN assessments qa ON qa.project_id = p.id AND qa.kind = 'qf4sa' \
    AND qa.withdrawn_at IS NULL";

const MODELS: &str = "SELECT m.id, o.slug::text || '/' || m.name::text AS subject, \
    coalesce(m.title, m.name::text) AS title, coalesce(m.summary, '') AS summary, \
    concat_ws(E'\\n', m.body, m.intended_use, m.training_data, m.limitations, m.ethical_considerations, \
              m.pipeline_tag, m.base_model, array_to_string(m.datasets, ' '), array_to_string(m.metrics, ' '), \
              m.metadata ->> 'task', m.metadata ->> 'license_name', \
              (SELECT string_agg(v.description, E'\\n' ORDER BY v.id) FROM model_versions v \
               WHERE v.model_card_id = m.id)) AS body, \
    m.tags, m.task::text AS task, lower(m.library_name) AS framework, m.language AS languages, \
    m.license AS licence, ARRAY[o.slug::text] AS organisations, \
    CASE WHEN project_shown THEN ARRAY(SELECT w.slug::text FROM project_workstreams pw \
          JOIN workstreams w ON w.id = pw.workstream_id WHERE pw.project_id = m.project_id \
          AND readers_may_read(w.visibility, '{}', m.visibility, ARRAY[o.slug::text]) ORDER BY w.slug) \
      ELSE '{}' END AS workstreams, \
    CASE WHEN project_shown THEN p.stage END AS stage, \
    CASE WHEN project_shown THEN p.gsbpm END AS gsbpm, greatest(m.updated_at, (SELECT max(v.updated_at) FROM model_versions v \
                                             WHERE v.model_card_id = m.id)) AS updated_at, \
    m.visibility::text AS visibility, ARRAY[o.slug::text] AS owners, m.withdrawn_at IS NOT NULL AS withdrawn, \
    qf4sa_flags(qa.state) AS qf4sa, qa.levels AS qf4sa_levels \
    FROM model_cards m JOIN organisations o ON o.id = m.organisation_id \
    LEFT JOIN projects p ON p.id = m.project_id \
    CROSS JOIN LATERAL (SELECT coalesce(readers_may_read(p.visibility, \
        ARRAY(SELECT po_o.slug::text FROM project_organisations po \
              JOIN organisations po_o ON po_o.id = po.organisation_id WHERE po.project_id = p.id), \
        m.visibility, ARRAY[o.slug::text]), false) AS project_shown) ps \
    LEFT JOIN assessments qa ON qa.model_version_id = latest_model_version(m.id) AND qa.kind = 'qf4sa' \
    AND qa.withdrawn_at IS NULL";

const WORKSTREAMS: &str = "SELECT w.id, w.slug::text AS subject, w.title, w.goal AS summary, \
    w.code || ' ' || w.status AS body, '{}'::text[] AS tags, NULL::text AS task, NULL::text AS framework, \
    '{}'::text[] AS languages, NULL::text AS licence, \
    ARRAY(SELECT o.slug::text FROM memberships ms JOIN organisations o ON o.id = ms.organisation_id \
          WHERE ms.workstream_id = w.id ORDER BY o.slug) AS organisations, \
    ARRAY[w.slug::text] AS workstreams, NULL::text AS stage, NULL::text AS gsbpm, w.updated_at, \
    w.visibility::text AS visibility, '{}'::text[] AS owners, false AS withdrawn, \
    '{}'::text[] AS qf4sa, NULL::smallint[] AS qf4sa_levels FROM workstreams w";

const ORGANISATIONS: &str = "SELECT o.id, o.slug::text AS subject, o.name AS title, \
    concat_ws(' · ', o.short_name, o.country, replace(o.kind, '-', ' ')) AS summary, \
    coalesce(o.website, '') AS body, '{}'::text[] AS tags, NULL::text AS task, NULL::text AS framework, \
    '{}'::text[] AS languages, NULL::text AS licence, ARRAY[o.slug::text] AS organisations, \
    '{}'::text[] AS workstreams, NULL::text AS stage, NULL::text AS gsbpm, o.updated_at, \
    'public' AS visibility, ARRAY[o.slug::text] AS owners, false AS withdrawn, \
    '{}'::text[] AS qf4sa, NULL::smallint[] AS qf4sa_levels FROM organisations o";

/// Assessments: their subject's audience, workstreams and task; their texts (evidence,
/// answers, mitigations) as the body; their kind, state and staleness as tags.
static ASSESSMENTS: LazyLock<String> = LazyLock::new(|| {
    use crate::db::assessments::{FROM, OWNERS, TITLE, VISIBILITY};
    format!(
        "SELECT a.id, a.id::text AS subject, \
         CASE a.kind WHEN 'qf4sa' THEN 'QF4SA assessment' ELSE 'Ethics self-assessment' END \
           || ' of ' || {TITLE} AS title, \
         a.state || ' · version ' || a.version || coalesce(' · levels ' || array_to_string(a.levels, ' '), '') AS summary, \
         coalesce((SELECT string_agg(t #>> '{{}}', E'\\n') FROM jsonb_path_query(a.content, \
           'lax $.*.*.* ? (@.type() == \"string\")') t), '') \
           || coalesce(E'\\n' || (a.content #>> '{{qf4sa,summary}}'), '') AS body, \
         array_remove(ARRAY[a.kind, a.state, CASE WHEN a.model_version_id IS NOT NULL \
           AND latest_model_version(m.id) IS DISTINCT FROM a.model_version_id THEN 'stale' END], NULL) AS tags, \
         coalesce(p.task, m.task)::text AS task, lower(m.library_name) AS framework, \
         coalesce(p.languages, m.language) AS languages, NULL::text AS licence, \
         {OWNERS} AS organisations, \
         ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
           JOIN projects wp ON wp.id = pw.project_id \
           WHERE pw.project_id = coalesce(a.project_id, m.project_id) \
           AND readers_may_read(w.visibility, '{{}}', {VISIBILITY}, {OWNERS}) \
           AND readers_may_read(wp.visibility, ARRAY(SELECT wo.slug::text FROM project_organisations wpo \
               JOIN organisations wo ON wo.id = wpo.organisation_id WHERE wpo.project_id = wp.id), \
             {VISIBILITY}, {OWNERS}) ORDER BY w.slug) AS workstreams, \
         NULL::text AS stage, NULL::text AS gsbpm, \
         a.updated_at, {VISIBILITY} AS visibility, {OWNERS} AS owners, \
         (a.withdrawn_at IS NOT NULL OR p.withdrawn_at IS NOT NULL OR m.withdrawn_at IS NOT NULL \
          OR v.withdrawn_at IS NOT NULL) AS withdrawn, \
         CASE WHEN a.kind = 'qf4sa' THEN qf4sa_flags(a.state) ELSE '{{}}'::text[] END AS qf4sa, \
         a.levels AS qf4sa_levels {FROM}"
    )
});

fn base(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Project => (PROJECTS, "p"),
        Kind::Model => (MODELS, "m"),
        Kind::Workstream => (WORKSTREAMS, "w"),
        Kind::Organisation => (ORGANISATIONS, "o"),
        Kind::Assessment => (ASSESSMENTS.as_str(), "a"),
    }
}

/// Loads items of one kind. Items asked for by subject that no longer exist come back
/// with no document, so the caller removes them.
pub async fn load(conn: &mut PgConnection, kind: Kind, select: Select<'_>) -> Result<Vec<Loaded>> {
    let (sql, alias) = base(kind);
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(sql);
    match &select {
        Select::Subjects(subjects) => match kind {
            Kind::Model => {
                let (orgs, names): (Vec<String>, Vec<String>) = subjects
                    .iter()
                    .filter_map(|s| s.split_once('/'))
                    .map(|(o, n)| (o.to_string(), n.to_string()))
                    .unzip();
                qb.push(" WHERE (o.slug::text, m.name::text) IN (SELECT * FROM unnest(")
                    .push_bind(orgs)
                    .push("::text[], ")
                    .push_bind(names)
                    .push("::text[]))");
            }
            Kind::Assessment => {
                qb.push(" WHERE a.id::text = ANY(")
                    .push_bind(subjects.to_vec())
                    .push(")");
            }
            _ => {
                qb.push(format!(" WHERE {alias}.slug = ANY("))
                    .push_bind(subjects.to_vec())
                    .push(")");
            }
        },
        Select::OfProjects(projects) => {
            if kind != Kind::Model {
                return Ok(vec![]);
            }
            qb.push(" WHERE p.slug = ANY(")
                .push_bind(projects.to_vec())
                .push(")");
        }
        Select::Page { after, limit } => {
            qb.push(format!(" WHERE {alias}.id > "))
                .push_bind(*after)
                .push(format!(" ORDER BY {alias}.id LIMIT "))
                .push_bind(*limit);
        }
    }
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let mut out: Vec<Loaded> = rows.into_iter().map(|r| into_loaded(kind, r)).collect();
    if let Select::Subjects(subjects) = select {
        for s in subjects {
            let key = kind.key(s);
            if !out.iter().any(|l| l.key == key) {
                out.push(Loaded {
                    id: 0,
                    key,
                    doc: None,
                });
            }
        }
    }
    Ok(out)
}

fn into_loaded(kind: Kind, r: Row) -> Loaded {
    let key = kind.key(&r.subject);
    if r.withdrawn {
        return Loaded {
            id: r.id,
            key,
            doc: None,
        };
    }
    let (link, api) = match kind {
        Kind::Project => (
            format!("/projects/{}", r.subject),
            format!("/api/v1/projects/{}", r.subject),
        ),
        Kind::Model => (
            format!("/models/{}", r.subject),
            format!("/api/v1/models/{}", r.subject),
        ),
        Kind::Workstream => (
            format!("/workstreams/{}", r.subject),
            format!("/api/v1/workstreams/{}", r.subject),
        ),
        Kind::Organisation => (
            format!("/organisations/{}", r.subject),
            format!("/api/v1/organisations/{}", r.subject),
        ),
        Kind::Assessment => (
            format!("/assessments/{}", r.subject),
            format!("/api/v1/assessments/{}", r.subject),
        ),
    };
    let qf4sa_levels = r.qf4sa_levels.as_deref().and_then(|l| {
        let levels: Vec<u8> = l.iter().map(|v| u8::try_from(*v).unwrap_or(0)).collect();
        <[u8; 5]>::try_from(levels).ok()
    });
    Loaded {
        id: r.id,
        key,
        doc: Some(SearchDoc {
            kind: Some(kind),
            subject: r.subject,
            search_title: (kind == Kind::Assessment)
                .then(|| r.title.split(" of ").next().unwrap_or_default().to_string()),
            title: r.title,
            // Cards and summaries are Markdown: search reads, and snippets show, its words.
            summary: crate::plain_text::of_markdown(&r.summary),
            body: crate::plain_text::of_markdown(&r.body),
            tags: r.tags,
            task: r.task,
            framework: r.framework,
            languages: language_facets(&r.languages),
            licence: r
                .licence
                .filter(|l| License::parse(l.as_str()).is_ok_and(|l| l.is_known())),
            organisations: r.organisations,
            workstreams: r.workstreams,
            stage: r.stage,
            gsbpm: r.gsbpm,
            qf4sa: r.qf4sa,
            qf4sa_levels,
            updated_at: r.updated_at.timestamp_micros(),
            visibility: r.visibility,
            owners: r.owners,
            link,
            api,
        }),
    }
}

/// The languages an item counts under: tags as written (`pt-BR`) count under their
/// language (`pt`); what names no language counts under none.
fn language_facets(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for facet in tags
        .iter()
        .filter_map(|t| LanguageTag::new(t.as_str()).facet())
    {
        if !out.contains(&facet) {
            out.push(facet);
        }
    }
    out
}

/// How many items of each kind a rebuild will read.
pub async fn count(conn: &mut PgConnection) -> Result<u64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM projects) + (SELECT count(*) FROM model_cards) \
         + (SELECT count(*) FROM workstreams) + (SELECT count(*) FROM organisations) \
         + (SELECT count(*) FROM assessments)",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}
