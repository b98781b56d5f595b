//! Who takes part in which workstream, and in what role.

use agora_schemas::{Membership, MembershipInput, MembershipRole, Visibility};
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

use super::events::{self, NewEvent};
use super::{Outcome, PageRequest, parse_checked, parse_stored, users};
use crate::error::{Error, Result};
use crate::policy::Caller;

#[derive(FromRow)]
struct Row {
    id: i64,
    workstream: String,
    workstream_visibility: String,
    organisation: Option<String>,
    user_email: Option<String>,
    name: String,
    user_organisation: Option<String>,
    role: String,
    created_at: DateTime<Utc>,
}

const SELECT: &str = r#"
    SELECT m.id, w.slug::text AS workstream, w.visibility::text AS workstream_visibility,
           o.slug::text AS organisation, u.email AS user_email,
           coalesce(o.short_name, o.name, u.name) AS name, uo.slug::text AS user_organisation,
           m.role, m.created_at
    FROM memberships m
    JOIN workstreams w ON w.id = m.workstream_id
    LEFT JOIN organisations o ON o.id = m.organisation_id
    LEFT JOIN users u ON u.id = m.user_id
    LEFT JOIN organisations uo ON uo.id = u.organisation_id
    WHERE "#;

impl Row {
    /// People's e-mail addresses are shown to signed-in members only.
    fn into_membership(self, caller: &Caller) -> Result<Membership> {
        let _: Visibility = parse_stored("visibility", &self.workstream_visibility)?;
        let user = match self.user_email {
            Some(email) if caller.signed_in => Some(parse_checked("email", email)?),
            _ => None,
        };
        Ok(Membership {
            id: self.id,
            spec: MembershipInput {
                workstream: parse_checked("workstream", self.workstream)?,
                organisation: self
                    .organisation
                    .map(|o| parse_checked("organisation", o))
                    .transpose()?,
                user,
                role: parse_stored("role", &self.role)?,
            },
            name: self.name,
            user_organisation: self
                .user_organisation
                .map(|o| parse_checked("user_organisation", o))
                .transpose()?,
            created_at: self.created_at,
        })
    }
}

/// Filters for listing memberships.
#[derive(Debug, Clone, Default)]
pub struct MembershipFilter {
    pub workstream: Option<String>,
    pub organisation: Option<String>,
    pub role: Option<MembershipRole>,
    /// Organisations' memberships only, not people's.
    pub organisations_only: bool,
}

fn push_filter(qb: &mut QueryBuilder<Postgres>, caller: &Caller, f: &MembershipFilter) {
    caller.push_can_read(qb, "w.visibility", "'{}'::text[]");
    if let Some(ws) = &f.workstream {
        qb.push(" AND w.slug = ").push_bind(ws.clone());
    }
    if let Some(org) = &f.organisation {
        qb.push(" AND (o.slug = ")
            .push_bind(org.clone())
            .push(" OR u.organisation_id = (SELECT id FROM organisations WHERE slug = ")
            .push_bind(org.clone())
            .push("))");
    }
    if let Some(role) = f.role {
        qb.push(" AND m.role = ").push_bind(role.as_str());
    }
    if f.organisations_only {
        qb.push(" AND m.organisation_id IS NOT NULL");
    }
}

pub async fn list(
    conn: &mut PgConnection,
    caller: &Caller,
    f: &MembershipFilter,
    page: PageRequest,
) -> Result<(Vec<Membership>, i64)> {
    let mut count = QueryBuilder::new(
        "SELECT count(*) FROM memberships m JOIN workstreams w ON w.id = m.workstream_id \
         LEFT JOIN organisations o ON o.id = m.organisation_id LEFT JOIN users u ON u.id = m.user_id WHERE ",
    );
    push_filter(&mut count, caller, f);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut qb = QueryBuilder::new(SELECT);
    push_filter(&mut qb, caller, f);
    qb.push(" ORDER BY w.code, m.role, name, m.id LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *conn).await?;
    let items = rows
        .into_iter()
        .map(|r| r.into_membership(caller))
        .collect::<Result<_>>()?;
    Ok((items, total))
}

pub async fn get(conn: &mut PgConnection, caller: &Caller, id: i64) -> Result<Option<Membership>> {
    let mut qb = QueryBuilder::new(SELECT);
    caller.push_can_read(&mut qb, "w.visibility", "'{}'::text[]");
    qb.push(" AND m.id = ").push_bind(id);
    let row: Option<Row> = qb.build_query_as().fetch_optional(&mut *conn).await?;
    row.map(|r| r.into_membership(caller)).transpose()
}

struct Resolved {
    workstream_id: i64,
    workstream_visibility: Visibility,
    organisation_id: Option<i64>,
    user_id: Option<i64>,
    member_label: String,
    member_organisation: Option<String>,
}

async fn resolve(conn: &mut PgConnection, input: &MembershipInput) -> Result<Resolved> {
    let ws: Option<(i64, String)> =
        sqlx::query_as("SELECT id, visibility::text FROM workstreams WHERE slug = $1")
            .bind(input.workstream.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let (workstream_id, vis) = ws.ok_or_else(|| {
        Error::invalid(
            "workstream",
            format!("no workstream `{}`", input.workstream),
        )
    })?;
    let mut resolved = Resolved {
        workstream_id,
        workstream_visibility: parse_stored("visibility", &vis)?,
        organisation_id: None,
        user_id: None,
        member_label: String::new(),
        member_organisation: None,
    };
    if let Some(slug) = &input.organisation {
        let org: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, coalesce(short_name, name) FROM organisations WHERE slug = $1",
        )
        .bind(slug.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        let (id, label) =
            org.ok_or_else(|| Error::invalid("organisation", format!("no organisation `{slug}`")))?;
        resolved.organisation_id = Some(id);
        resolved.member_label = label;
        resolved.member_organisation = Some(slug.to_string());
    }
    if let Some(email) = &input.user {
        let user = users::by_email(&mut *conn, email)
            .await?
            .ok_or_else(|| Error::invalid("user", format!("no user with e-mail `{email}`")))?;
        resolved.user_id = Some(user.id);
        resolved.member_label = user.name;
        resolved.member_organisation = user.organisation;
    }
    Ok(resolved)
}

/// Adds a member (or changes the role of an existing one). Returns the membership id.
pub async fn save(
    conn: &mut PgConnection,
    input: &MembershipInput,
    actor: &str,
) -> Result<(i64, Outcome)> {
    let r = resolve(conn, input).await?;
    let existing: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, role FROM memberships WHERE workstream_id = $1 \
         AND organisation_id IS NOT DISTINCT FROM $2 AND user_id IS NOT DISTINCT FROM $3 FOR UPDATE",
    )
    .bind(r.workstream_id)
    .bind(r.organisation_id)
    .bind(r.user_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (id, outcome) = match existing {
        Some((id, role)) if role == input.role.as_str() => return Ok((id, Outcome::Unchanged)),
        Some((id, _)) => {
            sqlx::query("UPDATE memberships SET role = $2 WHERE id = $1")
                .bind(id)
                .bind(input.role.as_str())
                .execute(&mut *conn)
                .await?;
            (id, Outcome::Updated)
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO memberships (workstream_id, organisation_id, user_id, role) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(r.workstream_id)
            .bind(r.organisation_id)
            .bind(r.user_id)
            .bind(input.role.as_str())
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| Error::from(e).on_unique("workstream", "already a member"))?;
            (id, Outcome::Created)
        }
    };
    let summary = match (outcome, input.role) {
        (Outcome::Created, MembershipRole::Lead) => format!("{} joined as a lead", r.member_label),
        (Outcome::Created, MembershipRole::Member) => format!("{} joined", r.member_label),
        (_, role) => format!("{} is now a {}", r.member_label, role.as_str()),
    };
    events::append(
        &mut *conn,
        &NewEvent {
            actor: actor.to_string(),
            kind: if outcome == Outcome::Created {
                "membership.created"
            } else {
                "membership.updated"
            },
            subject_kind: "membership",
            subject: id.to_string(),
            summary,
            workstreams: vec![input.workstream.to_string()],
            organisations: r.member_organisation.into_iter().collect(),
            visibility: r.workstream_visibility,
            payload: serde_json::json!({ "role": input.role.as_str() }),
        },
    )
    .await?;
    Ok((id, outcome))
}

/// Removes a membership; records who left.
pub async fn delete(conn: &mut PgConnection, id: i64, actor: &str) -> Result<()> {
    let Some(m) = get(conn, &Caller::system(), id).await? else {
        return Err(Error::NotFound(format!("membership {id}")));
    };
    sqlx::query("DELETE FROM memberships WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let vis: String =
        sqlx::query_scalar("SELECT visibility::text FROM workstreams WHERE slug = $1")
            .bind(m.spec.workstream.as_str())
            .fetch_one(&mut *conn)
            .await?;
    events::append(
        &mut *conn,
        &NewEvent {
            actor: actor.to_string(),
            kind: "membership.deleted",
            subject_kind: "membership",
            subject: id.to_string(),
            summary: format!("{} left", m.name),
            workstreams: vec![m.spec.workstream.to_string()],
            organisations: m.spec.organisation.iter().map(|o| o.to_string()).collect(),
            visibility: parse_stored("visibility", &vis)?,
            payload: serde_json::json!({}),
        },
    )
    .await?;
    Ok(())
}
