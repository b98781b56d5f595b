//! Leaderboards: results ranked in PostgreSQL per organisation, read a page at a time,
//! and one model's standings.

use agora_schemas::benchmark::{LeaderboardEntry, MetricDirection};
use agora_schemas::{Benchmark, Leaderboard, ModelRef};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder, Row};
use utoipa::ToSchema;

use super::direction_of;
use crate::db::{PageRequest, benchmarks, parse_checked, parse_stored};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// How leaderboard entries are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LeaderboardSort {
    /// By organisation, then rank there (the default).
    #[default]
    Rank,
    /// Best value of the primary metric first, whatever the organisation.
    Value,
    /// By model (organisation/name), then organisation.
    Model,
    /// By organisation, then rank.
    Organisation,
    /// Newest result first.
    Recorded,
}

impl LeaderboardSort {
    /// The order's name, as the `sort` parameter writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rank => "rank",
            Self::Value => "value",
            Self::Model => "model",
            Self::Organisation => "organisation",
            Self::Recorded => "recorded",
        }
    }

    /// The ORDER BY of the ranked entries; every order ends in the entry's key (model and
    /// organisation), so pages neither repeat nor skip an entry. Names compare byte by
    /// byte, whatever the database's collation.
    fn order_by(self, direction: MetricDirection) -> String {
        const MODEL: &str = "model_organisation COLLATE \"C\", model_name COLLATE \"C\"";
        const BY_RANK: &str = "organisation COLLATE \"C\", rank";
        let value = match direction {
            MetricDirection::Maximize => "value DESC",
            MetricDirection::Minimize => "value ASC",
        };
        match self {
            Self::Rank | Self::Organisation => format!("{BY_RANK}, {MODEL}"),
            Self::Value => format!("{value}, {MODEL}, organisation COLLATE \"C\""),
            Self::Model => format!("{MODEL}, organisation COLLATE \"C\""),
            Self::Recorded => format!("recorded_at DESC, {BY_RANK}, {MODEL}"),
        }
    }
}

/// Which part of a leaderboard to read.
#[derive(Debug, Clone)]
pub struct BoardView {
    /// Only results at this organisation.
    pub organisation: Option<String>,
    pub sort: LeaderboardSort,
    pub page: PageRequest,
}

#[derive(FromRow)]
struct EntryRow {
    rank: i64,
    /// How many models the entry's organisation ranked.
    ranked: i64,
    model_organisation: String,
    model_name: String,
    version: String,
    organisation: String,
    metric: String,
    value: f64,
    dataset: String,
    metrics: serde_json::Value,
    run_id: i64,
    job_id: i64,
    agent: String,
    executor: String,
    hardware: Option<serde_json::Value>,
    recorded_at: DateTime<Utc>,
    demo: bool,
}

impl EntryRow {
    /// The entry, with how many models its organisation ranked.
    fn with_count(self) -> Result<(LeaderboardEntry, usize)> {
        let ranked = usize::try_from(self.ranked).unwrap_or(usize::MAX);
        Ok((self.entry()?, ranked))
    }

    fn entry(self) -> Result<LeaderboardEntry> {
        Ok(LeaderboardEntry {
            rank: u32::try_from(self.rank).unwrap_or(u32::MAX),
            model: ModelRef {
                organisation: parse_checked("organisation", self.model_organisation)?,
                name: parse_checked("name", self.model_name)?,
                version: self.version,
            },
            organisation: parse_checked("organisation", self.organisation)?,
            metric: self.metric,
            value: self.value,
            dataset: self.dataset,
            metrics: serde_json::from_value(self.metrics)
                .map_err(|e| Error::Internal(format!("stored metrics are unreadable: {e}")))?,
            run_id: self.run_id,
            job_id: self.job_id,
            agent: self.agent,
            executor: parse_stored("executor", &self.executor)?,
            hardware: self
                .hardware
                .map(serde_json::from_value)
                .transpose()
                .map_err(|e| Error::Internal(format!("stored hardware is unreadable: {e}")))?,
            recorded_at: self.recorded_at,
            demo: self.demo,
        })
    }
}

/// Starts a query over `ranked`: the best result of each model at each organisation on the
/// primary metric, with the model's rank at that organisation and how many models the
/// organisation ranked. Results of models the caller may not see are left out, and not
/// counted in ranks.
fn ranked(
    caller: &Caller,
    benchmark_id: i64,
    direction: MetricDirection,
    organisation: Option<&str>,
) -> QueryBuilder<Postgres> {
    let mut qb = QueryBuilder::<Postgres>::new(
        "WITH best AS (SELECT DISTINCT ON (mc.id, res.organisation_id) \
             mo.slug::text AS model_organisation, mc.name::text AS model_name, mv.version, \
             o.slug::text AS organisation, b.primary_metric AS metric, res.primary_value AS value, \
             j.dataset, res.metrics, \
             j.run_id, res.job_id, res.agent, res.executor, res.hardware, res.recorded_at, res.demo \
           FROM benchmark_results res \
           JOIN benchmark_jobs j ON j.id = res.job_id \
           JOIN benchmarks b ON b.id = res.benchmark_id \
           JOIN model_versions mv ON mv.id = res.model_version_id \
           JOIN model_cards mc ON mc.id = mv.model_card_id \
           JOIN organisations mo ON mo.id = mc.organisation_id \
           JOIN organisations o ON o.id = res.organisation_id \
           WHERE res.benchmark_id = ",
    );
    qb.push_bind(benchmark_id).push(" AND ");
    caller.push_can_read(&mut qb, "mc.visibility", "ARRAY[mo.slug::text]");
    if let Some(org) = organisation {
        qb.push(" AND o.slug = ").push_bind(org.to_string());
    }
    let best = match direction {
        MetricDirection::Maximize => "DESC",
        MetricDirection::Minimize => "ASC",
    };
    qb.push(format!(
        " ORDER BY mc.id, res.organisation_id, res.primary_value {best}, res.recorded_at, res.id), \
         ranked AS (SELECT rank() OVER (PARTITION BY organisation ORDER BY value {best}) AS rank, \
             count(*) OVER (PARTITION BY organisation) AS ranked, * FROM best) "
    ));
    qb
}

/// A page of the leaderboard, as the caller may see it: entries in the order asked for,
/// with the total number of entries.
pub async fn leaderboard(
    conn: &mut PgConnection,
    caller: &Caller,
    benchmark_id: i64,
    benchmark: &Benchmark,
    view: &BoardView,
) -> Result<Leaderboard> {
    let direction = direction_of(benchmark)?;
    let mut qb = ranked(
        caller,
        benchmark_id,
        direction,
        view.organisation.as_deref(),
    );
    qb.push(format!(
        "SELECT count(*) OVER () AS total, * FROM ranked ORDER BY {} LIMIT ",
        view.sort.order_by(direction)
    ));
    qb.push_bind(view.page.limit())
        .push(" OFFSET ")
        .push_bind(view.page.offset());
    let rows = qb.build().fetch_all(&mut *conn).await?;
    let total = match rows.first() {
        Some(row) => row.try_get::<i64, _>("total")?,
        None if view.page.offset() > 0 => {
            let mut qb = ranked(
                caller,
                benchmark_id,
                direction,
                view.organisation.as_deref(),
            );
            qb.push("SELECT count(*) FROM ranked");
            qb.build_query_scalar().fetch_one(&mut *conn).await?
        }
        None => 0,
    };
    let entries = rows
        .iter()
        .map(|row| EntryRow::from_row(row)?.entry())
        .collect::<Result<Vec<_>>>()?;
    Ok(Leaderboard {
        benchmark: benchmark.spec.slug.clone(),
        primary_metric: benchmark.spec.primary_metric.clone(),
        direction,
        entries,
        total,
        page: view.page.page,
        per_page: view.page.per_page,
    })
}

/// The entries of the `limit` models with the best rank at any organisation (ties by
/// name), at every organisation that ranked them, each with how many models that
/// organisation ranked: what a chart of the leaderboard shows.
pub async fn leading_models(
    conn: &mut PgConnection,
    caller: &Caller,
    benchmark_id: i64,
    benchmark: &Benchmark,
    limit: i64,
) -> Result<Vec<(LeaderboardEntry, usize)>> {
    let direction = direction_of(benchmark)?;
    let mut qb = ranked(caller, benchmark_id, direction, None);
    qb.push(
        ", shown AS (SELECT model_organisation, model_name FROM ranked \
           GROUP BY model_organisation, model_name \
           ORDER BY min(rank), model_organisation COLLATE \"C\", model_name COLLATE \"C\" LIMIT ",
    );
    qb.push_bind(limit).push(format!(
        ") SELECT ranked.* FROM ranked JOIN shown USING (model_organisation, model_name) \
         ORDER BY {}",
        LeaderboardSort::Rank.order_by(direction)
    ));
    let rows: Vec<EntryRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter().map(EntryRow::with_count).collect()
}

/// One model's entries on the leaderboard as the caller may see it, each with how many
/// models its organisation ranked.
pub(super) async fn entries_of_model(
    conn: &mut PgConnection,
    caller: &Caller,
    benchmark_id: i64,
    direction: MetricDirection,
    organisation: &str,
    name: &str,
) -> Result<Vec<(LeaderboardEntry, usize)>> {
    let mut qb = ranked(caller, benchmark_id, direction, None);
    qb.push("SELECT * FROM ranked WHERE model_organisation = ")
        .push_bind(organisation.to_string())
        .push(" AND model_name = ")
        .push_bind(name.to_string())
        .push(format!(
            " ORDER BY {}",
            LeaderboardSort::Rank.order_by(direction)
        ));
    let rows: Vec<EntryRow> = qb.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter().map(EntryRow::with_count).collect()
}

/// A model's standing on one benchmark: the benchmark and the model's entries of its
/// leaderboard (one per organisation that evaluated it), with how many models each
/// organisation ranked.
pub struct ModelStanding {
    pub benchmark: Benchmark,
    pub entries: Vec<(LeaderboardEntry, usize)>,
}

/// The benchmarks a model has results on, as the caller may see them: only benchmarks the
/// caller may read, and each through the same leaderboard (and so the same rule on the
/// models ranked beside it) as the benchmark's own page. Ordered by benchmark slug.
pub async fn standings_of_model(
    conn: &mut PgConnection,
    caller: &Caller,
    organisation: &str,
    name: &str,
) -> Result<Vec<ModelStanding>> {
    let mut qb = QueryBuilder::<Postgres>::new(
        "SELECT DISTINCT b.slug::text FROM benchmark_results res \
         JOIN benchmarks b ON b.id = res.benchmark_id \
         JOIN model_versions mv ON mv.id = res.model_version_id \
         JOIN model_cards mc ON mc.id = mv.model_card_id \
         JOIN organisations mo ON mo.id = mc.organisation_id \
         WHERE mo.slug = ",
    );
    qb.push_bind(organisation.to_string())
        .push(" AND mc.name = ")
        .push_bind(name.to_string())
        .push(" AND ");
    caller.push_can_read(&mut qb, "b.visibility", benchmarks::OWNERS);
    qb.push(" AND ");
    caller.push_can_read(&mut qb, "mc.visibility", "ARRAY[mo.slug::text]");
    qb.push(" ORDER BY 1");
    let slugs: Vec<String> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
    let mut standings = Vec::with_capacity(slugs.len());
    for slug in slugs {
        let Some((id, benchmark)) = benchmarks::find(conn, caller, &slug).await? else {
            continue;
        };
        let direction = direction_of(&benchmark)?;
        let entries = entries_of_model(conn, caller, id, direction, organisation, name).await?;
        if !entries.is_empty() {
            standings.push(ModelStanding { benchmark, entries });
        }
    }
    Ok(standings)
}
