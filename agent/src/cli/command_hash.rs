//! `agora-agent command-hash -- ARGV...`: the pin of an evaluation command, to put in
//! `jobs.allowed_commands`. Needs no configuration.

use agora_schemas::benchmark::command_hash;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The benchmark's argv template exactly as it gives it, placeholders included, such
    /// as `python3 /opt/eval/score.py --data {dataset} --out {output}` (put `--` first).
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub argv: Vec<String>,
    /// Read the argv as one JSON array instead (as the benchmark's API shows `command`).
    #[arg(long)]
    pub json: bool,
}

/// The hash line and the TOML line to add, or why the JSON cannot be read.
pub fn render(args: &Args) -> Result<String, String> {
    let argv: Vec<String> = if args.json {
        let text = args.argv.join(" ");
        serde_json::from_str(&text)
            .map_err(|e| format!("the argv is not a JSON array of strings: {e}"))?
    } else {
        args.argv.clone()
    };
    let hash = command_hash(&argv);
    Ok(format!(
        "{hash}\n# jobs.allowed_commands entry for {argv:?}:\n\"{hash}\",\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_printed_with_its_configuration_line() {
        let args = Args {
            argv: ["python3", "score.py", "{dataset}"]
                .map(String::from)
                .to_vec(),
            json: false,
        };
        let out = render(&args).unwrap();
        let h = "sha256:bb2871e2afef6497476067607641854571e43da4b9a5f110debb050e2f1c06a0";
        assert!(out.starts_with(&format!("{h}\n")), "{out}");
        assert!(out.contains(&format!("\"{h}\",")), "{out}");
        let json = Args {
            argv: vec![r#"["python3","score.py","{dataset}"]"#.into()],
            json: true,
        };
        assert!(render(&json).unwrap().starts_with(h));
        let bad = Args {
            argv: vec!["[1]".into()],
            json: true,
        };
        assert!(render(&bad).unwrap_err().contains("JSON array"));
    }
}
