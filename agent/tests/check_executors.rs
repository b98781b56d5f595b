//! `agora-agent check` reports each executor: sbatch and the Slurm controller (the real
//! local cluster), the Kubernetes API and the Argo Server (recorded exchanges).

mod common;

use std::path::PathBuf;
use std::process::Command;

use axum::http::Method;
use common::recorded::{Recorded, fixture};

fn slurm_conf() -> PathBuf {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/local/slurm.sh");
    let out = Command::new(&script)
        .output()
        .expect("deploy/local/slurm.sh runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

async fn check(config: String) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agent.toml");
    let config = config.replace("SPOOL", &dir.path().join("spool").display().to_string());
    std::fs::write(&path, config).unwrap();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_agora-agent"))
            .arg("--config")
            .arg(&path)
            .arg("check")
            .env("AGORA_AGENT_TOKEN", "agt_test")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[tokio::test]
async fn check_reaches_every_enabled_executor() {
    let server = Recorded::default();
    server
        .on(Method::GET, "/readyz", &[(200, "{}".into())])
        .on(
            Method::GET,
            "/api/v1/agent/me",
            &[(200, r#"{"organisation":"insee","name":"hpc-1"}"#.into())],
        )
        .on(
            Method::GET,
            "/version",
            &[(200, fixture("kubernetes/version.json"))],
        )
        .on(
            Method::GET,
            "/apis/batch/v1/namespaces/stats/jobs",
            &[(200, fixture("kubernetes/job-list.json"))],
        )
        .on(
            Method::GET,
            "/api/v1/version",
            &[(200, fixture("argo/version.json"))],
        )
        .on(
            Method::GET,
            "/api/v1/workflows/argo",
            &[(200, fixture("argo/workflow-list.json"))],
        );
    let url = server.serve().await;
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!(
        "hub_url = \"{url}\"\norganisation = \"insee\"\nspool_dir = \"SPOOL\"\n\
         [jobs]\nexecutors = [\"local\", \"slurm\", \"kubernetes\", \"argo\"]\n\
         [jobs.datasets]\ncensus = \"/nonexistent/census.csv\"\n\
         [jobs.slurm]\nconf = \"{}\"\n[jobs.argo]\nserver_url = \"{url}\"\n",
        slurm_conf().display()
    );
    let (code, out) = check(format!(
        "{base}[jobs.kubernetes]\napi_url = \"{url}\"\nnamespace = \"stats\"\n"
    ))
    .await;
    assert!(
        out.contains("executor local") && out.contains("ok: child processes"),
        "{out}"
    );
    assert!(
        out.contains("executor slurm") && out.contains("controller answers"),
        "{out}"
    );
    assert!(out.contains("Kubernetes v1.30.4"), "{out}");
    assert!(out.contains("Argo v3.5.11"), "{out}");
    // The dataset is missing: check says so and fails.
    assert!(
        out.contains("dataset census") && out.contains("MISSING"),
        "{out}"
    );
    assert_eq!(code, Some(1), "{out}");
    let (code, out) = check(format!(
        "{base}[jobs.kubernetes]\napi_url = \"http://127.0.0.1:{closed}\"\n"
    ))
    .await;
    assert!(
        out.contains("executor kubernetes FAILED") && out.contains("unreachable"),
        "{out}"
    );
    assert_eq!(code, Some(1));
}
