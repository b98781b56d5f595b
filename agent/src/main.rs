fn main() -> std::process::ExitCode {
    agora_agent::cli::main()
}
