use std::path::Path;
use std::time::Duration;

use agora_schemas::Visibility;

use super::{AgentConfig, LogFormat, SourceDetail};
use crate::Result;

fn load(jail: &mut figment::Jail, text: &str) -> Result<AgentConfig> {
    jail.create_file("agent.toml", text).unwrap();
    AgentConfig::load(Path::new("agent.toml"))
}

#[test]
fn environment_overrides_the_file_and_secrets_stay_hidden() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("AGORA_AGENT_TOKEN", "agt_secret");
        jail.set_env("AGORA_AGENT_INTERVAL", "90s");
        let c = load(
            jail,
            "hub_url = \"http://127.0.0.1:8080\"\ninterval = \"5m\"\n",
        )
        .unwrap();
        assert_eq!(c.token.as_deref(), Some("agt_secret"));
        assert_eq!(c.interval, Duration::from_secs(90));
        assert!(!format!("{c:?}").contains("agt_secret"));
        Ok(())
    });
}

#[test]
fn a_bad_value_names_its_key() {
    figment::Jail::expect_with(|jail| {
        let err = load(jail, "hub_url = \"not a url\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`hub_url`"), "{err}");
        let err = load(jail, "hub_url = \"http://h\"\nspool = \"/x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("spool"), "{err}");
        Ok(())
    });
}

#[test]
fn sources_are_checked_with_their_paths() {
    figment::Jail::expect_with(|jail| {
        let base = "hub_url = \"http://h\"\norganisation = \"insee\"\n";
        let err = load(
            jail,
            &format!("{base}[[sources]]\nname = \"m\"\ntype = \"mlflow\"\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`sources[0].name`"), "{err}");
        let err = load(
            jail,
            &format!("{base}[[sources]]\nname = \"ml\"\ntype = \"mlflow\"\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`sources[0].url`: required"), "{err}");
        let err = load(
            jail,
            &format!(
                "{base}[[sources]]\nname = \"ml\"\ntype = \"mlflow\"\nurl = \"http://m\"\n\
                 release = [\"model_version.artifact_url\"]\n"
            ),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`sources[0].release[0]`"), "{err}");
        let err = load(
            jail,
            &format!(
                "{base}[[sources]]\nname = \"gl\"\ntype = \"git\"\n\
                 [[sources.repositories]]\nurl = \"file:///srv/r.git\"\nbranch = \"main\"\nfoo = 1\n"
            ),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("foo"), "{err}");
        let ok = load(
            jail,
            &format!(
                "{base}[[sources]]\nname = \"gl\"\ntype = \"git\"\ninterval = \"1h\"\n\
                 [[sources.repositories]]\nurl = \"file:///srv/Naf_Coder.git\"\n"
            ),
        )
        .unwrap();
        let defs = ok.source_defs().unwrap();
        match &defs[0].kind {
            SourceDetail::Git { repositories, .. } => {
                assert_eq!(repositories[0].name.as_str(), "naf-coder");
                assert_eq!(repositories[0].visibility, None);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(defs[0].interval, Duration::from_secs(3600));
        // Visibility: per folder source, per git source, per repository.
        let ok = load(
            jail,
            &format!(
                "{base}[[sources]]\nname = \"gl\"\ntype = \"git\"\nvisibility = \"members\"\n\
                 [[sources.repositories]]\nurl = \"file:///srv/alpha.git\"\n\
                 [[sources.repositories]]\nurl = \"file:///srv/beta.git\"\nvisibility = \"public\"\n\
                 [[sources]]\nname = \"drive\"\ntype = \"folder\"\npath = \"/srv/m\"\n\
                 visibility = \"public\"\n"
            ),
        )
        .unwrap();
        let defs = ok.source_defs().unwrap();
        match &defs[0].kind {
            SourceDetail::Git { repositories, .. } => {
                assert_eq!(repositories[0].visibility, Some(Visibility::Members));
                assert_eq!(repositories[1].visibility, Some(Visibility::Public));
            }
            other => panic!("{other:?}"),
        }
        match &defs[1].kind {
            SourceDetail::Folder { visibility, .. } => {
                assert_eq!(*visibility, Some(Visibility::Public))
            }
            other => panic!("{other:?}"),
        }
        Ok(())
    });
}

#[test]
fn metrics_are_off_by_default_and_set_from_the_environment() {
    figment::Jail::expect_with(|jail| {
        let c = load(jail, "hub_url = \"http://h\"\n").unwrap();
        assert_eq!(c.metrics_listen, None);
        assert_eq!(c.log_format, LogFormat::Text);
        jail.set_env("AGORA_AGENT_METRICS_LISTEN", "127.0.0.1:9465");
        jail.set_env("AGORA_AGENT_LOG_FORMAT", "json");
        let c = load(jail, "hub_url = \"http://h\"\n").unwrap();
        assert_eq!(c.metrics_listen.unwrap().port(), 9465);
        assert_eq!(c.log_format, LogFormat::Json);
        jail.set_env("AGORA_AGENT_METRICS_LISTEN", "nowhere");
        let err = load(jail, "hub_url = \"http://h\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`metrics_listen`"), "{err}");
        Ok(())
    });
}

// `[jobs]` as the whole file gives it: errors name `jobs.…` keys.

const BASE: &str = "hub_url = \"http://h\"\n[jobs]\nexecutors = [\"local\"]\n";

#[test]
fn jobs_settings_are_checked_with_their_paths() {
    figment::Jail::expect_with(|jail| {
        let err = load(
            jail,
            "hub_url = \"http://h\"\n[jobs]\nexecutors = [\"pbs\"]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`jobs.executors[0]`"), "{err}");
        let err = load(
            jail,
            "hub_url = \"http://h\"\n[jobs]\nexecutors = [\"kubernetes\"]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`jobs.kubernetes`: required"), "{err}");
        let err = load(
            jail,
            &format!("{BASE}[jobs.datasets]\ncensus = \"data/census\"\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`jobs.datasets.census`"), "{err}");
        let err = load(jail, &format!("{BASE}[jobs.slurm]\npartitions = \"gpu\"\n"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("jobs.slurm") && err.contains("partitions"),
            "{err}"
        );
        let err = load(jail, &format!("{BASE}drain_timeout = \"soon\"\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`jobs.drain_timeout`"), "{err}");
        Ok(())
    });
}

#[test]
fn environment_variables_override_jobs_settings() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("AGORA_AGENT_JOBS__MAX_CONCURRENT", "4");
        jail.set_env("AGORA_AGENT_JOBS__DRAIN_TIMEOUT", "90s");
        let c = load(jail, &format!("{BASE}max_concurrent = 2\n")).unwrap();
        let jobs = c.jobs.unwrap();
        assert_eq!(jobs.max_concurrent, 4);
        assert_eq!(jobs.drain_timeout, Duration::from_secs(90));
        Ok(())
    });
}

#[test]
fn allowlist_entries_must_be_pinned() {
    figment::Jail::expect_with(|jail| {
        let err = load(
            jail,
            &format!("{BASE}allowed_images = [\"r.example/eval:1.0\"]\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("`jobs.allowed_images[0]`") && err.contains("pinned by digest"),
            "{err}"
        );
        let err = load(
            jail,
            &format!("{BASE}allowed_commands = [\"sha256:abc\"]\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`jobs.allowed_commands[0]`"), "{err}");
        let err = load(jail, &format!("{BASE}allowed_commands = [[]]\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`jobs.allowed_commands[0]`"), "{err}");
        Ok(())
    });
}
