//! `/activity`: what happened, newest first and grouped by day, filtered by workstream,
//! organisation, kind of item and period (today, this week, this month), paged with a
//! cursor (events older than the last one shown).

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::events::{self, EventFilter};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view::{self, ActivityItem, Choice, errors, form, lookup};
use crate::http::pages::{Layout, render};

const PER_PAGE: i64 = 30;

/// The kinds of item the feed can be narrowed to, with their labels' message keys.
const KINDS: [(&str, &str); 6] = [
    ("project", "activity-kind-projects"),
    ("model", "activity-kind-models"),
    ("model_version", "activity-kind-model-versions"),
    ("membership", "activity-kind-memberships"),
    ("workstream", "activity-kind-workstreams"),
    ("organisation", "activity-kind-organisations"),
];

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    layout: Layout,
    activity: Vec<ActivityItem>,
    workstreams: Vec<Choice>,
    organisations: Vec<Choice>,
    kinds: Vec<Choice>,
    periods: Vec<Choice>,
    filtered: bool,
    older: Option<String>,
}

#[derive(Deserialize, Default)]
struct ActivityQuery {
    workstream: Option<String>,
    organisation: Option<String>,
    kind: Option<String>,
    period: Option<String>,
    before: Option<i64>,
}

/// The periods the feed can be narrowed to, with their labels' message keys.
const PERIODS: [(&str, &str); 3] = [
    ("today", "activity-period-today"),
    ("week", "activity-period-week"),
    ("month", "activity-period-month"),
];

/// When a period starts: today at midnight UTC, the last seven days, the last thirty.
fn period_start(period: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let midnight = now.date_naive().and_time(NaiveTime::MIN).and_utc();
    match period {
        "today" => Some(midnight),
        "week" => Some(midnight - Duration::days(6)),
        "month" => Some(midnight - Duration::days(29)),
        _ => None,
    }
}

async fn build(state: &AppState, who: &Identity, raw: Option<&str>) -> Result<Response, Error> {
    let q: ActivityQuery = form::query(raw)?;
    let nonempty = |v: Option<String>| v.filter(|s| !s.is_empty());
    let (ws, org, kind, period) = (
        nonempty(q.workstream),
        nonempty(q.organisation),
        nonempty(q.kind),
        nonempty(q.period),
    );
    let since = match &period {
        Some(p) => Some(period_start(p, Utc::now()).ok_or_else(|| {
            Error::invalid("period", format!("`{p}` is not one of today, week, month"))
        })?),
        None => None,
    };
    if let Some(k) = &kind
        && !KINDS.iter().any(|(key, _)| key == k)
    {
        return Err(Error::invalid(
            "kind",
            format!("`{k}` is not a kind of item"),
        ));
    }
    let mut conn = state.db.acquire().await?;
    let ws_names = lookup::workstreams(&mut conn, &who.caller).await?;
    let org_names = lookup::organisations(&mut conn).await?;
    let found = events::list(
        &mut *conn,
        &who.caller,
        &EventFilter {
            before: q.before,
            since,
            limit: PER_PAGE + 1,
            workstream: ws.clone(),
            organisation: org.clone(),
            subject_kind: kind.clone(),
            ..EventFilter::default()
        },
    )
    .await?;
    let more = found.len() as i64 > PER_PAGE;
    let shown: Vec<_> = found.into_iter().take(PER_PAGE as usize).collect();
    let [ws, org, kind, period] = [ws, org, kind, period].map(Option::unwrap_or_default);
    let older = match (more, shown.last()) {
        (true, Some(last)) => {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (k, v) in [
                ("workstream", &ws),
                ("organisation", &org),
                ("kind", &kind),
                ("period", &period),
            ] {
                if !v.is_empty() {
                    s.append_pair(k, v);
                }
            }
            s.append_pair("before", &last.id.to_string());
            Some(format!("/activity?{}", s.finish()))
        }
        _ => None,
    };
    let sorted = |m: std::collections::HashMap<String, String>| {
        let mut v: Vec<(String, String)> = m.into_iter().collect();
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v
    };
    let body = ActivityPage {
        layout: Layout::new(who, "activity", who.lang.t("activity-description")),
        activity: view::activity(who.lang, shown, who.caller.signed_in),
        filtered: !(ws.is_empty() && org.is_empty() && kind.is_empty() && period.is_empty()),
        periods: Choice::list(
            PERIODS.iter().map(|(k, l)| (k.to_string(), who.lang.t(l))),
            &period,
        ),
        workstreams: Choice::list(sorted(ws_names), &ws),
        organisations: Choice::list(sorted(org_names), &org),
        kinds: Choice::list(
            KINDS.iter().map(|(k, l)| (k.to_string(), who.lang.t(l))),
            &kind,
        ),
        older,
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn page(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    RawQuery(raw): RawQuery,
) -> Response {
    let outcome = build(&state, &who, raw.as_deref()).await;
    errors::or_page(&who, "/activity", outcome)
}
