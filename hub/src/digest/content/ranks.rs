//! Benchmark results in a digest: the line for each, with its rank among what the reader
//! may see and how it moved.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{EventRow, Line};
use crate::digest::content::{PeriodEvents, text};
use crate::i18n::Lang;
use crate::policy::Caller;

/// A metric's value: `0.912` in English, `0,912` in French and Spanish.
fn metric_value(lang: Lang, v: f64) -> String {
    let text = v.to_string();
    match lang {
        Lang::En => text,
        Lang::Fr | Lang::Es => text.replace('.', ","),
    }
}

/// A benchmark result line: `cnn-coder 3 (insee) on coicop-2026: f1 0.912, rank 2 (up from 4)`.
pub(super) fn benchmark_line(
    lang: Lang,
    e: &EventRow,
    rank: Option<i64>,
    previous_rank: Option<i64>,
) -> Line {
    let p = &e.payload;
    let model = text(p, "model").unwrap_or_else(|| e.subject.clone());
    let version = text(p, "version")
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    let organisation = text(p, "organisation")
        .map(|o| format!(" ({o})"))
        .unwrap_or_default();
    let benchmark = text(p, "benchmark").unwrap_or_else(|| lang.t("email-a-benchmark"));
    let metric_name = text(p, "metric").or_else(|| text(p, "primary_metric"));
    let model = format!("{model}{version}{organisation}");
    let line = match (metric_name, p.get("value").and_then(Value::as_f64)) {
        (Some(m), Some(v)) => lang
            .msg("email-benchmark-result-metric")
            .arg("model", &model)
            .arg("benchmark", &benchmark)
            .arg("metric", &m)
            .arg("value", metric_value(lang, v))
            .to_string(),
        _ => lang
            .msg("email-benchmark-result")
            .arg("model", &model)
            .arg("benchmark", &benchmark)
            .to_string(),
    };
    let detail = rank.map(|r| {
        let key = match previous_rank {
            Some(prev) if prev > r => "email-rank-up",
            Some(prev) if prev < r => "email-rank-down",
            Some(_) => "email-rank-unchanged",
            None => "email-rank-new",
        };
        lang.msg(key)
            .arg("rank", r)
            .arg("previous", previous_rank.unwrap_or_default())
            .to_string()
    });
    Line {
        text: line,
        detail,
        link: text(p, "benchmark").map(|b| format!("/benchmarks/{b}")),
    }
}

/// The results of the leaderboard that result `e` was recorded on (its benchmark, at its
/// organisation), up to `e` itself, that the caller may read.
fn board_until<'a>(
    caller: &'a Caller,
    all: &'a PeriodEvents,
    e: &'a EventRow,
) -> impl Iterator<Item = &'a EventRow> + 'a {
    let board = |x: &EventRow| {
        (
            text(&x.payload, "benchmark"),
            text(&x.payload, "organisation"),
        )
    };
    all.earlier_results
        .iter()
        .chain(all.events.iter())
        .filter(move |x| x.kind == "benchmark_result.recorded" && x.id <= e.id)
        .filter(move |x| board(x) == board(e) && x.readable_by(caller))
}

/// The rank of result `e`'s model when it was recorded, as the caller's leaderboard ranks
/// it: each model by its best value so far, counting only models the caller may see.
pub(super) fn rank_for(caller: &Caller, all: &PeriodEvents, e: &EventRow) -> Option<i64> {
    let minimize = text(&e.payload, "direction").as_deref() == Some("minimize");
    let better = |a: f64, b: f64| if minimize { a < b } else { a > b };
    let mut best: BTreeMap<String, f64> = BTreeMap::new();
    for x in board_until(caller, all, e) {
        let (Some(model), Some(value)) = (
            text(&x.payload, "model"),
            x.payload.get("value").and_then(Value::as_f64),
        ) else {
            continue;
        };
        let entry = best.entry(model).or_insert(value);
        if better(value, *entry) {
            *entry = value;
        }
    }
    let mine = *best.get(&text(&e.payload, "model")?)?;
    let ahead = best.values().filter(|v| better(**v, mine)).count();
    i64::try_from(ahead).ok().map(|n| n + 1)
}

/// The caller's rank of the same model on the same leaderboard at its previous result
/// before `e` that the caller may read.
pub(super) fn previous_rank(caller: &Caller, all: &PeriodEvents, e: &EventRow) -> Option<i64> {
    let model = text(&e.payload, "model");
    let previous = board_until(caller, all, e)
        .filter(|p| p.id < e.id && text(&p.payload, "model") == model)
        .max_by_key(|p| p.id)?;
    rank_for(caller, all, previous)
}
