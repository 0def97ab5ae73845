//! `rootsmith repoquery` against dnf 4 itself: every expected answer is
//! what dnf's own command-line code prints for `dnf repoquery`, `dnf group
//! list` and `dnf group info` on the same repositories
//! (`support/dnf_cmd.py`, all commands on one loaded sack;
//! [`the_real_dnf_command_prints_the_same`] shows that the real `dnf`
//! command prints the same, and that the `rootsmith` binary prints it too).
//! The repositories: real CentOS Stream 9 metadata (BaseOS 2022 and
//! AppStream 2025 together), and each arch's repository of rootsmith's
//! test distribution.
//!
//! Like with like: rootsmith queries the packages the target can install
//! (its arch, its multilib arches, noarch), while `dnf repoquery` lists
//! every package of the metadata whatever `--forcearch` says. The CentOS
//! fixtures are x86_64 repositories, where the two are the same for
//! x86_64; for aarch64, dnf's repoquery is given `--arch=aarch64,noarch`
//! (its filter of the answer), so that it leaves out the x86_64 and i686
//! packages rootsmith does not load. The test distribution has a
//! repository of each arch, which dnf reads as it is. Repositories get
//! module_hotfixes, as rootsmith has no modularity.
//!
//! What is compared: whole lists, in dnf's order (the package lines of
//! every query; `--info`'s fields but URL, License and Description, which
//! rootsmith does not read), except `group list`, compared as sorted
//! lists since rootsmith sorts by id where dnf sorts by comps' display
//! order, and the several groups a glob matches, which dnf prints in no
//! fixed order. Every difference fails the test; the failure lists each
//! one.
//!
//! About 50 s in a debug build (the CentOS metadata is read once per arch,
//! and twice by the `rootsmith` binary).

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rootsmith::query;
use rootsmith::repo::{Pool, RepoSource};
use support::dnf_ref::{dnf_cli, dnf_commands, dnf_python, fixture_repo_dirs};
use support::Skip;

const FIXTURES: &[&str] = &["cs9-baseos-2022", "cs9-appstream-2025"];

/// What to ask a repository set.
struct Questions {
    /// `repoquery KEY`, each alone, then all together.
    keys: &'static [&'static str],
    /// `repoquery --whatprovides CAP`.
    provides: &'static [&'static str],
    /// `repoquery --whatrequires CAP`.
    requires: &'static [&'static str],
    /// `repoquery --info KEY`.
    info: &'static [&'static str],
    /// `group info PATTERN`.
    groups: &'static [&'static str],
}

/// On CentOS Stream 9.
///
/// Keys: names in any case, name.arch, the NEVRA forms with and without
/// epoch, globs in every part, paths and path globs, and a key that
/// matches nothing. Provides: sonames, virtual provides, versioned
/// provides, paths (a file provide, a file no dependency names) and
/// globs. Requires: names that are also packages (their provides count
/// too), capabilities, versioned ones, paths, globs. Groups: by id, by
/// name, by glob.
const CS9: Questions = Questions {
    keys: &[
        "bash",
        "BASH",
        "glibc.i686",
        "kernel-core",
        "python3-requests",
        "python3-dnf*",
        "*-devel.noarch",
        "systemd-2*",
        "bash-5.1.8",
        "bash-5.1.8-2.el9",
        "bash-0:5.1.8-2.el9.x86_64",
        "NetworkManager-1:1.36.0-0.7.el9.x86_64",
        "nginx-2:1.20.1-20.el9",
        "httpd-2.4.57-*.x86_64",
        "/usr/bin/bash",
        "/usr/sbin/sshd",
        "/usr/bin/python3*",
        "no-such-package",
    ],
    provides: &[
        "libc.so.6()(64bit)",
        "libc.so.6",
        "libssl.so.3()(64bit)",
        "libcrypto.so.3(OPENSSL_3.0.0)(64bit)",
        "webserver",
        "system-release",
        "python3dist(requests)",
        "python3dist(setuptools) >= 50",
        "glibc >= 2.34",
        "bash < 5",
        "nginx = 1:1.20.1",
        "/bin/sh",
        "/usr/bin/ls",
        "/usr/sbin/sshd",
        "/etc/os-release",
        "/usr/bin/python3*",
        "libcurl.so*",
        "perl(File::*)",
        "no-such-capability",
    ],
    requires: &[
        "bash",
        "glibc",
        "/bin/sh",
        "/usr/bin/python3",
        "libz.so.1()(64bit)",
        "libssl.so.3()(64bit)",
        "libcrypto.so*",
        "python3 >= 3.9",
        "systemd-libs",
        "openssl-libs = 1:3.0.1",
        "perl(strict)",
        "system-release",
        "python3.9dist(requests)",
        "python3-dnf*",
        "no-such-capability",
    ],
    info: &[
        "bash",
        "NetworkManager",
        "glibc.i686",
        "nginx",
        "python3-requests",
    ],
    groups: &[
        "core",
        "Development Tools",
        "standard",
        "minimal-environment",
        "Server with GUI",
        "virtualization-*",
        "no-such-group",
    ],
};

/// On rootsmith's test distribution (`tests/distro`), real packages of
/// both arches: epochs, tilde versions, several versions of one name,
/// files only filelists.xml lists, a release-less versioned provide, an
/// obsoleter that provides the old name, a conditional comps member.
const TS: Questions = Questions {
    keys: &[
        "ts-libfoo",
        "TS-LIBFOO-1.0",
        "ts-lang-??",
        "ts-kernel-*",
        "ts-epoch-2:1.0-1.noarch",
        "ts-extras-0.9~beta1",
        "*.noarch",
        "/usr/bin/ts-tool",
        "/usr/share/ts-lang/*",
        "ts-missing",
    ],
    provides: &[
        "/bin/sh",
        "/usr/bin/sh",
        "ts-app-config = 1.0",
        "ts-app-config > 1.0-3",
        "ts-oldtool",
        "installonlypkg(kernel)",
        "ts-libfoo >= 2",
        "ts-lang-*",
        "/usr/share/ts-lang/*",
    ],
    requires: &[
        "ts-libfoo",
        "ts-libfoo < 2",
        "/bin/sh",
        "ts-app",
        "ts-app-config",
        "ts-lang-core",
        "ts-missing-capability",
        "/usr/bin/ts-*",
    ],
    info: &["ts-epoch", "ts-libfoo", "ts-extras"],
    groups: &["ts-base", "ts-addons", "TS-*"],
};

/// The fixtures as `(id, dir)`, the repository ids dnf and rootsmith both use.
fn fixture_repos() -> Result<Vec<(&'static str, PathBuf)>, Skip> {
    fixture_repo_dirs(FIXTURES)
}

fn rootsmith_pool(repos: &[(&str, PathBuf)], arch: &str) -> Pool {
    let sources: Vec<RepoSource> = repos
        .iter()
        .map(|(n, dir)| RepoSource::new(*n, dir.display().to_string()))
        .collect();
    let start = Instant::now();
    let pool = query::load(&rootsmith::repo::Store::default(), &sources, &[], arch)
        .expect("the fixtures load");
    eprintln!("rootsmith: {arch} pool loaded in {:.1?}", start.elapsed());
    pool
}

/// One question: dnf's command and rootsmith's answer, each as lines.
struct Case {
    dnf: Vec<String>,
    ours: Vec<String>,
    /// How dnf's stdout becomes lines comparable with ours.
    read: fn(&str) -> Vec<String>,
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

/// dnf repoquery's lines.
fn lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The fields of `repoquery --info` blocks that rootsmith shows, one
/// `Key: value` line each, a value that dnf wrapped joined again; a
/// `--` line between packages.
fn info_fields(stdout: &str) -> Vec<String> {
    const SHOWN: &[&str] = &[
        "Name",
        "Epoch",
        "Version",
        "Release",
        "Architecture",
        "Size",
        "Source",
        "Repository",
        "Summary",
    ];
    let mut out: Vec<String> = Vec::new();
    let mut key = String::new();
    for l in stdout.lines() {
        let Some((k, v)) = l
            .split_once(" : ")
            .or_else(|| l.strip_suffix(" :").map(|k| (k, "")))
        else {
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() {
            // A continuation of the value before.
            if SHOWN.contains(&key.as_str()) {
                let last = out.last_mut().expect("a field before its continuation");
                last.push(' ');
                last.push_str(v);
            }
            continue;
        }
        key = k.to_string();
        if key == "Name" && !out.is_empty() {
            out.push("--".into());
        }
        if SHOWN.contains(&k) {
            out.push(format!("{k}: {v}"));
        }
    }
    out
}

/// `group list --ids`: `environment ID NAME` and `group ID NAME` lines,
/// sorted (dnf sorts by display order, rootsmith by id).
fn group_list(stdout: &str) -> Vec<String> {
    let mut kind = "";
    let mut out = BTreeSet::new();
    for l in stdout.lines() {
        if l.ends_with("Environment Groups:") {
            kind = "environment";
        } else if l.ends_with("Groups:") {
            kind = "group";
        } else if let Some(entry) = l.strip_prefix("   ") {
            // `Name (id)`, a language group with ` [lang]` after.
            let entry = entry.rsplit_once(" [").map_or(entry, |(e, _)| e);
            let (name, id) = entry.rsplit_once(" (").expect("NAME (ID)");
            out.insert(format!("{kind} {} {name}", id.trim_end_matches(')')));
        }
    }
    out.into_iter().collect()
}

/// `group info`: each environment's and group's name and members by
/// section, as dnf lists them (descriptions left out: rootsmith does not
/// read them). The environments and groups a glob matches are sorted:
/// dnf prints them in the order of a Python set, which changes from run
/// to run.
fn group_info(stdout: &str) -> Vec<String> {
    let mut blocks: Vec<Vec<String>> = Vec::new();
    for l in stdout.lines() {
        if l.starts_with(" Description:") || l.starts_with(" Language:") {
            continue;
        }
        if l.starts_with("Environment Group: ") || l.starts_with("Group: ") || blocks.is_empty() {
            blocks.push(Vec::new());
        }
        blocks.last_mut().expect("a block").push(l.to_string());
    }
    blocks.sort();
    blocks.concat()
}

/// rootsmith's `group info` text in dnf's layout: without the ids it adds
/// to each environment and group, its marks on members (`(if REQ)`, `(no
/// package)`), and the groups an environment names that comps does not
/// define (`(no such group)`, which dnf leaves out).
fn without_ids(text: &str) -> String {
    let mut out = Vec::new();
    let mut groups = false;
    for l in text.lines() {
        let line = if l.starts_with("Environment Group: ") || l.starts_with("Group: ") {
            l.rsplit_once(" (").expect("HEADING (ID)").0
        } else if let Some(member) = l.strip_prefix("   ") {
            if groups && member.ends_with(" (no such group)") {
                continue;
            }
            // A group's name may have a space, a package's has none.
            let cut = if groups {
                member.rsplit_once(" (")
            } else {
                member.split_once(" (")
            };
            cut.map_or(l, |(name, _)| &l[..3 + name.len()])
        } else {
            groups = l.ends_with(" Groups:");
            l
        };
        out.push(line);
    }
    out.join("\n")
}

/// Every question, for `arch`: dnf's command (with `arch_filter` added to
/// each repoquery) and rootsmith's answer.
fn cases(pool: &Pool, arch_filter: Option<&str>, questions: &Questions) -> Vec<Case> {
    let repoquery = |rest: &[&str]| {
        let mut a = args(&["repoquery"]);
        a.extend(arch_filter.map(|f| format!("--arch={f}")));
        a.extend(args(rest));
        a
    };
    let package_lines = |ids: Vec<rootsmith::repo::PkgId>| query::package_lines(pool, &ids);
    let mut cases = vec![Case {
        dnf: repoquery(&[]),
        ours: package_lines(query::all(pool)),
        read: lines,
    }];
    for key in questions.keys {
        let found = query::matching(pool, &[key.to_string()]).expect("a key reads");
        cases.push(Case {
            dnf: repoquery(&[key]),
            ours: package_lines(found.packages),
            read: lines,
        });
    }
    let all_keys: Vec<String> = args(questions.keys);
    let found = query::matching(pool, &all_keys).expect("the keys read");
    let mut every_key = repoquery(&[]);
    every_key.extend(all_keys);
    cases.push(Case {
        dnf: every_key,
        ours: package_lines(found.packages),
        read: lines,
    });
    for cap in questions.provides {
        cases.push(Case {
            dnf: repoquery(&["--whatprovides", cap]),
            ours: package_lines(query::what_provides(pool, cap).expect("a capability reads")),
            read: lines,
        });
    }
    for cap in questions.requires {
        cases.push(Case {
            dnf: repoquery(&["--whatrequires", cap]),
            ours: package_lines(query::what_requires(pool, cap).expect("a capability reads")),
            read: lines,
        });
    }
    for key in questions.info {
        let found = query::matching(pool, &[key.to_string()]).expect("a key reads");
        let text: Vec<String> = query::package_infos(pool, &found.packages)
            .iter()
            .map(ToString::to_string)
            .collect();
        cases.push(Case {
            dnf: repoquery(&["--info", key]),
            ours: info_fields(&text.join("\n\n")),
            read: info_fields,
        });
    }
    cases.push(Case {
        dnf: args(&["group", "list", "--ids", "hidden"]),
        ours: group_list(&query::list_groups(pool).to_string()),
        read: group_list,
    });
    for pattern in questions.groups {
        cases.push(Case {
            dnf: args(&["group", "info", pattern]),
            ours: group_info(&without_ids(
                &query::group_info(pool, pattern)
                    .expect("a pattern reads")
                    .to_string(),
            )),
            read: group_info,
        });
    }
    cases
}

/// What differs between dnf's lines and ours, or `None`.
fn difference(dnf: &[String], ours: &[String]) -> Option<String> {
    if dnf == ours {
        return None;
    }
    let (d, o): (BTreeSet<&String>, BTreeSet<&String>) =
        (dnf.iter().collect(), ours.iter().collect());
    let show = |v: Vec<&&String>| -> String {
        let n = v.len();
        let mut s: Vec<String> = v
            .into_iter()
            .take(12)
            .map(|l| format!("      {l}"))
            .collect();
        if n > 12 {
            s.push(format!("      … {} more", n - 12));
        }
        s.join("\n")
    };
    let only_dnf: Vec<&&String> = d.difference(&o).collect();
    let only_ours: Vec<&&String> = o.difference(&d).collect();
    if only_dnf.is_empty() && only_ours.is_empty() {
        let at = dnf
            .iter()
            .zip(ours)
            .position(|(a, b)| a != b)
            .unwrap_or(dnf.len().min(ours.len()));
        return Some(format!(
            "    same lines, other order or repeats ({} vs {}), first at line {at}",
            dnf.len(),
            ours.len()
        ));
    }
    Some(format!(
        "    only dnf ({}):\n{}\n    only rootsmith ({}):\n{}",
        only_dnf.len(),
        show(only_dnf),
        only_ours.len(),
        show(only_ours)
    ))
}

/// Ask rootsmith and dnf `questions` about `repos` for `arch`; dnf's
/// repoquery with `--arch=ARCH_FILTER` if given. Any difference fails.
fn compare_with_dnf(
    repos: &[(&str, PathBuf)],
    arch: &str,
    arch_filter: Option<&str>,
    questions: &Questions,
) -> Result<(), Skip> {
    dnf_python()?;
    let pool = rootsmith_pool(repos, arch);
    let cases = cases(&pool, arch_filter, questions);
    let commands: Vec<Vec<String>> = cases.iter().map(|c| c.dnf.clone()).collect();
    let dirs: Vec<(&str, &Path)> = repos.iter().map(|(n, p)| (*n, p.as_path())).collect();
    let start = Instant::now();
    let outputs = dnf_commands(&dirs, arch, &commands)?;
    eprintln!(
        "dnf: {} commands in {:.1?}",
        commands.len(),
        start.elapsed()
    );
    let mut failures = Vec::new();
    let mut answered = 0;
    for (case, out) in cases.iter().zip(&outputs) {
        if let Some(e) = &out.error {
            failures.push(format!("dnf {}: dnf failed: {e}", case.dnf.join(" ")));
            continue;
        }
        let expected = (case.read)(&out.stdout);
        answered += usize::from(!expected.is_empty());
        if let Some(d) = difference(&expected, &case.ours) {
            failures.push(format!("dnf {}:\n{d}", case.dnf.join(" ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{arch}: {} of {} answers differ from dnf's:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    // Not a sweep of empty answers: on aarch64 the x86_64 fixtures offer
    // their noarch packages only, which still answer a third.
    eprintln!(
        "{arch}: dnf's answer is not empty for {answered} of {} questions",
        cases.len()
    );
    assert!(
        answered * 3 >= cases.len(),
        "{arch}: too few questions have an answer"
    );
    Ok(())
}

#[test]
fn repoquery_x86_64_is_dnfs() {
    let t = "repoquery_x86_64_is_dnfs";
    let repos = need!(t, fixture_repos());
    need!(t, compare_with_dnf(&repos, "x86_64", None, &CS9));
}

#[test]
fn repoquery_aarch64_is_dnfs() {
    let t = "repoquery_aarch64_is_dnfs";
    let repos = need!(t, fixture_repos());
    need!(
        t,
        compare_with_dnf(&repos, "aarch64", Some("aarch64,noarch"), &CS9)
    );
}

/// Each arch's repository of the test distribution, as it is: its arch
/// and noarch only, so dnf needs no filter.
#[test]
fn repoquery_on_the_test_distribution_is_dnfs() {
    let t = "repoquery_on_the_test_distribution_is_dnfs";
    let distro = need!(t, support::distro());
    for arch in support::ARCHES {
        let repos = [("ts", distro.repo(arch))];
        need!(t, compare_with_dnf(&repos, arch, None, &TS));
    }
}

/// The real `dnf` command prints what `dnf_cmd.py` reports, and the
/// `rootsmith` binary prints the same lines, as text and as JSON.
#[test]
fn the_real_dnf_command_prints_the_same() {
    let t = "the_real_dnf_command_prints_the_same";
    let repos = need!(t, fixture_repos());
    need!(t, dnf_python());
    let dirs: Vec<(&str, &Path)> = repos.iter().map(|(n, p)| (*n, p.as_path())).collect();
    let commands: Vec<Vec<String>> = [
        &["repoquery"][..],
        &["repoquery", "--whatprovides", "webserver"],
        &["repoquery", "--whatrequires", "libssl.so.3()(64bit)"],
        &["repoquery", "bash*", "/usr/sbin/sshd"],
        &["repoquery", "--info", "bash"],
        &["group", "list", "--ids", "hidden"],
        &["group", "info", "minimal-environment", "core"],
    ]
    .iter()
    .map(|c| args(c))
    .collect();
    let start = Instant::now();
    let real = need!(t, dnf_cli(&dirs, "x86_64", &commands));
    eprintln!(
        "dnf: {} commands in {:.1?}",
        commands.len(),
        start.elapsed()
    );
    let reference = need!(t, dnf_commands(&dirs, "x86_64", &commands));
    for ((command, real), reference) in commands.iter().zip(&real).zip(&reference) {
        assert_eq!(reference.error, None, "dnf {}", command.join(" "));
        assert_eq!(
            real,
            &reference.stdout,
            "dnf {}: dnf_cmd.py does not print what the dnf command prints",
            command.join(" ")
        );
    }

    let rootsmith = |question: &[&str]| {
        let mut a = args(&["repoquery", "--arch", "x86_64"]);
        for (n, p) in &repos {
            a.push("--repo".into());
            a.push(format!("{n}={}", p.display()));
        }
        a.extend(args(question));
        let run = support::rootsmith(&a);
        run.assert_ok();
        run
    };
    // Every package, as text: the very lines dnf prints.
    let run = rootsmith(&[]);
    if let Some(d) = difference(&lines(&real[0]), &lines(&run.stdout)) {
        panic!(
            "`{}` does not print what `dnf repoquery` prints:\n{d}",
            run.cmdline
        );
    }
    assert_eq!(
        run.stdout, real[0],
        "`{}`: same lines, other text",
        run.cmdline
    );
    // Keys, as JSON: the same packages.
    let run = rootsmith(&["--json", "bash*", "/usr/sbin/sshd"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("--json prints JSON");
    let ours: Vec<String> = json["packages"]
        .as_array()
        .expect("a list of packages")
        .iter()
        .map(|p| {
            format!(
                "{}-{}:{}-{}.{}",
                p["name"].as_str().unwrap(),
                p["epoch"],
                p["version"].as_str().unwrap(),
                p["release"].as_str().unwrap(),
                p["arch"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(ours, lines(&real[3]), "`{}`", run.cmdline);
}

/// Fedora's own comps (f40, f41) in the test distribution's x86_64
/// repository, rebuilt by createrepo_c (PyPI's: bookworm's 0.17 writes no
/// zstd) with every compression it writes: every answer is dnf's.
#[test]
fn createrepo_c_compressions_and_fedora_comps_read_as_dnf_reads_them() {
    let t = "createrepo_c_compressions_and_fedora_comps_read_as_dnf_reads_them";
    let distro = need!(t, support::distro());
    let createrepo = support::venv_bin("createrepo_c");
    if !createrepo.is_file() {
        need!(
            t,
            Err::<(), _>(support::Skip(format!(
                "{} missing (run scripts/install-test-deps.sh)",
                createrepo.display()
            )))
        );
    }
    const FEDORA: Questions = Questions {
        keys: &["ts-app", "*.noarch"],
        provides: &["/bin/sh"],
        requires: &["ts-libfoo"],
        info: &["ts-app"],
        groups: &[
            "core",
            "Fedora Workstation",
            "container-management",
            "c-development",
            "*-desktop",
            "server-product-environment",
        ],
    };
    let cases = [
        ("f41", "gz", "gz"),
        ("f40", "xz", "xz"),
        ("f41", "zstd", "zst"),
        ("f40", "bz2", "bz2"),
    ];
    for (release, compression, suffix) in cases {
        let comps = need!(
            t,
            support::fixtures::shared_fixture(&format!("comps/comps-{release}.xml"))
        );
        let tmp = support::tempdir();
        let repo = tmp.path().join("repo");
        support::copy_dir(
            &distro.repo("x86_64").join("Packages"),
            &repo.join("Packages"),
        );
        let made = std::process::Command::new(&createrepo)
            .args(["-q", "--general-compress-type", compression, "-g"])
            .arg(&comps)
            .arg(&repo)
            .output()
            .expect("run createrepo_c");
        assert!(
            made.status.success(),
            "createrepo_c: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        let primary = std::fs::read_dir(repo.join("repodata"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.contains("-primary.xml."))
            .expect("a primary.xml");
        assert!(primary.ends_with(suffix), "{primary}");
        eprintln!("{release} comps, {compression}:");
        need!(
            t,
            compare_with_dnf(&[("ts", repo)], "x86_64", None, &FEDORA)
        );
    }
}
