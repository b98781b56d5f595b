//! Users and roles. People are found by (issuer, subject); their organisation comes from a
//! configured claim or their e-mail domain; `admin` and `steward` roles come from the
//! provider's groups claim (replaced at every sign-in) or are granted on the hub (kept).
//! Workstream leads come from memberships.

use serde_json::{Map, Value};
use sqlx::PgConnection;

use crate::config::ProviderConfig;
use crate::db::Outcome;
use crate::error::{Error, Result};

/// A hub role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Steward,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Steward => "steward",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "admin" => Ok(Role::Admin),
            "steward" => Ok(Role::Steward),
            _ => Err(format!("unknown role `{s}`: use `admin` or `steward`")),
        }
    }
}

/// What a provider's claims say about a person.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Mapped {
    /// The organisation slug, when the claim or the e-mail domain names one.
    pub organisation: Option<String>,
    pub admin: bool,
    /// Organisation slugs the person stewards.
    pub steward_of: Vec<String>,
}

/// The group names in a claim: a list of strings or one string. Keycloak's full group
/// paths (`/agora-admins`) are read without the leading `/`.
fn groups(claims: &Map<String, Value>, claim: &str) -> Vec<String> {
    let clean = |s: &str| s.trim_start_matches('/').to_string();
    match claims.get(claim) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(clean).collect(),
        Some(Value::String(s)) => vec![clean(s)],
        _ => vec![],
    }
}

/// Maps claims to an organisation and roles, following the provider's settings.
pub fn map_claims(
    provider: &ProviderConfig,
    email: Option<&str>,
    claims: &Map<String, Value>,
) -> Mapped {
    let organisation = provider
        .organisation_claim
        .as_deref()
        .and_then(|c| claims.get(c))
        .and_then(Value::as_str)
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .or_else(|| {
            let domain = email?.rsplit_once('@')?.1.to_ascii_lowercase();
            provider
                .email_domains
                .iter()
                .find(|(d, _)| {
                    let d = d.to_ascii_lowercase();
                    domain == d || domain.ends_with(&format!(".{d}"))
                })
                .map(|(_, org)| org.clone())
        });
    let groups = groups(claims, &provider.groups_claim);
    let admin = groups.iter().any(|g| provider.admin_groups.contains(g));
    let mut steward_of: Vec<String> = groups
        .iter()
        .filter_map(|g| {
            provider.steward_groups.get(g).cloned().or_else(|| {
                let pattern = provider.steward_group_pattern.as_deref()?;
                let (before, after) = pattern.split_once("{organisation}")?;
                let org = g.strip_prefix(before)?.strip_suffix(after)?;
                (!org.is_empty()).then(|| org.to_string())
            })
        })
        .collect();
    steward_of.sort();
    steward_of.dedup();
    Mapped {
        organisation,
        admin,
        steward_of,
    }
}

/// Who signed in, as the provider says.
#[derive(Debug, Clone)]
pub struct ProviderIdentity {
    pub issuer: String,
    pub subject: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
}

async fn organisation_id(conn: &mut PgConnection, slug: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Creates or updates the user a provider vouches for, and replaces the roles the
/// provider's groups grant. Returns the user id.
///
/// A user is found by (issuer, subject). A person known to the hub only by a verified
/// e-mail address (demo data, or granted a role before first sign-in) is linked on first
/// sign-in; an address that belongs to another identity is refused.
pub async fn upsert_from_provider(
    conn: &mut PgConnection,
    who: &ProviderIdentity,
    mapped: &Mapped,
) -> Result<i64> {
    let email = who.email.to_lowercase();
    let org_id = match &mapped.organisation {
        Some(slug) => {
            let id = organisation_id(conn, slug).await?;
            if id.is_none() {
                tracing::warn!(organisation = %slug, "sign-in names an organisation the hub does not know");
            }
            id
        }
        None => None,
    };
    let known: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE issuer = $1 AND subject = $2 FOR UPDATE")
            .bind(&who.issuer)
            .bind(&who.subject)
            .fetch_optional(&mut *conn)
            .await?;
    let taken_by: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, issuer FROM users WHERE email = $1 FOR UPDATE")
            .bind(&email)
            .fetch_optional(&mut *conn)
            .await?;
    let refused = || {
        Error::Forbidden(format!(
            "the e-mail address {email} belongs to another account on this hub; ask an administrator"
        ))
    };
    let user_id = match (known, taken_by) {
        (Some(id), Some((other, _))) if other != id => return Err(refused()),
        (Some(id), _) => {
            sqlx::query(
                "UPDATE users SET email = $2, name = $3, \
                 organisation_id = coalesce($4, organisation_id) WHERE id = $1",
            )
            .bind(id)
            .bind(&email)
            .bind(&who.name)
            .bind(org_id)
            .execute(&mut *conn)
            .await?;
            id
        }
        (None, Some((id, None))) if who.email_verified => {
            sqlx::query(
                "UPDATE users SET issuer = $2, subject = $3, name = $4, \
                 organisation_id = coalesce($5, organisation_id) WHERE id = $1",
            )
            .bind(id)
            .bind(&who.issuer)
            .bind(&who.subject)
            .bind(&who.name)
            .bind(org_id)
            .execute(&mut *conn)
            .await?;
            id
        }
        (None, Some(_)) => return Err(refused()),
        (None, None) => {
            sqlx::query_scalar(
                "INSERT INTO users (email, name, organisation_id, issuer, subject) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(&email)
            .bind(&who.name)
            .bind(org_id)
            .bind(&who.issuer)
            .bind(&who.subject)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND source = 'provider'")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    if mapped.admin {
        sqlx::query(
            "INSERT INTO user_roles (user_id, role, source) VALUES ($1, 'admin', 'provider')",
        )
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO user_roles (user_id, role, organisation_id, source) \
         SELECT $1, 'steward', o.id, 'provider' FROM organisations o WHERE o.slug = ANY($2)",
    )
    .bind(user_id)
    .bind(&mapped.steward_of)
    .execute(&mut *conn)
    .await?;
    Ok(user_id)
}

/// Grants a hub role to the person with this e-mail address, creating the person when the
/// hub does not know them yet (they are linked at their first sign-in).
pub async fn grant(
    conn: &mut PgConnection,
    email: &str,
    role: Role,
    organisation: Option<&str>,
) -> Result<Outcome> {
    let org_id = role_organisation(conn, role, organisation).await?;
    let email = email.trim().to_lowercase();
    if !email.contains('@') {
        return Err(Error::invalid("email", "not an e-mail address"));
    }
    let name = email.split('@').next().unwrap_or_default().to_string();
    let user_id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, name) VALUES ($1, $2) \
         ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id",
    )
    .bind(&email)
    .bind(&name)
    .fetch_one(&mut *conn)
    .await?;
    let inserted = sqlx::query(
        "INSERT INTO user_roles (user_id, role, organisation_id, source) VALUES ($1, $2, $3, 'hub') \
         ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(org_id)
    .execute(&mut *conn)
    .await?;
    Ok(if inserted.rows_affected() == 1 {
        Outcome::Created
    } else {
        Outcome::Unchanged
    })
}

/// Withdraws a hub-granted role.
pub async fn revoke(
    conn: &mut PgConnection,
    email: &str,
    role: Role,
    organisation: Option<&str>,
) -> Result<bool> {
    let org_id = role_organisation(conn, role, organisation).await?;
    let done = sqlx::query(
        "DELETE FROM user_roles WHERE source = 'hub' AND role = $2 \
         AND organisation_id IS NOT DISTINCT FROM $3 \
         AND user_id = (SELECT id FROM users WHERE email = lower($1))",
    )
    .bind(email.trim())
    .bind(role.as_str())
    .bind(org_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

async fn role_organisation(
    conn: &mut PgConnection,
    role: Role,
    organisation: Option<&str>,
) -> Result<Option<i64>> {
    match (role, organisation) {
        (Role::Admin, None) => Ok(None),
        (Role::Admin, Some(_)) => Err(Error::invalid(
            "org",
            "the admin role is hub-wide: leave out --org",
        )),
        (Role::Steward, None) => Err(Error::invalid(
            "org",
            "a steward stewards one organisation: add --org <slug>",
        )),
        (Role::Steward, Some(slug)) => organisation_id(conn, slug)
            .await?
            .map(Some)
            .ok_or_else(|| Error::invalid("org", format!("no organisation `{slug}`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn provider() -> ProviderConfig {
        serde_json::from_value(json!({
            "name": "keycloak",
            "issuer": "https://sso.example.org/realms/agora",
            "client_id": "agora-hub",
            "organisation_claim": "organisation",
            "email_domains": {"insee.fr": "insee", "scb.se": "scb"},
            "admin_groups": ["agora-admins"],
            "steward_groups": {"ons-stewards": "ons"},
            "steward_group_pattern": "agora-stewards-{organisation}",
        }))
        .unwrap()
    }

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn groups_grant_admin_and_stewardships() {
        let m = map_claims(
            &provider(),
            Some("a@insee.fr"),
            &claims(
                json!({"groups": ["/agora-admins", "agora-stewards-inegi", "ons-stewards", "other"]}),
            ),
        );
        assert!(m.admin);
        assert_eq!(m.steward_of, vec!["inegi", "ons"]);
        assert_eq!(m.organisation.as_deref(), Some("insee"));
    }

    #[test]
    fn the_organisation_claim_wins_over_the_email_domain() {
        let m = map_claims(
            &provider(),
            Some("b@insee.fr"),
            &claims(json!({"organisation": "INEGI"})),
        );
        assert_eq!(m.organisation.as_deref(), Some("inegi"));
        assert!(!m.admin);
        assert!(m.steward_of.is_empty());
    }

    #[test]
    fn email_subdomains_map_and_unknown_domains_do_not() {
        let p = provider();
        let m = map_claims(&p, Some("k@stat.scb.se"), &Map::new());
        assert_eq!(m.organisation.as_deref(), Some("scb"));
        let m = map_claims(&p, Some("c@example.org"), &Map::new());
        assert_eq!(m, Mapped::default());
        let m = map_claims(&p, Some("c@notscb.se"), &Map::new());
        assert_eq!(m.organisation, None);
    }

    #[test]
    fn a_single_group_string_counts() {
        let m = map_claims(
            &provider(),
            None,
            &claims(json!({"groups": "agora-admins"})),
        );
        assert!(m.admin);
    }
}
