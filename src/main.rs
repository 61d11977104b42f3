//! The `patrolboard` command: parse the command line, run the command.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = patrolboard::cli::Cli::parse();
    patrolboard::telemetry::init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the tokio runtime starts");
    match runtime.block_on(patrolboard::commands::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("patrolboard: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
