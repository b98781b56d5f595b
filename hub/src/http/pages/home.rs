//! `/`: the front page. A search box, how many organisations, projects, models and
//! benchmarks the caller may see, a card per workstream with its projects by journey
//! stage, and the latest activity the caller may see.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::events::{self, EventFilter};
use crate::db::{PageRequest, benchmarks, models, organisations, overview, projects, workstreams};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::view::glance::Glance;
use crate::http::pages::view::projects::{StageCount, stage_counts};
use crate::http::pages::view::{self, ActivityItem, errors, lookup};
use crate::http::pages::{Layout, render};

struct WorkstreamCard {
    slug: String,
    code: String,
    title: String,
    goal: String,
    /// The language the workstream is described in.
    text_lang: &'static str,
    total: i64,
    stages: Vec<StageCount>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    counts: Vec<Count>,
    workstreams: Vec<WorkstreamCard>,
    newest: Vec<NewModel>,
    activity: Vec<ActivityItem>,
}

/// A recently shared model, with its headline.
struct NewModel {
    href: String,
    title: String,
    text_lang: String,
    organisation: String,
    glance: Glance,
}

/// How many of the newest models the front page lists.
const NEWEST: u32 = 5;

async fn newest_models(
    conn: &mut sqlx::PgConnection,
    who: &Identity,
) -> Result<Vec<NewModel>, Error> {
    let filter = models::ModelFilter {
        order: models::ModelOrder::Created,
        ..Default::default()
    };
    let page = PageRequest {
        page: 1,
        per_page: NEWEST,
    };
    let (cards, _) = models::list(conn, &who.caller, &filter, page).await?;
    let keys: Vec<(String, String)> = cards
        .iter()
        .map(|c| (c.spec.organisation.to_string(), c.spec.name.to_string()))
        .collect();
    let headlines = models::headlines(conn, &who.caller, &keys).await?;
    let names = lookup::organisations(conn).await?;
    Ok(cards
        .iter()
        .zip(&keys)
        .map(|(c, key)| NewModel {
            href: format!("/models/{}/{}", key.0, key.1),
            title: c.spec.title.clone().unwrap_or_else(|| key.1.clone()),
            text_lang: c.spec.text_language().to_string(),
            organisation: names.get(&key.0).cloned().unwrap_or_else(|| key.0.clone()),
            glance: Glance::from_headline(
                who.lang,
                headlines.get(key).unwrap_or(&Default::default()),
            ),
        })
        .collect())
}

/// One of the front page's counts: what, in words, and where the list is.
struct Count {
    href: &'static str,
    text: String,
}

/// How many organisations, projects, models and benchmarks the caller may see: the totals
/// of their lists, read under the same rule.
async fn totals(conn: &mut sqlx::PgConnection, who: &Identity) -> Result<Vec<Count>, Error> {
    let one = PageRequest {
        page: 1,
        per_page: 1,
    };
    let caller = &who.caller;
    let (_, orgs) = organisations::list(conn, one).await?;
    let (_, projects) = projects::list(conn, caller, &Default::default(), one).await?;
    let (_, models) = models::list(conn, caller, &Default::default(), one).await?;
    let (_, benchmarks) = benchmarks::list(conn, caller, &Default::default(), one).await?;
    Ok([
        ("/organisations", "home-count-organisations", orgs),
        ("/projects", "home-count-projects", projects),
        ("/models", "home-count-models", models),
        ("/benchmarks", "home-count-benchmarks", benchmarks),
    ]
    .into_iter()
    .map(|(href, key, count)| Count {
        href,
        text: who.lang.msg(key).arg("count", count).to_string(),
    })
    .collect())
}

fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map(|i| i + 1).unwrap_or(text.len());
    text[..end].trim().to_string()
}

async fn build(state: &AppState, who: &Identity) -> Result<Response, Error> {
    let caller = &who.caller;
    let mut conn = state.db.acquire().await?;
    let all = PageRequest {
        page: 1,
        per_page: 100,
    };
    let (list, _) = workstreams::list(&mut conn, caller, all).await?;
    let counts = overview::stages_by_workstream(&mut conn, caller).await?;
    let workstreams = list
        .into_iter()
        .map(|w| {
            let (total, stages) = stage_counts(who.lang, counts.get(w.spec.slug.as_str()));
            WorkstreamCard {
                slug: w.spec.slug.to_string(),
                code: w.spec.code,
                title: w.spec.title,
                goal: super::view::markdown::first_paragraph_text(
                    &first_sentence(&w.spec.goal),
                    200,
                ),
                text_lang: view::HUB_TEXT_LANG,
                total,
                stages,
            }
        })
        .collect();
    let totals = totals(&mut conn, who).await?;
    let newest = newest_models(&mut conn, who).await?;
    let recent = events::list(
        &mut *conn,
        caller,
        &EventFilter {
            limit: 12,
            ..EventFilter::default()
        },
    )
    .await?;
    let body = HomePage {
        layout: Layout::new(who, "home", who.lang.t("home-description")),
        counts: totals,
        workstreams,
        newest,
        activity: view::activity(who.lang, recent, caller.signed_in),
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn page(State(state): State<AppState>, PageIdentity(who): PageIdentity) -> Response {
    errors::or_page(&who, "/", build(&state, &who).await)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_goal_is_shortened_to_its_first_sentence() {
        assert_eq!(
            super::first_sentence("Share pilots. Then more."),
            "Share pilots."
        );
        assert_eq!(super::first_sentence("No full stop"), "No full stop");
    }
}
