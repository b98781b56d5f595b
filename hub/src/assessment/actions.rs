//! The writes on assessments as the API and the pages both make them: each in one
//! transaction, the read policy first (an invisible assessment is a 404), then the write
//! policy, then the change and its event.

use agora_schemas::{Assessment, AssessmentEdit, AssessmentInput, ReviewInput, SubmitInput};
use sqlx::PgPool;

use crate::db::assessments::{self, write};
use crate::error::{Error, Result};
use crate::policy::{Caller, write as policy};

/// Creates an assessment of a subject the caller's organisation owns.
pub async fn create(db: &PgPool, caller: &Caller, input: &AssessmentInput) -> Result<Assessment> {
    policy::require(caller, true, "write assessments")?;
    let mut tx = db.begin().await?;
    let subject = assessments::resolve_visible(&mut tx, caller, input).await?;
    policy::require(
        caller,
        policy::can_write_assessment(caller, &subject.owners),
        "assess another organisation's work: its own people write its assessments",
    )?;
    let id = write::create(&mut tx, &subject, input, &caller.actor, None).await?;
    let saved = write::reread(&mut tx, id).await?;
    tx.commit().await?;
    Ok(saved)
}

async fn visible(tx: &mut sqlx::PgConnection, caller: &Caller, id: i64) -> Result<Assessment> {
    assessments::get(tx, caller, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("assessment {id}")))
}

/// Adds a version; `false` when the content was already that.
pub async fn edit(
    db: &PgPool,
    caller: &Caller,
    id: i64,
    input: &AssessmentEdit,
) -> Result<(Assessment, bool)> {
    policy::require(caller, true, "write assessments")?;
    let mut tx = db.begin().await?;
    let current = visible(&mut tx, caller, id).await?;
    policy::require(
        caller,
        policy::can_write_assessment(caller, &current.organisations),
        "change another organisation's assessment",
    )?;
    let locked = write::lock(&mut tx, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("assessment {id}")))?;
    let changed = write::edit(
        &mut tx,
        &locked,
        &input.content,
        input.note.as_deref(),
        &caller.actor,
    )
    .await?;
    let saved = write::reread(&mut tx, id).await?;
    tx.commit().await?;
    Ok((saved, changed))
}

/// Submits a draft for review.
pub async fn submit(
    db: &PgPool,
    caller: &Caller,
    id: i64,
    input: &SubmitInput,
) -> Result<Assessment> {
    policy::require(caller, true, "submit assessments")?;
    let mut tx = db.begin().await?;
    let current = visible(&mut tx, caller, id).await?;
    policy::require(
        caller,
        policy::can_write_assessment(caller, &current.organisations),
        "submit another organisation's assessment",
    )?;
    let locked = write::lock(&mut tx, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("assessment {id}")))?;
    write::submit(&mut tx, &locked, input.version, &caller.actor).await?;
    let saved = write::reread(&mut tx, id).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Reviews a submitted assessment: a lead of one of its workstreams, or a person of
/// another organisation than the subject's.
pub async fn review(
    db: &PgPool,
    caller: &Caller,
    id: i64,
    input: &ReviewInput,
) -> Result<Assessment> {
    policy::require(caller, true, "review assessments")?;
    let mut tx = db.begin().await?;
    let current = visible(&mut tx, caller, id).await?;
    let standing = policy::review_standing(caller, &current.organisations, &current.workstreams);
    let Some(standing) = standing else {
        return Err(Error::Forbidden(
            "you may not review this assessment: reviews come from a person of another \
             organisation, or from a lead of one of its workstreams"
                .into(),
        ));
    };
    let locked = write::lock(&mut tx, id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("assessment {id}")))?;
    write::review(&mut tx, &locked, input, caller, &standing).await?;
    let saved = write::reread(&mut tx, id).await?;
    tx.commit().await?;
    Ok(saved)
}
