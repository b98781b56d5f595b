//! Keeps the index in step with PostgreSQL by tailing the event log.
//!
//! Events are read in (transaction, id) order, and only those of transactions below the
//! xmin of a snapshot: every such transaction has finished, so no event can later appear
//! behind the cursor, whatever order transactions commit in. Each batch is applied and
//! committed to the index together with the cursor it reached (the commit payload).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection, PgPool};
use tantivy::Term;

use super::cursor::{CatchUp, Cursor};
use super::document::Kind;
use super::handle::{Payload, Search, index_error};
use super::schema::SCHEMA_VERSION;
use super::source::{self, Loaded, Select};
use crate::error::{Error, Result};

/// Events read per batch.
const BATCH: i64 = 2000;
/// Items read per page during a rebuild.
const REBUILD_PAGE: i64 = 2000;
/// Longest a catch-up waits for running transactions to finish.
pub const CATCH_UP_WAIT: Duration = Duration::from_secs(5);
/// Segments tolerated before small ones are merged.
const MAX_SEGMENTS: usize = 4;
/// How often the indexer looks for new events when idle.
const POLL: Duration = Duration::from_millis(200);

#[derive(sqlx::FromRow)]
struct EventRow {
    tx: String,
    id: i64,
    subject_kind: String,
    subject: String,
    workstreams: Vec<String>,
}

/// The subjects touched by a batch of events, by kind.
#[derive(Default)]
struct Touched {
    projects: BTreeSet<String>,
    models: BTreeSet<String>,
    workstreams: BTreeSet<String>,
    /// Workstreams changed themselves (their visibility decides which documents name them).
    changed_workstreams: BTreeSet<String>,
    organisations: BTreeSet<String>,
    assessments: BTreeSet<String>,
}

impl Touched {
    fn add(&mut self, e: &EventRow) {
        match e.subject_kind.as_str() {
            "project" => {
                self.projects.insert(e.subject.clone());
            }
            "model" => {
                self.models.insert(e.subject.clone());
            }
            // `<organisation>/<name>/<version>`: the card shows its versions.
            "model_version" => {
                if let Some((card, _)) = e.subject.rsplit_once('/') {
                    self.models.insert(card.to_string());
                }
            }
            "workstream" => {
                self.workstreams.insert(e.subject.clone());
                self.changed_workstreams.insert(e.subject.clone());
            }
            // A workstream document lists its member organisations.
            "membership" => self.workstreams.extend(e.workstreams.iter().cloned()),
            "organisation" => {
                self.organisations.insert(e.subject.clone());
            }
            // Its subject's document carries the assessment's state and levels.
            "assessment" => {
                self.assessments.insert(e.subject.clone());
            }
            _ => {}
        }
    }
}

async fn xmin(conn: &mut PgConnection) -> Result<u64> {
    let xmin: String = sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
        .fetch_one(&mut *conn)
        .await?;
    xmin.parse()
        .map_err(|e| Error::Internal(format!("unreadable xmin `{xmin}`: {e}")))
}

/// The projects, models and assessments to reindex for a batch: those touched, the
/// subjects of touched assessments (their documents carry its state and levels), and the
/// assessments of touched projects and models (they share their subject's audience, and
/// a new model version makes older versions' assessments stale).
async fn related(
    conn: &mut PgConnection,
    t: &Touched,
) -> Result<(Vec<String>, Vec<String>, Vec<String>)> {
    let mut projects = t.projects.clone();
    let mut models = t.models.clone();
    let mut assessments = t.assessments.clone();
    // Documents name a workstream only when all their readers may read it: a workstream
    // whose visibility changed is written again into the projects (and through them the
    // cards and assessments) that serve it.
    if !t.changed_workstreams.is_empty() {
        let serving: Vec<String> = sqlx::query_scalar(
            "SELECT p.slug::text FROM project_workstreams pw JOIN projects p ON p.id = pw.project_id \
             JOIN workstreams w ON w.id = pw.workstream_id WHERE w.slug = ANY($1)",
        )
        .bind(t.changed_workstreams.iter().cloned().collect::<Vec<_>>())
        .fetch_all(&mut *conn)
        .await?;
        projects.extend(serving);
    }
    if !assessments.is_empty() {
        let ids: Vec<String> = assessments.iter().cloned().collect();
        let rows: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT p.slug::text, mo.slug::text || '/' || m.name::text FROM assessments a \
             LEFT JOIN projects p ON p.id = a.project_id \
             LEFT JOIN model_versions v ON v.id = a.model_version_id \
             LEFT JOIN model_cards m ON m.id = v.model_card_id \
             LEFT JOIN organisations mo ON mo.id = m.organisation_id WHERE a.id::text = ANY($1)",
        )
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?;
        for (project, model) in rows {
            projects.extend(project);
            models.extend(model);
        }
    }
    if !projects.is_empty() || !t.models.is_empty() {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT a.id::text FROM assessments a \
             LEFT JOIN projects p ON p.id = a.project_id \
             LEFT JOIN model_versions v ON v.id = a.model_version_id \
             LEFT JOIN model_cards m ON m.id = v.model_card_id \
             LEFT JOIN organisations mo ON mo.id = m.organisation_id \
             WHERE p.slug = ANY($1) OR mo.slug::text || '/' || m.name::text = ANY($2)",
        )
        .bind(projects.iter().cloned().collect::<Vec<_>>())
        .bind(t.models.iter().cloned().collect::<Vec<_>>())
        .fetch_all(&mut *conn)
        .await?;
        assessments.extend(ids);
    }
    let list = |s: BTreeSet<String>| s.into_iter().collect::<Vec<_>>();
    Ok((list(projects), list(models), list(assessments)))
}

impl Search {
    /// Applies every event committed before the call (building the index first when it
    /// has never been built) and commits. Events wait behind transactions still running
    /// anywhere on the server; this waits up to [`CATCH_UP_WAIT`] for those to finish,
    /// then returns with what could be applied. Calls are serialised.
    pub async fn catch_up(&self, db: &PgPool) -> Result<CatchUp> {
        let target: String =
            sqlx::query_scalar("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")
                .fetch_one(db)
                .await?;
        let target: u64 = target
            .parse()
            .map_err(|e| Error::Internal(format!("unreadable xmax `{target}`: {e}")))?;
        let deadline = Instant::now() + CATCH_UP_WAIT;
        let mut total = CatchUp::default();
        loop {
            let step = self.apply_pending(db).await?;
            total.events += step.events;
            total.documents += step.documents;
            total.rebuilt |= step.rebuilt;
            let reached = self.cursor().await.is_some_and(|c| c.tx >= target);
            if reached || Instant::now() >= deadline {
                return Ok(total);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// One pass: applies the events below the current horizon and commits.
    pub async fn apply_pending(&self, db: &PgPool) -> Result<CatchUp> {
        let mut cursor = self.inner.cursor.lock().await;
        let mut report = CatchUp::default();
        let mut conn = db.acquire().await?;
        let mut position = match *cursor {
            Some(c) => c,
            None => {
                let (c, n) = self.rebuild_locked(&mut conn, &|_, _| {}).await?;
                *cursor = Some(c);
                report.rebuilt = true;
                report.documents = n;
                c
            }
        };
        loop {
            let horizon = xmin(&mut conn).await?;
            let rows: Vec<EventRow> = sqlx::query_as(
                "SELECT tx::text AS tx, id, subject_kind, subject, workstreams FROM events \
                 WHERE (tx, id) > ($1::text::xid8, $2) AND tx < $3::text::xid8 \
                 ORDER BY tx, id LIMIT $4",
            )
            .bind(position.tx.to_string())
            .bind(position.id)
            .bind(horizon.to_string())
            .bind(BATCH)
            .fetch_all(&mut *conn)
            .await?;
            let full = rows.len() as i64 == BATCH;
            let mut next = position;
            if let Some(last) = rows.last() {
                next = Cursor {
                    tx: last.tx.parse().map_err(|e| {
                        Error::Internal(format!("unreadable tx `{}`: {e}", last.tx))
                    })?,
                    id: last.id,
                };
            }
            if !full {
                // Everything below the horizon has been read.
                next = next.max(Cursor { tx: horizon, id: 0 });
            }
            if rows.is_empty() {
                // Nothing to write: the position moves in memory and is saved with the
                // next commit (re-reading an empty range after a restart costs nothing).
                position = next;
                *cursor = Some(position);
                break;
            }
            let mut touched = Touched::default();
            for row in &rows {
                touched.add(row);
            }
            report.events += rows.len() as u64;
            let applied = match self.apply(&mut conn, &touched).await {
                Ok(n) => self.commit(next).await.map(|()| n),
                Err(e) => Err(e),
            };
            report.documents += applied.inspect_err(|_| self.rollback())?;
            position = next;
            *cursor = Some(position);
            if !full {
                break;
            }
        }
        if report.documents > 0
            && let Err(e) = self.compact().await
        {
            tracing::warn!(error = %e, "search index compaction failed");
        }
        Ok(report)
    }

    /// Merges small segments once the indexer is idle, so queries visit few segments:
    /// everything but the largest segment, or everything when the others are not small.
    async fn compact(&self) -> Result<()> {
        let writer = self.inner.writer.clone();
        let merged = tokio::task::spawn_blocking(move || -> Result<bool> {
            let mut writer = writer
                .lock()
                .map_err(|_| Error::Internal("search index writer poisoned".into()))?;
            let mut metas = writer
                .index()
                .searchable_segment_metas()
                .map_err(index_error)?;
            if metas.len() <= MAX_SEGMENTS {
                return Ok(false);
            }
            metas.sort_by_key(|m| std::cmp::Reverse(m.num_docs()));
            let rest: u32 = metas[1..].iter().map(|m| m.num_docs()).sum();
            let skip = usize::from(rest * 4 < metas[0].num_docs());
            let ids: Vec<_> = metas[skip..].iter().map(|m| m.id()).collect();
            writer.merge(&ids).wait().map_err(index_error)?;
            Ok(true)
        })
        .await
        .map_err(|e| Error::Internal(format!("search merge task: {e}")))??;
        if merged {
            self.inner.reader.reload().map_err(index_error)?;
        }
        Ok(())
    }

    /// Reads the touched items and writes (or removes) their documents, uncommitted.
    async fn apply(&self, conn: &mut PgConnection, t: &Touched) -> Result<u64> {
        let mut loaded: Vec<Loaded> = Vec::new();
        let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();
        let (projects, models, assessments) = related(conn, t).await?;
        for (kind, subjects) in [
            (Kind::Project, &projects),
            (Kind::Model, &models),
            (Kind::Workstream, &list(&t.workstreams)),
            (Kind::Organisation, &list(&t.organisations)),
            (Kind::Assessment, &assessments),
        ] {
            if !subjects.is_empty() {
                loaded.extend(source::load(conn, kind, Select::Subjects(subjects)).await?);
            }
        }
        if !projects.is_empty() {
            loaded.extend(source::load(conn, Kind::Model, Select::OfProjects(&projects)).await?);
        }
        // A model may come twice (by itself and through its project): write it once.
        let mut seen = std::collections::HashSet::new();
        loaded.reverse();
        loaded.retain(|l| seen.insert(l.key.clone()));
        self.write(&loaded)?;
        Ok(loaded.len() as u64)
    }

    /// Replaces the documents of loaded items (removing those that have none).
    fn write(&self, loaded: &[Loaded]) -> Result<()> {
        let f = &self.inner.fields;
        let writer = self
            .inner
            .writer
            .lock()
            .map_err(|_| Error::Internal("search index writer poisoned".into()))?;
        for item in loaded {
            writer.delete_term(Term::from_field_text(f.key, &item.key));
            if let Some(doc) = &item.doc {
                writer
                    .add_document(doc.to_document(f))
                    .map_err(index_error)?;
            }
        }
        Ok(())
    }

    /// Commits pending changes with the cursor they reach, and makes them searchable.
    async fn commit(&self, cursor: Cursor) -> Result<()> {
        let payload = serde_json::to_string(&Payload {
            schema_version: SCHEMA_VERSION,
            cursor,
        })
        .map_err(|e| Error::Internal(e.to_string()))?;
        let writer = self.inner.writer.clone();
        tokio::task::spawn_blocking(move || -> Result<()> {
            let mut writer = writer
                .lock()
                .map_err(|_| Error::Internal("search index writer poisoned".into()))?;
            let mut prepared = writer.prepare_commit().map_err(index_error)?;
            prepared.set_payload(&payload);
            prepared.commit().map_err(index_error)?;
            Ok(())
        })
        .await
        .map_err(|e| Error::Internal(format!("search commit task: {e}")))??;
        self.inner.reader.reload().map_err(index_error)?;
        Ok(())
    }

    /// Rebuilds the whole index from PostgreSQL; `progress(done, total)` is called as
    /// items are read. Returns the number of documents written.
    pub async fn rebuild(&self, db: &PgPool, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<u64> {
        let mut cursor = self.inner.cursor.lock().await;
        let mut conn = db.acquire().await?;
        let (c, n) = self.rebuild_locked(&mut conn, progress).await?;
        *cursor = Some(c);
        Ok(n)
    }

    async fn rebuild_locked(
        &self,
        conn: &mut PgConnection,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<(Cursor, u64)> {
        let result = self.rebuild_unguarded(conn, progress).await;
        if result.is_err() {
            self.rollback();
        }
        result
    }

    /// Drops uncommitted changes, so a failed batch cannot be committed half-done later.
    fn rollback(&self) {
        if let Ok(mut writer) = self.inner.writer.lock()
            && let Err(e) = writer.rollback()
        {
            tracing::warn!(error = %e, "search index rollback failed");
        }
    }

    async fn rebuild_unguarded(
        &self,
        conn: &mut PgConnection,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<(Cursor, u64)> {
        let started = Instant::now();
        // One snapshot for every read: the horizon taken in it marks what it contains.
        // Transactions still running then have events at or above the horizon, which
        // tailing applies afterwards.
        let mut tx = conn.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let horizon = xmin(&mut tx).await?;
        let total = source::count(&mut tx).await?;
        {
            let writer = self
                .inner
                .writer
                .lock()
                .map_err(|_| Error::Internal("search index writer poisoned".into()))?;
            writer.delete_all_documents().map_err(index_error)?;
        }
        let mut done = 0u64;
        let mut written = 0u64;
        progress(0, total);
        for kind in Kind::ALL {
            let mut after = 0;
            loop {
                let page = source::load(
                    &mut tx,
                    kind,
                    Select::Page {
                        after,
                        limit: REBUILD_PAGE,
                    },
                )
                .await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                done += page.len() as u64;
                written += page.iter().filter(|l| l.doc.is_some()).count() as u64;
                let fields = &self.inner.fields;
                let writer = self
                    .inner
                    .writer
                    .lock()
                    .map_err(|_| Error::Internal("search index writer poisoned".into()))?;
                for doc in page.iter().filter_map(|l| l.doc.as_ref()) {
                    writer
                        .add_document(doc.to_document(fields))
                        .map_err(index_error)?;
                }
                drop(writer);
                progress(done, total);
                if (page.len() as i64) < REBUILD_PAGE {
                    break;
                }
            }
        }
        tx.commit().await?;
        let cursor = Cursor { tx: horizon, id: 0 };
        self.commit(cursor).await?;
        tracing::info!(
            documents = written,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "search index rebuilt"
        );
        Ok((cursor, written))
    }

    /// Runs the indexer until the task is dropped: catches up, then polls for events.
    pub async fn run_indexer(self, db: PgPool) {
        self.run_indexer_until(db, crate::shutdown::Shutdown::default())
            .await;
    }

    /// Runs the indexer until a stop is asked for; a pass under way (its batches and their
    /// commits) finishes first, so the index stops at a committed position.
    pub async fn run_indexer_until(self, db: PgPool, shutdown: crate::shutdown::Shutdown) {
        let mut backoff = POLL;
        while !shutdown.is_requested() {
            match self.apply_pending(&db).await {
                Ok(report) => {
                    if report.events > 0 || report.rebuilt {
                        tracing::debug!(
                            events = report.events,
                            documents = report.documents,
                            "search index caught up"
                        );
                    }
                    backoff = POLL;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "search indexer failed; retrying");
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
            if !shutdown.sleep(backoff).await {
                break;
            }
        }
        let position = self.cursor().await;
        tracing::info!(
            ?position,
            "search indexer stopped: nothing left uncommitted"
        );
    }
}
