//! Keeps the index in step with PostgreSQL by tailing the event log.
//!
//! Events are read in (transaction, id) order, and only those of transactions below the
//! xmin of a snapshot: every such transaction has finished, so no event can later appear
//! behind the cursor, whatever order transactions commit in. Each batch is applied and
//! committed to the index together with the cursor it reached (the commit payload).

mod events;
mod rebuild;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use sqlx::{PgConnection, PgPool};
use tantivy::Term;

use self::events::{EventRow, Touched, related, xmin};
use crate::error::{Error, Result};
use crate::search::cursor::{CatchUp, Cursor};
use crate::search::document::Kind;
use crate::search::handle::{Payload, Search, index_error};
use crate::search::schema::SCHEMA_VERSION;
use crate::search::source::{self, Loaded, Select};

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
