//! The Slurm executor against a real single-node cluster on localhost, started by
//! `deploy/local/slurm.sh` (which installs Debian's Slurm and munge when missing; root).

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use agora_agent::executors::slurm::{SlurmConfig, SlurmExecutor};
use agora_agent::executors::{Executor, Status};
use common::{spec, wait_final, wait_for, write_script};

/// The cluster's slurm.conf, starting the cluster once per test binary.
fn slurm_conf() -> PathBuf {
    static CONF: OnceLock<PathBuf> = OnceLock::new();
    CONF.get_or_init(|| {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/local/slurm.sh");
        let out = Command::new(&script)
            .output()
            .expect("deploy/local/slurm.sh runs");
        assert!(
            out.status.success(),
            "the local Slurm cluster did not start:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
    })
    .clone()
}

fn executor() -> SlurmExecutor {
    SlurmExecutor::new(SlurmConfig {
        conf: Some(slurm_conf()),
        ..SlurmConfig::default()
    })
}

/// `scontrol show job ID`'s `JobState=`.
fn scontrol_state(id: &str) -> String {
    let out = Command::new("scontrol")
        .args(["show", "job", id])
        .env("SLURM_CONF", slurm_conf())
        .output()
        .expect("scontrol runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.split_whitespace()
        .find_map(|kv| kv.strip_prefix("JobState="))
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_batch_job_runs_with_quoted_arguments_and_its_metrics_are_read() {
    let ex = executor();
    let dir = tempfile::tempdir().unwrap();
    let canary = dir.path().join("pwned");
    let dataset = format!(
        "/data/it's; touch {c} $(touch {c}) `touch {c}`",
        c = canary.display()
    );
    let script = write_script(
        dir.path(),
        "score.sh",
        r#"for a in "$@"; do printf '[%s]\n' "$a"; done
echo "split=$AGORA_PARAM_SPLIT gpus=${CUDA_VISIBLE_DEVICES:-none}"
printf '{"accuracy": 0.875}' > "$AGORA_OUTPUT""#,
    );
    let mut job = spec(
        101,
        &[&script, "{dataset}", "{model_uri}"],
        std::path::Path::new(&dataset),
        dir.path(),
    );
    // The test cluster has two pretend GPUs of type `fake`.
    job.resources.gpus = 1;
    job.resources.gpu_type = Some("fake".into());
    let handle = ex.submit(&job).await.unwrap();
    assert!(handle.external_id.parse::<u64>().is_ok(), "{handle:?}");
    assert_eq!(wait_final(&ex, &handle).await, Status::Succeeded);
    assert_eq!(ex.metrics(&handle).await.unwrap()["accuracy"], 0.875);
    let log = ex.log(&handle, 0, 1 << 16).await.unwrap();
    let text = String::from_utf8_lossy(&log.bytes);
    assert!(
        text.starts_with(&format!("[{dataset}]\n[models:/naf-coder/3]\nsplit=test")),
        "{text}"
    );
    assert!(!canary.exists(), "a shell ran the argument");
}

#[tokio::test]
async fn a_failing_batch_job_reports_its_exit_status() {
    let ex = executor();
    let dir = tempfile::tempdir().unwrap();
    let script = write_script(dir.path(), "fail.sh", "echo broken >&2; exit 4");
    let handle = ex
        .submit(&spec(102, &[&script], dir.path(), dir.path()))
        .await
        .unwrap();
    match wait_final(&ex, &handle).await {
        Status::Failed(reason) => assert!(reason.contains("status 4"), "{reason}"),
        other => panic!("{other:?}"),
    }
    let log = ex.log(&handle, 0, 1 << 16).await.unwrap();
    assert!(String::from_utf8_lossy(&log.bytes).contains("broken"));
}

#[tokio::test]
async fn cancellation_reaches_a_running_slurm_job() {
    let ex = executor();
    let dir = tempfile::tempdir().unwrap();
    let script = write_script(dir.path(), "long.sh", "echo started; sleep 300");
    let handle = ex
        .submit(&spec(103, &[&script], dir.path(), dir.path()))
        .await
        .unwrap();
    let running = wait_for(&ex, &handle, Duration::from_secs(120), |s| {
        matches!(s, Status::Running(_))
    })
    .await;
    assert_eq!(running, Status::Running(Some("localhost".into())));
    assert_eq!(scontrol_state(&handle.external_id), "RUNNING");
    ex.cancel(&handle).await.unwrap();
    assert_eq!(wait_final(&ex, &handle).await, Status::Cancelled);
    assert_eq!(scontrol_state(&handle.external_id), "CANCELLED");
}

#[tokio::test]
async fn sbatch_refusals_are_errors_and_check_finds_the_controller() {
    let ex = executor();
    let found = ex.check().await.unwrap();
    assert!(found.contains("slurm"), "{found}");
    let dir = tempfile::tempdir().unwrap();
    let mut job = spec(104, &["true"], dir.path(), dir.path());
    job.resources.gpus = 1;
    job.resources.gpu_type = Some("h100".into());
    let err = ex.submit(&job).await.unwrap_err();
    assert!(err.0.contains("sbatch refused"), "{err}");
}

#[tokio::test]
async fn hostile_parameters_reach_a_batch_job_as_literal_strings() {
    let ex = executor();
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let script = write_script(
        dir.path(),
        "params.sh",
        r#"printf 'semi[%s]\nsub[%s]\ntick[%s]\nquote[%s]\n' "$AGORA_PARAM_SEMI" "$AGORA_PARAM_SUB" "$AGORA_PARAM_TICK" "$AGORA_PARAM_QUOTE"
printf '{"accuracy": 1}' > "$AGORA_OUTPUT""#,
    );
    let mut job = spec(105, &[&script], dir.path(), dir.path());
    let sub = format!("$(touch {})", marker.display());
    let tick = format!("`touch {}`", marker.display());
    let quote = format!("it's'; touch {} #", marker.display());
    job.parameters = [
        ("semi", "x; rm -rf /".to_string()),
        ("sub", sub.clone()),
        ("tick", tick.clone()),
        ("quote", quote.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let handle = ex.submit(&job).await.unwrap();
    assert_eq!(wait_final(&ex, &handle).await, Status::Succeeded);
    let log = ex.log(&handle, 0, 1 << 16).await.unwrap();
    let text = String::from_utf8_lossy(&log.bytes);
    assert_eq!(
        text,
        format!("semi[x; rm -rf /]\nsub[{sub}]\ntick[{tick}]\nquote[{quote}]\n")
    );
    assert!(!marker.exists(), "a shell ran a parameter");
}
