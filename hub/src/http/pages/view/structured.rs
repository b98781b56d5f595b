//! The schema.org JSON-LD a model or project page embeds, ready for the inside of its
//! `<script type="application/ld+json">` element (see `_json_ld.html`).

use agora_schemas::{ModelCard, ModelVersion, Project};
use sqlx::PgConnection;

use crate::catalog::schema_org::{self, OrganisationRef};
use crate::db::organisations;
use crate::error::Result;
use crate::http::pages::view::lookup::Named;

fn base(public_url: &url::Url) -> String {
    public_url.as_str().trim_end_matches('/').to_string()
}

/// A model page's description: the card, its versions' results, its owner, its project.
pub async fn model(
    conn: &mut PgConnection,
    public_url: &url::Url,
    card: &ModelCard,
    versions: &[ModelVersion],
    project: Option<&Named>,
) -> Result<String> {
    let slug = card.spec.organisation.as_str();
    let org = organisations::get(&mut *conn, slug).await?;
    let owner = OrganisationRef {
        slug,
        name: org.as_ref().map(|o| o.spec.name.as_str()).unwrap_or(slug),
        website: org
            .as_ref()
            .and_then(|o| o.spec.website.as_ref())
            .map(|w| w.as_str()),
    };
    let project = project.map(|p| (p.slug.as_str(), p.label.as_str()));
    let value = schema_org::model(&base(public_url), card, versions, &owner, project);
    Ok(schema_org::script_json(&value))
}

/// A project page's description: the project and the organisations that run it.
pub async fn project(
    conn: &mut PgConnection,
    public_url: &url::Url,
    project: &Project,
) -> Result<String> {
    let mut found = Vec::new();
    for slug in &project.spec.organisations {
        found.push((
            slug.as_str(),
            organisations::get(&mut *conn, slug.as_str()).await?,
        ));
    }
    let orgs: Vec<OrganisationRef<'_>> = found
        .iter()
        .map(|(slug, org)| OrganisationRef {
            slug,
            name: org.as_ref().map(|o| o.spec.name.as_str()).unwrap_or(slug),
            website: org
                .as_ref()
                .and_then(|o| o.spec.website.as_ref())
                .map(|w| w.as_str()),
        })
        .collect();
    let value = schema_org::project(&base(public_url), project, &orgs);
    Ok(schema_org::script_json(&value))
}
