//! The Helm charts, rendered with their defaults and with other values, and the manifests
//! checked: what Kubernetes needs of each document, replicas, probes, the disruption
//! budget's selector, the migration hook, Secret references, and the hub's and the agent's
//! settings loaded by their own loaders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::{Value, json};

use crate::chart::{self, Doc, Rendered, deploy_dir, none, render, try_render};
use crate::loaders;

pub fn hub_chart() -> PathBuf {
    deploy_dir().join("helm/agora")
}

pub fn agent_chart() -> PathBuf {
    deploy_dir().join("helm/agora-agent")
}

/// Values a real office might give the hub chart: more replicas, an Ingress, an existing
/// Secret, Keycloak, an agent with MLflow and Kubernetes jobs.
pub fn hub_values() -> Value {
    json!({
        "hub": {
            "replicas": 3,
            "config": {
                "public_url": "https://agora.stat.example",
                "digest": {"from": "Agora <agora@stat.example>", "smtp": {"host": "mail.stat.example", "username": "agora"}},
                "oidc": {"providers": [{
                    "name": "keycloak",
                    "issuer": "https://sso.stat.example/realms/agora",
                    "client_id": "agora-hub",
                    "admin_groups": ["agora-admins"],
                    "steward_group_pattern": "agora-stewards-{organisation}"
                }]}
            },
            "extraEnv": [{"name": "RUST_LOG", "value": "debug"}],
            "nodeSelector": {"kubernetes.io/os": "linux"}
        },
        "ingress": {
            "enabled": true,
            "className": "nginx",
            "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"},
            "hosts": [{"host": "agora.stat.example", "paths": [{"path": "/", "pathType": "Prefix"}]}],
            "tls": [{"secretName": "agora-tls", "hosts": ["agora.stat.example"]}]
        },
        "pdb": {"minAvailable": 2},
        "bootstrap": {"adminEmail": "claire.dubois@insee.fr"},
        "secrets": {"existingSecret": "agora-secrets"},
        "agent": {
            "enabled": true,
            "hubUrl": "http://prod-agora",
            "organisation": "insee",
            "token": "agt_0123456789abcdefghijklmnopqrstuv",
            "mlflow": {"enabled": true, "url": "http://mlflow:5000", "visibility": "members"},
            "jobs": {
                "enabled": true,
                "executor": "kubernetes",
                "maxConcurrent": 2,
                "gpuTypes": ["a100"],
                "allowedImages": ["registry.stat.example/eval@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
                "datasets": {"census-2021": "/data/census-2021"},
                "drainTimeout": "10m"
            },
            "terminationGracePeriodSeconds": 660
        }
    })
}

/// What the existing Secret `agora-secrets` of [`hub_values`] holds.
fn existing_secret() -> BTreeMap<String, String> {
    [
        ("database-url", "postgres://agora:pw@db:5432/agora"),
        (
            "digest-secret",
            "an-existing-digest-key-of-forty-characters",
        ),
        ("smtp-password", "smtp-pw"),
        ("oidc-keycloak-client-secret", "kc-secret"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn decoded_secrets(r: &Rendered) -> BTreeMap<String, BTreeMap<String, String>> {
    r.of_kind("Secret")
        .into_iter()
        .map(|d| {
            let data = d.value["data"]
                .as_object()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(v.as_str().unwrap_or_default())
                        .unwrap_or_else(|e| panic!("Secret {} key {k}: not base64: {e}", d.name()));
                    (k, String::from_utf8(bytes).expect("UTF-8 secret"))
                })
                .collect();
            (d.name().to_string(), data)
        })
        .collect()
}

/// Every document is an object Kubernetes can take: apiVersion, kind, metadata.name (a
/// DNS label of at most 63 characters), and labels that are strings.
fn check_documents(r: &Rendered) {
    assert!(!r.docs.is_empty());
    for d in &r.docs {
        for key in ["apiVersion", "kind"] {
            assert!(
                d.value[key].as_str().is_some_and(|s| !s.is_empty()),
                "{}: no {key}",
                d.source
            );
        }
        let name = d.name();
        assert!(
            !name.is_empty()
                && name.len() <= 63
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: bad metadata.name `{name}`",
            d.source
        );
        if let Some(labels) = d.value["metadata"]["labels"].as_object() {
            for (k, v) in labels {
                assert!(
                    v.is_string(),
                    "{}: label {k} is not a string: {v}",
                    d.source
                );
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for d in &r.docs {
        assert!(
            seen.insert((d.kind().to_string(), d.name().to_string())),
            "two {} named {}",
            d.kind(),
            d.name()
        );
    }
}

fn containers(d: &Doc) -> Vec<Value> {
    let spec = if d.kind() == "Job" || d.kind() == "Deployment" {
        &d.value["spec"]["template"]["spec"]
    } else {
        panic!("{} has no pod template", d.kind())
    };
    spec["containers"].as_array().cloned().unwrap_or_default()
}

/// Every secretKeyRef names a Secret the release makes (with that key, unless optional)
/// or the existing one; returns the container's environment with secrets resolved.
fn resolve_env(
    r: &Rendered,
    container: &Value,
    existing: Option<(&str, &BTreeMap<String, String>)>,
) -> Vec<(String, String)> {
    let secrets = decoded_secrets(r);
    let mut env = Vec::new();
    for e in container["env"].as_array().cloned().unwrap_or_default() {
        let name = e["name"].as_str().expect("env name").to_string();
        if let Some(v) = e.get("value") {
            env.push((
                name,
                v.as_str().expect("env values are strings").to_string(),
            ));
            continue;
        }
        let r = &e["valueFrom"]["secretKeyRef"];
        let (secret, key) = (
            r["name"].as_str().expect("secret name"),
            r["key"].as_str().expect("secret key"),
        );
        let optional = r["optional"].as_bool().unwrap_or(false);
        let data = match (secrets.get(secret), existing) {
            (Some(data), _) => data,
            (None, Some((name, data))) if name == secret => data,
            _ => panic!(
                "{name} refers to the Secret {secret}, which is neither made nor the existing one"
            ),
        };
        match data.get(key) {
            Some(v) => env.push((name, v.clone())),
            None => assert!(optional, "{name}: Secret {secret} has no key {key}"),
        }
    }
    env
}

fn agora_env(env: &[(String, String)], prefix: &str) -> Vec<(String, String)> {
    env.iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .cloned()
        .collect()
}

fn config_map_file(r: &Rendered, name: &str, key: &str) -> String {
    r.find("ConfigMap", name)
        .unwrap_or_else(|| panic!("no ConfigMap {name}"))
        .value["data"][key]
        .as_str()
        .unwrap_or_else(|| panic!("ConfigMap {name} has no {key}"))
        .to_string()
}

fn mount_path(container: &Value, volume: &str) -> String {
    container["volumeMounts"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["name"] == volume)
        .and_then(|m| m["mountPath"].as_str())
        .unwrap_or_else(|| panic!("no mount of {volume}"))
        .to_string()
}

/// The hub Deployment's own checks, for any values.
fn check_hub(
    r: &Rendered,
    fullname: &str,
    replicas: u64,
    existing: Option<(&str, &BTreeMap<String, String>)>,
) -> agora_hub::Config {
    let dep = r.find("Deployment", fullname).expect("the hub Deployment");
    assert_eq!(dep.value["spec"]["replicas"], json!(replicas));
    let selector = dep.value["spec"]["selector"]["matchLabels"].clone();
    let pod_labels = &dep.value["spec"]["template"]["metadata"]["labels"];
    for (k, v) in selector.as_object().expect("matchLabels") {
        assert_eq!(&pod_labels[k], v, "the pods carry the selector's {k}");
    }
    let svc = r.find("Service", fullname).expect("the hub Service");
    assert_eq!(
        svc.value["spec"]["selector"], selector,
        "the Service selects the hub pods"
    );
    let c = &containers(dep)[0];
    assert_eq!(c["readinessProbe"]["httpGet"]["path"], "/readyz");
    assert_eq!(c["livenessProbe"]["httpGet"]["path"], "/healthz");
    for probe in ["readinessProbe", "livenessProbe"] {
        assert_eq!(c[probe]["httpGet"]["port"], "http");
    }
    assert!(
        c["ports"]
            .as_array()
            .expect("ports")
            .iter()
            .any(|p| p["name"] == "http" && p["containerPort"] == 8080),
        "the `http` port is 8080"
    );
    assert!(c["resources"]["requests"].is_object() && c["resources"]["limits"].is_object());
    assert_eq!(
        dep.value["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"],
        true
    );
    // The settings: hub.toml from the ConfigMap at AGORA_CONFIG, the rest from the env.
    let env = resolve_env(r, c, existing);
    let config_path = env
        .iter()
        .find(|(k, _)| k == "AGORA_CONFIG")
        .map(|(_, v)| v.clone())
        .expect("AGORA_CONFIG");
    let dir = mount_path(c, "config");
    let file = Path::new(&config_path)
        .strip_prefix(&dir)
        .unwrap_or_else(|_| {
            panic!("AGORA_CONFIG {config_path} is not under the config mount {dir}")
        });
    let toml = config_map_file(r, fullname, file.to_str().expect("a file name"));
    let vars: Vec<_> = agora_env(&env, "AGORA_")
        .into_iter()
        .filter(|(k, _)| k != "AGORA_CONFIG")
        .collect();
    let config = loaders::hub(&vars, Some(&toml))
        .unwrap_or_else(|e| panic!("the hub refuses the chart's settings: {e}\n{toml}\n{vars:?}"));
    assert_eq!(config.listen.to_string(), "0.0.0.0:8080");
    assert_eq!(
        config.index_dir.to_str(),
        Some("/var/lib/agora/index"),
        "the index is in the data volume"
    );
    assert!(config.index_dir.starts_with(mount_path(c, "data")));
    assert!(config.digest.secret().is_ok(), "digests can be signed");
    config
}

/// The migration hook: a Job running `agora-hub migrate` before install and upgrade,
/// reading a Secret that exists by then.
fn check_migration(
    r: &Rendered,
    fullname: &str,
    existing: Option<(&str, &BTreeMap<String, String>)>,
) {
    let job = r
        .find("Job", &format!("{fullname}-migrate"))
        .expect("the migration Job");
    let hooks: Vec<&str> = job
        .annotation("helm.sh/hook")
        .expect("a hook")
        .split(',')
        .collect();
    assert!(
        hooks.contains(&"pre-install") && hooks.contains(&"pre-upgrade"),
        "{hooks:?}"
    );
    let c = &containers(job)[0];
    assert_eq!(c["args"], json!(["migrate"]));
    assert_eq!(
        job.value["spec"]["template"]["spec"]["restartPolicy"],
        "Never"
    );
    let env = resolve_env(r, c, existing);
    assert!(
        env.iter()
            .any(|(k, v)| k == "AGORA_DATABASE_URL" && v.starts_with("postgres"))
    );
    loaders::hub(&agora_env(&env, "AGORA_"), None).expect("migrate's settings load");
    let secret = c["env"][0]["valueFrom"]["secretKeyRef"]["name"]
        .as_str()
        .expect("a secret");
    if existing.is_none() {
        // Made by the chart: it must itself be a hook that runs first.
        let s = r
            .find("Secret", secret)
            .expect("the migration's Secret is made");
        let weight = |d: &Doc| -> i64 {
            d.annotation("helm.sh/hook-weight")
                .unwrap_or("0")
                .parse()
                .expect("a number")
        };
        assert!(
            s.annotation("helm.sh/hook")
                .is_some_and(|h| h.contains("pre-install"))
        );
        assert!(weight(s) < weight(job), "the Secret is made before the Job");
    }
}

#[test]
fn the_hub_chart_renders_with_its_defaults() {
    let r = render(&hub_chart(), &none(), "prod", "agora");
    check_documents(&r);
    let fullname = "prod-agora";
    let config = check_hub(&r, fullname, 2, None);
    assert_eq!(config.public_url().as_str(), "https://agora.example.org/");
    check_migration(&r, fullname, None);
    // Two replicas: a disruption budget selecting exactly the hub's pods.
    let pdb = r
        .find("PodDisruptionBudget", fullname)
        .expect("a PodDisruptionBudget");
    let dep = r.find("Deployment", fullname).expect("the Deployment");
    assert_eq!(
        pdb.value["spec"]["selector"]["matchLabels"],
        dep.value["spec"]["selector"]["matchLabels"]
    );
    assert_eq!(pdb.value["spec"]["minAvailable"], 1);
    assert!(r.of_kind("Ingress").is_empty(), "no Ingress unless asked");
    assert_eq!(r.of_kind("Deployment").len(), 1, "no agent unless asked");
    // The digest key is made once and kept: at least 32 characters.
    let secrets = decoded_secrets(&r);
    assert!(secrets[fullname]["digest-secret"].len() >= 32);
    assert!(r.notes.contains("prod-agora.agora.svc"), "{}", r.notes);
}

#[test]
fn the_hub_chart_follows_other_values() {
    let existing = existing_secret();
    let ext = Some(("agora-secrets", &existing));
    let r = render(&hub_chart(), &hub_values(), "prod", "stats");
    check_documents(&r);
    let fullname = "prod-agora";
    let config = check_hub(&r, fullname, 3, ext);
    assert_eq!(config.public_url().as_str(), "https://agora.stat.example/");
    let p = &config.oidc.providers[0];
    assert_eq!(
        p.client_secret.as_ref().map(|s| s.expose()),
        Some("kc-secret")
    );
    assert_eq!(
        config.digest.smtp.password.as_ref().map(|s| s.expose()),
        Some("smtp-pw")
    );
    check_migration(&r, fullname, ext);
    assert!(
        r.find("Secret", fullname).is_none(),
        "the existing Secret is used, none made"
    );
    assert!(r.find("Secret", "prod-agora-migrate").is_none());
    let pdb = r
        .find("PodDisruptionBudget", fullname)
        .expect("a PodDisruptionBudget");
    assert_eq!(pdb.value["spec"]["minAvailable"], 2);
    // The Ingress routes every host to the Service's http port.
    let ing = r.find("Ingress", fullname).expect("an Ingress");
    assert_eq!(ing.value["spec"]["ingressClassName"], "nginx");
    assert_eq!(ing.value["spec"]["tls"][0]["secretName"], "agora-tls");
    let rule = &ing.value["spec"]["rules"][0];
    assert_eq!(rule["host"], "agora.stat.example");
    let backend = &rule["http"]["paths"][0]["backend"]["service"];
    assert_eq!(backend["name"], fullname);
    assert_eq!(backend["port"]["name"], "http");
    let dep = r.find("Deployment", fullname).expect("the hub");
    let env = &containers(dep)[0]["env"];
    assert!(
        env.as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "RUST_LOG")
    );
    assert_eq!(
        dep.value["spec"]["template"]["spec"]["nodeSelector"]["kubernetes.io/os"],
        "linux"
    );
    // The first administrator, granted after install.
    let boot = r
        .find("Job", "prod-agora-bootstrap")
        .expect("the bootstrap Job");
    assert!(
        boot.annotation("helm.sh/hook")
            .unwrap()
            .contains("post-install")
    );
    assert_eq!(
        containers(boot)[0]["args"],
        json!([
            "user",
            "grant",
            "--email",
            "claire.dubois@insee.fr",
            "--role",
            "admin"
        ])
    );
    // The agent, beside the hub.
    let agent = r
        .find("Deployment", "prod-agent")
        .expect("the agent Deployment");
    check_agent(&r, agent, "prod-agent", "stats");
}

#[test]
fn one_replica_has_no_disruption_budget() {
    let r = render(
        &hub_chart(),
        &json!({"hub": {"replicas": 1}}),
        "agora",
        "agora",
    );
    check_documents(&r);
    assert!(r.of_kind("PodDisruptionBudget").is_empty());
    // A release named after the chart keeps its name alone.
    check_hub(&r, "agora", 1, None);
}

/// The agent Deployment's own checks: one replica, its agent.toml loaded by the agent's
/// loader with the token from its Secret, RBAC for the executors it uses.
fn check_agent(
    r: &Rendered,
    dep: &Doc,
    fullname: &str,
    namespace: &str,
) -> agora_agent::AgentConfig {
    assert_eq!(dep.value["spec"]["replicas"], 1);
    assert_eq!(dep.value["spec"]["strategy"]["type"], "Recreate");
    let pod = &dep.value["spec"]["template"]["spec"];
    let c = &containers(dep)[0];
    assert_eq!(c["args"], json!(["run"]));
    let env = resolve_env(r, c, None);
    let config_path = env
        .iter()
        .find(|(k, _)| k == "AGORA_AGENT_CONFIG")
        .map(|(_, v)| v.clone())
        .expect("AGORA_AGENT_CONFIG");
    let dir = mount_path(c, "config");
    let file = Path::new(&config_path)
        .strip_prefix(&dir)
        .expect("the config is mounted");
    let toml = config_map_file(r, fullname, file.to_str().unwrap());
    let vars: Vec<_> = env
        .iter()
        .filter(|(k, _)| k != "AGORA_AGENT_CONFIG")
        .cloned()
        .collect();
    let config = loaders::agent(&vars, &toml)
        .unwrap_or_else(|e| panic!("the agent refuses the chart's settings: {e}\n{toml}"));
    assert!(config.spool_dir.starts_with(mount_path(c, "spool")));
    if let Some(jobs) = &config.jobs {
        let grace = pod["terminationGracePeriodSeconds"]
            .as_u64()
            .expect("a grace period");
        assert!(
            grace > jobs.drain_timeout.as_secs(),
            "the pod outlives the drain timeout"
        );
        let sa = pod["serviceAccountName"]
            .as_str()
            .expect("a service account for the executor");
        assert!(r.find("ServiceAccount", sa).is_some());
        let binding = r.find("RoleBinding", fullname).expect("a RoleBinding");
        assert_eq!(binding.value["subjects"][0]["name"], sa);
        assert_eq!(binding.value["subjects"][0]["namespace"], namespace);
        let role = r
            .find("Role", binding.value["roleRef"]["name"].as_str().unwrap())
            .expect("the Role");
        assert_eq!(
            role.value["metadata"]["namespace"],
            binding.value["metadata"]["namespace"]
        );
    } else {
        assert_eq!(pod["automountServiceAccountToken"], false);
        assert!(r.of_kind("Role").is_empty());
    }
    config
}

#[test]
fn the_agent_chart_renders_alone_with_its_defaults_and_with_sources() {
    let r = render(&agent_chart(), &none(), "agent", "user-jdoe");
    check_documents(&r);
    let dep = r
        .find("Deployment", "agent-agora-agent")
        .expect("the agent");
    let config = check_agent(&r, dep, "agent-agora-agent", "user-jdoe");
    assert!(config.sources.is_empty() && config.jobs.is_none() && config.token.is_none());
    assert!(r.of_kind("Secret").is_empty(), "no token, no Secret");
    assert!(
        r.find("PersistentVolumeClaim", "agent-agora-agent")
            .is_some()
    );

    let values = json!({
        "hubUrl": "https://agora.example.org",
        "organisation": "insee",
        "token": "agt_x",
        "mlflow": {"enabled": true, "url": "https://mlflow.user.example", "token": "ml"},
        "git": {"enabled": true, "token": "glpat", "repositories": [
            {"url": "https://gitlab.example.org/ssplab/naf-coding.git", "branch": "main"},
            {"url": "https://gitlab.example.org/ssplab/ape.git", "name": "ape-coding"}]},
        "jobs": {"enabled": true, "executor": "argo", "argo": {"serverUrl": "https://argo-server.argo:2746"},
                 "allowedCommands": [["python3", "/opt/eval.py", "{dataset}", "{output}"]]},
        "persistence": {"enabled": false},
        "proxy": {"httpsProxy": "http://proxy.example:3128", "noProxy": ".svc,.cluster.local"}
    });
    // A release whose name holds the chart's keeps its name alone.
    let r = render(&agent_chart(), &values, "agora-agent-jdoe", "user-jdoe");
    check_documents(&r);
    let dep = r.find("Deployment", "agora-agent-jdoe").expect("the agent");
    let config = check_agent(&r, dep, "agora-agent-jdoe", "user-jdoe");
    assert_eq!(config.token.as_deref(), Some("agt_x"));
    let defs = config.source_defs().expect("sources");
    assert_eq!(defs.len(), 2);
    let jobs = config.jobs.as_ref().expect("jobs");
    let argo = jobs.argo.as_ref().expect("the argo executor");
    assert_eq!(
        argo.namespace, "user-jdoe",
        "workflows default to the release's namespace"
    );
    let role = r.find("Role", "agora-agent-jdoe").expect("a Role");
    assert_eq!(role.value["rules"][0]["apiGroups"][0], "argoproj.io");
    let env = &containers(dep)[0]["env"];
    assert!(
        env.as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "HTTPS_PROXY")
    );
    assert!(r.of_kind("PersistentVolumeClaim").is_empty());
    let volumes = &dep.value["spec"]["template"]["spec"]["volumes"];
    assert!(
        volumes
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["name"] == "spool" && v["emptyDir"].is_object())
    );
}

#[test]
fn missing_required_values_stop_the_render_with_their_name() {
    let err = try_render(
        &agent_chart(),
        &json!({"mlflow": {"enabled": true}}),
        "a",
        "n",
    )
    .err()
    .expect("an MLflow source needs its URL");
    assert!(err.contains("mlflow.url"), "{err}");
    let err = try_render(
        &agent_chart(),
        &json!({"jobs": {"enabled": true, "executor": "slurm"}}),
        "a",
        "n",
    )
    .err()
    .expect("only kubernetes and argo run in a cluster");
    assert!(err.contains("jobs.executor"), "{err}");
    let err = try_render(
        &hub_chart(),
        &json!({"secrets": {"databaseUrl": ""}}),
        "a",
        "n",
    )
    .err()
    .expect("the hub needs its database");
    assert!(err.contains("secrets.databaseUrl"), "{err}");
}

/// A copy of both charts in a temporary folder, with `edit` applied to one file.
fn broken(file: &str, edit: impl Fn(&str) -> String) -> Result<Rendered, String> {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    for chart in ["agora", "agora-agent"] {
        let from = deploy_dir().join("helm").join(chart);
        let to = tmp.path().join(chart);
        std::fs::create_dir_all(to.join("templates")).unwrap();
        for name in ["Chart.yaml", "values.yaml"] {
            std::fs::copy(from.join(name), to.join(name)).unwrap();
        }
        for entry in std::fs::read_dir(from.join("templates")).unwrap() {
            let path = entry.unwrap().path();
            let rel = format!(
                "{chart}/templates/{}",
                path.file_name().unwrap().to_str().unwrap()
            );
            let text = chart::read(&path);
            let text = if rel == file { edit(&text) } else { text };
            std::fs::write(to.join("templates").join(path.file_name().unwrap()), text).unwrap();
        }
    }
    try_render(
        &tmp.path().join("agora"),
        &json!({"agent": {"enabled": true}}),
        "r",
        "n",
    )
}

#[test]
fn a_broken_template_fails_the_render() {
    assert!(
        broken("none", |t| t.to_string()).is_ok(),
        "the copies render"
    );
    type Edit = Box<dyn Fn(&str) -> String>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        // An `if` left open.
        (
            "agora/templates/pdb.yaml",
            Box::new(|t| t.replace("{{- end }}", "")),
            "missing `end`",
        ),
        // A function that does not exist.
        (
            "agora/templates/service.yaml",
            Box::new(|t| t.replace("| nindent 4", "| nindentt 4")),
            "`nindentt` not defined",
        ),
        // A value that is not there.
        (
            "agora/templates/deployment.yaml",
            Box::new(|t| t.replace(".Values.hub.replicas", ".Values.hub.replica.count")),
            "nil pointer",
        ),
        // A map printed without toYaml.
        (
            "agora/templates/deployment.yaml",
            Box::new(|t| {
                t.replace(
                    "toYaml .Values.hub.resources | nindent 12",
                    ".Values.hub.resources",
                )
            }),
            "a map or list printed",
        ),
        // Wrong indentation: the output is no longer YAML.
        (
            "agora/templates/configmap.yaml",
            Box::new(|t| t.replace("nindent 4", "nindent 1")),
            "is not YAML",
        ),
        // A template that is not defined.
        (
            "agora-agent/templates/deployment.yaml",
            Box::new(|t| t.replace("agora-agent.selectorLabels", "agora-agent.selector")),
            "no template named",
        ),
        // An unterminated action.
        (
            "agora-agent/templates/configmap.yaml",
            Box::new(|t| t.replace("| nindent 4 }}", "| nindent 4 }")),
            "unclosed action",
        ),
    ];
    for (file, edit, why) in cases {
        match broken(file, edit) {
            Ok(_) => panic!("{file}: a broken template rendered"),
            Err(e) => {
                let name = file.rsplit('/').next().unwrap_or(file);
                assert!(e.contains(why) && e.contains(name), "{file}: {e}");
            }
        }
    }
}

#[test]
fn the_hub_chart_exposes_metrics_on_their_own_port_when_asked() {
    let plain = render(&hub_chart(), &none(), "prod", "agora");
    let dep = plain
        .find("Deployment", "prod-agora")
        .expect("the Deployment");
    let c = &containers(dep)[0];
    assert!(
        !c["ports"]
            .as_array()
            .expect("ports")
            .iter()
            .any(|p| p["name"] == "metrics"),
        "no metrics port by default"
    );
    assert!(
        dep.value["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"].is_null()
    );

    let values = json!({"hub": {"metrics": {"enabled": true, "port": 9500}}});
    let r = render(&hub_chart(), &values, "prod", "agora");
    check_documents(&r);
    let config = check_hub(&r, "prod-agora", 2, None);
    assert_eq!(
        config.metrics_listen.map(|a| a.to_string()).as_deref(),
        Some("0.0.0.0:9500"),
        "the hub loads the metrics address the chart gives it"
    );
    let dep = r.find("Deployment", "prod-agora").expect("the Deployment");
    let c = &containers(dep)[0];
    assert!(
        c["ports"]
            .as_array()
            .expect("ports")
            .iter()
            .any(|p| p["name"] == "metrics" && p["containerPort"] == 9500)
    );
    let pod = &dep.value["spec"]["template"]["metadata"]["annotations"];
    assert_eq!(pod["prometheus.io/scrape"], "true");
    assert_eq!(pod["prometheus.io/port"], "9500");
    assert_eq!(pod["prometheus.io/path"], "/metrics");
    // The Service publishes the hub's own port only.
    let svc = r.find("Service", "prod-agora").expect("the Service");
    let ports: Vec<&Value> = svc.value["spec"]["ports"]
        .as_array()
        .expect("ports")
        .iter()
        .collect();
    assert!(
        ports
            .iter()
            .all(|p| p["targetPort"] != 9500 && p["targetPort"] != "metrics")
    );
}

#[test]
fn the_agent_chart_exposes_metrics_when_asked() {
    let plain = render(&agent_chart(), &none(), "agent", "user-jdoe");
    let dep = plain
        .find("Deployment", "agent-agora-agent")
        .expect("the agent");
    assert!(containers(dep)[0]["ports"].is_null(), "no port by default");

    let values = json!({"metrics": {"enabled": true}});
    let r = render(&agent_chart(), &values, "agent", "user-jdoe");
    check_documents(&r);
    let dep = r
        .find("Deployment", "agent-agora-agent")
        .expect("the agent");
    let config = check_agent(&r, dep, "agent-agora-agent", "user-jdoe");
    assert_eq!(
        config.metrics_listen.map(|a| a.to_string()).as_deref(),
        Some("0.0.0.0:9465"),
        "the agent loads the metrics address the chart gives it"
    );
    let c = &containers(dep)[0];
    assert_eq!(c["ports"][0]["name"], "metrics");
    assert_eq!(c["ports"][0]["containerPort"], 9465);
    let pod = &dep.value["spec"]["template"]["metadata"]["annotations"];
    assert_eq!(pod["prometheus.io/scrape"], "true");
    assert_eq!(pod["prometheus.io/port"], "9465");
}
