//! `rootsmith resolve` must print exactly the NEVRA set dnf installs.

mod support;

use support::{Distro, ARCHES};

/// rootsmith resolve ARGS... --repo ts=REPO --arch ARCH, checked for the
/// output contract (sorted, one per line, exit 0, nothing else on stdout).
fn resolve(d: &Distro, arch: &str, args: &[&str]) -> Vec<String> {
    let repo = d.repo_arg(arch);
    let mut all: Vec<&str> = vec!["resolve"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--repo", &repo, "--arch", arch]);
    let run = support::rootsmith(&all);
    run.assert_ok();
    let got = support::lines(&run.stdout);
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(got, sorted, "`{}` output is not sorted", run.cmdline);
    assert!(
        got.iter()
            .all(|l| !l.is_empty() && !l.contains(char::is_whitespace)),
        "`{}` printed something besides NEVRAs:\n{}",
        run.cmdline,
        run.stdout
    );
    got
}

fn ks_parity(test: &str, arch: &str, weak: bool) {
    let d = need!(test, support::distro());
    let root = need!(test, support::dnf_reference_ks(d, arch, weak));
    let want = support::rpm_qa(&root);
    let ks = support::kickstart();
    let ks = ks.to_str().unwrap();
    let got = if weak {
        resolve(d, arch, &["--kickstart", ks])
    } else {
        resolve(d, arch, &["--kickstart", ks, "--no-weak-deps"])
    };
    assert_eq!(
        got, want,
        "rootsmith resolve vs dnf ({arch}, weak deps {weak})"
    );
}

#[test]
fn kickstart_x86_64_weak_deps() {
    ks_parity("kickstart_x86_64_weak_deps", "x86_64", true);
}

#[test]
fn kickstart_x86_64_no_weak_deps() {
    ks_parity("kickstart_x86_64_no_weak_deps", "x86_64", false);
}

#[test]
fn kickstart_aarch64_weak_deps() {
    ks_parity("kickstart_aarch64_weak_deps", "aarch64", true);
}

#[test]
fn kickstart_aarch64_no_weak_deps() {
    ks_parity("kickstart_aarch64_no_weak_deps", "aarch64", false);
}

/// `--exclude` on the command line adds to the kickstart's `-name` lines.
#[test]
fn kickstart_with_exclude_option() {
    let t = "kickstart_with_exclude_option";
    let d = need!(t, support::distro());
    let mut ks = support::ks_packages(&support::kickstart());
    ks.exclude.push("ts-extras".into());
    let root = need!(
        t,
        support::dnf_reference(d, "x86_64", true, &ks.install, &ks.exclude)
    );
    let want = support::rpm_qa(&root);
    assert!(!want.iter().any(|p| p.starts_with("ts-extras-")));
    let k = support::kickstart();
    let got = resolve(
        d,
        "x86_64",
        &["--kickstart", k.to_str().unwrap(), "--exclude", "ts-extras"],
    );
    assert_eq!(got, want);
}

/// SPEC form: a package name and a file path as capabilities, no kickstart
/// (so no exclusions: ts-app's two Recommends both come in).
#[test]
fn spec_form_name_and_file() {
    let t = "spec_form_name_and_file";
    let d = need!(t, support::distro());
    let specs = ["ts-app", "/bin/sh"];
    let owned: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
    for arch in ARCHES {
        let root = need!(t, support::dnf_reference(d, arch, true, &owned, &[]));
        assert_eq!(
            resolve(d, arch, &specs),
            support::rpm_qa(&root),
            "{arch}, weak deps on"
        );
        let root = need!(t, support::dnf_reference(d, arch, false, &owned, &[]));
        let mut args = specs.to_vec();
        args.push("--no-weak-deps");
        assert_eq!(
            resolve(d, arch, &args),
            support::rpm_qa(&root),
            "{arch}, weak deps off"
        );
    }
}

/// Two versions of ts-libfoo in the repo: asking for it by name gets the
/// newest, as dnf does.
#[test]
fn spec_form_picks_newest() {
    let t = "spec_form_picks_newest";
    let d = need!(t, support::distro());
    let specs = vec!["ts-extras".to_string()];
    let root = need!(t, support::dnf_reference(d, "x86_64", true, &specs, &[]));
    let want = support::rpm_qa(&root);
    assert!(
        want.contains(&"ts-libfoo-2.0-1.x86_64".to_string()),
        "{want:?}"
    );
    assert_eq!(resolve(d, "x86_64", &["ts-extras"]), want);
}
