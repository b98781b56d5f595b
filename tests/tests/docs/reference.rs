//! The configuration reference (`docs/operator/configuration.md`) names every key the hub
//! and the agent read. The keys come from the programs themselves: each loader refuses an
//! unknown key with the list of the keys it expects there.

use std::path::Path;

use crate::loaders;

/// The backticked names after "expected" in a refusal.
fn expected(err: &str) -> Vec<String> {
    let Some((_, list)) = err.split_once("expected") else {
        panic!("no list of expected keys in: {err}")
    };
    // "expected `one of `a`, `b``": the names are the backticked words.
    let list = list.split(';').next().unwrap_or(list);
    list.split('`')
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_string)
        .collect()
}

/// The configuration reference: every key of both programs, with its default and variable.
fn reference() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/operator/configuration.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn check(what: &str, prefix: &str, keys: Vec<String>, doc: &str) {
    assert!(keys.len() > 1, "{what}: {keys:?}");
    for key in keys {
        let full = format!("{prefix}{key}");
        let named = doc.contains(&format!("`{full}`"))
            || doc.contains(&format!("`{full}."))
            || doc.contains(&format!("`[{full}]`"))
            || doc.contains(&format!("`[[{full}]]`"))
            || (!prefix.is_empty() && doc.contains(&format!("`{key}`")));
        assert!(
            named,
            "{what}: `{full}` is not in the configuration reference (docs/operator/configuration.md)"
        );
    }
}

#[test]
fn the_configuration_reference_names_every_key() {
    let doc = reference();
    let hub = |toml: &str| loaders::hub(&[], Some(toml)).expect_err("an unknown key is refused");
    check("hub", "", expected(&hub("zz_unknown = 1\n")), &doc);
    check(
        "hub [digest]",
        "digest.",
        expected(&hub("[digest]\nzz_unknown = 1\n")),
        &doc,
    );
    check(
        "hub [digest.smtp]",
        "digest.smtp.",
        expected(&hub("[digest.smtp]\nzz_unknown = 1\n")),
        &doc,
    );
    check(
        "hub [[oidc.providers]]",
        "",
        expected(&hub(
            "[[oidc.providers]]\nname = \"k\"\nissuer = \"https://k\"\nclient_id = \"a\"\nzz_unknown = 1\n",
        )),
        &doc,
    );
    let agent = |toml: &str| {
        loaders::agent(&[], &format!("hub_url = \"http://h\"\n{toml}"))
            .expect_err("an unknown key is refused")
    };
    check("agent", "", expected(&agent("zz_unknown = 1\n")), &doc);
    check(
        "agent [[sources]]",
        "",
        expected(&agent(
            "[[sources]]\nname = \"ml\"\ntype = \"mlflow\"\nzz_unknown = 1\n",
        )),
        &doc,
    );
    check(
        "agent [[sources.repositories]]",
        "",
        expected(&agent(
            "[[sources]]\nname = \"gl\"\ntype = \"git\"\n[[sources.repositories]]\nurl = \"file:///r\"\nzz_unknown = 1\n",
        )),
        &doc,
    );
    let jobs = "[jobs]\nexecutors = [\"local\"]\n";
    check(
        "agent [jobs]",
        "",
        expected(&agent(&format!("{jobs}zz_unknown = 1\n"))),
        &doc,
    );
    for (table, extra) in [
        ("local", ""),
        ("slurm", ""),
        ("kubernetes", "api_url = \"https://k\"\n"),
        ("argo", "server_url = \"https://a\"\n"),
    ] {
        let err = agent(&format!("{jobs}[jobs.{table}]\n{extra}zz_unknown = 1\n"));
        let keys = expected(&err);
        let prefix = format!("{table}.");
        // `argo.*` keys shared with `kubernetes` are listed together.
        for key in keys {
            let full = format!("{prefix}{key}");
            assert!(
                doc.contains(&format!("`{full}`")),
                "agent [jobs.{table}]: `{full}` is not in the configuration reference (docs/operator/configuration.md)"
            );
        }
    }
}
