//! Runs the fault tests one by one and prints the fault matrix: scenario, outcome, items
//! lost, items duplicated, each read from the `FAULT-MATRIX` line the test printed.
//!
//!   cargo run -p agora-e2e --bin fault-matrix              # every scenario
//!   cargo run -p agora-e2e --bin fault-matrix -- pg smtp   # scenarios whose name has a word
//!
//! Builds the workspace's binaries first (the tests start them). Each test's output is kept
//! in a log file, named in the table's footnote when a scenario fails.

use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use agora_e2e::faults::parse_line;

/// (scenario, test target, test function): the test prints `FAULT-MATRIX scenario=…`.
const SCENARIOS: &[(&str, &str, &str)] = &[
    (
        "hub-killed-mid-sync",
        "sync_faults",
        "the_hub_killed_mid_sync_loses_nothing_and_duplicates_nothing",
    ),
    (
        "agent-killed-mid-sync",
        "sync_faults",
        "the_agent_killed_after_the_hub_answered_replays_without_duplicates",
    ),
    (
        "agent-killed-mid-job",
        "jobs_e2e",
        "a_killed_agent_s_job_is_requeued_and_completed_once_by_another",
    ),
    (
        "postgres-restarted",
        "postgres_restart",
        "postgres_restarted_while_requests_flow_loses_and_duplicates_nothing",
    ),
    (
        "smtp-down-during-digests",
        "digests",
        "with_the_smtp_server_down_digests_wait_and_go_out_later",
    ),
    (
        "mlflow-down-mid-listing",
        "sync_mlflow",
        "mlflow_stopping_in_the_middle_of_a_listing_withdraws_nothing",
    ),
    (
        "replicas-racing-for-digests",
        "digests",
        "two_hub_replicas_schedule_and_send_each_digest_once",
    ),
    (
        "schedulers-racing-for-digests",
        "digests",
        "two_schedulers_racing_send_one_message_per_subscriber",
    ),
    (
        "agents-racing-for-leases",
        "jobs_e2e",
        "two_agents_racing_for_jobs_never_share_one",
    ),
    (
        "replicas-racing-for-leases",
        "replicas",
        "two_reapers_return_each_expired_lease_to_the_queue_once",
    ),
    (
        "replica-killed-mid-sync",
        "replicas",
        "a_replica_killed_while_an_agent_syncs_through_it_loses_nothing",
    ),
];

struct Row {
    scenario: &'static str,
    test: String,
    outcome: &'static str,
    lost: String,
    duplicated: String,
    seconds: u64,
    log: Option<std::path::PathBuf>,
}

/// `cargo`, without what `cargo run` added to this program's environment (the package's
/// variables and `LD_LIBRARY_PATH` into the target folder): build scripts that watch them
/// would otherwise rebuild the dependencies.
fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || matches!(name.as_ref(), "CARGO_CRATE_NAME" | "CARGO_BIN_NAME")
        {
            command.env_remove(name.as_ref());
        }
    }
    let target = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|p| p.to_path_buf()))
        .unwrap_or_default();
    if let Some(paths) = std::env::var_os("LD_LIBRARY_PATH") {
        let kept: Vec<_> = std::env::split_paths(&paths)
            .filter(|p| target.as_os_str().is_empty() || !p.starts_with(&target))
            .collect();
        match std::env::join_paths(kept) {
            Ok(joined) if !joined.is_empty() => command.env("LD_LIBRARY_PATH", joined),
            _ => command.env_remove("LD_LIBRARY_PATH"),
        };
    }
    command
}

fn main() -> ExitCode {
    let words: Vec<String> = std::env::args().skip(1).collect();
    let chosen: Vec<_> = SCENARIOS
        .iter()
        .filter(|(s, _, _)| words.is_empty() || words.iter().any(|w| s.contains(w.as_str())))
        .collect();
    if chosen.is_empty() {
        eprintln!(
            "no scenario matches {words:?}; scenarios: {}",
            SCENARIOS.iter().map(|s| s.0).collect::<Vec<_>>().join(", ")
        );
        return ExitCode::from(2);
    }
    eprintln!("building the binaries");
    let built = cargo()
        .args(["build", "--workspace", "--bins", "--quiet"])
        .status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("cargo build --workspace --bins failed");
        return ExitCode::FAILURE;
    }
    let logs = std::env::temp_dir().join(format!("agora-fault-matrix-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&logs) {
        eprintln!("cannot make {}: {e}", logs.display());
        return ExitCode::FAILURE;
    }
    let mut rows = Vec::new();
    for (scenario, target, test) in chosen {
        eprintln!("running {scenario} ({target}::{test})");
        let started = Instant::now();
        let out = cargo()
            .args(["test", "--quiet", "-p", "agora-e2e", "--test", target, "--"])
            .args(["--exact", test, "--nocapture", "--test-threads", "1"])
            .stdin(Stdio::null())
            .output();
        let seconds = started.elapsed().as_secs();
        let (passed, text) = match out {
            Ok(o) => (
                o.status.success(),
                format!(
                    "{}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                ),
            ),
            Err(e) => (false, format!("cargo test did not run: {e}")),
        };
        let found = text
            .lines()
            .filter_map(parse_line)
            .find(|(s, _, _)| s == scenario);
        let ran = text.contains("1 passed") || text.contains("1 failed");
        let log = logs.join(format!("{scenario}.log"));
        let kept = std::fs::write(&log, &text).is_ok();
        let outcome = match (passed, &found, ran) {
            (true, Some(_), _) => "passed",
            (_, _, false) => "not run",
            (true, None, _) => "no report",
            (false, _, _) => "failed",
        };
        rows.push(Row {
            scenario,
            test: format!("{target}::{test}"),
            outcome,
            lost: found.as_ref().map_or("-".into(), |f| f.1.to_string()),
            duplicated: found.as_ref().map_or("-".into(), |f| f.2.to_string()),
            seconds,
            log: (kept && outcome != "passed").then_some(log),
        });
    }
    print_table(&rows);
    if rows.iter().all(|r| r.outcome == "passed") {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print_table(rows: &[Row]) {
    let header = [
        "scenario",
        "outcome",
        "lost",
        "duplicated",
        "seconds",
        "test",
    ];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.scenario.to_string(),
                r.outcome.to_string(),
                r.lost.clone(),
                r.duplicated.clone(),
                r.seconds.to_string(),
                r.test.clone(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.len());
        }
    }
    let line = |row: &[String]| {
        let parts: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("| {} |", parts.join(" | "));
    };
    line(&header.map(String::from));
    println!(
        "|{}|",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("|")
    );
    for row in &cells {
        line(row);
    }
    for r in rows {
        if let Some(log) = &r.log {
            println!(
                "{}: {} (output in {})",
                r.scenario,
                r.outcome,
                log.display()
            );
        }
    }
}
