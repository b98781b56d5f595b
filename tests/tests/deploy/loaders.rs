//! The hub's and the agent's real configuration loaders, run on settings taken from the
//! deployment files: environment variables set in a `figment::Jail` (the process
//! environment cleared first, and restored afterwards) and the configuration file written
//! in its folder.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// Held while the environment is replaced and while processes are spawned, which need it.
static ENV: Mutex<()> = Mutex::new(());

pub fn env_lock() -> MutexGuard<'static, ()> {
    ENV.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

// figment's `Jail` fixes the closures' error type.
#[allow(clippy::result_large_err)]
/// `agora_hub::Config::load` with exactly these variables and, when given, this hub.toml.
pub fn hub(env: &[(String, String)], file: Option<&str>) -> Result<agora_hub::Config, String> {
    let _guard = env_lock();
    let mut out = None;
    figment::Jail::expect_with(|jail| {
        jail.clear_env();
        for (k, v) in env {
            jail.set_env(k, v);
        }
        let path = match file {
            Some(text) => {
                jail.create_file("hub.toml", text)?;
                Some(jail.directory().join("hub.toml"))
            }
            None => None,
        };
        out = Some(agora_hub::Config::load(path.as_deref()).map_err(|e| e.to_string()));
        Ok(())
    });
    out.unwrap_or_else(|| Err("the jail did not run".into()))
}

// figment's `Jail` fixes the closures' error type.
#[allow(clippy::result_large_err)]
/// `agora_agent::AgentConfig::load` with exactly these variables on this agent.toml.
pub fn agent(env: &[(String, String)], file: &str) -> Result<agora_agent::AgentConfig, String> {
    let _guard = env_lock();
    let mut out = None;
    figment::Jail::expect_with(|jail| {
        jail.clear_env();
        for (k, v) in env {
            jail.set_env(k, v);
        }
        jail.create_file("agent.toml", file)?;
        let path = jail.directory().join("agent.toml");
        out = Some(agora_agent::AgentConfig::load(Path::new(&path)).map_err(|e| e.to_string()));
        Ok(())
    });
    out.unwrap_or_else(|| Err("the jail did not run".into()))
}
