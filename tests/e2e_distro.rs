//! The test distribution itself, checked with the peer tools only (rpm,
//! createrepo_c, dnf): these tests pin the properties the other e2e tests
//! rely on, and pass without rootsmith.

mod support;

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

use support::{Kind, ARCHES};

fn expected_set(arch: &str, weak: bool) -> Vec<String> {
    let mut v: Vec<String> = [
        "ts-app-1.2-1.ARCH",
        "ts-busybox-1.35.0-1.ARCH",
        "ts-conf-1.0-3.noarch",
        "ts-epoch-2:1.0-1.noarch",
        "ts-filesystem-1.0-1.ARCH",
        "ts-libfoo-2.0-1.ARCH",
        "ts-release-1.0-1.noarch",
        "ts-setup-1.0-1.noarch",
        "ts-tool-3.1-2.ARCH",
    ]
    .iter()
    .map(|s| s.replace("ARCH", arch))
    .collect();
    if weak {
        v.push("ts-extras-0.9~beta1-1.noarch".into());
    }
    v.sort();
    v
}

#[test]
fn repos_hold_both_arches_and_both_libfoo_versions() {
    let d = need!("repos_hold_both_arches", support::distro());
    for arch in ARCHES {
        let repo = d.repo(arch);
        assert!(repo.join("repodata/repomd.xml").is_file());
        let names: BTreeSet<String> = fs::read_dir(repo.join("Packages"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        for want in [
            format!("ts-libfoo-1.0-1.{arch}.rpm"),
            format!("ts-libfoo-2.0-1.{arch}.rpm"),
            format!("ts-busybox-1.35.0-1.{arch}.rpm"),
            "ts-epoch-1.0-1.noarch.rpm".to_string(),
            "ts-broken-1.0-1.noarch.rpm".to_string(),
        ] {
            assert!(
                names.contains(&want),
                "{arch}: {want} missing from {names:?}"
            );
        }
        let other = if arch == "x86_64" {
            "aarch64"
        } else {
            "x86_64"
        };
        assert!(
            !names.iter().any(|n| n.ends_with(&format!(".{other}.rpm"))),
            "{arch} repo holds {other} packages: {names:?}"
        );
        let repomd = fs::read_to_string(repo.join("repodata/repomd.xml")).unwrap();
        assert!(
            repomd.contains("type=\"group\""),
            "comps missing in {arch} repomd"
        );
    }
}

#[test]
fn busybox_package_ships_the_right_binary_per_arch() {
    let d = need!("busybox_package", support::distro());
    need!("busybox_package", support::tools(&["rpm"]));
    for arch in ARCHES {
        let rpm = d
            .repo(arch)
            .join(format!("Packages/ts-busybox-1.35.0-1.{arch}.rpm"));
        let dump = support::sh(
            Command::new("rpm")
                .env("HOME", d.dir.as_os_str())
                .args(["-qp", "--dump"])
                .arg(&rpm),
        );
        let line = dump
            .lines()
            .find(|l| l.starts_with("/usr/bin/busybox "))
            .expect("/usr/bin/busybox in ts-busybox");
        let digest = line.split(' ').nth(3).unwrap();
        assert_eq!(
            digest,
            support::sha256_file(&support::busybox_for(arch)),
            "{arch}"
        );
        assert!(dump
            .lines()
            .any(|l| l.starts_with("/bin/sh ") && l.ends_with(" /usr/bin/busybox")));
        assert!(dump
            .lines()
            .any(|l| l.starts_with("/usr/bin/sh ") && l.ends_with(" busybox")));
    }
}

#[test]
fn kickstart_reader_sees_group_name_and_exclusion() {
    let ks = support::ks_packages(&support::kickstart());
    assert_eq!(
        ks.install,
        vec!["@ts-base".to_string(), "ts-app".to_string()]
    );
    assert_eq!(ks.exclude, vec!["ts-docs".to_string()]);
    assert!(!ks.exclude_weakdeps);
}

#[test]
fn dnf_installs_the_expected_sets() {
    let d = need!("dnf_installs_the_expected_sets", support::distro());
    for arch in ARCHES {
        for weak in [true, false] {
            let root = need!(
                "dnf_installs_the_expected_sets",
                support::dnf_reference_ks(d, arch, weak)
            );
            assert_eq!(
                support::rpm_qa(&root),
                expected_set(arch, weak),
                "{arch} weak={weak}"
            );
        }
    }
}

#[test]
fn dnf_reference_root_has_the_edge_cases() {
    let t = "dnf_reference_root_has_the_edge_cases";
    let d = need!(t, support::distro());
    let root = need!(t, support::dnf_reference_ks(d, "x86_64", true));
    let owned = support::rpm_owned_paths(&root);
    let tree = support::scan_root(&root, &owned);
    let n = |p: &str| {
        tree.nodes
            .get(p)
            .unwrap_or_else(|| panic!("{p} missing"))
            .clone()
    };

    assert_eq!(n("/").mode, 0o555);
    assert_eq!((n("/root").kind, n("/root").mode), (Kind::Dir, 0o700));
    assert_eq!(n("/var/lib/ts-secret").mode, 0o700);
    assert_eq!(n("/tmp").mode, 0o1777);
    assert_eq!(n("/usr/bin/ts-suid").mode, 0o4755);
    assert_eq!(n("/etc/shadow").mode, 0o000);
    // owner mapping through the image's own /etc/passwd
    let st = n("/var/lib/ts-app");
    assert_eq!((st.uid, st.gid, st.mode), (1234, 1234, 0o750));
    assert_eq!(
        (
            n("/var/lib/ts-app/state").uid,
            n("/var/lib/ts-app/state").gid
        ),
        (1234, 1234)
    );
    // symlinks
    assert_eq!(n("/bin/sh").link.as_deref(), Some("/usr/bin/busybox"));
    assert_eq!(n("/usr/bin/sh").link.as_deref(), Some("busybox"));
    assert_eq!(
        n("/etc/os-release").link.as_deref(),
        Some("../usr/lib/os-release")
    );
    assert_eq!(
        n("/usr/share/ts-app/launcher").link.as_deref(),
        Some("../../bin/ts-app")
    );
    // the hardlink pair
    let set = tree
        .hardlink_set("/usr/share/ts-app/data-a")
        .expect("hardlink set");
    assert!(set.contains("/usr/share/ts-app/data-b"));
    assert_eq!(n("/usr/share/ts-app/empty").size, 0);
    // %ghost: owned, not created
    assert!(owned.contains("/var/log/ts-app.log"));
    assert!(!tree.nodes.contains_key("/var/log/ts-app.log"));
    // the newest ts-libfoo won
    assert!(tree.nodes.contains_key("/usr/lib64/libtsfoo.so.2.0"));
    assert!(!owned.contains("/usr/lib64/libtsfoo.so.1.0"));

    let v = support::rpm(&root, &["-V", "-a"]);
    assert!(
        v.status.success() && v.stdout.is_empty(),
        "rpm -V -a on the dnf root: {}\n{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}

#[test]
fn dnf_spec_form_and_failures() {
    let t = "dnf_spec_form_and_failures";
    let d = need!(t, support::distro());
    // ts-app by name plus /bin/sh by path, no kickstart exclusions: weak deps
    // bring ts-extras and ts-docs, never ts-suggested.
    let root = need!(
        t,
        support::dnf_reference(d, "x86_64", true, &["ts-app".into(), "/bin/sh".into()], &[])
    );
    let got = support::rpm_qa(&root);
    assert!(got.contains(&"ts-docs-1.2-1.noarch".to_string()), "{got:?}");
    assert!(
        got.contains(&"ts-extras-0.9~beta1-1.noarch".to_string()),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|p| p.starts_with("ts-suggested")),
        "{got:?}"
    );
    assert!(!got.iter().any(|p| p.starts_with("ts-release")), "{got:?}");

    // The requests the bad-input tests expect rootsmith to refuse, dnf refuses too.
    for bad in ["ts-broken", "ts-no-such-package"] {
        let out = need!(t, support::dnf_attempt(d, "x86_64", &[bad.to_string()]));
        assert!(!out.status.success(), "dnf installed {bad}");
        let msg = String::from_utf8_lossy(&out.stderr);
        assert!(msg.contains(bad), "dnf's error for {bad}: {msg}");
    }
}

#[test]
fn build_is_reproducible() {
    let t = "build_is_reproducible";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let out = tmp.path().join("distro");
    support::sh(
        Command::new("bash")
            .arg(support::distro_src().join("build.sh"))
            .arg(&out),
    );
    for arch in ARCHES {
        for f in ["repodata/repomd.xml"].iter().map(|s| s.to_string()).chain(
            fs::read_dir(d.repo(arch).join("Packages"))
                .unwrap()
                .map(|e| format!("Packages/{}", e.unwrap().file_name().to_string_lossy())),
        ) {
            let (a, b) = (d.repo(arch).join(&f), out.join(arch).join(&f));
            assert!(b.is_file(), "{arch}/{f} missing from the second build");
            assert_eq!(
                support::sha256_file(&a),
                support::sha256_file(&b),
                "{arch}/{f} differs between two builds"
            );
        }
    }
}
