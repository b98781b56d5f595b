//! Signed unsubscribe links and stable Message-IDs, both HMAC-SHA256 under
//! `digest.secret`. A link names the subscriber and the workstream and carries a MAC over
//! both, so it works without signing in and cannot be forged for someone else. The secret
//! itself never appears in a link, a header or a log line.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], parts: &[&str]) -> HmacSha256 {
    // A key of any length is accepted by HMAC.
    #[allow(clippy::expect_used)]
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    for part in parts {
        // Length-prefixed, so ("ab", "c") and ("a", "bc") sign differently.
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    mac
}

/// The token of an unsubscribe link for (user, workstream).
pub fn unsubscribe_token(secret: &[u8], user_id: i64, workstream: &str) -> String {
    let tag = mac(secret, &["unsubscribe", &user_id.to_string(), workstream])
        .finalize()
        .into_bytes();
    URL_SAFE_NO_PAD.encode(tag)
}

/// Whether `token` is the unsubscribe token of (user, workstream); compared in constant time.
pub fn verify_unsubscribe(secret: &[u8], user_id: i64, workstream: &str, token: &str) -> bool {
    let Ok(tag) = URL_SAFE_NO_PAD.decode(token.as_bytes()) else {
        return false;
    };
    mac(secret, &["unsubscribe", &user_id.to_string(), workstream])
        .verify_slice(&tag)
        .is_ok()
}

/// The unsubscribe link (`List-Unsubscribe`, and the link in the message's footer).
pub fn unsubscribe_url(base: &url::Url, secret: &[u8], user_id: i64, workstream: &str) -> String {
    let mut url = base.clone();
    url.set_path("/digests/unsubscribe");
    url.query_pairs_mut()
        .clear()
        .append_pair("u", &user_id.to_string())
        .append_pair("w", workstream)
        .append_pair("t", &unsubscribe_token(secret, user_id, workstream));
    url.to_string()
}

/// The Message-ID of a digest: the same for the same (user, workstream, period), whoever
/// sends it and however often; it reveals neither the user nor the secret.
pub fn message_id(
    secret: &[u8],
    user_id: i64,
    workstream: &str,
    period: &str,
    host: &str,
) -> String {
    let tag = mac(
        secret,
        &["message-id", &user_id.to_string(), workstream, period],
    )
    .finalize()
    .into_bytes();
    format!(
        "<digest.{period}.{workstream}.{}@{host}>",
        hex::encode(&tag[..12])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_link_verifies_only_for_its_user_and_workstream_and_secret() {
        let t = unsubscribe_token(SECRET, 7, "ws4");
        assert!(verify_unsubscribe(SECRET, 7, "ws4", &t));
        assert!(!verify_unsubscribe(SECRET, 8, "ws4", &t));
        assert!(!verify_unsubscribe(SECRET, 7, "ws5", &t));
        assert!(!verify_unsubscribe(
            b"another secret of thirty-two chars",
            7,
            "ws4",
            &t
        ));
        assert!(!verify_unsubscribe(SECRET, 7, "ws4", "not base64 !"));
        assert!(!verify_unsubscribe(SECRET, 7, "ws4", ""));
        let mut tampered = t.clone();
        tampered.replace_range(0..1, if t.starts_with('A') { "B" } else { "A" });
        assert!(!verify_unsubscribe(SECRET, 7, "ws4", &tampered));
    }

    #[test]
    fn the_url_carries_the_token_but_never_the_secret() {
        let base = url::Url::parse("https://agora.example.org/some/path").unwrap();
        let url = unsubscribe_url(&base, SECRET, 7, "ws4");
        assert!(url.starts_with("https://agora.example.org/digests/unsubscribe?u=7&w=ws4&t="));
        assert!(!url.contains(std::str::from_utf8(SECRET).unwrap()));
    }

    #[test]
    fn message_ids_are_stable_and_distinct() {
        let a = message_id(SECRET, 7, "ws4", "2026-W48", "agora.example.org");
        assert_eq!(
            a,
            message_id(SECRET, 7, "ws4", "2026-W48", "agora.example.org")
        );
        assert_ne!(
            a,
            message_id(SECRET, 7, "ws4", "2026-W49", "agora.example.org")
        );
        assert_ne!(
            a,
            message_id(SECRET, 8, "ws4", "2026-W48", "agora.example.org")
        );
        assert!(a.starts_with("<digest.2026-W48.ws4.") && a.ends_with("@agora.example.org>"));
    }
}
