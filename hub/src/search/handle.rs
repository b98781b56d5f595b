//! The handle on the index: opening, creating or rebuilding it, and what it holds.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy};

use agora_search::Engine;

use super::cursor::Cursor;
use super::schema::{Fields, SCHEMA_VERSION};
use crate::error::{Error, Result};

/// Heap given to the index writer.
const WRITER_MEMORY: usize = 40_000_000;
/// Decompressed blocks of stored documents kept per segment (4 KB each, see
/// [`DOCSTORE_BLOCK_BYTES`]): the hits of common searches come back often, and
/// decompressing a block per hit is a noticeable part of a search.
const DOC_STORE_CACHE_BLOCKS: usize = 4000;
/// The size of a block of the document store before compression.
const DOCSTORE_BLOCK_BYTES: usize = 4096;

/// A cheap, clonable handle on the search index.
#[derive(Clone)]
pub struct Search {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) fields: Fields,
    pub(super) reader: IndexReader,
    pub(super) writer: Arc<Mutex<IndexWriter>>,
    /// The indexer's position; `None` until the index has been built from PostgreSQL.
    pub(super) cursor: tokio::sync::Mutex<Option<Cursor>>,
    /// The engine, with what it keeps of the segments searches have met.
    pub(super) engine: Engine,
    pub(super) dir: Option<PathBuf>,
}

/// What each commit records next to the documents.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Payload {
    pub(super) schema_version: u32,
    pub(super) cursor: Cursor,
}

impl Search {
    /// An index in memory, built from PostgreSQL on first catch-up (tests, tools).
    pub fn in_ram() -> Result<Self> {
        let fields = Fields::new();
        let index = builder(&fields).create_in_ram().map_err(index_error)?;
        Self::from_index(index, fields, None, None)
    }

    /// Opens the index in `dir`, creating it when missing. A damaged index, or one written
    /// with another schema, is emptied and will be rebuilt from PostgreSQL.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_in(dir).map_err(|e| match e {
            Error::Io(io) => Error::Config(format!("`index_dir`: {}: {io}", dir.display())),
            other => other,
        })
    }

    fn open_in(dir: &Path) -> Result<Self> {
        let fields = Fields::new();
        match Self::open_existing(dir, &fields) {
            Ok(Some((index, cursor))) => {
                return Self::from_index(index, fields, Some(dir.to_path_buf()), cursor);
            }
            Ok(None) => {}
            Err(reason) => {
                tracing::warn!(dir = %dir.display(), %reason, "search index unusable; rebuilding it");
            }
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let index = builder(&fields).create_in_dir(dir).map_err(index_error)?;
        Self::from_index(index, fields, Some(dir.to_path_buf()), None)
    }

    /// `Ok(None)` when there is no index yet; `Err` with the reason when it is unusable.
    fn open_existing(
        dir: &Path,
        fields: &Fields,
    ) -> Result<Option<(Index, Option<Cursor>)>, String> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let directory = MmapDirectory::open(dir).map_err(|e| e.to_string())?;
        let index = Index::open(directory).map_err(|e| e.to_string())?;
        let same =
            serde_json::to_value(index.schema()).ok() == serde_json::to_value(&fields.schema).ok();
        if !same {
            return Err("its schema differs from this version's".into());
        }
        let metas = index.load_metas().map_err(|e| e.to_string())?;
        let cursor = match metas.payload {
            None => None,
            Some(p) => {
                let payload: Payload = serde_json::from_str(&p).map_err(|e| e.to_string())?;
                if payload.schema_version != SCHEMA_VERSION {
                    return Err(format!(
                        "it was built with schema version {}, this is {SCHEMA_VERSION}",
                        payload.schema_version
                    ));
                }
                Some(payload.cursor)
            }
        };
        Ok(Some((index, cursor)))
    }

    fn from_index(
        index: Index,
        fields: Fields,
        dir: Option<PathBuf>,
        cursor: Option<Cursor>,
    ) -> Result<Self> {
        agora_search::analyzer::register(&index);
        let writer: IndexWriter = index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => Error::Config(format!(
                    "`index_dir`: the index in {} is in use by another hub process",
                    dir.as_deref().unwrap_or(Path::new("memory")).display()
                )),
                other => index_error(other),
            })?;
        // Merges happen in one place, when the indexer is idle (see `indexer::compact`).
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()
            .map_err(index_error)?;
        Ok(Self {
            inner: Arc::new(Inner {
                engine: Engine::new(fields.layout()),
                fields,
                reader,
                writer: Arc::new(Mutex::new(writer)),
                cursor: tokio::sync::Mutex::new(cursor),
                dir,
            }),
        })
    }

    /// Number of documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Number of segments searches visit.
    pub fn num_segments(&self) -> usize {
        self.inner.reader.searcher().segment_readers().len()
    }

    /// The folder of the index, when it lives on disk.
    pub fn dir(&self) -> Option<&Path> {
        self.inner.dir.as_deref()
    }

    /// Bytes used by the index files on disk (0 in memory).
    pub fn size_on_disk(&self) -> u64 {
        fn walk(p: &Path) -> u64 {
            std::fs::read_dir(p)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => walk(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        }
        self.inner.dir.as_deref().map(walk).unwrap_or(0)
    }

    /// The position of the indexer in the event log, once the index is built.
    pub async fn cursor(&self) -> Option<Cursor> {
        *self.inner.cursor.lock().await
    }
}

/// A new index of `fields`. Stored documents are read only for the hits of a page, one
/// block of the store for each: small blocks keep that to about one document's bytes.
fn builder(fields: &Fields) -> tantivy::IndexBuilder {
    Index::builder()
        .schema(fields.schema.clone())
        .settings(tantivy::IndexSettings {
            docstore_blocksize: DOCSTORE_BLOCK_BYTES,
            ..Default::default()
        })
}

pub(super) fn index_error(e: tantivy::TantivyError) -> Error {
    Error::Internal(format!("search index: {e}"))
}
