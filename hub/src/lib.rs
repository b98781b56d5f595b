//! Agora hub: indexes the machine learning work that statistical offices share —
//! organisations, workstreams, projects, model cards — and serves it as a JSON API and
//! pages, behind OpenID Connect sign-in and one read/write policy.

pub mod app;
pub mod assessment;
pub mod auth;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod cookies;
pub mod db;
pub mod demo;
pub mod digest;
pub mod error;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod metrics;
pub mod plain_text;
pub mod policy;
pub mod search;
pub mod shutdown;
pub mod telemetry;

pub use app::AppState;
pub use config::Config;
pub use error::{Error, Result};
