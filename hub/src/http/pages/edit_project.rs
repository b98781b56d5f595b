//! `/projects/{slug}/edit`: the project form, for the people of its organisations (and
//! administrators). Every field is checked on the server by the same schema as the API;
//! a refused save shows the form again with the message next to its field.

use agora_schemas::{JourneyStage, MlTask, Origin, Project, ProjectInput, Visibility};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::auth::Identity;
use crate::db::{SaveMode, projects};
use crate::error::Error;
use crate::http::auth::PageIdentity;
use crate::http::form::CsrfForm;
use crate::http::pages::Layout;
use crate::http::pages::view::form::{self, EditPage, Field, Posted, comma_list, lines, optional};
use crate::http::pages::view::{self, Choice, errors, lookup};
use crate::i18n::Lang;
use crate::policy::write;

/// What the form shows: the stored project, or what was posted.
struct Values {
    title: String,
    summary: String,
    stage: String,
    task: String,
    gsbpm: String,
    domain: String,
    organisations: String,
    workstreams: Vec<String>,
    languages: String,
    text_language: String,
    repositories: String,
    data_sources: String,
    tags: String,
    visibility: String,
}

impl Values {
    fn of(p: &ProjectInput) -> Self {
        let join = |v: Vec<String>, sep: &str| v.join(sep);
        Self {
            title: p.title.clone(),
            summary: p.summary.clone(),
            stage: p.stage.as_str().into(),
            task: p.task.map(|t| t.as_str().to_string()).unwrap_or_default(),
            gsbpm: p.gsbpm.as_deref().unwrap_or_default().to_string(),
            domain: p.domain.clone().unwrap_or_default(),
            organisations: join(
                p.organisations.iter().map(|o| o.to_string()).collect(),
                ", ",
            ),
            workstreams: p.workstreams.iter().map(|w| w.to_string()).collect(),
            languages: join(p.languages.iter().map(|l| l.to_string()).collect(), ", "),
            text_language: p.text_language.as_deref().unwrap_or_default().to_string(),
            repositories: join(p.repositories.iter().map(|r| r.to_string()).collect(), "\n"),
            data_sources: p.data_sources.join("\n"),
            tags: p.tags.join(", "),
            visibility: p.visibility.as_str().into(),
        }
    }

    fn posted(form: &Posted) -> Self {
        Self {
            title: form.get("title"),
            summary: form.get("summary"),
            stage: form.get("stage"),
            task: form.get("task"),
            gsbpm: form.get("gsbpm"),
            domain: form.get("domain"),
            organisations: form.get("organisations"),
            workstreams: form.all("workstreams"),
            languages: form.get("languages"),
            text_language: form.get("text_language"),
            repositories: form.get("repositories"),
            data_sources: form.get("data_sources"),
            tags: form.get("tags"),
            visibility: form.get("visibility"),
        }
    }

    /// The project to save: the stored one with the form's fields put in, as JSON for the
    /// schema's strict decoder (which names the field at fault).
    fn apply(&self, current: &ProjectInput) -> Result<serde_json::Value, Error> {
        let mut json = serde_json::to_value(current).map_err(|e| Error::Internal(e.to_string()))?;
        let text = |s: &str| serde_json::Value::String(s.replace("\r\n", "\n").trim().to_string());
        let opt = |s: &str| optional(s).map_or(serde_json::Value::Null, serde_json::Value::String);
        let fields = [
            ("title", text(&self.title)),
            ("summary", text(&self.summary)),
            ("stage", text(&self.stage)),
            ("task", opt(&self.task)),
            ("gsbpm", opt(&self.gsbpm)),
            ("domain", opt(&self.domain)),
            ("organisations", comma_list(&self.organisations).into()),
            ("workstreams", self.workstreams.clone().into()),
            ("languages", comma_list(&self.languages).into()),
            ("text_language", opt(&self.text_language)),
            ("repositories", lines(&self.repositories).into()),
            ("data_sources", lines(&self.data_sources).into()),
            ("tags", comma_list(&self.tags).into()),
            ("visibility", text(&self.visibility)),
        ];
        if let Some(object) = json.as_object_mut() {
            for (name, value) in fields {
                if value.is_null() {
                    object.remove(name);
                } else {
                    object.insert(name.to_string(), value);
                }
            }
        }
        Ok(json)
    }
}

fn fields(lang: Lang, v: &Values, workstreams: Vec<(String, String)>) -> Vec<Field> {
    let stages = JourneyStage::ALL
        .into_iter()
        .map(|s| (s.as_str().to_string(), view::stage_label(lang, s)));
    let tasks = MlTask::ALL
        .into_iter()
        .map(|t| (t.as_str().to_string(), view::task_label(lang, t)));
    let visibilities = Visibility::ALL
        .into_iter()
        .map(|s| (s.as_str().to_string(), view::visibility_label(lang, s)));
    let t = |key: &str| lang.t(key);
    let mut ws = Field::choose(
        "workstreams",
        t("edit-project-workstreams"),
        "checkboxes",
        workstreams
            .into_iter()
            .map(|(value, label)| Choice {
                selected: v.workstreams.contains(&value),
                value,
                label,
            })
            .collect(),
    );
    ws.hint = t("edit-project-workstreams-hint");
    vec![
        Field::text(
            "title",
            t("edit-field-title"),
            t("edit-project-title-hint"),
            &v.title,
        )
        .required(),
        Field::area(
            "summary",
            t("edit-field-summary"),
            t("edit-project-summary-hint"),
            &v.summary,
            8,
        )
        .required(),
        Field::choose(
            "stage",
            t("edit-project-stage"),
            "select",
            Choice::list(stages, &v.stage),
        )
        .required(),
        Field::choose(
            "task",
            t("edit-field-task"),
            "select",
            Choice::list(tasks, &v.task),
        ),
        Field::text(
            "gsbpm",
            t("edit-project-gsbpm"),
            t("edit-project-gsbpm-hint"),
            &v.gsbpm,
        ),
        Field::text(
            "domain",
            t("edit-project-domain"),
            t("edit-project-domain-hint"),
            &v.domain,
        ),
        Field::text(
            "organisations",
            t("edit-project-organisations"),
            t("edit-project-organisations-hint"),
            &v.organisations,
        )
        .required(),
        ws,
        Field::text(
            "languages",
            t("edit-field-languages"),
            t("edit-project-languages-hint"),
            &v.languages,
        )
        .suggesting(form::language_suggestions(lang)),
        Field::text(
            "text_language",
            t("edit-field-text-language"),
            t("edit-field-text-language-hint"),
            &v.text_language,
        ),
        Field::area(
            "repositories",
            t("edit-project-repositories"),
            t("edit-project-repositories-hint"),
            &v.repositories,
            3,
        ),
        Field::area(
            "data_sources",
            t("edit-project-data-sources"),
            t("edit-project-data-sources-hint"),
            &v.data_sources,
            3,
        ),
        Field::text(
            "tags",
            t("edit-field-tags"),
            t("edit-field-tags-hint"),
            &v.tags,
        ),
        Field::choose(
            "visibility",
            t("edit-field-visibility"),
            "radios",
            Choice::list(visibilities, &v.visibility),
        ),
    ]
}

fn sync_note(lang: Lang, p: &Project) -> Option<String> {
    match p.provenance.origin {
        Origin::Manual => None,
        Origin::Git | Origin::Agent => {
            let its_source = lang.t("edit-sync-its-source");
            let source = p.provenance.source.as_deref().unwrap_or(&its_source);
            Some(
                lang.msg("edit-project-sync-note")
                    .arg("source", source)
                    .to_string(),
            )
        }
    }
}

fn page(
    who: &Identity,
    project: &Project,
    v: &Values,
    workstreams: Vec<(String, String)>,
) -> EditPage {
    let slug = project.spec.slug.to_string();
    let lang = who.lang;
    EditPage {
        layout: Layout::new(
            who,
            "projects",
            lang.msg("edit-project-description")
                .arg("title", &project.spec.title)
                .to_string(),
        ),
        heading: lang
            .msg("edit-heading")
            .arg("title", &project.spec.title)
            .to_string(),
        intro: lang.t("edit-project-intro"),
        note: sync_note(lang, project),
        action: format!("/projects/{slug}/edit"),
        cancel: format!("/projects/{slug}"),
        csrf: who.csrf_token().unwrap_or_default().to_string(),
        fields: fields(who.lang, v, workstreams),
        general_error: None,
        preview: Vec::new(),
    }
}

/// The project, when the caller may see it and change it.
async fn editable(
    state: &AppState,
    who: &Identity,
    slug: &str,
) -> Result<(Project, Vec<(String, String)>), Error> {
    write::require(&who.caller, true, "edit projects")?;
    let mut conn = state.db.acquire().await?;
    let project = projects::get(&mut conn, &who.caller, slug)
        .await?
        .ok_or_else(|| Error::NotFound(format!("project `{slug}`")))?;
    let owners = &project.spec.organisations;
    write::require(
        &who.caller,
        write::can_write_project(&who.caller, Some(owners), owners),
        "edit this project: it belongs to other organisations",
    )?;
    let mut ws: Vec<(String, String)> = lookup::workstreams(&mut conn, &who.caller)
        .await?
        .into_iter()
        .collect();
    ws.sort_by(|a, b| a.1.cmp(&b.1));
    Ok((project, ws))
}

pub async fn form(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(slug): Path<String>,
) -> Response {
    let outcome = async {
        let (project, ws) = editable(&state, &who, &slug).await?;
        Ok(page(&who, &project, &Values::of(&project.spec), ws).respond())
    }
    .await;
    errors::or_page(&who, &format!("/projects/{slug}/edit"), outcome)
}

pub async fn save(
    State(state): State<AppState>,
    PageIdentity(who): PageIdentity,
    Path(slug): Path<String>,
    CsrfForm(posted): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let path = format!("/projects/{slug}/edit");
    let outcome = async {
        let (project, ws) = editable(&state, &who, &slug).await?;
        let posted = Posted(posted);
        let values = Values::posted(&posted);
        if !posted.get("preview").is_empty() {
            return Ok(page(&who, &project, &values, ws.clone())
                .with_preview(&["summary"])
                .respond());
        }
        let refuse = |field: &str, message: String| {
            Ok::<_, Error>(
                page(&who, &project, &values, ws.clone())
                    .with_error(field, message)
                    .respond(),
            )
        };
        let stored =
            serde_json::to_value(&project.spec).map_err(|e| Error::Internal(e.to_string()))?;
        let input: ProjectInput = match form::decode_every(&stored, &values.apply(&project.spec)?) {
            Ok(input) => input,
            Err(Ok(all)) => {
                return Ok(page(&who, &project, &values, ws.clone())
                    .with_errors(all)
                    .respond());
            }
            Err(Err(e)) => return Err(e),
        };
        if !write::can_write_project(
            &who.caller,
            Some(&project.spec.organisations),
            &input.organisations,
        ) {
            return refuse(
                "organisations",
                who.lang.t("edit-project-keep-own-organisation"),
            );
        }
        let mut tx = state.db.begin().await?;
        match projects::save(&mut tx, &input, &who.caller.actor, SaveMode::Replace, None).await {
            Ok(_) => {}
            Err(Error::Invalid(f)) => return refuse(&f.field, f.message),
            Err(e) => return Err(e),
        }
        tx.commit().await?;
        Ok(Redirect::to(&format!("/projects/{slug}")).into_response())
    }
    .await;
    errors::or_page(&who, &path, outcome)
}
