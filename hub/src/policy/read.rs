//! The read policy: who may see an item of a given visibility owned by given organisations.
//! `public` items are seen by everyone, `members` items by anyone signed in,
//! `organisation` items by the owning organisations' people (and administrators).

use agora_schemas::Visibility;
use sqlx::{Postgres, QueryBuilder};

use super::Caller;

impl Caller {
    /// Whether the caller may see an item with this visibility and these owners.
    /// `hub/tests/read_rule.rs` holds this, SQL `can_read` and search to one table.
    pub fn can_read<S: AsRef<str>>(&self, visibility: Visibility, owners: &[S]) -> bool {
        self.admin
            || visibility == Visibility::Public
            || (self.signed_in && visibility == Visibility::Members)
            || (self.signed_in && owners.iter().any(|o| self.acts_for(o.as_ref())))
    }

    /// Whether the caller may see an organisation's agents: their sync counts and refused
    /// keys describe the organisation's private items, so only its own people (and
    /// administrators) see them.
    pub fn can_see_agents_of(&self, organisation: &str) -> bool {
        self.admin || (self.signed_in && self.acts_for(organisation))
    }

    /// Whether the caller is shown an organisation's agents and their health on its page:
    /// the people who look after them (its stewards) and administrators.
    pub fn can_watch_agents_of(&self, organisation: &str) -> bool {
        self.admin || (self.signed_in && self.stewards(organisation))
    }

    /// The organisations whose `organisation` items the caller reads: their own, and
    /// those they steward.
    pub fn reading_organisations(&self) -> Vec<String> {
        let mut orgs = self.organisations.clone();
        orgs.extend(self.steward_of.iter().cloned());
        orgs.sort();
        orgs.dedup();
        orgs
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
            .push_bind(self.reading_organisations())
            .push(", ")
            .push_bind(self.admin)
            .push(")");
    }
}

/// Who may see something that reveals two items at once (a benchmark result names the
/// benchmark and the model): the narrower of their visibilities, and when that is
/// `organisation`, only organisations that may see both.
pub fn narrowest(
    a: (Visibility, &[String]),
    b: (Visibility, &[String]),
) -> (Visibility, Vec<String>) {
    let rank = |v: Visibility| match v {
        Visibility::Public => 2,
        Visibility::Members => 1,
        Visibility::Organisation => 0,
    };
    let visibility = if rank(a.0) <= rank(b.0) { a.0 } else { b.0 };
    let owners = match (a.0, b.0) {
        (Visibility::Organisation, Visibility::Organisation) => {
            a.1.iter().filter(|o| b.1.contains(o)).cloned().collect()
        }
        (Visibility::Organisation, _) => a.1.to_vec(),
        (_, Visibility::Organisation) => b.1.to_vec(),
        _ => {
            let mut all = a.1.to_vec();
            all.extend(b.1.iter().filter(|o| !a.1.contains(o)).cloned());
            all
        }
    };
    (visibility, owners)
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
        let steward = Caller {
            steward_of: vec!["inegi".into()],
            ..insee.clone()
        };
        assert!(steward.can_read(Visibility::Organisation, &["inegi"]));
        assert!(steward.can_watch_agents_of("inegi"));
        assert!(!steward.can_watch_agents_of("insee"));
        assert!(!insee.can_watch_agents_of("insee"));
        assert!(!anon.can_watch_agents_of("insee"));
        assert!(Caller::system().can_watch_agents_of("insee"));
        assert_eq!(steward.reading_organisations(), vec!["inegi", "insee"]);
    }

    #[test]
    fn what_reveals_two_items_is_as_private_as_the_more_private_one() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (bench, model) = (s(&["insee", "inegi"]), s(&["insee"]));
        assert_eq!(
            narrowest(
                (Visibility::Public, &bench),
                (Visibility::Organisation, &model)
            ),
            (Visibility::Organisation, s(&["insee"]))
        );
        assert_eq!(
            narrowest(
                (Visibility::Organisation, &bench),
                (Visibility::Organisation, &s(&["scb"]))
            ),
            (Visibility::Organisation, vec![])
        );
        assert_eq!(
            narrowest(
                (Visibility::Public, &bench),
                (Visibility::Members, &s(&["scb"]))
            ),
            (Visibility::Members, s(&["insee", "inegi", "scb"]))
        );
    }
}
