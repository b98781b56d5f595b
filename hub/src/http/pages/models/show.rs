//! `/models/{organisation}/{name}`: one card, its text, versions, evaluation results,
//! standings, provenance and activity.

use agora_schemas::{ModelCard, ModelVersion};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use self::standings::StandingRow;
use crate::app::AppState;
use crate::auth::Identity;
use crate::db::{models, overview, results};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::pages::models::standings;
use crate::http::pages::view::assessments::{self, AssessmentCard};
use crate::http::pages::view::facts::{Fact, ProvenanceView, fact};
use crate::http::pages::view::glance::{Chip, Glance};
use crate::http::pages::view::lookup::{self, Named};
use crate::http::pages::view::markdown::to_html;
use crate::http::pages::view::{self, ActivityItem, chart, errors, form};
use crate::http::pages::{Layout, render};
use crate::i18n::Lang;
use crate::policy::write;

/// The page of a model's versions its page shows.
#[derive(Deserialize, Default)]
struct ShowQuery {
    page: Option<u32>,
}

/// Versions per page of a model's page.
const VERSIONS_PER_PAGE: u32 = 20;

/// A section of the card's text, already sanitised.
struct TextSection {
    id: &'static str,
    heading: String,
    html: String,
}

struct VersionRow {
    version: String,
    stage: String,
    aliases: String,
    registered: String,
    artifact: String,
    description: String,
}

struct ResultRow {
    version: String,
    metric: String,
    value: String,
    dataset: String,
    split: String,
}

#[derive(Template)]
#[template(path = "models/show.html")]
struct ModelPage {
    text_lang: String,
    layout: Layout,
    /// schema.org JSON-LD of the card, escaped for a `<script>` element.
    json_ld: String,
    title: String,
    key: String,
    summary: Option<String>,
    organisation: Named,
    visibility: String,
    can_edit: bool,
    edit_href: String,
    /// The model at a glance, above everything else.
    glance: Glance,
    /// Where to compare its QF4SA assessment with another model's.
    compare_href: String,
    facts: Vec<Fact>,
    /// The data sets the card names, each a link to a search for it.
    datasets: Vec<Chip>,
    tags: Vec<String>,
    sections: Vec<TextSection>,
    /// A page of the versions, newest first.
    versions: Vec<VersionRow>,
    pager: view::Pager,
    results: Vec<ResultRow>,
    /// Results of shared benchmarks, as their leaderboards rank them.
    standings: Vec<StandingRow>,
    provenance: ProvenanceView,
    activity: Vec<ActivityItem>,
    /// QF4SA and ethics assessments of the model's versions.
    assessment_cards: Vec<AssessmentCard>,
    /// Values of the card kept as written that the hub could not use (its organisation
    /// only: the card's reader gets none).
    warnings: Vec<agora_schemas::sync::ItemWarning>,
}

/// The facts of the side panel; task, languages, licence and framework are chips of the
/// summary strip instead.
fn facts_of(lang: Lang, card: &ModelCard, project: Option<Named>) -> Vec<Fact> {
    let s = &card.spec;
    let mut facts = Vec::new();
    if let Some(p) = project {
        facts.push(Fact {
            label: lang.t("model-facts-project"),
            href: Some(format!("/projects/{}", p.slug)),
            value: p.label,
        });
    }
    for (label, value) in [
        ("model-facts-pipeline", s.pipeline_tag.clone()),
        (
            "model-facts-licence-name",
            s.license_name.clone().or_else(|| s.license_link.clone()),
        ),
        (
            "model-facts-base-model",
            (!s.base_model.is_empty()).then(|| s.base_model.joined(", ")),
        ),
        ("model-facts-latest-version", card.latest_version.clone()),
    ] {
        if let Some(v) = value {
            facts.push(fact(lang, label, v));
        }
    }
    if !s.metrics.is_empty() {
        facts.push(fact(lang, "model-facts-metrics", s.metrics.joined(", ")));
    }
    facts
}

/// The data sets a card names, each a link to a search for it.
fn datasets_of(card: &ModelCard) -> Vec<Chip> {
    card.spec
        .datasets
        .texts()
        .into_iter()
        .map(|name| Chip {
            label: name.to_string(),
            href: format!(
                "/search?q={}",
                form_urlencoded::byte_serialize(format!("\"{name}\"").as_bytes())
                    .collect::<String>()
            ),
            title: None,
        })
        .collect()
}

fn sections_of(lang: Lang, card: &ModelCard) -> Vec<TextSection> {
    let s = &card.spec;
    [
        ("card-body", "model-section-card-body", &s.body),
        (
            "intended-use",
            "model-section-intended-use",
            &s.intended_use,
        ),
        (
            "training-data",
            "model-section-training-data",
            &s.training_data,
        ),
        ("limitations", "model-section-limitations", &s.limitations),
        ("ethics", "model-section-ethics", &s.ethical_considerations),
    ]
    .into_iter()
    .filter_map(|(id, heading, text)| {
        text.as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| TextSection {
                id,
                heading: lang.t(heading),
                html: to_html(t),
            })
    })
    .collect()
}

fn results_of(lang: Lang, card: &ModelCard, versions: &[ModelVersion]) -> Vec<ResultRow> {
    let mut rows: Vec<ResultRow> = versions
        .iter()
        .flat_map(|v| {
            v.spec.results.iter().map(|r| ResultRow {
                version: v.spec.version.clone(),
                metric: r.metric.clone(),
                value: chart::decimal(lang, r.value),
                dataset: r.dataset.clone(),
                split: r.split.clone().unwrap_or_default(),
            })
        })
        .collect();
    for entry in &card.spec.model_index {
        for result in &entry.results {
            for m in &result.metrics {
                rows.push(ResultRow {
                    version: lang.t("model-results-as-reported"),
                    metric: m.name.clone().unwrap_or_else(|| m.metric_type.clone()),
                    value: match m.number() {
                        Some(v) => chart::decimal(lang, v),
                        None => match &m.value {
                            serde_json::Value::String(text) => text.clone(),
                            other => other.to_string(),
                        },
                    },
                    dataset: result.dataset.name.clone(),
                    split: result.dataset.split.clone().unwrap_or_default(),
                });
            }
        }
    }
    rows
}

async fn build_show(
    state: &AppState,
    who: &Identity,
    organisation: &str,
    name: &str,
    raw: Option<&str>,
) -> Result<Response, Error> {
    let caller = &who.caller;
    let mut conn = state.db.acquire().await?;
    let key = format!("{organisation}/{name}");
    let card = models::get(&mut conn, caller, organisation, name)
        .await?
        .ok_or_else(|| Error::NotFound(format!("model `{key}`")))?;
    let q: ShowQuery = form::query(raw)?;
    let page = crate::http::extract::page_request(q.page, Some(VERSIONS_PER_PAGE))?;
    let (versions, total_versions) =
        models::versions_page(&mut conn, caller, organisation, name, page)
            .await?
            .unwrap_or_default();
    let pager = view::Pager::new(
        &format!("/models/{organisation}/{name}"),
        &[],
        page.page,
        page.per_page,
        total_versions,
    );
    let project = match &card.spec.project {
        Some(slug) => crate::db::projects::get(&mut conn, caller, slug)
            .await?
            .map(|p| Named {
                slug: p.spec.slug.to_string(),
                label: p.spec.title,
            }),
        None => None,
    };
    let json_ld = super::view::structured::model(
        &mut conn,
        &state.config.public_url(),
        &card,
        &versions,
        project.as_ref(),
    )
    .await?;
    let org_names = lookup::organisations(&mut conn).await?;
    let events = overview::model_events(&mut conn, caller, &key, 15).await?;
    let assessment_cards = assessments::cards(&mut conn, caller, None, Some(&key)).await?;
    let standings = results::standings_of_model(&mut conn, caller, organisation, name).await?;
    let headline = models::headlines(
        &mut conn,
        caller,
        &[(organisation.to_string(), name.to_string())],
    )
    .await?
    .into_values()
    .next();
    let title = card
        .spec
        .title
        .clone()
        .unwrap_or_else(|| card.spec.name.to_string());
    let description = card.spec.summary.clone().unwrap_or_else(|| {
        who.lang
            .msg("model-description")
            .arg("title", &title)
            .to_string()
    });
    let body = ModelPage {
        warnings: card.warnings.clone(),
        layout: Layout::new(who, "models", description),
        json_ld,
        key: key.clone(),
        summary: card.spec.summary.clone(),
        organisation: Named {
            slug: organisation.to_string(),
            label: org_names
                .get(organisation)
                .cloned()
                .unwrap_or_else(|| organisation.to_string()),
        },
        visibility: view::visibility_label(who.lang, card.spec.visibility),
        can_edit: caller.signed_in && write::can_write_model(caller, organisation),
        edit_href: format!("/models/{key}/edit"),
        glance: Glance::new(who.lang, &card.spec, headline.as_ref()),
        compare_href: format!("/assessments/compare?model={key}"),
        facts: facts_of(who.lang, &card, project),
        datasets: datasets_of(&card),
        tags: card.spec.tags.iter().map(|t| t.to_string()).collect(),
        sections: sections_of(who.lang, &card),
        results: results_of(who.lang, &card, &versions),
        standings: standings::rows(who.lang, &standings),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                version: v.spec.version.clone(),
                stage: v
                    .spec
                    .stage
                    .map(|s| who.lang.t(&format!("model-version-stage-{}", s.as_str())))
                    .unwrap_or_default(),
                aliases: v.spec.aliases.join(", "),
                registered: v
                    .spec
                    .registered_at
                    .map(|t| view::date(who.lang, t))
                    .unwrap_or_default(),
                artifact: v.spec.artifact_uri.clone().unwrap_or_default(),
                description: v.spec.description.clone().unwrap_or_default(),
            })
            .collect(),
        pager,
        provenance: ProvenanceView::new(
            who.lang,
            &card.provenance,
            card.created_at,
            card.updated_at,
        ),
        activity: view::activity(who.lang, events, caller.signed_in),
        assessment_cards,
        text_lang: card.spec.text_language().to_string(),
        title,
    };
    Ok(render(StatusCode::OK, &body))
}

pub async fn show(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path((organisation, name)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Response {
    let outcome = build_show(&state, &who, &organisation, &name, raw.as_deref()).await;
    errors::or_page(&who, &format!("/models/{organisation}/{name}"), outcome)
}
