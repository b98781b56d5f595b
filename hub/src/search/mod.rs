//! Full-text search over shared work: a tantivy index derived from PostgreSQL.
//!
//! The index is fed from the event log (the outbox: every write appends an event in its
//! own transaction) by [`indexer`], which commits the position it reached together with
//! the documents, so a restart resumes where it stopped. The folder is disposable: a
//! missing, damaged or outdated index is rebuilt from PostgreSQL.

//!
//! The engine itself (analysis, evaluation, scoring, facet counts, snippets) is the
//! `agora-search` crate; this module maps the hub's items to its documents
//! ([`document`], [`source`]), reads the HTTP parameters ([`query`]), turns a caller into
//! an access set ([`access`]) and keeps the index up to date ([`indexer`]).

pub mod access;
mod cursor;
pub mod document;
mod handle;
mod indexer;
mod levels;
pub mod query;
mod results;
pub mod schema;
pub mod source;

pub use cursor::{CatchUp, Cursor};
pub use handle::Search;
pub use query::{SearchRequest, Sort};
pub use results::{FacetCount, Hit, SearchResults, Suggestion};
