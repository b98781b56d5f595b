//! People arriving from a provider: found by (issuer, subject), linked by verified e-mail,
//! refused when the address is someone else's; provider roles replaced, hub roles kept.

#[path = "auth_support/mod.rs"]
mod common;

use agora_hub::auth::load_user;
use agora_hub::auth::roles::{self, Mapped, ProviderIdentity, Role};
use common::{TestApp, organisation};
use sqlx::PgPool;

fn alice(subject: &str, verified: bool) -> ProviderIdentity {
    ProviderIdentity {
        issuer: "https://sso.example.org/realms/agora".into(),
        subject: subject.into(),
        email: "Alice.Martin@insee.fr".into(),
        email_verified: verified,
        name: "Alice Martin".into(),
    }
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn provider_roles_are_replaced_at_each_sign_in_and_hub_roles_kept(db: PgPool) {
    let app = TestApp::new(db);
    for org in ["insee", "inegi"] {
        app.create("/api/v1/organisations", organisation(org)).await;
    }
    let mut conn = app.db.acquire().await.unwrap();
    // Granted on the hub before the first sign-in: the person exists by e-mail only.
    roles::grant(
        &mut conn,
        "alice.martin@insee.fr",
        Role::Steward,
        Some("inegi"),
    )
    .await
    .unwrap();

    let first = Mapped {
        organisation: Some("insee".into()),
        admin: true,
        steward_of: vec!["insee".into()],
    };
    let id = roles::upsert_from_provider(&mut conn, &alice("a-1", true), &first)
        .await
        .unwrap();
    let who = load_user(&mut *conn, id).await.unwrap().unwrap();
    assert!(who.caller.admin);
    assert_eq!(who.caller.organisations, vec!["insee"]);
    assert_eq!(who.caller.steward_of, vec!["inegi", "insee"]);
    assert_eq!(who.user.as_ref().unwrap().email, "alice.martin@insee.fr");

    // Next sign-in: the provider's groups changed; only the hub's grant remains.
    let again = roles::upsert_from_provider(&mut conn, &alice("a-1", true), &Mapped::default())
        .await
        .unwrap();
    assert_eq!(again, id);
    let who = load_user(&mut *conn, id).await.unwrap().unwrap();
    assert!(!who.caller.admin);
    assert_eq!(who.caller.steward_of, vec!["inegi"]);
    assert_eq!(
        who.caller.organisations,
        vec!["insee"],
        "kept when no claim says otherwise"
    );

    // Another identity with the same address is refused, and changes nothing.
    let users = app.count("users").await;
    let err = roles::upsert_from_provider(&mut conn, &alice("someone-else", true), &first)
        .await
        .unwrap_err();
    assert_eq!(err.status_code(), 403);
    assert_eq!(app.count("users").await, users);
}

#[sqlx::test(migrator = "agora_hub::app::MIGRATOR")]
async fn only_verified_addresses_link_to_people_the_hub_knows(db: PgPool) {
    let app = TestApp::new(db);
    let known = app.user("alice.martin@insee.fr", "").await;
    let mut conn = app.db.acquire().await.unwrap();
    let err = roles::upsert_from_provider(&mut conn, &alice("a-1", false), &Mapped::default())
        .await
        .unwrap_err();
    assert_eq!(err.status_code(), 403);
    let linked = roles::upsert_from_provider(&mut conn, &alice("a-1", true), &Mapped::default())
        .await
        .unwrap();
    assert_eq!(linked, known);
    assert!(
        roles::revoke(&mut conn, "alice.martin@insee.fr", Role::Admin, None)
            .await
            .is_ok_and(|done| !done)
    );
}
