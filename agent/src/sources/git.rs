//! git repositories: each is cloned (bare) into the agent's folder, or fetched when the
//! clone exists, and its manifests are read at the head of the branch, with the commit id.
//! `file://` and `https://` remotes; over https the token comes from the environment.

use std::path::Path;
use std::sync::Once;

use git2::{
    AutotagOption, Cred, Direction, FetchOptions, RemoteCallbacks, Repository, TreeWalkMode,
    TreeWalkResult,
};

use super::config::{Repository as RepoConfig, SourceDef, SourceDetail};
use super::manifest::{self, MODEL_CARD_FILE, PROJECT_FILE, QF4SA_FILE};
use super::{ListContext, Sink};
use crate::error::{Error, Result};

/// Manifests larger than this are not read.
const MAX_FILE_BYTES: usize = 1024 * 1024;

struct Auth {
    username: String,
    token: Option<String>,
}

fn auth_of(def: &SourceDef) -> Result<(Vec<RepoConfig>, Auth)> {
    let SourceDetail::Git {
        repositories,
        token_env,
        username,
    } = &def.kind
    else {
        return Err(Error::Config("not a git source".into()));
    };
    let token = match token_env {
        Some(var) => Some(std::env::var(var).map_err(|_| {
            Error::Config(format!(
                "source `{}`: the environment variable {var} (token_env) is not set",
                def.name
            ))
        })?),
        None => None,
    };
    Ok((
        repositories.clone(),
        Auth {
            username: username.clone(),
            token,
        },
    ))
}

fn callbacks(auth: &Auth) -> RemoteCallbacks<'_> {
    let mut cb = RemoteCallbacks::new();
    if let Some(token) = &auth.token {
        cb.credentials(move |_url, _user, _allowed| {
            Cred::userpass_plaintext(&auth.username, token)
        });
    }
    cb
}

/// Network timeouts for https remotes, so a hanging server fails the listing.
fn set_timeouts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: called once, before any other libgit2 use in this process.
        unsafe {
            let _ = git2::opts::set_server_connect_timeout_in_milliseconds(10_000);
            let _ = git2::opts::set_server_timeout_in_milliseconds(60_000);
        }
    });
}

pub async fn list(def: &SourceDef, ctx: &ListContext<'_>, sink: &mut impl Sink) -> Result<()> {
    let (repositories, auth) = auth_of(def)?;
    let clones = ctx.spool_dir.join("git").join(def.name.as_str());
    for repo in repositories {
        let dir = clones.join(format!("{}.git", repo.name));
        let name = repo.name.to_string();
        let visibility = repo.visibility;
        let auth = Auth {
            username: auth.username.clone(),
            token: auth.token.clone(),
        };
        let (commit, files) =
            tokio::task::spawn_blocking(move || fetch_and_read(&dir, &repo, &auth))
                .await
                .map_err(|e| Error::Source(format!("the git read stopped: {e}")))??;
        tracing::info!(source = %def.name, repository = %name, %commit, files = files.len(), "repository read");
        let prefix = format!("git:{name}/");
        let tree = manifest::Tree {
            key_prefix: &prefix,
            commit: Some(&commit),
            organisation: ctx.organisation,
            root_name: &name,
            visibility,
        };
        for entry in manifest::entries(&tree, files) {
            sink.push(entry).await?;
        }
    }
    Ok(())
}

/// Connects to every repository and names its branch head.
pub async fn check(def: &SourceDef, _spool_dir: &Path) -> Result<String> {
    let (repositories, auth) = auth_of(def)?;
    tokio::task::spawn_blocking(move || {
        set_timeouts();
        let dir = std::env::temp_dir().join(format!("agora-agent-check-{}", std::process::id()));
        let result = reach_all(&dir, &repositories, &auth);
        let _ = std::fs::remove_dir_all(&dir);
        result
    })
    .await
    .map_err(|e| Error::Source(format!("the git check stopped: {e}")))?
}

/// Connects to each repository from a scratch repository in `dir`.
fn reach_all(dir: &Path, repositories: &[RepoConfig], auth: &Auth) -> Result<String> {
    let scratch = Repository::init_bare(dir).map_err(|e| Error::Source(format!("git: {e}")))?;
    let mut found = Vec::new();
    for repo in repositories {
        let mut remote = scratch
            .remote_anonymous(repo.url.as_str())
            .map_err(|e| git_error(repo, e))?;
        let conn = remote
            .connect_auth(Direction::Fetch, Some(callbacks(auth)), None)
            .map_err(|e| git_error(repo, e))?;
        let head = conn
            .default_branch()
            .ok()
            .and_then(|b| b.as_str().map(str::to_string).ok())
            .unwrap_or_else(|| "?".into());
        found.push(format!("{} ({head})", repo.name));
    }
    Ok(format!(
        "{} repositories reachable: {}",
        found.len(),
        found.join(", ")
    ))
}

fn git_error(repo: &RepoConfig, e: git2::Error) -> Error {
    Error::Source(format!(
        "repository `{}` ({}): {}",
        repo.name,
        repo.url,
        e.message()
    ))
}

/// Clones or fetches the repository and reads its manifests at the branch head.
fn fetch_and_read(
    dir: &Path,
    repo: &RepoConfig,
    auth: &Auth,
) -> Result<(String, Vec<(String, String)>)> {
    set_timeouts();
    let err = |e: git2::Error| git_error(repo, e);
    let local = if dir.exists() {
        Repository::open_bare(dir).map_err(err)?
    } else {
        std::fs::create_dir_all(dir)?;
        Repository::init_bare(dir).map_err(err)?
    };
    let mut remote = match local.find_remote("origin") {
        Ok(r) if r.url().ok() == Some(repo.url.as_str()) => r,
        Ok(_) => {
            local
                .remote_set_url("origin", repo.url.as_str())
                .map_err(err)?;
            local.find_remote("origin").map_err(err)?
        }
        Err(_) => local.remote("origin", repo.url.as_str()).map_err(err)?,
    };
    let branch = match &repo.branch {
        Some(b) => b.clone(),
        None => {
            let conn = remote
                .connect_auth(Direction::Fetch, Some(callbacks(auth)), None)
                .map_err(err)?;
            let head = conn.default_branch().map_err(err)?;
            let head = head.as_str().unwrap_or_default();
            head.strip_prefix("refs/heads/").unwrap_or(head).to_string()
        }
    };
    let refspec = format!("+refs/heads/{branch}:refs/remotes/origin/{branch}");
    let mut options = FetchOptions::new();
    options.remote_callbacks(callbacks(auth));
    options.download_tags(AutotagOption::None);
    remote
        .fetch(&[&refspec], Some(&mut options), None)
        .map_err(err)?;
    let reference = local
        .find_reference(&format!("refs/remotes/origin/{branch}"))
        .map_err(|e| {
            Error::Source(format!(
                "repository `{}`: no branch `{branch}`: {}",
                repo.name,
                e.message()
            ))
        })?;
    let commit = reference.peel_to_commit().map_err(err)?;
    let tree = commit.tree().map_err(err)?;
    let mut files = Vec::new();
    let mut failure = None;
    tree.walk(TreeWalkMode::PreOrder, |root, entry| {
        let Ok(name) = entry.name() else {
            return TreeWalkResult::Ok;
        };
        if root.matches('/').count() > 8 {
            return TreeWalkResult::Skip;
        }
        if ![PROJECT_FILE, MODEL_CARD_FILE, QF4SA_FILE].contains(&name) {
            return TreeWalkResult::Ok;
        }
        match entry.to_object(&local).and_then(|o| o.peel_to_blob()) {
            Ok(blob) if blob.size() <= MAX_FILE_BYTES => {
                files.push((
                    format!("{root}{name}"),
                    String::from_utf8_lossy(blob.content()).to_string(),
                ));
            }
            Ok(_) => tracing::warn!(path = %format!("{root}{name}"), "manifest too large: skipped"),
            Err(e) => {
                failure = Some(e);
                return TreeWalkResult::Abort;
            }
        }
        TreeWalkResult::Ok
    })
    .map_err(err)?;
    if let Some(e) = failure {
        return Err(err(e));
    }
    files.sort();
    Ok((commit.id().to_string(), files))
}
