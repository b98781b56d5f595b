//! Building the index again from the database, a page of items at a time, beside the
//! live one until it is whole.

use std::time::Instant;

use sqlx::{Connection, PgConnection, PgPool};

use crate::error::{Error, Result};
use crate::search::cursor::Cursor;
use crate::search::document::Kind;
use crate::search::handle::{Search, index_error};
use crate::search::indexer::REBUILD_PAGE;
use crate::search::indexer::events::xmin;
use crate::search::source::{self, Select};

impl Search {
    /// Rebuilds the whole index from PostgreSQL; `progress(done, total)` is called as
    /// items are read. Returns the number of documents written.
    pub async fn rebuild(&self, db: &PgPool, progress: &(dyn Fn(u64, u64) + Sync)) -> Result<u64> {
        let mut cursor = self.inner.cursor.lock().await;
        let mut conn = db.acquire().await?;
        let (c, n) = self.rebuild_locked(&mut conn, progress).await?;
        *cursor = Some(c);
        Ok(n)
    }

    pub(super) async fn rebuild_locked(
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
    pub(super) fn rollback(&self) {
        if let Ok(mut writer) = self.inner.writer.lock()
            && let Err(e) = writer.rollback()
        {
            tracing::warn!(error = %e, "search index rollback failed");
        }
    }

    pub(super) async fn rebuild_unguarded(
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
}
