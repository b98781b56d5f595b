//! A job's argv from the benchmark's command template, and shell quoting for the one place
//! a shell reads it (the Slurm batch script). Placeholders are replaced inside each
//! argument; the result is never split or re-parsed, so whatever a dataset name or a model
//! URI holds (`;`, `$(…)`, quotes, spaces) stays one literal argument.

use std::collections::BTreeMap;

/// The values a template may name.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub dataset: String,
    pub model_uri: Option<String>,
    pub output: String,
    pub model: String,
    pub version: String,
}

/// Replaces `{dataset}`, `{model_uri}`, `{output}`, `{model}` and `{version}` in each
/// argument. Any other `{` is an error (the hub refuses such templates too), as is
/// `{model_uri}` for a model version without an artifact URI.
pub fn substitute(template: &[String], values: &Values) -> Result<Vec<String>, String> {
    if template.is_empty() {
        return Err("the benchmark's command is empty".into());
    }
    template
        .iter()
        .enumerate()
        .map(|(i, arg)| substitute_one(arg, values).map_err(|e| format!("command[{i}]: {e}")))
        .collect()
}

fn substitute_one(arg: &str, values: &Values) -> Result<String, String> {
    let mut out = String::with_capacity(arg.len());
    let mut rest = arg;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find('}') else {
            return Err(format!("unclosed `{{` in `{arg}`"));
        };
        let value = match &tail[..=end] {
            "{dataset}" => values.dataset.as_str(),
            "{output}" => values.output.as_str(),
            "{model}" => values.model.as_str(),
            "{version}" => values.version.as_str(),
            "{model_uri}" => values
                .model_uri
                .as_deref()
                .ok_or("the command needs {model_uri} but the model version has no artifact URI")?,
            other => return Err(format!("unknown placeholder `{other}`")),
        };
        out.push_str(value);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The environment a job sees besides its argv: `AGORA_DATASET`, `AGORA_OUTPUT`,
/// `AGORA_MODEL`, `AGORA_MODEL_VERSION`, `AGORA_MODEL_URI`, `AGORA_JOB_ID` and one
/// `AGORA_PARAM_<NAME>` per run parameter (the name upper-cased, other characters than
/// letters and digits as `_`).
pub fn environment(
    job_id: i64,
    values: &Values,
    parameters: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let mut env = vec![
        ("AGORA_JOB_ID".to_string(), job_id.to_string()),
        ("AGORA_DATASET".to_string(), values.dataset.clone()),
        ("AGORA_OUTPUT".to_string(), values.output.clone()),
        ("AGORA_MODEL".to_string(), values.model.clone()),
        ("AGORA_MODEL_VERSION".to_string(), values.version.clone()),
    ];
    if let Some(uri) = &values.model_uri {
        env.push(("AGORA_MODEL_URI".to_string(), uri.clone()));
    }
    for (name, value) in parameters {
        let key: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        env.push((format!("AGORA_PARAM_{key}"), value.clone()));
    }
    env
}

/// One POSIX shell word that reads back as exactly `s`: single quotes, with each `'`
/// written as `'\''`.
pub fn shell_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// A command line for a shell script: every argument quoted.
pub fn shell_line(argv: &[String]) -> String {
    argv.iter()
        .map(|a| shell_quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values {
            dataset: "/data/census; rm -rf / $(touch x) `id`".into(),
            model_uri: Some("s3://m/it's".into()),
            output: "/w/metrics.json".into(),
            model: "naf".into(),
            version: "3".into(),
        }
    }

    #[test]
    fn placeholders_are_replaced_inside_each_argument_and_stay_one_argument() {
        let t: Vec<String> = [
            "python3",
            "score.py",
            "--data={dataset}",
            "{model_uri}",
            "{output}",
        ]
        .map(String::from)
        .to_vec();
        let argv = substitute(&t, &values()).unwrap();
        assert_eq!(argv.len(), 5);
        assert_eq!(argv[2], "--data=/data/census; rm -rf / $(touch x) `id`");
        assert_eq!(argv[3], "s3://m/it's");
    }

    #[test]
    fn unknown_placeholders_and_missing_uris_are_refused() {
        let err = substitute(&["x".into(), "{home}".into()], &values()).unwrap_err();
        assert!(
            err.contains("command[1]") && err.contains("{home}"),
            "{err}"
        );
        let no_uri = Values {
            model_uri: None,
            ..values()
        };
        assert!(substitute(&["{model_uri}".into()], &no_uri).is_err());
        assert!(substitute(&[], &values()).is_err());
    }

    #[test]
    fn parameters_become_environment_variables() {
        let params = BTreeMap::from([("split-name".to_string(), "test".to_string())]);
        let env = environment(7, &values(), &params);
        assert!(env.contains(&("AGORA_PARAM_SPLIT_NAME".into(), "test".into())));
        assert!(env.contains(&("AGORA_JOB_ID".into(), "7".into())));
    }

    #[test]
    fn a_quoted_line_reads_back_as_the_same_arguments_in_sh() {
        let argv: Vec<String> = [
            "printf",
            "%s\\n",
            "a b",
            "it's",
            "$(echo no)",
            "`id`",
            "x\ny",
            ";|&<>*?",
        ]
        .map(String::from)
        .to_vec();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(shell_line(&argv))
            .output()
            .unwrap();
        let expected: String = argv[2..].iter().map(|a| format!("{a}\n")).collect();
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    }
}
