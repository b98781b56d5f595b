//! Where a benchmark job runs: one [`Executor`] trait, four engines. The job loop
//! (`crate::jobs`) drives them all the same way: submit, poll the status, read the log
//! from an offset, collect the metrics, cancel.

pub mod argo;
pub mod argv;
mod http;
pub mod kubernetes;
pub mod local;
pub mod slurm;

use std::collections::BTreeMap;
use std::future::Future;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::pin::Pin;

use agora_schemas::benchmark::ResourceRequest;
use agora_schemas::job::{ExecutorKind, Hardware};

pub use argv::Values;

/// A boxed future, so the trait can be used as `dyn Executor`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An executor's failure: the engine could not be reached or refused the request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ExecError(pub String);

impl ExecError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

pub type ExecResult<T> = Result<T, ExecError>;

/// Metrics as the job wrote them.
pub type Metrics = BTreeMap<String, f64>;

/// What a job needs, whatever runs it.
#[derive(Debug, Clone)]
pub struct JobSpec {
    pub job_id: i64,
    pub attempt: u32,
    /// The benchmark's argv template; `None` runs the image's entrypoint.
    pub command: Option<Vec<String>>,
    pub image: Option<String>,
    /// The dataset's path at this organisation.
    pub dataset: PathBuf,
    pub model: String,
    pub version: String,
    pub model_uri: Option<String>,
    pub parameters: BTreeMap<String, String>,
    pub resources: ResourceRequest,
    /// A folder of the agent's own for this job (logs, the batch script, metrics).
    pub workdir: PathBuf,
}

impl JobSpec {
    /// The template's values with `{output}` at `output`, a path as the job sees it.
    pub fn values(&self, output: &str) -> Values {
        Values {
            dataset: self.dataset.to_string_lossy().into_owned(),
            model_uri: self.model_uri.clone(),
            output: output.to_string(),
            model: self.model.clone(),
            version: self.version.clone(),
        }
    }

    /// The argv with `{output}` at `output`, or `None` without a command.
    pub fn argv(&self, output: &str) -> ExecResult<Option<Vec<String>>> {
        self.command
            .as_deref()
            .map(|t| argv::substitute(t, &self.values(output)))
            .transpose()
            .map_err(ExecError)
    }

    /// The job's `AGORA_*` environment with `{output}` at `output`.
    pub fn environment(&self, output: &str) -> Vec<(String, String)> {
        argv::environment(self.job_id, &self.values(output), &self.parameters)
    }

    /// A name for the engine: `agora-job-<id>-<attempt>` (a valid Kubernetes name).
    pub fn name(&self) -> String {
        format!("agora-job-{}-{}", self.job_id, self.attempt)
    }

    /// What the job asked for, as a hardware report.
    pub fn requested_hardware(&self) -> Hardware {
        Hardware {
            cpus: Some(self.resources.cpus),
            memory_mb: Some(self.resources.memory_mb),
            gpus: Some(self.resources.gpus),
            gpu_type: self.resources.gpu_type.clone(),
            node: None,
        }
    }
}

/// A submitted job, as the executor knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle {
    pub job_id: i64,
    /// Slurm job id, process id, Kubernetes Job name, Argo Workflow name.
    pub external_id: String,
    pub workdir: PathBuf,
}

/// Where a job is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pending,
    /// Running, on this node if known.
    Running(Option<String>),
    Succeeded,
    Failed(String),
    Cancelled,
}

impl Status {
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed(_) | Self::Cancelled)
    }
}

/// A piece of the job's log: the bytes from `start` to `end`. `start` is later than the
/// offset asked for when the log grew by more than the most asked for (the middle is
/// skipped: only the tail matters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogChunk {
    pub start: u64,
    pub bytes: Vec<u8>,
}

impl LogChunk {
    pub fn end(&self) -> u64 {
        self.start + self.bytes.len() as u64
    }

    /// The part of a whole log `text` from `from` on, at most `max` bytes (the last ones).
    pub fn from_whole(text: &[u8], from: u64, max: usize) -> Self {
        let len = text.len() as u64;
        let start = from.min(len).max(len.saturating_sub(max as u64));
        Self {
            start,
            bytes: text[start as usize..].to_vec(),
        }
    }
}

/// An engine that runs benchmark jobs.
pub trait Executor: Send + Sync {
    fn kind(&self) -> ExecutorKind;

    /// Why this executor cannot run the job, if it cannot (a command-only engine and an
    /// image-only benchmark...).
    fn unable(&self, spec: &JobSpec) -> Option<String>;

    /// Starts the job; returns at once.
    fn submit<'a>(&'a self, spec: &'a JobSpec) -> BoxFuture<'a, ExecResult<Handle>>;

    fn status<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<Status>>;

    /// Stops the job; stopping a finished job is not an error.
    fn cancel<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<()>>;

    /// The log from byte `from`, at most `max` bytes.
    fn log<'a>(
        &'a self,
        handle: &'a Handle,
        from: u64,
        max: usize,
    ) -> BoxFuture<'a, ExecResult<LogChunk>>;

    /// The metrics of a finished job.
    fn metrics<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, ExecResult<Metrics>>;

    /// The node the job ran on, once it is over (a short job may never be seen running).
    fn node<'a>(&'a self, handle: &'a Handle) -> BoxFuture<'a, Option<String>> {
        let _ = handle;
        Box::pin(async { None })
    }

    /// The agent is done with the job: drop what the executor kept about it.
    fn forget(&self, handle: &Handle) {
        let _ = handle;
    }

    /// Whether the engine answers, with a line saying what was found.
    fn check(&self) -> BoxFuture<'_, ExecResult<String>>;
}

/// Reads a metrics document: one JSON object of finite numbers.
pub fn parse_metrics(bytes: &[u8]) -> ExecResult<Metrics> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ExecError::new(format!("the metrics are not JSON: {e}")))?;
    let serde_json::Value::Object(map) = value else {
        return Err(ExecError::new(
            "the metrics must be a JSON object such as {\"accuracy\": 0.93}",
        ));
    };
    map.into_iter()
        .map(|(name, v)| match v.as_f64() {
            Some(x) if x.is_finite() => Ok((name, x)),
            _ => Err(ExecError::new(format!(
                "metric `{name}` is not a finite number: {v}"
            ))),
        })
        .collect()
}

/// Reads the metrics file a job wrote at `path` (named in the error when missing).
pub fn read_metrics_file(path: &Path) -> ExecResult<Metrics> {
    let bytes = std::fs::read(path).map_err(|e| {
        ExecError::new(format!(
            "the command wrote no metrics to {}: {e}",
            path.display()
        ))
    })?;
    parse_metrics(&bytes)
}

/// The part of a log file from `from`, at most `max` bytes (a missing file is empty).
pub fn read_log_file(path: &Path, from: u64, max: usize) -> ExecResult<LogChunk> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(LogChunk {
                start: from,
                bytes: Vec::new(),
            });
        }
        Err(e) => return Err(ExecError::new(format!("{}: {e}", path.display()))),
    };
    let io = |e: std::io::Error| ExecError::new(format!("{}: {e}", path.display()));
    let len = file.metadata().map_err(io)?.len();
    let start = from.min(len).max(len.saturating_sub(max as u64));
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    let mut bytes = Vec::with_capacity((len - start) as usize);
    file.take(len - start).read_to_end(&mut bytes).map_err(io)?;
    Ok(LogChunk { start, bytes })
}

/// The variables of the agent's own environment a job may see (never the agent's token).
pub fn inherited_environment() -> Vec<(String, String)> {
    const KEEP: [&str; 7] = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "USER"];
    KEEP.iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_must_be_an_object_of_finite_numbers() {
        let m = parse_metrics(br#"{"accuracy": 0.93, "f1": 1}"#).unwrap();
        assert_eq!(m["f1"], 1.0);
        assert!(parse_metrics(b"[1]").is_err());
        let e = parse_metrics(br#"{"accuracy": "high"}"#).unwrap_err();
        assert!(e.0.contains("accuracy"), "{e}");
    }

    #[test]
    fn a_log_chunk_keeps_the_tail() {
        let c = LogChunk::from_whole(b"0123456789", 2, 4);
        assert_eq!((c.start, c.bytes.as_slice()), (6, &b"6789"[..]));
        let c = LogChunk::from_whole(b"0123456789", 8, 4);
        assert_eq!((c.start, c.end()), (8, 10));
        let c = LogChunk::from_whole(b"01", 5, 4);
        assert_eq!((c.start, c.bytes.len()), (2, 0));
    }
}
