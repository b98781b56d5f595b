//! deploy/systemd: the unit's hardening and its fit with the example configuration, which
//! the agent's own loader must accept; `systemd-analyze verify` when it is installed.

use std::collections::BTreeMap;
use std::process::Command;

use crate::chart::{deploy_dir, read};
use crate::loaders;

/// `[Section] Key=value` of a unit; repeated keys keep every value.
fn unit() -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut section = String::new();
    for line in read(&deploy_dir().join("systemd/agora-agent.service")).lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with('[') {
            section = t.trim_matches(['[', ']']).to_string();
            continue;
        }
        let (k, v) = t
            .split_once('=')
            .unwrap_or_else(|| panic!("not a key: {t}"));
        out.entry(format!("{section}.{k}"))
            .or_default()
            .push(v.to_string());
    }
    out
}

fn one(unit: &BTreeMap<String, Vec<String>>, key: &str) -> String {
    unit.get(key)
        .and_then(|v| v.last().cloned())
        .unwrap_or_else(|| panic!("the unit sets no {key}"))
}

fn example_env() -> Vec<(String, String)> {
    read(&deploy_dir().join("systemd/agent.env.example"))
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

#[test]
fn the_unit_is_hardened_and_fits_the_example_configuration() {
    let u = unit();
    for (key, want) in [
        ("Service.DynamicUser", "yes"),
        ("Service.ProtectSystem", "strict"),
        ("Service.ProtectHome", "yes"),
        ("Service.PrivateTmp", "yes"),
        ("Service.PrivateDevices", "yes"),
        ("Service.NoNewPrivileges", "yes"),
        ("Service.CapabilityBoundingSet", ""),
        ("Service.SystemCallFilter", "@system-service"),
        ("Service.Restart", "on-failure"),
        ("Service.RestartPreventExitStatus", "2"),
        ("Service.KillMode", "mixed"),
        ("Service.KillSignal", "SIGTERM"),
        ("Service.StateDirectory", "agora-agent"),
    ] {
        assert_eq!(one(&u, key), want, "{key}");
    }
    let families = one(&u, "Service.RestrictAddressFamilies");
    for f in ["AF_INET", "AF_INET6", "AF_UNIX"] {
        assert!(families.split_whitespace().any(|x| x == f), "{families}");
    }
    // The example configuration, loaded as `run` would with the unit's environment file.
    let exec = one(&u, "Service.ExecStart");
    let words: Vec<&str> = exec.split_whitespace().collect();
    assert_eq!(words.last(), Some(&"run"));
    let config_at = words
        .iter()
        .position(|w| *w == "--config")
        .map(|i| words[i + 1])
        .expect("--config");
    assert_eq!(config_at, "/etc/agora-agent/agent.toml");
    assert!(one(&u, "Service.EnvironmentFile").starts_with("/etc/agora-agent/"));
    let env = example_env();
    assert!(
        env.iter().any(|(k, _)| k == "AGORA_AGENT_TOKEN"),
        "the token comes from the environment file"
    );
    let config = loaders::agent(&env, &read(&deploy_dir().join("systemd/agent.toml")))
        .unwrap_or_else(|e| panic!("agora-agent check would refuse the example: {e}"));
    assert_eq!(
        config.token.as_deref(),
        Some("agt_replace_with_the_printed_token")
    );
    assert_eq!(config.source_defs().expect("sources").len(), 2);
    // The spool is the unit's state folder, the only writable place.
    let state = format!("/var/lib/{}", one(&u, "Service.StateDirectory"));
    assert!(
        config.spool_dir.starts_with(&state),
        "{:?} outside {state}",
        config.spool_dir
    );
    // systemd waits for the drain (and a little more) before SIGKILL.
    let jobs = config.jobs.as_ref().expect("the example runs jobs");
    let stop: u64 = one(&u, "Service.TimeoutStopSec").parse().expect("seconds");
    let drain = jobs.drain_timeout.as_secs();
    assert!(
        stop > drain && stop <= drain + 120,
        "TimeoutStopSec {stop} for a drain of {drain}s"
    );
    // Every token_env the sources name is in the environment file (set or commented).
    let env_file = read(&deploy_dir().join("systemd/agent.env.example"));
    for s in &config.sources {
        if let Some(var) = &s.token_env {
            assert!(
                env_file.contains(&format!("{var}=")),
                "{var} is not in agent.env.example"
            );
        }
    }
}

#[test]
fn systemd_analyze_verifies_the_unit() {
    let _guard = loaders::env_lock();
    let Ok(out) = Command::new("systemd-analyze").arg("--version").output() else {
        println!("skipped: systemd-analyze is not installed");
        return;
    };
    if !out.status.success() {
        println!("skipped: systemd-analyze does not run here");
        return;
    }
    // verify checks that ExecStart is executable: point it at the built agent.
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let agent = agora_e2e::binary("agora-agent");
    let text = read(&deploy_dir().join("systemd/agora-agent.service")).replace(
        "/usr/local/bin/agora-agent",
        agent.to_str().expect("a UTF-8 path"),
    );
    let path = tmp.path().join("agora-agent.service");
    std::fs::write(&path, text).expect("write the unit");
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&path)
        .output()
        .expect("systemd-analyze runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Warnings about the unit (unknown keys, bad values) fail too, not only errors.
    let about_unit: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("agora-agent.service"))
        .collect();
    assert!(
        out.status.success() && about_unit.is_empty(),
        "systemd-analyze verify: {}\n{stderr}",
        out.status
    );
}
