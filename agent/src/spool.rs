//! The on-disk spool: every request to the hub's sync API is first written here, one file
//! per request named by a zero-padded sequence number, then delivered in order. A file is
//! deleted only once the hub has answered 2xx; a final refusal (4xx about the request
//! itself) moves it to `rejected/` with the reason. Batches carry idempotency keys, so a
//! request delivered twice (the agent killed between the hub's answer and the deletion) is
//! applied once.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One request waiting for the hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The API path, such as `/api/v1/agent/sync/batches`.
    pub path: String,
    /// The source the request belongs to.
    pub source: String,
    pub body: serde_json::Value,
}

impl Request {
    /// The item keys a batch carries (none for an epoch completion).
    pub fn item_keys(&self) -> Vec<String> {
        self.body["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i["key"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The spool folder.
#[derive(Debug)]
pub struct Spool {
    dir: PathBuf,
    next: u64,
}

/// Writes a file so that it is either entirely there or not at all, and survives a crash:
/// temporary file, fsync, rename, fsync of the folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// Like [`write_atomic`], with the content written by `write` through a buffer (a large
/// document is never held whole in memory).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| Error::Config(format!("{} has no folder", path.display())))?;
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut f = std::io::BufWriter::new(File::create(&tmp)?);
        write(&mut f)?;
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)?.sync_all()?;
    Ok(())
}

fn seq_of(path: &Path) -> Option<u64> {
    let name = path.file_name()?.to_str()?;
    name.strip_suffix(".json")?.parse().ok()
}

impl Spool {
    /// Opens (creating) `<spool_dir>/spool`, removing temporary files a crash left behind.
    pub fn open(spool_dir: &Path) -> Result<Self> {
        let dir = spool_dir.join("spool");
        fs::create_dir_all(dir.join("rejected"))?;
        let mut last = 0;
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "tmp") {
                fs::remove_file(&path)?;
            } else if let Some(seq) = seq_of(&path) {
                last = last.max(seq);
            }
        }
        for entry in fs::read_dir(dir.join("rejected"))? {
            if let Some(seq) = seq_of(&entry?.path()) {
                last = last.max(seq);
            }
        }
        Ok(Self {
            dir,
            next: last + 1,
        })
    }

    /// Adds a request at the end of the spool, durably.
    pub fn push(&mut self, request: &Request) -> Result<u64> {
        let seq = self.next;
        write_atomic_with(&self.dir.join(format!("{seq:012}.json")), |w| {
            serde_json::to_writer(w, request).map_err(std::io::Error::other)
        })?;
        self.next += 1;
        Ok(seq)
    }

    /// Sequence numbers waiting, oldest first.
    pub fn pending(&self) -> Result<Vec<u64>> {
        let mut seqs: Vec<u64> = fs::read_dir(&self.dir)?
            .filter_map(|e| e.ok().and_then(|e| seq_of(&e.path())))
            .collect();
        seqs.sort_unstable();
        Ok(seqs)
    }

    fn path(&self, seq: u64) -> PathBuf {
        self.dir.join(format!("{seq:012}.json"))
    }

    pub fn read(&self, seq: u64) -> Result<Request> {
        let bytes = fs::read(self.path(seq))?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::Io(std::io::Error::other(format!(
                "spooled request {seq} is unreadable: {e}"
            )))
        })
    }

    /// Removes a delivered request.
    pub fn done(&self, seq: u64) -> Result<()> {
        fs::remove_file(self.path(seq))?;
        sync_dir(&self.dir)
    }

    /// Moves a request the hub refused for good to `rejected/`, with the reason beside it.
    pub fn reject(&self, seq: u64, reason: &str) -> Result<()> {
        let rejected = self.dir.join("rejected");
        write_atomic(
            &rejected.join(format!("{seq:012}.reason.txt")),
            reason.as_bytes(),
        )?;
        fs::rename(self.path(seq), rejected.join(format!("{seq:012}.json")))?;
        sync_dir(&self.dir)
    }
}

/// Exponential back-off with full jitter: the n-th wait is uniform in
/// `[0, min(cap, base * 2^n)]`.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
}

impl Backoff {
    pub fn new(base: Duration, cap: Duration) -> Self {
        Self {
            base,
            cap,
            attempt: 0,
        }
    }

    /// The longest the next wait may be.
    pub fn ceiling(&self) -> Duration {
        let factor = 1u32.checked_shl(self.attempt.min(30)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// The next wait.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling = self.ceiling();
        self.attempt = self.attempt.saturating_add(1);
        let ms = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rand::rng().random_range(0..=ms))
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(n: u32) -> Request {
        Request {
            path: "/api/v1/agent/sync/batches".into(),
            source: "ml".into(),
            body: serde_json::json!({"batch_id": format!("b{n}"), "items": [{"key": format!("k{n}")}]}),
        }
    }

    #[test]
    fn requests_come_back_in_order_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = Spool::open(dir.path()).unwrap();
        for n in 0..12 {
            spool.push(&request(n)).unwrap();
        }
        // A crash in the middle of a write leaves only a temporary file, which is ignored.
        fs::write(dir.path().join("spool/.000000000099.json.tmp"), b"{half").unwrap();
        let mut spool = Spool::open(dir.path()).unwrap();
        let pending = spool.pending().unwrap();
        assert_eq!(pending, (1..=12).collect::<Vec<u64>>());
        assert_eq!(spool.read(1).unwrap(), request(0));
        assert_eq!(spool.read(12).unwrap().item_keys(), ["k11"]);
        spool.done(1).unwrap();
        spool.reject(2, "422: items[0].hash").unwrap();
        assert_eq!(spool.pending().unwrap()[0], 3);
        // Sequence numbers never go back, even past delivered and rejected requests.
        assert_eq!(spool.push(&request(99)).unwrap(), 13);
        let reopened = Spool::open(dir.path()).unwrap();
        assert_eq!(reopened.next, 14);
        assert!(
            dir.path()
                .join("spool/rejected/000000000002.reason.txt")
                .exists()
        );
    }

    #[test]
    fn backoff_grows_to_its_cap_with_jitter() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let mut ceilings = vec![];
        for _ in 0..8 {
            ceilings.push(b.ceiling());
            let d = b.next_delay();
            assert!(d <= *ceilings.last().unwrap());
        }
        assert_eq!(ceilings[0], Duration::from_millis(100));
        assert_eq!(ceilings[3], Duration::from_millis(800));
        assert_eq!(ceilings[7], Duration::from_secs(2));
        b.reset();
        assert_eq!(b.ceiling(), Duration::from_millis(100));
    }
}
