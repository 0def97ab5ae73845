//! dnf's selection semantics on the test distribution, on both arches:
//! what `rootsmith resolve` prints must be what the real `dnf --installroot
//! … install` installs (`rpm -qa` of its root), and when dnf refuses, rootsmith
//! refuses too, naming the cause dnf names.
//!
//! The cases: a renamed package asked for by its old name (ts-oldtool,
//! obsoleted by ts-newtool), a comps group with a conditional member
//! (ts-addons: ts-app-plugin if ts-app), globs (ts-lang-??, ts-lang-*, one
//! matching nothing), an installonly package in three versions (ts-kernel,
//! `installonlypkg(kernel)`), kickstarts using the conditional group,
//! refusals (obsoletes, conflicts, two versions of one name), and the
//! other forms dnf takes a spec or an `--exclude` in (no epoch, globs in
//! any part, file globs, provides globs, files only filelists.xml lists).
//! The test repositories hold only their arch and noarch, so dnf and
//! rootsmith see the same packages without any arch exclusion.

mod support;

use std::fs;
use std::process::Output;

use support::dnf_ref::{dnf_answers, dnf_answers_by_repo, dnf_cause, DnfAnswer, DnfRequest};
use support::{Distro, Skip, ARCHES};

/// `rootsmith resolve ARGS --repo ts=REPO --arch ARCH`: the printed set, or
/// the error it printed (exit status 1, no panic).
fn resolve(d: &Distro, arch: &str, args: &[&str]) -> Result<Vec<String>, String> {
    let repo = d.repo_arg(arch);
    let mut all = vec!["resolve"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--repo", &repo, "--arch", arch]);
    let run = support::rootsmith(&all);
    if run.ok() {
        Ok(support::lines(&run.stdout))
    } else {
        assert_eq!(run.status.code(), Some(1), "{}", run.describe());
        assert!(!run.stderr.contains("panicked"), "{}", run.describe());
        Err(run.stderr)
    }
}

/// What the real dnf installs for `specs` on `arch` (a cached real install).
fn dnf_installs(d: &Distro, arch: &str, weak: bool, specs: &[&str]) -> Result<Vec<String>, Skip> {
    dnf_installs_excluding(d, arch, weak, specs, &[])
}

/// The same with `--exclude` patterns.
fn dnf_installs_excluding(
    d: &Distro,
    arch: &str,
    weak: bool,
    specs: &[&str],
    exclude: &[&str],
) -> Result<Vec<String>, Skip> {
    let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
    let exclude: Vec<String> = exclude.iter().map(|s| s.to_string()).collect();
    let root = support::dnf_reference(d, arch, weak, &specs, &exclude)?;
    Ok(support::rpm_qa(&root))
}

/// rootsmith against dnf for `specs` on `arch`: dnf's set, and how
/// rootsmith's answer differs from it, if it does.
fn compare_with_dnf(
    d: &Distro,
    arch: &str,
    specs: &[&str],
    exclude: &[&str],
    weak: bool,
) -> Result<(Vec<String>, Option<String>), Skip> {
    let want = dnf_installs_excluding(d, arch, weak, specs, exclude)?;
    let mut args = specs.to_vec();
    for x in exclude {
        args.extend(["--exclude", x]);
    }
    if !weak {
        args.push("--no-weak-deps");
    }
    let diff = match resolve(d, arch, &args) {
        Ok(got) if got == want => None,
        Ok(got) => Some(format!(
            "{arch}, weak deps {weak}: `rootsmith resolve {}` prints {got:?}, dnf installs {want:?}",
            args.join(" ")
        )),
        Err(e) => Some(format!(
            "{arch}, weak deps {weak}: `rootsmith resolve {}` fails, dnf installs {want:?}: {}",
            args.join(" "),
            e.trim()
        )),
    };
    Ok((want, diff))
}

/// On both arches: rootsmith resolves `specs` to what dnf installs. Returns
/// dnf's set per arch, for the caller to check that the case is the one it
/// means to be.
fn same_as_dnf(t: &str, specs: &[&str], weak: bool) -> Option<Vec<Vec<String>>> {
    let d = match support::distro() {
        Ok(d) => d,
        Err(Skip(why)) => {
            support::not_run(t, &why);
            return None;
        }
    };
    let mut sets = Vec::new();
    for arch in ARCHES {
        match compare_with_dnf(d, arch, specs, &[], weak) {
            Ok((want, None)) => sets.push(want),
            Ok((_, Some(diff))) => panic!("{diff}"),
            Err(Skip(why)) => {
                support::not_run(t, &why);
                return None;
            }
        }
    }
    Some(sets)
}

/// Each of `cases` on both arches, weak deps on; fails listing every
/// request on which rootsmith and dnf differ.
fn each_same_as_dnf(t: &str, cases: &[&[&str]]) {
    let cases: Vec<(&[&str], &[&str])> = cases.iter().map(|c| (*c, &[][..])).collect();
    each_same_as_dnf_excluding(t, &cases);
}

/// The same, each case with its `--exclude` patterns.
fn each_same_as_dnf_excluding(t: &str, cases: &[(&[&str], &[&str])]) {
    let d = need!(t, support::distro());
    let mut diffs = Vec::new();
    for (specs, exclude) in cases {
        for arch in ARCHES {
            let (_, diff) = need!(t, compare_with_dnf(d, arch, specs, exclude, true));
            diffs.extend(diff);
        }
    }
    assert!(
        diffs.is_empty(),
        "{} of {} requests differ from dnf:\n{}",
        diffs.len(),
        cases.len() * ARCHES.len(),
        diffs.join("\n")
    );
}

/// The root causes (or "no match") in dnf's error output.
fn dnf_refusal(out: &Output) -> Vec<String> {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            if let Some(spec) = l.strip_prefix("No match for argument: ") {
                return Some(vec![spec.to_string()]);
            }
            let l = l.split_once("Problem: ").map_or(l, |(_, rest)| rest);
            dnf_cause(l).map(|c| c.words().iter().map(|w| w.to_string()).collect())
        })
        .flatten()
        .collect()
}

/// On both arches: dnf refuses `specs`, and so does rootsmith, naming every
/// word of dnf's causes (`nothing provides X needed by Y`: X and Y, …).
fn refused_like_dnf(t: &str, specs: &[&str], also: &[&str]) {
    let d = need!(t, support::distro());
    for arch in ARCHES {
        let owned: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
        let out = need!(t, support::dnf_attempt(d, arch, &owned));
        assert!(!out.status.success(), "{arch}: dnf installed {specs:?}");
        let words = dnf_refusal(&out);
        assert!(
            !words.is_empty(),
            "{arch}: no cause found in dnf's output:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let err = match resolve(d, arch, specs) {
            Ok(set) => {
                panic!("{arch}: dnf refuses {specs:?} ({words:?}), rootsmith installs {set:?}")
            }
            Err(e) => e,
        };
        for w in words.iter().map(String::as_str).chain(also.iter().copied()) {
            assert!(
                err.contains(w),
                "{arch}: rootsmith's error does not name {w:?} (dnf's cause: {words:?}):\n{err}"
            );
        }
    }
}

fn has(set: &[String], nevra_prefix: &str) -> bool {
    set.iter().any(|p| p.starts_with(nevra_prefix))
}

// ---------------------------------------------------------------- obsoletes

/// `dnf install ts-oldtool` installs ts-newtool, which obsoletes it.
#[test]
fn old_name_installs_the_obsoleter() {
    let Some(sets) = same_as_dnf("old_name_installs_the_obsoleter", &["ts-oldtool"], true) else {
        return;
    };
    for set in sets {
        assert!(has(&set, "ts-newtool-2.0-1.noarch"), "{set:?}");
        assert!(!has(&set, "ts-oldtool-"), "{set:?}");
    }
}

/// A spec with a version is not a bare name: no obsoleter is offered.
#[test]
fn old_name_with_version_installs_the_old_package() {
    let t = "old_name_with_version_installs_the_old_package";
    let Some(sets) = same_as_dnf(t, &["ts-oldtool-1.0-1"], true) else {
        return;
    };
    for set in sets {
        assert!(has(&set, "ts-oldtool-1.0-1.noarch"), "{set:?}");
    }
}

/// The old package and its obsoleter together: both refuse.
#[test]
fn old_package_with_its_obsoleter_is_refused() {
    refused_like_dnf(
        "old_package_with_its_obsoleter_is_refused",
        &["ts-oldtool-1.0-1", "ts-newtool"],
        &[],
    );
}

/// Two versions of one (not installonly) name: "cannot install both".
#[test]
fn two_versions_of_one_name_are_refused() {
    refused_like_dnf(
        "two_versions_of_one_name_are_refused",
        &["ts-libfoo-1.0-1", "ts-libfoo-2.0-1"],
        &[],
    );
}

/// A version asked for against the version a dependency needs
/// (ts-tool requires ts-libfoo >= 2.0): the same, one link down.
#[test]
fn requested_version_against_a_dependency_is_refused() {
    refused_like_dnf(
        "requested_version_against_a_dependency_is_refused",
        &["ts-libfoo-1.0-1", "ts-tool"],
        &["ts-tool-3.1-2."],
    );
}

/// Two packages of which one conflicts with the other.
#[test]
fn conflicting_packages_are_refused() {
    refused_like_dnf(
        "conflicting_packages_are_refused",
        &["ts-lang-core", "ts-suggested"],
        &[],
    );
}

// ---------------------------------------------------------------- comps

/// The conditional member stays out when ts-app is not in the transaction.
#[test]
fn conditional_member_without_its_requirement() {
    let t = "conditional_member_without_its_requirement";
    for weak in [true, false] {
        let Some(sets) = same_as_dnf(t, &["@ts-addons"], weak) else {
            return;
        };
        for set in sets {
            // mandatory ts-oldtool comes as its obsoleter; default ts-lang-en
            assert!(
                has(&set, "ts-newtool-") && has(&set, "ts-lang-en-"),
                "{set:?}"
            );
            assert!(
                !has(&set, "ts-app-plugin-") && !has(&set, "ts-lang-de-"),
                "{set:?}"
            );
        }
    }
}

/// With ts-app asked for, the conditional member comes in.
#[test]
fn conditional_member_with_its_requirement() {
    let t = "conditional_member_with_its_requirement";
    for weak in [true, false] {
        let Some(sets) = same_as_dnf(t, &["@ts-addons", "ts-app"], weak) else {
            return;
        };
        for set in sets {
            assert!(has(&set, "ts-app-plugin-1.0-1.noarch"), "{set:?}");
        }
    }
}

/// Group types as Anaconda passes a kickstart's `--nodefaults`: mandatory
/// and conditional members only.
#[test]
fn group_types_mandatory_and_conditional() {
    let t = "group_types_mandatory_and_conditional";
    let d = need!(t, support::distro());
    for arch in ARCHES {
        let want = need!(
            t,
            dnf_installs(
                d,
                arch,
                true,
                &["@ts-addons/mandatory,conditional", "ts-app"]
            )
        );
        assert!(
            has(&want, "ts-app-plugin-") && !has(&want, "ts-lang-en-"),
            "{want:?}"
        );
        // rootsmith takes group types from a kickstart's group options.
        let tmp = support::tempdir();
        let ks = tmp.path().join("nodefaults.ks");
        fs::write(
            &ks,
            "%packages --nocore\n@ts-addons --nodefaults\nts-app\n%end\n",
        )
        .unwrap();
        let got = resolve(d, arch, &["--kickstart", ks.to_str().unwrap()])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got, want, "{arch}");
    }
}

// ---------------------------------------------------------------- globs

/// `ts-lang-??` selects ts-lang-en, -de and -fr; each recommends the core.
#[test]
fn glob_two_letters() {
    for weak in [true, false] {
        let Some(sets) = same_as_dnf("glob_two_letters", &["ts-lang-??"], weak) else {
            return;
        };
        for set in sets {
            for l in ["en", "de", "fr"] {
                assert!(has(&set, &format!("ts-lang-{l}-")), "{set:?}");
            }
            assert_eq!(has(&set, "ts-lang-core-"), weak, "{set:?}");
        }
    }
}

/// `ts-lang-*` selects the core too, weak deps or not.
#[test]
fn glob_star() {
    let Some(sets) = same_as_dnf("glob_star", &["ts-lang-*"], false) else {
        return;
    };
    for set in sets {
        assert!(has(&set, "ts-lang-core-"), "{set:?}");
    }
}

/// A glob that matches no name: "no match" from both.
#[test]
fn glob_matching_nothing_is_refused() {
    refused_like_dnf(
        "glob_matching_nothing_is_refused",
        &["ts-lang-x?"],
        &["no match"],
    );
}

// ---------------------------------------------------------------- installonly

/// By name: the newest of the three versions only.
#[test]
fn installonly_by_name_installs_the_newest() {
    let Some(sets) = same_as_dnf(
        "installonly_by_name_installs_the_newest",
        &["ts-kernel"],
        true,
    ) else {
        return;
    };
    for set in sets {
        let kernels: Vec<_> = set.iter().filter(|p| p.starts_with("ts-kernel-")).collect();
        assert_eq!(kernels.len(), 1, "{set:?}");
        assert!(kernels[0].starts_with("ts-kernel-3.0-1."), "{set:?}");
    }
}

/// Two versions asked for: both installed side by side.
#[test]
fn installonly_two_versions_side_by_side() {
    let t = "installonly_two_versions_side_by_side";
    let Some(sets) = same_as_dnf(t, &["ts-kernel-1.0-1", "ts-kernel-2.0-1"], true) else {
        return;
    };
    for set in sets {
        assert!(
            has(&set, "ts-kernel-1.0-1.") && has(&set, "ts-kernel-2.0-1."),
            "{set:?}"
        );
        assert!(!has(&set, "ts-kernel-3.0-1."), "{set:?}");
    }
}

/// A version and the bare name: the bare name is satisfied by the version
/// already asked for (dnf installs 1.0 only, not 1.0 and 3.0).
#[test]
fn installonly_version_and_name() {
    let t = "installonly_version_and_name";
    let Some(sets) = same_as_dnf(t, &["ts-kernel-1.0", "ts-kernel"], true) else {
        return;
    };
    for set in sets {
        assert!(has(&set, "ts-kernel-1.0-1."), "{set:?}");
    }
}

// ---------------------------------------------------------------- spec forms

/// A spec without an epoch matches a package whatever its epoch: dnf
/// installs ts-epoch-2:1.0-1 for `ts-epoch-1.0-1` (name-version-release),
/// `ts-epoch-1.0` (name-version) and `ts-epoch-1.0-1.noarch` (NEVRA).
#[test]
fn spec_without_epoch_matches_any_epoch() {
    each_same_as_dnf(
        "spec_without_epoch_matches_any_epoch",
        &[
            &["ts-epoch-1.0-1"],
            &["ts-epoch-1.0"],
            &["ts-epoch-1.0-1.noarch"],
            &["ts-epoch-2:1.0-1"],
        ],
    );
}

/// dnf tries each form of a spec with globs in any part: name, version,
/// release, arch (`ts-kernel-1.*` is name ts-kernel, version `1.*`).
#[test]
fn globs_in_version_release_and_arch() {
    each_same_as_dnf(
        "globs_in_version_release_and_arch",
        &[
            &["ts-kernel-1.*"],
            &["ts-kernel-2.0-*"],
            &["ts-kernel-[12].0-1"],
            &["ts-kernel.*"],
            &["ts-lang-*.noarch"],
            &["ts-lang-e?-1.0"],
        ],
    );
}

/// A file path glob selects the packages owning a matching file (dnf makes
/// them one job, so one of them is installed).
#[test]
fn file_glob_spec() {
    let Some(sets) = same_as_dnf("file_glob_spec", &["/usr/bin/ts-*"], true) else {
        return;
    };
    for set in sets {
        assert!(has(&set, "ts-tool-"), "{set:?}");
    }
}

/// A glob that matches no package name but matches provides
/// (`config(ts-app)`, `config(ts-conf)`, … that rpmbuild adds for %config
/// files): dnf installs every package providing a match, one job per name.
#[test]
fn provides_glob_spec() {
    let Some(sets) = same_as_dnf("provides_glob_spec", &["config(ts-*)"], true) else {
        return;
    };
    for set in sets {
        for p in ["ts-app-", "ts-conf-", "ts-release-", "ts-setup-"] {
            assert!(has(&set, p), "{p} not in {set:?}");
        }
    }
}

/// A file that only filelists.xml lists (primary.xml carries /etc, */bin/
/// and /usr/lib/sendmail only): dnf reads filelists and finds its owner.
#[test]
fn file_spec_from_filelists() {
    let Some(sets) = same_as_dnf("file_spec_from_filelists", &["/usr/share/ts-lang/en"], true)
    else {
        return;
    };
    for set in sets {
        assert!(has(&set, "ts-lang-en-"), "{set:?}");
    }
}

/// dnf's `--exclude` takes a pattern in any of the forms a spec takes
/// (`ts-kernel-3.0-1`, `ts-kernel-3*` as name ts-kernel version `3*`,
/// a NEVRA), not only names (a kickstart's `-name` lines are names only).
#[test]
fn exclude_takes_the_forms_of_a_spec() {
    each_same_as_dnf_excluding(
        "exclude_takes_the_forms_of_a_spec",
        &[
            (&["ts-kernel"], &["ts-kernel-3.0-1"]),
            (&["ts-kernel"], &["ts-kernel-3*"]),
            (&["ts-app"], &["ts-extras-0.9~beta1-1.noarch"]),
            (&["ts-app"], &["ts-extras"]),
        ],
    );
}

// ---------------------------------------------------------------- kickstart

/// tests/distro/ts-addons.ks: `@ts-addons --optional`, ts-app, -ts-docs.
#[test]
fn kickstart_with_the_conditional_group() {
    let t = "kickstart_with_the_conditional_group";
    let d = need!(t, support::distro());
    let path = support::distro_src().join("ts-addons.ks");
    let ks = support::ks_packages(&path);
    assert_eq!(
        ks.install,
        [
            "@ts-addons/mandatory,default,conditional,optional",
            "ts-app"
        ]
    );
    for arch in ARCHES {
        for weak in [true, false] {
            let root = need!(
                t,
                support::dnf_reference(d, arch, weak, &ks.install, &ks.exclude)
            );
            let want = support::rpm_qa(&root);
            for p in [
                "ts-app-plugin-",
                "ts-lang-de-",
                "ts-lang-en-",
                "ts-newtool-",
            ] {
                assert!(has(&want, p), "{arch}: {p} not in {want:?}");
            }
            assert!(!has(&want, "ts-docs-"), "{want:?}");
            let mut args = vec!["--kickstart", path.to_str().unwrap()];
            if !weak {
                args.push("--no-weak-deps");
            }
            let got = resolve(d, arch, &args).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(got, want, "{arch}, weak deps {weak}: ts-addons.ks");
        }
    }
}

/// A kickstart whose conditional member's requirement is absent:
/// `@ts-addons --nodefaults` alone installs the mandatory member only.
#[test]
fn kickstart_conditional_group_alone() {
    let t = "kickstart_conditional_group_alone";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let path = tmp.path().join("alone.ks");
    fs::write(&path, "%packages --nocore\n@ts-addons --nodefaults\n%end\n").unwrap();
    let ks = support::ks_packages(&path);
    for arch in ARCHES {
        let root = need!(
            t,
            support::dnf_reference(d, arch, true, &ks.install, &ks.exclude)
        );
        let want = support::rpm_qa(&root);
        assert_eq!(
            want,
            [
                format!("ts-filesystem-1.0-1.{arch}"),
                "ts-newtool-2.0-1.noarch".into()
            ]
        );
        let got = resolve(d, arch, &["--kickstart", path.to_str().unwrap()])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got, want, "{arch}");
    }
}

// ---------------------------------------------------------------- the reference

/// The Python reference (`support/dnf_ref.py`, used on the CentOS fixtures)
/// answers as the real `dnf install` does, on every case above.
#[test]
fn python_reference_is_dnf_install() {
    let t = "python_reference_is_dnf_install";
    let d = need!(t, support::distro());
    let cases: [(&[&str], bool); 11] = [
        (&["ts-oldtool"], true),
        (&["ts-oldtool-1.0-1"], true),
        (&["@ts-addons"], true),
        (&["@ts-addons"], false),
        (&["@ts-addons", "ts-app"], true),
        (&["@ts-addons/mandatory,conditional", "ts-app"], true),
        (&["ts-lang-??"], true),
        (&["ts-lang-*"], false),
        (&["ts-kernel"], true),
        (&["ts-kernel-1.0-1", "ts-kernel-2.0-1"], true),
        (&["ts-kernel-1.0", "ts-kernel"], true),
    ];
    for arch in ARCHES {
        let requests: Vec<DnfRequest> = cases.iter().map(|(s, w)| DnfRequest::new(s, *w)).collect();
        let repo = d.repo(arch);
        let answers = need!(t, dnf_answers(&[("ts", repo.as_path())], arch, &requests));
        for ((specs, weak), answer) in cases.iter().zip(answers) {
            let want = need!(t, dnf_installs(d, arch, *weak, specs));
            let want: std::collections::BTreeSet<String> = want.into_iter().collect();
            assert_eq!(
                answer,
                DnfAnswer::Installs(want),
                "{arch}, {specs:?}, weak deps {weak}: dnf_ref.py vs dnf install"
            );
        }
        // And a refusal.
        let refused = need!(
            t,
            dnf_answers(
                &[("ts", repo.as_path())],
                arch,
                &[DnfRequest::new(&["ts-broken"], true)]
            )
        );
        match &refused[0] {
            DnfAnswer::Fails { problems, .. } => assert!(
                problems.iter().flatten().any(|l| {
                    l.starts_with(
                    "nothing provides ts-missing-capability >= 1.0 needed by ts-broken-1.0-1.noarch"
                )
                }),
                "{problems:?}"
            ),
            other => panic!("dnf_ref.py installs ts-broken: {other:?}"),
        }
    }
}

// ------------------------------------------------------- priority and cost

/// A second repository beside the test distribution: ts-libfoo 1.0 (the
/// distribution also has 2.0) and ts-filesystem (the same NEVRA as there).
fn older_repo(d: &Distro, arch: &str, dir: &std::path::Path) -> Result<(), Skip> {
    support::tools(&["createrepo_c"])?;
    fs::create_dir_all(dir.join("Packages")).unwrap();
    for entry in fs::read_dir(d.repo(arch).join("Packages")).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_string();
        if file.starts_with("ts-libfoo-1.0-") || file.starts_with("ts-filesystem-") {
            fs::copy(&path, dir.join("Packages").join(&file)).unwrap();
        }
    }
    let out = std::process::Command::new("createrepo_c")
        .arg("--quiet")
        .arg(dir)
        .output()
        .expect("run createrepo_c");
    assert!(out.status.success(), "createrepo_c: {out:?}");
    Ok(())
}

/// dnf's priority (lower wins over any version elsewhere) and cost (lower
/// wins among equal versions), given to rootsmith as `--setopt`: the same
/// packages from the same repositories as dnf, on both arches.
#[test]
fn repo_priority_and_cost_choose_as_dnf_chooses() {
    let t = "repo_priority_and_cost_choose_as_dnf_chooses";
    let d = need!(t, support::distro());
    // (ts priority, ts cost, old priority, old cost)
    let weights: [(i32, i32, i32, i32); 5] = [
        (99, 1000, 99, 1000),
        (99, 1000, 10, 1000),
        (99, 1000, 99, 500),
        (99, 500, 99, 1000),
        (10, 1000, 99, 10),
    ];
    for arch in ARCHES {
        let tmp = support::tempdir();
        let old = tmp.path().join("old");
        need!(t, older_repo(d, arch, &old));
        let ts = d.repo(arch);
        let mut chosen = std::collections::BTreeSet::new();
        for (ts_priority, ts_cost, old_priority, old_cost) in weights {
            let repos = [
                ("ts", ts.as_path(), ts_priority, ts_cost),
                ("old", old.as_path(), old_priority, old_cost),
            ];
            let request = DnfRequest::new(&["ts-libfoo"], true);
            let answer = need!(t, dnf_answers_by_repo(&repos, arch, &[request])).remove(0);
            let want = answer
                .installs()
                .unwrap_or_else(|| panic!("{arch} {weights:?}: dnf refuses: {answer:?}"));
            let run = support::rootsmith(&[
                "resolve",
                "ts-libfoo",
                "--repo",
                &format!("ts={}", ts.display()),
                "--repo",
                &format!("old={}", old.display()),
                "--arch",
                arch,
                "--json",
                "--setopt",
                &format!("ts.priority={ts_priority}"),
                "--setopt",
                &format!("ts.cost={ts_cost}"),
                "--setopt",
                &format!("old.priority={old_priority}"),
                "--setopt",
                &format!("old.cost={old_cost}"),
            ]);
            run.assert_ok();
            let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            let got: std::collections::BTreeSet<String> = report["packages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    format!(
                        "{}@{}",
                        p["nevra"].as_str().unwrap(),
                        p["repo"].as_str().unwrap()
                    )
                })
                .collect();
            assert_eq!(
                &got, want,
                "{arch}, ts priority {ts_priority} cost {ts_cost}, old priority {old_priority} cost {old_cost}"
            );
            chosen.extend(got);
        }
        // The cases are the ones meant: each repository wins somewhere.
        for what in ["ts-libfoo-1.0", "ts-libfoo-2.0", "@old", "@ts"] {
            assert!(
                chosen.iter().any(|c| c.contains(what)),
                "{arch}: no case chose {what}: {chosen:?}"
            );
        }
    }
}

// ------------------------------------------------------ resolve --json, -v

/// `resolve --json`: the set dnf installs, each package with a location
/// and checksum that `sha256sum` confirms, and an install order that is the
/// same set; an unsolvable request gives exit 1 and problems whose causes
/// carry dnf's words, with kind and dependency as data; `-v` adds the proof.
#[test]
fn resolve_json_and_verbose_carry_what_dnf_says() {
    let t = "resolve_json_and_verbose_carry_what_dnf_says";
    let d = need!(t, support::distro());
    need!(t, support::tools(&["sha256sum"]));
    for arch in ARCHES {
        let repo = d.repo(arch);
        let repo_arg = format!("ts={}", repo.display());
        let want = need!(t, dnf_installs(d, arch, true, &["ts-app"]));
        let run = support::rootsmith(&[
            "resolve", "ts-app", "--repo", &repo_arg, "--arch", arch, "--json",
        ]);
        run.assert_ok();
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["arch"], arch);
        let packages = report["packages"].as_array().unwrap();
        let nevras: Vec<String> = packages
            .iter()
            .map(|p| p["nevra"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(nevras, want, "{arch}: --json packages against dnf");
        let mut order: Vec<String> = report["install_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        order.sort();
        assert_eq!(order, want, "{arch}: install_order is the same set");
        for p in packages {
            let (algo, hex) = p["checksum"].as_str().unwrap().split_once(':').unwrap();
            assert_eq!(algo, "sha256");
            assert_eq!(p["repo"], "ts");
            let file = repo.join(p["location"].as_str().unwrap());
            let out = std::process::Command::new("sha256sum")
                .arg(&file)
                .output()
                .unwrap();
            let sum = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                sum.split_whitespace().next(),
                Some(hex),
                "{}",
                file.display()
            );
        }

        // The refusal, as data.
        let dnf = need!(
            t,
            dnf_answers(
                &[("ts", repo.as_path())],
                arch,
                &[DnfRequest::new(&["ts-broken"], true)]
            )
        );
        let DnfAnswer::Fails { problems, .. } = &dnf[0] else {
            panic!("{arch}: dnf installs ts-broken: {dnf:?}");
        };
        let dnf_words: Vec<String> = problems
            .iter()
            .flatten()
            .filter_map(|l| dnf_cause(l))
            .flat_map(|c| c.words().iter().map(|w| w.to_string()).collect::<Vec<_>>())
            .collect();
        assert!(!dnf_words.is_empty(), "{arch}: no cause in {problems:?}");
        let run = support::rootsmith(&[
            "resolve",
            "ts-broken",
            "--repo",
            &repo_arg,
            "--arch",
            arch,
            "--json",
        ]);
        assert_eq!(run.status.code(), Some(1), "{}", run.describe());
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let causes = report["problems"][0]["causes"].as_array().unwrap();
        let cause = &causes[0];
        assert_eq!(cause["kind"], "nothing-provides", "{report:#}");
        for w in &dnf_words {
            let in_data = cause["message"].as_str().unwrap().contains(w.as_str())
                || cause["dependency"]
                    .as_str()
                    .is_some_and(|d| d.contains(w.as_str()))
                || cause["packages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p == w.as_str());
            assert!(in_data, "{arch}: dnf's {w:?} is not in {cause:#}");
        }
        let verbose = support::rootsmith(&[
            "resolve",
            "ts-broken",
            "--repo",
            &repo_arg,
            "--arch",
            arch,
            "-v",
        ]);
        assert_eq!(verbose.status.code(), Some(1), "{}", verbose.describe());
        assert!(verbose.stderr.contains("proof:"), "{}", verbose.describe());
        for w in &dnf_words {
            assert!(
                verbose.stderr.contains(w.as_str()),
                "{arch}: -v lacks {w:?}: {}",
                verbose.describe()
            );
        }
    }
}
