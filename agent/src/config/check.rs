//! What serde cannot check: rules across keys, then each table's own rules (`[jobs]`,
//! every source), each error naming its key.

use agora_schemas::Slug;

use super::{AgentConfig, SourceDef};
use crate::error::{Error, Result};

impl AgentConfig {
    /// Checks what serde cannot; errors name the key.
    pub(super) fn check(&self) -> Result<()> {
        if !(1..=agora_schemas::sync::MAX_BATCH_ITEMS).contains(&self.batch_size) {
            return Err(Error::Config(format!(
                "`batch_size`: must be between 1 and {}",
                agora_schemas::sync::MAX_BATCH_ITEMS
            )));
        }
        for (i, s) in self.sources.iter().enumerate() {
            if self.sources[..i].iter().any(|o| o.name == s.name) {
                return Err(Error::Config(format!(
                    "`sources[{i}].name`: `{}` is used by another source",
                    s.name
                )));
            }
        }
        if let Some(jobs) = &self.jobs {
            jobs.check()?;
        }
        self.source_defs().map(|_| ())
    }

    /// The organisation, required by the commands that list sources.
    pub fn organisation(&self) -> Result<&Slug> {
        self.organisation.as_ref().ok_or_else(|| {
            Error::Config("`organisation`: required (the agent's organisation slug)".into())
        })
    }

    /// The checked sources.
    pub fn source_defs(&self) -> Result<Vec<SourceDef>> {
        self.sources
            .iter()
            .enumerate()
            .map(|(i, s)| s.check(i, self.interval))
            .collect()
    }
}
