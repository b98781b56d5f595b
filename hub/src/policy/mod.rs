//! Who may read and write what: the one place that decides. Every read path asks
//! [`read`] (in SQL through `can_read`, defined in the migrations, or in Rust through
//! [`Caller::can_read`]); every write asks [`write`]. Handlers never decide on their own.
//!
//! Roles: anonymous visitors; signed-in members (of the hub, and of their organisation);
//! stewards of an organisation (its details, items, memberships and agents); leads of a
//! workstream (its details and members); hub administrators (everything).

pub mod read;
pub mod write;

/// The identity a request acts with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    /// Signed in as a member of the hub.
    pub signed_in: bool,
    /// The signed-in user, when the caller is a person.
    pub user_id: Option<i64>,
    /// Slugs of the caller's organisations.
    pub organisations: Vec<String>,
    /// Hub administrators read and write everything.
    pub admin: bool,
    /// Organisations the caller is a steward of.
    pub steward_of: Vec<String>,
    /// Workstreams the caller leads.
    pub lead_of: Vec<String>,
    /// How the caller appears in the event log.
    pub actor: String,
}

impl Caller {
    /// Someone who has not signed in: sees public items only, writes nothing.
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
            actor: actor.into(),
            ..Self::default()
        }
    }

    /// Whether the caller belongs to, or stewards, an organisation.
    pub fn acts_for(&self, organisation: &str) -> bool {
        self.organisations.iter().any(|o| o == organisation)
            || self.steward_of.iter().any(|o| o == organisation)
    }

    /// Whether the caller is a steward of an organisation.
    pub fn stewards(&self, organisation: &str) -> bool {
        self.steward_of.iter().any(|o| o == organisation)
    }

    /// Whether the caller leads a workstream.
    pub fn leads(&self, workstream: &str) -> bool {
        self.lead_of.iter().any(|w| w == workstream)
    }

    /// The role names, for display: `admin`, `steward:<org>`, `lead:<workstream>`, `member`.
    pub fn role_names(&self) -> Vec<String> {
        let mut roles = Vec::new();
        if self.admin {
            roles.push("admin".to_string());
        }
        roles.extend(self.steward_of.iter().map(|o| format!("steward:{o}")));
        roles.extend(self.lead_of.iter().map(|w| format!("lead:{w}")));
        if self.signed_in {
            roles.push("member".to_string());
        }
        roles
    }
}
