//! Shared helpers of the agent's integration tests.
#![allow(dead_code)]

pub mod fake_hub;
pub mod recorded;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use agora_agent::executors::{Executor, Handle, JobSpec, Status};
use agora_schemas::benchmark::ResourceRequest;

/// A job spec running `command` with the dataset at `dataset`, its folder in `workdir`.
pub fn spec(job_id: i64, command: &[&str], dataset: &Path, workdir: &Path) -> JobSpec {
    JobSpec {
        job_id,
        attempt: 1,
        command: Some(command.iter().map(|s| s.to_string()).collect()),
        image: None,
        dataset: dataset.to_path_buf(),
        model: "naf-coder".into(),
        version: "3".into(),
        model_uri: Some("models:/naf-coder/3".into()),
        parameters: BTreeMap::from([("split".to_string(), "test".to_string())]),
        resources: ResourceRequest {
            cpus: 1,
            memory_mb: 100,
            gpus: 0,
            gpu_type: None,
            time_limit_seconds: 600,
        },
        workdir: workdir.join(format!("job-{job_id}")),
    }
}

/// Polls until the job's status satisfies `done` (panics after `limit`).
pub async fn wait_for(
    executor: &dyn Executor,
    handle: &Handle,
    limit: Duration,
    done: impl Fn(&Status) -> bool,
) -> Status {
    let started = Instant::now();
    loop {
        let status = executor.status(handle).await.expect("status");
        if done(&status) {
            return status;
        }
        assert!(
            started.elapsed() < limit,
            "still {status:?} after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for a final status.
pub async fn wait_final(executor: &dyn Executor, handle: &Handle) -> Status {
    wait_for(executor, handle, Duration::from_secs(120), Status::is_final).await
}

/// An executable shell script `name` in `dir` that runs `body`.
///
/// The file is written by a child process, not by the test: a file this process held open
/// for writing could be inherited by a command another test forks at that moment, and
/// running the script would then fail with "Text file busy" (ETXTBSY).
pub fn write_script(dir: &Path, name: &str, body: &str) -> String {
    use std::io::Write;
    let path = dir.join(name);
    let mut writer = std::process::Command::new("sh")
        .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
        .arg(&path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("start sh");
    let mut stdin = writer.stdin.take().expect("its input");
    stdin
        .write_all(format!("#!/bin/sh\n{body}\n").as_bytes())
        .expect("write the script");
    drop(stdin);
    assert!(writer.wait().expect("sh ends").success(), "write {path:?}");
    path.display().to_string()
}
