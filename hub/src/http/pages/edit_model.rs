//! `/models/{organisation}/{name}/edit`: the model card form, for the owning organisation's
//! people (and administrators). Checked on the server by the same schema as the API; a
//! refused save shows the form again with the message next to its field.

use agora_schemas::{MlTask, ModelCard, ModelCardInput, Origin, Visibility};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::form::{EditPage, Field, Posted, comma_list, lines, optional};
use super::view::{self, Choice};
use super::{Layout, errors};
use crate::app::AppState;
use crate::auth::Identity;
use crate::auth::csrf::{CsrfForm, PageIdentity};
use crate::db::{SaveMode, models};
use crate::error::Error;
use crate::i18n::Lang;
use crate::policy::write;

/// The card's fields the form edits, as text.
const TEXTS: [&str; 12] = [
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
                c.task.map(|t| t.as_str().to_string()).unwrap_or_default(),
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
                "language",
                c.language
                    .iter()
                    .map(|l| l.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("tags", c.tags.join(", ")),
            ("datasets", c.datasets.join("\n")),
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

    /// The card to save: the stored one with the form's fields put in, decoded by the
    /// schema's strict decoder (which names the field at fault).
    fn apply(&self, current: &ModelCardInput) -> Result<ModelCardInput, Error> {
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
        let bytes = serde_json::to_vec(&json).map_err(|e| Error::Internal(e.to_string()))?;
        Ok(agora_schemas::decode::from_json(&bytes)?)
    }
}

fn fields(lang: Lang, v: &Values) -> Vec<Field> {
    let tasks = MlTask::ALL
        .into_iter()
        .map(|t| (t.as_str().to_string(), view::task_label(lang, t)));
    let visibilities = Visibility::ALL
        .into_iter()
        .map(|s| (s.as_str().to_string(), view::visibility_label(lang, s)));
    let text = |name, label, hint| Field::text(name, label, hint, v.get(name));
    let area = |name, label, hint, rows| Field::area(name, label, hint, v.get(name), rows);
    vec![
        text(
            "title",
            "Title",
            "A readable name, such as “NACE activity coder”.",
        ),
        area(
            "summary",
            "Summary",
            "One or two sentences on what the model does.",
            2,
        ),
        area(
            "body",
            "Model card",
            "The card's text. Markdown is allowed; it is shown sanitised.",
            12,
        ),
        area("intended_use", "Intended use", "", 4),
        area("training_data", "Training data", "", 4),
        area("limitations", "Limitations", "", 4),
        area("ethical_considerations", "Ethical considerations", "", 4),
        Field::choose(
            "task",
            "Machine learning task",
            "select",
            Choice::list(tasks, v.get("task")),
        ),
        text(
            "library_name",
            "Framework",
            "Such as fasttext, scikit-learn or transformers.",
        ),
        text(
            "license",
            "Licence",
            "An SPDX identifier, such as mit or apache-2.0.",
        ),
        text(
            "project",
            "Project",
            "The slug of the project the model belongs to.",
        ),
        text(
            "language",
            "Languages",
            "Language codes, separated by commas.",
        ),
        text("tags", "Tags", "Separated by commas."),
        area(
            "datasets",
            "Data sets",
            "One name per line (names only: data stays home).",
            3,
        ),
        Field::choose(
            "visibility",
            "Who may see it",
            "radios",
            Choice::list(visibilities, v.get("visibility")),
        ),
    ]
}

fn page(who: &Identity, card: &ModelCard, v: &Values) -> EditPage {
    let key = format!("{}/{}", card.spec.organisation, card.spec.name);
    let title = card.spec.title.clone().unwrap_or_else(|| key.clone());
    EditPage {
        layout: Layout::new(who, "models", format!("Edit the model card “{title}”.")),
        heading: format!("Edit “{title}”"),
        intro: "Changes are recorded in the model's activity. Versions and evaluation results come from the registry and are not edited here.".into(),
        note: match card.provenance.origin {
            Origin::Manual => None,
            Origin::Git | Origin::Agent => Some(format!(
                "This card is kept in sync from {}: changes made here are replaced at its next \
                 sync unless they are also made at the source.",
                card.provenance.source.as_deref().unwrap_or("its source")
            )),
        },
        action: format!("/models/{key}/edit"),
        cancel: format!("/models/{key}"),
        csrf: who.csrf_token().unwrap_or_default().to_string(),
        fields: fields(who.lang, v),
        general_error: None,
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
        let values = Values::posted(&Posted(posted));
        let refuse = |field: &str, message: String| {
            Ok::<_, Error>(
                page(&who, &card, &values)
                    .with_error(field, message)
                    .respond(),
            )
        };
        let input = match values.apply(&card.spec) {
            Ok(input) => input,
            Err(Error::Invalid(f)) => return refuse(&f.field, f.message),
            Err(e) => return Err(e),
        };
        let mut tx = state.db.begin().await?;
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
