//! The bundled demo distribution: a handful of real RPMs built with
//! `rpm::PackageBuilder` for x86_64 and aarch64, with repodata, so that the
//! README's main job runs offline on a fresh clone. Regenerate with
//! `cargo run --bin gen-demo-repo -- demo/repo`; a test checks the committed
//! copy is byte-identical to a fresh generation.

use std::path::Path;

use rpm::{BuildConfig, CompressionType, Dependency, FileOptions, PackageBuilder};

use crate::repo::{write_repodata, RepoError};

/// Arches the demo repo is generated for.
pub const DEMO_ARCHES: &[&str] = &["x86_64", "aarch64"];
/// Build time of every demo package and the repodata revision: fixed, so output is reproducible.
const BUILD_TIME: u32 = 1_735_689_600; // 2025-01-01T00:00:00Z

const OS_RELEASE: &str = "NAME=\"rootsmith demo\"\nID=rootsmith-demo\nVERSION_ID=1.0\nPRETTY_NAME=\"rootsmith demo 1.0\"\n";
const PASSWD: &str =
    "root:x:0:0:root:/root:/bin/sh\ndemo:x:1000:1000:demo user:/home/demo:/bin/sh\n";
const GROUP: &str = "root:x:0:\ndemo:x:1000:\n";
const HELLO: &str = "#!/bin/sh\n# The demo image's entry point.\n. /etc/os-release\necho \"Hello from $PRETTY_NAME\"\n";

fn builder(name: &str, version: &str, arch: &str, summary: &str) -> PackageBuilder {
    let mut b = PackageBuilder::new(name, version, "MIT", arch, summary);
    b.using_config(
        BuildConfig::v4()
            .source_date(BUILD_TIME)
            .compression(CompressionType::Gzip),
    );
    b.release("1")
        .build_host("rootsmith-demo")
        .description(summary)
        .vendor("rootsmith");
    b
}

fn opts(path: &str, mode: u16) -> FileOptions {
    FileOptions::new(path).permissions(mode).into()
}

fn dir(path: &str, mode: u16) -> FileOptions {
    FileOptions::dir(path).permissions(mode).into()
}

/// The package set for one arch.
fn demo_packages(arch: &str) -> Result<Vec<rpm::Package>, rpm::Error> {
    let mut filesystem = builder("demo-filesystem", "1.0", arch, "The basic directory layout");
    for (d, mode) in [
        ("/etc", 0o755),
        ("/home", 0o755),
        ("/root", 0o550),
        ("/tmp", 0o1777),
        ("/usr", 0o755),
        ("/usr/bin", 0o755),
        ("/usr/lib", 0o755),
        ("/var", 0o755),
        ("/var/lib", 0o755),
    ] {
        filesystem.with_dir_entry(dir(d, mode))?;
    }
    filesystem.with_symlink(FileOptions::symlink("/bin", "usr/bin"))?;

    let mut setup = builder("demo-setup", "1.0", "noarch", "Accounts of the demo system");
    setup
        .with_file_contents(
            PASSWD,
            FileOptions::new("/etc/passwd")
                .permissions(0o644)
                .config()
                .noreplace(),
        )?
        .with_file_contents(
            GROUP,
            FileOptions::new("/etc/group")
                .permissions(0o644)
                .config()
                .noreplace(),
        )?
        .requires(Dependency::any("demo-filesystem"));

    let mut release = builder(
        "demo-release",
        "1.0",
        "noarch",
        "Identity of the demo system",
    );
    release
        .with_file_contents(OS_RELEASE, opts("/usr/lib/os-release", 0o644))?
        .with_symlink(FileOptions::symlink(
            "/etc/os-release",
            "../usr/lib/os-release",
        ))?
        .provides(Dependency::eq("system-release", "1.0"))
        .requires(Dependency::any("demo-filesystem"));

    let mut hello = builder("demo-hello", "1.0", arch, "The demo image's entry point");
    hello
        .with_file_contents(HELLO, opts("/usr/bin/demo-hello", 0o755))?
        .with_dir_entry(
            FileOptions::dir("/var/lib/demo")
                .permissions(0o700)
                .user("demo")
                .group("demo"),
        )?
        .requires(Dependency::greater_eq("demo-setup", "1.0"))
        .requires(Dependency::any("system-release"))
        .requires(Dependency::any("/etc/os-release"));

    [filesystem, setup, release, hello]
        .iter_mut()
        .map(|b| b.build())
        .collect()
}

fn rpm_error(path: &Path) -> impl FnOnce(rpm::Error) -> RepoError + '_ {
    move |e| RepoError::Rpm {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Write `root/{arch}/Packages/*.rpm` and `root/{arch}/repodata/` for every demo arch.
pub fn write_demo_repo(root: &Path) -> Result<(), RepoError> {
    for arch in DEMO_ARCHES {
        let dir = root.join(arch);
        let packages = dir.join("Packages");
        std::fs::create_dir_all(&packages).map_err(|e| RepoError::io(&packages, e))?;
        for pkg in demo_packages(arch).map_err(rpm_error(&dir))? {
            let path = packages.join(pkg.canonical_filename().map_err(rpm_error(&dir))?);
            pkg.write_file(&path).map_err(rpm_error(&path))?;
        }
        write_repodata(&dir, BUILD_TIME.into())?;
    }
    Ok(())
}
