//! What benchmark pages share: a run as a list shows it, hardware in words and the
//! leaderboard's order.

use agora_schemas::{Hardware, Run};
use serde::Deserialize;

use super::chart::number;
use crate::db::results::LeaderboardSort;
use crate::i18n::Lang;

pub fn hardware_text(h: Option<&Hardware>) -> String {
    let Some(h) = h else {
        return String::new();
    };
    let mut parts = Vec::new();
    if let Some(n) = &h.node {
        parts.push(n.clone());
    }
    if let Some(c) = h.cpus {
        parts.push(format!("{c} CPU"));
    }
    if let Some(m) = h.memory_mb {
        parts.push(format!("{} GB", number(m as f64 / 1024.0)));
    }
    match (h.gpus, &h.gpu_type) {
        (Some(n), Some(t)) if n > 0 => parts.push(format!("{n}× {t}")),
        (Some(n), None) if n > 0 => parts.push(format!("{n} GPU")),
        _ => {}
    }
    parts.join(" · ")
}

pub struct RunItem {
    /// The run's number as shown: its id, not grouped into thousands.
    pub number: String,
    pub href: String,
    pub model: String,
    pub state: String,
    pub jobs: String,
    pub created: String,
}

/// The order of a leaderboard download.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SortQuery {
    pub sort: Option<LeaderboardSort>,
}

pub fn run_item(lang: Lang, slug: &str, run: &Run) -> RunItem {
    let done = run.jobs.iter().filter(|j| j.state.is_terminal()).count();
    let model = format!("{}/{}", run.model.organisation, run.model.name);
    let state = format!("{:?}", run.state).to_lowercase();
    RunItem {
        number: run.id.to_string(),
        href: format!("/benchmarks/{slug}/runs/{}", run.id),
        model: lang
            .msg("benchmark-run-model")
            .arg("model", &model)
            .arg("version", &run.model.version)
            .to_string(),
        state: lang.t(&format!("benchmark-run-state-{state}")),
        jobs: lang
            .msg("benchmark-run-jobs")
            .arg("done", done)
            .arg("total", run.jobs.len())
            .to_string(),
        created: super::moment(lang, run.created_at),
    }
}
