//! The DCAT-AP 3.0 catalogue of what the hub publishes: the public projects and model
//! cards their sources still list, as Turtle and JSON-LD (`/api/v1/catalog.ttl` and
//! `/api/v1/catalog.jsonld`), and the schema.org descriptions the pages embed.
//!
//! What appears is decided by the read policy for an anonymous caller, whoever asks: the
//! catalogue is what a national portal may harvest and republish.

pub mod config;
mod dcat;
pub mod jsonld;
mod languages;
mod licences;
mod nodes;
pub mod rdf;
pub mod schema_org;
pub mod turtle;

use std::collections::HashMap;

use agora_schemas::{EvaluationResult, ModelCard, Organisation, Project};
use sqlx::PgConnection;

use crate::db::{models, organisations, projects};
use crate::error::Result;
use crate::policy::Caller;

pub use dcat::graph;

/// Everything the catalogue describes, read through the policy as an anonymous caller.
pub struct Published {
    pub projects: Vec<Project>,
    pub models: Vec<ModelCard>,
    /// The newest listed version of each model and its evaluation results, by
    /// `(organisation, name)`.
    pub latest: HashMap<(String, String), (String, Vec<EvaluationResult>)>,
    /// The organisations the items name, by slug.
    pub organisations: HashMap<String, Organisation>,
}

impl Published {
    pub async fn load(conn: &mut PgConnection) -> Result<Self> {
        let anonymous = Caller::anonymous();
        let projects = projects::listed(conn, &anonymous).await?;
        let models = models::listed(conn, &anonymous).await?;
        let latest = models::latest_listed(conn, &anonymous).await?;
        let mut slugs: Vec<String> = projects
            .iter()
            .flat_map(|p| p.spec.organisations.iter().map(|o| o.to_string()))
            .chain(models.iter().map(|m| m.spec.organisation.to_string()))
            .collect();
        slugs.sort();
        slugs.dedup();
        let mut found = HashMap::new();
        for slug in slugs {
            if let Some(org) = organisations::get(&mut *conn, &slug).await? {
                found.insert(slug, org);
            }
        }
        Ok(Self {
            projects,
            models,
            latest,
            organisations: found,
        })
    }
}
