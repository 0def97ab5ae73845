//! Behaviour of the solver on small hand-built pools.

use super::*;
use crate::repo::{Comps, Package, RepoPackages};
use crate::rpm::{ArchPolicy, Dep, DepKind, Evr};

/// A package and its dependencies, built by hand.
struct P {
    package: Package,
    deps: Vec<(DepKind, Dep, bool)>,
}

/// `name-[epoch:]version-release.arch`
fn pkg(nevra: &str) -> P {
    let (rest, arch) = nevra.rsplit_once('.').unwrap();
    let (rest, release) = rest.rsplit_once('-').unwrap();
    let (name, version) = rest.rsplit_once('-').unwrap();
    let evr = Evr::parse(&format!("{version}-{release}"));
    let package = Package {
        name: name.into(),
        arch: arch.into(),
        evr,
        ..Package::default()
    };
    P {
        package,
        deps: Vec::new(),
    }
}

fn dep(s: &str) -> Dep {
    if s.starts_with('(') {
        Dep::unversioned(s)
    } else {
        Dep::parse(s).expect("a valid dependency")
    }
}

impl P {
    fn with(mut self, kind: DepKind, d: &str, pre: bool) -> Self {
        self.deps.push((kind, dep(d), pre));
        self
    }
    fn requires(self, d: &str) -> Self {
        self.with(DepKind::Requires, d, false)
    }
    fn pre_requires(self, d: &str) -> Self {
        self.with(DepKind::Requires, d, true)
    }
    fn provides(self, d: &str) -> Self {
        self.with(DepKind::Provides, d, false)
    }
    fn conflicts(self, d: &str) -> Self {
        self.with(DepKind::Conflicts, d, false)
    }
    fn obsoletes(self, d: &str) -> Self {
        self.with(DepKind::Obsoletes, d, false)
    }
    fn recommends(self, d: &str) -> Self {
        self.with(DepKind::Recommends, d, false)
    }
    fn supplements(self, d: &str) -> Self {
        self.with(DepKind::Supplements, d, false)
    }
    fn suggests(self, d: &str) -> Self {
        self.with(DepKind::Suggests, d, false)
    }
    fn file(mut self, f: &str) -> Self {
        self.package.files.push(f.into());
        self
    }
}

fn pool(pkgs: Vec<P>) -> Pool {
    pool_with_comps(pkgs, Comps::default())
}

fn pool_with_comps(pkgs: Vec<P>, comps: Comps) -> Pool {
    let mut contents = RepoPackages::new();
    for p in pkgs {
        contents.push(p.package, p.deps);
    }
    Pool::new(
        ArchPolicy::new("x86_64", false).unwrap(),
        vec![],
        vec![contents],
        comps,
    )
}

fn request(specs: &[&str]) -> Request {
    Request::specs(specs)
}

fn nevras(pool: &Pool, req: &Request) -> Vec<String> {
    let t = solve(pool, req).unwrap_or_else(|e| panic!("{e}"));
    t.packages.iter().map(|&id| pool.get(id).nevra()).collect()
}

fn install(pool: &Pool, specs: &[&str]) -> Vec<String> {
    nevras(pool, &request(specs))
}

fn error(pool: &Pool, req: &Request) -> String {
    match solve(pool, req) {
        Ok(t) => panic!(
            "expected failure, got {:?}",
            t.packages
                .iter()
                .map(|&i| pool.get(i).nevra())
                .collect::<Vec<_>>()
        ),
        Err(e) => e.to_string(),
    }
}

#[test]
fn versioned_requires_pick_highest_matching() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("b >= 2"),
        pkg("b-1.0-1.x86_64"),
        pkg("b-2.0-1.x86_64"),
        pkg("b-3.0-1.x86_64"),
        pkg("c-1.0-1.x86_64").requires("b < 3"),
    ]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64", "b-3.0-1.x86_64"]);
    assert_eq!(
        install(&p, &["a", "c"]),
        ["a-1.0-1.x86_64", "b-2.0-1.x86_64", "c-1.0-1.x86_64"]
    );
}

#[test]
fn release_less_requirement_matches_any_release() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("b = 2.0"),
        pkg("b-2.0-7.x86_64"),
        pkg("b-2.1-1.x86_64"),
    ]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64", "b-2.0-7.x86_64"]);
}

#[test]
fn provides_and_file_requires() {
    let p = pool(vec![
        pkg("app-1.0-1.x86_64")
            .requires("/bin/sh")
            .requires("libfoo.so.1()(64bit)")
            .requires("config(app) = 1.0-1"),
        pkg("bash-5.1-1.x86_64").file("/bin/sh"),
        pkg("libfoo-1.0-1.x86_64").provides("libfoo.so.1()(64bit)"),
        pkg("app-conf-1.0-1.noarch").provides("config(app) = 1.0-1"),
    ]);
    assert_eq!(
        install(&p, &["app"]),
        [
            "app-1.0-1.x86_64",
            "app-conf-1.0-1.noarch",
            "bash-5.1-1.x86_64",
            "libfoo-1.0-1.x86_64"
        ]
    );
    // Requested by capability, too.
    assert_eq!(install(&p, &["/bin/sh"]), ["bash-5.1-1.x86_64"]);
    assert_eq!(
        install(&p, &["libfoo.so.1()(64bit)"]),
        ["libfoo-1.0-1.x86_64"]
    );
}

#[test]
fn versioned_provides_are_ranges() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("virt >= 2"),
        pkg("old-1.0-1.x86_64").provides("virt = 1"),
        pkg("new-1.0-1.x86_64").provides("virt = 3"),
        // An unversioned provide satisfies any versioned requirement.
        pkg("any-1.0-1.x86_64").provides("other"),
        pkg("b-1.0-1.x86_64").requires("other > 5"),
    ]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64", "new-1.0-1.x86_64"]);
    assert_eq!(install(&p, &["b"]), ["any-1.0-1.x86_64", "b-1.0-1.x86_64"]);
}

#[test]
fn epochs_win_over_versions() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("c >= 1:0.1"),
        pkg("c-9.0-1.x86_64"),
        pkg("c-1:0.5-1.x86_64"),
    ]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64", "c-1:0.5-1.x86_64"]);
    // Highest EVR is the epoch-1 build even for a plain name request.
    assert_eq!(install(&p, &["c"]), ["c-1:0.5-1.x86_64"]);
}

#[test]
fn implicit_name_provide() {
    // No explicit `name = evr` provide: rpm provides it anyway.
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("b >= 1.5"),
        pkg("b-2.0-1.x86_64"),
    ]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64", "b-2.0-1.x86_64"]);
}

#[test]
fn noarch_and_arch() {
    let p = pool(vec![
        pkg("d-1.0-1.noarch"),
        pkg("d-1.0-1.x86_64"),
        pkg("e-1.0-1.x86_64"),
        pkg("e-2.0-1.noarch"),
    ]);
    // The higher EVR wins; at the same EVR, pool order decides (noarch
    // comes first here), as libsolv decides it: checked with python3-solv.
    assert_eq!(
        install(&p, &["d", "e"]),
        ["d-1.0-1.noarch", "e-2.0-1.noarch"]
    );
}

#[test]
fn one_version_per_name() {
    let p = pool(vec![
        pkg("lib-1.0-1.x86_64"),
        pkg("lib-2.0-1.x86_64"),
        pkg("old-1.0-1.x86_64").requires("lib = 1.0"),
        pkg("new-1.0-1.x86_64").requires("lib >= 2"),
    ]);
    assert_eq!(
        install(&p, &["old"]),
        ["lib-1.0-1.x86_64", "old-1.0-1.x86_64"]
    );
    let e = error(&p, &request(&["old", "new"]));
    assert!(e.contains("lib"), "{e}");
}

#[test]
fn rpmlib_and_self_requires_are_ignored() {
    let p = pool(vec![pkg("a-1.0-1.x86_64")
        .requires("rpmlib(PayloadIsZstd) <= 5.4.18-1")
        .requires("/usr/bin/a")
        .requires("a(cap)")
        .provides("a(cap)")
        .file("/usr/bin/a")]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64"]);
}

#[test]
fn pre_requires_count() {
    let a = pkg("a-1.0-1.x86_64").pre_requires("/bin/sh");
    let p = pool(vec![a, pkg("bash-1-1.x86_64").file("/bin/sh")]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64", "bash-1-1.x86_64"]);
}

#[test]
fn obsoletes_match_names_only() {
    let p = pool(vec![
        pkg("newtool-2.0-1.x86_64")
            .obsoletes("oldtool < 2")
            .provides("oldtool = 2.0"),
        pkg("oldtool-1.0-1.x86_64"),
        // Provides the obsoleted name's capability but is not named oldtool.
        pkg("shim-1.0-1.x86_64").provides("oldtool = 1.0"),
        pkg("user-1.0-1.x86_64").requires("oldtool"),
    ]);
    // Asking for oldtool by name installs its obsoleter, as dnf does.
    assert_eq!(install(&p, &["oldtool"]), ["newtool-2.0-1.x86_64"]);
    assert_eq!(
        install(&p, &["newtool", "oldtool"]),
        ["newtool-2.0-1.x86_64"]
    );
    // Asked for by version, the old one is what is wanted: they clash.
    let e = error(&p, &request(&["newtool", "oldtool-1.0"]));
    assert!(
        e.contains(
            "package newtool-2.0-1.x86_64 obsoletes oldtool < 2 provided by oldtool-1.0-1.x86_64"
        ),
        "{e}"
    );
    assert_eq!(
        install(&p, &["newtool", "shim"]),
        ["newtool-2.0-1.x86_64", "shim-1.0-1.x86_64"]
    );
    // `oldtool` has providers of several names; the obsoleted one is avoided.
    assert_eq!(
        install(&p, &["newtool", "user"]),
        ["newtool-2.0-1.x86_64", "user-1.0-1.x86_64"]
    );
}

#[test]
fn conflicts_steer_and_fail() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").conflicts("b >= 2"),
        pkg("b-1.0-1.x86_64"),
        pkg("b-2.0-1.x86_64"),
        pkg("c-1.0-1.x86_64").conflicts("/usr/bin/tool"),
        pkg("tool-1.0-1.x86_64").file("/usr/bin/tool"),
    ]);
    assert_eq!(
        install(&p, &["a", "b"]),
        ["a-1.0-1.x86_64", "b-1.0-1.x86_64"]
    );
    let e = error(&p, &request(&["a", "b >= 2"]));
    assert!(
        e.contains("package a-1.0-1.x86_64 conflicts with b >= 2 provided by b-2.0-1.x86_64 (requested as 'b >= 2')"),
        "{e}"
    );
    let e = error(&p, &request(&["c", "tool"]));
    assert!(
        e.contains(
            "package c-1.0-1.x86_64 conflicts with /usr/bin/tool provided by tool-1.0-1.x86_64"
        ),
        "{e}"
    );
}

#[test]
fn self_conflict_is_ignored() {
    let p = pool(vec![pkg("a-1.0-1.x86_64").provides("mta").conflicts("mta")]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64"]);
}

#[test]
fn missing_capability_names_it_and_the_requirer() {
    let p = pool(vec![
        pkg("app-1.0-1.x86_64").requires("bar"),
        pkg("bar-1.0-1.x86_64").requires("libfoo.so.1()(64bit)"),
    ]);
    let e = error(&p, &request(&["app"]));
    assert!(
        e.contains("nothing provides libfoo.so.1()(64bit) needed by bar-1.0-1.x86_64"),
        "{e}"
    );
    let e = error(&p, &request(&["xyz"]));
    assert_eq!(e, "no match for argument: xyz");
    let e = error(&p, &request(&["bar >= 2"]));
    assert_eq!(e, "no match for argument: bar >= 2");
}

#[test]
fn exclude_patterns_remove_packages() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("mta"),
        pkg("postfix-1.0-1.x86_64").provides("mta"),
        pkg("sendmail-1.0-1.x86_64").provides("mta"),
        pkg("doc-1.0-1.noarch"),
    ]);
    // postfix sorts first, so it is the default choice ...
    assert_eq!(
        install(&p, &["a"]),
        ["a-1.0-1.x86_64", "postfix-1.0-1.x86_64"]
    );
    // ... unless excluded.
    let req = Request {
        exclude: vec!["post*".into()],
        ..request(&["a"])
    };
    assert_eq!(
        nevras(&p, &req),
        ["a-1.0-1.x86_64", "sendmail-1.0-1.x86_64"]
    );
    let req = Request {
        exclude: vec!["post*".into(), "send?ail".into()],
        ..request(&["a"])
    };
    let e = error(&p, &req);
    assert!(
        e.contains("sendmail-1.0-1.x86_64 (excluded by the pattern 'send?ail')"),
        "{e}"
    );
    let req = Request {
        exclude: vec!["do*".into()],
        ..request(&["doc"])
    };
    let e = error(&p, &req);
    assert_eq!(
        e,
        "no match for argument: doc (doc-1.0-1.noarch is excluded by the pattern 'do*')"
    );
    let req = Request {
        exclude: vec!["[".into()],
        ..request(&["a"])
    };
    assert!(matches!(
        solve(&p, &req),
        Err(SolveError::BadPattern { .. })
    ));
}

#[test]
fn weak_dependencies_on_and_off() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64")
            .recommends("helper")
            .recommends("broken")
            .recommends("nothing-provides-this"),
        pkg("helper-1.0-1.x86_64").recommends("helper-extra"),
        pkg("helper-extra-1.0-1.noarch"),
        pkg("broken-1.0-1.x86_64").requires("missing-lib"),
        pkg("lang-en-1.0-1.noarch").supplements("(a and langsupport)"),
        pkg("langsupport-1.0-1.noarch").supplements("a"),
        pkg("unrelated-1.0-1.noarch").supplements("(a and other)"),
    ]);
    assert_eq!(
        install(&p, &["a"]),
        [
            "a-1.0-1.x86_64",
            "helper-1.0-1.x86_64",
            "helper-extra-1.0-1.noarch",
            "lang-en-1.0-1.noarch",
            "langsupport-1.0-1.noarch"
        ]
    );
    let req = Request {
        weak_deps: false,
        ..request(&["a"])
    };
    assert_eq!(nevras(&p, &req), ["a-1.0-1.x86_64"]);
    // An excluded recommendation is skipped, not an error.
    let req = Request {
        exclude: vec!["helper".into()],
        ..request(&["a"])
    };
    assert_eq!(
        nevras(&p, &req),
        [
            "a-1.0-1.x86_64",
            "lang-en-1.0-1.noarch",
            "langsupport-1.0-1.noarch"
        ]
    );
}

#[test]
fn weak_dependency_never_breaks_hard_choice() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").recommends("b").requires("c"),
        pkg("b-1.0-1.x86_64").conflicts("c"),
        pkg("c-1.0-1.x86_64"),
    ]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64", "c-1.0-1.x86_64"]);
}

#[test]
fn rich_or_and() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("(sudo or polkit)"),
        pkg("polkit-1.0-1.x86_64"),
        pkg("sudo-1.0-1.x86_64"),
        pkg("b-1.0-1.x86_64").requires("(sudo and polkit)"),
        pkg("c-1.0-1.x86_64").requires("(missing or polkit)"),
    ]);
    assert_eq!(
        install(&p, &["a"]),
        ["a-1.0-1.x86_64", "polkit-1.0-1.x86_64"]
    );
    assert_eq!(
        install(&p, &["b"]),
        ["b-1.0-1.x86_64", "polkit-1.0-1.x86_64", "sudo-1.0-1.x86_64"]
    );
    assert_eq!(
        install(&p, &["c"]),
        ["c-1.0-1.x86_64", "polkit-1.0-1.x86_64"]
    );
    assert_eq!(
        install(&p, &["sudo", "a"]),
        ["a-1.0-1.x86_64", "sudo-1.0-1.x86_64"]
    );
}

#[test]
fn rich_if_else_unless() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("(plugin if systemd)"),
        pkg("plugin-1.0-1.x86_64"),
        pkg("systemd-1.0-1.x86_64"),
        pkg("b-1.0-1.x86_64").requires("(x if systemd else y)"),
        pkg("x-1.0-1.x86_64"),
        pkg("y-1.0-1.x86_64"),
        pkg("c-1.0-1.x86_64").requires("(x unless systemd)"),
        // A versioned condition: only the new systemd triggers it.
        pkg("d-1.0-1.x86_64").requires("(plugin if systemd >= 2)"),
        pkg("e-1.0-1.x86_64").requires("(nothing-has-this if systemd)"),
    ]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64"]);
    assert_eq!(
        install(&p, &["a", "systemd"]),
        [
            "a-1.0-1.x86_64",
            "plugin-1.0-1.x86_64",
            "systemd-1.0-1.x86_64"
        ]
    );
    // Both (systemd, x) and (y) satisfy b; libsolv also picks the former
    // (alternatives in name order), checked with testsolv.
    assert_eq!(
        install(&p, &["b"]),
        ["b-1.0-1.x86_64", "systemd-1.0-1.x86_64", "x-1.0-1.x86_64"]
    );
    let req = Request {
        exclude: vec!["systemd".into()],
        ..request(&["b"])
    };
    assert_eq!(nevras(&p, &req), ["b-1.0-1.x86_64", "y-1.0-1.x86_64"]);
    assert_eq!(
        install(&p, &["b", "systemd"]),
        ["b-1.0-1.x86_64", "systemd-1.0-1.x86_64", "x-1.0-1.x86_64"]
    );
    // `unless` is "a and not b" (rpm, libsolv): c keeps systemd out.
    assert_eq!(install(&p, &["c"]), ["c-1.0-1.x86_64", "x-1.0-1.x86_64"]);
    let e = error(&p, &request(&["c", "systemd"]));
    assert!(e.contains("package c-1.0-1.x86_64 requires (x unless systemd), which systemd-1.0-1.x86_64 rules out"), "{e}");
    assert_eq!(
        install(&p, &["d", "systemd"]),
        ["d-1.0-1.x86_64", "systemd-1.0-1.x86_64"]
    );
    assert_eq!(install(&p, &["e"]), ["e-1.0-1.x86_64"]);
    let e = error(&p, &request(&["e", "systemd"]));
    assert!(
        e.contains(
            "package e-1.0-1.x86_64 requires (nothing-has-this if systemd) (nothing provides nothing-has-this), \
             which systemd-1.0-1.x86_64 rules out"
        ),
        "{e}"
    );
}

#[test]
fn rich_condition_with_partial_name_match() {
    // Only systemd-2 satisfies the condition; systemd-1 must not trigger it.
    let p = pool(vec![
        pkg("d-1.0-1.x86_64").requires("(plugin if systemd >= 2)"),
        pkg("plugin-1.0-1.x86_64"),
        pkg("systemd-1.0-1.x86_64"),
        pkg("systemd-2.0-1.x86_64"),
    ]);
    assert_eq!(
        install(&p, &["d", "systemd < 2"]),
        ["d-1.0-1.x86_64", "systemd-1.0-1.x86_64"]
    );
    assert_eq!(
        install(&p, &["d", "systemd"]),
        [
            "d-1.0-1.x86_64",
            "plugin-1.0-1.x86_64",
            "systemd-2.0-1.x86_64"
        ]
    );
}

#[test]
fn rich_with_needs_one_package() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("(py(idna) < 3 with py(idna) >= 2.5)"),
        pkg("idna-old-1.0-1.noarch").provides("py(idna) = 2.0"),
        pkg("idna-new-1.0-1.noarch").provides("py(idna) = 3.1"),
        pkg("idna-mid-1.0-1.noarch").provides("py(idna) = 2.8"),
    ]);
    assert_eq!(
        install(&p, &["a"]),
        ["a-1.0-1.x86_64", "idna-mid-1.0-1.noarch"]
    );
}

#[test]
fn rich_conflicts() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").conflicts("(b and c)"),
        pkg("b-1.0-1.x86_64"),
        pkg("c-1.0-1.x86_64"),
    ]);
    assert_eq!(
        install(&p, &["a", "b"]),
        ["a-1.0-1.x86_64", "b-1.0-1.x86_64"]
    );
    let e = error(&p, &request(&["a", "b", "c"]));
    assert!(
        e.contains("package a-1.0-1.x86_64 conflicts with (b and c)"),
        "{e}"
    );
}

#[test]
fn malformed_rich_dependency_names_package_and_string() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("(b or c and d)"),
        pkg("b-1-1.x86_64"),
    ]);
    let e = error(&p, &request(&["a"]));
    assert!(
        e.contains("(b or c and d)") && e.contains("a-1.0-1.x86_64") && e.contains("malformed"),
        "{e}"
    );
    // As a weak dependency it is skipped.
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").recommends("r"),
        pkg("r-1-1.x86_64").requires("(b or c and d)"),
    ]);
    assert_eq!(install(&p, &["a"]), ["a-1.0-1.x86_64"]);
}

#[test]
fn weak_hints_choose_among_alternatives() {
    // glibc requires glibc-langpack and suggests glibc-minimal-langpack.
    let p = pool(vec![
        pkg("glibc-2.34-1.x86_64")
            .requires("glibc-langpack")
            .suggests("glibc-minimal-langpack"),
        pkg("glibc-all-langpacks-2.34-1.x86_64").provides("glibc-langpack"),
        pkg("glibc-langpack-en-2.34-1.x86_64").provides("glibc-langpack"),
        pkg("glibc-minimal-langpack-2.34-1.x86_64").provides("glibc-langpack"),
        pkg("app-1-1.x86_64").requires("mta").recommends("postfix"),
        pkg("exim-1-1.x86_64").provides("mta"),
        pkg("postfix-1-1.x86_64").provides("mta"),
    ]);
    let req = Request {
        weak_deps: false,
        ..request(&["glibc", "app"])
    };
    assert_eq!(
        nevras(&p, &req),
        [
            "app-1-1.x86_64",
            "glibc-2.34-1.x86_64",
            "glibc-minimal-langpack-2.34-1.x86_64",
            "postfix-1-1.x86_64"
        ]
    );
}

#[test]
fn deterministic() {
    let p = pool(vec![
        pkg("a-1.0-1.x86_64").requires("mta").requires("(x or y)"),
        pkg("postfix-1.0-1.x86_64").provides("mta"),
        pkg("exim-1.0-1.x86_64").provides("mta"),
        pkg("x-1-1.noarch"),
        pkg("y-1-1.noarch"),
    ]);
    let first = install(&p, &["a"]);
    for _ in 0..20 {
        assert_eq!(install(&p, &["a"]), first);
    }
}

#[test]
fn multilib_installs_every_arch_of_a_request() {
    let arch = ArchPolicy::new("x86_64", true).unwrap();
    let mut contents = RepoPackages::new();
    for p in [
        pkg("zlib-1.2-1.x86_64"),
        pkg("zlib-1.2-1.i686").requires("libc.so.6"),
        pkg("glibc-2.34-1.x86_64").provides("libc.so.6()(64bit)"),
        pkg("glibc-2.34-1.i686").provides("libc.so.6"),
        pkg("tool-1.0-1.x86_64").requires("libc.so.6()(64bit)"),
    ] {
        contents.push(p.package, p.deps);
    }
    let p = Pool::new(arch, vec![], vec![contents], Comps::default());
    // Without multilib, the best arch only.
    assert_eq!(install(&p, &["zlib"]), ["zlib-1.2-1.x86_64"]);
    let req = Request {
        multilib: true,
        ..request(&["zlib", "tool"])
    };
    assert_eq!(
        nevras(&p, &req),
        [
            "glibc-2.34-1.i686",
            "glibc-2.34-1.x86_64",
            "tool-1.0-1.x86_64",
            "zlib-1.2-1.i686",
            "zlib-1.2-1.x86_64"
        ]
    );
}
