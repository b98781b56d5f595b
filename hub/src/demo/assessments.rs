//! Demo assessments (`hub/demo/assessments.yaml`): each replayed as its authors and
//! reviewers would have made it — versions, submission, review — through the same writes
//! and the same review policy as the API. Seeding again changes nothing.

use agora_schemas::{
    AssessmentInput, Content, Decision, Email, FieldError, ReviewInput, Subject, Validate,
};
use serde::Deserialize;
use sqlx::PgConnection;

use super::Tally;
use crate::db::Outcome;
use crate::db::assessments::{resolve, sync, write};
use crate::error::{Error, Result};
use crate::policy::write::review_standing;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoVersion {
    #[serde(default)]
    pub note: Option<String>,
    pub content: Content,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoReview {
    pub reviewer: Email,
    pub decision: Decision,
    pub comments: String,
}

/// A demo assessment with its history.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoAssessment {
    pub subject: Subject,
    pub author: Email,
    pub versions: Vec<DemoVersion>,
    #[serde(default)]
    pub submitted: bool,
    #[serde(default)]
    pub review: Option<DemoReview>,
}

impl Validate for DemoAssessment {
    fn validate(&self) -> std::result::Result<(), FieldError> {
        let nested =
            |p: String, e: FieldError| FieldError::new(format!("{p}.{}", e.field), e.message);
        self.subject
            .validate()
            .map_err(|e| nested("subject".into(), e))?;
        if self.versions.is_empty() {
            return Err(FieldError::new(
                "versions",
                "must have at least one version",
            ));
        }
        for (i, v) in self.versions.iter().enumerate() {
            v.content
                .validate()
                .map_err(|e| nested(format!("versions[{i}].content"), e))?;
        }
        if self.review.is_some() && !self.submitted {
            return Err(FieldError::new(
                "review",
                "only a submitted assessment is reviewed",
            ));
        }
        Ok(())
    }
}

/// The caller a demo person acts as, with their roles.
async fn person(conn: &mut PgConnection, email: &Email) -> Result<crate::policy::Caller> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let id = id.ok_or_else(|| Error::Demo(format!("assessments: no demo person `{email}`")))?;
    let who = crate::auth::load_user(&mut *conn, id)
        .await?
        .ok_or_else(|| Error::Demo(format!("assessments: `{email}` cannot be loaded")))?;
    Ok(who.caller)
}

/// Seeds one assessment: its versions, then its submission and review, unless its
/// current content is already the last version listed.
pub async fn seed_one(
    conn: &mut PgConnection,
    a: &DemoAssessment,
    tally: &mut Tally,
) -> Result<()> {
    let subject = resolve(conn, &a.subject, None).await?;
    let Some(last) = a.versions.last() else {
        return Ok(());
    };
    let kind = last.content.kind();
    let existing: Option<(i64, serde_json::Value)> = sqlx::query_as(
        "SELECT id, content FROM assessments WHERE kind = $1 AND (project_id = $2 OR model_version_id = $3)",
    )
    .bind(kind.as_str())
    .bind(subject.project_id)
    .bind(subject.model_version_id)
    .fetch_optional(&mut *conn)
    .await?;
    let replay: &[DemoVersion] = match &existing {
        Some((_, stored))
            if crate::db::assessments::content_of(stored.clone())? == last.content =>
        {
            tally.add(Outcome::Unchanged);
            return Ok(());
        }
        Some(_) => std::slice::from_ref(last),
        None => &a.versions,
    };
    let actor = a.author.to_string();
    let mut id = existing.map(|(id, _)| id);
    for v in replay {
        let input = AssessmentInput {
            subject: subject.subject.clone(),
            content: v.content.clone(),
            note: v.note.clone(),
        };
        id = Some(sync::upsert(conn, &subject, &input, &actor, None).await?.0);
    }
    let id = id.ok_or_else(|| Error::Internal("demo assessment without an id".into()))?;
    tally.add(if replay.len() == a.versions.len() {
        Outcome::Created
    } else {
        Outcome::Updated
    });
    if a.submitted {
        let locked = write::lock(conn, id)
            .await?
            .ok_or_else(|| Error::Internal("demo assessment vanished".into()))?;
        write::submit(conn, &locked, None, &actor).await?;
    }
    if let Some(r) = &a.review {
        let reviewer = person(conn, &r.reviewer).await?;
        let standing = review_standing(&reviewer, &subject.owners, &subject.workstreams)
            .ok_or_else(|| {
                Error::Demo(format!(
                    "assessments: `{}` may not review the assessment of {}",
                    r.reviewer,
                    subject.subject.label()
                ))
            })?;
        let locked = write::lock(conn, id)
            .await?
            .ok_or_else(|| Error::Internal("demo assessment vanished".into()))?;
        let input = ReviewInput {
            decision: r.decision,
            comments: r.comments.clone(),
            version: Some(locked.version),
        };
        write::review(conn, &locked, &input, &reviewer, &standing).await?;
    }
    Ok(())
}
