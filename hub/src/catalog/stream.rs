//! The catalogue written as it is read: one page of items at a time from PostgreSQL,
//! each turned into its part of the Turtle or JSON-LD document and sent before the next
//! page is read. A request holds one page (at most [`PAGE`] items and what they name),
//! whatever the number of items, and holds a database connection only while it reads a
//! page: a slow reader waits on its socket, not on the pool.
//!
//! The document is one complete graph, as before: a harvester reads one URL. Its ETag is
//! a fingerprint of the rows the catalogue is made from (see
//! [`crate::db::catalog::fingerprint`]), so a harvester that sends it back in
//! `If-None-Match` is answered 304 without any page being read.

use axum::body::Bytes;
use futures_util::Stream;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use url::Url;

use super::rdf::Graph;
use super::{Published, dcat, jsonld, turtle};
use crate::config::CatalogConfig;
use crate::db::catalog as db;
use crate::error::{Error, Result};
use crate::policy::Caller;

/// Items read and written at a time.
pub const PAGE: i64 = 200;

/// The serialisation of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Turtle,
    JsonLd,
}

/// The document's entity tag: the rows' fingerprint, the catalogue settings and the
/// hub's version (which decides how rows are written), hashed. Weak, since the same
/// graph may be sent with another encoding.
pub async fn etag(
    conn: &mut PgConnection,
    config: &CatalogConfig,
    public_url: &Url,
    format: Format,
) -> Result<String> {
    let rows = db::fingerprint(conn).await?;
    let mut hash = Sha256::new();
    for part in [
        env!("CARGO_PKG_VERSION"),
        &format!("{format:?}"),
        public_url.as_str(),
        &config.title,
        &config.description,
        &config.publisher,
        config.publisher_url.as_ref().map_or("", Url::as_str),
        &rows,
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    Ok(format!("W/\"{}\"", &hex::encode(hash.finalize())[..32]))
}

/// Whether an `If-None-Match` value names `tag` (weak comparison, as for GET).
pub fn matches(if_none_match: &str, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let tag = opaque(tag);
    if_none_match
        .split(',')
        .any(|candidate| candidate.trim() == "*" || opaque(candidate) == tag)
}

/// Where the writer is.
enum Step {
    Head,
    Projects {
        after: Option<String>,
    },
    FirstOrganisation,
    Models {
        organisation: String,
        after: Option<String>,
    },
    Tail,
    Done,
}

struct Writer {
    db: PgPool,
    config: CatalogConfig,
    public_url: Url,
    format: Format,
    step: Step,
    anonymous: Caller,
}

/// The document as a stream of parts, for a streamed response body.
pub fn body(
    db: PgPool,
    config: CatalogConfig,
    public_url: Url,
    format: Format,
) -> impl Stream<Item = Result<Bytes>> + Send + 'static {
    let writer = Writer {
        db,
        config,
        public_url,
        format,
        step: Step::Head,
        anonymous: Caller::anonymous(),
    };
    futures_util::stream::try_unfold(writer, |mut writer| async move {
        loop {
            if matches!(writer.step, Step::Done) {
                return Ok(None);
            }
            match writer.next().await {
                Ok(part) if part.is_empty() => continue,
                Ok(part) => return Ok(Some((Bytes::from(part), writer))),
                Err(e) => {
                    // The status line is sent already: the reader sees a cut document.
                    tracing::error!(error = %e, "the catalogue could not be written to its end");
                    return Err(e);
                }
            }
        }
    })
}

impl Writer {
    /// Writes the next part of the document and moves on.
    async fn next(&mut self) -> Result<String> {
        if matches!(self.step, Step::Tail) {
            self.step = Step::Done;
            return Ok(match self.format {
                Format::Turtle => String::new(),
                Format::JsonLd => "\n]}\n".to_string(),
            });
        }
        let mut conn = self.db.acquire().await?;
        let step = std::mem::replace(&mut self.step, Step::Done);
        match step {
            Step::Head => {
                let modified = db::modified(&mut conn, &self.anonymous).await?;
                let graph = dcat::head(&self.config, &self.public_url, modified);
                self.step = Step::Projects { after: None };
                let mut out = match self.format {
                    Format::Turtle => turtle::prefixes(),
                    Format::JsonLd => {
                        let context = serde_json::to_string(&jsonld::context())
                            .map_err(|e| Error::Internal(e.to_string()))?;
                        format!("{{\"@context\": {context},\n\"@graph\": [\n")
                    }
                };
                self.write(&graph, true, &mut out)?;
                Ok(out)
            }
            Step::Projects { after } => {
                let projects =
                    db::projects_after(&mut conn, &self.anonymous, after.as_deref(), PAGE).await?;
                self.step = match projects.last() {
                    Some(last) if projects.len() as i64 == PAGE => Step::Projects {
                        after: Some(last.spec.slug.to_string()),
                    },
                    _ => Step::FirstOrganisation,
                };
                let slugs: Vec<String> = projects.iter().map(|p| p.spec.slug.to_string()).collect();
                let mut page = Published {
                    parts: db::parts(&mut conn, &self.anonymous, &slugs).await?,
                    projects,
                    ..Published::default()
                };
                page.load_organisations(&mut conn).await?;
                self.page(&page)
            }
            Step::FirstOrganisation => {
                self.step = match db::next_organisation(&mut conn, None).await? {
                    Some(organisation) => Step::Models {
                        organisation,
                        after: None,
                    },
                    None => Step::Tail,
                };
                Ok(String::new())
            }
            Step::Models {
                organisation,
                after,
            } => {
                let models = db::models_after(
                    &mut conn,
                    &self.anonymous,
                    &organisation,
                    after.as_deref(),
                    PAGE,
                )
                .await?;
                self.step = match models.last() {
                    Some(last) if models.len() as i64 == PAGE => Step::Models {
                        after: Some(last.spec.name.to_string()),
                        organisation: organisation.clone(),
                    },
                    _ => match db::next_organisation(&mut conn, Some(&organisation)).await? {
                        Some(next) => Step::Models {
                            organisation: next,
                            after: None,
                        },
                        None => Step::Tail,
                    },
                };
                if models.is_empty() {
                    return Ok(String::new());
                }
                let names: Vec<String> = models.iter().map(|m| m.spec.name.to_string()).collect();
                let mut projects: Vec<String> = models
                    .iter()
                    .filter_map(|m| m.spec.project.as_ref().map(|p| p.to_string()))
                    .collect();
                projects.sort();
                projects.dedup();
                let mut page = Published {
                    latest: db::latest_versions(&mut conn, &organisation, &names).await?,
                    listed_projects: db::listed_projects(&mut conn, &self.anonymous, &projects)
                        .await?,
                    models,
                    ..Published::default()
                };
                page.load_organisations(&mut conn).await?;
                self.page(&page)
            }
            Step::Tail | Step::Done => Ok(String::new()),
        }
    }

    fn page(&self, page: &Published) -> Result<String> {
        let graph = dcat::items(page, &self.public_url);
        let mut out = String::new();
        self.write(&graph, false, &mut out)?;
        Ok(out)
    }

    /// Appends the graph's nodes; in JSON-LD, every node but the document's first follows
    /// a comma.
    fn write(&self, graph: &Graph, first: bool, out: &mut String) -> Result<()> {
        match self.format {
            Format::Turtle => turtle::write_nodes(graph, out),
            Format::JsonLd => {
                for (i, node) in graph.nodes().iter().enumerate() {
                    if !(first && i == 0) {
                        out.push_str(",\n");
                    }
                    let text = serde_json::to_string(&jsonld::node(node))
                        .map_err(|e| Error::Internal(e.to_string()))?;
                    out.push_str(&text);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let tag = "W/\"abc\"";
        assert!(matches("W/\"abc\"", tag));
        assert!(matches("\"abc\"", tag));
        assert!(matches("\"x\", W/\"abc\"", tag));
        assert!(matches("*", tag));
        assert!(!matches("\"abd\"", tag));
        assert!(!matches("", tag));
    }
}
