//! The agent's one error type.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("configuration: {0}")]
    Config(String),
    /// The hub could not be reached or answered 5xx/429: worth retrying later.
    #[error("hub unreachable: {0}")]
    Unreachable(String),
    /// The hub refused the request (4xx): retrying the same request will not help.
    #[error("hub refused the request ({status}): {message}")]
    Refused { status: u16, message: String },
    /// A source could not be listed completely (unreachable, error status, bad page).
    #[error("source: {0}")]
    Source(String),
    /// A stop signal arrived; the listing ended between two batches.
    #[error("stopped by a signal")]
    Stopped,
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// Whether the same request may succeed later.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unreachable(_))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
