//! The DCAT-AP 3.0 catalogue of what the hub publishes: the public projects and model
//! cards their sources still list, as Turtle and JSON-LD (`/api/v1/catalog.ttl` and
//! `/api/v1/catalog.jsonld`), and the schema.org descriptions the pages embed.
//!
//! What appears is decided by the read policy for an anonymous caller, whoever asks: the
//! catalogue is what a national portal may harvest and republish.

mod dcat;
pub mod jsonld;
mod languages;
mod licences;
pub use licences::licence_name;
mod nodes;
pub mod rdf;
pub mod schema_org;
pub mod stream;
pub mod turtle;

use std::collections::{HashMap, HashSet};

use agora_schemas::{EvaluationResult, ModelCard, Organisation, Project};
use sqlx::PgConnection;

use crate::db::organisations;
use crate::error::Result;

pub use stream::{Format, etag};

/// One page of what the catalogue describes, read through the policy as an anonymous
/// caller: a page of projects or a page of model cards, with what their nodes name.
#[derive(Default)]
pub struct Published {
    pub projects: Vec<Project>,
    /// The listed cards of each project of the page, as `(organisation, name)`, by slug.
    pub parts: HashMap<String, Vec<(String, String)>>,
    pub models: Vec<ModelCard>,
    /// The newest listed version of each model and its evaluation results, by
    /// `(organisation, name)`.
    pub latest: HashMap<(String, String), (String, Vec<EvaluationResult>)>,
    /// The projects the page's cards belong to that the catalogue lists.
    pub listed_projects: HashSet<String>,
    /// The organisations the items name, by slug.
    pub organisations: HashMap<String, Organisation>,
}

impl Published {
    /// Reads the organisations the page's items name.
    async fn load_organisations(&mut self, conn: &mut PgConnection) -> Result<()> {
        let mut slugs: Vec<String> = self
            .projects
            .iter()
            .flat_map(|p| p.spec.organisations.iter().map(|o| o.to_string()))
            .chain(self.models.iter().map(|m| m.spec.organisation.to_string()))
            .collect();
        slugs.sort();
        slugs.dedup();
        for slug in slugs {
            if let Some(org) = organisations::get(&mut *conn, &slug).await? {
                self.organisations.insert(slug, org);
            }
        }
        Ok(())
    }
}
