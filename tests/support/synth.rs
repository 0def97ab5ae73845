//! A deterministic, Fedora-shaped synthetic yum repository: metadata only, no
//! .rpm files, for tests and benchmarks that need Fedora Everything's size and
//! dependency shapes.
//!
//! [`synth_repo`] generates a [`Scale`] once into
//! `target/synth-repo/<scale>-<version>/` (built aside, then renamed into
//! place, so tests and benches share it across processes and runs) and
//! returns its [`SynthRepo`] description. [`generate`] writes one anywhere;
//! [`request_names`] picks package names a user could ask for together.
//!
//! What is generated (all from one fixed seed, with fixed timestamps, so the
//! bytes are the same on every run):
//! - `repodata/repomd.xml` with sha256 `checksum`/`open-checksum`, sizes and
//!   timestamps as createrepo_c writes them; gzip-compressed `primary`,
//!   `filelists` and `other`; comps as `group` and `group_gz`.
//! - a hand-written base tier (`synth_base.txt`: glibc, systemd, python3,
//!   perl, dnf, the runtimes and desktop hubs, web servers, MTAs...), an
//!   installonly kernel in three builds, langpacks, then generated sources in
//!   Fedora's ecosystems: C libraries (`foo-libs`, `foo-devel`, sonames with
//!   `()(64bit)`, `pkgconfig()`), applications and services, `python3-*`,
//!   `perl-*`, `golang-*-devel`, `rust-*-devel` with feature subpackages,
//!   `texlive-*`, fonts, `rubygem-*`, `nodejs-*`, Java, PHP, GHC, R, MinGW.
//! - dependencies of every kind: versioned (`= %evr` pins, `>=`), file
//!   (`/bin/sh`, `/usr/bin/python3`, `/usr/bin/perl`), rich (`or`, `if`,
//!   `if else`, `unless`, `with`, nested), Requires(pre), weak (Recommends,
//!   Suggests, Supplements in langpack style, Enhances), Conflicts, Obsoletes
//!   of renamed packages, virtual provides with several providers, cycles,
//!   and `rpmlib()` requires on a few packages (createrepo_c drops those;
//!   other producers keep them, and consumers must ignore them).
//! - a few deliberately broken packages ([`SynthRepo::broken`]): missing
//!   dependencies and unsatisfiable conflicts.
// Each test or bench uses a part of the generator.
#![allow(dead_code)]

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::support::Skip;

/// Bump when the output changes in a way the content hash would not show.
pub const GENERATOR_VERSION: u32 = 1;
/// The seed of everything.
const SEED: u64 = 0x5EED_F44F_ED0A_2026;
/// repomd revision and metadata timestamps: 2026-01-01T00:00:00Z.
const REPO_TIME: u64 = 1_767_225_600;
const DIST: &str = "fc44";
const BASE_TIER: &str = include_str!("synth_base.txt");
const THIS_FILE: &str = include_str!("synth.rs");
/// Multiplier of the generated file counts (see `all_files`).
const FILES_FACTOR: u32 = 7;

// ---------------------------------------------------------------- scale

/// How big a repository to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scale {
    /// About 3,000 packages: for tests.
    Small,
    /// About 60,500 packages: 118 MB of primary.xml and 360 MB of
    /// filelists.xml uncompressed, Fedora Everything's order of size.
    Full,
}

impl Scale {
    pub fn name(self) -> &'static str {
        match self {
            Scale::Small => "small",
            Scale::Full => "full",
        }
    }
    /// Binary packages to generate (the generator stops just above it).
    pub fn target_packages(self) -> usize {
        match self {
            Scale::Small => 3_000,
            Scale::Full => 60_500,
        }
    }
    fn broken(self) -> usize {
        match self {
            Scale::Small => 9,
            Scale::Full => 27,
        }
    }
}

// ---------------------------------------------------------------- the description

/// A deliberately uninstallable package.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Broken {
    pub name: String,
    pub nevra: String,
    /// `missing`: a dependency nothing provides; `conflict`: its dependencies
    /// cannot be installed together with it.
    pub kind: String,
    pub why: String,
}

/// A generated repository, as `synth.json` beside `repodata/` describes it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SynthRepo {
    /// The repository root (holds `repodata/`).
    #[serde(skip)]
    pub dir: PathBuf,
    pub scale: String,
    pub version: String,
    /// Binary packages (every arch, every version).
    pub packages: usize,
    /// Distinct package names.
    pub names: usize,
    pub noarch: usize,
    /// Names with more than one version in the repository.
    pub multiversion: Vec<String>,
    /// The deliberately broken packages; everything else is installable.
    pub broken: Vec<Broken>,
    /// Names [`request_names`] draws from: installable, not in a conflict or
    /// obsoletes relation with another package, newest version wins.
    pub requestable: Vec<String>,
    /// Comps group ids.
    pub groups: Vec<String>,
    /// Seconds the generation took (when this process generated it).
    pub generate_seconds: f64,
    /// Uncompressed and compressed sizes of each metadata file.
    pub files: BTreeMap<String, (u64, u64)>,
    /// Entries written: `packages`, each dependency list (`requires`,
    /// `provides`, ..., `requires_pre`), `primary_files` and
    /// `filelists_entries` (files and directories).
    pub totals: BTreeMap<String, u64>,
}

impl SynthRepo {
    /// `synth=DIR`, for `rootsmith --repo`.
    pub fn repo_arg(&self) -> String {
        format!("synth={}", self.dir.display())
    }
    /// The path of one metadata file (`primary`, `filelists`, `other`,
    /// `group`, `group_gz`) as repomd.xml names it.
    pub fn metadata(&self, kind: &str) -> PathBuf {
        let repomd =
            fs::read_to_string(self.dir.join("repodata/repomd.xml")).expect("synth repomd.xml");
        let start = repomd
            .find(&format!("<data type=\"{kind}\">"))
            .unwrap_or_else(|| panic!("synth repomd.xml has no {kind}"));
        let rest = &repomd[start..];
        let href = rest.find("<location href=\"").unwrap() + "<location href=\"".len();
        let end = rest[href..].find('"').unwrap();
        self.dir.join(&rest[href..href + end])
    }
    pub fn primary(&self) -> PathBuf {
        self.metadata("primary")
    }
    pub fn filelists(&self) -> PathBuf {
        self.metadata("filelists")
    }
    pub fn broken_names(&self) -> Vec<String> {
        self.broken.iter().map(|b| b.name.clone()).collect()
    }
}

/// The content version: the generator version and a hash of this file and
/// the base tier, so any change to the generator makes a new directory.
pub fn version() -> String {
    let mut h = Sha256::new();
    h.update(THIS_FILE.as_bytes());
    h.update(BASE_TIER.as_bytes());
    format!(
        "v{GENERATOR_VERSION}-{}",
        &crate::support::hex(&h.finalize())[..10]
    )
}

/// Where [`synth_repo`] keeps the generated repositories:
/// `$ROOTSMITH_SYNTH_DIR` or `<repo>/target/synth-repo`.
pub fn cache_root() -> PathBuf {
    match std::env::var_os("ROOTSMITH_SYNTH_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => crate::support::manifest_dir().join("target/synth-repo"),
    }
}

/// The repository of `scale`, generated on first use (once per process; across
/// processes the first to finish renames its build into place, the others
/// reuse it).
pub fn synth_repo(scale: Scale) -> Result<&'static SynthRepo, Skip> {
    static SMALL: OnceLock<Result<SynthRepo, Skip>> = OnceLock::new();
    static FULL: OnceLock<Result<SynthRepo, Skip>> = OnceLock::new();
    let cell = match scale {
        Scale::Small => &SMALL,
        Scale::Full => &FULL,
    };
    cell.get_or_init(|| cached(scale))
        .as_ref()
        .map_err(Skip::clone)
}

fn cached(scale: Scale) -> Result<SynthRepo, Skip> {
    let root = cache_root();
    let name = format!("{}-{}", scale.name(), version());
    let done = root.join(&name);
    if let Some(repo) = read_manifest(&done) {
        return Ok(repo);
    }
    fs::create_dir_all(&root)
        .map_err(|e| Skip(format!("cannot create {}: {e}", root.display())))?;
    // Older generations of this scale, and builds abandoned by dead processes.
    for entry in fs::read_dir(&root).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let stale_version = file.starts_with(&format!("{}-", scale.name())) && file != name;
        let abandoned = file
            .strip_prefix(".tmp-")
            .and_then(|rest| rest.rsplit('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        if stale_version || abandoned {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
    let work = root.join(format!(".tmp-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    let repo =
        generate(&work, scale).map_err(|e| Skip(format!("generating {}: {e}", work.display())))?;
    match fs::rename(&work, &done) {
        Ok(()) => {}
        Err(_) if read_manifest(&done).is_some() => {
            let _ = fs::remove_dir_all(&work);
        }
        Err(e) => {
            return Err(Skip(format!(
                "rename {} -> {}: {e}",
                work.display(),
                done.display()
            )))
        }
    }
    Ok(SynthRepo { dir: done, ..repo })
}

fn read_manifest(dir: &Path) -> Option<SynthRepo> {
    let text = fs::read_to_string(dir.join("synth.json")).ok()?;
    let mut repo: SynthRepo = serde_json::from_str(&text).ok()?;
    repo.dir = dir.to_path_buf();
    Some(repo)
}

/// `n` distinct package names (fewer if the repository has fewer) a user
/// could ask for together: drawn from [`SynthRepo::requestable`], the same
/// for the same `seed`.
pub fn request_names(repo: &SynthRepo, seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed ^ 0x7265_7175_6573_7473);
    let mut pool: Vec<&String> = repo.requestable.iter().collect();
    let n = n.min(pool.len());
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let j = i + rng.below(pool.len() - i);
        pool.swap(i, j);
        out.push(pool[i].clone());
    }
    out
}

// ---------------------------------------------------------------- the dnf peer

/// The NEVRAs of a dnf transaction table: each row is `name arch
/// [epoch:]version-release repo size`, wrapped or not; `repo` is the repo id.
pub fn dnf_transaction(stdout: &str, repo: &str) -> BTreeSet<String> {
    let toks: Vec<&str> = stdout.split_whitespace().collect();
    (3..toks.len())
        .filter(|&i| toks[i] == repo && matches!(toks[i - 2], "x86_64" | "noarch"))
        .map(|i| format!("{}-{}.{}", toks[i - 3], toks[i - 1], toks[i - 2]))
        .collect()
}

/// `dnf --assumeno install names` from the repository at `repo_dir` (repo id
/// `synth`), with a fresh installroot, cache and configuration under `work`,
/// so dnf parses the metadata as a nightly compose would: the transaction
/// dnf would run, or why it would not.
pub fn dnf_assumeno(
    repo_dir: &Path,
    names: &[String],
    weak: bool,
    work: &Path,
) -> Result<BTreeSet<String>, String> {
    let home = work.join("home");
    fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    // Debian's rpm keeps its database in ~/.rpmdb unless told otherwise.
    fs::write(home.join(".rpmmacros"), "%_dbpath /var/lib/rpm\n").map_err(|e| e.to_string())?;
    // Our own dnf.conf: the host's settings must not leak in.
    let conf = work.join("dnf.conf");
    fs::write(
        &conf,
        "[main]\ngpgcheck=False\nplugins=False\nskip_if_unavailable=False\n",
    )
    .map_err(|e| e.to_string())?;
    let out = std::process::Command::new("dnf")
        .env("HOME", &home)
        .env("LC_ALL", "C.UTF-8")
        .arg(format!("--config={}", conf.display()))
        .arg(format!("--installroot={}", work.join("root").display()))
        .arg(format!(
            "--setopt=cachedir={}",
            work.join("cache").display()
        ))
        .arg("--setopt=reposdir=/dev/null")
        .arg(format!("--repofrompath=synth,{}", repo_dir.display()))
        .args([
            "--repo=synth",
            "--releasever=1",
            "--forcearch=x86_64",
            "--nogpgcheck",
        ])
        .arg(format!(
            "--setopt=install_weak_deps={}",
            if weak { "True" } else { "False" }
        ))
        .args(["--assumeno", "install"])
        .args(names)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run dnf: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // --assumeno ends a resolved transaction with exit status 1 and
    // "Operation aborted."; a dependency problem also exits 1, with "Error:".
    let aborted = out.status.code() == Some(1)
        && stderr.contains("Operation aborted")
        && !stderr.contains("Error:");
    if !aborted {
        return Err(format!("{}\n{stdout}\n{stderr}", out.status));
    }
    let tx = dnf_transaction(&stdout, "synth");
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("Install "))
        .unwrap_or("");
    if !summary.contains(&format!("Install  {} Package", tx.len())) {
        return Err(format!(
            "parsed {} rows of the transaction table, dnf says {summary:?}",
            tx.len()
        ));
    }
    Ok(tx)
}

// ---------------------------------------------------------------- randomness

/// SplitMix64: small, fast, and the same everywhere.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() as u128 * n as u128) >> 64) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `per_mille`/1000.
    fn pm(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    /// In `0..n`, favouring small values (density about ln(n/i)): early,
    /// popular entries of a registry are picked most.
    fn skewed(&mut self, n: usize) -> usize {
        let m = self.below(n) + 1;
        self.below(m)
    }
    /// A small count with a long tail: `lo` plus a geometric-ish extra.
    fn count(&mut self, lo: usize, typical: usize, max: usize) -> usize {
        let mut n = lo + self.below(typical.max(1) + 1);
        while n < max && self.pm(220) {
            n += 1 + self.below(typical.max(1) + 1);
        }
        n.min(max)
    }
}

// ---------------------------------------------------------------- EVR and dependencies

#[derive(Clone, Debug, PartialEq, Eq)]
struct Evr {
    epoch: u32,
    ver: String,
    rel: Option<String>,
}

impl Evr {
    fn new(epoch: u32, ver: &str, rel: &str) -> Evr {
        Evr {
            epoch,
            ver: ver.to_string(),
            rel: Some(rel.to_string()),
        }
    }
    /// `[E:]V[-R]`.
    fn parse(s: &str) -> Evr {
        let (epoch, rest) = match s.split_once(':') {
            Some((e, r)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => {
                (e.parse().unwrap(), r)
            }
            _ => (0, s),
        };
        match rest.rsplit_once('-') {
            Some((v, r)) => Evr {
                epoch,
                ver: v.to_string(),
                rel: Some(r.to_string()),
            },
            None => Evr {
                epoch,
                ver: rest.to_string(),
                rel: None,
            },
        }
    }
    fn vr(&self) -> String {
        match &self.rel {
            Some(r) => format!("{}-{r}", self.ver),
            None => self.ver.clone(),
        }
    }
}

impl std::fmt::Display for Evr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.epoch > 0 {
            write!(f, "{}:", self.epoch)?;
        }
        f.write_str(&self.vr())
    }
}

/// rpm's rpmvercmp.
fn vercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let sep = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    while i < a.len() || j < b.len() {
        while i < a.len() && sep(a[i]) {
            i += 1;
        }
        while j < b.len() && sep(b[j]) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca.is_none() || cb.is_none() {
            break;
        }
        let num = a[i].is_ascii_digit();
        let class = |c: u8| {
            if num {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let (si, sj) = (i, j);
        while i < a.len() && class(a[i]) {
            i += 1;
        }
        while j < b.len() && class(b[j]) {
            j += 1;
        }
        let (mut sa, mut sb) = (&a[si..i], &b[sj..j]);
        if sb.is_empty() {
            return if num {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        if num {
            while sa.first() == Some(&b'0') {
                sa = &sa[1..];
            }
            while sb.first() == Some(&b'0') {
                sb = &sb[1..];
            }
            match sa.len().cmp(&sb.len()) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        match sa.cmp(sb) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    match (i >= a.len(), j >= b.len()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

/// EVR order; a release missing on either side is not compared (rpm's rule
/// for `foo >= 1.2` matching any release of 1.2).
fn evr_cmp(a: &Evr, b: &Evr) -> Ordering {
    a.epoch
        .cmp(&b.epoch)
        .then_with(|| vercmp(&a.ver, &b.ver))
        .then_with(|| match (&a.rel, &b.rel) {
            (Some(x), Some(y)) => vercmp(x, y),
            _ => Ordering::Equal,
        })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ge,
    Gt,
    Le,
    Lt,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "=" | "==" => Op::Eq,
            ">=" => Op::Ge,
            ">" => Op::Gt,
            "<=" => Op::Le,
            "<" => Op::Lt,
            _ => return None,
        })
    }
    fn flags(self) -> &'static str {
        match self {
            Op::Eq => "EQ",
            Op::Ge => "GE",
            Op::Gt => "GT",
            Op::Le => "LE",
            Op::Lt => "LT",
        }
    }
    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
        }
    }
    fn less(self) -> bool {
        matches!(self, Op::Le | Op::Lt)
    }
    fn greater(self) -> bool {
        matches!(self, Op::Ge | Op::Gt)
    }
    fn equal(self) -> bool {
        matches!(self, Op::Eq | Op::Ge | Op::Le)
    }
}

/// One dependency entry: a name (or a whole rich expression) and maybe a range.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Dep {
    name: String,
    op: Option<(Op, Evr)>,
}

impl Dep {
    fn name(name: impl Into<String>) -> Dep {
        Dep {
            name: name.into(),
            op: None,
        }
    }
    fn with(name: impl Into<String>, op: Op, evr: Evr) -> Dep {
        Dep {
            name: name.into(),
            op: Some((op, evr)),
        }
    }
    /// `name`, `name OP evr`, or a rich `( ... )` expression.
    fn parse(s: &str) -> Dep {
        let s = s.trim();
        if s.starts_with('(') {
            return Dep::name(s);
        }
        let parts: Vec<&str> = s.split_whitespace().collect();
        match parts.as_slice() {
            [n] => Dep::name(*n),
            [n, op, evr] => Dep::with(
                *n,
                Op::parse(op).unwrap_or_else(|| panic!("bad operator in {s:?}")),
                Evr::parse(evr),
            ),
            _ => panic!("bad dependency {s:?}"),
        }
    }
    fn is_rich(&self) -> bool {
        self.name.starts_with('(')
    }
    /// Whether provide `self` satisfies requirement `req` (names equal, ranges overlap).
    fn provides(&self, req: &Dep) -> bool {
        if self.name != req.name {
            return false;
        }
        let (Some((pop, pevr)), Some((rop, revr))) = (&self.op, &req.op) else {
            return true;
        };
        match evr_cmp(pevr, revr) {
            Ordering::Less => pop.greater() || rop.less(),
            Ordering::Greater => pop.less() || rop.greater(),
            Ordering::Equal => {
                (pop.equal() && rop.equal())
                    || (pop.less() && rop.less())
                    || (pop.greater() && rop.greater())
            }
        }
    }
}

impl std::fmt::Display for Dep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.op {
            Some((op, evr)) => write!(f, "{} {} {evr}", self.name, op.symbol()),
            None => f.write_str(&self.name),
        }
    }
}

// ---------------------------------------------------------------- packages

/// Files generated on demand (not stored): `count` files under `base`.
#[derive(Clone, Debug, Default)]
struct Bulk {
    base: String,
    exts: &'static [&'static str],
    count: u32,
}

#[derive(Clone, Debug, Default)]
struct Pkg {
    name: String,
    noarch: bool,
    evr: Evr,
    /// Source package name (the `.src.rpm` is `{src}-{ver}-{rel}.src.rpm`).
    src: String,
    src_vr: String,
    summary: String,
    description: String,
    url: String,
    license: &'static str,
    provides: Vec<Dep>,
    requires: Vec<(Dep, bool)>,
    conflicts: Vec<Dep>,
    obsoletes: Vec<Dep>,
    suggests: Vec<Dep>,
    enhances: Vec<Dep>,
    recommends: Vec<Dep>,
    supplements: Vec<Dep>,
    /// Explicit files (binaries, configuration, libraries, licences).
    files: Vec<String>,
    bulk: Vec<Bulk>,
    seed: u64,
    /// Set for the deliberately broken packages: (kind, why).
    broken: Option<(String, String)>,
}

impl Default for Evr {
    fn default() -> Evr {
        Evr::new(0, "0", "0")
    }
}

impl Pkg {
    fn arch(&self) -> &'static str {
        if self.noarch {
            "noarch"
        } else {
            "x86_64"
        }
    }
    fn nevra(&self) -> String {
        format!("{}-{}.{}", self.name, self.evr, self.arch())
    }
    fn req(&mut self, d: Dep) {
        self.requires.push((d, false));
    }
    fn req_s(&mut self, s: &str) {
        self.requires.push((Dep::parse(s), false));
    }
    fn pre(&mut self, d: Dep) {
        self.requires.push((d, true));
    }
    /// `name(x86-64) = %evr` for x86_64 packages, `name = %evr` for noarch.
    fn pin(&self) -> Dep {
        if self.noarch {
            Dep::with(self.name.clone(), Op::Eq, self.evr.clone())
        } else {
            Dep::with(format!("{}(x86-64)", self.name), Op::Eq, self.evr.clone())
        }
    }
}

// ---------------------------------------------------------------- the base tier

/// One `key: items` field of a base-tier line.
struct BaseLine {
    name: String,
    noarch: bool,
    fields: Vec<(String, Vec<String>)>,
}

struct BaseBuild {
    src: String,
    evr: Evr,
    lines: Vec<BaseLine>,
}

fn parse_base_tier() -> Vec<BaseBuild> {
    let mut builds: Vec<BaseBuild> = Vec::new();
    for (n, raw) in BASE_TIER.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(head) = line.strip_prefix('[') {
            let head = head
                .strip_suffix(']')
                .unwrap_or_else(|| panic!("synth_base.txt:{}: bad header", n + 1));
            let (src, evr) = head
                .split_once(' ')
                .unwrap_or_else(|| panic!("synth_base.txt:{}: no version", n + 1));
            let mut evr = Evr::parse(evr.trim());
            let rel = evr
                .rel
                .take()
                .unwrap_or_else(|| panic!("synth_base.txt:{}: no release", n + 1));
            evr.rel = Some(format!("{rel}.{DIST}"));
            builds.push(BaseBuild {
                src: src.to_string(),
                evr,
                lines: Vec::new(),
            });
            continue;
        }
        let mut parts = line.split('|').map(str::trim);
        let head: Vec<&str> = parts.next().unwrap().split_whitespace().collect();
        let [name, arch] = head.as_slice() else {
            panic!("synth_base.txt:{}: expected `name x|n`", n + 1)
        };
        let fields = parts
            .map(|f| match f.split_once(':') {
                Some((k, v)) if !k.contains(' ') && !k.contains('(') => (
                    k.trim().to_string(),
                    v.split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                ),
                _ => (f.to_string(), Vec::new()),
            })
            .collect();
        builds
            .last_mut()
            .unwrap_or_else(|| panic!("synth_base.txt:{}: package before any [source]", n + 1))
            .lines
            .push(BaseLine {
                name: name.to_string(),
                noarch: *arch == "n",
                fields,
            });
    }
    builds
}

// ---------------------------------------------------------------- the generator

/// A capability of a generated ecosystem that later packages may require.
#[derive(Clone, Debug)]
struct Cap {
    /// e.g. `python3.13dist(foo)`, `perl(Foo::Bar)`, `golang(github.com/a/b)`.
    name: String,
    ver: String,
    pkg: usize,
}

/// A C library of the generated tier.
#[derive(Clone, Debug)]
struct Lib {
    /// `libfoo.so.3()(64bit)`
    soname: String,
    /// `libfoo.so.3(FOO_1.0)(64bit)`, if it has symbol versions.
    symver: Option<String>,
    /// `pkgconfig(foo)` of its -devel package.
    pc: Option<String>,
    pkg: usize,
}

/// A Rust crate version: `crate(name) = ver` with `crate(name/feature)`s.
#[derive(Clone, Debug)]
struct Crate {
    name: String,
    ver: String,
    features: Vec<String>,
}

const SYLLABLES: &[&str] = &[
    "ba", "ka", "lo", "mi", "ra", "ze", "tor", "vin", "qua", "del", "nix", "pho", "gra", "sul",
    "tem", "bri", "cor", "dax", "fen", "gil", "hal", "jor", "kel", "lum", "mor", "nev", "ost",
    "pry", "rux", "sab", "tyr", "ulm", "vok", "wen", "xan", "yel", "zor", "ab", "ex", "ig", "on",
    "ur", "pa", "ti", "ne", "so", "ru", "ke", "dri", "fla",
];

const LANGS: &[&str] = &[
    "en", "de", "fr", "es", "it", "pt", "pt_BR", "ja", "zh_CN", "zh_TW", "ko", "ru", "pl", "nl",
    "sv", "da", "fi", "nb", "cs", "hu", "tr", "el", "he", "ar", "hi", "bn", "ta", "te", "uk", "ro",
    "bg", "hr", "sk", "sl", "lt", "lv", "et", "ca", "eu", "gl", "vi", "th", "id",
];

const GLIBC_SYMVERS: &[&str] = &[
    "2.2.5", "2.3", "2.3.4", "2.4", "2.7", "2.14", "2.17", "2.25", "2.28", "2.32", "2.33", "2.34",
    "2.34", "2.34", "2.38",
];

/// The base-tier libraries generated code links against most.
const POPULAR_LIBS: &[&str] = &[
    "libz.so.1",
    "libcrypto.so.3",
    "libssl.so.3",
    "libglib-2.0.so.0",
    "libgobject-2.0.so.0",
    "libgio-2.0.so.0",
    "libm.so.6",
    "libsystemd.so.0",
    "libselinux.so.1",
    "libpcre2-8.so.0",
    "libxml2.so.2",
    "liblzma.so.5",
    "libzstd.so.1",
    "libbz2.so.1",
    "libcurl.so.4",
    "libdbus-1.so.3",
    "libffi.so.8",
    "libuuid.so.1",
    "libcap.so.2",
    "libexpat.so.1",
    "libsqlite3.so.0",
    "libjson-c.so.5",
    "libreadline.so.8",
    "libtinfo.so.6",
    "libncursesw.so.6",
    "libpng16.so.16",
    "libjpeg.so.62",
    "libfreetype.so.6",
    "libfontconfig.so.1",
    "libX11.so.6",
    "libcairo.so.2",
    "libpango-1.0.so.0",
    "libgnutls.so.30",
    "libgcrypt.so.20",
    "libgpg-error.so.0",
    "libudev.so.1",
    "libmount.so.1",
    "libblkid.so.1",
    "libacl.so.1",
    "libattr.so.1",
    "libpam.so.0",
    "libkrb5.so.3",
    "libgssapi_krb5.so.2",
    "libcom_err.so.2",
    "libpopt.so.0",
    "libicuuc.so.76",
    "libasound.so.2",
    "libpulse.so.0",
    "libusb-1.0.so.0",
    "libarchive.so.13",
    "libevent-2.1.so.7",
    "libyaml-0.so.2",
    "libgmp.so.10",
    "liblz4.so.1",
    "libedit.so.0",
];

/// Plain package names generated code requires by name.
const BASE_TOOLS: &[&str] = &[
    "bash",
    "coreutils",
    "grep",
    "sed",
    "gawk",
    "findutils",
    "which",
    "tar",
    "gzip",
    "xz",
    "curl",
    "openssl",
    "ca-certificates",
    "systemd",
    "dbus",
    "hicolor-icon-theme",
    "shadow-utils",
    "procps-ng",
    "util-linux",
    "iproute",
    "kmod",
    "python3",
    "perl-interpreter",
    "glib2",
    "shared-mime-info",
    "desktop-file-utils",
    "xdg-utils",
    "gnupg2",
    "diffutils",
    "file",
    "logrotate",
    "cronie",
    "less",
    "unzip",
    "zip",
    "policycoreutils",
    "polkit",
    "dconf",
    "pipewire",
    "bluez",
    "cpio",
    "patch",
    "make",
    "sqlite",
    "libselinux-utils",
    "hostname",
    "alternatives",
];

struct Gen {
    rng: Rng,
    scale: Scale,
    pkgs: Vec<Pkg>,
    /// Package names, plus names reserved for Obsoletes (never packages).
    taken: HashSet<String>,
    words: HashSet<String>,
    by_name: HashMap<String, usize>,
    base_libs: Vec<Lib>,
    popular: Vec<Lib>,
    libs: Vec<Lib>,
    tools: Vec<String>,
    pys: Vec<Cap>,
    perls: Vec<Cap>,
    gos: Vec<Cap>,
    crates: Vec<(Crate, usize)>,
    texs: Vec<Cap>,
    gems: Vec<Cap>,
    npms: Vec<Cap>,
    mvns: Vec<Cap>,
    phps: Vec<Cap>,
    /// (runtime soname, devel capability) of GHC libraries.
    hss: Vec<(String, String)>,
    rs: Vec<Cap>,
    mingw: Vec<String>,
    /// Names by role, for comps.
    roles: BTreeMap<&'static str, Vec<String>>,
    /// Names with more than one build.
    multiversion: Vec<String>,
    /// Package index of a newest build -> version of its oldest build.
    oldest: HashMap<usize, String>,
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

impl Gen {
    fn new(scale: Scale) -> Gen {
        Gen {
            rng: Rng::new(SEED ^ scale.target_packages() as u64),
            scale,
            pkgs: Vec::new(),
            taken: HashSet::new(),
            words: HashSet::new(),
            by_name: HashMap::new(),
            base_libs: Vec::new(),
            popular: Vec::new(),
            libs: Vec::new(),
            tools: BASE_TOOLS.iter().map(|s| s.to_string()).collect(),
            pys: Vec::new(),
            perls: Vec::new(),
            gos: Vec::new(),
            crates: Vec::new(),
            texs: Vec::new(),
            gems: Vec::new(),
            npms: Vec::new(),
            mvns: Vec::new(),
            phps: Vec::new(),
            hss: Vec::new(),
            rs: Vec::new(),
            mingw: Vec::new(),
            roles: BTreeMap::new(),
            multiversion: Vec::new(),
            oldest: HashMap::new(),
        }
    }

    // ------------------------------------------------------------ words and versions

    fn syllables(rng: &mut Rng, n: usize) -> String {
        (0..n).map(|_| *rng.pick(SYLLABLES)).collect()
    }

    /// A fresh word (2 or 3 syllables) no package name starts from yet.
    fn word(&mut self) -> String {
        loop {
            let n = if self.rng.pm(250) { 2 } else { 3 };
            let w = Gen::syllables(&mut self.rng, n);
            if self.words.insert(w.clone()) {
                return w;
            }
        }
    }

    /// A word, not necessarily fresh (for module and file parts).
    fn part(&mut self) -> String {
        let n = self.rng.range(1, 2);
        Gen::syllables(&mut self.rng, n)
    }

    fn version(&mut self) -> String {
        let major = if self.rng.pm(700) {
            self.rng.below(4)
        } else {
            self.rng.range(4, 40)
        };
        let minor = self.rng.below(30);
        let patch = self.rng.below(16);
        match self.rng.below(100) {
            0..=51 => format!("{major}.{minor}.{patch}"),
            52..=79 => format!("{major}.{minor}"),
            80..=85 => format!(
                "2024{:02}{:02}",
                self.rng.range(1, 12),
                self.rng.range(1, 28)
            ),
            86..=91 => format!("{major}.{minor}.{patch}~rc{}", self.rng.range(1, 3)),
            92..=96 => format!(
                "{major}.{minor}^2024{:02}{:02}git{:07x}",
                self.rng.range(1, 12),
                self.rng.range(1, 28),
                self.rng.next() & 0xFFF_FFFF
            ),
            _ => format!("{major}.{minor}.{patch}.post{}", self.rng.range(1, 3)),
        }
    }

    fn release(&mut self) -> String {
        if self.rng.pm(60) {
            format!(
                "0.{}.beta{}.{DIST}",
                self.rng.range(1, 9),
                self.rng.range(1, 3)
            )
        } else {
            format!("{}.{DIST}", 1 + self.rng.skewed(14))
        }
    }

    fn evr(&mut self) -> Evr {
        let epoch = if self.rng.pm(40) {
            self.rng.range(1, 3) as u32
        } else {
            0
        };
        let ver = self.version();
        let rel = self.release();
        Evr::new(epoch, &ver, &rel)
    }

    // ------------------------------------------------------------ packages

    fn new_pkg(&mut self, name: &str, noarch: bool, src: &str, evr: &Evr, what: &str) -> Pkg {
        let seed = self.rng.next();
        let summary = summary_for(name, what);
        let description = self.describe(name, what);
        let mut p = Pkg {
            name: name.to_string(),
            noarch,
            evr: evr.clone(),
            src: src.to_string(),
            src_vr: evr.vr(),
            summary,
            description,
            url: format!(
                "https://{}.org/{}",
                src.split('-').next().unwrap_or(src),
                src
            ),
            license: self.rng.pick::<&str>(&[
                "MIT",
                "GPL-2.0-or-later",
                "LGPL-2.1-or-later",
                "Apache-2.0",
                "BSD-3-Clause",
                "GPL-3.0-or-later",
                "MIT OR Apache-2.0",
                "ISC",
                "MPL-2.0",
                "BSD-2-Clause",
                "Zlib",
                "GPL-2.0-only",
            ]),
            seed,
            ..Pkg::default()
        };
        p.provides.push(Dep::with(name, Op::Eq, evr.clone()));
        if !noarch {
            p.provides
                .push(Dep::with(format!("{name}(x86-64)"), Op::Eq, evr.clone()));
        }
        p
    }

    fn describe(&mut self, name: &str, what: &str) -> String {
        const LINES: &[&str] = &[
            "It is small, fast and has no runtime dependencies beyond the C library.",
            "This package contains the files needed at run time.",
            "Upstream describes it as a drop-in replacement for older tools.",
            "The project is maintained by a small community of volunteers.",
            "It supports plugins, configuration files and several output formats.",
            "Documentation and examples are shipped in a separate package.",
            "It follows the XDG base directory specification.",
        ];
        let a = *self.rng.pick(LINES);
        if self.rng.pm(150) {
            let b = *self.rng.pick(LINES);
            format!("The {name} package provides {what}.\n{a}\n{b}")
        } else {
            format!("The {name} package provides {what}.\n{a}")
        }
    }

    fn add(&mut self, p: Pkg) -> usize {
        assert!(
            !self.taken.contains(&p.name) || self.by_name.contains_key(&p.name),
            "package name {} is reserved",
            p.name
        );
        self.taken.insert(p.name.clone());
        let i = self.pkgs.len();
        self.by_name.insert(p.name.clone(), i);
        self.pkgs.push(p);
        i
    }

    /// A name no package has yet; reserved.
    fn fresh(&mut self, name: String) -> Option<String> {
        if self.taken.insert(name.clone()) {
            Some(name)
        } else {
            None
        }
    }

    /// The C library requires of an ELF file, as rpm's generator writes them.
    fn elf(&mut self, p: &mut Pkg, cxx: bool) {
        p.req_s("libc.so.6()(64bit)");
        let v = *self.rng.pick(GLIBC_SYMVERS);
        p.req(Dep::name(format!("libc.so.6(GLIBC_{v})(64bit)")));
        p.req_s("rtld(GNU_HASH)");
        if cxx {
            p.req_s("libstdc++.so.6()(64bit)");
            p.req_s("libstdc++.so.6(GLIBCXX_3.4)(64bit)");
            p.req_s("libgcc_s.so.1()(64bit)");
            p.req_s("libgcc_s.so.1(GCC_3.0)(64bit)");
            p.req_s("libm.so.6()(64bit)");
        }
    }

    /// A library to link against: mostly the popular base libraries, else any
    /// base library, else a generated one (favouring early, popular ones).
    fn pick_lib(&mut self) -> Lib {
        let r = self.rng.below(100);
        if r < 42 || self.libs.is_empty() {
            self.popular[self.rng.below(self.popular.len())].clone()
        } else if r < 55 {
            self.base_libs[self.rng.below(self.base_libs.len())].clone()
        } else {
            let i = self.rng.skewed(self.libs.len());
            self.libs[i].clone()
        }
    }

    /// `k` distinct libraries, as requires (sometimes with a symbol version).
    fn link(&mut self, p: &mut Pkg, k: usize) -> Vec<Lib> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for _ in 0..k * 2 {
            if out.len() == k {
                break;
            }
            let lib = self.pick_lib();
            if lib.pkg != usize::MAX && self.pkgs.get(lib.pkg).is_some_and(|q| q.name == p.name) {
                continue;
            }
            if seen.insert(lib.soname.clone()) {
                p.req(Dep::name(lib.soname.clone()));
                if let Some(sv) = &lib.symver {
                    if self.rng.pm(600) {
                        p.req(Dep::name(sv.clone()));
                    }
                }
                out.push(lib);
            }
        }
        out
    }

    fn pick_tool(&mut self) -> String {
        if self.rng.pm(550) || self.tools.len() <= BASE_TOOLS.len() {
            BASE_TOOLS[self.rng.below(BASE_TOOLS.len())].to_string()
        } else {
            let i = self.rng.skewed(self.tools.len() - BASE_TOOLS.len());
            self.tools[BASE_TOOLS.len() + i].clone()
        }
    }

    /// The version of the oldest build of package `pkg` (newest `ver`).
    fn oldest(&self, pkg: usize, ver: &str) -> String {
        self.oldest
            .get(&pkg)
            .cloned()
            .unwrap_or_else(|| ver.to_string())
    }

    fn pick_cap(list: &[Cap], rng: &mut Rng) -> Option<Cap> {
        if list.is_empty() {
            None
        } else {
            Some(list[rng.skewed(list.len())].clone())
        }
    }

    fn role(&mut self, role: &'static str, name: &str) {
        self.roles.entry(role).or_default().push(name.to_string());
    }

    fn doc_bulk(&mut self, p: &mut Pkg, lo: usize, hi: usize) {
        let count = (self.rng.range(lo, hi) + self.rng.count(0, 3, 40)) as u32;
        if count > 0 {
            p.bulk.push(Bulk {
                base: format!("/usr/share/doc/{}", p.name),
                exts: &["md", "txt", "html", "rst"],
                count,
            });
        }
        if self.rng.pm(700) {
            p.files
                .push(format!("/usr/share/licenses/{}/LICENSE", p.name));
        }
    }

    fn locale_bulk(&mut self, p: &mut Pkg, domain: &str) {
        let n = self.rng.range(8, LANGS.len());
        for lang in LANGS.iter().take(n) {
            p.files
                .push(format!("/usr/share/locale/{lang}/LC_MESSAGES/{domain}.mo"));
        }
    }

    fn man_pages(p: &mut Pkg) {
        let bins: Vec<String> = p
            .files
            .iter()
            .filter(|f| f.starts_with("/usr/bin/") || f.starts_with("/usr/sbin/"))
            .map(|f| f.rsplit('/').next().unwrap().to_string())
            .collect();
        for b in bins {
            p.files.push(format!("/usr/share/man/man1/{b}.1.gz"));
        }
    }

    // ------------------------------------------------------------ the base tier

    fn base_tier(&mut self) {
        let builds = parse_base_tier();
        let mut first_soname: HashMap<String, String> = HashMap::new();
        for b in &builds {
            for l in &b.lines {
                if let Some((_, items)) = l.fields.iter().find(|(k, _)| k == "so") {
                    first_soname.insert(l.name.clone(), format!("{}()(64bit)", items[0]));
                }
            }
        }
        let mut pcs: HashMap<String, String> = HashMap::new();
        for b in &builds {
            let evr = b.evr.to_string();
            let subst = |s: &str| s.replace("%evr", &evr).replace("%v", &b.evr.ver);
            let mut build_sonames = Vec::new();
            let mut build_pc = None;
            for l in &b.lines {
                let summary = l
                    .fields
                    .iter()
                    .find(|(k, _)| k == "sum")
                    .map(|(_, v)| v.join("; "));
                let what = summary
                    .clone()
                    .unwrap_or_else(|| format!("the {} component of {}", l.name, b.src));
                let mut p = self.new_pkg(&l.name, l.noarch, &b.src, &b.evr, &what);
                if let Some(s) = summary {
                    p.summary = s;
                }
                p.url = format!("https://{}.example.org/", b.src);
                let has = |k: &str| l.fields.iter().any(|(f, _)| f == k);
                let elf = !l.noarch
                    && (has("so") || has("bin") || has("sbin"))
                    && !has("noelf")
                    && b.src != "glibc";
                for (key, items) in &l.fields {
                    for item in items {
                        let dep = || {
                            if let Some(pkg) = item.strip_prefix('@') {
                                Dep::name(
                                    first_soname
                                        .get(pkg)
                                        .unwrap_or_else(|| {
                                            panic!(
                                                "synth_base.txt: @{pkg}: no such library package"
                                            )
                                        })
                                        .clone(),
                                )
                            } else {
                                Dep::parse(&subst(item))
                            }
                        };
                        match key.as_str() {
                            "so" => {
                                let cap = format!("{item}()(64bit)");
                                p.provides.push(Dep::name(cap.clone()));
                                p.files.push(format!("/usr/lib64/{item}"));
                                build_sonames.push((cap, p.name.clone()));
                            }
                            "sym" => p.provides.push(Dep::name(format!("{item}(64bit)"))),
                            "bin" => p.files.push(format!("/usr/bin/{item}")),
                            "sbin" => p.files.push(format!("/usr/sbin/{item}")),
                            "etc" => p.files.push(format!("/etc/{item}")),
                            "file" => p.files.push(subst(item)),
                            "prov" => p.provides.push(dep()),
                            "req" => p.req(dep()),
                            "pre" => p.pre(dep()),
                            "rec" => p.recommends.push(dep()),
                            "sug" => p.suggests.push(dep()),
                            "sup" => p.supplements.push(dep()),
                            "enh" => p.enhances.push(dep()),
                            "con" => p.conflicts.push(dep()),
                            "obs" => p.obsoletes.push(dep()),
                            "pc" => {
                                p.provides.push(Dep::with(
                                    format!("pkgconfig({item})"),
                                    Op::Eq,
                                    Evr::parse(&b.evr.ver),
                                ));
                                p.files.push(format!("/usr/lib64/pkgconfig/{item}.pc"));
                                build_pc.get_or_insert_with(|| format!("pkgconfig({item})"));
                            }
                            "sum" => {}
                            other => panic!("synth_base.txt: {}: unknown key {other:?}", l.name),
                        }
                    }
                }
                if elf {
                    self.elf(&mut p, false);
                }
                Gen::man_pages(&mut p);
                let docs = self.rng.range(1, 6);
                self.doc_bulk(&mut p, docs, docs + 4);
                self.add(p);
            }
            for (cap, pkg) in build_sonames {
                if let Some(pc) = &build_pc {
                    pcs.insert(cap.clone(), pc.clone());
                }
                let lib = Lib {
                    symver: None,
                    pc: pcs.get(&cap).cloned(),
                    pkg: self.by_name[&pkg],
                    soname: cap,
                };
                if b.src != "glibc" {
                    self.base_libs.push(lib);
                }
            }
        }
        self.popular = POPULAR_LIBS
            .iter()
            .map(|so| {
                let cap = format!("{so}()(64bit)");
                self.base_libs
                    .iter()
                    .find(|l| l.soname == cap)
                    .cloned()
                    .unwrap_or(Lib {
                        soname: cap,
                        symver: None,
                        pc: None,
                        pkg: usize::MAX,
                    })
            })
            .collect();
        for name in self.by_name.keys() {
            for w in name.split(['-', '_', '+', '.']) {
                self.words.insert(w.to_ascii_lowercase());
            }
        }
    }

    /// `kernel`, `kernel-core`, `kernel-modules`, `kernel-modules-core` in three
    /// builds (installonly), and the non-installonly `kernel-tools`.
    fn kernel(&mut self) {
        for (i, (ver, rel)) in [
            ("6.12.15", "200"),
            ("6.13.4", "200"),
            ("6.14.0", "0.rc4.36"),
        ]
        .into_iter()
        .enumerate()
        {
            let evr = Evr::new(0, ver, &format!("{rel}.{DIST}"));
            let uname = format!("{ver}-{rel}.{DIST}.x86_64");
            let uname_dep = |n: &str| {
                Dep::with(
                    n,
                    Op::Eq,
                    Evr {
                        epoch: 0,
                        ver: uname.clone(),
                        rel: None,
                    },
                )
            };
            let parts = [
                "kernel",
                "kernel-core",
                "kernel-modules-core",
                "kernel-modules",
            ];
            for part in parts {
                let mut p = self.new_pkg(part, false, "kernel", &evr, "the Linux kernel");
                p.url = "https://www.kernel.org/".into();
                p.license = "GPL-2.0-only AND LGPL-2.1-only AND MIT";
                p.provides.push(Dep::name("installonlypkg(kernel)"));
                match part {
                    "kernel" => {
                        p.req(uname_dep("kernel-core-uname-r"));
                        p.req(uname_dep("kernel-modules-uname-r"));
                        p.req(uname_dep("kernel-modules-core-uname-r"));
                    }
                    "kernel-core" => {
                        p.provides.push(uname_dep("kernel-uname-r"));
                        p.provides.push(uname_dep("kernel-core-uname-r"));
                        p.provides
                            .push(Dep::with("kernel-x86_64", Op::Eq, evr.clone()));
                        p.provides
                            .push(Dep::with("kernel-drm-nouveau", Op::Eq, Evr::parse("16")));
                        let mut rng = Rng::new(SEED ^ i as u64);
                        for s in 0..800 {
                            let sym = format!("{}_{}", Gen::syllables(&mut rng, 3), s);
                            p.provides.push(Dep::with(
                                format!("kernel({sym})"),
                                Op::Eq,
                                Evr::parse(&format!("0x{:08x}", rng.next() as u32)),
                            ));
                        }
                        p.req(uname_dep("kernel-modules-core-uname-r"));
                        p.req_s("/usr/bin/kernel-install");
                        p.req_s("coreutils");
                        p.req_s("systemd >= 203-2");
                        p.req_s("dracut >= 027");
                        p.req_s("(linux-firmware >= 20150904-56.git6ebf5d57 if linux-firmware)");
                        p.pre(Dep::name("/bin/sh"));
                        p.pre(Dep::parse("systemd >= 203-2"));
                        p.recommends.push(Dep::name("linux-firmware"));
                        for f in [
                            "vmlinuz",
                            "System.map",
                            "config",
                            "symvers.xz",
                            "modules.builtin",
                        ] {
                            p.files.push(format!("/lib/modules/{uname}/{f}"));
                        }
                        p.files.push(format!("/boot/.vmlinuz-{uname}.hmac"));
                    }
                    "kernel-modules-core" | "kernel-modules" => {
                        p.provides.push(uname_dep(&format!("{part}-uname-r")));
                        let mut rng = Rng::new(SEED ^ (i as u64) << 8 ^ part.len() as u64);
                        for s in 0..if part == "kernel-modules" { 350 } else { 250 } {
                            p.provides.push(Dep::name(format!(
                                "kmod({}{s}.ko)",
                                Gen::syllables(&mut rng, 2)
                            )));
                        }
                        p.req(uname_dep("kernel-uname-r"));
                        if part == "kernel-modules" {
                            p.req(uname_dep("kernel-modules-core-uname-r"));
                        }
                        p.pre(Dep::name("/bin/sh"));
                        let count = if part == "kernel-modules" { 2400 } else { 1500 };
                        p.bulk.push(Bulk {
                            base: format!("/lib/modules/{uname}/kernel/drivers"),
                            exts: &["ko.xz"],
                            count,
                        });
                    }
                    _ => unreachable!(),
                }
                self.add(p);
            }
        }
        // kernel-tools: newest build only, not installonly.
        let evr = Evr::new(0, "6.14.0", &format!("0.rc4.36.{DIST}"));
        let mut libs = self.new_pkg(
            "kernel-tools-libs",
            false,
            "kernel",
            &evr,
            "libraries of the kernel tools",
        );
        libs.provides.push(Dep::name("libcpupower.so.1()(64bit)"));
        libs.files.push("/usr/lib64/libcpupower.so.1".into());
        self.elf(&mut libs, false);
        self.add(libs);
        let mut tools = self.new_pkg(
            "kernel-tools",
            false,
            "kernel",
            &evr,
            "tools of the Linux kernel",
        );
        tools.req(Dep::with("kernel-tools-libs", Op::Eq, evr.clone()));
        tools.req_s("libcpupower.so.1()(64bit)");
        for b in ["cpupower", "turbostat", "x86_energy_perf_policy"] {
            tools.files.push(format!("/usr/bin/{b}"));
        }
        self.elf(&mut tools, false);
        self.add(tools);
        for n in [
            "kernel",
            "kernel-core",
            "kernel-modules",
            "kernel-modules-core",
        ] {
            self.multiversion.push(n.to_string());
        }
    }

    /// glibc-langpack-*, langpacks-*, hunspell-* and man-pages-* for every
    /// language: Supplements in Fedora's langpack style.
    fn langpacks(&mut self) {
        let noto = self.by_name["google-noto-sans-vf-fonts"];
        for lang in LANGS {
            let l = lang.split('_').next().unwrap();
            self.pkgs[noto]
                .provides
                .push(Dep::name(format!("font(:lang={l})")));
        }
        let glibc = self.pkgs[self.by_name["glibc"]].evr.clone();
        let lp_evr = Evr::new(0, "4.1", &format!("9.{DIST}"));
        let hs_evr = Evr::new(0, "1.7.2", &format!("9.{DIST}"));
        for (i, &lang) in LANGS.iter().enumerate() {
            let mut g = self.new_pkg(
                &format!("glibc-langpack-{lang}"),
                false,
                "glibc",
                &glibc,
                "locale data for glibc",
            );
            g.req(Dep::with("glibc", Op::Eq, glibc.clone()));
            g.req(Dep::with("glibc-common", Op::Eq, glibc.clone()));
            g.provides
                .push(Dep::with("glibc-langpack", Op::Eq, glibc.clone()));
            g.supplements.push(Dep::name(format!(
                "(glibc and (langpacks-{lang} or langpacks-core-{lang}))"
            )));
            g.files
                .push(format!("/usr/lib/locale/{lang}.utf8/LC_CTYPE"));
            g.bulk.push(Bulk {
                base: format!("/usr/share/locale/{lang}/LC_MESSAGES"),
                exts: &["mo"],
                count: 6,
            });
            self.add(g);

            let mut core = self.new_pkg(
                &format!("langpacks-core-{lang}"),
                true,
                "langpacks",
                &lp_evr,
                "core language support",
            );
            core.req(Dep::name(format!("glibc-langpack-{lang}")));
            core.req(Dep::name(format!("langpacks-core-font-{lang}")));
            core.files.push(format!("/usr/share/langpacks/core-{lang}"));
            self.add(core);
            let mut font = self.new_pkg(
                &format!("langpacks-core-font-{lang}"),
                true,
                "langpacks",
                &lp_evr,
                "default fonts of a language",
            );
            font.req(Dep::name(format!(
                "font(:lang={})",
                lang.split('_').next().unwrap()
            )));
            self.add(font);
            let mut fonts = self.new_pkg(
                &format!("langpacks-fonts-{lang}"),
                true,
                "langpacks",
                &lp_evr,
                "all fonts of a language",
            );
            fonts.req(Dep::name(format!(
                "font(:lang={})",
                lang.split('_').next().unwrap()
            )));
            fonts.req(Dep::name(format!("langpacks-core-font-{lang}")));
            self.add(fonts);
            let mut lp = self.new_pkg(
                &format!("langpacks-{lang}"),
                true,
                "langpacks",
                &lp_evr,
                "language support",
            );
            lp.req(Dep::with(
                format!("langpacks-core-{lang}"),
                Op::Eq,
                lp_evr.clone(),
            ));
            lp.recommends
                .push(Dep::name(format!("langpacks-fonts-{lang}")));
            if i % 4 != 3 {
                lp.recommends.push(Dep::name(format!("hunspell-{lang}")));
                let mut h = self.new_pkg(
                    &format!("hunspell-{lang}"),
                    true,
                    &format!("hunspell-{lang}"),
                    &hs_evr,
                    "a spell checking dictionary",
                );
                h.req(Dep::name("hunspell-filesystem"));
                h.supplements
                    .push(Dep::name(format!("(hunspell and langpacks-{lang})")));
                h.files.push(format!("/usr/share/hunspell/{lang}.dic"));
                h.files.push(format!("/usr/share/hunspell/{lang}.aff"));
                self.add(h);
            }
            if i % 3 == 0 {
                let mut m = self.new_pkg(
                    &format!("man-pages-{lang}"),
                    true,
                    &format!("man-pages-{lang}"),
                    &lp_evr,
                    "translated manual pages",
                );
                m.supplements
                    .push(Dep::name(format!("(man-pages and langpacks-{lang})")));
                m.bulk.push(Bulk {
                    base: format!("/usr/share/man/{lang}/man1"),
                    exts: &["1.gz"],
                    count: 120,
                });
                self.add(m);
            }
            self.role("langpacks", &format!("langpacks-{lang}"));
        }
    }
}

fn summary_for(name: &str, what: &str) -> String {
    let mut s = what.to_string();
    if let Some(c) = s.get_mut(0..1) {
        c.make_ascii_uppercase();
    }
    if s.len() > 70 {
        s.truncate(70);
    }
    if s.is_empty() {
        format!("The {name} package")
    } else {
        s
    }
}

// ---------------------------------------------------------------- version helpers

/// A version below `ver` (its first non-zero number decreased), if there is one.
fn lower_ver(ver: &str) -> Option<String> {
    let bytes = ver.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let n: u64 = ver[start..i].parse().ok()?;
            if n > 0 {
                return Some(format!("{}{}{}", &ver[..start], n - 1, &ver[i..]));
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The next major version: the first number plus one (`0.x` counts the
/// minor, as semver does).
fn next_major(ver: &str) -> String {
    let nums: Vec<u64> = ver
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(2)
        .map(|s| s.parse().unwrap_or(0))
        .collect();
    match nums.as_slice() {
        [0, minor, ..] => format!("0.{}", minor + 1),
        [major, ..] => format!("{}", major + 1),
        [] => "1".to_string(),
    }
}

/// A dependency on capability `c` in one of the styles packagers write:
/// plain, `>=` a lower version, or a `with` range below the next major.
/// `min` is the version of the capability's oldest build: lower bounds stay
/// below it, so every build of it satisfies them.
fn cap_dep(rng: &mut Rng, c: &Cap, min: &str, plain: u64, ge: u64, tilde: bool) -> Dep {
    let r = rng.next() % 1000;
    let lower = lower_ver(min).unwrap_or_else(|| min.to_string());
    if r < plain {
        Dep::name(c.name.clone())
    } else if r < plain + ge {
        Dep::with(
            c.name.clone(),
            Op::Ge,
            Evr {
                epoch: 0,
                ver: lower,
                rel: None,
            },
        )
    } else {
        let hi = next_major(&c.ver);
        let t = if tilde { "~" } else { "" };
        Dep::name(format!("({n} >= {lower} with {n} < {hi}{t})", n = c.name))
    }
}

const PERL_CORE: &[&str] = &[
    "perl(Carp)",
    "perl(Exporter)",
    "perl(constant)",
    "perl(parent)",
    "perl(Scalar::Util)",
    "perl(List::Util)",
    "perl(File::Spec)",
    "perl(Cwd)",
    "perl(File::Temp)",
    "perl(File::Path)",
    "perl(Getopt::Long)",
    "perl(Data::Dumper)",
    "perl(Encode)",
    "perl(Storable)",
    "perl(POSIX)",
    "perl(IO::File)",
    "perl(File::Basename)",
    "perl(base)",
    "perl(overload)",
    "perl(vars)",
    "perl(utf8)",
    "perl(Time::Local)",
    "perl(MIME::Base64)",
    "perl(Digest::MD5)",
    "perl(Socket)",
    "perl(HTTP::Tiny)",
    "perl(Text::ParseWords)",
    "perl(Term::ANSIColor)",
    "perl(version)",
    "perl(Fcntl)",
    "perl(Errno)",
    "perl(XSLoader)",
];

const FONT_LANGS: &[&str] = &[
    "aa", "af", "am", "ar", "as", "ast", "az", "be", "bg", "bn", "bo", "br", "bs", "ca", "ce",
    "ch", "co", "cs", "cy", "da", "de", "dz", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi",
    "fil", "fj", "fo", "fr", "fur", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "haw", "he",
    "hi", "hr", "hsb", "ht", "hu", "hy", "ia", "id", "ig", "is", "it", "iu", "ja", "jv", "ka",
    "kk", "kl", "km", "kn", "ko", "ku", "ky", "la", "lb", "lg", "ln", "lo", "lt", "lv", "mg", "mi",
    "mk", "ml", "mn", "mr", "ms", "mt", "my", "nb", "ne", "nl", "nn", "no", "oc", "om", "or", "pa",
    "pl", "ps", "pt", "qu", "rm", "ro", "ru", "rw", "sa", "sc", "sd", "se", "si", "sk", "sl", "sm",
    "so", "sq", "sr", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tr", "tt", "ug", "uk",
    "ur", "uz", "vi", "wa", "wo", "xh", "yi", "yo", "zh", "zu",
];

/// Conditions of `(a if c)` style deps: packages a system may or may not have.
const CONDITIONS: &[&str] = &[
    "gtk3",
    "NetworkManager",
    "selinux-policy-targeted",
    "systemd",
    "pipewire",
    "httpd",
    "gnome-shell",
    "rpm-build",
    "bash-completion",
    "python3",
    "qt6-qtbase-gui",
    "firewalld",
];

impl Gen {
    /// A versioned Conflicts on the package of one of `deps` (below its
    /// current version, as packagers write to keep out too-old libraries).
    fn conflict_guard(&mut self, p: &mut Pkg, deps: &[Lib]) {
        let Some(lib) = deps.iter().find(|l| l.pkg != usize::MAX) else {
            return;
        };
        let q = &self.pkgs[lib.pkg];
        if let Some(low) = lower_ver(&q.evr.ver) {
            p.conflicts.push(Dep::with(
                q.name.clone(),
                Op::Lt,
                Evr {
                    epoch: q.evr.epoch,
                    ver: low,
                    rel: None,
                },
            ));
        }
    }

    /// A rename: `Obsoletes: old < evr` and `Provides: old = evr`, where no
    /// package is called `old`.
    fn rename(&mut self, p: &mut Pkg) {
        let suffix = *self
            .rng
            .pick(&["compat", "legacy", "tools", "utils", "ng", "common"]);
        let old = if self.rng.pm(500) {
            format!("{}-{suffix}", p.name)
        } else {
            format!(
                "{}{}",
                p.name.trim_end_matches("-devel"),
                self.rng.range(1, 3)
            )
        };
        if let Some(old) = self.fresh(old) {
            p.obsoletes
                .push(Dep::with(old.clone(), Op::Lt, p.evr.clone()));
            p.provides.push(Dep::with(old, Op::Eq, p.evr.clone()));
        }
    }

    /// Rich dependencies in the shapes Fedora uses.
    fn rich(&mut self, p: &mut Pkg) {
        let a = self.pick_tool();
        let b = self.pick_tool();
        let c = (*self.rng.pick(CONDITIONS)).to_string();
        if a == b || a == p.name || b == p.name {
            return;
        }
        let e = match self.rng.below(100) {
            0..=34 => format!("({a} or {b})"),
            35..=59 => format!("({a} if {c})"),
            60..=71 => format!("({a} if {c} else {b})"),
            // libsolv reads `(a unless c)` in Requires as "a and not c": a
            // plain `unless` on a random condition would make whole
            // dependency trees uninstallable. Plain `unless` is made by
            // `capp` against its own `-minimal` variant; here it has an else.
            72..=85 => format!("({a} unless {c} else {b})"),
            86..=93 => format!("(({a} or {b}) if {c})"),
            94..=97 => {
                let d = self.pick_tool();
                if d == p.name {
                    return;
                }
                format!("({a} or ({b} and {d}))")
            }
            _ => format!("({a} without {a}-minimal)"),
        };
        p.req(Dep::name(e));
    }

    /// Older builds of the source whose packages are `first..`: the same
    /// packages at a lower version, every `%evr` pin moved along.
    fn maybe_older(&mut self, first: usize) {
        if !self.rng.pm(10) || first >= self.pkgs.len() {
            return;
        }
        let builds = if self.rng.pm(300) { 2 } else { 1 };
        let new = self.pkgs[first].evr.clone();
        let mut old = new.clone();
        for _ in 0..builds {
            let Some(v) = lower_ver(&old.ver) else { return };
            old = Evr::new(old.epoch, &v, &format!("{}.{DIST}", 1 + self.rng.below(3)));
            if evr_cmp(&old, &new) != Ordering::Less {
                return;
            }
            let newest: Vec<usize> = (first..self.pkgs.len())
                .filter(|&i| self.pkgs[i].evr == new)
                .collect();
            for &i in &newest {
                self.oldest.insert(i, old.ver.clone());
            }
            let clones: Vec<Pkg> = newest.iter().map(|&i| self.pkgs[i].clone()).collect();
            // Only the build's own capabilities move to the old version.
            let own: HashSet<String> = clones
                .iter()
                .flat_map(|p| p.provides.iter().map(|d| d.name.clone()))
                .collect();
            for mut p in clones {
                let retarget = |d: &mut Dep| {
                    if !own.contains(&d.name) {
                        return;
                    }
                    if let Some((_, e)) = &mut d.op {
                        if *e == new {
                            *e = old.clone();
                        } else if e.rel.is_none() && e.epoch == 0 && e.ver == new.ver {
                            e.ver = old.ver.clone();
                        }
                    }
                };
                p.evr = old.clone();
                p.src_vr = old.vr();
                p.seed = self.rng.next();
                p.provides.iter_mut().for_each(retarget);
                p.requires.iter_mut().for_each(|(d, _)| retarget(d));
                p.recommends.iter_mut().for_each(retarget);
                p.obsoletes.iter_mut().for_each(retarget);
                if !self.multiversion.contains(&p.name) {
                    self.multiversion.push(p.name.clone());
                }
                self.pkgs.push(p);
            }
        }
    }

    // ------------------------------------------------------------ C

    fn clib(&mut self) {
        let first = self.pkgs.len();
        let w = self.word();
        let lib_style = self.rng.pm(450);
        let (src, libname, develname, toolsname) = if lib_style {
            (
                format!("lib{w}"),
                format!("lib{w}"),
                format!("lib{w}-devel"),
                format!("lib{w}-tools"),
            )
        } else {
            (
                w.clone(),
                format!("{w}-libs"),
                format!("{w}-devel"),
                w.clone(),
            )
        };
        let evr = self.evr();
        let cxx = self.rng.pm(350);
        let major = self.rng.below(13);
        let mut sonames = vec![format!("lib{w}.so.{major}")];
        let extra = if self.rng.pm(800) {
            0
        } else {
            self.rng.range(1, 4)
        };
        for _ in 0..extra {
            let part = self.part();
            let so = format!("lib{w}-{part}.so.{}", self.rng.below(5));
            if !sonames.contains(&so) {
                sonames.push(so);
            }
        }
        let symver = self.rng.pm(500).then(|| {
            format!(
                "lib{w}.so.{major}({}_{}.{})(64bit)",
                w.to_ascii_uppercase(),
                self.rng.range(1, 3),
                self.rng.below(10)
            )
        });
        let has_common = self.rng.pm(150);

        let mut lib = self.new_pkg(
            &libname,
            false,
            &src,
            &evr,
            &format!("the {w} shared library"),
        );
        lib.url = format!("https://github.com/{w}/{w}");
        for so in &sonames {
            lib.provides.push(Dep::name(format!("{so}()(64bit)")));
            lib.files.push(format!("/usr/lib64/{so}"));
            lib.files.push(format!(
                "/usr/lib64/{so}.{}.{}",
                self.rng.below(20),
                self.rng.below(10)
            ));
        }
        if let Some(sv) = &symver {
            lib.provides.push(Dep::name(sv.clone()));
        }
        self.elf(&mut lib, cxx);
        let k = self.rng.count(2, 6, 30);
        let deps = self.link(&mut lib, k);
        if has_common {
            lib.req(Dep::with(format!("{w}-common"), Op::Eq, evr.clone()));
        }
        if self.rng.pm(200) {
            self.locale_bulk(&mut lib, &w);
        }
        if self.rng.pm(200) {
            self.conflict_guard(&mut lib, &deps);
        }
        if self.rng.pm(300) {
            self.rename(&mut lib);
        }
        self.doc_bulk(&mut lib, 0, 4);
        let lib_pin = lib.pin();
        let libi = self.add(lib);

        let mut pc = None;
        if self.rng.pm(850) {
            let mut d = self.new_pkg(
                &develname,
                false,
                &src,
                &evr,
                &format!("development files for {w}"),
            );
            d.req(lib_pin.clone());
            d.req(Dep::name(format!("{}()(64bit)", sonames[0])));
            if self.rng.pm(880) {
                let name = format!("pkgconfig({w})");
                d.provides.push(Dep::with(
                    name.clone(),
                    Op::Eq,
                    Evr {
                        epoch: 0,
                        ver: evr.ver.clone(),
                        rel: None,
                    },
                ));
                d.files.push(format!("/usr/lib64/pkgconfig/{w}.pc"));
                d.req_s(if self.rng.pm(500) {
                    "/usr/bin/pkg-config"
                } else {
                    "pkgconf-pkg-config"
                });
                pc = Some(name);
            }
            for dep in deps.iter().filter_map(|l| l.pc.clone()).take(4) {
                d.req(Dep::name(dep));
            }
            if self.rng.pm(25) && pc.is_some() {
                // An alternative implementation: it also provides another
                // library's pkgconfig name, which then has two providers.
                let other = self
                    .libs
                    .iter()
                    .filter(|l| l.pc.is_some())
                    .nth(self.rng.below(64))
                    .cloned();
                if let Some(other) = other {
                    let ver = self.pkgs[other.pkg].evr.ver.clone();
                    d.provides.push(Dep::with(
                        other.pc.unwrap(),
                        Op::Eq,
                        Evr {
                            epoch: 0,
                            ver,
                            rel: None,
                        },
                    ));
                }
            }
            if self.rng.pm(200) {
                d.req_s("cmake-filesystem(x86-64)");
                d.files
                    .push(format!("/usr/lib64/cmake/{w}/{w}Config.cmake"));
            }
            if cxx && self.rng.pm(300) {
                d.req_s("libstdc++-devel");
            }
            if self.rng.pm(200) {
                self.rename(&mut d);
            }
            d.files.push(format!("/usr/lib64/lib{w}.so"));
            let n = self.rng.count(1, 12, 400) as u32;
            d.bulk.push(Bulk {
                base: format!("/usr/include/{w}"),
                exts: &["h", "hpp"],
                count: n,
            });
            self.role("devel", &develname);
            self.add(d);
        }
        for (i, so) in sonames.iter().enumerate() {
            self.libs.push(Lib {
                soname: format!("{so}()(64bit)"),
                symver: if i == 0 { symver.clone() } else { None },
                pc: pc.clone(),
                pkg: libi,
            });
        }

        if self.rng.pm(450) && self.fresh_name(&toolsname) {
            let mut t = self.new_pkg(
                &toolsname,
                false,
                &src,
                &evr,
                &format!("command line tools for {w}"),
            );
            t.req(lib_pin.clone());
            t.req(Dep::name(format!("{}()(64bit)", sonames[0])));
            self.elf(&mut t, cxx);
            let k = self.rng.below(4);
            self.link(&mut t, k);
            for _ in 0..self.rng.below(3) {
                let tool = self.pick_tool();
                t.req(Dep::name(tool));
            }
            if self.rng.pm(200) {
                t.req_s("/bin/sh");
            }
            for s in ["", "-cli", "ctl", "-dump", "-info", "-convert"]
                .iter()
                .take(self.rng.range(1, 5))
            {
                t.files.push(format!("/usr/bin/{w}{s}"));
            }
            Gen::man_pages(&mut t);
            self.tools.push(toolsname.clone());
            self.role("tools", &toolsname);
            self.add(t);
        }
        if self.rng.pm(160) {
            let mut d = self.new_pkg(
                &format!("{src}-doc"),
                true,
                &src,
                &evr,
                &format!("documentation for {w}"),
            );
            let n = self.rng.count(10, 60, 1500) as u32;
            d.bulk.push(Bulk {
                base: format!("/usr/share/doc/{src}-doc/html"),
                exts: &["html", "png", "css", "js"],
                count: n,
            });
            if self.rng.pm(500) {
                d.req(lib_pin.clone());
            }
            self.add(d);
        }
        if self.rng.pm(50) {
            let mut s = self.new_pkg(
                &format!("{src}-static"),
                false,
                &src,
                &evr,
                &format!("static library for {w}"),
            );
            s.req(Dep::with(develname.clone(), Op::Eq, evr.clone()));
            s.files.push(format!("/usr/lib64/lib{w}.a"));
            if self.by_name.contains_key(&develname) {
                self.add(s);
            }
        }
        if has_common {
            let mut c = self.new_pkg(
                &format!("{w}-common"),
                true,
                &src,
                &evr,
                &format!("data files for {w}"),
            );
            let n = self.rng.count(3, 30, 600) as u32;
            c.bulk.push(Bulk {
                base: format!("/usr/share/{w}"),
                exts: &["dat", "xml", "conf", "json"],
                count: n,
            });
            c.files.push(format!("/etc/{w}/{w}.conf"));
            self.add(c);
        }
        if self.rng.pm(80) {
            let name = format!("python3-{w}");
            if self.fresh_name(&name) {
                let mut py = self.new_pkg(
                    &name,
                    false,
                    &src,
                    &evr,
                    &format!("Python bindings for {w}"),
                );
                py.req_s("python(abi) = 3.13");
                py.req_s("libpython3.13.so.1.0()(64bit)");
                py.req(lib_pin.clone());
                py.req(Dep::name(format!("{}()(64bit)", sonames[0])));
                self.elf(&mut py, cxx);
                let v = Evr {
                    epoch: 0,
                    ver: evr.ver.clone(),
                    rel: None,
                };
                py.provides
                    .push(Dep::with(format!("python3dist({w})"), Op::Eq, v.clone()));
                py.provides
                    .push(Dep::with(format!("python3.13dist({w})"), Op::Eq, v));
                py.bulk.push(Bulk {
                    base: format!("/usr/lib64/python3.13/site-packages/{w}"),
                    exts: &["py", "so"],
                    count: 6,
                });
                let i = self.add(py);
                self.pys.push(Cap {
                    name: format!("python3.13dist({w})"),
                    ver: evr.ver.clone(),
                    pkg: i,
                });
            }
        }
        if self.rng.pm(60) {
            self.mingw_of(&w, &evr);
        }
        self.maybe_older(first);
    }

    fn fresh_name(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    fn mingw_of(&mut self, base: &str, evr: &Evr) {
        let n = self.rng.below(5);
        let dll = format!("lib{base}-{n}.dll");
        let deps: Vec<String> = (0..self.rng.below(4))
            .filter(|_| !self.mingw.is_empty())
            .map(|_| self.mingw[self.rng.skewed(self.mingw.len())].clone())
            .collect();
        let statics = self.rng.pm(350);
        for (bits, triplet) in [(32, "i686-w64-mingw32"), (64, "x86_64-w64-mingw32")] {
            let name = format!("mingw{bits}-{base}");
            if !self.fresh_name(&name) {
                return;
            }
            let mut p = self.new_pkg(
                &name,
                true,
                &format!("mingw-{base}"),
                evr,
                &format!("MinGW Windows {base} library"),
            );
            p.provides.push(Dep::name(format!("mingw{bits}({dll})")));
            p.provides.push(Dep::with(
                format!("mingw{bits}-pkgconfig({base})"),
                Op::Eq,
                Evr {
                    epoch: 0,
                    ver: evr.ver.clone(),
                    rel: None,
                },
            ));
            p.req_s(&format!("mingw{bits}-filesystem >= 95"));
            p.req(Dep::name(format!("mingw{bits}-crt")));
            p.req(Dep::name(format!("mingw{bits}(kernel32.dll)")));
            p.req(Dep::name(format!("mingw{bits}(msvcrt.dll)")));
            for d in &deps {
                p.req(Dep::name(format!("mingw{bits}({d})")));
            }
            p.files
                .push(format!("/usr/{triplet}/sys-root/mingw/bin/{dll}"));
            p.files
                .push(format!("/usr/{triplet}/sys-root/mingw/lib/lib{base}.dll.a"));
            p.files.push(format!(
                "/usr/{triplet}/sys-root/mingw/lib/pkgconfig/{base}.pc"
            ));
            let n = self.rng.count(1, 10, 200) as u32;
            p.bulk.push(Bulk {
                base: format!("/usr/{triplet}/sys-root/mingw/include/{base}"),
                exts: &["h"],
                count: n,
            });
            self.add(p);
            if statics {
                let mut s = self.new_pkg(
                    &format!("{name}-static"),
                    true,
                    &format!("mingw-{base}"),
                    evr,
                    "static MinGW library",
                );
                s.req(Dep::with(name.clone(), Op::Eq, evr.clone()));
                s.files
                    .push(format!("/usr/{triplet}/sys-root/mingw/lib/lib{base}.a"));
                self.add(s);
            }
        }
        self.mingw.push(dll);
    }

    /// An application (or, with `service`, a daemon) and its subpackages.
    fn capp(&mut self, service: bool) {
        let first = self.pkgs.len();
        let w = self.word();
        let evr = self.evr();
        let cxx = self.rng.pm(400);
        let gui = !service && self.rng.pm(300);
        let what = if service {
            format!("the {w} daemon")
        } else if gui {
            format!("the {w} desktop application")
        } else {
            format!("the {w} command line tool")
        };
        let mut p = self.new_pkg(&w, false, &w, &evr, &what);
        p.url = format!("https://{w}.io/");
        self.elf(&mut p, cxx);
        let k = self.rng.count(3, 9, 50);
        let deps = self.link(&mut p, k);
        if gui {
            let toolkit: &[&str] = match self.rng.below(100) {
                0..=44 => &[
                    "libgtk-3.so.0()(64bit)",
                    "libgdk-3.so.0()(64bit)",
                    "libgdk_pixbuf-2.0.so.0()(64bit)",
                    "libpango-1.0.so.0()(64bit)",
                    "libcairo.so.2()(64bit)",
                    "libgobject-2.0.so.0()(64bit)",
                    "libglib-2.0.so.0()(64bit)",
                ],
                45..=69 => &[
                    "libgtk-4.so.1()(64bit)",
                    "libgio-2.0.so.0()(64bit)",
                    "libgobject-2.0.so.0()(64bit)",
                    "libglib-2.0.so.0()(64bit)",
                    "libcairo.so.2()(64bit)",
                ],
                _ => &[
                    "libQt6Core.so.6()(64bit)",
                    "libQt6Core.so.6(Qt_6)(64bit)",
                    "libQt6Gui.so.6()(64bit)",
                    "libQt6Gui.so.6(Qt_6)(64bit)",
                    "libQt6Widgets.so.6()(64bit)",
                    "libstdc++.so.6()(64bit)",
                ],
            };
            for so in toolkit {
                p.req_s(so);
            }
            p.req_s("hicolor-icon-theme");
            let rdns = format!("org.{w}.{}", capitalize(&w));
            p.provides.push(Dep::name("application()"));
            p.provides
                .push(Dep::name(format!("application({rdns}.desktop)")));
            p.provides
                .push(Dep::name(format!("metainfo({rdns}.metainfo.xml)")));
            if self.rng.pm(300) {
                p.provides
                    .push(Dep::name(format!("mimehandler(application/x-{w})")));
            }
            p.files
                .push(format!("/usr/share/applications/{rdns}.desktop"));
            p.files
                .push(format!("/usr/share/metainfo/{rdns}.metainfo.xml"));
            p.bulk.push(Bulk {
                base: format!("/usr/share/icons/hicolor/scalable/apps/{w}"),
                exts: &["svg", "png"],
                count: self.rng.range(2, 12) as u32,
            });
            if self.rng.pm(300) {
                p.recommends.push(Dep::name("xdg-utils"));
            }
            self.role("gui", &w);
        }
        if service {
            p.files.push(format!("/usr/sbin/{w}d"));
            p.files.push(format!("/etc/{w}/{w}d.conf"));
            p.files.push(format!("/etc/sysconfig/{w}d"));
            p.files
                .push(format!("/usr/lib/systemd/system/{w}d.service"));
            p.files.push(format!("/usr/lib/sysusers.d/{w}.conf"));
            p.provides
                .push(Dep::with(format!("config({w})"), Op::Eq, evr.clone()));
            p.provides.push(Dep::name(format!("user({w})")));
            p.provides.push(Dep::name(format!("group({w})")));
            if self.rng.pm(600) {
                p.req_s("systemd");
            }
            if self.rng.pm(700) {
                p.pre(Dep::name("systemd"));
            }
            p.pre(Dep::name(if self.rng.pm(500) {
                "/usr/sbin/useradd"
            } else {
                "shadow-utils"
            }));
            p.pre(Dep::name("/bin/sh"));
            if self.rng.pm(150) {
                p.req_s("webserver");
                self.role("webapps", &w);
            }
            if self.rng.pm(80) {
                p.req_s("smtpdaemon");
            }
            self.role("services", &w);
        } else {
            let n = self.rng.range(1, 6);
            for s in ["", "-cli", "ctl", "-gui", "-helper", "-daemon"]
                .iter()
                .take(n)
            {
                p.files.push(format!("/usr/bin/{w}{s}"));
            }
            if self.rng.pm(250) {
                p.files.push(format!("/etc/{w}/{w}.conf"));
                if self.rng.pm(400) {
                    p.files.push(format!("/etc/{w}/{w}.d/default.conf"));
                }
            }
            self.role("apps", &w);
        }
        for _ in 0..self.rng.below(4) {
            let tool = self.pick_tool();
            if tool != w {
                p.req(Dep::name(tool));
            }
        }
        if self.rng.pm(250) {
            p.req_s("/bin/sh");
        }
        if self.rng.pm(120) {
            p.req_s("/usr/bin/python3");
            for _ in 0..self.rng.below(3) {
                if let Some(c) = Gen::pick_cap(&self.pys, &mut self.rng) {
                    p.req(Dep::name(c.name));
                }
            }
        }
        if self.rng.pm(60) {
            p.req_s("/usr/bin/perl");
            for _ in 0..self.rng.below(3) {
                if let Some(c) = Gen::pick_cap(&self.perls, &mut self.rng) {
                    p.req(Dep::name(c.name));
                }
            }
        }
        if self.rng.pm(110) {
            self.rich(&mut p);
        }
        if self.rng.pm(300) {
            for _ in 0..self.rng.range(1, 3) {
                let t = self.pick_tool();
                if t != w {
                    p.recommends.push(Dep::name(t));
                }
            }
        }
        if self.rng.pm(80) {
            let t = self.pick_tool();
            p.suggests.push(Dep::name(t));
        }
        if self.rng.pm(200) {
            self.conflict_guard(&mut p, &deps);
        }
        if self.rng.pm(300) {
            self.rename(&mut p);
        }
        if self.rng.pm(200) {
            self.locale_bulk(&mut p, &w);
        }
        Gen::man_pages(&mut p);
        self.doc_bulk(&mut p, 0, 6);

        // `(tool unless foo-minimal)`: foo-minimal conflicts with foo, so
        // nothing that installs foo can have it.
        let mut minimal = None;
        if self.rng.pm(20) && self.fresh_name(&format!("{w}-minimal")) {
            let name = format!("{w}-minimal");
            let t = self.pick_tool();
            if t != w {
                p.req(Dep::name(format!("({t} unless {name})")));
                let mut m =
                    self.new_pkg(&name, false, &w, &evr, &format!("a minimal build of {w}"));
                self.elf(&mut m, cxx);
                let k = self.rng.range(1, 3);
                self.link(&mut m, k);
                m.conflicts.push(Dep::name(w.clone()));
                m.files.push(format!("/usr/libexec/{w}/{w}-minimal"));
                minimal = Some(m);
            }
        }
        if service && self.rng.pm(300) {
            let name = format!("{w}-selinux");
            p.req(Dep::name(format!("({name} if selinux-policy-targeted)")));
            let mut s = self.new_pkg(&name, true, &w, &evr, &format!("SELinux policy for {w}"));
            s.req_s("selinux-policy-targeted");
            s.pre(Dep::name("selinux-policy-targeted"));
            s.pre(Dep::name("libselinux-utils"));
            s.pre(Dep::name("policycoreutils"));
            s.files
                .push(format!("/usr/share/selinux/packages/targeted/{w}.pp.bz2"));
            self.add(s);
        }
        if self.rng.pm(200) {
            let name = format!("{w}-data");
            p.req(Dep::with(name.clone(), Op::Eq, evr.clone()));
            let mut d = self.new_pkg(&name, true, &w, &evr, &format!("data files for {w}"));
            let n = self.rng.count(5, 40, 1500) as u32;
            d.bulk.push(Bulk {
                base: format!("/usr/share/{w}"),
                exts: &["dat", "png", "svg", "xml", "json", "txt"],
                count: n,
            });
            self.add(d);
        }
        if self.rng.pm(100) {
            let name = format!("{w}-libs");
            let so = format!("lib{w}.so.{}", self.rng.below(4));
            p.req(Dep::with(format!("{name}(x86-64)"), Op::Eq, evr.clone()));
            p.req(Dep::name(format!("{so}()(64bit)")));
            let mut l = self.new_pkg(&name, false, &w, &evr, &format!("libraries of {w}"));
            l.provides.push(Dep::name(format!("{so}()(64bit)")));
            l.files.push(format!("/usr/lib64/{so}"));
            self.elf(&mut l, cxx);
            let k = self.rng.below(4);
            self.link(&mut l, k);
            self.add(l);
        }
        let main = self.add(p);
        if let Some(m) = minimal {
            self.add(m);
        }
        if self.rng.pm(100) {
            let mut d = self.new_pkg(
                &format!("{w}-doc"),
                true,
                &w,
                &evr,
                &format!("documentation for {w}"),
            );
            let n = self.rng.count(5, 60, 1200) as u32;
            d.bulk.push(Bulk {
                base: format!("/usr/share/doc/{w}-doc"),
                exts: &["html", "pdf", "txt"],
                count: n,
            });
            if self.rng.pm(500) {
                self.pkgs[main].suggests.push(Dep::name(format!("{w}-doc")));
            }
            self.add(d);
        }
        if self.rng.pm(if gui { 40 } else { 6 }) {
            let n = self.rng.range(5, 20);
            for lang in LANGS.iter().take(n) {
                let mut l = self.new_pkg(
                    &format!("{w}-langpack-{lang}"),
                    true,
                    &w,
                    &evr,
                    &format!("{lang} translations for {w}"),
                );
                l.req(Dep::with(w.clone(), Op::Eq, evr.clone()));
                l.supplements
                    .push(Dep::name(format!("({w} and langpacks-{lang})")));
                l.files
                    .push(format!("/usr/share/{w}/translations/{w}_{lang}.qm"));
                self.add(l);
            }
            self.role("langpack-apps", &w);
        }
        if self.rng.pm(60) {
            let mut recommended = false;
            for _ in 0..self.rng.range(1, 5) {
                let part = self.part();
                let name = format!("{w}-plugin-{part}");
                if !self.fresh_name(&name) {
                    continue;
                }
                let mut pl = self.new_pkg(&name, false, &w, &evr, &format!("a plugin for {w}"));
                pl.req(Dep::with(format!("{w}(x86-64)"), Op::Eq, evr.clone()));
                self.elf(&mut pl, cxx);
                let k = self.rng.below(3);
                self.link(&mut pl, k);
                if self.rng.pm(150) {
                    pl.enhances.push(Dep::name(w.clone()));
                }
                pl.files.push(format!("/usr/lib64/{w}/plugins/{part}.so"));
                if !recommended && self.rng.pm(500) {
                    self.pkgs[main].recommends.push(Dep::name(name.clone()));
                    recommended = true;
                }
                self.role("plugins", &name);
                self.add(pl);
            }
        }
        if self.rng.pm(25) {
            let cap = format!("{w}-backend");
            self.pkgs[main]
                .requires
                .push((Dep::name(cap.clone()), false));
            for _ in 0..self.rng.range(2, 3) {
                let part = self.part();
                let name = format!("{w}-backend-{part}");
                if !self.fresh_name(&name) {
                    continue;
                }
                let mut b = self.new_pkg(&name, false, &w, &evr, &format!("a backend for {w}"));
                b.provides.push(Dep::name(cap.clone()));
                b.req(Dep::with(format!("{w}(x86-64)"), Op::Eq, evr.clone()));
                self.elf(&mut b, cxx);
                let k = self.rng.range(1, 3);
                self.link(&mut b, k);
                b.files.push(format!("/usr/lib64/{w}/backends/{part}.so"));
                self.add(b);
            }
            // Guarantee a provider even if every name was taken.
            if !self.pkgs[first..]
                .iter()
                .any(|q| q.provides.iter().any(|d| d.name == cap))
            {
                self.pkgs[main].provides.push(Dep::name(cap));
            }
        }
        if self.rng.pm(40) {
            let mut bc = self.new_pkg(
                &format!("{w}-bash-completion"),
                true,
                &w,
                &evr,
                &format!("bash completion for {w}"),
            );
            bc.req_s("bash-completion");
            bc.supplements
                .push(Dep::name(format!("({w} and bash-completion)")));
            bc.files
                .push(format!("/usr/share/bash-completion/completions/{w}"));
            self.add(bc);
        }
        self.tools.push(w);
        self.maybe_older(first);
    }

    // ------------------------------------------------------------ languages

    fn python(&mut self) {
        let first = self.pkgs.len();
        let w = self.word();
        let name = format!("python3-{w}");
        let src = format!("python-{w}");
        let evr = self.evr();
        let ext = self.rng.pm(200);
        let mut p = self.new_pkg(&name, !ext, &src, &evr, &format!("the {w} Python module"));
        p.url = format!("https://pypi.org/project/{w}/");
        let v = Evr {
            epoch: 0,
            ver: evr.ver.clone(),
            rel: None,
        };
        p.provides
            .push(Dep::with(format!("python3dist({w})"), Op::Eq, v.clone()));
        p.provides
            .push(Dep::with(format!("python3.13dist({w})"), Op::Eq, v.clone()));
        p.provides
            .push(Dep::with(format!("python-{w}"), Op::Eq, evr.clone()));
        p.provides
            .push(Dep::with(format!("python3.13-{w}"), Op::Eq, evr.clone()));
        p.req_s("python(abi) = 3.13");
        if ext {
            let cxx = self.rng.pm(300);
            self.elf(&mut p, cxx);
            p.req_s("libpython3.13.so.1.0()(64bit)");
            let k = self.rng.below(3);
            self.link(&mut p, k);
        }
        let k = self.rng.count(1, 5, 30);
        if self.rng.pm(120) {
            if let Some(c) = Gen::pick_cap(&self.pys, &mut self.rng) {
                p.recommends.push(Dep::name(c.name));
            }
        }
        for _ in 0..k {
            if let Some(c) = Gen::pick_cap(&self.pys, &mut self.rng) {
                if c.pkg < self.pkgs.len() && self.pkgs[c.pkg].name != name {
                    let min = self.oldest(c.pkg, &c.ver);
                    let d = cap_dep(&mut self.rng, &c, &min, 550, 250, false);
                    p.req(d);
                }
            }
        }
        if self.rng.pm(150) {
            p.files.push(format!("/usr/bin/{w}"));
            p.req_s("/usr/bin/python3");
        }
        if self.rng.pm(300) {
            self.rename(&mut p);
        }
        if self.rng.pm(60) {
            if let Some(c) = Gen::pick_cap(&self.pys, &mut self.rng) {
                if let Some(low) = lower_ver(&c.ver) {
                    p.conflicts.push(Dep::with(
                        c.name.clone(),
                        Op::Lt,
                        Evr {
                            epoch: 0,
                            ver: low,
                            rel: None,
                        },
                    ));
                }
            }
        }
        let site = if ext {
            "/usr/lib64/python3.13/site-packages"
        } else {
            "/usr/lib/python3.13/site-packages"
        };
        p.files
            .push(format!("{site}/{w}-{}.dist-info/METADATA", evr.ver));
        let n = self.rng.count(2, 20, 900) as u32;
        p.bulk.push(Bulk {
            base: format!("{site}/{w}"),
            exts: &["py", "cpython-313.pyc"],
            count: n,
        });
        self.doc_bulk(&mut p, 0, 3);
        let i = self.add(p);
        self.pys.push(Cap {
            name: format!("python3.13dist({w})"),
            ver: evr.ver.clone(),
            pkg: i,
        });
        self.role("python", &name);
        if self.rng.pm(50) {
            let extra = self.part();
            if !self.fresh_name(&format!("python3-{w}+{extra}")) {
                return self.maybe_older(first);
            }
            let mut x = self.new_pkg(
                &format!("python3-{w}+{extra}"),
                true,
                &src,
                &evr,
                &format!("metapackage for {w}[{extra}]"),
            );
            x.req(Dep::with(name.clone(), Op::Eq, evr.clone()));
            x.provides.push(Dep::with(
                format!("python3dist({w}[{extra}])"),
                Op::Eq,
                v.clone(),
            ));
            x.provides.push(Dep::with(
                format!("python3.13dist({w}[{extra}])"),
                Op::Eq,
                v.clone(),
            ));
            for _ in 0..self.rng.range(1, 2) {
                if let Some(c) = Gen::pick_cap(&self.pys, &mut self.rng) {
                    if self.pkgs[c.pkg].name != name {
                        x.req(Dep::name(c.name));
                    }
                }
            }
            self.add(x);
        }
        if self.rng.pm(60) {
            let mut d = self.new_pkg(
                &format!("python-{w}-doc"),
                true,
                &src,
                &evr,
                &format!("documentation for {w}"),
            );
            let n = self.rng.count(5, 40, 600) as u32;
            d.bulk.push(Bulk {
                base: format!("/usr/share/doc/python-{w}-doc/html"),
                exts: &["html", "js", "css"],
                count: n,
            });
            self.add(d);
        }
        if self.rng.pm(15) {
            // A fork providing the same distribution name: several providers.
            let f = self.word();
            let fork_evr = self.evr();
            let mut fk = self.new_pkg(
                &format!("python3-{f}"),
                true,
                &format!("python-{f}"),
                &fork_evr,
                &format!("a fork of {w}"),
            );
            fk.req_s("python(abi) = 3.13");
            let fv = Evr {
                epoch: 0,
                ver: fork_evr.ver.clone(),
                rel: None,
            };
            fk.provides
                .push(Dep::with(format!("python3dist({f})"), Op::Eq, fv.clone()));
            fk.provides.push(Dep::with(
                format!("python3.13dist({f})"),
                Op::Eq,
                fv.clone(),
            ));
            fk.provides
                .push(Dep::with(format!("python3.13dist({w})"), Op::Eq, fv));
            fk.bulk.push(Bulk {
                base: format!("/usr/lib/python3.13/site-packages/{f}"),
                exts: &["py"],
                count: 8,
            });
            let j = self.add(fk);
            self.pys.push(Cap {
                name: format!("python3.13dist({f})"),
                ver: fork_evr.ver.clone(),
                pkg: j,
            });
        }
        self.maybe_older(first);
    }

    fn perl(&mut self) {
        let first = self.pkgs.len();
        let a = capitalize(&self.word());
        let b = capitalize(&self.part());
        let name = format!("perl-{a}-{b}");
        if !self.fresh_name(&name) {
            return;
        }
        let module = format!("{a}::{b}");
        let xs = self.rng.pm(150);
        let ver = format!("{}.{:02}", self.rng.below(3), self.rng.below(100));
        let epoch = if self.rng.pm(30) {
            self.rng.range(1, 4) as u32
        } else {
            0
        };
        let rel = self.release();
        let evr = Evr::new(epoch, &ver, &rel);
        let mut p = self.new_pkg(
            &name,
            !xs,
            &name,
            &evr,
            &format!("the {module} Perl module"),
        );
        p.url = format!("https://metacpan.org/dist/{a}-{b}");
        p.license = "GPL-1.0-or-later OR Artistic-1.0-Perl";
        let v = Evr {
            epoch: 0,
            ver: ver.clone(),
            rel: None,
        };
        p.provides
            .push(Dep::with(format!("perl({module})"), Op::Eq, v.clone()));
        let mut caps = vec![format!("perl({module})")];
        for _ in 0..self.rng.below(5) {
            let sub = capitalize(&self.part());
            let cap = format!("perl({module}::{sub})");
            if caps.contains(&cap) {
                continue;
            }
            if self.rng.pm(700) {
                p.provides.push(Dep::with(cap.clone(), Op::Eq, v.clone()));
            } else {
                p.provides.push(Dep::name(cap.clone()));
            }
            caps.push(cap);
        }
        if self.rng.pm(20) {
            // A bundle that also ships a newer copy of an existing module
            // (dual-lived): that perl() capability has two providers.
            if let Some(c) = Gen::pick_cap(&self.perls, &mut self.rng) {
                let ver = format!(
                    "{}.{:02}",
                    c.ver
                        .split('.')
                        .next()
                        .unwrap_or("0")
                        .parse::<u32>()
                        .unwrap_or(0)
                        + 1,
                    self.rng.below(100)
                );
                p.provides.push(Dep::with(
                    c.name,
                    Op::Eq,
                    Evr {
                        epoch: 0,
                        ver,
                        rel: None,
                    },
                ));
            }
        }
        p.req_s("perl(:MODULE_COMPAT_5.40.1)");
        p.req_s("perl(strict)");
        if self.rng.pm(800) {
            p.req_s("perl(warnings)");
        }
        for _ in 0..self.rng.range(2, 8) {
            let m = self.rng.pick(PERL_CORE);
            p.req_s(m);
        }
        if self.rng.pm(250) {
            self.rename(&mut p);
        }
        for _ in 0..self.rng.count(0, 4, 25) {
            if let Some(c) = Gen::pick_cap(&self.perls, &mut self.rng) {
                if self.pkgs[c.pkg].name != name {
                    let min = self.oldest(c.pkg, &c.ver);
                    let d = cap_dep(&mut self.rng, &c, &min, 700, 300, false);
                    p.req(d);
                }
            }
        }
        if xs {
            self.elf(&mut p, false);
            p.req_s("libperl.so.5.40()(64bit)");
            p.req_s("perl(XSLoader)");
        }
        if self.rng.pm(100) {
            p.files.push(format!(
                "/usr/bin/{}-{}",
                a.to_ascii_lowercase(),
                b.to_ascii_lowercase()
            ));
            p.req_s("/usr/bin/perl");
        }
        let dir = if xs {
            "/usr/lib64/perl5/vendor_perl"
        } else {
            "/usr/share/perl5/vendor_perl"
        };
        p.files.push(format!("{dir}/{a}/{b}.pm"));
        let n = self.rng.count(0, 5, 120) as u32;
        if n > 0 {
            p.bulk.push(Bulk {
                base: format!("{dir}/{a}/{b}"),
                exts: &["pm"],
                count: n,
            });
        }
        p.bulk.push(Bulk {
            base: "/usr/share/man/man3".into(),
            exts: &["3pm.gz"],
            count: n.max(1),
        });
        self.doc_bulk(&mut p, 1, 4);
        let i = self.add(p);
        for cap in caps {
            self.perls.push(Cap {
                name: cap,
                ver: ver.clone(),
                pkg: i,
            });
        }
        self.role("perl", &name);
        if self.rng.pm(80) {
            let mut t = self.new_pkg(
                &format!("{name}-tests"),
                true,
                &name,
                &evr,
                &format!("tests for {module}"),
            );
            t.req(Dep::with(name.clone(), Op::Eq, evr.clone()));
            t.req_s("perl-Test-Harness");
            t.req_s("perl(Test::More)");
            t.req_s("/usr/bin/perl");
            let n = self.rng.count(2, 10, 200) as u32;
            t.bulk.push(Bulk {
                base: format!("/usr/libexec/{name}/t"),
                exts: &["t"],
                count: n,
            });
            self.add(t);
        }
        self.maybe_older(first);
    }

    fn golang(&mut self) {
        let first = self.pkgs.len();
        let (host, short) = *self.rng.pick(&[
            ("github.com", "github"),
            ("github.com", "github"),
            ("github.com", "github"),
            ("gitlab.com", "gitlab"),
            ("golang.org/x", "x"),
            ("go.opentelemetry.io", "opentelemetry"),
            ("gopkg.in", "gopkg"),
        ]);
        let a = self.word();
        let b = self.part();
        let (path, name) = if short == "x" {
            (format!("{host}/{a}"), format!("golang-x-{a}-devel"))
        } else {
            (
                format!("{host}/{a}/{b}"),
                format!("golang-{short}-{a}-{b}-devel"),
            )
        };
        if !self.fresh_name(&name) {
            return;
        }
        let src = name.trim_end_matches("-devel").to_string();
        let evr = self.evr();
        let mut p = self.new_pkg(&name, true, &src, &evr, &format!("the Go package {path}"));
        p.url = format!("https://{path}");
        let v = Evr {
            epoch: 0,
            ver: evr.ver.clone(),
            rel: None,
        };
        let mut paths = vec![path.clone()];
        for _ in 0..self.rng.count(0, 3, 30) {
            let sub = format!("{path}/{}", self.part());
            if !paths.contains(&sub) {
                paths.push(sub);
            }
        }
        for pth in &paths {
            p.provides
                .push(Dep::with(format!("golang({pth})"), Op::Eq, v.clone()));
        }
        p.provides.push(Dep::with(
            format!("golang-ipath({path})"),
            Op::Eq,
            v.clone(),
        ));
        p.req_s("go-filesystem");
        for _ in 0..self.rng.count(0, 5, 40) {
            if let Some(c) = Gen::pick_cap(&self.gos, &mut self.rng) {
                if self.pkgs[c.pkg].name != name {
                    p.req(Dep::name(c.name));
                }
            }
        }
        let n = self.rng.count(4, 40, 2500) as u32;
        p.bulk.push(Bulk {
            base: format!("/usr/share/gocode/src/{path}"),
            exts: &["go", "s", "md"],
            count: n,
        });
        let i = self.add(p);
        for pth in paths {
            self.gos.push(Cap {
                name: format!("golang({pth})"),
                ver: evr.ver.clone(),
                pkg: i,
            });
        }
        self.role("golang", &name);
        if self.rng.pm(150) && self.fresh_name(&b) {
            let mut bin = self.new_pkg(
                &b,
                false,
                &src,
                &evr,
                &format!("the {b} command, written in Go"),
            );
            self.elf(&mut bin, false);
            bin.req_s("libresolv.so.2()(64bit)");
            bin.files.push(format!("/usr/bin/{b}"));
            bin.provides.push(Dep::with(
                format!("bundled(golang({path}))"),
                Op::Eq,
                v.clone(),
            ));
            // Go binaries vendor their dependencies.
            for _ in 0..self.rng.count(5, 25, 200) {
                if let Some(c) = Gen::pick_cap(&self.gos, &mut self.rng) {
                    let v = Evr {
                        epoch: 0,
                        ver: c.ver,
                        rel: None,
                    };
                    bin.provides
                        .push(Dep::with(format!("bundled({})", c.name), Op::Eq, v));
                }
            }
            self.tools.push(b.clone());
            self.role("apps", &b);
            self.add(bin);
        }
        self.maybe_older(first);
    }

    fn rust_crate(
        &mut self,
        c: &str,
        ver: &str,
        src: &str,
        devel: &str,
        features: &[String],
    ) -> Vec<usize> {
        let rel = self.release();
        let evr = Evr::new(0, ver, &rel);
        let v = Evr {
            epoch: 0,
            ver: ver.to_string(),
            rel: None,
        };
        let mut out = Vec::new();
        let mut p = self.new_pkg(devel, true, src, &evr, &format!("the {c} Rust crate"));
        p.url = format!("https://crates.io/crates/{c}");
        p.license = "MIT OR Apache-2.0";
        p.provides
            .push(Dep::with(format!("crate({c})"), Op::Eq, v.clone()));
        p.req_s("cargo");
        for _ in 0..self.rng.count(0, 3, 25) {
            if self.crates.is_empty() {
                break;
            }
            let (dep, idx) = self.crates[self.rng.skewed(self.crates.len())].clone();
            if dep.name == c {
                continue;
            }
            let feature = if self.rng.pm(750) {
                "/default".to_string()
            } else if self.rng.pm(500) {
                String::new()
            } else {
                format!("/{}", self.rng.pick(&dep.features))
            };
            let cap = Cap {
                name: format!("crate({}{feature})", dep.name),
                ver: dep.ver.clone(),
                pkg: idx,
            };
            let min = self.oldest(idx, &dep.ver);
            let d = cap_dep(&mut self.rng, &cap, &min, 0, 150, true);
            p.req(d);
        }
        let n = self.rng.count(3, 20, 600) as u32;
        p.bulk.push(Bulk {
            base: format!("/usr/share/cargo/registry/{c}-{ver}"),
            exts: &["rs", "toml", "md"],
            count: n,
        });
        out.push(self.add(p));
        for f in features {
            let mut fp = self.new_pkg(
                &format!(
                    "rust-{}+{f}-devel",
                    devel.trim_start_matches("rust-").trim_end_matches("-devel")
                ),
                true,
                src,
                &evr,
                &format!("the {f} feature of the {c} crate"),
            );
            fp.license = "MIT OR Apache-2.0";
            fp.provides
                .push(Dep::with(format!("crate({c}/{f})"), Op::Eq, v.clone()));
            fp.req_s("cargo");
            fp.req(Dep::with(format!("crate({c})"), Op::Eq, v.clone()));
            if f == "default" {
                for g in features.iter().filter(|g| *g != "default").take(2) {
                    fp.req(Dep::with(format!("crate({c}/{g})"), Op::Eq, v.clone()));
                }
            } else if self.rng.pm(400) && !self.crates.is_empty() {
                let (dep, idx) = self.crates[self.rng.skewed(self.crates.len())].clone();
                if dep.name != c {
                    let cap = Cap {
                        name: format!("crate({}/default)", dep.name),
                        ver: dep.ver.clone(),
                        pkg: idx,
                    };
                    let min = self.oldest(idx, &dep.ver);
                    let d = cap_dep(&mut self.rng, &cap, &min, 0, 0, true);
                    fp.req(d);
                }
            }
            fp.files
                .push(format!("/usr/share/cargo/registry/{c}-{ver}/Cargo.toml"));
            out.push(self.add(fp));
        }
        out
    }

    fn rust(&mut self) {
        let first = self.pkgs.len();
        let w = self.word();
        let c = if self.rng.pm(300) {
            format!("{w}-{}", self.part())
        } else {
            w.clone()
        };
        let major = if self.rng.pm(450) {
            0
        } else {
            self.rng.range(1, 4)
        };
        let ver = format!("{major}.{}.{}", self.rng.below(25), self.rng.below(12));
        let mut features = vec!["default".to_string()];
        for f in [
            "std", "alloc", "serde", "derive", "async", "full", "log", "rayon",
        ] {
            if self.rng.pm(220) {
                features.push(f.to_string());
            }
        }
        let devel = format!("rust-{c}-devel");
        if !self.fresh_name(&devel) {
            return;
        }
        let idx = self.rust_crate(&c, &ver, &format!("rust-{c}"), &devel, &features);
        self.crates.push((
            Crate {
                name: c.clone(),
                ver: ver.clone(),
                features: features.clone(),
            },
            idx[0],
        ));
        self.role("rust", &devel);
        if self.rng.pm(80) {
            // A compat package for an older major version: `rust-foo0.3-devel`.
            let old = if major == 0 {
                let minor: usize = ver.split('.').nth(1).unwrap().parse().unwrap();
                (minor > 0).then(|| format!("0.{}.{}", self.rng.below(minor), self.rng.below(10)))
            } else {
                Some(format!(
                    "{}.{}.{}",
                    major - 1,
                    self.rng.below(25),
                    self.rng.below(10)
                ))
            };
            if let Some(old) = old {
                let tag = next_major(&old);
                let tag = if old.starts_with("0.") {
                    format!(
                        "0.{}",
                        tag.trim_start_matches("0.").parse::<u32>().unwrap() - 1
                    )
                } else {
                    format!("{}", tag.parse::<u32>().unwrap() - 1)
                };
                let compat = format!("rust-{c}{tag}-devel");
                if self.fresh_name(&compat) {
                    let idx =
                        self.rust_crate(&c, &old, &format!("rust-{c}{tag}"), &compat, &features);
                    self.crates.push((
                        Crate {
                            name: c.clone(),
                            ver: old,
                            features,
                        },
                        idx[0],
                    ));
                }
            }
        }
        if self.rng.pm(80) {
            let bin = format!("{w}-cli");
            if self.fresh_name(&bin) {
                let evr = self.pkgs[first].evr.clone();
                let mut p = self.new_pkg(
                    &bin,
                    false,
                    &format!("rust-{c}"),
                    &evr,
                    &format!("the {w} command line tool"),
                );
                self.elf(&mut p, false);
                p.req_s("libgcc_s.so.1()(64bit)");
                p.req_s("libgcc_s.so.1(GCC_4.2.0)(64bit)");
                let k = self.rng.below(3);
                self.link(&mut p, k);
                p.files.push(format!("/usr/bin/{bin}"));
                p.provides.push(Dep::with(
                    format!("bundled(crate({c}))"),
                    Op::Eq,
                    Evr {
                        epoch: 0,
                        ver: ver.clone(),
                        rel: None,
                    },
                ));
                // Rust binaries vendor their dependencies.
                for _ in 0..self.rng.count(5, 30, 250) {
                    let (dep, _) = self.crates[self.rng.below(self.crates.len())].clone();
                    let v = Evr {
                        epoch: 0,
                        ver: dep.ver,
                        rel: None,
                    };
                    p.provides.push(Dep::with(
                        format!("bundled(crate({}))", dep.name),
                        Op::Eq,
                        v,
                    ));
                }
                self.tools.push(bin.clone());
                self.role("apps", &bin);
                self.add(p);
            }
        }
        self.maybe_older(first);
    }

    fn texlive(&mut self) {
        let w = self.word();
        let name = format!("texlive-{w}");
        let evr = Evr::new(
            11,
            &format!("svn{}", 10_000 + self.rng.below(60_000)),
            &format!("88.{DIST}"),
        );
        let mut p = self.new_pkg(
            &name,
            true,
            "texlive",
            &evr,
            &format!("the {w} LaTeX package"),
        );
        p.src_vr = format!("20240311-88.{DIST}");
        p.url = format!("https://ctan.org/pkg/{w}");
        p.license = "LPPL-1.3c";
        p.provides.push(Dep::name(format!("tex({w}.sty)")));
        p.provides
            .push(Dep::with(format!("tex-{w}"), Op::Eq, evr.clone()));
        let mut caps = vec![format!("tex({w}.sty)")];
        for _ in 0..self.rng.count(0, 5, 200) {
            let ext = *self.rng.pick(&["sty", "cls", "tex", "def"]);
            let cap = format!("tex({w}-{}.{ext})", self.part());
            if !caps.contains(&cap) {
                p.provides.push(Dep::name(cap.clone()));
                caps.push(cap);
            }
        }
        p.req_s("texlive-base");
        p.req_s("texlive-kpathsea");
        if self.rng.pm(700) {
            p.req_s("tex(latex)");
        }
        for _ in 0..self.rng.count(0, 3, 20) {
            if let Some(c) = Gen::pick_cap(&self.texs, &mut self.rng) {
                p.req(Dep::name(c.name));
            }
        }
        let n = self.rng.count(1, 8, 300) as u32;
        p.bulk.push(Bulk {
            base: format!("/usr/share/texlive/texmf-dist/tex/latex/{w}"),
            exts: &["sty", "tex", "cls", "def"],
            count: n,
        });
        if self.rng.pm(500) {
            let n = self.rng.count(1, 6, 120) as u32;
            p.bulk.push(Bulk {
                base: format!("/usr/share/texlive/texmf-dist/doc/latex/{w}"),
                exts: &["pdf", "tex"],
                count: n,
            });
        }
        let i = self.add(p);
        for cap in caps {
            self.texs.push(Cap {
                name: cap,
                ver: String::new(),
                pkg: i,
            });
        }
        self.role("texlive", &name);
    }

    fn fonts(&mut self) {
        let first = self.pkgs.len();
        let w = self.word();
        let src = format!("{w}-fonts");
        let evr = self.evr();
        let common = format!("{w}-fonts-common");
        let mut c = self.new_pkg(
            &common,
            true,
            &src,
            &evr,
            &format!("common files of the {w} fonts"),
        );
        c.req_s("fontpackages-filesystem");
        c.license = "OFL-1.1";
        c.files
            .push(format!("/usr/share/licenses/{common}/OFL.txt"));
        self.add(c);
        let n = self.rng.range(1, 4);
        for style in [
            "sans",
            "serif",
            "mono",
            "sans-mono",
            "display",
            "handwriting",
            "math",
        ]
        .iter()
        .take(n)
        {
            let name = format!("{w}-{style}-fonts");
            let mut p = self.new_pkg(
                &name,
                true,
                &src,
                &evr,
                &format!("the {w} {style} font family"),
            );
            p.license = "OFL-1.1";
            let fam = format!("{w}{}", style.replace('-', ""));
            p.provides.push(Dep::name(format!("font({fam})")));
            if self.rng.pm(500) {
                p.provides.push(Dep::name(format!("font({fam}bold)")));
            }
            let k = self.rng.range(5, 80);
            let start = self.rng.below(FONT_LANGS.len());
            for j in 0..k {
                p.provides.push(Dep::name(format!(
                    "font(:lang={})",
                    FONT_LANGS[(start + j) % FONT_LANGS.len()]
                )));
            }
            p.provides.push(Dep::name(format!(
                "metainfo(org.fedoraproject.{name}.metainfo.xml)"
            )));
            p.req_s("fontpackages-filesystem");
            p.req(Dep::with(common.clone(), Op::Eq, evr.clone()));
            p.files.push(format!("/etc/fonts/conf.d/60-{name}.conf"));
            p.files
                .push(format!("/usr/share/fontconfig/conf.avail/60-{name}.conf"));
            p.files.push(format!(
                "/usr/share/metainfo/org.fedoraproject.{name}.metainfo.xml"
            ));
            let n = self.rng.range(1, 20) as u32;
            p.bulk.push(Bulk {
                base: format!("/usr/share/fonts/{name}"),
                exts: &["ttf", "otf"],
                count: n,
            });
            self.role("fonts", &name);
            self.add(p);
        }
        self.maybe_older(first);
    }

    /// A package of a small language ecosystem: rubygem, nodejs, Java, PHP, R.
    fn lang_pkg(&mut self, eco: &str) {
        let first = self.pkgs.len();
        let w = self.word();
        let evr = self.evr();
        let v = Evr {
            epoch: 0,
            ver: evr.ver.clone(),
            rel: None,
        };
        let (name, cap, hub, bulk_base, exts): (
            String,
            String,
            &[&str],
            String,
            &'static [&'static str],
        ) = match eco {
            "ruby" => (
                format!("rubygem-{w}"),
                format!("rubygem({w})"),
                &["ruby(rubygems)"],
                format!("/usr/share/gems/gems/{w}-{}/lib", evr.ver),
                &["rb"],
            ),
            "node" => (
                format!("nodejs-{w}"),
                format!("npm({w})"),
                &["nodejs(engine) >= 18"],
                format!("/usr/lib/node_modules/{w}"),
                &["js", "json"],
            ),
            "java" => {
                let g = self.part();
                (
                    w.clone(),
                    format!("mvn(org.{g}:{w})"),
                    &["javapackages-filesystem"],
                    format!("/usr/share/java/{w}"),
                    &["jar"],
                )
            }
            "php" => {
                let b = self.part();
                (
                    format!("php-{w}-{b}"),
                    format!("php-composer({w}/{b})"),
                    &["php(language) >= 8.1"],
                    format!("/usr/share/php/{}/{}", capitalize(&w), capitalize(&b)),
                    &["php"],
                )
            }
            _ => {
                let cw = capitalize(&w);
                (
                    format!("R-{cw}"),
                    format!("R({cw})"),
                    &["R(ABI) = 4.4"],
                    format!("/usr/share/R/library/{cw}"),
                    &["R", "Rd", "html"],
                )
            }
        };
        if !self.fresh_name(&name) {
            return;
        }
        let arch_dep = match eco {
            "ruby" => self.rng.pm(100),
            "R" => self.rng.pm(400),
            _ => false,
        };
        let mut p = self.new_pkg(
            &name,
            !arch_dep,
            &name,
            &evr,
            &format!("the {w} {eco} library"),
        );
        p.provides.push(Dep::with(cap.clone(), Op::Eq, v.clone()));
        for h in hub {
            p.req_s(h);
        }
        match eco {
            "ruby" if self.rng.pm(600) => p.req_s("ruby(release)"),
            "java" => {
                p.provides.push(Dep::with(
                    format!("{}:pom:)", cap.trim_end_matches(')')),
                    Op::Eq,
                    v.clone(),
                ));
                if self.rng.pm(400) {
                    p.provides
                        .push(Dep::with(format!("osgi(org.{w})"), Op::Eq, v.clone()));
                }
                match self.rng.below(10) {
                    0..=3 => p.req_s("java-headless"),
                    4..=5 => p.req_s("(java-21-headless or java-17-headless)"),
                    6 => p.req_s("java-21-headless"),
                    _ => {}
                }
            }
            "php" => {
                if self.rng.pm(300) {
                    p.req_s("php-cli");
                }
                for _ in 0..self.rng.below(3) {
                    p.req_s(self.rng.pick::<&str>(&[
                        "php-mbstring",
                        "php-json",
                        "php-xml",
                        "php-pdo",
                        "php-process",
                    ]));
                }
            }
            _ => {}
        }
        if arch_dep {
            self.elf(&mut p, false);
            p.req_s(if eco == "ruby" {
                "libruby.so.3.4()(64bit)"
            } else {
                "libR.so()(64bit)"
            });
            if eco == "R" {
                p.req_s("R-core(x86-64)");
            }
        }
        let list = match eco {
            "ruby" => &self.gems,
            "node" => &self.npms,
            "java" => &self.mvns,
            "php" => &self.phps,
            _ => &self.rs,
        };
        let mut deps = Vec::new();
        for _ in 0..self.rng.count(0, 3, 20) {
            if let Some(c) = Gen::pick_cap(list, &mut self.rng) {
                if c.name != cap {
                    deps.push(c);
                }
            }
        }
        for c in deps {
            let d = if eco == "java" {
                Dep::name(c.name)
            } else {
                let min = self.oldest(c.pkg, &c.ver);
                cap_dep(&mut self.rng, &c, &min, 450, 350, false)
            };
            p.req(d);
        }
        let n = self.rng.count(1, 15, 600) as u32;
        p.bulk.push(Bulk {
            base: bulk_base,
            exts,
            count: n,
        });
        self.doc_bulk(&mut p, 0, 3);
        let i = self.add(p);
        let entry = Cap {
            name: cap,
            ver: evr.ver.clone(),
            pkg: i,
        };
        match eco {
            "ruby" => self.gems.push(entry),
            "node" => self.npms.push(entry),
            "java" => self.mvns.push(entry),
            "php" => self.phps.push(entry),
            _ => self.rs.push(entry),
        }
        let role: &'static str = match eco {
            "ruby" => "ruby",
            "node" => "nodejs",
            "java" => "java",
            "php" => "php",
            _ => "R",
        };
        self.role(role, &name);
        let doc = match eco {
            "ruby" => self.rng.pm(450).then(|| format!("{name}-doc")),
            "java" => self.rng.pm(550).then(|| format!("{name}-javadoc")),
            _ => None,
        };
        if let Some(doc) = doc {
            let mut d = self.new_pkg(&doc, true, &name, &evr, &format!("documentation for {w}"));
            if eco == "ruby" {
                d.req(Dep::with(name.clone(), Op::Eq, evr.clone()));
            }
            let n = self.rng.count(10, 80, 2000) as u32;
            let base = if eco == "ruby" {
                format!("/usr/share/gems/doc/{w}-{}/ri", evr.ver)
            } else {
                format!("/usr/share/javadoc/{name}")
            };
            d.bulk.push(Bulk {
                base,
                exts: &["html", "js", "ri"],
                count: n,
            });
            self.add(d);
        }
        self.maybe_older(first);
    }

    fn ghc(&mut self) {
        let first = self.pkgs.len();
        let w = self.word();
        let name = format!("ghc-{w}");
        let evr = self.evr();
        let hash = format!("{:04x}", self.rng.next() & 0xFFFF);
        let id = format!("{w}-{}-{hash}", evr.ver);
        let so = format!("libHS{w}-{}-{hash}-ghc9.8.4.so()(64bit)", evr.ver);
        let mut p = self.new_pkg(
            &name,
            false,
            &format!("ghc-{w}"),
            &evr,
            &format!("the {w} Haskell library"),
        );
        p.url = format!("https://hackage.haskell.org/package/{w}");
        p.provides.push(Dep::name(so.clone()));
        p.provides.push(Dep::name(format!("ghc({id})")));
        self.elf(&mut p, false);
        p.req_s("libHSbase-4.19.2.0-ghc9.8.4.so()(64bit)");
        p.req_s("libHSghc-prim-0.11.0-ghc9.8.4.so()(64bit)");
        p.req_s("libffi.so.8()(64bit)");
        p.req_s("libgmp.so.10()(64bit)");
        let mut deps = Vec::new();
        for _ in 0..self.rng.count(0, 4, 25) {
            if !self.hss.is_empty() {
                let d = self.hss[self.rng.skewed(self.hss.len())].clone();
                if !deps.contains(&d) {
                    p.req(Dep::name(d.0.clone()));
                    deps.push(d);
                }
            }
        }
        p.files.push(format!(
            "/usr/lib64/ghc-9.8.4/lib/x86_64-linux-ghc-9.8.4/{}",
            so.trim_end_matches("()(64bit)")
        ));
        self.add(p);
        let mut d = self.new_pkg(
            &format!("{name}-devel"),
            false,
            &format!("ghc-{w}"),
            &evr,
            &format!("Haskell {w} library development files"),
        );
        d.req_s("ghc-compiler = 9.8.4");
        d.req(Dep::with(format!("{name}(x86-64)"), Op::Eq, evr.clone()));
        d.req_s("ghc-devel(base-4.19.2.0-5a1f)");
        for (_, dev) in &deps {
            d.req(Dep::name(dev.clone()));
        }
        d.provides.push(Dep::name(format!("ghc-devel({id})")));
        let n = self.rng.count(2, 20, 600) as u32;
        d.bulk.push(Bulk {
            base: format!("/usr/lib64/ghc-9.8.4/lib/x86_64-linux-ghc-9.8.4/{id}"),
            exts: &["hi", "dyn_hi"],
            count: n,
        });
        self.role("haskell", &format!("{name}-devel"));
        self.add(d);
        self.hss.push((so, format!("ghc-devel({id})")));
        if self.rng.pm(700) {
            let mut doc = self.new_pkg(
                &format!("{name}-doc"),
                true,
                &format!("ghc-{w}"),
                &evr,
                &format!("Haskell {w} library documentation"),
            );
            let n = self.rng.count(5, 30, 500) as u32;
            doc.bulk.push(Bulk {
                base: format!("/usr/share/doc/ghc/html/libraries/{id}"),
                exts: &["html", "js"],
                count: n,
            });
            self.add(doc);
        }
        if self.rng.pm(500) {
            let mut prof = self.new_pkg(
                &format!("{name}-prof"),
                false,
                &format!("ghc-{w}"),
                &evr,
                &format!("Haskell {w} profiling library"),
            );
            prof.req(Dep::with(
                format!("{name}-devel(x86-64)"),
                Op::Eq,
                evr.clone(),
            ));
            let n = self.rng.count(2, 20, 600) as u32;
            prof.bulk.push(Bulk {
                base: format!("/usr/lib64/ghc-9.8.4/lib/x86_64-linux-ghc-9.8.4/{id}/prof"),
                exts: &["p_hi"],
                count: n,
            });
            self.add(prof);
        }
        self.maybe_older(first);
    }
}

// ---------------------------------------------------------------- the whole repository

/// Ecosystem weights (per source package).
const MIX: &[(&str, u32)] = &[
    ("clib", 270),
    ("capp", 270),
    ("service", 55),
    ("python", 115),
    ("perl", 75),
    ("golang", 40),
    ("rust", 28),
    ("texlive", 55),
    ("fonts", 12),
    ("ruby", 20),
    ("node", 14),
    ("java", 24),
    ("php", 14),
    ("ghc", 26),
    ("R", 14),
];

impl Gen {
    fn build(&mut self) {
        self.base_tier();
        self.kernel();
        self.langpacks();
        let total: u32 = MIX.iter().map(|(_, w)| w).sum();
        let reserve = self.scale.broken() + 12;
        let target = self.scale.target_packages();
        while self.pkgs.len() + reserve < target {
            let mut r = self.rng.below(total as usize) as u32;
            let eco = MIX
                .iter()
                .find(|(_, w)| {
                    if r < *w {
                        true
                    } else {
                        r -= w;
                        false
                    }
                })
                .unwrap()
                .0;
            match eco {
                "clib" => self.clib(),
                "capp" => self.capp(false),
                "service" => self.capp(true),
                "python" => self.python(),
                "perl" => self.perl(),
                "golang" => self.golang(),
                "rust" => self.rust(),
                "texlive" => self.texlive(),
                "fonts" => self.fonts(),
                "ghc" => self.ghc(),
                other => self.lang_pkg(other),
            }
        }
        self.texlive_collections();
        self.obsolete_packages();
        self.cycles();
        self.broken_packages();
    }

    /// `texlive-collection-*` and `texlive-scheme-*`: metapackages with
    /// hundreds of requires.
    fn texlive_collections(&mut self) {
        let evr = Evr::new(11, "svn71000", &format!("88.{DIST}"));
        let names: Vec<String> = self.roles.get("texlive").cloned().unwrap_or_default();
        let mut collections = Vec::new();
        for (i, col) in [
            "basic",
            "latex",
            "latexrecommended",
            "latexextra",
            "fontsrecommended",
            "pictures",
            "science",
            "publishers",
        ]
        .iter()
        .enumerate()
        {
            let name = format!("texlive-collection-{col}");
            let mut p = self.new_pkg(
                &name,
                true,
                "texlive",
                &evr,
                &format!("the {col} TeX Live collection"),
            );
            p.src_vr = format!("20240311-88.{DIST}");
            p.req_s("texlive-base");
            p.req_s("texlive-latex");
            let n = (names.len() / 4).clamp(5, 150 * (i + 1));
            for _ in 0..n.min(names.len()) {
                let pick = names[self.rng.below(names.len())].clone();
                p.req(Dep::name(pick));
            }
            if i > 0 {
                p.req_s("texlive-collection-basic");
            }
            collections.push(name.clone());
            self.add(p);
        }
        for (scheme, take) in [("basic", 2), ("medium", 5), ("full", 8)] {
            let name = format!("texlive-scheme-{scheme}");
            let mut p = self.new_pkg(
                &name,
                true,
                "texlive",
                &evr,
                &format!("the {scheme} TeX Live scheme"),
            );
            p.src_vr = format!("20240311-88.{DIST}");
            for c in collections.iter().take(take) {
                p.req(Dep::name(c.clone()));
            }
            self.add(p);
        }
        self.role("texlive", "texlive-scheme-basic");
    }

    /// fedora-obsolete-packages: Obsoletes of retired names, none of them in
    /// the repository.
    fn obsolete_packages(&mut self) {
        let evr = Evr::new(0, "44", &format!("5.{DIST}"));
        let mut p = self.new_pkg(
            "fedora-obsolete-packages",
            true,
            "fedora-obsolete-packages",
            &evr,
            "a package to obsolete retired packages",
        );
        let n = if self.scale == Scale::Full { 300 } else { 40 };
        for _ in 0..n {
            let w = self.word();
            let name = match self.rng.below(4) {
                0 => format!("python3-{w}"),
                1 => format!("{w}-devel"),
                2 => format!("perl-{}", capitalize(&w)),
                _ => w,
            };
            if let Some(name) = self.fresh(name) {
                let v = self.version();
                p.obsoletes.push(Dep::with(
                    name,
                    Op::Lt,
                    Evr {
                        epoch: 0,
                        ver: v,
                        rel: Some(format!("{}", self.rng.range(2, 9))),
                    },
                ));
            }
        }
        self.add(p);
    }

    /// Local two-package cycles, as Perl and Python stacks have them: a
    /// module B gets a requirement on a dependent A, when A is a noarch leaf
    /// whose only generated-module dependency is B (so B's closure grows by
    /// A alone). The base tier has its own cycles (glibc and glibc-common,
    /// perl-Carp and perl-Exporter, mesa-libGL and libglvnd-glx, ...), and
    /// backends require the application that requires them.
    fn cycles(&mut self) {
        let mut provider: HashMap<&str, usize> = HashMap::new();
        for c in self.pys.iter().chain(&self.perls) {
            provider.entry(c.name.as_str()).or_insert(c.pkg);
        }
        let mut add: Vec<(usize, Dep)> = Vec::new();
        for (a, p) in self.pkgs.iter().enumerate() {
            if !p.noarch {
                continue;
            }
            // The runtime's own capabilities, which every module needs anyway.
            let runtime = |n: &str| {
                n.starts_with("python(abi)")
                    || n.starts_with("perl(:MODULE_COMPAT")
                    || matches!(
                        n,
                        "perl(strict)" | "perl(warnings)" | "/usr/bin/perl" | "/usr/bin/python3"
                    )
                    || PERL_CORE.contains(&n)
            };
            let mut hits = Vec::new();
            let mut other = false;
            for (d, _) in &p.requires {
                let name = d
                    .name
                    .trim_start_matches('(')
                    .split(' ')
                    .next()
                    .unwrap_or("");
                match provider.get(name) {
                    Some(&b) => hits.push(b),
                    None => other |= !runtime(name),
                }
            }
            let [b] = hits.as_slice() else { continue };
            if other {
                continue;
            }
            if *b == a || self.pkgs[*b].name == p.name || !self.rng.pm(150) {
                continue;
            }
            let back = p
                .provides
                .iter()
                .find(|q| q.name.starts_with("python3.13dist(") || q.name.starts_with("perl("));
            if let Some(back) = back {
                add.push((*b, Dep::name(back.name.clone())));
            }
        }
        for (b, d) in add {
            self.pkgs[b].requires.push((d, false));
        }
    }

    /// The deliberately broken packages: ordinary applications with one
    /// injected problem each. Nothing depends on them.
    fn broken_packages(&mut self) {
        const PAIRS: &[(&str, &str)] = &[
            ("openssl", "openssl-libs"),
            ("xz", "xz-libs"),
            ("sqlite", "sqlite-libs"),
            ("bzip2", "bzip2-libs"),
            ("kmod", "kmod-libs"),
            ("file", "file-libs"),
            ("zstd", "libzstd"),
        ];
        const CLASHES: &[(&str, &str)] = &[
            ("coreutils-single", "coreutils-common"),
            ("cronie-noanacron", "cronie-anacron"),
            ("systemd-standalone-sysusers", "systemd"),
        ];
        for i in 0..self.scale.broken() {
            let w = self.word();
            let evr = self.evr();
            let mut p = self.new_pkg(&w, false, &w, &evr, &format!("the {w} command line tool"));
            self.elf(&mut p, false);
            let k = self.rng.range(1, 4);
            self.link(&mut p, k);
            p.files.push(format!("/usr/bin/{w}"));
            let fresh = self.word();
            let (kind, why) = match i % 9 {
                0 => {
                    let so = format!("lib{fresh}.so.{}()(64bit)", self.rng.below(9));
                    p.req(Dep::name(so.clone()));
                    ("missing", format!("requires {so}, which nothing provides"))
                }
                1 => {
                    let m = format!("perl({}::{})", capitalize(&fresh), capitalize(&self.part()));
                    p.req(Dep::name(m.clone()));
                    ("missing", format!("requires {m}, which nothing provides"))
                }
                2 => {
                    let lib = self.libs[self.rng.below(self.libs.len())].clone();
                    let q = &self.pkgs[lib.pkg];
                    let d = Dep::with(
                        format!("{}(x86-64)", q.name),
                        Op::Eq,
                        Evr {
                            epoch: q.evr.epoch,
                            ver: q.evr.ver.clone(),
                            rel: Some("0.fc43".into()),
                        },
                    );
                    let why = format!("requires {d}, a build the repository does not have");
                    p.req(d);
                    ("missing", why)
                }
                3 => {
                    let f = format!("/usr/libexec/{w}/{fresh}-helper");
                    p.req(Dep::name(f.clone()));
                    (
                        "missing",
                        format!("requires the file {f}, which no package has"),
                    )
                }
                4 => {
                    let e = format!(
                        "(python3.13dist({fresh}) >= 2 or perl({}::Gone))",
                        capitalize(&fresh)
                    );
                    p.req(Dep::name(e.clone()));
                    (
                        "missing",
                        format!("requires {e}, and neither alternative exists"),
                    )
                }
                5 => {
                    let (a, b) = *self.rng.pick(PAIRS);
                    p.req_s(a);
                    p.conflicts.push(Dep::name(b));
                    (
                        "conflict",
                        format!("requires {a}, which requires {b}, and conflicts with {b}"),
                    )
                }
                6 => {
                    let (a, b) = *self.rng.pick(PAIRS);
                    p.req_s(a);
                    p.obsoletes.push(Dep::name(b));
                    (
                        "conflict",
                        format!("requires {a}, which requires {b}, and obsoletes {b}"),
                    )
                }
                7 => {
                    let (a, b) = *self.rng.pick(CLASHES);
                    p.req_s(a);
                    p.req_s(b);
                    (
                        "conflict",
                        format!("requires both {a} and {b}, which conflict"),
                    )
                }
                _ => {
                    let e = "(fedora-release-identity-basic and fedora-release-identity-server)"
                        .to_string();
                    p.req(Dep::name(e.clone()));
                    (
                        "conflict",
                        format!(
                            "requires {e}; both provide and conflict with fedora-release-identity"
                        ),
                    )
                }
            };
            p.broken = Some((kind.to_string(), why));
            self.add(p);
        }
    }

    /// Every plain (not rich) hard requirement of every package that is not
    /// deliberately broken has a provider. Rich ones are left to libsolv.
    fn validate(&self) {
        let mut provides: HashMap<&str, Vec<&Dep>> = HashMap::new();
        let mut files: HashSet<&str> = HashSet::new();
        for p in &self.pkgs {
            for d in &p.provides {
                provides.entry(d.name.as_str()).or_default().push(d);
            }
            for f in &p.files {
                files.insert(f.as_str());
            }
        }
        let mut missing = Vec::new();
        for p in self.pkgs.iter().filter(|p| p.broken.is_none()) {
            for (d, _) in &p.requires {
                if d.is_rich() || d.name.starts_with("rpmlib(") {
                    continue;
                }
                let ok = provides
                    .get(d.name.as_str())
                    .is_some_and(|v| v.iter().any(|q| q.provides(d)))
                    || (d.name.starts_with('/') && files.contains(d.name.as_str()));
                if !ok {
                    missing.push(format!("{}: {d}", p.nevra()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "synth: {} unresolvable requires, e.g.:\n{}",
            missing.len(),
            missing
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// Names of packages in a Conflicts or Obsoletes relation with another
    /// package of the repository (either side).
    fn conflict_participants(&self) -> HashSet<String> {
        let mut by_provide: HashMap<&str, Vec<(&Dep, &Pkg)>> = HashMap::new();
        let mut by_name: HashMap<&str, Vec<&Pkg>> = HashMap::new();
        for p in &self.pkgs {
            for d in &p.provides {
                by_provide.entry(d.name.as_str()).or_default().push((d, p));
            }
            by_name.entry(p.name.as_str()).or_default().push(p);
        }
        let mut out = HashSet::new();
        for p in self.pkgs.iter().filter(|p| p.broken.is_none()) {
            for c in &p.conflicts {
                for (d, q) in by_provide.get(c.name.as_str()).into_iter().flatten() {
                    if q.name != p.name && d.provides(c) {
                        out.insert(p.name.clone());
                        out.insert(q.name.clone());
                    }
                }
            }
            for o in &p.obsoletes {
                for q in by_name.get(o.name.as_str()).into_iter().flatten() {
                    let self_dep = Dep::with(q.name.clone(), Op::Eq, q.evr.clone());
                    if q.name != p.name && self_dep.provides(o) {
                        out.insert(p.name.clone());
                        out.insert(q.name.clone());
                    }
                }
            }
        }
        out
    }
}

/// Generate the repository of `scale` into `dir` (created; must not exist or
/// be empty) and describe it in `dir/synth.json`.
pub fn generate(dir: &Path, scale: Scale) -> io::Result<SynthRepo> {
    let start = Instant::now();
    let mut g = Gen::new(scale);
    g.build();
    g.validate();
    let participants = g.conflict_participants();
    let mut pkgs = std::mem::take(&mut g.pkgs);
    pkgs.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| evr_cmp(&a.evr, &b.evr))
            .then_with(|| a.arch().cmp(b.arch()))
    });
    for p in &mut pkgs {
        normalize(p);
    }

    let broken: Vec<Broken> = pkgs
        .iter()
        .filter_map(|p| {
            p.broken.as_ref().map(|(kind, why)| Broken {
                name: p.name.clone(),
                nevra: p.nevra(),
                kind: kind.clone(),
                why: why.clone(),
            })
        })
        .collect();
    let broken_names: HashSet<&str> = broken.iter().map(|b| b.name.as_str()).collect();
    let mut names: Vec<String> = pkgs.iter().map(|p| p.name.clone()).collect();
    names.dedup();
    let requestable: Vec<String> = names
        .iter()
        .filter(|n| !broken_names.contains(n.as_str()) && !participants.contains(n.as_str()))
        .cloned()
        .collect();
    let groups = comps_groups(&g, &broken_names, &participants);

    let repodata = dir.join("repodata");
    fs::create_dir_all(&repodata)?;
    let comps = comps_xml(&groups, &g);
    let mut filelists_entries = 0u64;
    let written: Vec<io::Result<Written>> = std::thread::scope(|s| {
        let pk = &pkgs;
        let fl = &mut filelists_entries;
        let hs = [
            s.spawn(move || write_gz(&repodata_of(dir), "primary", |w| write_primary(pk, w))),
            s.spawn(move || {
                write_gz(&repodata_of(dir), "filelists", |w| {
                    write_filelists(pk, w, fl)
                })
            }),
            s.spawn(move || write_gz(&repodata_of(dir), "other", |w| write_other(pk, w))),
            s.spawn(|| {
                write_gz(&repodata_of(dir), "comps-Everything.x86_64.xml", |w| {
                    w.write_all(comps.as_bytes())
                })
            }),
        ];
        hs.into_iter()
            .map(|h| h.join().expect("writer thread"))
            .collect()
    });
    let mut records = Vec::new();
    for w in written {
        records.push(w?);
    }
    // The uncompressed comps, as createrepo_c's `group` record.
    let comps_sha = crate::support::hex(&Sha256::digest(comps.as_bytes()));
    let comps_name = format!("{comps_sha}-comps-Everything.x86_64.xml");
    fs::write(repodata.join(&comps_name), comps.as_bytes())?;
    set_mtime(&repodata.join(&comps_name))?;
    let group = Written {
        kind: "group".into(),
        href: format!("repodata/{comps_name}"),
        sha: comps_sha,
        size: comps.len() as u64,
        open: None,
    };
    let (gz, rest): (Vec<Written>, Vec<Written>) = records
        .into_iter()
        .partition(|w| w.kind.starts_with("comps"));
    let mut gz = gz.into_iter().next().unwrap();
    gz.kind = "group_gz".into();
    let mut all = rest;
    all.push(group);
    all.push(gz);
    let mut repomd = String::new();
    repomd.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n");
    writeln!(repomd, "  <revision>{REPO_TIME}</revision>").unwrap();
    for w in &all {
        writeln!(repomd, "  <data type=\"{}\">", w.kind).unwrap();
        writeln!(repomd, "    <checksum type=\"sha256\">{}</checksum>", w.sha).unwrap();
        if let Some((open_sha, _)) = &w.open {
            writeln!(
                repomd,
                "    <open-checksum type=\"sha256\">{open_sha}</open-checksum>"
            )
            .unwrap();
        }
        writeln!(repomd, "    <location href=\"{}\"/>", w.href).unwrap();
        writeln!(repomd, "    <timestamp>{REPO_TIME}</timestamp>").unwrap();
        writeln!(repomd, "    <size>{}</size>", w.size).unwrap();
        if let Some((_, open_size)) = &w.open {
            writeln!(repomd, "    <open-size>{open_size}</open-size>").unwrap();
        }
        repomd.push_str("  </data>\n");
    }
    repomd.push_str("</repomd>\n");
    fs::write(repodata.join("repomd.xml"), &repomd)?;
    set_mtime(&repodata.join("repomd.xml"))?;

    let repo = SynthRepo {
        dir: dir.to_path_buf(),
        scale: scale.name().to_string(),
        version: version(),
        packages: pkgs.len(),
        names: names.len(),
        noarch: pkgs.iter().filter(|p| p.noarch).count(),
        multiversion: {
            let mut m = g.multiversion.clone();
            m.sort();
            m
        },
        broken,
        requestable,
        groups: groups.iter().map(|g| g.id.clone()).collect(),
        generate_seconds: start.elapsed().as_secs_f64(),
        files: all
            .iter()
            .map(|w| {
                (
                    w.kind.clone(),
                    (w.open.as_ref().map_or(w.size, |o| o.1), w.size),
                )
            })
            .collect(),
        totals: {
            let sum = |f: &dyn Fn(&Pkg) -> usize| pkgs.iter().map(f).sum::<usize>() as u64;
            BTreeMap::from([
                ("packages".to_string(), pkgs.len() as u64),
                ("provides".to_string(), sum(&|p| p.provides.len())),
                ("requires".to_string(), sum(&|p| p.requires.len())),
                (
                    "requires_pre".to_string(),
                    sum(&|p| p.requires.iter().filter(|r| r.1).count()),
                ),
                ("conflicts".to_string(), sum(&|p| p.conflicts.len())),
                ("obsoletes".to_string(), sum(&|p| p.obsoletes.len())),
                ("recommends".to_string(), sum(&|p| p.recommends.len())),
                ("suggests".to_string(), sum(&|p| p.suggests.len())),
                ("supplements".to_string(), sum(&|p| p.supplements.len())),
                ("enhances".to_string(), sum(&|p| p.enhances.len())),
                (
                    "primary_files".to_string(),
                    sum(&|p| p.files.iter().filter(|f| is_primary(f)).count()),
                ),
                ("filelists_entries".to_string(), filelists_entries),
            ])
        },
    };
    fs::write(
        dir.join("synth.json"),
        serde_json::to_string_pretty(&repo).expect("manifest serializes"),
    )?;
    Ok(repo)
}

fn repodata_of(dir: &Path) -> PathBuf {
    dir.join("repodata")
}

/// Sorted, deduplicated dependency lists, as rpm stores them; createrepo_c
/// keeps only the newest `libc.so.6(GLIBC_*)` requirement and puts it last.
fn normalize(p: &mut Pkg) {
    // createrepo_c drops rpmlib() requires from primary.xml; some other
    // producers keep them, so a few packages carry them (consumers ignore them).
    if p.seed % 64 == 0 {
        p.requires.push((
            Dep::with(
                "rpmlib(CompressedFileNames)",
                Op::Le,
                Evr::new(0, "3.0.4", "1"),
            ),
            false,
        ));
        p.requires.push((
            Dep::with("rpmlib(PayloadIsZstd)", Op::Le, Evr::new(0, "5.4.18", "1")),
            false,
        ));
    }
    // rpm provides config(name) = %evr for packages with %config files.
    if p.files.iter().any(|f| f.starts_with("/etc/")) {
        p.provides.push(Dep::with(
            format!("config({})", p.name),
            Op::Eq,
            p.evr.clone(),
        ));
    }
    let key = |d: &Dep| {
        (
            d.name.clone(),
            d.op.as_ref().map(|(o, e)| (o.flags(), e.to_string())),
        )
    };
    for list in [
        &mut p.provides,
        &mut p.conflicts,
        &mut p.obsoletes,
        &mut p.suggests,
        &mut p.enhances,
        &mut p.recommends,
        &mut p.supplements,
    ] {
        list.sort_by_key(key);
        list.dedup();
    }
    p.requires
        .sort_by(|(a, ap), (b, bp)| key(a).cmp(&key(b)).then(bp.cmp(ap)));
    p.requires.dedup();
    let glibc: Vec<(Dep, bool)> = p
        .requires
        .iter()
        .filter(|(d, _)| d.name.starts_with("libc.so.6(GLIBC_"))
        .cloned()
        .collect();
    if !glibc.is_empty() {
        p.requires
            .retain(|(d, _)| !d.name.starts_with("libc.so.6(GLIBC_"));
        let newest = glibc
            .into_iter()
            .max_by(|(a, _), (b, _)| {
                let v = |d: &Dep| {
                    d.name
                        .trim_start_matches("libc.so.6(GLIBC_")
                        .split(')')
                        .next()
                        .unwrap_or("")
                        .to_string()
                };
                vercmp(&v(a), &v(b))
            })
            .unwrap();
        p.requires.push(newest);
    }
    p.files.sort();
    p.files.dedup();
}

// ---------------------------------------------------------------- writing

struct Written {
    kind: String,
    href: String,
    sha: String,
    size: u64,
    /// (sha256, size) of the uncompressed content.
    open: Option<(String, u64)>,
}

/// Counts and hashes what goes through it.
struct Tee<W: Write> {
    inner: W,
    hash: Sha256,
    len: u64,
}

impl<W: Write> Write for Tee<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn set_mtime(path: &Path) -> io::Result<()> {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(REPO_TIME);
    fs::File::options().write(true).open(path)?.set_modified(t)
}

/// Write `{sha256}-{kind}.xml.gz` (or `{sha256}-{kind}.gz` when `kind`
/// already ends in `.xml`), gzip as createrepo_c does by default.
fn write_gz(
    repodata: &Path,
    kind: &str,
    body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<Written> {
    let tmp = repodata.join(format!(".{kind}.tmp"));
    let file = BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
    let packed = Tee {
        inner: file,
        hash: Sha256::new(),
        len: 0,
    };
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(packed, flate2::Compression::default());
    let mut open = Tee {
        inner: BufWriter::with_capacity(1 << 20, gz),
        hash: Sha256::new(),
        len: 0,
    };
    body(&mut open)?;
    open.flush()?;
    let open_sha = crate::support::hex(&open.hash.finalize());
    let open_len = open.len;
    let gz = open.inner.into_inner().map_err(|e| e.into_error())?;
    let mut packed = gz.finish()?;
    packed.flush()?;
    let sha = crate::support::hex(&packed.hash.finalize());
    let size = packed.len;
    drop(packed.inner.into_inner().map_err(|e| e.into_error())?);
    let file_name = if kind.ends_with(".xml") {
        format!("{sha}-{kind}.gz")
    } else {
        format!("{sha}-{kind}.xml.gz")
    };
    fs::rename(&tmp, repodata.join(&file_name))?;
    set_mtime(&repodata.join(&file_name))?;
    Ok(Written {
        kind: kind.to_string(),
        href: format!("repodata/{file_name}"),
        sha,
        size,
        open: Some((open_sha, open_len)),
    })
}

fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"')) {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .into()
    } else {
        s.into()
    }
}

fn pkgid(p: &Pkg) -> String {
    let mut h = Sha256::new();
    h.update(p.nevra().as_bytes());
    h.update(SEED.to_le_bytes());
    crate::support::hex(&h.finalize())
}

/// createrepo_c's rule for the files primary.xml lists.
fn is_primary(path: &str) -> bool {
    path.starts_with("/etc/") || path.contains("bin/") || path == "/usr/lib/sendmail"
}

/// Every file and directory of a package, sorted: `(path, is_dir)`.
fn all_files(p: &Pkg) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = p.files.iter().map(|f| (f.clone(), false)).collect();
    // Fedora's ELF files come with /usr/lib/.build-id links.
    if !p.noarch {
        let mut rng = Rng::new(p.seed ^ 0x0062_7569_6c64_6964);
        for f in &p.files {
            if f.starts_with("/usr/bin/")
                || f.starts_with("/usr/sbin/")
                || (f.starts_with("/usr/lib64/") && f.contains(".so"))
            {
                let id = format!(
                    "{:016x}{:016x}{:08x}",
                    rng.next(),
                    rng.next(),
                    rng.next() as u32
                );
                out.push((format!("/usr/lib/.build-id/{}", &id[..2]), true));
                out.push((
                    format!("/usr/lib/.build-id/{}/{}", &id[..2], &id[2..]),
                    false,
                ));
            }
        }
        if out
            .iter()
            .any(|(f, _)| f.starts_with("/usr/lib/.build-id/"))
        {
            out.push(("/usr/lib/.build-id".to_string(), true));
        }
    }
    for (bi, b) in p.bulk.iter().enumerate() {
        let mut rng = Rng::new(p.seed ^ (bi as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        out.push((b.base.clone(), true));
        let mut dir = b.base.clone();
        // Fedora packages own a few times more files than the counts drawn
        // above (translations, caches, headers): scale them, not the huge ones.
        let count = if b.count < 1000 {
            b.count * FILES_FACTOR
        } else {
            b.count
        };
        for i in 0..count {
            if count > 16 && i % 12 == 11 {
                dir = format!("{}/{}", b.base, Gen::syllables(&mut rng, 2));
                out.push((dir.clone(), true));
            }
            let ext = b.exts[rng.below(b.exts.len())];
            out.push((
                format!("{dir}/{}{i}.{ext}", Gen::syllables(&mut rng, 2)),
                false,
            ));
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

fn write_deps(x: &mut String, tag: &str, deps: &[Dep]) {
    if deps.is_empty() {
        return;
    }
    writeln!(x, "    <rpm:{tag}>").unwrap();
    for d in deps {
        write_entry(x, d, false);
    }
    writeln!(x, "    </rpm:{tag}>").unwrap();
}

fn write_entry(x: &mut String, d: &Dep, pre: bool) {
    write!(x, "      <rpm:entry name=\"{}\"", esc(&d.name)).unwrap();
    if let Some((op, e)) = &d.op {
        write!(
            x,
            " flags=\"{}\" epoch=\"{}\" ver=\"{}\"",
            op.flags(),
            e.epoch,
            esc(&e.ver)
        )
        .unwrap();
        if let Some(r) = &e.rel {
            write!(x, " rel=\"{}\"", esc(r)).unwrap();
        }
    }
    if pre {
        x.push_str(" pre=\"1\"");
    }
    x.push_str("/>\n");
}

fn write_primary(pkgs: &[Pkg], w: &mut dyn Write) -> io::Result<()> {
    let mut x = String::with_capacity(1 << 16);
    writeln!(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>").unwrap();
    writeln!(x, "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"{}\">", pkgs.len()).unwrap();
    for p in pkgs {
        let mut rng = Rng::new(p.seed ^ 0x7072_696d);
        let e = &p.evr;
        let rel = e.rel.as_deref().unwrap_or("");
        let size_pkg = 2_000 + rng.below(40_000) * (1 + rng.skewed(60));
        let size_inst = size_pkg * (2 + rng.below(3));
        let built = REPO_TIME - 3_600 - rng.below(400 * 86_400) as u64;
        let header_start = 4_504;
        let header_end = header_start
            + 1_200
            + 48 * (p.provides.len() + p.requires.len())
            + 40 * p.files.len()
            + rng.below(4_000);
        x.push_str("<package type=\"rpm\">\n");
        writeln!(
            x,
            "  <name>{}</name>\n  <arch>{}</arch>",
            esc(&p.name),
            p.arch()
        )
        .unwrap();
        writeln!(
            x,
            "  <version epoch=\"{}\" ver=\"{}\" rel=\"{}\"/>",
            e.epoch,
            esc(&e.ver),
            esc(rel)
        )
        .unwrap();
        writeln!(
            x,
            "  <checksum type=\"sha256\" pkgid=\"YES\">{}</checksum>",
            pkgid(p)
        )
        .unwrap();
        writeln!(x, "  <summary>{}</summary>", esc(&p.summary)).unwrap();
        writeln!(x, "  <description>{}</description>", esc(&p.description)).unwrap();
        x.push_str("  <packager>Fedora Project</packager>\n");
        writeln!(x, "  <url>{}</url>", esc(&p.url)).unwrap();
        writeln!(x, "  <time file=\"{}\" build=\"{built}\"/>", built + 1_800).unwrap();
        writeln!(
            x,
            "  <size package=\"{size_pkg}\" installed=\"{size_inst}\" archive=\"{}\"/>",
            size_inst + 1_024
        )
        .unwrap();
        let first = p.name.chars().next().unwrap_or('_').to_ascii_lowercase();
        writeln!(
            x,
            "  <location href=\"Packages/{first}/{}-{}.{}.rpm\"/>",
            esc(&p.name),
            esc(&e.vr()),
            p.arch()
        )
        .unwrap();
        x.push_str("  <format>\n");
        writeln!(x, "    <rpm:license>{}</rpm:license>", esc(p.license)).unwrap();
        x.push_str(
            "    <rpm:vendor>Fedora Project</rpm:vendor>\n    <rpm:group>Unspecified</rpm:group>\n",
        );
        writeln!(
            x,
            "    <rpm:buildhost>buildvm-x86-{:02}.rdu3.fedoraproject.org</rpm:buildhost>",
            rng.range(1, 40)
        )
        .unwrap();
        writeln!(
            x,
            "    <rpm:sourcerpm>{}-{}.src.rpm</rpm:sourcerpm>",
            esc(&p.src),
            esc(&p.src_vr)
        )
        .unwrap();
        writeln!(
            x,
            "    <rpm:header-range start=\"{header_start}\" end=\"{header_end}\"/>"
        )
        .unwrap();
        write_deps(&mut x, "provides", &p.provides);
        if !p.requires.is_empty() {
            x.push_str("    <rpm:requires>\n");
            for (d, pre) in &p.requires {
                write_entry(&mut x, d, *pre);
            }
            x.push_str("    </rpm:requires>\n");
        }
        write_deps(&mut x, "conflicts", &p.conflicts);
        write_deps(&mut x, "obsoletes", &p.obsoletes);
        write_deps(&mut x, "suggests", &p.suggests);
        write_deps(&mut x, "enhances", &p.enhances);
        write_deps(&mut x, "recommends", &p.recommends);
        write_deps(&mut x, "supplements", &p.supplements);
        for f in p.files.iter().filter(|f| is_primary(f)) {
            writeln!(x, "    <file>{}</file>", esc(f)).unwrap();
        }
        x.push_str("  </format>\n</package>\n");
        if x.len() > 1 << 15 {
            w.write_all(x.as_bytes())?;
            x.clear();
        }
    }
    x.push_str("</metadata>\n");
    w.write_all(x.as_bytes())
}

fn write_filelists(pkgs: &[Pkg], w: &mut dyn Write, entries: &mut u64) -> io::Result<()> {
    let mut x = String::with_capacity(1 << 16);
    writeln!(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>").unwrap();
    writeln!(
        x,
        "<filelists xmlns=\"http://linux.duke.edu/metadata/filelists\" packages=\"{}\">",
        pkgs.len()
    )
    .unwrap();
    for p in pkgs {
        let e = &p.evr;
        writeln!(
            x,
            "<package pkgid=\"{}\" name=\"{}\" arch=\"{}\">",
            pkgid(p),
            esc(&p.name),
            p.arch()
        )
        .unwrap();
        writeln!(
            x,
            "  <version epoch=\"{}\" ver=\"{}\" rel=\"{}\"/>",
            e.epoch,
            esc(&e.ver),
            esc(e.rel.as_deref().unwrap_or(""))
        )
        .unwrap();
        for (f, dir) in all_files(p) {
            *entries += 1;
            if dir {
                writeln!(x, "  <file type=\"dir\">{}</file>", esc(&f)).unwrap();
            } else {
                writeln!(x, "  <file>{}</file>", esc(&f)).unwrap();
            }
        }
        x.push_str("</package>\n");
        if x.len() > 1 << 15 {
            w.write_all(x.as_bytes())?;
            x.clear();
        }
    }
    x.push_str("</filelists>\n");
    w.write_all(x.as_bytes())
}

fn write_other(pkgs: &[Pkg], w: &mut dyn Write) -> io::Result<()> {
    const WHO: &[&str] = &[
        "Fedora Release Engineering <releng@fedoraproject.org>",
        "Jane Packager <jane@fedoraproject.org>",
        "Packit <hello@packit.dev>",
        "Miro Hrončok <mhroncok@redhat.com>",
    ];
    let mut x = String::with_capacity(1 << 16);
    writeln!(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>").unwrap();
    writeln!(
        x,
        "<otherdata xmlns=\"http://linux.duke.edu/metadata/other\" packages=\"{}\">",
        pkgs.len()
    )
    .unwrap();
    for p in pkgs {
        let mut rng = Rng::new(p.seed ^ 0x6f74_6872);
        let e = &p.evr;
        writeln!(
            x,
            "<package pkgid=\"{}\" name=\"{}\" arch=\"{}\">",
            pkgid(p),
            esc(&p.name),
            p.arch()
        )
        .unwrap();
        writeln!(
            x,
            "  <version epoch=\"{}\" ver=\"{}\" rel=\"{}\"/>",
            e.epoch,
            esc(&e.ver),
            esc(e.rel.as_deref().unwrap_or(""))
        )
        .unwrap();
        let mut date = REPO_TIME - 86_400 * (30 + rng.below(900) as u64);
        for i in 0..rng.range(1, 3) {
            let who = WHO[rng.below(WHO.len())];
            let text = if i == 0 {
                format!("- Update to {}", e.ver)
            } else {
                "- Rebuilt for https://fedoraproject.org/wiki/Fedora_42_Mass_Rebuild".to_string()
            };
            writeln!(
                x,
                "  <changelog author=\"{} - {}\" date=\"{date}\">{}</changelog>",
                esc(who),
                esc(&e.vr()),
                esc(&text)
            )
            .unwrap();
            date -= 86_400 * (20 + rng.below(200) as u64);
        }
        x.push_str("</package>\n");
        if x.len() > 1 << 15 {
            w.write_all(x.as_bytes())?;
            x.clear();
        }
    }
    x.push_str("</otherdata>\n");
    w.write_all(x.as_bytes())
}

// ---------------------------------------------------------------- comps

struct Group {
    id: String,
    name: String,
    description: String,
    uservisible: bool,
    /// (type, package, condition)
    reqs: Vec<(&'static str, String, Option<String>)>,
}

fn comps_groups(g: &Gen, broken: &HashSet<&str>, participants: &HashSet<String>) -> Vec<Group> {
    let mut rng = Rng::new(SEED ^ 0x636f_6d70);
    let mut pick = |role: &str, n: usize| -> Vec<String> {
        let mut v: Vec<String> = g
            .roles
            .get(role)
            .into_iter()
            .flatten()
            .filter(|n| !broken.contains(n.as_str()) && !participants.contains(n.as_str()))
            .cloned()
            .collect();
        v.sort();
        v.dedup();
        let mut out = Vec::new();
        while out.len() < n && !v.is_empty() {
            let i = rng.below(v.len());
            out.push(v.swap_remove(i));
        }
        out.sort();
        out
    };
    let fixed = |ty: &'static str, names: &[&str]| -> Vec<(&'static str, String, Option<String>)> {
        names.iter().map(|n| (ty, n.to_string(), None)).collect()
    };
    let group = |id: &str,
                 name: &str,
                 description: &str,
                 uservisible: bool,
                 reqs: Vec<(&'static str, String, Option<String>)>| Group {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        uservisible,
        reqs,
    };
    let mut groups = Vec::new();
    let mut core = fixed(
        "mandatory",
        &[
            "audit",
            "basesystem",
            "bash",
            "coreutils",
            "curl",
            "dhcp-client",
            "dnf",
            "e2fsprogs",
            "filesystem",
            "glibc",
            "hostname",
            "iproute",
            "iputils",
            "kbd",
            "less",
            "man-db",
            "ncurses",
            "openssh-clients",
            "openssh-server",
            "parted",
            "policycoreutils",
            "procps-ng",
            "rootfiles",
            "rpm",
            "selinux-policy-targeted",
            "setup",
            "shadow-utils",
            "sssd-common",
            "sssd-kcm",
            "sudo",
            "systemd",
            "util-linux",
            "vim-minimal",
            "yum",
        ],
    );
    core.extend(fixed(
        "default",
        &[
            "NetworkManager",
            "dnf-plugins-core",
            "dracut-config-rescue",
            "firewalld",
            "fwupd",
            "plymouth",
            "systemd-resolved",
            "zram-generator-defaults",
        ],
    ));
    core.extend(fixed(
        "optional",
        &["dracut-config-generic", "initial-setup", "initscripts"],
    ));
    groups.push(group(
        "core",
        "Core",
        "Smallest possible installation",
        false,
        core,
    ));

    let mut standard = fixed(
        "default",
        &[
            "acl",
            "bash-completion",
            "bzip2",
            "chrony",
            "cronie",
            "cryptsetup",
            "diffutils",
            "file",
            "gnupg2",
            "logrotate",
            "man-pages",
            "nano",
            "openssl",
            "pinentry",
            "tar",
            "unzip",
            "vim-enhanced",
            "which",
            "xz",
            "zip",
            "zstd",
        ],
    );
    standard.extend(pick("tools", 8).into_iter().map(|n| ("optional", n, None)));
    groups.push(group(
        "standard",
        "Common NetworkManager Submodules and utilities",
        "Common set of utilities that extend the minimal installation.",
        false,
        standard,
    ));
    groups.push(group(
        "hardware-support",
        "Hardware Support",
        "This group is a collection of tools for various hardware specific utilities.",
        false,
        fixed(
            "default",
            &[
                "amd-gpu-firmware",
                "bluez",
                "intel-gpu-firmware",
                "linux-firmware",
                "NetworkManager-wifi",
                "udisks2",
                "wpa_supplicant",
            ],
        ),
    ));
    groups.push(group(
        "base-x",
        "base-x",
        "Local X.org display server",
        false,
        fixed(
            "mandatory",
            &[
                "libglvnd-glx",
                "mesa-dri-drivers",
                "mesa-libEGL",
                "mesa-libGL",
                "xkeyboard-config",
            ],
        ),
    ));
    let mut fonts = fixed(
        "mandatory",
        &[
            "dejavu-sans-fonts",
            "dejavu-sans-mono-fonts",
            "google-noto-sans-mono-vf-fonts",
            "google-noto-sans-vf-fonts",
            "google-noto-serif-vf-fonts",
        ],
    );
    fonts.extend(pick("fonts", 12).into_iter().map(|n| ("default", n, None)));
    fonts.extend(pick("fonts", 20).into_iter().map(|n| ("optional", n, None)));
    groups.push(group(
        "fonts",
        "Fonts",
        "Fonts packages for rendering text on the desktop.",
        true,
        fonts,
    ));
    let mut multimedia = fixed(
        "default",
        &["alsa-lib", "pipewire", "pipewire-pulseaudio", "wireplumber"],
    );
    multimedia.extend(pick("gui", 6).into_iter().map(|n| ("default", n, None)));
    groups.push(group(
        "multimedia",
        "Multimedia",
        "Audio/video framework common to desktops",
        false,
        multimedia,
    ));
    let mut editors = fixed("default", &["nano", "vim-enhanced"]);
    editors.extend(pick("gui", 4).into_iter().map(|n| ("optional", n, None)));
    for plugin in pick("plugins", 6) {
        let app = plugin.split("-plugin-").next().unwrap().to_string();
        editors.push(("conditional", plugin, Some(app)));
    }
    groups.push(group("editors", "Editors", "Sometimes called text editors, these are programs that allow you to create and edit text files.", true, editors));
    let mut devtools = fixed("mandatory", &["binutils", "gcc", "make", "patch"]);
    devtools.extend(fixed(
        "default",
        &["cmake", "diffutils", "pkgconf-pkg-config", "rpm-build"],
    ));
    devtools.extend(pick("tools", 10).into_iter().map(|n| ("optional", n, None)));
    groups.push(group(
        "development-tools",
        "Development Tools",
        "These tools include general development tools such as git and CVS.",
        true,
        devtools,
    ));
    let mut cdev = fixed("mandatory", &["gcc-c++", "glibc-devel", "libstdc++-devel"]);
    cdev.extend(pick("devel", 30).into_iter().map(|n| ("optional", n, None)));
    groups.push(group(
        "c-development",
        "C Development Tools and Libraries",
        "These tools include core development tools such as automake, gcc and debuggers.",
        true,
        cdev,
    ));
    let mut web = fixed("mandatory", &["httpd"]);
    web.extend(fixed("default", &["mod_http2", "mod_lua"]));
    web.extend(fixed("optional", &["lighttpd", "nginx"]));
    web.push(("conditional", "php-fpm".into(), Some("httpd".into())));
    web.extend(
        pick("webapps", 5)
            .into_iter()
            .map(|n| ("optional", n, None)),
    );
    groups.push(group(
        "web-server",
        "Web Server",
        "These tools allow you to run a Web server on the system.",
        true,
        web,
    ));
    groups.push(group(
        "mail-server",
        "Mail Server",
        "These packages allow you to configure an IMAP or SMTP mail server.",
        true,
        fixed("default", &["postfix", "procmail"])
            .into_iter()
            .chain(fixed("optional", &["exim", "sendmail"]))
            .collect(),
    ));
    let mut py = fixed("mandatory", &["python3", "python3-pip"]);
    py.extend(pick("python", 12).into_iter().map(|n| ("default", n, None)));
    py.extend(
        pick("python", 25)
            .into_iter()
            .map(|n| ("optional", n, None)),
    );
    groups.push(group(
        "python-science",
        "Python Science",
        "Python libraries for science.",
        true,
        py,
    ));
    let mut perl = fixed("mandatory", &["perl"]);
    perl.extend(pick("perl", 15).into_iter().map(|n| ("default", n, None)));
    groups.push(group(
        "perl",
        "Perl Development",
        "Perl and widely used modules.",
        true,
        perl,
    ));
    let mut containers: Vec<_> = pick("services", 4)
        .into_iter()
        .map(|n| ("mandatory", n, None))
        .collect();
    containers.extend(pick("apps", 6).into_iter().map(|n| ("default", n, None)));
    groups.push(group(
        "container-management",
        "Container Management",
        "Tools for managing Linux containers",
        true,
        containers,
    ));
    let mut rust = fixed("mandatory", &["cargo", "rust"]);
    rust.extend(fixed("default", &["rust-src"]));
    rust.extend(pick("rust", 20).into_iter().map(|n| ("optional", n, None)));
    groups.push(group(
        "rust-development",
        "Rust Development",
        "Rust compiler and crates.",
        true,
        rust,
    ));
    let mut tex = fixed("mandatory", &["texlive-base", "texlive-latex"]);
    tex.extend(fixed(
        "default",
        &[
            "texlive-collection-basic",
            "texlive-graphics",
            "texlive-hyperref",
            "texlive-tools",
        ],
    ));
    tex.extend(
        pick("texlive", 25)
            .into_iter()
            .map(|n| ("optional", n, None)),
    );
    groups.push(group(
        "texlive",
        "TeX Live",
        "A typesetting system.",
        true,
        tex,
    ));
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    groups
}

fn comps_xml(groups: &[Group], g: &Gen) -> String {
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE comps PUBLIC \"-//Red Hat, Inc.//DTD Comps info//EN\" \"comps.dtd\">\n<comps>\n");
    for gr in groups {
        x.push_str("  <group>\n");
        writeln!(
            x,
            "    <id>{}</id>\n    <name>{}</name>",
            gr.id,
            esc(&gr.name)
        )
        .unwrap();
        writeln!(x, "    <description>{}</description>", esc(&gr.description)).unwrap();
        writeln!(
            x,
            "    <default>false</default>\n    <uservisible>{}</uservisible>",
            gr.uservisible
        )
        .unwrap();
        x.push_str("    <packagelist>\n");
        for ty in ["mandatory", "default", "optional", "conditional"] {
            let mut reqs: Vec<_> = gr.reqs.iter().filter(|r| r.0 == ty).collect();
            reqs.sort_by(|a, b| a.1.cmp(&b.1));
            for (_, name, cond) in reqs {
                match cond {
                    Some(c) => writeln!(
                        x,
                        "      <packagereq type=\"conditional\" requires=\"{}\">{}</packagereq>",
                        esc(c),
                        esc(name)
                    )
                    .unwrap(),
                    None => writeln!(
                        x,
                        "      <packagereq type=\"{ty}\">{}</packagereq>",
                        esc(name)
                    )
                    .unwrap(),
                }
            }
        }
        x.push_str("    </packagelist>\n  </group>\n");
    }
    let envs: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "server-product-environment",
            "Fedora Server Edition",
            &[
                "container-management",
                "core",
                "hardware-support",
                "standard",
            ],
            &[
                "c-development",
                "development-tools",
                "mail-server",
                "perl",
                "python-science",
                "rust-development",
                "web-server",
            ],
        ),
        (
            "workstation-product-environment",
            "Fedora Workstation",
            &[
                "base-x",
                "core",
                "editors",
                "fonts",
                "hardware-support",
                "multimedia",
                "standard",
            ],
            &[
                "c-development",
                "development-tools",
                "python-science",
                "texlive",
            ],
        ),
    ];
    for (order, (id, name, grouplist, optionlist)) in envs.iter().enumerate() {
        x.push_str("  <environment>\n");
        writeln!(x, "    <id>{id}</id>\n    <name>{name}</name>\n    <description>{name}, as a synthetic environment.</description>\n    <display_order>{}</display_order>", 2 + order).unwrap();
        x.push_str("    <grouplist>\n");
        for gid in *grouplist {
            writeln!(x, "      <groupid>{gid}</groupid>").unwrap();
        }
        x.push_str("    </grouplist>\n    <optionlist>\n");
        for gid in *optionlist {
            writeln!(x, "      <groupid>{gid}</groupid>").unwrap();
        }
        x.push_str("    </optionlist>\n  </environment>\n");
    }
    for (id, name, list) in [
        (
            "development",
            "Development",
            &[
                "c-development",
                "development-tools",
                "perl",
                "python-science",
                "rust-development",
            ][..],
        ),
        (
            "servers",
            "Servers",
            &["container-management", "mail-server", "web-server"][..],
        ),
    ] {
        writeln!(x, "  <category>\n    <id>{id}</id>\n    <name>{name}</name>\n    <description>{name} groups.</description>\n    <display_order>90</display_order>\n    <grouplist>").unwrap();
        for gid in list {
            writeln!(x, "      <groupid>{gid}</groupid>").unwrap();
        }
        x.push_str("    </grouplist>\n  </category>\n");
    }
    x.push_str("  <langpacks>\n");
    let mut apps: Vec<&String> = g.roles.get("langpack-apps").into_iter().flatten().collect();
    apps.sort();
    for app in apps.iter().take(40) {
        writeln!(
            x,
            "    <match install=\"{app}-langpack-%s\" name=\"{app}\"/>"
        )
        .unwrap();
    }
    x.push_str("    <match install=\"hunspell-%s\" name=\"hunspell\"/>\n    <match install=\"man-pages-%s\" name=\"man-pages\"/>\n");
    x.push_str("  </langpacks>\n</comps>\n");
    x
}
