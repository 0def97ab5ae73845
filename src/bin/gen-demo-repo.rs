//! Regenerate the bundled demo repository: `cargo run --bin gen-demo-repo -- demo/repo`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(root) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: gen-demo-repo OUTDIR");
        return ExitCode::from(2);
    };
    match rootsmith::demo::write_demo_repo(&root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
