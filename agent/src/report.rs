//! What `sync` and `dry-run` tell the operator, item by item: each item refused (by the hub
//! or by the agent itself), accepted with warnings, or held back until the item it needs is
//! accepted; then one summary line per source and one for the hub's answers. Text lines
//! (`refused source=… key="…" field="…" reason="…" by=hub`) by default, JSON lines with
//! `--json`.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

/// How notices are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// `kind name=value…` lines, values quoted when they are free text.
    #[default]
    Text,
    /// One JSON object per line, with an `event` field.
    Json,
}

/// Who refused an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// The agent could not read it (a malformed manifest, an unusable MLflow record).
    Agent,
    /// The hub answered `rejected`.
    Hub,
}

impl By {
    fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Hub => "hub",
        }
    }
}

/// Where notices go: stdout, except for `dry-run`'s text notices, which go to stderr so
/// that its stdout stays the JSON lines of what would be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Prints notices and counts them, for the exit code.
#[derive(Debug)]
pub struct Reporter {
    format: Format,
    stream: Stream,
    refused: AtomicU64,
    warned: AtomicU64,
    waiting: AtomicU64,
}

impl Reporter {
    pub fn new(format: Format, stream: Stream) -> Self {
        Self {
            format,
            stream,
            refused: AtomicU64::new(0),
            warned: AtomicU64::new(0),
            waiting: AtomicU64::new(0),
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Items refused since the start, by the agent or the hub.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Warnings printed since the start.
    pub fn warned(&self) -> u64 {
        self.warned.load(Ordering::Relaxed)
    }

    /// Items held back since the start.
    pub fn waiting(&self) -> u64 {
        self.waiting.load(Ordering::Relaxed)
    }

    /// An item that was not accepted.
    pub fn refusal(&self, source: &str, key: &str, field: Option<&str>, reason: &str, by: By) {
        self.refused.fetch_add(1, Ordering::Relaxed);
        self.notice(
            "refused",
            source,
            key,
            field,
            reason,
            &[("by", by.as_str())],
        );
    }

    /// A value accepted as written that could not be used.
    pub fn warning(&self, source: &str, key: &str, field: &str, reason: &str, by: By) {
        self.warned.fetch_add(1, Ordering::Relaxed);
        self.notice(
            "warning",
            source,
            key,
            Some(field),
            reason,
            &[("by", by.as_str())],
        );
    }

    /// An item not sent because the item it needs (`needs`, its model card) was refused.
    pub fn held_back(&self, source: &str, key: &str, needs: &str, why: &str) {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let reason = format!(
            "not sent: it waits until its model card `{needs}` is accepted (refused: {why})"
        );
        self.notice(
            "waiting",
            source,
            key,
            Some("model"),
            &reason,
            &[("needs", needs)],
        );
    }

    fn notice(
        &self,
        event: &str,
        source: &str,
        key: &str,
        field: Option<&str>,
        reason: &str,
        extra: &[(&str, &str)],
    ) {
        let line = match self.format {
            Format::Json => {
                let mut v = json!({"event": event, "source": source, "key": key,
                    "field": field, "reason": reason});
                for (k, x) in extra {
                    v[*k] = Value::String((*x).to_string());
                }
                v.to_string()
            }
            Format::Text => {
                let mut line = format!("{event} source={source} key={key:?}");
                if let Some(f) = field {
                    line.push_str(&format!(" field={f:?}"));
                }
                line.push_str(&format!(" reason={reason:?}"));
                for (k, x) in extra {
                    line.push_str(&format!(" {k}={x}"));
                }
                line
            }
        };
        self.line(&line);
    }

    /// A summary: `kind` then its fields, as `kind a=1 b=2` or `{"event": kind, "a": 1…}`.
    /// In text, a first field named like the kind stands for it (`source=ml listed=3`).
    pub fn summary(&self, kind: &str, fields: &[(&str, Value)]) {
        let line = match self.format {
            Format::Json => {
                let mut v = json!({"event": kind});
                for (k, x) in fields {
                    v[*k] = x.clone();
                }
                v.to_string()
            }
            Format::Text => {
                let mut line = if fields.first().is_some_and(|(k, _)| *k == kind) {
                    String::new()
                } else {
                    kind.to_string()
                };
                for (k, x) in fields {
                    let part = match x {
                        Value::Null => continue,
                        Value::String(s) if *k == "source" => format!("{k}={s}"),
                        Value::String(s) => format!("{k}={s:?}"),
                        other => format!("{k}={other}"),
                    };
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(&part);
                }
                line
            }
        };
        self.line(&line);
    }

    fn line(&self, line: &str) {
        // A closed pipe (`| head`) must not stop a sync: the line is dropped.
        let _ = match self.stream {
            Stream::Stdout => writeln!(std::io::stdout().lock(), "{line}"),
            Stream::Stderr => writeln!(std::io::stderr().lock(), "{line}"),
        };
    }
}
