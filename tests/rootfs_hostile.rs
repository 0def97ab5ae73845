//! Hostile packages, built in the test with `rpm::PackageBuilder`: a payload
//! path that climbs with `..` or holds a line break is refused, naming the
//! package and the path; a symlink to `/` and a file beneath it from another
//! package land inside the image (as rpm, chrooted, puts them), and GNU tar
//! extracting the image writes nothing outside its target directory.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use rootsmith::rootfs::{install_package, Spool, Tree};
use rpm::{BuildConfig, CompressionType, Dependency, FileOptions, PackageBuilder};

fn config() -> BuildConfig {
    BuildConfig::v4()
        .source_date(1_700_000_000)
        .compression(CompressionType::Gzip)
}

/// A package holding `path`, installed after `after` (when named).
fn with_file(name: &str, path: &str, after: Option<&str>, dir: &Path) -> PathBuf {
    let mut builder = PackageBuilder::new(name, "1.0", "MIT", "noarch", "hostile");
    builder
        .using_config(config())
        .release("1")
        .with_file_contents("x\n", FileOptions::new(path).permissions(0o644))
        .unwrap();
    if let Some(first) = after {
        builder.requires(Dependency::any(first));
    }
    builder.build().unwrap().write_to(dir).unwrap()
}

#[test]
fn climbing_and_line_breaking_paths_are_refused() {
    let tmp = support::tempdir();
    for (name, path) in [
        ("climber", "/usr/../../etc/evil"),
        ("breaker", "/tmp/forged\nline"),
    ] {
        let rpm = with_file(name, path, None, tmp.path());
        let mut tree = Tree::new(Spool::new_in(tmp.path()).unwrap());
        let err = install_package(&mut tree, &rpm)
            .expect_err(path)
            .to_string();
        assert!(
            err.contains(&rpm.display().to_string()) && err.contains(&format!("{path:?}")),
            "{err}"
        );
        assert!(
            tree.get("/etc/evil").is_none() && tree.len() <= 2,
            "nothing installed"
        );
    }
}

#[test]
fn a_symlink_to_the_root_keeps_later_files_inside_the_image() {
    let t = "a_symlink_to_the_root_keeps_later_files_inside_the_image";
    need!(t, support::tools(&["createrepo_c", "tar"]));
    let tmp = support::tempdir();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    PackageBuilder::new("linker", "1.0", "MIT", "noarch", "hostile")
        .using_config(config())
        .release("1")
        .with_symlink(FileOptions::symlink("/etc/x", "/"))
        .unwrap()
        .build()
        .unwrap()
        .write_to(&repo)
        .unwrap();
    with_file("writer", "/etc/x/passwd", Some("linker"), &repo);
    support::sh(Command::new("createrepo_c").arg("-q").arg(&repo));
    let tar = tmp.path().join("image.tar");
    support::build_rootfs_from(&repo, &["linker", "writer"], &tar);

    let jail = tmp.path().join("jail");
    let inside = jail.join("root");
    std::fs::create_dir_all(&inside).unwrap();
    support::sh(
        Command::new("tar")
            .arg("-xpf")
            .arg(&tar)
            .arg("-C")
            .arg(&inside),
    );
    let mut outside: Vec<String> = std::fs::read_dir(&jail)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    outside.sort();
    assert_eq!(outside, ["root"], "tar wrote beside its target");
    assert_eq!(
        std::fs::read_link(inside.join("etc/x")).unwrap(),
        Path::new("/")
    );
    // rpm, chrooted, follows /etc/x to the image's own root.
    assert_eq!(std::fs::read(inside.join("passwd")).unwrap(), b"x\n");
}
