//! Sign-in through a real OpenID provider (npm's `oidc-provider`) with the real hub binary:
//! the whole redirect flow driven by an HTTP client that keeps cookies and fills in the
//! provider's login and consent forms; then the ways a sign-in must fail.

use std::path::PathBuf;

use agora_e2e::{
    Hub, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OidcProvider, TestDb, free_port, hub_command,
};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::Value;
use sqlx::{Connection, PgConnection};

/// The hub, the provider and the database of one test.
struct World {
    db: TestDb,
    hub: Hub,
    _provider: OidcProvider,
    _config: TempFile,
}

struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

async fn world() -> World {
    let db = TestDb::create().await;
    let seeded = hub_command(&db.url, &["seed-demo"]);
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let port = free_port();
    let hub_url = format!("http://127.0.0.1:{port}");
    let provider = OidcProvider::start(&format!("{hub_url}/auth/callback/test-idp")).await;
    let config = TempFile(std::env::temp_dir().join(format!("agora-signin-{}.toml", db.name)));
    std::fs::write(
        &config.0,
        format!(
            r#"public_url = "{hub_url}"

[[oidc.providers]]
name = "test-idp"
display_name = "Test provider"
issuer = "{issuer}"
client_id = "{OIDC_CLIENT_ID}"
client_secret = "{OIDC_CLIENT_SECRET}"
scopes = ["email", "profile", "groups"]
organisation_claim = "organisation"
email_domains = {{ "example.org" = "nowhere" }}
admin_groups = ["agora-admins"]
steward_group_pattern = "agora-stewards-{{organisation}}"
"#,
            issuer = provider.issuer
        ),
    )
    .expect("write the hub's configuration");
    let hub = Hub::start_with(&db.url, port, Some(&config.0)).await;
    World {
        db,
        hub,
        _provider: provider,
        _config: config,
    }
}

/// A browser: keeps cookies, follows no redirect by itself.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

fn location(base: &str, response: &reqwest::Response) -> String {
    let loc = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{} has no Location", response.url()));
    url::Url::parse(base)
        .and_then(|b| b.join(loc))
        .expect("a redirect target")
        .to_string()
}

/// The value of an attribute in one HTML tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!("{name}=\"");
    let at = tag.find(&marker)? + marker.len();
    Some(tag[at..].split('"').next()?.to_string())
}

/// The first form of a page: its action and the fields to send (hidden values kept, the
/// login and password filled in).
fn form(html: &str, login: &str) -> (String, Vec<(String, String)>) {
    let start = html.find("<form").expect("the provider shows a form");
    let end = html[start..]
        .find("</form>")
        .map(|e| start + e)
        .unwrap_or(html.len());
    let form = &html[start..end];
    let action = attr(&form[..form.find('>').unwrap()], "action").expect("a form action");
    let mut fields = vec![];
    for piece in form.split("<input").skip(1) {
        let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
        let Some(name) = attr(tag, "name") else {
            continue;
        };
        let value = match name.as_str() {
            "login" => login.to_string(),
            "password" => "any password".to_string(),
            _ => attr(tag, "value").unwrap_or_default(),
        };
        fields.push((name, value));
    }
    (action, fields)
}

/// What a sign-in attempt leaves in the browser's hands just before the callback.
struct Pending {
    callback: String,
    /// The `agora_login` cookie the hub set at the start.
    attempt_cookie: String,
}

/// Drives the flow from the hub's sign-in link through the provider's login and consent
/// pages, up to (not including) the provider's redirect back to the hub.
async fn sign_in_until_callback(client: &reqwest::Client, hub: &Hub, login: &str) -> Pending {
    let start = client
        .get(hub.url("/auth/login/test-idp?return_to=/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), StatusCode::SEE_OTHER);
    let attempt_cookie = start
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("agora_login="))
        .expect("the hub names the sign-in in a cookie")
        .to_string();
    assert!(attempt_cookie.contains("HttpOnly") && attempt_cookie.contains("SameSite=Lax"));
    let mut url = location(&hub.base_url, &start);
    assert!(url.contains("code_challenge_method=S256"), "PKCE: {url}");
    assert!(url.contains("nonce=") && url.contains("state="), "{url}");
    let callback_prefix = hub.url("/auth/callback/test-idp");
    for _ in 0..20 {
        if url.starts_with(&callback_prefix) {
            return Pending {
                callback: url,
                attempt_cookie: attempt_cookie.split(';').next().unwrap().to_string(),
            };
        }
        let response = client.get(&url).send().await.unwrap();
        if response.status().is_redirection() {
            url = location(&url, &response);
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let page_url = response.url().to_string();
        let html = response.text().await.unwrap();
        let (action, fields) = form(&html, login);
        let target = url::Url::parse(&page_url).unwrap().join(&action).unwrap();
        let posted = client
            .post(target.clone())
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert!(
            posted.status().is_redirection(),
            "{target}: {}",
            posted.status()
        );
        url = location(target.as_str(), &posted);
    }
    panic!("the provider never sent the browser back to the hub");
}

/// Completes a sign-in and returns the browser, signed in.
async fn sign_in(hub: &Hub, login: &str) -> reqwest::Client {
    let client = browser();
    let pending = sign_in_until_callback(&client, hub, login).await;
    let back = client.get(&pending.callback).send().await.unwrap();
    assert_eq!(
        back.status(),
        StatusCode::SEE_OTHER,
        "{}",
        back.text().await.unwrap()
    );
    assert_eq!(location(&hub.base_url, &back), hub.url("/account"));
    client
}

async fn me(client: &reqwest::Client, hub: &Hub) -> Value {
    let answer = client.get(hub.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.unwrap()
}

async fn count(db: &TestDb, table: &str) -> i64 {
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

async fn execute(db: &TestDb, sql: &'static str) {
    let mut conn = PgConnection::connect(&db.url).await.unwrap();
    sqlx::query(sql).execute(&mut conn).await.unwrap();
}

#[tokio::test]
async fn signing_in_through_a_real_provider_gives_the_organisation_and_roles() {
    let w = world().await;
    let hub = &w.hub;

    let page = reqwest::get(hub.url("/auth/login"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Sign in with Test provider"), "{page}");

    let alice = sign_in(hub, "alice").await;
    let who = me(&alice, hub).await;
    assert_eq!(who["signed_in"], true, "{who}");
    assert_eq!(who["credential"], "session");
    assert_eq!(who["user"]["email"], "alice.martin@insee.fr");
    assert_eq!(who["user"]["name"], "Alice Martin");
    assert_eq!(who["user"]["organisation"], "insee");
    assert_eq!(who["admin"], true, "agora-admins grants admin: {who}");
    let account = alice.get(hub.url("/account")).send().await.unwrap();
    assert_eq!(account.status(), StatusCode::OK);
    assert!(
        account
            .text()
            .await
            .unwrap()
            .contains("alice.martin@insee.fr")
    );

    let bruno = sign_in(hub, "bruno").await;
    let who = me(&bruno, hub).await;
    assert_eq!(who["user"]["organisation"], "inegi");
    assert_eq!(who["admin"], false);
    assert_eq!(who["steward_of"], serde_json::json!(["inegi"]), "{who}");

    let chris = sign_in(hub, "chris").await;
    let who = me(&chris, hub).await;
    assert_eq!(who["user"]["email"], "chris.doe@example.org");
    assert!(
        who["user"]["organisation"].is_null(),
        "unknown organisations are not invented: {who}"
    );
    assert_eq!(who["roles"], serde_json::json!(["member"]));

    // Signing in again keeps one user per (issuer, subject) and opens a new session.
    let users = count(&w.db, "users").await;
    let again = sign_in(hub, "alice").await;
    assert_eq!(
        me(&again, hub).await["user"]["id"],
        me(&alice, hub).await["user"]["id"]
    );
    assert_eq!(count(&w.db, "users").await, users);
    assert_eq!(count(&w.db, "sessions").await, 4);

    drop(w.hub);
    w.db.drop_now().await;
}

#[tokio::test]
async fn tampered_replayed_and_forged_sign_ins_are_refused_and_change_nothing() {
    let w = world().await;
    let hub = &w.hub;
    let users = count(&w.db, "users").await;

    // Tampered state: refused, no session, no user; the attempt is spent.
    let client = browser();
    let pending = sign_in_until_callback(&client, hub, "alice").await;
    let url = url::Url::parse(&pending.callback).unwrap();
    let mut tampered = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "state" {
                "forged-state".to_string()
            } else {
                v.to_string()
            };
            (k.to_string(), v)
        })
        .collect();
    tampered.query_pairs_mut().clear().extend_pairs(pairs);
    let refused = client.get(tampered).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused.text().await.unwrap().contains("state"));
    assert_eq!(count(&w.db, "sessions").await, 0);
    assert_eq!(count(&w.db, "users").await, users);
    let late = client.get(&pending.callback).send().await.unwrap();
    assert_eq!(
        late.status(),
        StatusCode::BAD_REQUEST,
        "the attempt was used up"
    );
    assert_eq!(count(&w.db, "sessions").await, 0);

    // Wrong nonce (the stored one forged): the ID token is refused.
    let client = browser();
    let pending = sign_in_until_callback(&client, hub, "alice").await;
    execute(&w.db, "UPDATE login_attempts SET nonce = 'forged-nonce'").await;
    let refused = client.get(&pending.callback).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.text().await.unwrap().contains("ID token"));
    assert_eq!(count(&w.db, "sessions").await, 0);
    assert_eq!(count(&w.db, "users").await, users);

    // Wrong PKCE verifier: the provider refuses the code.
    let client = browser();
    let pending = sign_in_until_callback(&client, hub, "alice").await;
    execute(
        &w.db,
        "UPDATE login_attempts SET pkce_verifier = 'x' || pkce_verifier",
    )
    .await;
    let refused = client.get(&pending.callback).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(count(&w.db, "sessions").await, 0);

    // Replayed code: after a successful sign-in, the same callback (with the same attempt
    // cookie) is refused, and nothing is created.
    let client = browser();
    let pending = sign_in_until_callback(&client, hub, "alice").await;
    let ok = client.get(&pending.callback).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&w.db, "sessions").await, 1);
    let (users_now, attempts) = (
        count(&w.db, "users").await,
        count(&w.db, "login_attempts").await,
    );
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&pending.callback)
        .header(COOKIE, &pending.attempt_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    assert!(
        replay
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("agora_session="))
    );
    assert_eq!(count(&w.db, "sessions").await, 1);
    assert_eq!(count(&w.db, "users").await, users_now);
    assert_eq!(count(&w.db, "login_attempts").await, attempts);
    // Without any attempt cookie: refused as well.
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(&pending.callback)
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::BAD_REQUEST);

    drop(w.hub);
    w.db.drop_now().await;
}

#[test]
fn development_sign_in_is_refused_off_loopback() {
    let out = std::process::Command::new(agora_e2e::binary("agora-hub"))
        .args(["serve", "--listen", "0.0.0.0:0", "--dev-login"])
        .env("AGORA_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("loopback"), "{stderr}");
}
