//! Small pieces several pages show the same way: dates, labels, activity rows, pagers.

pub mod account;
pub mod assessments;
pub mod benchmarks;
pub mod chart;
pub mod choices;
pub mod errors;
pub mod facts;
pub mod form;
pub mod glance;
pub mod lookup;
pub mod markdown;
pub mod projects;
pub mod structured;

use agora_schemas::{Event, JourneyStage, MlTask, Visibility};
use chrono::{DateTime, Utc};

use crate::i18n::{self, Lang};

/// The language of the texts the hub's own people write: workstreams and organisations.
/// Projects and model cards say their own (`text_language`).
pub const HUB_TEXT_LANG: &str = "en";

/// A day, as people read it: `1 December 2026`, `1 décembre 2026`.
pub fn date(lang: Lang, t: DateTime<Utc>) -> String {
    i18n::date(lang, t)
}

/// A moment, to the minute: `1 Dec 2026, 14:05 UTC`.
pub fn moment(lang: Lang, t: DateTime<Utc>) -> String {
    i18n::moment(lang, t)
}

pub fn stage_label(lang: Lang, stage: JourneyStage) -> String {
    lang.t(&format!("stage-{}", stage.as_str()))
}

/// A card's task for people: the Agora task it counts as, else its task as written.
pub fn card_task(lang: Lang, card: &agora_schemas::ModelCardInput) -> String {
    match (card.agora_task(), &card.task) {
        (Some(t), _) => task_label(lang, t),
        (None, Some(written)) => written.to_string(),
        (None, None) => String::new(),
    }
}

pub fn task_label(lang: Lang, task: MlTask) -> String {
    lang.t(&format!("task-{}", task.as_str()))
}

pub fn visibility_label(lang: Lang, v: Visibility) -> String {
    lang.t(match v {
        Visibility::Public => "visibility-public",
        Visibility::Members => "visibility-members",
        Visibility::Organisation => "visibility-organisation",
    })
}

/// One line of an activity feed.
pub struct ActivityItem {
    /// The day's heading, on the first line of each day: "Today", "Yesterday", a date.
    pub day: Option<String>,
    /// The time of day, in UTC, for lines under a day's heading.
    pub time: String,
    pub at: String,
    pub at_iso: String,
    pub summary: String,
    pub href: Option<String>,
    /// Who did it; shown to signed-in members only.
    pub actor: Option<String>,
    pub label: String,
}

/// Where an event's subject lives, when it has a page.
pub fn subject_link(e: &Event) -> Option<String> {
    match e.subject_kind.as_str() {
        "project" => Some(format!("/projects/{}", e.subject)),
        "model" => Some(format!("/models/{}", e.subject)),
        "model_version" => {
            let mut parts = e.subject.splitn(3, '/');
            let (org, name) = (parts.next()?, parts.next()?);
            Some(format!("/models/{org}/{name}"))
        }
        "workstream" => Some(format!("/workstreams/{}", e.subject)),
        "organisation" => Some(format!("/organisations/{}", e.subject)),
        "membership" => e.workstreams.first().map(|w| format!("/workstreams/{w}")),
        _ => None,
    }
}

fn subject_label(lang: Lang, kind: &str) -> String {
    lang.t(match kind {
        "project" => "subject-project",
        "model" => "subject-model",
        "model_version" => "subject-model-version",
        "workstream" => "subject-workstream",
        "organisation" => "subject-organisation",
        "membership" => "subject-membership",
        "assessment" => "subject-assessment",
        "benchmark" | "benchmark_run" | "benchmark_result" => "subject-benchmark",
        _ => "subject-change",
    })
}

/// A day as an activity feed heads it: "Today", "Yesterday", else its date.
pub fn day_label(lang: Lang, day: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    if day == today {
        lang.t("activity-today")
    } else if today.pred_opt() == Some(day) {
        lang.t("activity-yesterday")
    } else {
        i18n::date(lang, day.and_time(chrono::NaiveTime::MIN).and_utc())
    }
}

/// Activity rows for events the caller was allowed to read, newest first, each day's
/// first row carrying the day's heading (days cut at midnight UTC, as times are shown).
pub fn activity(lang: Lang, events: Vec<Event>, show_actor: bool) -> Vec<ActivityItem> {
    let today = Utc::now().date_naive();
    let mut previous: Option<chrono::NaiveDate> = None;
    events
        .into_iter()
        .map(|e| ActivityItem {
            day: {
                let day = e.at.date_naive();
                let first = previous != Some(day);
                previous = Some(day);
                first.then(|| day_label(lang, day, today))
            },
            time: format!("{} UTC", e.at.format("%H:%M")),
            at: moment(lang, e.at),
            at_iso: e.at.to_rfc3339(),
            href: subject_link(&e),
            label: subject_label(lang, &e.subject_kind),
            actor: show_actor.then(|| e.actor.clone()),
            summary: i18n::events::summary(lang, &e.kind, &e.summary),
        })
        .collect()
}

/// Previous and next links of a paged list.
pub struct Pager {
    pub first: i64,
    pub last: i64,
    pub total: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `params` are the list's filters; `page` is 1-based.
    pub fn new(
        path: &str,
        params: &[(&str, String)],
        page: u32,
        per_page: u32,
        total: i64,
    ) -> Self {
        let link = |n: u32| {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
                s.append_pair(k, v);
            }
            if n > 1 {
                s.append_pair("page", &n.to_string());
            }
            let q = s.finish();
            if q.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{q}")
            }
        };
        let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
        Self {
            first: (offset + 1).min(total),
            last: (offset + i64::from(per_page)).min(total),
            total,
            prev: (page > 1).then(|| link(page - 1)),
            next: (offset + i64::from(per_page) < total).then(|| link(page + 1)),
        }
    }
}

/// A choice in a filter's select box.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn list(options: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Self> {
        options
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == current,
                value,
                label,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_words() {
        assert_eq!(
            task_label(Lang::En, MlTask::RecordLinkage),
            "Record linkage"
        );
        assert_eq!(stage_label(Lang::En, JourneyStage::Validated), "Validated");
        assert_eq!(stage_label(Lang::Fr, JourneyStage::Validated), "Validé");
        assert_eq!(task_label(Lang::Es, MlTask::Coding), "Codificación");
    }

    #[test]
    fn pagers_keep_filters_and_stop_at_the_ends() {
        let p = Pager::new(
            "/projects",
            &[("stage", "pilot".into()), ("task", String::new())],
            2,
            10,
            25,
        );
        assert_eq!(p.prev.as_deref(), Some("/projects?stage=pilot"));
        assert_eq!(p.next.as_deref(), Some("/projects?stage=pilot&page=3"));
        assert_eq!((p.first, p.last), (11, 20));
        let last = Pager::new("/projects", &[], 3, 10, 25);
        assert!(last.next.is_none());
        assert_eq!(last.last, 25);
        let empty = Pager::new("/projects", &[], 1, 10, 0);
        assert_eq!((empty.first, empty.last), (0, 0));
    }
}
