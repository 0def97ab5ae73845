//! The real-world material in `../shared/fixtures/` (beside the checkout) and
//! the libsolv peer (python3-solv) that computes expected answers from it.
//!
//! Every accessor returns `Err(Skip)` when the material or the peer is
//! missing, so a test reports `NOT RUN` (or fails under
//! `ROOTSMITH_E2E_STRICT=1`) through [`super::not_run`], never silently.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rootsmith::repo::{load_pool, Pool, RepoSource, Repomd, Store};

use super::Skip;

/// `../shared/fixtures/<rel>`, if it is there.
pub fn shared_fixture(rel: &str) -> Result<PathBuf, Skip> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures")
        .join(rel);
    if path.exists() {
        Ok(path)
    } else {
        Err(Skip(format!(
            "{} is missing (../shared is not beside this checkout)",
            path.display()
        )))
    }
}

/// The interpreter that has Debian's python3-solv bindings.
pub const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// A module of Debian's Python bindings (`solv`, `rpm`, `dnf`) importable by
/// [`SYSTEM_PYTHON`].
pub fn system_python_module(module: &str) -> Result<(), Skip> {
    let ok = Command::new(SYSTEM_PYTHON)
        .args(["-c", &format!("import {module}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Ok(())
    } else {
        Err(Skip(format!(
            "{SYSTEM_PYTHON} cannot import {module} (run scripts/install-test-deps.sh)"
        )))
    }
}

/// python3-solv, the libsolv peer.
pub fn python3_solv() -> Result<(), Skip> {
    system_python_module("solv")
}

/// A repository of `../shared/fixtures/repos/` loaded for x86_64, with the
/// path of each one's primary.xml and filelists.xml (which libsolv reads).
pub struct FixturePool {
    pub pool: Pool,
    pub primaries: Vec<PathBuf>,
    /// Per repository, its filelists.xml if repomd.xml lists one.
    pub filelists: Vec<Option<PathBuf>>,
}

impl FixturePool {
    /// The metadata part of a `libsolv_ref.py` job: every primary, and the
    /// filelists dnf would read with it.
    pub fn libsolv_metadata(&self) -> serde_json::Value {
        serde_json::json!({ "primary": self.primaries, "filelists": self.filelists })
    }
}

/// The x86_64 pool of the fixture repositories `names`, in order.
pub fn fixture_pool(names: &[&str]) -> Result<FixturePool, Skip> {
    let roots = names
        .iter()
        .map(|n| shared_fixture(&format!("repos/{n}")))
        .collect::<Result<Vec<_>, _>>()?;
    let repomds: Vec<Repomd> = roots
        .iter()
        .map(|root| {
            Repomd::read(&root.join("repodata/repomd.xml")).expect("fixture repomd.xml reads")
        })
        .collect();
    let record = |kind: &str| -> Vec<Option<PathBuf>> {
        roots
            .iter()
            .zip(&repomds)
            .map(|(root, repomd)| repomd.record(kind).map(|r| root.join(&r.location)))
            .collect()
    };
    let primaries = record("primary")
        .into_iter()
        .map(|p| p.expect("fixture has primary"))
        .collect();
    let filelists = record("filelists");
    let sources: Vec<RepoSource> = roots
        .iter()
        .zip(names)
        .map(|(root, name)| RepoSource::new(*name, root.display().to_string()))
        .collect();
    let arch = rootsmith::rpm::ArchPolicy::new("x86_64", false).expect("x86_64 is a known arch");
    let pool = load_pool(&Store::default(), &sources, &arch).expect("fixture metadata loads");
    Ok(FixturePool {
        pool,
        primaries,
        filelists,
    })
}

/// Run a [`SYSTEM_PYTHON`] script with a JSON job on stdin; its stdout as JSON.
pub fn run_python(script: &str, job: &serde_json::Value) -> serde_json::Value {
    let mut child = Command::new(SYSTEM_PYTHON)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(job.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("python3 output");
    assert!(
        out.status.success(),
        "peer python script failed: {}",
        out.status
    );
    serde_json::from_slice(&out.stdout).expect("peer python script prints JSON")
}
