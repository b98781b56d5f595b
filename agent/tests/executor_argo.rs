//! The Argo executor against a local server answering with recorded exchanges of the
//! Argo Server REST API (`tests/fixtures/argo/`, see the README there).

mod common;

use std::time::Duration;

use agora_agent::executors::argo::{ArgoConfig, ArgoExecutor};
use agora_agent::executors::{Executor, Handle, Status};
use axum::http::Method;
use common::recorded::{Recorded, fixture};
use common::spec;

const WORKFLOWS: &str = "/api/v1/workflows/argo";

async fn executor(server: &Recorded) -> ArgoExecutor {
    let base = server.serve().await;
    ArgoExecutor::new(
        ArgoConfig {
            server_url: base.parse().unwrap(),
            namespace: "argo".into(),
            token_file: None,
            token_env: None,
            ca_file: None,
            image: Some("registry.example.org/eval@sha256:6b1c5e0f0f6d7fb8a3c1d59e7f6a26a37bbf1b6f0f0a1b3e8e2c8b3d3f0e1a2b".into()),
            service_account: None,
            gpu_type_label: "nvidia.com/gpu.product".into(),
        },
        Duration::from_secs(10),
    )
    .unwrap()
}

#[tokio::test]
async fn a_workflow_is_submitted_followed_and_its_metrics_come_from_an_output_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let server = Recorded::default();
    server
        .on(
            Method::POST,
            WORKFLOWS,
            &[(200, fixture("argo/workflow-created.json"))],
        )
        .on(
            Method::GET,
            &format!("{WORKFLOWS}/agora-job-301-1"),
            &[
                (200, fixture("argo/workflow-running.json")),
                (200, fixture("argo/workflow-succeeded.json")),
            ],
        )
        .on(
            Method::GET,
            &format!("{WORKFLOWS}/agora-job-301-1/log"),
            &[(200, fixture("argo/log.ndjson"))],
        );
    let ex = executor(&server).await;
    let job = spec(
        301,
        &["python3", "/opt/score.py", "{dataset}", "{output}"],
        std::path::Path::new("/data/census-2021"),
        dir.path(),
    );
    let handle = ex.submit(&job).await.unwrap();
    assert_eq!(handle.external_id, "agora-job-301-1");
    assert_eq!(
        ex.status(&handle).await.unwrap(),
        Status::Running(Some("hpc-gpu-12".into()))
    );
    assert_eq!(ex.status(&handle).await.unwrap(), Status::Succeeded);
    assert_eq!(ex.metrics(&handle).await.unwrap()["accuracy"], 0.88);
    let log = ex.log(&handle, 0, 1 << 16).await.unwrap();
    assert_eq!(
        String::from_utf8_lossy(&log.bytes),
        "loading /data/census-2021\nscored 1200 rows\n"
    );

    let seen = server.seen();
    let created = seen
        .iter()
        .find(|s| s.method == Method::POST)
        .unwrap()
        .body
        .clone()
        .unwrap();
    let wf = &created["workflow"];
    assert_eq!(wf["kind"], "Workflow");
    assert_eq!(wf["spec"]["entrypoint"], "evaluate");
    let template = &wf["spec"]["templates"][0];
    assert_eq!(
        template["container"]["command"],
        serde_json::json!([
            "python3",
            "/opt/score.py",
            "/data/census-2021",
            "/tmp/agora-metrics.json"
        ])
    );
    assert_eq!(
        template["outputs"]["parameters"][0]["valueFrom"]["path"],
        "/tmp/agora-metrics.json"
    );
    assert!(seen.iter().any(|s| s.path_and_query
        == format!("{WORKFLOWS}/agora-job-301-1/log?logOptions.container=main")));
}

#[tokio::test]
async fn a_stopped_workflow_is_cancelled_and_a_failed_one_carries_its_message() {
    let server = Recorded::default();
    server
        .on(
            Method::PUT,
            &format!("{WORKFLOWS}/agora-job-302-1/stop"),
            &[(200, fixture("argo/workflow-stopped.json"))],
        )
        .on(
            Method::GET,
            &format!("{WORKFLOWS}/agora-job-302-1"),
            &[(200, fixture("argo/workflow-stopped.json"))],
        )
        .on(
            Method::GET,
            &format!("{WORKFLOWS}/agora-job-303-1"),
            &[(200, fixture("argo/workflow-failed.json"))],
        )
        .on(
            Method::GET,
            &format!("{WORKFLOWS}/agora-job-399-1"),
            &[(404, fixture("argo/error-not-found.json"))],
        )
        .on(
            Method::GET,
            "/api/v1/version",
            &[(200, fixture("argo/version.json"))],
        )
        .on(
            Method::GET,
            WORKFLOWS,
            &[(200, fixture("argo/workflow-list.json"))],
        );
    let ex = executor(&server).await;
    let handle = |id: i64| Handle {
        job_id: id,
        external_id: format!("agora-job-{id}-1"),
        workdir: std::env::temp_dir(),
    };
    ex.cancel(&handle(302)).await.unwrap();
    assert_eq!(ex.status(&handle(302)).await.unwrap(), Status::Cancelled);
    let stop = server
        .seen()
        .into_iter()
        .find(|s| s.method == Method::PUT)
        .unwrap();
    assert_eq!(stop.body.unwrap()["name"], "agora-job-302-1");
    match ex.status(&handle(303)).await.unwrap() {
        Status::Failed(reason) => assert!(reason.contains("exit code 2"), "{reason}"),
        other => panic!("{other:?}"),
    }
    let err = ex.status(&handle(399)).await.unwrap_err();
    assert!(
        err.0.contains("404") && err.0.contains("not found"),
        "{err}"
    );
    assert!(ex.check().await.unwrap().contains("v3.5.11"));
}

#[tokio::test]
async fn shell_metacharacters_pass_as_data_and_argo_templates_are_not_submitted() {
    let dir = tempfile::tempdir().unwrap();
    let server = Recorded::default();
    let ex = executor(&server).await;
    let mut job = spec(
        41,
        &["python3", "score.py", "{dataset}"],
        dir.path(),
        dir.path(),
    );
    job.parameters
        .insert("semi".into(), "x; rm -rf / $(touch /tmp/x) `id`".into());
    assert_eq!(ex.unable(&job), None);
    // The argv is the container's `command` (no shell), each variable one `env` value.
    let request = ex.request(&job).unwrap();
    let container = &request["workflow"]["spec"]["templates"][0]["container"];
    assert_eq!(container["command"][1], "score.py", "{container}");
    assert!(container.get("args").is_none(), "{container}");
    // The kubelet expands `$(NAME)` in commands and variables and reads `$$` as `$`: every
    // `$` is doubled so the job sees the text as it was given.
    let env = container["env"].as_array().unwrap();
    assert!(
        env.iter().any(|e| e["name"] == "AGORA_PARAM_SEMI"
            && e["value"] == "x; rm -rf / $$(touch /tmp/x) `id`"),
        "{env:?}"
    );
    job.parameters
        .insert("steal".into(), "{{workflow.serviceAccountName}}".into());
    let why = ex.unable(&job).unwrap();
    assert!(
        why.contains("AGORA_PARAM_STEAL") && why.contains("{{"),
        "{why}"
    );
}
