//! `/models/{organisation}/{name}/edit`: the model card form, for the owning organisation's
//! people (and administrators). Checked on the server by the same schema as the API; a
//! refused save shows the form again with the message next to its field.

use agora_schemas::{MlTask, ModelCard, ModelCardInput, Origin, Visibility};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::{SaveMode, models, projects};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::form::CsrfForm;
use crate::http::pages::Layout;
use crate::http::pages::view::form::{self, EditPage, Field, Posted, comma_list, lines, optional};
use crate::http::pages::view::{self, Choice, errors};
use crate::i18n::Lang;
use crate::policy::write;

/// The card's fields the form edits, as text.
const TEXTS: [&str; 13] = [
    "title",
    "summary",
    "body",
    "intended_use",
    "training_data",
    "limitations",
    "ethical_considerations",
    "task",
    "library_name",
    "license",
    "project",
    "visibility",
    "text_language",
];
const LISTS: [&str; 3] = ["language", "tags", "datasets"];

struct Values(Vec<(&'static str, String)>);

impl Values {
    fn of(c: &ModelCardInput) -> Self {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        Self(vec![
            ("title", o(&c.title)),
            ("summary", o(&c.summary)),
            ("body", o(&c.body)),
            ("intended_use", o(&c.intended_use)),
            ("training_data", o(&c.training_data)),
            ("limitations", o(&c.limitations)),
            ("ethical_considerations", o(&c.ethical_considerations)),
            (
                "task",
                c.task
                    .as_ref()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
            ),
            ("library_name", o(&c.library_name)),
            (
                "license",
                c.license
                    .as_ref()
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            ),
            (
                "project",
                c.project
                    .as_ref()
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            ),
            ("visibility", c.visibility.as_str().to_string()),
            (
                "text_language",
                c.text_language.as_deref().unwrap_or_default().to_string(),
            ),
            (
                "language",
                c.language
                    .iter()
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("tags", c.tags.joined(", ")),
            ("datasets", c.datasets.joined("\n")),
        ])
    }

    fn posted(form: &Posted) -> Self {
        Self(
            TEXTS
                .iter()
                .chain(LISTS.iter())
                .map(|n| (*n, form.get(n)))
                .collect(),
        )
    }

    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    /// The card to save, as JSON: the stored one with the form's fields put in, for the
    /// schema's strict decoder (which names the field at fault).
    fn apply(&self, current: &ModelCardInput) -> Result<serde_json::Value, Error> {
        let mut json = serde_json::to_value(current).map_err(|e| Error::Internal(e.to_string()))?;
        if let Some(object) = json.as_object_mut() {
            for name in TEXTS {
                match optional(self.get(name)) {
                    Some(v) => object.insert(name.to_string(), v.into()),
                    None => object.remove(name),
                };
            }
            object.insert("language".into(), comma_list(self.get("language")).into());
            object.insert("tags".into(), comma_list(self.get("tags")).into());
            object.insert("datasets".into(), lines(self.get("datasets")).into());
        }
        Ok(json)
    }
}

fn fields(lang: Lang, v: &Values) -> Vec<Field> {
    let tasks = MlTask::ALL
        .into_iter()
        .map(|t| (t.as_str().to_string(), view::task_label(lang, t)));
    let visibilities = Visibility::ALL
        .into_iter()
        .map(|s| (s.as_str().to_string(), view::visibility_label(lang, s)));
    let t = |key: &str| lang.t(key);
    let text = |name, label: &str, hint: &str| Field::text(name, t(label), t(hint), v.get(name));
    let area = |name, label: &str, hint: &str, rows| {
        let hint = if hint.is_empty() {
            String::new()
        } else {
            t(hint)
        };
        Field::area(name, t(label), hint, v.get(name), rows)
    };
    vec![
        text("title", "edit-field-title", "edit-model-title-hint"),
        area(
            "summary",
            "edit-field-summary",
            "edit-model-summary-hint",
            2,
        ),
        area("body", "edit-model-body", "edit-model-body-hint", 12),
        area("intended_use", "edit-model-intended-use", "", 4),
        area("training_data", "edit-model-training-data", "", 4),
        area("limitations", "edit-model-limitations", "", 4),
        area(
            "ethical_considerations",
            "edit-model-ethical-considerations",
            "",
            4,
        ),
        Field::choose(
            "task",
            t("edit-field-task"),
            "select",
            Choice::list(tasks, v.get("task")),
        ),
        text(
            "library_name",
            "edit-model-framework",
            "edit-model-framework-hint",
        ),
        text("license", "edit-model-licence", "edit-model-licence-hint")
            .suggesting(form::licence_suggestions()),
        text("project", "edit-model-project", "edit-model-project-hint"),
        text(
            "language",
            "edit-field-languages",
            "edit-model-languages-hint",
        )
        .suggesting(form::language_suggestions(lang)),
        text(
            "text_language",
            "edit-field-text-language",
            "edit-field-text-language-hint",
        ),
        text("tags", "edit-field-tags", "edit-field-tags-hint"),
        area(
            "datasets",
            "edit-model-datasets",
            "edit-model-datasets-hint",
            3,
        ),
        Field::choose(
            "visibility",
            t("edit-field-visibility"),
            "radios",
            Choice::list(visibilities, v.get("visibility")),
        ),
    ]
}

fn page(who: &Identity, card: &ModelCard, v: &Values) -> EditPage {
    let lang = who.lang;
    let key = format!("{}/{}", card.spec.organisation, card.spec.name);
    let title = card.spec.title.clone().unwrap_or_else(|| key.clone());
    EditPage {
        layout: Layout::new(
            who,
            "models",
            lang.msg("edit-model-description")
                .arg("title", &title)
                .to_string(),
        ),
        heading: lang.msg("edit-heading").arg("title", &title).to_string(),
        intro: lang.t("edit-model-intro"),
        note: match card.provenance.origin {
            Origin::Manual => None,
            Origin::Git | Origin::Agent => {
                let its_source = lang.t("edit-sync-its-source");
                let source = card.provenance.source.as_deref().unwrap_or(&its_source);
                Some(
                    lang.msg("edit-model-sync-note")
                        .arg("source", source)
                        .to_string(),
                )
            }
        },
        action: format!("/models/{key}/edit"),
        cancel: format!("/models/{key}"),
        csrf: who.csrf_token().unwrap_or_default().to_string(),
        fields: fields(lang, v),
        general_error: None,
        preview: Vec::new(),
    }
}

async fn editable(
    state: &AppState,
    who: &Identity,
    organisation: &str,
    name: &str,
) -> Result<ModelCard, Error> {
    write::require(&who.caller, true, "edit model cards")?;
    let mut conn = state.db.acquire().await?;
    let card = models::get(&mut conn, &who.caller, organisation, name)
        .await?
        .ok_or_else(|| Error::NotFound(format!("model `{organisation}/{name}`")))?;
    write::require(
        &who.caller,
        write::can_write_model(&who.caller, organisation),
        "edit this model card: it belongs to another organisation",
    )?;
    Ok(card)
}

pub async fn form(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path((organisation, name)): Path<(String, String)>,
) -> Response {
    let outcome = async {
        let card = editable(&state, &who, &organisation, &name).await?;
        Ok(page(&who, &card, &Values::of(&card.spec)).respond())
    }
    .await;
    errors::or_page(
        &who,
        &format!("/models/{organisation}/{name}/edit"),
        outcome,
    )
}

pub async fn save(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path((organisation, name)): Path<(String, String)>,
    CsrfForm(posted): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let path = format!("/models/{organisation}/{name}/edit");
    let outcome = async {
        let card = editable(&state, &who, &organisation, &name).await?;
        let posted = Posted(posted);
        let values = Values::posted(&posted);
        if !posted.get("preview").is_empty() {
            return Ok(page(&who, &card, &values)
                .with_preview(&[
                    "summary",
                    "body",
                    "intended_use",
                    "training_data",
                    "limitations",
                    "ethical_considerations",
                ])
                .respond());
        }
        let refuse = |field: &str, message: String| {
            Ok::<_, Error>(
                page(&who, &card, &values)
                    .with_error(field, message)
                    .respond(),
            )
        };
        let stored =
            serde_json::to_value(&card.spec).map_err(|e| Error::Internal(e.to_string()))?;
        let input: ModelCardInput = match form::decode_every(&stored, &values.apply(&card.spec)?) {
            Ok(input) => input,
            Err(Ok(all)) => {
                return Ok(page(&who, &card, &values).with_errors(all).respond());
            }
            Err(Err(e)) => return Err(e),
        };
        let mut tx = state.db.begin().await?;
        if let Some(project) = &input.project {
            match projects::check_link(&mut tx, &who.caller, "project", project).await {
                Ok(()) => {}
                Err(Error::Invalid(f)) => return refuse(&f.field, f.message),
                Err(e) => return Err(e),
            }
        }
        match models::save_card(&mut tx, &input, &who.caller.actor, SaveMode::Replace, None).await {
            Ok(_) => {}
            Err(Error::Invalid(f)) => return refuse(&f.field, f.message),
            Err(e) => return Err(e),
        }
        tx.commit().await?;
        Ok(Redirect::to(&format!("/models/{organisation}/{name}")).into_response())
    }
    .await;
    errors::or_page(&who, &path, outcome)
}
