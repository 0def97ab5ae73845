//! Helpers shared by the tests (`tests/*.rs`) and the benches (`benches/*.rs`).
//!
//! - [`distro`] builds the test distribution (`tests/distro/build.sh`) once,
//!   into `target/test-distro` (or `$ROOTSMITH_TEST_DISTRO`).
//! - [`dnf_reference`] installs a package set with the real dnf into an
//!   installroot, the reference rootsmith is compared against.
//! - [`rootsmith`] runs the binary under test with a timeout.
//! - [`read_archive`] / [`scan_root`] describe a tar archive / a directory
//!   tree in the same terms, for comparisons.
//!
//! A peer tool that is missing is reported as `NOT RUN: <test>: <why>` on the
//! real stderr (not captured by the test harness) and the test returns early.
//! With `ROOTSMITH_E2E_STRICT=1` (set by `.ci/run`) a missing tool fails the
//! test instead, so CI never passes by skipping.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub mod dnf_ref;
pub mod fixtures;
pub mod generated;
pub mod http;
pub mod repodata;

pub const ARCHES: [&str; 2] = ["x86_64", "aarch64"];

/// The rpm query format that prints `name-[epoch:]version-release.arch`,
/// the form `rootsmith resolve` prints.
pub const NEVRA_QF: &str = "%{NAME}-%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}.%{ARCH}\\n";

// ---------------------------------------------------------------- locations

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/distro`: specs, kickstarts, compose config.
pub fn distro_src() -> PathBuf {
    manifest_dir().join("tests/distro")
}

/// `tests/distro/ts.ks`
pub fn kickstart() -> PathBuf {
    distro_src().join("ts.ks")
}

/// Where the distro is built: `$ROOTSMITH_TEST_DISTRO` or
/// `<repo>/target/test-distro` (the path `tests/distro/ts-compose.toml`
/// points at, so keep them in step).
pub fn distro_dir() -> PathBuf {
    match std::env::var_os("ROOTSMITH_TEST_DISTRO") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => manifest_dir().join("target/test-distro"),
    }
}

/// A program of the test venv that scripts/install-test-deps.sh makes
/// (`$ROOTSMITH_TEST_DEPS/venv/bin`, default `target/test-deps`):
/// pykickstart's python, PyPI's createrepo_c.
pub fn venv_bin(name: &str) -> PathBuf {
    let deps = std::env::var_os("ROOTSMITH_TEST_DEPS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("target/test-deps"));
    deps.join("venv/bin").join(name)
}

pub fn default_distro_location() -> bool {
    distro_dir() == manifest_dir().join("target/test-distro")
}

/// A fresh temporary directory under `target/tmp` (cargo's per-package
/// temp dir), removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    fs::create_dir_all(&base).unwrap();
    tempfile::Builder::new()
        .prefix("e2e-")
        .tempdir_in(base)
        .unwrap()
}

// ---------------------------------------------------------------- skipping

/// Why a test cannot run here (a missing peer tool, not root, ...).
#[derive(Debug, Clone)]
pub struct Skip(pub String);

/// Report a test that cannot run. Loud: written to the real stderr, past the
/// harness's capture. In strict mode (`ROOTSMITH_E2E_STRICT=1`) it panics.
pub fn not_run(test: &str, why: &str) {
    let msg = format!("NOT RUN: {test}: {why}");
    if strict() {
        panic!("{msg} (ROOTSMITH_E2E_STRICT=1: missing prerequisites fail)");
    }
    let mut e = io::stderr().lock();
    let _ = writeln!(e, "\n*** {msg} ***");
    let _ = e.flush();
}

pub fn strict() -> bool {
    matches!(
        std::env::var("ROOTSMITH_E2E_STRICT").as_deref(),
        Ok("1") | Ok("true") | Ok("yes")
    )
}

/// Unwrap a `Result<T, Skip>` or report NOT RUN and return from the test.
#[macro_export]
macro_rules! need {
    ($test:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err($crate::support::Skip(why)) => {
                $crate::support::not_run($test, &why);
                return;
            }
        }
    };
}

pub fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(tool))
        .find(|p| {
            p.metadata()
                .map(|m| m.is_file() && m.mode() & 0o111 != 0)
                .unwrap_or(false)
        })
}

/// `Err(Skip("<tool> missing"))` for the first missing tool.
pub fn tools(list: &[&str]) -> Result<(), Skip> {
    for t in list {
        if which(t).is_none() {
            return Err(Skip(format!(
                "{t} missing (run scripts/install-test-deps.sh)"
            )));
        }
    }
    Ok(())
}

pub fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

/// dnf/rpm installroots set owners and modes for real: root is needed.
pub fn need_root() -> Result<(), Skip> {
    if is_root() {
        Ok(())
    } else {
        Err(Skip("needs root (dnf --installroot sets owners)".into()))
    }
}

// ---------------------------------------------------------------- the distro

pub struct Distro {
    pub dir: PathBuf,
}

impl Distro {
    /// The repository of one arch (a directory with repodata/).
    pub fn repo(&self, arch: &str) -> PathBuf {
        self.dir.join(arch)
    }
    /// `ts=PATH`, for `rootsmith --repo`.
    pub fn repo_arg(&self, arch: &str) -> String {
        format!("ts={}", self.repo(arch).display())
    }
    /// A short hash of both repomd.xml files: keys caches of reference roots.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for a in ARCHES {
            h.update(fs::read(self.repo(a).join("repodata/repomd.xml")).unwrap());
        }
        hex(&h.finalize())[..16].to_string()
    }
}

/// Build (or reuse) the test distribution. Once per test process; across
/// processes `build.sh` serialises on a lock file and skips an up-to-date
/// build.
pub fn distro() -> Result<&'static Distro, Skip> {
    static D: OnceLock<Result<Distro, Skip>> = OnceLock::new();
    D.get_or_init(build_distro).as_ref().map_err(|e| e.clone())
}

fn build_distro() -> Result<Distro, Skip> {
    tools(&["rpmbuild", "createrepo_c", "flock", "sha256sum"])?;
    let dir = distro_dir();
    let out = Command::new("bash")
        .arg(distro_src().join("build.sh"))
        .arg(&dir)
        .stdin(Stdio::null())
        .output()
        .expect("run tests/distro/build.sh");
    match out.status.code() {
        Some(0) => Ok(Distro { dir }),
        // build.sh: 3 = a tool or a busybox binary is missing
        Some(3) => Err(Skip(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        )),
        _ => panic!(
            "tests/distro/build.sh {} failed: {}\n{}{}",
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// The busybox binary the distro ships for `arch` (for content checks).
pub fn busybox_for(arch: &str) -> PathBuf {
    let var = format!("TS_BUSYBOX_{}", arch.to_uppercase());
    if let Some(p) = std::env::var_os(var) {
        return PathBuf::from(p);
    }
    match arch {
        "x86_64" => PathBuf::from("/bin/busybox"),
        "aarch64" => manifest_dir().join("target/test-deps/busybox-arm64/bin/busybox"),
        _ => panic!("no busybox for {arch}"),
    }
}

// ---------------------------------------------------------------- kickstart

/// What a kickstart's `%packages` sections ask for, merged across `%include`
/// with pykickstart's rules. A deliberately small reader, enough for the
/// kickstarts in tests/distro: it turns them into dnf arguments for the
/// reference install.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct KsPackages {
    pub install: Vec<String>,
    pub exclude: Vec<String>,
    pub exclude_weakdeps: bool,
}

pub fn ks_packages(path: &Path) -> KsPackages {
    let mut acc = KsPackages::default();
    ks_walk(path, &mut acc);
    acc
}

fn ks_walk(path: &Path, acc: &mut KsPackages) {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("read kickstart {}: {e}", path.display()));
    let mut in_packages = false;
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if in_packages {
            if l == "%end" {
                in_packages = false;
            } else if let Some(x) = l.strip_prefix('-') {
                acc.install.retain(|p| p != x);
                if !acc.exclude.iter().any(|p| p == x) {
                    acc.exclude.push(x.to_string());
                }
            } else {
                let spec = ks_group_spec(l);
                acc.exclude.retain(|p| *p != spec);
                if !acc.install.contains(&spec) {
                    acc.install.push(spec);
                }
            }
        } else if let Some(inc) = l.strip_prefix("%include") {
            let inc = inc.trim();
            ks_walk(&path.parent().unwrap().join(inc), acc);
        } else if l.starts_with("%packages") {
            in_packages = true;
            if l.split_whitespace()
                .any(|o| o == "--exclude-weakdeps" || o == "--excludeWeakdeps")
            {
                acc.exclude_weakdeps = true;
            }
        }
    }
}

/// A `%packages` line as a dnf spec. A group line with options becomes
/// the `@group/types` spec Anaconda gives dnf (pyanaconda's
/// GROUP_PACKAGE_TYPES_REQUIRED for `--nodefaults`, _ALL for `--optional`);
/// anything else is the spec itself.
fn ks_group_spec(line: &str) -> String {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or_default();
    let opts: Vec<&str> = words.collect();
    if !first.starts_with('@') || opts.is_empty() {
        return line.to_string();
    }
    let types = if opts.contains(&"--optional") {
        "mandatory,default,conditional,optional"
    } else if opts.contains(&"--nodefaults") {
        "mandatory,conditional"
    } else {
        return first.to_string();
    };
    format!("{first}/{types}")
}

// ---------------------------------------------------------------- dnf reference

/// Install `install` (dnf specs: names, `@group`, file paths) from the test
/// repo of `arch` into a fresh installroot with the real dnf. Returns the
/// root directory. Cached per (arch, weak, specs, excludes, repo contents)
/// under `<distro>-ref/`, completed roots only (built aside, then renamed).
pub fn dnf_reference(
    distro: &Distro,
    arch: &str,
    weak_deps: bool,
    install: &[String],
    exclude: &[String],
) -> Result<PathBuf, Skip> {
    tools(&["dnf", "rpm"])?;
    need_root()?;
    static LOCK: Mutex<()> = Mutex::new(());
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());

    let mut h = Sha256::new();
    h.update(format!("{arch}\0{weak_deps}\0{install:?}\0{exclude:?}\0"));
    let fp = distro.fingerprint();
    let key = format!("{fp}-{}", &hex(&h.finalize())[..16]);
    let base = PathBuf::from(format!("{}-ref", distro.dir.display()));
    let done = base.join(&key);
    if done.join("root").is_dir() {
        return Ok(done.join("root"));
    }
    fs::create_dir_all(&base).unwrap();
    // Roots made from an older build of the distro are of no use any more.
    for e in fs::read_dir(&base).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && !name.starts_with(&fp) {
            let _ = fs::remove_dir_all(e.path());
        }
    }
    let work = base.join(format!(".tmp-{key}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    let out = dnf_install(distro, arch, weak_deps, install, exclude, &work);
    fs::write(
        work.join("dnf.log"),
        [&out.stdout[..], &out.stderr[..]].concat(),
    )
    .unwrap();
    if !out.status.success() {
        panic!(
            "reference dnf install failed ({arch}, weak={weak_deps}, {install:?}, -x {exclude:?}): {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    match fs::rename(&work, &done) {
        Ok(()) => {}
        Err(_) if done.join("root").is_dir() => {
            // Another process finished the same root first.
            let _ = fs::remove_dir_all(&work);
        }
        Err(e) => panic!("rename {} -> {}: {e}", work.display(), done.display()),
    }
    Ok(done.join("root"))
}

/// Try a dnf install into a throw-away root; the Output says how it went.
pub fn dnf_attempt(distro: &Distro, arch: &str, install: &[String]) -> Result<Output, Skip> {
    tools(&["dnf", "rpm"])?;
    need_root()?;
    let tmp = tempdir();
    Ok(dnf_install(distro, arch, true, install, &[], tmp.path()))
}

/// `dnf install` into `work/root`, with `work/home` as HOME (holding an
/// .rpmmacros) and a private dnf.conf written to `work/dnf.conf`.
fn dnf_install(
    distro: &Distro,
    arch: &str,
    weak_deps: bool,
    install: &[String],
    exclude: &[String],
    work: &Path,
) -> Output {
    dnf_install_from(&distro.repo(arch), arch, weak_deps, install, exclude, work)
}

/// `dnf install` from the repository at `repo` (named `ts`) into `work/root`.
pub fn dnf_install_from(
    repo: &Path,
    arch: &str,
    weak_deps: bool,
    install: &[String],
    exclude: &[String],
    work: &Path,
) -> Output {
    fs::create_dir_all(work.join("home")).unwrap();
    // Debian's rpm keeps its database in ~/.rpmdb unless told otherwise.
    fs::write(work.join("home/.rpmmacros"), "%_dbpath /var/lib/rpm\n").unwrap();
    // Our own dnf.conf: the host's (Debian's best=False,
    // skip_if_unavailable=True) must not leak in.
    fs::write(
        work.join("dnf.conf"),
        format!(
            "[main]\ngpgcheck=False\nreposdir=/dev/null\ninstall_weak_deps={}\n\
             skip_if_unavailable=False\nkeepcache=False\nplugins=False\n",
            if weak_deps { "True" } else { "False" }
        ),
    )
    .unwrap();
    let mut cmd = Command::new("dnf");
    cmd.env("HOME", work.join("home"))
        .env("LC_ALL", "C.UTF-8")
        .arg("-y")
        .arg(format!("--config={}", work.join("dnf.conf").display()))
        .arg(format!("--installroot={}", work.join("root").display()))
        .arg("--releasever=1")
        .arg(format!("--forcearch={arch}"))
        .arg("--setopt=reposdir=/dev/null")
        .arg(format!("--repofrompath=ts,{}", repo.display()))
        .arg("--repo=ts")
        .arg("--nogpgcheck")
        .arg(format!(
            "--setopt=install_weak_deps={}",
            if weak_deps { "True" } else { "False" }
        ))
        // rootsmith does not run scriptlets (the distro has none); for
        // aarch64 this also keeps qemu out of it.
        .arg("--setopt=tsflags=noscripts");
    for x in exclude {
        cmd.arg(format!("--exclude={x}"));
    }
    // `@group/types` (what Anaconda passes dnf's install_specs for a
    // kickstart's `--nodefaults`/`--optional`) is not `dnf install` syntax:
    // the command takes the types from group_package_types.
    let mut types: Option<&str> = None;
    let install: Vec<&str> = install
        .iter()
        .map(|spec| match spec.split_once('/') {
            Some((group, t)) if group.starts_with('@') => {
                assert!(
                    types.is_none() || types == Some(t),
                    "one set of group types per dnf install: {install:?}"
                );
                types = Some(t);
                group
            }
            _ => spec.as_str(),
        })
        .collect();
    if let Some(t) = types {
        cmd.arg(format!("--setopt=group_package_types={t}"));
    }
    cmd.arg("install").args(install);
    cmd.stdin(Stdio::null()).output().expect("run dnf")
}

/// The reference root for tests/distro/ts.ks, as anaconda would install it:
/// `%packages` names and groups installed, `-name` lines excluded.
pub fn dnf_reference_ks(distro: &Distro, arch: &str, weak_deps: bool) -> Result<PathBuf, Skip> {
    let ks = ks_packages(&kickstart());
    dnf_reference(
        distro,
        arch,
        weak_deps && !ks.exclude_weakdeps,
        &ks.install,
        &ks.exclude,
    )
}

/// `rpm --root ROOT --dbpath /var/lib/rpm -qa` as sorted `name-[e:]v-r.a`.
pub fn rpm_qa(root: &Path) -> Vec<String> {
    let out = rpm(
        root,
        &["-qa", "--qf", NEVRA_QF.replace("\\n", "\n").as_str()],
    );
    assert!(
        out.status.success(),
        "rpm -qa in {} failed: {}",
        root.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

/// Run rpm against a root with the rpmdb at /var/lib/rpm.
pub fn rpm(root: &Path, args: &[&str]) -> Output {
    let home = tempdir();
    Command::new("rpm")
        .env("HOME", home.path())
        .env("LC_ALL", "C.UTF-8")
        .arg("--root")
        .arg(root)
        .arg("--dbpath")
        .arg("/var/lib/rpm")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run rpm")
}

/// Every path the installed packages own (`rpm -qal`), including %ghost and
/// directories.
pub fn rpm_owned_paths(root: &Path) -> BTreeSet<String> {
    let out = rpm(root, &["-qal"]);
    assert!(
        out.status.success(),
        "rpm -qal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with('/'))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------- rootsmith

/// The binary under test: cargo's build of rootsmith, or `$ROOTSMITH_BIN`
/// (to run the suite against an installed or release build).
pub fn rootsmith_bin() -> PathBuf {
    match std::env::var_os("ROOTSMITH_BIN") {
        Some(b) if !b.is_empty() => PathBuf::from(b),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_rootsmith")),
    }
}

pub struct Run {
    pub status: std::process::ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub cmdline: String,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.status.success()
    }
    /// Panic with the whole story unless the run succeeded.
    pub fn assert_ok(&self) -> &Self {
        assert!(
            self.ok(),
            "`{}` failed: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.cmdline,
            self.status,
            self.stdout,
            self.stderr
        );
        self
    }
    pub fn describe(&self) -> String {
        format!(
            "`{}` -> {}\n--- stdout\n{}\n--- stderr\n{}",
            self.cmdline, self.status, self.stdout, self.stderr
        )
    }
}

/// Run rootsmith with `args`, a private cache dir, a 15 minute limit.
/// `rootsmith build --kickstart tests/distro/ts.ks` for `arch` in `format` to
/// `out`, with extra environment; the build must succeed and write `out`.
pub fn build_ts(
    distro: &Distro,
    arch: &str,
    format: &str,
    out: &Path,
    env: &[(&str, &str)],
) -> Run {
    let ks = kickstart();
    let repo = distro.repo_arg(arch);
    let args = [
        "build",
        "--kickstart",
        ks.to_str().unwrap(),
        "--repo",
        &repo,
        "--arch",
        arch,
        "--format",
        format,
        "-o",
        out.to_str().unwrap(),
    ];
    let run = rootsmith_env(&args, env, None);
    run.assert_ok();
    assert!(
        out.is_file(),
        "`{}` wrote no {}",
        run.cmdline,
        out.display()
    );
    run
}

/// `rootsmith build SPECS --repo r=REPO --arch x86_64 --format rootfs -o TAR`.
pub fn build_rootfs_from(repo: &Path, specs: &[&str], tar: &Path) {
    let repo_arg = format!("r={}", repo.display());
    let mut args = vec!["build"];
    args.extend_from_slice(specs);
    args.extend_from_slice(&[
        "--repo", &repo_arg, "--arch", "x86_64", "--format", "rootfs",
    ]);
    args.extend_from_slice(&["-o", tar.to_str().unwrap()]);
    rootsmith(&args).assert_ok();
}

pub fn rootsmith<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    rootsmith_env(args, &[], None)
}

pub fn rootsmith_env<S: AsRef<std::ffi::OsStr>>(
    args: &[S],
    env: &[(&str, &str)],
    cwd: Option<&Path>,
) -> Run {
    let cache = tempdir();
    let mut cmd = Command::new(rootsmith_bin());
    cmd.args(args)
        .env("XDG_CACHE_HOME", cache.path())
        .env("RUST_BACKTRACE", "0")
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    let cmdline = std::iter::once("rootsmith".to_string())
        .chain(
            args.iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned()),
        )
        .collect::<Vec<_>>()
        .join(" ");
    let out = run_with_timeout(cmd, Duration::from_secs(900))
        .unwrap_or_else(|e| panic!("`{cmdline}`: {e}"));
    Run {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        cmdline,
    }
}

fn run_with_timeout(mut cmd: Command, limit: Duration) -> io::Result<Output> {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let to = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = so.read_to_end(&mut b);
        b
    });
    let te = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = se.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("still running after {limit:?}, killed"),
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Ok(Output {
        status,
        stdout: to.join().unwrap(),
        stderr: te.join().unwrap(),
    })
}

/// Lines of `rootsmith resolve` output, as printed.
pub fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::to_string).collect()
}

/// Check the contract for a failed run: non-zero exit, no panic, one
/// paragraph on stderr that names `names` (each of them).
pub fn assert_clean_failure(run: &Run, names: &[&str]) {
    assert!(
        !run.ok(),
        "expected failure, got success: {}",
        run.describe()
    );
    assert!(
        run.status.code().is_some(),
        "killed by a signal: {}",
        run.describe()
    );
    assert!(
        !run.stderr.contains("panicked"),
        "panicked: {}",
        run.describe()
    );
    let msg = run.stderr.trim();
    assert!(!msg.is_empty(), "nothing on stderr: {}", run.describe());
    assert!(
        !msg.contains("\n\n"),
        "stderr should be one paragraph (no blank lines): {}",
        run.describe()
    );
    for n in names {
        assert!(
            msg.contains(n),
            "stderr does not name {n:?}: {}",
            run.describe()
        );
    }
}

// ---------------------------------------------------------------- trees

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Dir,
    File,
    Symlink,
    Char,
    Block,
    Fifo,
    Other,
}

/// One path of a tree, as a tar archive or a directory describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: Kind,
    /// permission bits incl. setuid/setgid/sticky (mode & 0o7777)
    pub mode: u32,
    pub uid: u64,
    pub gid: u64,
    /// regular files only (0 otherwise)
    pub size: u64,
    pub link: Option<String>,
    /// sha256 of a regular file's content
    pub sha256: Option<String>,
}

/// A tree: absolute paths (`/`, `/etc`, ...) → nodes, plus hardlink sets
/// (each a sorted set of 2+ paths sharing one inode).
#[derive(Debug, Default)]
pub struct Tree {
    pub nodes: BTreeMap<String, Node>,
    pub hardlinks: Vec<BTreeSet<String>>,
    /// paths that appeared more than once in an archive
    pub duplicates: Vec<String>,
}

impl Tree {
    pub fn hardlink_set(&self, path: &str) -> Option<&BTreeSet<String>> {
        self.hardlinks.iter().find(|s| s.contains(path))
    }
}

/// `./usr/bin/` → `/usr/bin`, `./` → `/`
pub fn norm_path(p: &str) -> String {
    let p = p.trim_start_matches("./").trim_start_matches('/');
    let p = p.trim_end_matches('/');
    if p.is_empty() || p == "." {
        "/".to_string()
    } else {
        format!("/{p}")
    }
}

/// Open a possibly compressed stream (xz, gzip, zstd, or plain) by its magic.
pub fn decompress(mut r: Box<dyn Read>) -> Box<dyn Read> {
    let mut magic = [0u8; 6];
    let mut n = 0;
    while n < magic.len() {
        match r.read(&mut magic[n..]).unwrap() {
            0 => break,
            k => n += k,
        }
    }
    let head = io::Cursor::new(magic[..n].to_vec());
    let r = head.chain(r);
    if magic[..n].starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Box::new(liblzma::read::XzDecoder::new_multi_decoder(r))
    } else if magic[..n].starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::MultiGzDecoder::new(r))
    } else if magic[..n].starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(zstd::stream::read::Decoder::new(r).unwrap())
    } else {
        Box::new(r)
    }
}

pub fn is_xz(path: &Path) -> bool {
    let mut m = [0u8; 6];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut m))
        .map(|_| m == [0xfd, b'7', b'z', b'X', b'Z', 0])
        .unwrap_or(false)
}

/// Describe a tar archive (compressed or not).
pub fn read_archive(path: &Path) -> Tree {
    let f = fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    read_tar(decompress(Box::new(io::BufReader::new(f))))
}

pub fn read_tar(r: Box<dyn Read>) -> Tree {
    let mut ar = tar::Archive::new(r);
    let mut tree = Tree::default();
    // hardlink entry path -> target path
    let mut hard: Vec<(String, String)> = Vec::new();
    for e in ar.entries().expect("tar entries") {
        let mut e = e.expect("tar entry");
        let path = norm_path(&e.path().unwrap().to_string_lossy());
        let h = e.header().clone();
        let mut uid = h.uid().unwrap();
        let mut gid = h.gid().unwrap();
        if let Ok(Some(pax)) = e.pax_extensions() {
            for ext in pax.flatten() {
                match ext.key() {
                    Ok("uid") => uid = ext.value().unwrap().parse().unwrap(),
                    Ok("gid") => gid = ext.value().unwrap().parse().unwrap(),
                    _ => {}
                }
            }
        }
        let mode = h.mode().unwrap() & 0o7777;
        let et = h.entry_type();
        let link = e
            .link_name()
            .unwrap()
            .map(|l| l.to_string_lossy().into_owned());
        let node = if et.is_hard_link() {
            hard.push((path.clone(), norm_path(link.as_deref().unwrap())));
            None
        } else if et.is_dir() {
            Some(Node {
                kind: Kind::Dir,
                mode,
                uid,
                gid,
                size: 0,
                link: None,
                sha256: None,
            })
        } else if et.is_symlink() {
            Some(Node {
                kind: Kind::Symlink,
                mode,
                uid,
                gid,
                size: 0,
                link,
                sha256: None,
            })
        } else if et.is_file() || et == tar::EntryType::Continuous {
            let mut hasher = Sha256::new();
            let size = io::copy(&mut e, &mut HashWriter(&mut hasher)).unwrap();
            Some(Node {
                kind: Kind::File,
                mode,
                uid,
                gid,
                size,
                link: None,
                sha256: Some(hex(&hasher.finalize())),
            })
        } else {
            let kind = if et.is_character_special() {
                Kind::Char
            } else if et.is_block_special() {
                Kind::Block
            } else if et.is_fifo() {
                Kind::Fifo
            } else {
                Kind::Other
            };
            Some(Node {
                kind,
                mode,
                uid,
                gid,
                size: 0,
                link: None,
                sha256: None,
            })
        };
        if tree.nodes.contains_key(&path) || hard.iter().filter(|(p, _)| *p == path).count() > 1 {
            tree.duplicates.push(path.clone());
        }
        if let Some(n) = node {
            tree.nodes.insert(path, n);
        }
    }
    // A hardlink entry has the metadata of its target; group the sets.
    let mut sets: Vec<BTreeSet<String>> = Vec::new();
    for (p, target) in hard {
        let node = tree
            .nodes
            .get(&target)
            .unwrap_or_else(|| {
                panic!("hardlink {p} -> {target}: target not earlier in the archive")
            })
            .clone();
        tree.nodes.insert(p.clone(), node);
        match sets.iter_mut().find(|s| s.contains(&target)) {
            Some(s) => {
                s.insert(p);
            }
            None => sets.push([target, p].into_iter().collect()),
        }
    }
    tree.hardlinks = sets;
    tree
}

struct HashWriter<'a>(&'a mut Sha256);
impl Write for HashWriter<'_> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.update(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Describe `paths` (absolute, as in the image) of the directory tree at
/// `root`; paths that do not exist are left out. Hardlink sets are computed
/// among the given paths.
pub fn scan_root(root: &Path, paths: &BTreeSet<String>) -> Tree {
    let mut tree = Tree::default();
    let mut by_inode: HashMap<(u64, u64), BTreeSet<String>> = HashMap::new();
    for p in paths {
        let full = if p == "/" {
            root.to_path_buf()
        } else {
            root.join(&p[1..])
        };
        let md = match fs::symlink_metadata(&full) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => panic!("{}: {e}", full.display()),
        };
        let ft = md.file_type();
        let kind = if ft.is_dir() {
            Kind::Dir
        } else if ft.is_symlink() {
            Kind::Symlink
        } else if ft.is_file() {
            Kind::File
        } else if ft.is_char_device() {
            Kind::Char
        } else if ft.is_block_device() {
            Kind::Block
        } else if ft.is_fifo() {
            Kind::Fifo
        } else {
            Kind::Other
        };
        let (size, sha256) = if kind == Kind::File {
            (md.len(), Some(sha256_file(&full)))
        } else {
            (0, None)
        };
        let link = if kind == Kind::Symlink {
            Some(fs::read_link(&full).unwrap().to_string_lossy().into_owned())
        } else {
            None
        };
        if kind == Kind::File && md.nlink() > 1 {
            by_inode
                .entry((md.dev(), md.ino()))
                .or_default()
                .insert(p.clone());
        }
        tree.nodes.insert(
            p.clone(),
            Node {
                kind,
                mode: md.mode() & 0o7777,
                uid: md.uid() as u64,
                gid: md.gid() as u64,
                size,
                link,
                sha256,
            },
        );
    }
    tree.hardlinks = by_inode.into_values().filter(|s| s.len() > 1).collect();
    tree
}

/// Every path under `root` (absolute, in image terms), `/` included.
pub fn all_paths(root: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, acc: &mut BTreeSet<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            acc.insert(format!(
                "/{}",
                p.strip_prefix(root).unwrap().to_string_lossy()
            ));
            if e.file_type().unwrap().is_dir() {
                walk(root, &p, acc);
            }
        }
    }
    let mut acc = BTreeSet::new();
    acc.insert("/".to_string());
    walk(root, root, &mut acc);
    acc
}

// ---------------------------------------------------------------- misc

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn sha256_file(p: &Path) -> String {
    let mut f = fs::File::open(p).unwrap_or_else(|e| panic!("open {}: {e}", p.display()));
    let mut h = Sha256::new();
    io::copy(&mut f, &mut HashWriter(&mut h)).unwrap();
    hex(&h.finalize())
}

pub fn sha256_bytes(b: &[u8]) -> String {
    hex(&Sha256::digest(b))
}

/// Recursively copy a directory (regular files, dirs, symlinks).
pub fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for e in fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let (s, d) = (e.path(), dst.join(e.file_name()));
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
            copy_dir(&s, &d);
        } else if ft.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(&s).unwrap(), &d).unwrap();
        } else {
            fs::copy(&s, &d).unwrap();
        }
    }
}

/// Run a command, panic unless it succeeds; returns stdout.
pub fn sh(cmd: &mut Command) -> String {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every regular file under `dir` (recursively), as paths relative to it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut acc = Vec::new();
    if !dir.exists() {
        return acc;
    }
    fn walk(root: &Path, d: &Path, acc: &mut Vec<PathBuf>) {
        for e in fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                walk(root, &e.path(), acc);
            } else {
                acc.push(e.path().strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    walk(dir, dir, &mut acc);
    acc.sort();
    acc
}

// ---------------------------------------------------------------- docker-archive

/// A docker-archive (what `docker save` writes and `docker load` reads),
/// possibly xz-compressed as a whole.
pub struct DockerArchive {
    /// manifest.json: `[{"Config", "RepoTags", "Layers"}]`
    pub manifest: serde_json::Value,
    /// the image config the manifest points at
    pub config: serde_json::Value,
    /// each layer's bytes as stored in the archive (maybe compressed)
    pub layers: Vec<Vec<u8>>,
    /// every member name of the outer tar
    pub members: Vec<String>,
}

impl DockerArchive {
    pub fn open(path: &Path) -> DockerArchive {
        let f = fs::File::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
        let mut ar = tar::Archive::new(decompress(Box::new(io::BufReader::new(f))));
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut members = Vec::new();
        for e in ar.entries().expect("docker-archive entries") {
            let mut e = e.expect("docker-archive entry");
            let name = e
                .path()
                .unwrap()
                .to_string_lossy()
                .trim_start_matches("./")
                .to_string();
            members.push(name.clone());
            if e.header().entry_type().is_file() {
                let mut b = Vec::new();
                e.read_to_end(&mut b).unwrap();
                files.insert(name, b);
            }
        }
        let manifest: serde_json::Value = serde_json::from_slice(
            files
                .get("manifest.json")
                .expect("manifest.json in the docker-archive"),
        )
        .expect("manifest.json is JSON");
        let m0 = &manifest[0];
        let cfg_name = m0["Config"].as_str().expect("manifest Config");
        let config = serde_json::from_slice(
            files
                .get(cfg_name)
                .unwrap_or_else(|| panic!("config {cfg_name} missing")),
        )
        .expect("config is JSON");
        let layers = m0["Layers"]
            .as_array()
            .expect("manifest Layers")
            .iter()
            .map(|l| {
                let l = l.as_str().unwrap();
                files
                    .get(l)
                    .unwrap_or_else(|| panic!("layer {l} missing"))
                    .clone()
            })
            .collect();
        DockerArchive {
            manifest,
            config,
            layers,
            members,
        }
    }

    /// The uncompressed bytes of layer `i`.
    pub fn layer_tar(&self, i: usize) -> Vec<u8> {
        let mut out = Vec::new();
        decompress(Box::new(io::Cursor::new(self.layers[i].clone())))
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    pub fn layer_tree(&self, i: usize) -> Tree {
        read_tar(Box::new(io::Cursor::new(self.layer_tar(i))))
    }
}

/// Docker/OCI architecture name of an rpm arch.
pub fn oci_arch(arch: &str) -> &'static str {
    match arch {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "ppc64le" => "ppc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        other => panic!("no OCI name for {other}"),
    }
}

/// `skopeo inspect docker-archive:FILE` as JSON.
pub fn skopeo_inspect(path: &Path) -> serde_json::Value {
    let out = sh(Command::new("skopeo")
        .arg("inspect")
        .arg(format!("docker-archive:{}", path.display())));
    serde_json::from_str(&out).expect("skopeo inspect prints JSON")
}
