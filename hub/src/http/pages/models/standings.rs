//! The "Benchmark results" section of a model page: where the model stands on each shared
//! benchmark, per organisation, as the benchmark's own leaderboard ranks it.

use agora_schemas::benchmark::MetricDirection;

use crate::db::results::ModelStanding;
use crate::http::pages::view;
use crate::http::pages::view::benchmarks::hardware_text;
use crate::http::pages::view::chart::decimal;
use crate::i18n::Lang;

/// One organisation's result for the model on one benchmark.
pub struct StandingRow {
    pub benchmark_title: String,
    pub benchmark_href: String,
    pub metric: String,
    pub better: String,
    pub organisation: String,
    pub version: String,
    pub value: String,
    /// "1 of 3": the model's place among the models that organisation evaluated.
    pub rank: String,
    pub produced_by: String,
    pub run_href: String,
    pub recorded: String,
    pub recorded_iso: String,
    pub demo: bool,
}

pub fn rows(lang: Lang, standings: &[ModelStanding]) -> Vec<StandingRow> {
    let mut rows = Vec::new();
    for s in standings {
        let spec = &s.benchmark.spec;
        let better = lang.t(match crate::db::results::direction_of(&s.benchmark) {
            Ok(MetricDirection::Minimize) => "benchmark-better-lower",
            _ => "benchmark-better-higher",
        });
        for (e, ranked) in &s.entries {
            let hardware = hardware_text(e.hardware.as_ref());
            let mut produced_by = format!("{} · {}", e.agent, e.executor.as_str());
            if !hardware.is_empty() {
                produced_by.push_str(" · ");
                produced_by.push_str(&hardware);
            }
            rows.push(StandingRow {
                benchmark_title: spec.title.clone(),
                benchmark_href: format!("/benchmarks/{}", spec.slug),
                metric: spec.primary_metric.clone(),
                better: better.clone(),
                organisation: e.organisation.to_string(),
                version: e.model.version.clone(),
                value: decimal(lang, e.value),
                rank: lang
                    .msg("model-benchmarks-rank")
                    .arg("rank", e.rank)
                    .arg("count", *ranked)
                    .to_string(),
                produced_by,
                run_href: format!("/benchmarks/{}/runs/{}", spec.slug, e.run_id),
                recorded: view::date(lang, e.recorded_at),
                recorded_iso: e.recorded_at.to_rfc3339(),
                demo: e.demo,
            });
        }
    }
    rows
}
