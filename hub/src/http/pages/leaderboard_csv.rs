//! `/benchmarks/{slug}/leaderboard.csv`: the leaderboard as a spreadsheet reads it.

use agora_schemas::Leaderboard;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use super::benchmarks::{SortQuery, board, hardware_text};
use crate::app::AppState;
use crate::error::Result;
use crate::http::api::benchmarks::sort_entries;
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

/// The leaderboard as CSV, one line per model and organisation.
pub fn csv(board: &Leaderboard) -> String {
    let mut out = String::from(
        "benchmark,organisation,rank,model,version,metric,direction,value,metrics,agent,executor,hardware,run,job,recorded_at,demo\n",
    );
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

/// `/benchmarks/{slug}/leaderboard.csv`.
pub async fn leaderboard_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    Query(q): Query<SortQuery>,
) -> Result<Response> {
    let (_, mut board) = board(&state, &caller, &slug).await?;
    sort_entries(
        &mut board.entries,
        board.direction,
        q.sort.unwrap_or_default(),
    );
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{slug}-leaderboard.csv\""),
            ),
        ],
        csv(&board),
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
