//! The local executor, for real: child processes, their logs, metrics, limits and
//! cancellation.

mod common;

use std::time::Duration;

use agora_agent::executors::local::{LocalConfig, LocalExecutor};
use agora_agent::executors::{Executor, Status};
use common::{spec, wait_final, wait_for, write_script};

fn executor() -> LocalExecutor {
    LocalExecutor::new(LocalConfig {
        kill_grace: Duration::from_secs(2),
    })
}

#[tokio::test]
async fn a_command_runs_with_its_dataset_and_its_metrics_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("census.csv");
    std::fs::write(&data, "label\n1\n").unwrap();
    let script = write_script(
        dir.path(),
        "score.sh",
        r#"echo "scoring $1 for $AGORA_MODEL v$AGORA_MODEL_VERSION split=$AGORA_PARAM_SPLIT"
echo "token=${AGORA_AGENT_TOKEN:-none}"
echo "warning on stderr" >&2
printf '{"accuracy": 0.75, "f1": 0.5}' > "$2""#,
    );
    let ex = executor();
    let job = spec(1, &[&script, "{dataset}", "{output}"], &data, dir.path());
    let handle = ex.submit(&job).await.unwrap();
    assert_eq!(wait_final(&ex, &handle).await, Status::Succeeded);
    let metrics = ex.metrics(&handle).await.unwrap();
    assert_eq!(metrics["accuracy"], 0.75);
    let log = ex.log(&handle, 0, 1 << 16).await.unwrap();
    let text = String::from_utf8_lossy(&log.bytes);
    assert!(
        text.contains(&format!(
            "scoring {} for naf-coder v3 split=test",
            data.display()
        )),
        "{text}"
    );
    assert!(
        text.contains("token=none"),
        "the agent's secrets stay out: {text}"
    );
    assert!(text.contains("warning on stderr"), "{text}");
    // Read on from an offset: only what is new.
    let rest = ex.log(&handle, log.end() - 8, 1 << 16).await.unwrap();
    assert_eq!(rest.bytes, log.bytes[log.bytes.len() - 8..]);
}

#[tokio::test]
async fn shell_metacharacters_in_arguments_stay_literal() {
    let dir = tempfile::tempdir().unwrap();
    let canary = dir.path().join("pwned");
    // A dataset path full of shell syntax: it must reach the program as one argument.
    let hostile = format!(
        "/data/x; touch {c} $(touch {c}) `touch {c}` && echo 'q\"",
        c = canary.display()
    );
    let script = write_script(
        dir.path(),
        "args.sh",
        r#"for a in "$@"; do printf '[%s]\n' "$a"; done
printf '{"accuracy": 1}' > "$AGORA_OUTPUT""#,
    );
    let ex = executor();
    let job = spec(
        2,
        &[&script, "--data={dataset}", "{output}"],
        std::path::Path::new(&hostile),
        dir.path(),
    );
    let handle = ex.submit(&job).await.unwrap();
    assert_eq!(wait_final(&ex, &handle).await, Status::Succeeded);
    let log = ex.log(&handle, 0, 1 << 16).await.unwrap();
    let text = String::from_utf8_lossy(&log.bytes);
    assert!(text.starts_with(&format!("[--data={hostile}]\n")), "{text}");
    assert!(!canary.exists(), "a shell ran the argument");
}

#[tokio::test]
async fn a_failing_command_is_reported_with_its_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let script = write_script(dir.path(), "fail.sh", "echo broken >&2; exit 3");
    let ex = executor();
    let handle = ex
        .submit(&spec(3, &[&script], dir.path(), dir.path()))
        .await
        .unwrap();
    match wait_final(&ex, &handle).await {
        Status::Failed(reason) => assert!(reason.contains("status 3"), "{reason}"),
        other => panic!("{other:?}"),
    }
    let missing = ex
        .submit(&spec(4, &["/nonexistent/evaluate"], dir.path(), dir.path()))
        .await
        .unwrap_err();
    assert!(missing.0.contains("/nonexistent/evaluate"), "{missing}");
}

#[tokio::test]
async fn success_without_metrics_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let ex = executor();
    let handle = ex
        .submit(&spec(5, &["true"], dir.path(), dir.path()))
        .await
        .unwrap();
    assert_eq!(wait_final(&ex, &handle).await, Status::Succeeded);
    let err = ex.metrics(&handle).await.unwrap_err();
    assert!(err.0.contains("metrics.json"), "{err}");
}

#[tokio::test]
async fn the_time_limit_stops_the_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let script = write_script(dir.path(), "slow.sh", "sleep 300 & wait");
    let ex = executor();
    let mut job = spec(6, &[&script], dir.path(), dir.path());
    job.resources.time_limit_seconds = 1;
    let handle = ex.submit(&job).await.unwrap();
    match wait_final(&ex, &handle).await {
        Status::Failed(reason) => assert!(reason.contains("time limit"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn cancellation_stops_a_running_command() {
    let dir = tempfile::tempdir().unwrap();
    let script = write_script(dir.path(), "long.sh", "echo started; sleep 300 & wait");
    let ex = executor();
    let handle = ex
        .submit(&spec(7, &[&script], dir.path(), dir.path()))
        .await
        .unwrap();
    wait_for(&ex, &handle, Duration::from_secs(30), |s| {
        matches!(s, Status::Running(_))
    })
    .await;
    ex.cancel(&handle).await.unwrap();
    assert_eq!(wait_final(&ex, &handle).await, Status::Cancelled);
    // The group is gone: no live `sleep 300` of this job is left (an orphan may linger
    // as a zombie until init reaps it).
    let pid: i32 = handle.external_id.parse().unwrap();
    let started = std::time::Instant::now();
    while !live_members(pid).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the job's process group survived: {:?}",
            live_members(pid)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The processes of process group `group` that are not zombies, from /proc.
fn live_members(group: i32) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces, so split after `)`.
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.len() > 2 && fields[2] == group.to_string() && fields[0] != "Z" {
            found.push(stat.chars().take(60).collect());
        }
    }
    found
}
