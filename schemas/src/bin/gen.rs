//! Writes the JSON Schema files of the wire contract into `schemas/json/`.
//!
//! Usage: `cargo run -p agora-schemas --bin agora-schemas-gen [-- OUT_DIR]`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("json"));
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for file in agora_schemas::schema_files() {
        let path = out.join(&file.file_name);
        if let Err(e) = std::fs::write(&path, &file.text) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
