use std::path::Path;

use super::*;

#[test]
fn defaults_listen_on_loopback() {
    figment::Jail::expect_with(|_| {
        let c = Config::load(None).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        Ok(())
    });
}

#[test]
fn environment_overrides_file() {
    figment::Jail::expect_with(|jail| {
        jail.create_file(
            "hub.toml",
            "listen = \"127.0.0.1:9000\"\nmax_body_bytes = 10\n",
        )?;
        jail.set_env("AGORA_LISTEN", "127.0.0.1:9100");
        let c = Config::load(Some(Path::new("hub.toml"))).unwrap();
        assert_eq!(c.listen.port(), 9100);
        assert_eq!(c.max_body_bytes, 10);
        Ok(())
    });
}

#[test]
fn a_wrong_key_or_value_is_named() {
    figment::Jail::expect_with(|jail| {
        jail.create_file("hub.toml", "listen = \"nowhere\"\n")?;
        let err = Config::load(Some(Path::new("hub.toml")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`listen`"), "{err}");
        jail.create_file("hub.toml", "lisen = \"127.0.0.1:1\"\n")?;
        let err = Config::load(Some(Path::new("hub.toml")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("lisen"), "{err}");
        Ok(())
    });
}

#[test]
fn providers_are_read_from_the_file_and_secrets_from_the_environment() {
    figment::Jail::expect_with(|jail| {
        jail.create_file(
            "hub.toml",
            r#"
public_url = "https://agora.example.org"
[[oidc.providers]]
name = "keycloak"
issuer = "https://sso.example.org/realms/agora"
client_id = "agora-hub"
admin_groups = ["agora-admins"]
email_domains = { "insee.fr" = "insee" }
"#,
        )?;
        jail.set_env("AGORA_OIDC_KEYCLOAK_CLIENT_SECRET", "s3cret");
        let c = Config::load(Some(Path::new("hub.toml"))).unwrap();
        let p = &c.oidc.providers[0];
        assert_eq!(p.client_secret.as_ref().unwrap().expose(), "s3cret");
        assert_eq!(p.groups_claim, "groups");
        assert_eq!(p.email_domains["insee.fr"], "insee");
        assert!(c.secure_cookies());
        assert!(!format!("{c:?}").contains("s3cret"));
        Ok(())
    });
}

#[test]
fn a_bad_provider_name_is_named() {
    figment::Jail::expect_with(|jail| {
        jail.create_file(
            "hub.toml",
            "[[oidc.providers]]\nname = \"Key Cloak\"\nissuer = \"https://x.org\"\nclient_id = \"a\"\n",
        )?;
        let err = Config::load(Some(Path::new("hub.toml")))
            .unwrap_err()
            .to_string();
        assert!(err.contains("oidc.providers[0].name"), "{err}");
        Ok(())
    });
}

#[test]
fn cookies_are_secure_unless_plain_http_on_loopback() {
    let mut c = Config::default();
    assert!(!c.secure_cookies(), "http://127.0.0.1:8080");
    c.public_url = Some(url::Url::parse("http://localhost:8080").unwrap());
    assert!(!c.secure_cookies());
    c.public_url = Some(url::Url::parse("http://agora.example.org").unwrap());
    assert!(c.secure_cookies());
    c.public_url = Some(url::Url::parse("https://127.0.0.1:8443").unwrap());
    assert!(c.secure_cookies());
}

#[test]
fn passwords_stay_out_of_logs() {
    let c = Config {
        database_url: "postgres://agora:s3cret@db:5432/agora".into(),
        ..Config::default()
    };
    assert!(!format!("{c:?}").contains("s3cret"));
}

#[test]
fn digest_settings_nest_in_the_file_and_the_environment() {
    figment::Jail::expect_with(|jail| {
        jail.create_file(
            "hub.toml",
            "[digest]\nfrom = \"Agora <digest@agora.example.org>\"\n[digest.smtp]\nhost = \"smtp.example.org\"\nsecurity = \"tls\"\nusername = \"agora\"\n",
        )?;
        jail.set_env(
            "AGORA_DIGEST__SECRET",
            "0123456789abcdef0123456789abcdef-s3cret",
        );
        jail.set_env("AGORA_DIGEST__SMTP__PASSWORD", "p4ssw0rd");
        jail.set_env("AGORA_DIGEST__INTERVAL_SECS", "30");
        let c = Config::load(Some(Path::new("hub.toml"))).unwrap();
        assert_eq!(c.digest.smtp.host, "smtp.example.org");
        assert_eq!(c.digest.smtp.security, SmtpSecurity::Tls);
        assert_eq!(c.digest.smtp.port(), 465);
        assert_eq!(c.digest.interval_secs, 30);
        assert_eq!(
            c.digest.smtp.password.as_ref().unwrap().expose(),
            "p4ssw0rd"
        );
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("p4ssw0rd"),
            "{shown}"
        );
        Ok(())
    });
}

#[test]
fn bad_digest_settings_are_named() {
    figment::Jail::expect_with(|jail| {
        for (file, key) in [
            ("[digest]\nsecret = \"short\"\n", "digest.secret"),
            ("[digest]\nfrom = \"not an address\"\n", "digest.from"),
            ("[digest]\nconcurrency = 0\n", "digest.concurrency"),
            (
                "[digest.smtp]\nsecurity = \"ssl\"\n",
                "digest.smtp.security",
            ),
            ("[digest.smtp]\npassword = \"x\"\n", "digest.smtp.username"),
        ] {
            jail.create_file("hub.toml", file)?;
            let err = Config::load(Some(Path::new("hub.toml")))
                .unwrap_err()
                .to_string();
            assert!(err.contains(key), "{file}: {err}");
        }
        Ok(())
    });
}

#[test]
fn metrics_are_off_unless_given_their_own_address() {
    figment::Jail::expect_with(|jail| {
        let c = Config::load(None).unwrap();
        assert_eq!(c.metrics_listen, None);
        jail.set_env("AGORA_METRICS_LISTEN", "127.0.0.1:9464");
        let c = Config::load(None).unwrap();
        assert_eq!(c.metrics_listen.unwrap().port(), 9464);
        jail.set_env("AGORA_METRICS_LISTEN", "127.0.0.1:8080");
        let err = Config::load(None).unwrap_err().to_string();
        assert!(err.contains("`metrics_listen`"), "{err}");
        Ok(())
    });
}

#[test]
fn an_agents_variables_beside_the_hub_are_not_the_hubs() {
    figment::Jail::expect_with(|jail| {
        jail.set_env("AGORA_AGENT_TOKEN", "agt_x");
        jail.set_env("AGORA_LISTEN", "127.0.0.1:9100");
        let c = Config::load(None).unwrap();
        assert_eq!(c.listen.port(), 9100);
        Ok(())
    });
}
