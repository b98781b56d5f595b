//! The defaults of the top-level settings, named in one place (serde's `default = …`);
//! `docs/operator/configuration.md` lists them with every other setting.

use std::path::PathBuf;
use std::time::Duration;

pub(super) fn spool_dir() -> PathBuf {
    PathBuf::from("/var/lib/agora-agent")
}
pub(super) fn interval() -> Duration {
    Duration::from_secs(15 * 60)
}
pub(super) fn batch_size() -> usize {
    200
}
pub(super) fn max_backoff() -> Duration {
    Duration::from_secs(300)
}
pub(super) fn request_timeout() -> Duration {
    Duration::from_secs(60)
}
