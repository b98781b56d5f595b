fn main() -> std::process::ExitCode {
    agora_hub::cli::main()
}
