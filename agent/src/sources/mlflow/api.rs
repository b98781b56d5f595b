//! The parts of MLflow's REST API (2.0) the agent reads: registered models, model versions
//! and runs. Any failure (timeout, error status, unreadable page) is an error: the
//! listing is then incomplete.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::records::{ModelVersion, RegisteredModel, Run};
use crate::error::{Error, Result};

#[derive(Deserialize)]
struct ModelPage {
    #[serde(default)]
    registered_models: Vec<RegisteredModel>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct VersionPage {
    #[serde(default)]
    model_versions: Vec<ModelVersion>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct RunAnswer {
    run: Run,
}

#[derive(Deserialize)]
struct RunPage {
    #[serde(default)]
    runs: Vec<Run>,
    #[serde(default)]
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct Experiment {
    experiment_id: String,
}

#[derive(Deserialize)]
struct ExperimentPage {
    #[serde(default)]
    experiments: Vec<Experiment>,
    #[serde(default)]
    next_page_token: Option<String>,
}

/// Runs looked up one by one below this many; in chunks through `runs/search` above.
const RUNS_GET_LIMIT: usize = 20;
/// Run ids per `runs/search` call.
const RUNS_PER_SEARCH: usize = 100;
/// `runs/search` calls in flight at once: a tracking server answers them on several
/// workers (`mlflow server` starts four), and reading runs is most of a first sync.
const RUN_SEARCHES_IN_FLIGHT: usize = 4;

pub struct Api {
    http: reqwest::Client,
    base: Url,
    token: Option<String>,
    page_size: u32,
}

impl Api {
    pub fn new(
        base: Url,
        token: Option<String>,
        timeout: Duration,
        page_size: u32,
    ) -> Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("agora-agent/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .timeout(timeout)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base,
            token,
            page_size,
        })
    }

    fn url(&self, endpoint: &str) -> Result<Url> {
        let mut base = self.base.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        base.join(&format!("api/2.0/mlflow/{endpoint}"))
            .map_err(|e| Error::Config(format!("MLflow URL: {e}")))
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        endpoint: &str,
        query: &[(&str, String)],
        body: Option<serde_json::Value>,
    ) -> Result<T> {
        self.call_optional(method, endpoint, query, body)
            .await?
            .ok_or_else(|| Error::Source(format!("MLflow {endpoint} answered 404")))
    }

    /// Like `call`, with `None` for 404 (a run deleted since its version was registered).
    async fn call_optional<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        endpoint: &str,
        query: &[(&str, String)],
        body: Option<serde_json::Value>,
    ) -> Result<Option<T>> {
        let mut url = self.url(endpoint)?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let mut req = self.http.request(method, url);
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let what = format!("MLflow {endpoint}");
        let response = req
            .send()
            .await
            .map_err(|e| Error::Source(format!("{what}: {e}")))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Error::Source(format!("{what}: the answer was cut: {e}")))?;
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !status.is_success() {
            let text = String::from_utf8_lossy(&bytes);
            return Err(Error::Source(format!(
                "{what} answered {status}: {}",
                text.chars().take(300).collect::<String>()
            )));
        }
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| Error::Source(format!("{what}: unreadable answer: {e}")))
    }

    /// Every registered model, most recently updated first.
    pub async fn models(&self) -> Result<Vec<RegisteredModel>> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut query = vec![
                ("max_results", self.page_size.to_string()),
                ("order_by", "last_updated_timestamp DESC".to_string()),
            ];
            if let Some(t) = &token {
                query.push(("page_token", t.clone()));
            }
            let page: ModelPage = self
                .call(
                    reqwest::Method::GET,
                    "registered-models/search",
                    &query,
                    None,
                )
                .await?;
            out.extend(page.registered_models);
            match page.next_page_token.filter(|t| !t.is_empty()) {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    /// Pages of model versions, most recently updated first: all of them, those of one
    /// model, or (with `since`) those updated at or after a time, stopping at the first
    /// older one. `page_size` is the size of the first page (at most the source's); later
    /// pages have the source's page size, so a long listing takes few calls.
    pub fn version_pager<'a>(
        &'a self,
        model: Option<&str>,
        since: Option<i64>,
        page_size: Option<u32>,
    ) -> VersionPager<'a> {
        VersionPager {
            api: self,
            filter: model
                .map(|m| format!("name='{}'", m.replace('\'', "\\'")))
                .unwrap_or_default(),
            since,
            page_size: page_size.unwrap_or(self.page_size).min(self.page_size),
            token: None,
            done: false,
        }
    }

    /// One run (`runs/get`); `None` when it no longer exists.
    pub async fn run(&self, run_id: &str) -> Result<Option<Run>> {
        let answer: Option<RunAnswer> = self
            .call_optional(
                reqwest::Method::GET,
                "runs/get",
                &[("run_id", run_id.to_string())],
                None,
            )
            .await?;
        Ok(answer.map(|a| a.run))
    }

    /// Runs by id: one by one through `runs/get` for a few, in chunks through `runs/search`
    /// for many (one call instead of a hundred).
    pub async fn runs(&self, ids: &[String]) -> Result<HashMap<String, Run>> {
        let mut out = HashMap::with_capacity(ids.len());
        if ids.len() <= RUNS_GET_LIMIT {
            for id in ids {
                if let Some(run) = self.run(id).await? {
                    out.insert(id.clone(), run);
                }
            }
            return Ok(out);
        }
        let experiments = self.experiments().await?;
        let mut chunks = stream::iter(ids.chunks(RUNS_PER_SEARCH))
            .map(|chunk| self.search_runs(&experiments, chunk))
            .buffer_unordered(RUN_SEARCHES_IN_FLIGHT);
        while let Some(runs) = chunks.next().await {
            for run in runs? {
                if let Some(id) = run.info.id() {
                    out.insert(id.to_string(), run);
                }
            }
        }
        // A run that search did not return (a deleted experiment...) is asked for directly.
        for id in ids {
            if !out.contains_key(id)
                && let Some(run) = self.run(id).await?
            {
                out.insert(id.clone(), run);
            }
        }
        Ok(out)
    }

    /// The runs of one chunk of ids, through `runs/search` (all its pages).
    async fn search_runs(&self, experiments: &[String], chunk: &[String]) -> Result<Vec<Run>> {
        let list = chunk
            .iter()
            .map(|id| format!("'{}'", id.replace('\'', "")))
            .collect::<Vec<_>>()
            .join(",");
        let mut runs = Vec::with_capacity(chunk.len());
        let mut token: Option<String> = None;
        loop {
            let mut body = serde_json::json!({
                "experiment_ids": experiments,
                "filter": format!("attributes.run_id IN ({list})"),
                "max_results": RUNS_PER_SEARCH,
                "run_view_type": "ALL",
            });
            if let Some(t) = &token {
                body["page_token"] = t.clone().into();
            }
            let page: RunPage = self
                .call(reqwest::Method::POST, "runs/search", &[], Some(body))
                .await?;
            runs.extend(page.runs);
            match page.next_page_token.filter(|t| !t.is_empty()) {
                Some(t) => token = Some(t),
                None => return Ok(runs),
            }
        }
    }

    async fn experiments(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut body = serde_json::json!({"max_results": 1000, "view_type": "ALL"});
            if let Some(t) = &token {
                body["page_token"] = t.clone().into();
            }
            let page: ExperimentPage = self
                .call(reqwest::Method::POST, "experiments/search", &[], Some(body))
                .await?;
            out.extend(page.experiments.into_iter().map(|e| e.experiment_id));
            match page.next_page_token.filter(|t| !t.is_empty()) {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    /// One small call, for `check`.
    pub async fn probe(&self) -> Result<usize> {
        let page: ModelPage = self
            .call(
                reqwest::Method::GET,
                "registered-models/search",
                &[("max_results", "10".to_string())],
                None,
            )
            .await?;
        Ok(page.registered_models.len())
    }
}

/// Reads model versions a page at a time.
pub struct VersionPager<'a> {
    api: &'a Api,
    filter: String,
    since: Option<i64>,
    page_size: u32,
    token: Option<String>,
    done: bool,
}

impl VersionPager<'_> {
    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<Vec<ModelVersion>>> {
        if self.done {
            return Ok(None);
        }
        let mut query = vec![
            ("max_results", self.page_size.to_string()),
            ("order_by", "last_updated_timestamp DESC".to_string()),
        ];
        if !self.filter.is_empty() {
            query.push(("filter", self.filter.clone()));
        }
        if let Some(t) = &self.token {
            query.push(("page_token", t.clone()));
        }
        let page: VersionPage = self
            .api
            .call(reqwest::Method::GET, "model-versions/search", &query, None)
            .await?;
        self.page_size = self.api.page_size;
        let mut versions = page.model_versions;
        if let Some(since) = self.since
            && let Some(cut) = versions
                .iter()
                .position(|v| v.last_updated_timestamp.unwrap_or(0) < since)
        {
            versions.truncate(cut);
            self.done = true;
        }
        match page.next_page_token.filter(|t| !t.is_empty()) {
            Some(t) if !self.done => self.token = Some(t),
            _ => self.done = true,
        }
        Ok(Some(versions))
    }
}
