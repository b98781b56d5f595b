//! The Kubernetes executor against a local server answering with recorded exchanges of
//! the Kubernetes REST API (`tests/fixtures/kubernetes/`, see the README there).

mod common;

use std::time::Duration;

use agora_agent::executors::kubernetes::{KubernetesConfig, KubernetesExecutor};
use agora_agent::executors::{Executor, Status};
use axum::http::Method;
use common::recorded::{Recorded, fixture};
use common::spec;

const JOBS: &str = "/apis/batch/v1/namespaces/stats/jobs";
const IMAGE: &str = "registry.example.org/eval@sha256:6b1c5e0f0f6d7fb8a3c1d59e7f6a26a37bbf1b6f0f0a1b3e8e2c8b3d3f0e1a2b";

async fn executor(server: &Recorded, dir: &std::path::Path) -> KubernetesExecutor {
    let base = server.serve().await;
    let token = dir.join("token");
    std::fs::write(&token, "k8s-token\n").unwrap();
    KubernetesExecutor::new(
        KubernetesConfig {
            api_url: base.parse().unwrap(),
            namespace: "stats".into(),
            token_file: Some(token),
            token_env: None,
            ca_file: None,
            image: None,
            service_account: Some("agora".into()),
            gpu_type_label: "nvidia.com/gpu.product".into(),
            mount_datasets: true,
        },
        Duration::from_secs(10),
    )
    .unwrap()
}

#[tokio::test]
async fn a_job_is_created_followed_and_its_metrics_come_from_the_termination_message() {
    let dir = tempfile::tempdir().unwrap();
    let server = Recorded::default();
    server
        .on(
            Method::POST,
            JOBS,
            &[(201, fixture("kubernetes/job-created.json"))],
        )
        .on(
            Method::GET,
            &format!("{JOBS}/agora-job-201-1"),
            &[
                (200, fixture("kubernetes/job-running.json")),
                (200, fixture("kubernetes/job-complete.json")),
            ],
        )
        .on(
            Method::GET,
            "/api/v1/namespaces/stats/pods",
            &[
                (200, fixture("kubernetes/pods-running.json")),
                (200, fixture("kubernetes/pods-succeeded.json")),
            ],
        )
        .on(
            Method::GET,
            "/api/v1/namespaces/stats/pods/agora-job-201-1-x7k2p/log",
            &[(200, fixture("kubernetes/pod-log.txt"))],
        );
    let ex = executor(&server, dir.path()).await;
    let mut job = spec(
        201,
        &["python3", "/opt/score.py", "--data={dataset}", "{output}"],
        std::path::Path::new("/data/census-2021"),
        dir.path(),
    );
    job.image = Some(IMAGE.into());
    job.resources.gpus = 2;
    job.resources.gpu_type = Some("a100".into());
    let handle = ex.submit(&job).await.unwrap();
    assert_eq!(handle.external_id, "agora-job-201-1");
    assert_eq!(
        ex.status(&handle).await.unwrap(),
        Status::Running(Some("gpu-node-3".into()))
    );
    assert_eq!(ex.status(&handle).await.unwrap(), Status::Succeeded);
    let metrics = ex.metrics(&handle).await.unwrap();
    assert_eq!((metrics["accuracy"], metrics["macro_f1"]), (0.91, 0.84));
    let log = ex.log(&handle, 0, 1 << 16).await.unwrap();
    assert!(String::from_utf8_lossy(&log.bytes).contains("scored 1200 rows"));
    let tail = ex.log(&handle, log.end(), 1 << 16).await.unwrap();
    assert!(tail.bytes.is_empty());

    // What the agent sent: a batch/v1 Job as the API documents it.
    let seen = server.seen();
    let created = seen.iter().find(|s| s.method == Method::POST).unwrap();
    assert_eq!(created.authorization.as_deref(), Some("Bearer k8s-token"));
    let body = created.body.clone().unwrap();
    assert_eq!(body["apiVersion"], "batch/v1");
    assert_eq!(body["kind"], "Job");
    assert_eq!(body["spec"]["backoffLimit"], 0);
    assert_eq!(body["spec"]["activeDeadlineSeconds"], 600);
    let pod = &body["spec"]["template"]["spec"];
    assert_eq!(pod["restartPolicy"], "Never");
    assert_eq!(pod["serviceAccountName"], "agora");
    assert_eq!(pod["nodeSelector"]["nvidia.com/gpu.product"], "a100");
    let c = &pod["containers"][0];
    assert_eq!(c["image"], IMAGE);
    assert_eq!(
        c["command"],
        serde_json::json!([
            "python3",
            "/opt/score.py",
            "--data=/data/census-2021",
            "/dev/termination-log"
        ])
    );
    assert_eq!(c["resources"]["limits"]["nvidia.com/gpu"], "2");
    assert_eq!(c["resources"]["limits"]["memory"], "100Mi");
    assert_eq!(c["terminationMessagePath"], "/dev/termination-log");
    assert!(
        c["env"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "AGORA_PARAM_SPLIT" && e["value"] == "test")
    );
    assert_eq!(pod["volumes"][0]["hostPath"]["path"], "/data/census-2021");
    assert_eq!(c["volumeMounts"][0]["readOnly"], true);
    assert!(
        seen.iter().any(|s| s.path_and_query
            == "/api/v1/namespaces/stats/pods?labelSelector=job-name%3Dagora-job-201-1"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_deadline_is_a_failure_and_a_deleted_job_is_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let server = Recorded::default();
    server
        .on(
            Method::GET,
            &format!("{JOBS}/agora-job-202-1"),
            &[(200, fixture("kubernetes/job-deadline.json"))],
        )
        .on(
            Method::DELETE,
            &format!("{JOBS}/agora-job-203-1"),
            &[(200, fixture("kubernetes/status-deleted.json"))],
        )
        .on(
            Method::GET,
            &format!("{JOBS}/agora-job-203-1"),
            &[(404, fixture("kubernetes/status-not-found.json"))],
        );
    let ex = executor(&server, dir.path()).await;
    let handle = |id: i64| agora_agent::executors::Handle {
        job_id: id,
        external_id: format!("agora-job-{id}-1"),
        workdir: dir.path().into(),
    };
    match ex.status(&handle(202)).await.unwrap() {
        Status::Failed(reason) => assert!(reason.contains("time limit"), "{reason}"),
        other => panic!("{other:?}"),
    }
    ex.cancel(&handle(203)).await.unwrap();
    assert_eq!(ex.status(&handle(203)).await.unwrap(), Status::Cancelled);
    let delete = server
        .seen()
        .into_iter()
        .find(|s| s.method == Method::DELETE)
        .unwrap();
    assert_eq!(
        delete.path_and_query,
        format!("{JOBS}/agora-job-203-1?propagationPolicy=Background")
    );
}

#[tokio::test]
async fn refusals_carry_the_api_message_and_check_reports_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let server = Recorded::default();
    server
        .on(
            Method::POST,
            JOBS,
            &[(403, fixture("kubernetes/status-forbidden.json"))],
        )
        .on(
            Method::GET,
            "/version",
            &[(200, fixture("kubernetes/version.json"))],
        )
        .on(
            Method::GET,
            JOBS,
            &[(200, fixture("kubernetes/job-list.json"))],
        );
    let ex = executor(&server, dir.path()).await;
    let mut job = spec(204, &["true"], dir.path(), dir.path());
    job.image = Some(IMAGE.into());
    let err = ex.submit(&job).await.unwrap_err();
    assert!(
        err.0.contains("403") && err.0.contains("cannot create resource"),
        "{err}"
    );
    let found = ex.check().await.unwrap();
    assert!(found.contains("v1.30.4"), "{found}");
    // Without an image anywhere, the executor says it cannot run the job.
    assert!(
        ex.unable(&spec(205, &["true"], dir.path(), dir.path()))
            .is_some()
    );
}

#[tokio::test]
async fn kubernetes_variable_references_in_arguments_and_variables_stay_literal() {
    let dir = tempfile::tempdir().unwrap();
    let server = Recorded::default();
    let ex = executor(&server, dir.path()).await;
    let hostile = std::path::Path::new("/data/$(AGORA_JOB_ID); rm -rf / `id`");
    let mut job = spec(
        51,
        &["python3", "score.py", "--data={dataset}"],
        hostile,
        dir.path(),
    );
    job.image = Some(IMAGE.into());
    job.parameters
        .insert("sub".into(), "$(HOSTNAME) $$ $(touch /tmp/x)".into());
    let manifest = ex.manifest(&job).unwrap();
    let c = &manifest["spec"]["template"]["spec"]["containers"][0];
    // `$$` is how Kubernetes writes a literal `$`; no shell is involved.
    assert_eq!(
        c["command"][2], "--data=/data/$$(AGORA_JOB_ID); rm -rf / `id`",
        "{c}"
    );
    assert!(c.get("args").is_none(), "{c}");
    let env = c["env"].as_array().unwrap();
    let value = |name: &str| {
        env.iter()
            .find(|e| e["name"] == name)
            .map(|e| e["value"].clone())
            .unwrap_or_else(|| panic!("no {name}: {env:?}"))
    };
    assert_eq!(
        value("AGORA_PARAM_SUB"),
        "$$(HOSTNAME) $$$$ $$(touch /tmp/x)"
    );
    assert_eq!(
        value("AGORA_DATASET"),
        "/data/$$(AGORA_JOB_ID); rm -rf / `id`"
    );
}
