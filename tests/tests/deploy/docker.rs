//! deploy/docker: the compose file and the Dockerfiles, checked as far as they can be
//! without a Docker daemon (none runs here: the images are not built by these tests).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::chart::{deploy_dir, read, yaml};
use crate::loaders;

/// One Dockerfile instruction, continuation lines joined.
#[derive(Debug, Clone)]
struct Instruction {
    op: String,
    args: String,
}

/// The instructions of each stage, in order.
fn stages(path: &Path) -> Vec<Vec<Instruction>> {
    let text = read(path);
    let mut joined = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let t = line.trim();
        if current.is_empty() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        if t.starts_with('#') {
            continue;
        }
        if let Some(head) = t.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
        } else {
            current.push_str(t);
            joined.push(std::mem::take(&mut current));
        }
    }
    let mut stages: Vec<Vec<Instruction>> = Vec::new();
    for line in joined {
        let (op, args) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        let ins = Instruction {
            op: op.to_ascii_uppercase(),
            args: args.trim().to_string(),
        };
        if ins.op == "FROM" {
            stages.push(vec![]);
        }
        match stages.last_mut() {
            Some(stage) => stage.push(ins),
            None => assert_eq!(ins.op, "ARG", "{}: only ARG before FROM", path.display()),
        }
    }
    stages
}

fn find<'a>(stage: &'a [Instruction], op: &str) -> Vec<&'a Instruction> {
    stage.iter().filter(|i| i.op == op).collect()
}

/// `ENV A=1 B=2` pairs of a stage.
fn env_of(stage: &[Instruction]) -> Vec<(String, String)> {
    find(stage, "ENV")
        .into_iter()
        .flat_map(|i| {
            i.args
                .split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The checks shared by the hub's and the agent's Dockerfiles; returns the final stage.
fn check_dockerfile(name: &str, package: &str) -> Vec<Instruction> {
    let path = deploy_dir().join("docker").join(name);
    let stages = stages(&path);
    assert!(stages.len() >= 2, "{name}: a builder and a runtime stage");
    let builder = &stages[0];
    let runtime = stages.last().expect("a runtime stage").clone();
    assert!(
        builder[0].args.starts_with("rust:"),
        "{name}: built on the Rust image"
    );
    assert!(
        runtime[0].args.contains("-slim"),
        "{name}: a slim runtime image"
    );
    // The binary built is a real workspace binary: the package's src/main.rs.
    let root = deploy_dir().join("..");
    let build = find(builder, "RUN")
        .into_iter()
        .find(|i| i.args.contains("cargo build"))
        .unwrap_or_else(|| panic!("{name}: no cargo build"));
    assert!(
        build.args.contains(&format!("-p {package}")),
        "{name}: builds {package}"
    );
    assert!(
        build.args.contains(&format!("--bin {package}")),
        "{name}: builds the binary"
    );
    assert!(
        build.args.contains("--locked"),
        "{name}: the lock file is obeyed"
    );
    let manifest = read(
        &root
            .join(package.trim_start_matches("agora-"))
            .join("Cargo.toml"),
    );
    assert!(manifest.contains(&format!("name = \"{package}\"")));
    assert!(
        root.join(package.trim_start_matches("agora-"))
            .join("src/main.rs")
            .exists()
    );
    // What the builder copies exists, and every workspace member is among it.
    let copied: Vec<String> = find(builder, "COPY")
        .into_iter()
        .flat_map(|c| {
            let words: Vec<&str> = c.args.split_whitespace().collect();
            words[..words.len() - 1]
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for src in &copied {
        assert!(
            root.join(src).exists(),
            "{name}: COPY {src}: not in the repository"
        );
    }
    let workspace: toml::Value =
        toml::from_str(&read(&root.join("Cargo.toml"))).expect("Cargo.toml");
    for member in workspace["workspace"]["members"]
        .as_array()
        .expect("members")
    {
        let m = member.as_str().expect("a member path");
        // Copied itself, or inside a copied folder (`hub/search` comes with `hub`).
        assert!(
            copied
                .iter()
                .any(|c| c == m || m.starts_with(&format!("{}/", c.trim_end_matches('/')))),
            "{name}: member {m} is not copied"
        );
    }
    // The runtime gets the binary the builder made, runs it as a user that is not root.
    let from_builder = find(&runtime, "COPY")
        .into_iter()
        .find(|c| c.args.starts_with("--from=builder"))
        .unwrap_or_else(|| panic!("{name}: nothing copied from the builder"));
    assert!(from_builder.args.contains(&format!("/out/{package}")));
    assert!(
        build
            .args
            .contains(&format!("target/release/{package} /out/{package}")),
        "{name}: the copied file is the built one"
    );
    let users = find(&runtime, "USER");
    let user = users
        .last()
        .unwrap_or_else(|| panic!("{name}: no USER"))
        .args
        .clone();
    let uid = user.split(':').next().unwrap_or_default();
    assert!(
        uid != "root" && uid != "0" && !uid.is_empty(),
        "{name}: runs as {user}"
    );
    let entry = find(&runtime, "ENTRYPOINT");
    assert!(
        entry[0].args.contains(&format!("/usr/local/bin/{package}")),
        "{name}: the entry point is the binary"
    );
    assert!(
        from_builder
            .args
            .ends_with(&format!("/usr/local/bin/{package}"))
    );
    runtime
}

#[test]
fn the_dockerfiles_build_the_workspace_binaries_and_run_them_unprivileged() {
    let hub = check_dockerfile("hub.Dockerfile", "agora-hub");
    let health = find(&hub, "HEALTHCHECK");
    assert!(
        health.iter().any(|h| h.args.contains("/healthz")),
        "the hub image checks /healthz"
    );
    // curl is installed for it.
    assert!(find(&hub, "RUN").iter().any(|r| r.args.contains("curl")));
    let env = env_of(&hub);
    let config = loaders::hub(&env, None).expect("the hub image's ENV is valid");
    assert_eq!(config.listen.port(), find_port(&hub));
    let agent = check_dockerfile("agent.Dockerfile", "agora-agent");
    assert!(
        find(&agent, "RUN")
            .iter()
            .any(|r| r.args.contains("ca-certificates") && r.args.contains("libssl3")),
        "the agent reaches https remotes"
    );
    let env = env_of(&agent);
    assert!(
        env.iter()
            .any(|(k, v)| k == "AGORA_AGENT_CONFIG" && v == "/etc/agora-agent/agent.toml")
    );
    let file = read(&deploy_dir().join("docker/agent.toml"));
    let vars: Vec<_> = env
        .into_iter()
        .filter(|(k, _)| k != "AGORA_AGENT_CONFIG")
        .collect();
    loaders::agent(&vars, &file).expect("the agent image's ENV is valid");
}

fn find_port(stage: &[Instruction]) -> u16 {
    find(stage, "EXPOSE")[0].args.parse().expect("a port")
}

/// `${NAME}`, `${NAME:-default}` and `${NAME:?message}` as Compose replaces them.
fn interpolate(text: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("a closed ${") + start;
        let inner = &rest[start + 2..end];
        let value = if let Some((name, default)) = inner.split_once(":-") {
            vars.get(name)
                .filter(|v| !v.is_empty())
                .cloned()
                .unwrap_or(default.to_string())
        } else if let Some((name, message)) = inner.split_once(":?") {
            vars.get(name)
                .filter(|v| !v.is_empty())
                .cloned()
                .unwrap_or_else(|| panic!("compose would stop: {message}"))
        } else {
            vars.get(inner).cloned().unwrap_or_default()
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// env.example's variables, as Compose reads deploy/docker/.env.
fn env_example() -> BTreeMap<String, String> {
    read(&deploy_dir().join("docker/env.example"))
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn environment(service: &Value) -> Vec<(String, String)> {
    match &service["environment"] {
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), v)
            })
            .collect(),
        Value::Null => vec![],
        other => panic!("environment as a map, not {other}"),
    }
}

#[test]
fn the_compose_file_starts_everything_in_order_with_settings_the_programs_accept() {
    let mut vars = env_example();
    vars.insert(
        "AGORA_AGENT_TOKEN".into(),
        "agt_0123456789abcdefghijklmnopqrstuv".into(),
    );
    let text = interpolate(&read(&deploy_dir().join("docker/compose.yaml")), &vars);
    let compose = yaml(&text, "compose.yaml");
    let services = compose["services"].as_object().expect("services");
    for name in [
        "postgres",
        "migrate",
        "seed-demo",
        "hub",
        "agent",
        "mlflow",
        "smtp",
    ] {
        assert!(services.contains_key(name), "no service {name}");
    }
    let dockerfile_health = |service: &Value| -> bool {
        let Some(file) = service["build"]["dockerfile"].as_str() else {
            return false;
        };
        let context = deploy_dir()
            .join("docker")
            .join(service["build"]["context"].as_str().unwrap_or("."));
        let path = context.join(file);
        assert!(path.exists(), "{} is missing", path.display());
        stages(&path)
            .last()
            .is_some_and(|s| find(s, "HEALTHCHECK").iter().any(|h| h.args != "NONE"))
    };
    // Every dependency names a service, with a condition; a health condition needs a
    // health check (in the compose file or the image).
    for (name, service) in services {
        if let Some(deps) = service["depends_on"].as_object() {
            for (dep, how) in deps {
                let target = services
                    .get(dep)
                    .unwrap_or_else(|| panic!("{name} depends on unknown {dep}"));
                let condition = how["condition"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name} → {dep}: no condition"));
                match condition {
                    "service_healthy" => assert!(
                        target["healthcheck"].is_object() || dockerfile_health(target),
                        "{name} waits for {dep} to be healthy, which has no health check"
                    ),
                    "service_completed_successfully" => {
                        assert_eq!(target["restart"], "no", "{dep} runs once")
                    }
                    other => panic!("{name} → {dep}: condition {other}"),
                }
            }
        }
    }
    let cond = |from: &str, to: &str| {
        services[from]["depends_on"][to]["condition"]
            .as_str()
            .map(str::to_string)
    };
    assert_eq!(
        cond("migrate", "postgres").as_deref(),
        Some("service_healthy")
    );
    assert_eq!(
        cond("hub", "migrate").as_deref(),
        Some("service_completed_successfully")
    );
    assert_eq!(
        cond("seed-demo", "migrate").as_deref(),
        Some("service_completed_successfully")
    );
    assert_eq!(cond("agent", "hub").as_deref(), Some("service_healthy"));
    assert_eq!(cond("agent", "mlflow").as_deref(), Some("service_healthy"));
    assert_eq!(
        services["seed-demo"]["profiles"][0], "demo",
        "demo data only when asked"
    );
    assert_eq!(services["migrate"]["command"][0], "migrate");
    assert_eq!(services["seed-demo"]["command"][0], "seed-demo");
    assert_eq!(services["hub"]["command"][0], "serve");
    let hub_health = services["hub"]["healthcheck"]["test"].to_string();
    assert!(hub_health.contains("/healthz"), "{hub_health}");

    // The hub services' settings: the image's ENV, then the compose environment.
    let image = stages(&deploy_dir().join("docker/hub.Dockerfile"));
    for name in ["migrate", "seed-demo", "hub"] {
        let mut env = env_of(image.last().unwrap());
        env.extend(environment(&services[name]));
        let config = loaders::hub(&env, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        let url = url::Url::parse(&config.database_url).expect("a database URL");
        assert_eq!(
            url.host_str(),
            Some("postgres"),
            "{name} reaches the postgres service"
        );
        let pg = environment(&services["postgres"]);
        let get = |k: &str| {
            pg.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(url.username(), get("POSTGRES_USER"));
        assert_eq!(url.password().unwrap_or_default(), get("POSTGRES_PASSWORD"));
        assert_eq!(url.path().trim_start_matches('/'), get("POSTGRES_DB"));
        assert_eq!(config.digest.smtp.host, "smtp");
        assert_eq!(config.digest.smtp.port(), 1025, "aiosmtpd's port");
        assert!(config.digest.secret().is_ok());
        assert!(
            !config.secure_cookies(),
            "plain HTTP on localhost: cookies work without TLS"
        );
    }
    let ports = services["hub"]["ports"][0]
        .as_str()
        .expect("a published port");
    assert!(ports.ends_with(":8080"));

    // The agent: its image's ENV, the compose environment, the mounted agent.toml.
    let agent = &services["agent"];
    let mut env = env_of(
        stages(&deploy_dir().join("docker/agent.Dockerfile"))
            .last()
            .unwrap(),
    );
    env.extend(environment(agent));
    let config_path = env
        .iter()
        .rev()
        .find(|(k, _)| k == "AGORA_AGENT_CONFIG")
        .map(|(_, v)| v.clone())
        .unwrap();
    let mount = agent["volumes"]
        .as_array()
        .expect("volumes")
        .iter()
        .filter_map(Value::as_str)
        .find(|v| v.split(':').nth(1) == Some(config_path.as_str()))
        .expect("agent.toml is mounted where AGORA_AGENT_CONFIG points");
    let local = deploy_dir()
        .join("docker")
        .join(mount.split(':').next().unwrap());
    let vars: Vec<_> = env
        .into_iter()
        .filter(|(k, _)| k != "AGORA_AGENT_CONFIG")
        .collect();
    let config = loaders::agent(&vars, &read(&local)).expect("the compose agent's settings");
    assert_eq!(config.hub_url.as_str(), "http://hub:8080/");
    assert_eq!(
        config.token.as_deref(),
        Some("agt_0123456789abcdefghijklmnopqrstuv")
    );
    let defs = config.source_defs().expect("sources");
    match &defs[0].kind {
        agora_agent::config::SourceDetail::Mlflow { url, .. } => {
            assert_eq!(url.host_str(), Some("mlflow"));
            let command = services["mlflow"]["command"].to_string();
            assert!(
                command.contains(&format!("\"{}\"", url.port().unwrap_or(80))),
                "{command}"
            );
        }
        other => panic!("an MLflow source, not {other:?}"),
    }
}

/// The Debian packages a runtime stage installs with apt-get.
fn apt_packages(stage: &[Instruction]) -> Vec<String> {
    find(stage, "RUN")
        .into_iter()
        .flat_map(|r| {
            let words: Vec<&str> = r.args.split_whitespace().collect();
            let start = words
                .iter()
                .position(|w| *w == "install")
                .map(|i| i + 1)
                .unwrap_or(words.len());
            words[start..]
                .iter()
                .take_while(|w| !w.starts_with("&&"))
                .filter(|w| !w.starts_with('-'))
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The packages holding the shared libraries a binary links, from `ldd` and `dpkg -S`.
fn linked_packages(binary: &Path) -> Result<Vec<String>, String> {
    let out = std::process::Command::new("ldd")
        .arg(binary)
        .output()
        .map_err(|e| format!("ldd: {e}"))?;
    let mut packages = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Some(path) = line
            .split("=>")
            .nth(1)
            .and_then(|p| p.split_whitespace().next())
        else {
            continue;
        };
        let real = std::fs::canonicalize(path).map_err(|e| format!("{path}: {e}"))?;
        let mut owner = None;
        for candidate in [
            path.to_string(),
            real.display().to_string(),
            format!("/usr{path}"),
        ] {
            let out = std::process::Command::new("dpkg")
                .args(["-S", &candidate])
                .output()
                .map_err(|e| format!("dpkg: {e}"))?;
            if out.status.success() {
                let text = String::from_utf8_lossy(&out.stdout).to_string();
                owner = text.split(':').next().map(str::to_string);
                break;
            }
        }
        packages.push(owner.ok_or_else(|| format!("no package owns {path}"))?);
    }
    Ok(packages)
}

#[test]
fn the_runtime_images_install_every_library_the_binaries_link() {
    let _guard = loaders::env_lock();
    // Always in debian:bookworm-slim (priority required).
    let base = ["libc6", "libgcc-s1", "zlib1g"];
    for (dockerfile, binary) in [
        ("hub.Dockerfile", "agora-hub"),
        ("agent.Dockerfile", "agora-agent"),
    ] {
        let path = agora_e2e::binary(binary);
        let linked = match linked_packages(&path) {
            Ok(p) => p,
            Err(e) => {
                println!("skipped: cannot map {binary}'s libraries to Debian packages here ({e})");
                return;
            }
        };
        let stages = stages(&deploy_dir().join("docker").join(dockerfile));
        let installed = apt_packages(stages.last().expect("a runtime stage"));
        for package in linked {
            assert!(
                base.contains(&package.as_str()) || installed.contains(&package),
                "{binary} links a library of {package}, which {dockerfile} does not install ({installed:?})"
            );
        }
    }
}
