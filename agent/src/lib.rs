//! Agora agent: runs next to a statistical office's own platform, sends the metadata the
//! office allows to the hub, and runs the hub's benchmark jobs on the office's cluster.

pub mod cli;
pub mod client;
pub mod config;
pub mod daemon;
pub mod duration;
pub mod error;
pub mod executors;
pub mod jobs;
pub mod metrics;
pub mod release;
pub mod report;
pub mod shutdown;
pub mod sources;
pub mod spool;
pub mod state;
pub mod sync;

pub use config::AgentConfig;
pub use error::{Error, Result};
