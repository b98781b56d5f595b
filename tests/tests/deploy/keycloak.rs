//! deploy/keycloak: the realm export and the hub's provider settings agree, as the hub
//! reads them (its configuration loader and its claim mapping). Keycloak does not run
//! here; the export is checked as the JSON Keycloak imports.

use serde_json::{Map, Value, json};

use agora_hub::auth::roles::map_claims;

use crate::chart::{deploy_dir, read};
use crate::loaders;

#[test]
fn the_realm_export_matches_the_hub_settings() {
    let realm: Value = serde_json::from_str(&read(&deploy_dir().join("keycloak/agora-realm.json")))
        .expect("the realm export is JSON");
    let config = loaders::hub(&[], Some(&read(&deploy_dir().join("keycloak/hub.toml"))))
        .expect("the hub accepts deploy/keycloak/hub.toml");
    let provider = &config.oidc.providers[0];
    assert_eq!(realm["realm"], "agora");
    assert!(
        provider.issuer.ends_with("/realms/agora"),
        "{}",
        provider.issuer
    );
    let client = realm["clients"]
        .as_array()
        .expect("clients")
        .iter()
        .find(|c| c["clientId"] == provider.client_id.as_str())
        .unwrap_or_else(|| panic!("no client {}", provider.client_id));
    // A confidential client with the code flow only, and PKCE with S256 required.
    assert_eq!(client["publicClient"], false);
    assert_eq!(client["clientAuthenticatorType"], "client-secret");
    assert_eq!(client["standardFlowEnabled"], true);
    assert_eq!(client["implicitFlowEnabled"], false);
    assert_eq!(client["directAccessGrantsEnabled"], false);
    assert_eq!(client["attributes"]["pkce.code.challenge.method"], "S256");
    // The redirect URI is the hub's callback for this provider.
    let callback = config
        .public_url()
        .join(&format!("auth/callback/{}", provider.name))
        .expect("a callback URL");
    assert_eq!(client["redirectUris"], json!([callback.as_str()]));
    assert_eq!(
        client["webOrigins"][0],
        config.public_url().as_str().trim_end_matches('/')
    );
    // The groups mapper writes the claim the hub reads, in the ID token and userinfo.
    let mappers = client["protocolMappers"].as_array().expect("mappers");
    let groups = mappers
        .iter()
        .find(|m| m["protocolMapper"] == "oidc-group-membership-mapper")
        .expect("a group membership mapper");
    assert_eq!(
        groups["config"]["claim.name"],
        provider.groups_claim.as_str()
    );
    assert_eq!(groups["config"]["id.token.claim"], "true");
    assert_eq!(groups["config"]["userinfo.token.claim"], "true");
    let full_path = groups["config"]["full.path"] == "true";
    let organisation = mappers
        .iter()
        .find(|m| m["protocolMapper"] == "oidc-usermodel-attribute-mapper")
        .expect("an organisation attribute mapper");
    assert_eq!(
        organisation["config"]["claim.name"].as_str(),
        provider.organisation_claim.as_deref()
    );
    // Each group of the realm grants what its description says, through the hub's own
    // claim mapping.
    let claims = |group: &str, org: Option<&str>| {
        let name = if full_path {
            format!("/{group}")
        } else {
            group.to_string()
        };
        let mut m = Map::new();
        m.insert(provider.groups_claim.clone(), json!([name]));
        if let (Some(claim), Some(org)) = (&provider.organisation_claim, org) {
            m.insert(claim.clone(), json!(org));
        }
        m
    };
    let realm_groups: Vec<&str> = realm["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["name"].as_str())
        .collect();
    assert!(realm_groups.contains(&"agora-admins"));
    for group in &realm_groups {
        let mapped = map_claims(provider, Some("someone@insee.fr"), &claims(group, None));
        if *group == "agora-admins" {
            assert!(
                mapped.admin && mapped.steward_of.is_empty(),
                "{group}: {mapped:?}"
            );
        } else {
            let org = group
                .strip_prefix("agora-stewards-")
                .expect("a steward group");
            assert!(!mapped.admin, "{group}");
            assert_eq!(mapped.steward_of, vec![org.to_string()], "{group}");
        }
    }
    let mapped = map_claims(
        provider,
        Some("x@inegi.org.mx"),
        &claims("agora-stewards-inegi", Some("inegi")),
    );
    assert_eq!(mapped.organisation.as_deref(), Some("inegi"));
    let mapped = map_claims(provider, Some("x@insee.fr"), &Map::new());
    assert_eq!(
        mapped.organisation.as_deref(),
        Some("insee"),
        "e-mail domains when the attribute is absent"
    );
}
