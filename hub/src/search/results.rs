//! Running a search for a caller, and the answer's shape.

use std::time::Instant;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, FuzzyTermQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{TantivyDocument, Term};
use utoipa::ToSchema;

use agora_search::analyzer::tokens;
use agora_search::builder::fuzzy_distance;
use agora_search::{Request, snippets};

use super::access::access_set;
use super::handle::{Search, index_error};
use super::levels;
use super::query::SearchRequest;
use super::schema::{FACETS, Fields};
use crate::error::Result;
use crate::policy::Caller;

/// Values listed per facet.
const MAX_FACET_VALUES: usize = 100;
const MAX_SUGGESTIONS: usize = 8;
/// Matches read before ordering suggestions (prefix matches tie, so more than are shown).
const SUGGESTION_CANDIDATES: usize = 64;

/// One value of a facet and how many results carry it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
    /// Whether the request filters on this value.
    pub selected: bool,
}

/// Counts per facet under the query and the other facets' filters; only what the caller
/// may see is counted.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Facets {
    pub kind: Vec<FacetCount>,
    pub workstream: Vec<FacetCount>,
    pub organisation: Vec<FacetCount>,
    pub task: Vec<FacetCount>,
    pub framework: Vec<FacetCount>,
    pub language: Vec<FacetCount>,
    pub licence: Vec<FacetCount>,
    pub stage: Vec<FacetCount>,
    /// `any`, `submitted`, `reviewed`: items that are, or have, a QF4SA assessment in that
    /// state or a later one.
    pub has_qf4sa: Vec<FacetCount>,
}

impl Facets {
    /// The facets in API order, with their parameter names.
    pub fn named(&self) -> [(&'static str, &[FacetCount]); 9] {
        [
            ("kind", &self.kind),
            ("workstream", &self.workstream),
            ("organisation", &self.organisation),
            ("task", &self.task),
            ("framework", &self.framework),
            ("language", &self.language),
            ("licence", &self.licence),
            ("stage", &self.stage),
            ("has_qf4sa", &self.has_qf4sa),
        ]
    }

    fn slot(&mut self, i: usize) -> &mut Vec<FacetCount> {
        match i {
            0 => &mut self.kind,
            1 => &mut self.workstream,
            2 => &mut self.organisation,
            3 => &mut self.task,
            4 => &mut self.framework,
            5 => &mut self.language,
            6 => &mut self.licence,
            7 => &mut self.stage,
            _ => &mut self.has_qf4sa,
        }
    }
}

/// One result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hit {
    /// `project`, `model`, `workstream`, `organisation` or `assessment`.
    pub kind: String,
    pub title: String,
    /// The title as HTML, matched words in `<mark>`.
    pub title_html: String,
    /// The best matching passage as HTML, matched words in `<mark>`.
    pub snippet_html: String,
    /// The item's page.
    pub link: String,
    /// The item in the JSON API.
    pub api: String,
    pub organisations: Vec<String>,
    pub workstreams: Vec<String>,
    pub tags: Vec<String>,
    pub task: Option<String>,
    pub framework: Option<String>,
    /// The languages, as a model card names the field.
    pub language: Vec<String>,
    /// The licence, as a model card names the field.
    pub license: Option<String>,
    /// Deprecated: `language`, kept for one protocol version.
    pub languages: Vec<String>,
    /// Deprecated: `license`, kept for one protocol version.
    pub licence: Option<String>,
    pub stage: Option<String>,
    /// `any`, `submitted`, `reviewed` when the item is, or has, a QF4SA assessment in
    /// that state (or a later one).
    pub has_qf4sa: Vec<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    // No relevance score: it is computed over the whole index, so its value would hint at
    // items the caller may not see. The order of the hits is the ranking.
}

/// A page of results with facet counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// Results matching the query and filters that the caller may see.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub facets: Facets,
    /// Time spent in the index, in milliseconds.
    pub took_ms: f64,
}

/// A completion for search-as-you-type.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub kind: String,
    pub title: String,
    pub link: String,
}

fn texts(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

impl Search {
    /// Runs a search as `caller`: hits, counts and total cover only what it may read.
    pub fn search(&self, caller: &Caller, req: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let inner = &self.inner;
        let searcher = inner.reader.searcher();
        let access = access_set(&inner.fields, caller);
        let offset = (req.page.saturating_sub(1) * req.per_page) as usize;
        let found = inner
            .engine
            .search(
                &searcher,
                Request {
                    text: &req.q,
                    facet_filters: &req.filters,
                    filters: levels::filters(&inner.fields, &req.qf4sa_min),
                    access: &access,
                    order: req.sort.order(),
                    top: offset + req.per_page as usize,
                },
            )
            .map_err(index_error)?;
        let highlighter = &found.highlighter;
        let f: &Fields = &inner.fields;
        let mut hits = Vec::new();
        for ranked in found.hits.iter().skip(offset) {
            let doc: TantivyDocument = searcher.doc(ranked.doc).map_err(index_error)?;
            let title = text(&doc, f.title).unwrap_or_default();
            let summary = text(&doc, f.summary).unwrap_or_default();
            let body = text(&doc, f.body).unwrap_or_default();
            // Indexes written before bodies were stored cut hold them whole.
            let body = snippets::head(&body, snippets::BODY_BYTES);
            hits.push(Hit {
                kind: text(&doc, f.kind).unwrap_or_default(),
                title_html: highlighter.title(&title),
                snippet_html: highlighter.snippet(&summary, body),
                title,
                link: text(&doc, f.link).unwrap_or_default(),
                api: text(&doc, f.api).unwrap_or_default(),
                organisations: texts(&doc, f.organisations),
                workstreams: texts(&doc, f.workstreams),
                tags: texts(&doc, f.tags),
                task: text(&doc, f.task),
                framework: text(&doc, f.framework),
                language: texts(&doc, f.languages),
                license: text(&doc, f.licence),
                languages: texts(&doc, f.languages),
                licence: text(&doc, f.licence),
                stage: text(&doc, f.stage),
                has_qf4sa: texts(&doc, f.qf4sa),
                updated_at: chrono::DateTime::from_timestamp_micros(ranked.updated_at)
                    .unwrap_or_default(),
            });
        }
        let mut facets = Facets::default();
        for (i, counts) in found.facets.into_iter().enumerate() {
            let selected = &req.filters[i];
            let mut values: Vec<FacetCount> = counts
                .into_iter()
                .map(|(value, count)| FacetCount {
                    selected: selected.contains(&value),
                    value,
                    count,
                })
                .collect();
            for s in selected {
                if !values.iter().any(|v| &v.value == s) {
                    values.push(FacetCount {
                        value: s.clone(),
                        count: 0,
                        selected: true,
                    });
                }
            }
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            values.truncate(MAX_FACET_VALUES.max(selected.len()));
            *facets.slot(i) = values;
        }
        debug_assert_eq!(FACETS.len(), 9);
        Ok(SearchResults {
            hits,
            total: found.total,
            page: req.page,
            per_page: req.per_page,
            facets,
            took_ms: (started.elapsed().as_secs_f64() * 1e5).round() / 100.0,
        })
    }

    /// Titles starting with what has been typed so far (the last word may be partial).
    pub fn suggest(&self, caller: &Caller, q: &str) -> Result<Vec<Suggestion>> {
        let inner = &self.inner;
        let f = &inner.fields;
        let mut exact = agora_search::analyzer::exact();
        let toks = tokens(&mut exact, q);
        let Some((last, before)) = toks.split_last() else {
            return Ok(vec![]);
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for tok in before {
            let distance = fuzzy_distance(tok.chars().count()).unwrap_or(0).min(1);
            let q = FuzzyTermQuery::new(Term::from_field_text(f.title_exact, tok), distance, true);
            clauses.push((Occur::Must, Box::new(q)));
        }
        let distance = u8::from(last.chars().count() >= 5);
        let prefix =
            FuzzyTermQuery::new_prefix(Term::from_field_text(f.title_exact, last), distance, true);
        clauses.push((Occur::Must, Box::new(prefix)));
        let searcher = inner.reader.searcher();
        if let Some(v) = access_set(f, caller).to_query() {
            clauses.push((Occur::Must, v));
        }
        let query = BooleanQuery::new(clauses);
        let top = searcher
            .search(
                &query,
                &TopDocs::with_limit(SUGGESTION_CANDIDATES).order_by_score(),
            )
            .map_err(index_error)?;
        let mut candidates = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(index_error)?;
            let suggestion = Suggestion {
                kind: text(&doc, f.kind).unwrap_or_default(),
                title: text(&doc, f.title).unwrap_or_default(),
                link: text(&doc, f.link).unwrap_or_default(),
            };
            candidates.push((score, suggestion));
        }
        // Prefix matches score alike; ties go to the shorter title, then the alphabet, so
        // the order never depends on how the index happens to be segmented.
        candidates.sort_by(|(a, x), (b, y)| {
            b.total_cmp(a)
                .then_with(|| x.title.len().cmp(&y.title.len()))
                .then_with(|| x.title.cmp(&y.title))
                .then_with(|| x.link.cmp(&y.link))
        });
        let mut out: Vec<Suggestion> = Vec::new();
        for (_, suggestion) in candidates {
            if out.iter().any(|s| s.title == suggestion.title) {
                continue;
            }
            out.push(suggestion);
            if out.len() == MAX_SUGGESTIONS {
                break;
            }
        }
        Ok(out)
    }
}
