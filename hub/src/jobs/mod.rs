//! Federated benchmark jobs: the queue's wake-ups and its reaper.
//!
//! The queue itself is the `benchmark_jobs` table (see [`crate::db::jobs`]). Writers that
//! queue a job send `NOTIFY agora_jobs, '<organisation>'` in their transaction; one
//! [`Dispatcher`] per hub process listens on a single connection and wakes the lease
//! requests waiting for that organisation, so a long poll answers as soon as a job is
//! committed without a connection per waiting agent. The [`reaper`] returns jobs whose
//! lease expired to the queue, sharing the work between replicas through row locks.

mod dispatch;
pub mod reaper;

pub use dispatch::Dispatcher;
