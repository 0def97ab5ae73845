//! `rootsmith build --format rootfs` against a dnf installroot of the same
//! kickstart: every packaged path with the same type, mode, owner, size,
//! content, link target and hardlink set; and the rpmdb it writes must
//! satisfy rpm itself.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{Distro, Kind, Tree};

/// Paths rootsmith may put in the image that no package owns, and why.
/// Anything else in the archive that no package owns is an error.
const EXTRA_ALLOWED: &[(&str, &str)] = &[
    // The rpm database rootsmith writes (dnf/rpm write it there too, but
    // rpm -qal does not list it: no package of the test distro owns it).
    ("/var/lib/rpm", "the rpmdb directory"),
    ("/var/lib/rpm/", "the rpmdb itself (rpmdb.sqlite)"),
];

/// Accepted differences from the dnf root: (path, field, reason).
/// Empty: the test distribution has nothing rootsmith should do differently.
const DEVIATIONS: &[(&str, &str, &str)] = &[];

fn extra_allowed(p: &str) -> bool {
    EXTRA_ALLOWED.iter().any(|(a, _)| {
        if let Some(prefix) = a.strip_suffix('/') {
            p.starts_with(&format!("{prefix}/"))
        } else {
            p == *a
        }
    })
}

fn deviation(p: &str, field: &str) -> bool {
    DEVIATIONS.iter().any(|(a, f, _)| *a == p && *f == field)
}

fn build_rootfs(d: &Distro, arch: &str, out: &Path) -> PathBuf {
    let tar = out.join(format!("rootfs.{arch}.tar"));
    support::build_ts(d, arch, "rootfs", &tar, &[]);
    assert!(!support::is_xz(&tar), "-o *.tar must not be compressed");
    tar
}

/// Compare the archive with the reference root over the packaged paths;
/// what no package owns must be `unowned_ok`.
fn compare(
    archive: &Tree,
    reference: &Tree,
    owned: &BTreeSet<String>,
    unowned_ok: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut errs = Vec::new();
    for dup in &archive.duplicates {
        errs.push(format!("{dup}: appears more than once in the archive"));
    }
    for p in owned {
        let (want, got) = (reference.nodes.get(p), archive.nodes.get(p));
        match (want, got) {
            (None, None) => {} // %ghost: owned, never created
            (None, Some(_)) => errs.push(format!(
                "{p}: in the archive, but rpm did not create it (a %ghost?)"
            )),
            (Some(_), None) => errs.push(format!("{p}: missing from the archive")),
            (Some(w), Some(g)) => {
                let mut field = |name: &str, a: String, b: String| {
                    if a != b && !deviation(p, name) {
                        errs.push(format!("{p}: {name}: dnf {a}, rootsmith {b}"));
                    }
                };
                field("type", format!("{:?}", w.kind), format!("{:?}", g.kind));
                field("mode", format!("{:04o}", w.mode), format!("{:04o}", g.mode));
                field("uid", w.uid.to_string(), g.uid.to_string());
                field("gid", w.gid.to_string(), g.gid.to_string());
                if w.kind == Kind::File {
                    field("size", w.size.to_string(), g.size.to_string());
                    field(
                        "content",
                        format!("{:?}", w.sha256),
                        format!("{:?}", g.sha256),
                    );
                }
                field("link", format!("{:?}", w.link), format!("{:?}", g.link));
                let hl = |t: &Tree| t.hardlink_set(p).cloned().unwrap_or_default();
                field(
                    "hardlinks",
                    format!("{:?}", hl(reference)),
                    format!("{:?}", hl(archive)),
                );
            }
        }
    }
    for p in archive.nodes.keys() {
        if !owned.contains(p) && !unowned_ok(p) {
            errs.push(format!("{p}: in the archive, but no package owns it"));
        }
    }
    errs
}

fn rootfs_parity(test: &str, arch: &str) {
    let d = need!(test, support::distro());
    let root = need!(test, support::dnf_reference_ks(d, arch, true));
    let tmp = support::tempdir();
    let tar = build_rootfs(d, arch, tmp.path());

    let owned = support::rpm_owned_paths(&root);
    let reference = support::scan_root(&root, &owned);
    let archive = support::read_archive(&tar);
    let errs = compare(&archive, &reference, &owned, extra_allowed);
    assert!(
        errs.is_empty(),
        "{arch}: rootsmith's rootfs differs from dnf's installroot in {} ways:\n  {}",
        errs.len(),
        errs.join("\n  ")
    );

    // The properties the distro exists to test, spelled out.
    let n = |p: &str| {
        archive
            .nodes
            .get(p)
            .unwrap_or_else(|| panic!("{p}"))
            .clone()
    };
    assert_eq!(
        (n("/var/lib/ts-app").uid, n("/var/lib/ts-app").gid),
        (1234, 1234)
    );
    assert_eq!(n("/var/lib/ts-secret").mode, 0o700);
    assert_eq!(n("/usr/bin/ts-suid").mode, 0o4755);
    assert_eq!(n("/tmp").mode, 0o1777);
    assert_eq!(n("/bin/sh").link.as_deref(), Some("/usr/bin/busybox"));
    assert!(archive.hardlink_set("/usr/share/ts-app/data-b").is_some());
    assert_eq!(
        n("/usr/bin/busybox").sha256.unwrap(),
        support::sha256_file(&support::busybox_for(arch))
    );
}

#[test]
fn rootfs_matches_dnf_x86_64() {
    rootfs_parity("rootfs_matches_dnf_x86_64", "x86_64");
}

#[test]
fn rootfs_matches_dnf_aarch64() {
    rootfs_parity("rootfs_matches_dnf_aarch64", "aarch64");
}

/// Queries whose answers come from the headers and indexes, not from the
/// install time: they must read the same from rootsmith's rpmdb as from
/// the rpmdb rpm wrote under dnf.
const QUERIES: &[&[&str]] = &[
    // header identity and the signature tags merged into the stored header
    &[
        "-qa",
        "--qf",
        "%{NEVRA} %{SHA256HEADER} %{SIGMD5} %{PAYLOADDIGEST} %{ARCHIVESIZE}\\n",
    ],
    // FILESTATES, an install tag
    &[
        "-qa",
        "--qf",
        "[%{=NEVRA} %{FILENAMES} %{FILESTATES:fstate}\\n]",
    ],
    &["-qf", "/bin/sh"],
    &["-qf", "/usr/share/ts-app/data-b"],
    &["-qf", "/var/log/ts-app.log"],
    &["-q", "--whatprovides", "ts-app-config"],
    &["-q", "--whatprovides", "/usr/bin/ts-tool"],
    // ts-app's only dependency on ts-setup is Requires(pre): rpm leaves
    // install-time prerequisites out of the Requirename index, so this
    // finds nothing (exit 1), in both roots.
    &["-q", "--whatrequires", "ts-setup"],
    &["-q", "--whatrequires", "/bin/sh"],
    &["-q", "--whatrecommends", "ts-extras"],
    &["-q", "ts-epoch", "ts-libfoo"],
    &["-q", "--changelog", "ts-app"],
    &["-ql", "ts-app"],
    &["-qc", "ts-setup"],
    &["-qd", "-a"],
];

fn sorted_lines(b: &[u8]) -> Vec<String> {
    let mut v: Vec<String> = String::from_utf8_lossy(b)
        .lines()
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

#[test]
fn rpmdb_satisfies_rpm() {
    let t = "rpmdb_satisfies_rpm";
    let d = need!(t, support::distro());
    need!(t, support::tools(&["rpm", "tar"]));
    let reference = need!(t, support::dnf_reference_ks(d, "x86_64", true));
    let tmp = support::tempdir();
    let tar = build_rootfs(d, "x86_64", tmp.path());
    let root = tmp.path().join("root");
    std::fs::create_dir(&root).unwrap();
    // GNU tar as root keeps owners (numeric: the host has no tsuser) and modes.
    support::sh(
        Command::new("tar")
            .args(["--numeric-owner", "--same-permissions", "-xf"])
            .arg(&tar)
            .arg("-C")
            .arg(&root),
    );
    assert!(
        root.join("var/lib/rpm/rpmdb.sqlite").is_file(),
        "no /var/lib/rpm/rpmdb.sqlite in the rootfs"
    );
    for junk in ["rpmdb.sqlite-wal", "rpmdb.sqlite-shm", ".rpm.lock"] {
        assert!(
            !root.join("var/lib/rpm").join(junk).exists(),
            "{junk} shipped in the image"
        );
    }

    // rpm -qa lists exactly what rootsmith resolves, which is what dnf installed.
    let ks = support::kickstart();
    let repo = d.repo_arg("x86_64");
    let resolved = support::rootsmith(&[
        "resolve",
        "--kickstart",
        ks.to_str().unwrap(),
        "--repo",
        &repo,
        "--arch",
        "x86_64",
    ]);
    resolved.assert_ok();
    let qa = support::rpm_qa(&root);
    assert_eq!(
        qa,
        support::lines(&resolved.stdout),
        "rpm -qa vs rootsmith resolve"
    );
    assert_eq!(qa, support::rpm_qa(&reference), "rpm -qa vs dnf's install");

    // rpm -V -a: files match the headers (digests, modes, owners, sizes,
    // links, mtimes). rootsmith build ran without SOURCE_DATE_EPOCH, so
    // mtimes come from the packages unchanged.
    let v = support::rpm(&root, &["-V", "-a"]);
    assert!(
        v.status.success() && v.stdout.is_empty(),
        "rpm -V -a on rootsmith's rootfs ({}):\n{}{}",
        v.status,
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );

    let mut errs = Vec::new();
    for q in QUERIES {
        let q: Vec<String> = q.iter().map(|s| s.replace("\\n", "\n")).collect();
        let q: Vec<&str> = q.iter().map(String::as_str).collect();
        let (a, b) = (support::rpm(&reference, &q), support::rpm(&root, &q));
        if a.status.code() != b.status.code() || sorted_lines(&a.stdout) != sorted_lines(&b.stdout)
        {
            errs.push(format!(
                "rpm {}:\n    dnf root ({}): {:?}\n    rootsmith ({}): {:?} {}",
                q.join(" "),
                a.status,
                sorted_lines(&a.stdout),
                b.status,
                sorted_lines(&b.stdout),
                String::from_utf8_lossy(&b.stderr).trim()
            ));
        }
    }
    assert!(
        errs.is_empty(),
        "rpmdb queries differ:\n  {}",
        errs.join("\n  ")
    );
}

/// dnf's installroot of `specs` from `repo` (indexed here), under `work`.
fn dnf_root(repo: &Path, specs: &[&str], work: &Path) -> PathBuf {
    support::sh(Command::new("createrepo_c").arg("-q").arg(repo));
    let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
    let dnf = support::dnf_install_from(repo, "x86_64", false, &specs, &[], work);
    assert!(
        dnf.status.success(),
        "{}",
        String::from_utf8_lossy(&dnf.stderr)
    );
    work.join("root")
}

/// The rootfs tar against dnf's root over the paths rpm says are packaged;
/// unowned directories are fine where rpm created them too (missing
/// parents). Returns the reference tree and the differences.
fn compare_with_dnf(reference_root: &Path, tar: &Path) -> (Tree, Vec<String>) {
    let owned = support::rpm_owned_paths(reference_root);
    let reference = support::scan_root(reference_root, &owned);
    let archive = support::read_archive(tar);
    let created_by_rpm = |p: &str| reference_root.join(&p[1..]).is_dir();
    let errs = compare(&archive, &reference, &owned, |p| {
        extra_allowed(p) || created_by_rpm(p)
    });
    (reference, errs)
}

/// `getcap -r ROOT`, paths relative to the root, sorted.
fn capabilities(root: &Path) -> Vec<String> {
    let out = support::sh(Command::new("getcap").arg("-r").arg(root));
    let prefix = root.display().to_string();
    let mut caps: Vec<String> = out
        .lines()
        .map(|l| l.strip_prefix(&prefix).unwrap_or(l).to_string())
        .collect();
    caps.sort();
    caps
}

/// rpm's own capstest and hlinktest packages, installed by dnf and built by
/// rootsmith from the same repository: every packaged path as dnf leaves it
/// (hardlink sets included), and the capabilities getcap reads back after
/// `tar --xattrs -x` are the ones rpm set.
#[test]
fn file_capabilities_and_hardlink_sets_are_dnfs() {
    let t = "file_capabilities_and_hardlink_sets_are_dnfs";
    need!(
        t,
        support::tools(&["dnf", "rpm", "createrepo_c", "getcap", "tar"])
    );
    need!(t, support::need_root());
    let rpms = need!(t, support::fixtures::shared_fixture("rpms"));
    let tmp = support::tempdir();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    for name in ["capstest-1.0-1.noarch.rpm", "hlinktest-1.0-1.noarch.rpm"] {
        std::fs::copy(rpms.join(name), repo.join(name)).unwrap();
    }
    let tar = tmp.path().join("rootfs.tar");
    let reference_root = dnf_root(&repo, &["capstest", "hlinktest"], &tmp.path().join("dnf"));
    support::build_rootfs_from(&repo, &["capstest", "hlinktest"], &tar);
    let (reference, errs) = compare_with_dnf(&reference_root, &tar);
    assert!(
        errs.is_empty(),
        "differs from dnf's root:\n  {}",
        errs.join("\n  ")
    );
    assert!(
        !reference.hardlinks.is_empty(),
        "hlinktest installs a hardlink set"
    );

    let extracted = tmp.path().join("extracted");
    std::fs::create_dir(&extracted).unwrap();
    support::sh(
        Command::new("tar")
            .args(["--xattrs", "--xattrs-include=*", "-xpf"])
            .arg(&tar)
            .arg("-C")
            .arg(&extracted),
    );
    let want = capabilities(&reference_root);
    assert!(!want.is_empty(), "capstest carries file capabilities");
    assert_eq!(capabilities(&extracted), want);
}

/// %ghost entries as rpm treats them (a ghost file is owned, not created; a
/// ghost directory, as dnf's root shows), with a setuid file, a sticky
/// directory and a device node: a package built in the test, installed by
/// dnf and by rootsmith from the same repository. (A FIFO from
/// rpm::PackageBuilder makes rpm block opening it: not tested here.)
#[test]
fn ghosts_devices_and_special_bits_are_dnfs() {
    let t = "ghosts_devices_and_special_bits_are_dnfs";
    need!(t, support::tools(&["dnf", "rpm", "createrepo_c"]));
    need!(t, support::need_root());
    use rpm::{BuildConfig, CompressionType, FileOptions, PackageBuilder};
    let tmp = support::tempdir();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    PackageBuilder::new("special", "1.0", "MIT", "noarch", "special files")
        .using_config(
            BuildConfig::v4()
                .source_date(1_700_000_000)
                .compression(CompressionType::Gzip),
        )
        .release("1")
        .with_file_contents(
            "#!/bin/sh\n",
            FileOptions::new("/usr/bin/special-suid").permissions(0o4755),
        )
        .unwrap()
        .with_ghost(FileOptions::ghost("/var/log/special.log").permissions(0o640))
        .unwrap()
        .with_special_file(
            FileOptions::character_device("/dev/special-null", 1, 3).permissions(0o666),
        )
        .unwrap()
        .with_dir_entry(FileOptions::ghost_dir("/run/special").permissions(0o750))
        .unwrap()
        .with_dir_entry(FileOptions::dir("/var/lib/special").permissions(0o1777))
        .unwrap()
        .build()
        .unwrap()
        .write_to(&repo)
        .unwrap();
    let tar = tmp.path().join("rootfs.tar");
    let reference_root = dnf_root(&repo, &["special"], &tmp.path().join("dnf"));
    support::build_rootfs_from(&repo, &["special"], &tar);
    let owned = support::rpm_owned_paths(&reference_root);
    assert!(owned.contains("/run/special") && owned.contains("/var/log/special.log"));
    let (_, errs) = compare_with_dnf(&reference_root, &tar);
    assert!(
        errs.is_empty(),
        "differs from dnf's root:\n  {}",
        errs.join("\n  ")
    );
}
