//! Why a manifest (an `agora.yaml`, a `MODEL_CARD.md`, a `qf4sa.yaml`) was not accepted:
//! the field at fault and the reason, as the agent reports a refused item.

use agora_schemas::decode::DecodeError;

/// Why a manifest was not accepted: the field at fault (a path) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub field: Option<String>,
    pub reason: String,
}

impl From<DecodeError> for Rejection {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::Invalid(f) => Self {
                field: Some(f.field),
                reason: f.message,
            },
            DecodeError::Syntax { .. } => Self {
                field: None,
                reason: e.to_string(),
            },
        }
    }
}

pub(super) fn reject(field: Option<&str>, reason: impl Into<String>) -> Rejection {
    Rejection {
        field: field.map(str::to_string),
        reason: reason.into(),
    }
}
