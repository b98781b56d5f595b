//! API fuzzing: schemathesis (a real property-based API tester from PyPI) reads the served
//! `/api/v1/openapi.json` of a hub with the demo data and sends generated requests, valid
//! and invalid, to every operation: anonymously, with an administrator's personal token,
//! and (for the agent routes) with an agent token: no answer may be a 5xx; every answer
//! must be one the document declares (its status, its content type and its body);
//! authentication and deleted items behave; a request valid by the document is accepted
//! and one that is not is refused (`tests/schemathesis.toml` says where a valid body may
//! still name an item that does not exist).
//!
//! Bounded: a fixed number of examples per operation, a fixed seed, and a time budget per
//! run, so it takes a few minutes on two cores and fails the same way every time.

use std::process::Command;

use agora_e2e::{Hub, TestDb, admin_token, create_agent, free_port, hub_command, python_venv};

const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// Examples per operation (`FUZZ_EXAMPLES`), and the seconds a run may take: its share of
/// the budget (`FUZZ_SECONDS`, 180 by default) for a longer run. Fuzzing repeats until its
/// time is spent. (Not `AGORA_…`: the hub reads those as its configuration and refuses
/// keys it does not know.)
fn budget(share: f64) -> (String, String) {
    let examples = std::env::var("FUZZ_EXAMPLES").unwrap_or_else(|_| "10".into());
    let total: f64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(180.0);
    (examples, format!("{}", (total * share).ceil().max(10.0)))
}

/// Runs schemathesis against the hub with the given checks and extra arguments, for
/// `share` of the time budget; panics with its report when it found a failure.
fn schemathesis(hub: &Hub, label: &str, share: f64, checks: &str, extra: &[&str]) {
    let bin = python_venv("schemathesis", &[SCHEMATHESIS]);
    let (examples, seconds) = budget(share);
    let reports = tempfile::tempdir().expect("a report folder");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/schemathesis.toml");
    let out = Command::new(bin.join("st"))
        .args(["--config-file", config])
        .args(["run", &hub.url("/api/v1/openapi.json")])
        .args(["--checks", checks])
        .args(["--max-examples", &examples])
        .args(["--max-time", &seconds])
        .args(["--seed", "20261202"])
        .args(["--workers", "1"])
        .args(["--request-timeout", "20"])
        .args(["--generation-database", "none"])
        .args(["--suppress-health-check", "all"])
        .arg("--no-color")
        .arg("--report-dir")
        .arg(reports.path())
        .args(extra)
        .output()
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(" generated, ") || l.starts_with("Seed"))
        .map(str::trim)
        .collect();
    eprintln!("schemathesis ({label}): {}", summary.join(" | "));
    assert!(
        out.status.success(),
        "schemathesis found failures ({label}):\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The routes an agent calls (they take an agent token and `Agora-Protocol`).
const AGENT_ROUTES: &str = "^/api/v1/agent/";

#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_undocumented_answer() {
    let db = TestDb::create().await;
    let seeded = hub_command(&db.url, &["seed-demo"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let agent = create_agent(&db.url, "insee", "fuzz-1");
    let admin = admin_token(&db.url).await;
    // Lease long polls answer within a second, well inside the request timeout.
    let hub = Hub::start_with_env(
        &db.url,
        free_port(),
        None,
        &[("AGORA_JOB_MAX_WAIT_SECONDS", "1")],
    )
    .await;

    schemathesis(
        &hub,
        "anonymous",
        0.4,
        "all",
        &["--exclude-path-regex", AGENT_ROUTES],
    );
    let bearer = format!("Authorization: Bearer {admin}");
    schemathesis(
        &hub,
        "administrator",
        0.4,
        "all",
        // Revoking tokens would end the run's own credentials part-way (its token id is
        // among the few a fuzzer tries); revocation has its own tests.
        &[
            "--exclude-path-regex",
            AGENT_ROUTES,
            "--exclude-operation-id",
            "account_tokens_revoke",
            "--header",
            &bearer,
        ],
    );
    let agent_bearer = format!("Authorization: Bearer {agent}");
    schemathesis(
        &hub,
        "agent",
        0.2,
        "all",
        &[
            "--include-path-regex",
            AGENT_ROUTES,
            "--header",
            &agent_bearer,
            "--header",
            "Agora-Protocol: 1",
        ],
    );

    drop(hub);
    db.drop_now().await;
}
