//! Names to show for the slugs items refer to. Workstreams are looked up through the read
//! policy: one the caller may not see is left out, not named.

use std::collections::HashMap;

use sqlx::PgConnection;

use crate::db::{PageRequest, organisations, workstreams};
use crate::error::Result;
use crate::policy::Caller;

const ALL: PageRequest = PageRequest {
    page: 1,
    per_page: 1000,
};

/// A linked name: slug and label.
pub struct Named {
    pub slug: String,
    pub label: String,
}

/// Organisations (all public) by slug: their short name, or their name.
pub async fn organisations(conn: &mut PgConnection) -> Result<HashMap<String, String>> {
    let (list, _) = organisations::list(conn, ALL).await?;
    Ok(list
        .into_iter()
        .map(|o| {
            let label = o.spec.short_name.unwrap_or(o.spec.name);
            (o.spec.slug.to_string(), label)
        })
        .collect())
}

/// Workstreams the caller may see, by slug: `CODE Title`.
pub async fn workstreams(
    conn: &mut PgConnection,
    caller: &Caller,
) -> Result<HashMap<String, String>> {
    let (list, _) = workstreams::list(conn, caller, ALL).await?;
    Ok(list
        .into_iter()
        .map(|w| {
            (
                w.spec.slug.to_string(),
                format!("{} {}", w.spec.code, w.spec.title),
            )
        })
        .collect())
}

/// The slugs with their labels; slugs missing from `names` are left out.
pub fn named<S: AsRef<str>>(slugs: &[S], names: &HashMap<String, String>) -> Vec<Named> {
    slugs
        .iter()
        .filter_map(|s| {
            names.get(s.as_ref()).map(|label| Named {
                slug: s.as_ref().to_string(),
                label: label.clone(),
            })
        })
        .collect()
}
