//! What a benchmark runs: an evaluation command as an argv template with placeholders,
//! or a container image pinned by digest, and the hash agents pin a command by.

use crate::validate::FieldError;

/// Placeholders an evaluation command may contain, replaced by the agent argument by
/// argument (never through a shell): `{dataset}` the organisation's local dataset name,
/// `{model_uri}` the model version's artifact URI, `{output}` the path of the JSON file of
/// metrics the command writes, `{model}` and `{version}` the model's name and version.
pub const COMMAND_PLACEHOLDERS: [&str; 5] = [
    "{dataset}",
    "{model_uri}",
    "{output}",
    "{model}",
    "{version}",
];

/// Checks `registry/name@sha256:<64 hex>`.
pub fn check_image(field: &str, value: &str) -> Result<(), FieldError> {
    let pinned = value.split_once("@sha256:").is_some_and(|(name, digest)| {
        !name.is_empty()
            && name.len() <= 255
            && !name.contains(char::is_whitespace)
            && digest.len() == 64
            && digest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    if pinned {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "must be an image pinned by digest: `registry/name@sha256:<64 hex digits>`",
        ))
    }
}

/// The pin of an evaluation command, as agents list it in `jobs.allowed_commands`:
/// `sha256:` and the lower-case hex SHA-256 of the argv template (placeholders unreplaced)
/// as compact JSON, such as `["python3","/opt/eval/score.py","{dataset}","{output}"]`
/// (what `json.dumps(argv, separators=(",", ":"), ensure_ascii=False)` writes). Any change
/// to any argument changes it. `agora-agent command-hash -- ARGV...` prints it.
pub fn command_hash(argv: &[String]) -> String {
    use sha2::{Digest, Sha256};
    // Serialising a list of strings cannot fail.
    let json = serde_json::to_vec(argv).unwrap_or_default();
    format!("sha256:{}", hex::encode(Sha256::digest(&json)))
}

/// Whether `value` looks like a [`command_hash`]: `sha256:` and 64 lower-case hex digits.
pub fn is_command_hash(value: &str) -> bool {
    value.strip_prefix("sha256:").is_some_and(|h| {
        h.len() == 64
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Checks an argv template: 1 to 64 arguments, each at most 1000 characters, braces only
/// in the known placeholders.
pub fn check_command(field: &str, argv: &[String]) -> Result<(), FieldError> {
    if argv.is_empty() || argv.len() > 64 {
        return Err(FieldError::new(field, "must have 1 to 64 arguments"));
    }
    for (i, arg) in argv.iter().enumerate() {
        let at = format!("{field}[{i}]");
        if arg.is_empty() || arg.chars().count() > 1000 || arg.contains('\0') {
            return Err(FieldError::new(at, "must be 1 to 1000 characters"));
        }
        let mut rest = arg.as_str();
        while let Some(start) = rest.find('{') {
            let tail = &rest[start..];
            match COMMAND_PLACEHOLDERS.iter().find(|p| tail.starts_with(**p)) {
                Some(p) => rest = &tail[p.len()..],
                None => {
                    return Err(FieldError::new(
                        at,
                        format!(
                            "unknown placeholder: use only {}",
                            COMMAND_PLACEHOLDERS.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_hash_is_the_sha256_of_the_compact_json_argv() {
        let argv: Vec<String> = ["python3", "score.py", "{dataset}"]
            .map(String::from)
            .to_vec();
        let h = command_hash(&argv);
        // printf '%s' '["python3","score.py","{dataset}"]' | sha256sum
        assert_eq!(
            h,
            "sha256:bb2871e2afef6497476067607641854571e43da4b9a5f110debb050e2f1c06a0"
        );
        assert!(is_command_hash(&h));
        let mut changed = argv.clone();
        changed[1] = "score.py ".into();
        assert_ne!(command_hash(&changed), h);
        assert!(!is_command_hash("sha256:ABC"));
    }

    #[test]
    fn images_are_pinned_by_digest() {
        let digest = "a".repeat(64);
        assert!(check_image("image", &format!("ghcr.io/x/eval@sha256:{digest}")).is_ok());
        assert!(check_image("image", "ghcr.io/x/eval:latest").is_err());
        assert!(check_image("image", "@sha256:abc").is_err());
    }
}
