//! `/benchmarks/{slug}/leaderboard.csv`: the leaderboard as a spreadsheet reads it,
//! streamed.

use agora_schemas::{Benchmark, Leaderboard};
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use sqlx::PgPool;

use crate::app::AppState;
use crate::db::results::{self, BoardView};
use crate::db::{PageRequest, benchmarks};
use crate::error::{Error, Result};
use crate::http::pages::view::benchmarks::{SortQuery, hardware_text};
use crate::policy::Caller;

/// A CSV field: quoted when needed; text that a spreadsheet would run as a formula is
/// prefixed with `'`.
pub fn csv_field(value: &str, text: bool) -> String {
    let value = if text && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The first line of the download.
const HEADER: &str = "benchmark,organisation,rank,model,version,metric,direction,value,metrics,agent,executor,hardware,run,job,recorded_at,demo\n";

/// Entries read from the database and written at a time.
const PAGE: u32 = 500;

/// The lines of a page of the leaderboard, one per model and organisation.
pub fn lines(board: &Leaderboard) -> String {
    let mut out = String::new();
    for e in &board.entries {
        let metrics = e
            .metrics
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(";");
        let fields = [
            csv_field(&board.benchmark, true),
            csv_field(&e.organisation, true),
            e.rank.to_string(),
            csv_field(&format!("{}/{}", e.model.organisation, e.model.name), true),
            csv_field(&e.model.version, true),
            csv_field(&board.primary_metric, true),
            board.direction.as_str().to_string(),
            e.value.to_string(),
            csv_field(&metrics, true),
            csv_field(&e.agent, true),
            e.executor.as_str().to_string(),
            csv_field(&hardware_text(e.hardware.as_ref()), true),
            e.run_id.to_string(),
            e.job_id.to_string(),
            e.recorded_at.to_rfc3339(),
            e.demo.to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// What the download has still to write.
struct Rest {
    db: PgPool,
    caller: Caller,
    benchmark_id: i64,
    benchmark: Benchmark,
    view: BoardView,
}

impl Rest {
    /// The next page's lines, or `None` after the last.
    async fn next(mut self) -> Result<Option<(Bytes, Self)>> {
        let mut conn = self.db.acquire().await?;
        let board = results::leaderboard(
            &mut conn,
            &self.caller,
            self.benchmark_id,
            &self.benchmark,
            &self.view,
        )
        .await?;
        drop(conn);
        if board.entries.is_empty() {
            return Ok(None);
        }
        self.view.page.page += 1;
        Ok(Some((Bytes::from(lines(&board)), self)))
    }
}

/// `/benchmarks/{slug}/leaderboard.csv`: the whole leaderboard, written a page at a time
/// as it is read, so that a download holds one page whatever the leaderboard's size and
/// holds a database connection only while it reads one.
pub async fn leaderboard_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(q): Query<SortQuery>,
) -> Result<Response> {
    let mut conn = state.db.acquire().await?;
    let (benchmark_id, benchmark) = benchmarks::find(&mut conn, &caller, &slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("benchmark `{slug}`")))?;
    drop(conn);
    let rest = Rest {
        db: state.db.clone(),
        caller,
        benchmark_id,
        benchmark,
        view: BoardView {
            organisation: None,
            sort: q.sort.unwrap_or_default(),
            page: PageRequest {
                page: 1,
                per_page: PAGE,
            },
        },
    };
    let pages = futures_util::stream::try_unfold(rest, |rest| async move {
        rest.next().await.inspect_err(|e| {
            // The status line is sent already: the reader sees a cut file.
            tracing::error!(error = %e, "the leaderboard could not be written to its end");
        })
    });
    let body = futures_util::stream::once(async { Ok(Bytes::from_static(HEADER.as_bytes())) })
        .chain(pages);
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}-leaderboard.csv\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("insee/a", true), "insee/a");
        assert_eq!(csv_field("a,b", true), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"", true), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=cmd()", true), "'=cmd()");
        assert_eq!(csv_field("-0.5", false), "-0.5");
    }
}
