//! The agent's allowlist end to end: the real hub, real agents pinning commands by hash,
//! the local executor and a real single-node Slurm. A benchmark whose command is not
//! pinned is refused and the hub shows why; run parameters full of shell syntax reach the
//! evaluation as literal strings, and nothing they hold is ever run.

use std::time::Duration;

use agora_e2e::TestDb;
use agora_e2e::jobs::JobWorld;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// `sha256:` and the SHA-256 of the argv as compact JSON: what the agent pins.
fn pin(argv: &[String]) -> String {
    let json = serde_json::to_vec(argv).unwrap();
    let hex: String = Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256:{hex}")
}

fn job_of<'a>(run: &'a Value, org: &str) -> &'a Value {
    run["jobs"]
        .as_array()
        .and_then(|jobs| jobs.iter().find(|j| j["organisation"] == org))
        .unwrap_or_else(|| panic!("no job for {org}: {run:#}"))
}

fn ended(job: &Value) -> bool {
    matches!(
        job["state"].as_str(),
        Some("succeeded" | "failed" | "refused" | "cancelled" | "expired")
    )
}

#[tokio::test]
async fn unpinned_commands_are_refused_and_hostile_parameters_stay_literal_at_local_and_slurm() {
    let db = TestDb::create().await;
    let world = JobWorld::new(&db.url, &[]).await;
    let marker = world.dir.path().join("pwned");
    let script = world.dir.path().join("params.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nfor a in \"$@\"; do printf 'arg[%s]\\n' \"$a\"; done\n\
         printf 'semi[%s]\\nsub[%s]\\ntick[%s]\\n' \"$AGORA_PARAM_SEMI\" \"$AGORA_PARAM_SUB\" \"$AGORA_PARAM_TICK\"\n\
         printf '{\"accuracy\": 1}' > \"$AGORA_OUTPUT\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let command: Vec<String> = vec![script.display().to_string(), "{model}".into()];
    world
        .post(
            "/api/v1/benchmarks",
            json!({
                "slug": "echo-params", "title": "Parameters as the job sees them",
                "description": "Prints its parameters.", "task": "coding",
                "metrics": [{"name": "accuracy", "direction": "maximize"}],
                "primary_metric": "accuracy", "command": command,
                "resources": {"cpus": 1, "memory_mb": 100, "time_limit_seconds": 120},
                "participants": [
                    {"organisation": "insee", "dataset": "sirene-sample"},
                    {"organisation": "inegi", "dataset": "denue-sample"}
                ],
                "visibility": "public"
            }),
        )
        .await;
    // Both agents pin only the echo command, by its hash.
    let allowed = format!("\"{}\"", pin(&command));
    let data = world.dir.path().join("insee.csv");
    let insee = world.agent_allowing("insee", "insee-local", "local", "", &data, &allowed);
    let data = world.dir.path().join("inegi.csv");
    let inegi = world.agent_allowing("inegi", "inegi-hpc", "slurm", "", &data, &allowed);

    // The scoring benchmark's command is pinned by neither: refused, with the hash to pin.
    let refused = world.start_run("2", &["insee"]).await;
    let done = world
        .wait_run(refused, Duration::from_secs(120), ended)
        .await;
    let job = job_of(&done, "insee");
    assert_eq!(job["state"], "refused", "{job:#}");
    assert_eq!(job["attempts"], 1, "{job:#}");
    let reason = job["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("refused by agent agent:insee/insee-local")
            && reason.contains(&pin(&world.command))
            && reason.contains("jobs.allowed_commands"),
        "{reason}"
    );
    let page = reqwest::get(
        world
            .hub
            .url(&format!("/benchmarks/nace-coding/runs/{refused}")),
    )
    .await
    .expect("the run page")
    .text()
    .await
    .expect("its text");
    assert!(
        page.contains("refused") && page.contains(&pin(&world.command)),
        "{page}"
    );

    let sub = format!("$(touch {})", marker.display());
    let tick = format!("`touch {}`", marker.display());
    let run = world
        .post(
            "/api/v1/benchmarks/echo-params/runs",
            json!({"model": {"organisation": "insee", "name": "naf-coder", "version": "2"},
                   "organisations": ["insee", "inegi"],
                   "parameters": {"semi": "x; rm -rf /", "sub": sub, "tick": tick}}),
        )
        .await;
    let id = run["id"].as_i64().expect("a run id");
    let done = loop_until_ended(&world, id).await;
    for (org, executor) in [("insee", "local"), ("inegi", "slurm")] {
        let job = job_of(&done, org);
        assert_eq!(job["state"], "succeeded", "{job:#}");
        assert_eq!(job["executor"], executor, "{job:#}");
        let log = job["log_tail"].as_str().unwrap_or_default();
        assert_eq!(
            log,
            format!("arg[naf-coder]\nsemi[x; rm -rf /]\nsub[{sub}]\ntick[{tick}]\n"),
            "{org}"
        );
    }
    assert!(!marker.exists(), "a shell ran a parameter");
    drop((insee, inegi));
    db.drop_now().await;
}

async fn loop_until_ended(world: &JobWorld, id: i64) -> Value {
    let started = std::time::Instant::now();
    loop {
        let run = world
            .get(&format!("/api/v1/benchmarks/echo-params/runs/{id}"))
            .await;
        let jobs = run["jobs"].as_array().cloned().unwrap_or_default();
        if !jobs.is_empty() && jobs.iter().all(ended) {
            return run;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "run {id}: {run:#}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
