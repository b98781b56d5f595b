//! Filter keys as people write them. `INEGI`, `inegi` and an organisation's short name
//! name the same organisation; `WS2` names a workstream by its code. A key that names
//! nothing the caller may see is refused with a 422 naming the parameter, in the same
//! words whether it does not exist or is hidden, so a filter never answers a silent empty
//! list for a misspelt key and never tells an outsider that a private thing exists.

use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::error::{Error, Result};
use crate::policy::Caller;

/// What a filter key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// By slug or short name (`inegi`, `INEGI`).
    Organisation,
    /// By slug or code (`ws2`, `WS2`).
    Workstream,
    /// By slug.
    Project,
}

impl KeyKind {
    fn what(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::Workstream => "workstream",
            Self::Project => "project",
        }
    }

    fn how(self) -> &'static str {
        match self {
            Self::Organisation => "its slug (`inegi`) or short name (`INEGI`)",
            Self::Workstream => "its slug (`ws2`) or code (`WS2`)",
            Self::Project => "its slug (`inegi-sinco-occupation-coding`)",
        }
    }

    fn query(self, caller: &Caller, given: &str) -> QueryBuilder<Postgres> {
        let given = given.trim().to_lowercase();
        let mut qb = QueryBuilder::new("");
        match self {
            Self::Organisation => {
                qb.push("SELECT o.slug::text FROM organisations o WHERE o.slug::text = ")
                    .push_bind(given.clone())
                    .push(" OR lower(o.short_name) = ")
                    .push_bind(given.clone())
                    .push(" ORDER BY o.slug::text = ")
                    .push_bind(given)
                    .push(" DESC, o.slug LIMIT 1");
            }
            Self::Workstream => {
                qb.push("SELECT w.slug::text FROM workstreams w WHERE (w.slug::text = ")
                    .push_bind(given.clone())
                    .push(" OR lower(w.code) = ")
                    .push_bind(given.clone())
                    .push(") AND ");
                caller.push_can_read(&mut qb, "w.visibility", "'{}'::text[]");
                qb.push(" ORDER BY w.slug::text = ")
                    .push_bind(given)
                    .push(" DESC, w.slug LIMIT 1");
            }
            Self::Project => {
                qb.push("SELECT p.slug::text FROM projects p WHERE p.slug::text = ")
                    .push_bind(given)
                    .push(" AND ");
                caller.push_can_read(&mut qb, "p.visibility", super::projects::OWNERS);
            }
        }
        qb
    }
}

impl KeyKind {
    /// The slug `given` names, if given, or a 422 on the parameter of this kind's name
    /// (`workstream`) when it names nothing the caller may see.
    pub async fn resolve(
        self,
        conn: &mut PgConnection,
        caller: &Caller,
        given: Option<String>,
    ) -> Result<Option<String>> {
        let Some(given) = given else {
            return Ok(None);
        };
        let found: Option<String> = self
            .query(caller, &given)
            .build_query_scalar()
            .fetch_optional(&mut *conn)
            .await?;
        found.map(Some).ok_or_else(|| {
            Error::invalid(
                self.what(),
                format!(
                    "no {} `{given}` is known to you; name one by {}",
                    self.what(),
                    self.how()
                ),
            )
        })
    }
}
