//! Who may read what. Every read path asks this module (in SQL through `can_read`,
//! defined in the migrations, or in Rust through [`Caller::can_read`]): never a handler.

use agora_schemas::Visibility;
use sqlx::{Postgres, QueryBuilder};

/// The identity a request acts with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    /// Signed in as a member of the hub.
    pub signed_in: bool,
    /// Slugs of the caller's organisations.
    pub organisations: Vec<String>,
    /// Hub administrators read everything.
    pub admin: bool,
    /// How the caller appears in the event log.
    pub actor: String,
}

impl Caller {
    /// Someone who has not signed in: sees public items only.
    pub fn anonymous() -> Self {
        Self {
            actor: "anonymous".into(),
            ..Self::default()
        }
    }

    /// The hub itself (command-line tools such as `seed-demo`).
    pub fn system() -> Self {
        Self {
            signed_in: true,
            admin: true,
            actor: "system".into(),
            ..Self::default()
        }
    }

    /// A signed-in member of the given organisations.
    pub fn member(actor: impl Into<String>, organisations: &[&str]) -> Self {
        Self {
            signed_in: true,
            organisations: organisations.iter().map(|s| s.to_string()).collect(),
            admin: false,
            actor: actor.into(),
        }
    }

    /// Whether the caller may see an item with this visibility and these owners.
    /// Mirrors the SQL function `can_read`.
    pub fn can_read<S: AsRef<str>>(&self, visibility: Visibility, owners: &[S]) -> bool {
        self.admin
            || visibility == Visibility::Public
            || (self.signed_in && visibility == Visibility::Members)
            || (self.signed_in
                && owners
                    .iter()
                    .any(|o| self.organisations.iter().any(|c| c == o.as_ref())))
    }

    /// Appends `can_read(<visibility>, <owners>, …caller…)` to a query.
    pub fn push_can_read(
        &self,
        qb: &mut QueryBuilder<Postgres>,
        visibility_sql: &str,
        owners_sql: &str,
    ) {
        qb.push(format!("can_read({visibility_sql}, {owners_sql}, "))
            .push_bind(self.signed_in)
            .push(", ")
            .push_bind(self.organisations.clone())
            .push(", ")
            .push_bind(self.admin)
            .push(")");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visibility_rules() {
        let anon = Caller::anonymous();
        let insee = Caller::member("a@insee.fr", &["insee"]);
        let owners = ["insee"];
        assert!(anon.can_read(Visibility::Public, &owners));
        assert!(!anon.can_read(Visibility::Members, &owners));
        assert!(!anon.can_read(Visibility::Organisation, &owners));
        assert!(insee.can_read(Visibility::Members, &owners));
        assert!(insee.can_read(Visibility::Organisation, &owners));
        assert!(!insee.can_read(Visibility::Organisation, &["inegi"]));
        assert!(Caller::system().can_read(Visibility::Organisation, &["inegi"]));
    }
}
