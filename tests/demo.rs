//! The bundled demo distribution: the committed repo is exactly what the
//! generator writes, real dnf can install from the metadata rootsmith wrote, and
//! the README's main job composes it into checkable images.

mod support;

use std::process::Command;

use support::*;

fn demo_repo() -> std::path::PathBuf {
    manifest_dir().join("demo/repo")
}

#[test]
fn committed_demo_repo_is_regenerated_byte_identically() {
    let fresh = tempdir();
    rootsmith::demo::write_demo_repo(fresh.path()).expect("generate demo repo");
    let committed = all_paths(&demo_repo());
    assert_eq!(
        committed,
        all_paths(fresh.path()),
        "file lists differ: regenerate with cargo run --bin gen-demo-repo -- demo/repo"
    );
    for rel in &committed {
        let (a, b) = (demo_repo().join(rel), fresh.path().join(rel));
        if a.is_file() {
            assert_eq!(
                sha256_file(&a),
                sha256_file(&b),
                "{rel} differs from a fresh generation"
            );
        }
    }
}

#[test]
fn dnf_installs_the_demo_from_rootsmith_metadata() {
    if let Err(Skip(why)) = tools(&["dnf", "rpm"]).and_then(|_| need_root()) {
        return not_run("dnf_installs_the_demo_from_rootsmith_metadata", &why);
    }
    for arch in ARCHES {
        let work = tempdir();
        let out = dnf_install_from(
            &demo_repo().join(arch),
            arch,
            false,
            &["demo-hello".into()],
            &[],
            work.path(),
        );
        assert!(
            out.status.success(),
            "dnf on the demo repo ({arch}): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut theirs = rpm_qa(&work.path().join("root"));
        theirs.sort();
        let ours = rootsmith(&[
            "resolve",
            "demo-hello",
            "--no-weak-deps",
            "--arch",
            arch,
            "--repo",
            &format!("demo={}", demo_repo().join(arch).display()),
        ]);
        ours.assert_ok();
        assert_eq!(
            lines(&ours.stdout),
            theirs,
            "rootsmith and dnf disagree on the demo ({arch})"
        );
    }
}

#[test]
fn main_job_composes_the_demo() {
    let out = tempdir();
    let run = rootsmith(&[
        "compose",
        "composes/demo.toml",
        "--out",
        &out.path().display().to_string(),
    ]);
    run.assert_ok();
    for arch in ARCHES {
        let dir = out.path().join(format!("demo-1.0/docker_img/{arch}"));
        let image = dir.join(format!("demo-docker.{arch}.tar.xz"));
        assert!(image.is_file(), "{} missing", image.display());
        if which("sha256sum").is_some() {
            let check = Command::new("sha256sum")
                .arg("-c")
                .arg(format!("demo-docker.{arch}.tar.xz.sha256sum"))
                .current_dir(&dir)
                .output()
                .unwrap();
            assert!(
                check.status.success(),
                "sha256sum -c failed: {}",
                String::from_utf8_lossy(&check.stdout)
            );
        }
        let tree = read_archive(&image);
        assert!(
            tree.nodes.keys().any(|k| k.ends_with("layer.tar")),
            "no layer in the demo image"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers,
        [std::ffi::OsString::from("demo-1.0")],
        "staging left behind"
    );
}
