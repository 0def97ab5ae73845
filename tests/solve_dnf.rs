//! Parity with dnf itself on real CentOS Stream 9 metadata: every expected
//! answer is computed here by dnf 4 (its Python API, `support/dnf_ref.py`,
//! shown equal to `dnf install --assumeno` by the first test) reading the
//! same repositories rootsmith reads.
//!
//! Like with like: rootsmith installs x86_64 and noarch only (no multilib),
//! so dnf reads a copy of the metadata without the i686 packages
//! (`support::dnf_ref::without_arches`; excluding them with `--exclude
//! '*.i686'` gives the same install sets but not the same explanations, as
//! dnf keeps excluded packages in its solver's pool). Otherwise dnf runs
//! with its built-in defaults (best=False, install_weak_deps as the test
//! says), repositories with module_hotfixes and no modules.yaml, so that
//! modularity hides nothing (rootsmith has no modularity).
//!
//! The sweeps draw package names with a seeded PRNG (printed;
//! `ROOTSMITH_DNF_SEED=N` draws another sample). Every difference fails the
//! test; the failure lists each one.
//!
//! `cargo test --release --test solve_dnf`: about 20 s (35 s in a debug
//! build). Every name of both repositories, about two minutes:
//! `cargo test --release --test solve_dnf -- --ignored`.

mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use rootsmith::repo::Pool;
use rootsmith::solve::{solve, GroupRequest, Request, SolveError};
use support::dnf_ref::{
    dnf_answers, dnf_cause, dnf_cli_assumeno, dnf_python, fixture_repo_dirs, without_arches,
    DnfAnswer, DnfCause, DnfRequest,
};
use support::fixtures::{fixture_pool, FixturePool};
use support::Skip;

/// The arches of the fixtures that rootsmith's x86_64 policy leaves out.
const OTHER_ARCHES: &[&str] = &["i686"];

const BASEOS: &[&str] = &["cs9-baseos-2022"];
const MIX: &[&str] = &["cs9-appstream-2025", "cs9-baseos-2022"];

/// A fixture pool (loaded once per process) from the repositories
/// `fixtures`, and the same repositories without the i686 packages, for dnf.
struct Fixture {
    loaded: FixturePool,
    fixtures: Vec<(&'static str, PathBuf)>,
    dirs: Vec<(&'static str, PathBuf)>,
}

impl Fixture {
    fn pool(&self) -> &Pool {
        &self.loaded.pool
    }

    fn dnf(&self, requests: &[DnfRequest]) -> Vec<DnfAnswer> {
        let repos: Vec<(&str, &std::path::Path)> =
            self.dirs.iter().map(|(n, p)| (*n, p.as_path())).collect();
        let start = Instant::now();
        let answers = dnf_answers(&repos, "x86_64", requests).expect("dnf checked by ready()");
        eprintln!(
            "dnf answered {} requests in {:.1?}",
            requests.len(),
            start.elapsed()
        );
        answers
    }
}

fn load(names: &'static [&'static str]) -> Result<Fixture, Skip> {
    let fixtures = fixture_repo_dirs(names)?;
    let dirs = fixtures
        .iter()
        .map(|(n, dir)| (*n, without_arches(dir, OTHER_ARCHES)))
        .collect();
    Ok(Fixture {
        loaded: fixture_pool(names)?,
        fixtures,
        dirs,
    })
}

fn ready(f: &'static Result<Fixture, Skip>) -> Result<&'static Fixture, Skip> {
    dnf_python()?;
    f.as_ref().map_err(Skip::clone)
}

/// CentOS Stream 9 BaseOS (Feb 2022), with its comps and full filelists.
fn baseos() -> Result<&'static Fixture, Skip> {
    static F: OnceLock<Result<Fixture, Skip>> = OnceLock::new();
    ready(F.get_or_init(|| load(BASEOS)))
}

/// AppStream (2025) on BaseOS (2022): a real, partly broken mix.
fn mix() -> Result<&'static Fixture, Skip> {
    static F: OnceLock<Result<Fixture, Skip>> = OnceLock::new();
    ready(F.get_or_init(|| load(MIX)))
}

// ---------------------------------------------------------------- rootsmith

/// rootsmith's answer: the install set, or the error.
fn ours(pool: &Pool, req: &Request) -> Result<BTreeSet<String>, SolveError> {
    Ok(solve(pool, req)?
        .packages
        .iter()
        .map(|&id| pool.get(id).nevra())
        .collect())
}

/// The same request for rootsmith and for dnf: `@group` specs become
/// group requests for rootsmith and stay specs for dnf.
fn both(specs: &[&str], exclude: &[&str], weak: bool) -> (Request, DnfRequest) {
    let (groups, names): (Vec<&str>, Vec<&str>) = specs.iter().partition(|s| s.starts_with('@'));
    let req = Request {
        groups: groups.iter().map(|g| GroupRequest::new(&g[1..])).collect(),
        exclude: exclude.iter().map(|s| s.to_string()).collect(),
        weak_deps: weak,
        ..Request::specs(&names)
    };
    (req, DnfRequest::new(specs, weak).exclude(exclude))
}

/// How rootsmith's answer differs from dnf's, if it does.
///
/// Both install: the sets must be equal. Both fail: for a spec that
/// matches nothing we must say "no match" too; otherwise every package dnf
/// blames in its first problem (the `Y` of `nothing provides X needed by Y`,
/// the `A` of `package A conflicts with D provided by B`, …) must be blamed
/// by one of our causes for one of the reasons dnf gives for it (all the
/// words of one of dnf's lines about it in one of our cause messages).
/// dnf lists every reason for every alternative; naming one reason per
/// blamed package is enough, naming another package is not.
fn judge(
    label: &str,
    ours: &Result<BTreeSet<String>, SolveError>,
    dnf: &DnfAnswer,
    tally: &mut Tally,
) -> Option<String> {
    match (ours, dnf) {
        (Ok(ours), DnfAnswer::Installs(theirs)) if ours == theirs => {
            tally.equal_sets += 1;
            None
        }
        (Ok(ours), DnfAnswer::Installs(theirs)) => {
            let plus: Vec<_> = ours.difference(theirs).collect();
            let minus: Vec<_> = theirs.difference(ours).collect();
            Some(format!(
                "{label}: install sets differ: only rootsmith {plus:?}, only dnf {minus:?}"
            ))
        }
        (Ok(ours), DnfAnswer::Fails { error, .. }) => Some(format!(
            "{label}: dnf fails ({}), rootsmith installs {} packages",
            error.trim().replace('\n', " "),
            ours.len()
        )),
        (Err(e), DnfAnswer::Installs(theirs)) => Some(format!(
            "{label}: rootsmith fails ({e}), dnf installs {} packages: {theirs:?}",
            theirs.len()
        )),
        (
            Err(e),
            DnfAnswer::Fails {
                problems, no_match, ..
            },
        ) => {
            tally.both_fail += 1;
            let e_text = e.to_string();
            if !no_match.is_empty() {
                return match e {
                    SolveError::NoMatch(_)
                        if no_match.iter().all(|s| e_text.contains(s.as_str())) =>
                    {
                        tally.same_first_cause += 1;
                        tally.first_named += 1;
                        None
                    }
                    _ => Some(format!(
                        "{label}: dnf finds no match for {no_match:?}, rootsmith says: {e_text}"
                    )),
                };
            }
            let causes: Vec<String> = e
                .problems()
                .iter()
                .flat_map(|p| p.causes.iter().map(|c| c.message.clone()))
                .collect();
            let first_problem = problems.first().map(Vec::as_slice).unwrap_or_default();
            let dnf_causes: Vec<DnfCause> =
                first_problem.iter().filter_map(|l| dnf_cause(l)).collect();
            if dnf_causes.is_empty() {
                return Some(format!(
                    "{label}: no root cause in dnf's problem {first_problem:?}; rootsmith: {e_text}"
                ));
            }
            for c in &dnf_causes {
                *tally.dnf_cause_kinds.entry(c.kind()).or_default() += 1;
            }
            let named = |d: &DnfCause| {
                causes
                    .iter()
                    .any(|c| d.words().iter().all(|w| c.contains(w)))
            };
            if causes
                .first()
                .is_some_and(|c| dnf_causes[0].words().iter().all(|w| c.contains(w)))
            {
                tally.same_first_cause += 1;
            }
            if named(&dnf_causes[0]) {
                tally.first_named += 1;
            }
            let blamed: BTreeSet<&str> = dnf_causes.iter().map(DnfCause::culprit).collect();
            let unnamed: Vec<&str> = blamed
                .into_iter()
                .filter(|b| !dnf_causes.iter().any(|d| d.culprit() == *b && named(d)))
                .collect();
            if unnamed.is_empty() {
                None
            } else {
                Some(format!(
                    "{label}: both fail, but rootsmith does not blame {unnamed:?} as dnf does\n  \
                     dnf: {first_problem:?}\n  rootsmith: {e_text}"
                ))
            }
        }
    }
}

#[derive(Default, Debug)]
struct Tally {
    equal_sets: usize,
    both_fail: usize,
    /// Of `both_fail`: our first cause is dnf's first cause.
    same_first_cause: usize,
    /// Of `both_fail`: dnf's first cause is one of ours.
    first_named: usize,
    /// The causes dnf gave (first problem of each failure), by kind.
    dnf_cause_kinds: std::collections::BTreeMap<&'static str, usize>,
}

/// Solve `cases` with both, print the figures, fail listing every difference.
fn compare_all(f: &Fixture, what: &str, cases: &[(String, Request, DnfRequest)]) {
    let dnf_requests: Vec<DnfRequest> = cases.iter().map(|c| c.2.clone()).collect();
    let theirs = f.dnf(&dnf_requests);
    let start = Instant::now();
    let mut tally = Tally::default();
    let mut diffs = Vec::new();
    for ((label, req, _), dnf) in cases.iter().zip(&theirs) {
        let ours = ours(f.pool(), req);
        if let Some(d) = judge(label, &ours, dnf, &mut tally) {
            diffs.push(d);
        }
    }
    eprintln!(
        "{what}: {} requests compared in {:.1?} (rootsmith); {} equal install sets, \
         {} unsolvable for both (dnf's first cause: our first cause {}, one of ours {}), {} differ",
        cases.len(),
        start.elapsed(),
        tally.equal_sets,
        tally.both_fail,
        tally.same_first_cause,
        tally.first_named,
        diffs.len()
    );
    if !tally.dnf_cause_kinds.is_empty() {
        eprintln!("{what}: causes dnf gave: {:?}", tally.dnf_cause_kinds);
    }
    assert!(
        diffs.is_empty(),
        "{what}: {} of {} requests differ from dnf:\n{}",
        diffs.len(),
        cases.len(),
        diffs.join("\n")
    );
}

fn case(specs: &[&str], exclude: &[&str], weak: bool) -> (String, Request, DnfRequest) {
    let label = format!(
        "`{}`{}{}",
        specs.join(" "),
        exclude
            .iter()
            .map(|x| format!(" --exclude {x}"))
            .collect::<String>(),
        if weak { "" } else { " --no-weak-deps" }
    );
    let (req, dnf) = both(specs, exclude, weak);
    (label, req, dnf)
}

// ---------------------------------------------------------------- sampling

/// SplitMix64: small, seedable, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// `n` distinct elements of `items`, in drawing order (partial Fisher-Yates).
    fn sample<T: Clone>(&mut self, items: &[T], n: usize) -> Vec<T> {
        let mut v = items.to_vec();
        let n = n.min(v.len());
        for i in 0..n {
            let j = i + (self.next() % (v.len() - i) as u64) as usize;
            v.swap(i, j);
        }
        v.truncate(n);
        v
    }
}

const DEFAULT_SEED: u64 = 20_250_301;

fn seed(what: &str) -> u64 {
    let seed = std::env::var("ROOTSMITH_DNF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    eprintln!("{what}: seed {seed} (ROOTSMITH_DNF_SEED={seed} draws the same sample)");
    seed
}

/// The sorted names of the packages of `repo` in the pool.
fn names_in(pool: &Pool, repo: &str) -> Vec<String> {
    let names: BTreeSet<String> = pool
        .ids()
        .filter(|&id| pool.repo_of(id).is_some_and(|r| r.name == repo))
        .map(|id| pool.get(id).name.clone())
        .collect();
    names.into_iter().collect()
}

// ---------------------------------------------------------------- tests

/// The Python reference is `dnf install`: the same install set as the
/// command's transaction table, for the container request on BaseOS.
#[test]
fn dnf_reference_is_the_dnf_command() {
    let t = "dnf_reference_is_the_dnf_command";
    let f = need!(t, baseos());
    let specs = [
        "bash",
        "coreutils-single",
        "glibc-minimal-langpack",
        "rpm",
        "microdnf",
    ];
    let repos: Vec<(&str, &std::path::Path)> =
        f.dirs.iter().map(|(n, p)| (*n, p.as_path())).collect();
    for weak in [false, true] {
        let exclude = ["kernel"];
        let cli = need!(
            t,
            dnf_cli_assumeno(&repos, "x86_64", weak, &exclude, &specs)
        )
        .unwrap_or_else(|out| panic!("dnf install --assumeno printed no transaction:\n{out}"));
        let api = f.dnf(&[DnfRequest::new(&specs, weak).exclude(&["kernel"])]);
        eprintln!("weak={weak}: dnf command {} packages", cli.len());
        assert_eq!(
            api[0].installs(),
            Some(&cli),
            "weak={weak}: dnf_ref.py and `dnf install --assumeno` differ"
        );
    }
}

/// `@core`, with and without weak dependencies.
#[test]
fn core_group_matches_dnf() {
    let f = need!("core_group_matches_dnf", baseos());
    let cases = [case(&["@core"], &[], false), case(&["@core"], &[], true)];
    compare_all(f, "BaseOS @core", &cases);
}

/// A container image's request, as Fedora's container kickstarts write it.
#[test]
fn container_request_matches_dnf() {
    let f = need!("container_request_matches_dnf", baseos());
    let specs = [
        "bash",
        "coreutils-single",
        "glibc-minimal-langpack",
        "rpm",
        "microdnf",
    ];
    let cases = [
        case(&specs, &["kernel"], false),
        case(&specs, &["kernel"], true),
    ];
    compare_all(f, "BaseOS container request", &cases);
}

/// A comps environment: `@^minimal-environment` as a kickstart writes it,
/// and `rootsmith resolve @minimal-environment` as `dnf install` takes it
/// (dnf 4 matches environments and groups by `@id`, and knows no `@^`).
#[test]
fn environment_matches_dnf() {
    let t = "environment_matches_dnf";
    let f = need!(t, baseos());
    let theirs = f.dnf(&[DnfRequest::new(&["@minimal-environment"], true)]);
    let want = theirs[0]
        .installs()
        .expect("dnf installs @minimal-environment");
    let env = Request {
        groups: vec![GroupRequest {
            environment: true,
            ..GroupRequest::new("minimal-environment")
        }],
        ..Request::default()
    };
    let ours = ours(f.pool(), &env).unwrap_or_else(|e| panic!("@^minimal-environment: {e}"));
    assert_eq!(&ours, want, "@^minimal-environment vs dnf");
    let repo = format!("{}={}", f.fixtures[0].0, f.fixtures[0].1.display());
    let run = support::rootsmith(&[
        "resolve",
        "@minimal-environment",
        "--repo",
        &repo,
        "--arch",
        "x86_64",
    ]);
    assert!(
        run.ok(),
        "dnf installs {} packages; {}",
        want.len(),
        run.describe()
    );
    let got: BTreeSet<String> = support::lines(&run.stdout).into_iter().collect();
    assert_eq!(&got, want, "`{}` vs dnf", run.cmdline);
}

/// A dependency on a file that only filelists.xml lists: krb5-server
/// requires /usr/share/dict/words (owned by words); dnf reads filelists.
#[test]
fn file_dependency_from_filelists_matches_dnf() {
    let f = need!("file_dependency_from_filelists_matches_dnf", baseos());
    let cases = [
        case(&["krb5-server"], &[], false),
        case(&["/usr/share/dict/words"], &[], false),
    ];
    compare_all(f, "BaseOS files from filelists", &cases);
}

/// 300 random BaseOS names, each on its own, with and without weak deps.
#[test]
fn random_baseos_names_match_dnf() {
    let t = "random_baseos_names_match_dnf";
    let f = need!(t, baseos());
    let names = names_in(f.pool(), BASEOS[0]);
    let sample = Rng(seed(t)).sample(&names, 300);
    let cases: Vec<_> = sample
        .iter()
        .flat_map(|n| [case(&[n], &[], true), case(&[n], &[], false)])
        .collect();
    compare_all(f, &format!("{} random BaseOS names", sample.len()), &cases);
}

fn appstream_sweep(t: &str, n: Option<usize>) {
    let f = need!(t, mix());
    let names = names_in(f.pool(), MIX[0]);
    let sample = match n {
        Some(n) => Rng(seed(t)).sample(&names, n),
        None => names.clone(),
    };
    let cases: Vec<_> = sample
        .iter()
        .flat_map(|n| [case(&[n], &[], true), case(&[n], &[], false)])
        .collect();
    compare_all(
        f,
        &format!(
            "{} AppStream names (of {}) on AppStream 2025 + BaseOS 2022",
            sample.len(),
            names.len()
        ),
        &cases,
    );
}

/// 300 random AppStream names, each on its own, with and without weak
/// deps, on the AppStream 2025 + BaseOS 2022 mix.
#[test]
fn random_appstream_names_match_dnf() {
    appstream_sweep("random_appstream_names_match_dnf", Some(300));
}

/// Every AppStream name (4,836), the same way; a few minutes in a release
/// build: `cargo test --release --test solve_dnf -- --ignored`.
#[test]
#[ignore]
fn every_appstream_name_matches_dnf() {
    appstream_sweep("every_appstream_name_matches_dnf", None);
}

/// Every BaseOS name, the same way: `cargo test --release --test solve_dnf -- --ignored`.
#[test]
#[ignore]
fn every_baseos_name_matches_dnf() {
    let t = "every_baseos_name_matches_dnf";
    let f = need!(t, baseos());
    let names = names_in(f.pool(), BASEOS[0]);
    let cases: Vec<_> = names
        .iter()
        .flat_map(|n| [case(&[n], &[], true), case(&[n], &[], false)])
        .collect();
    compare_all(f, &format!("every BaseOS name ({})", names.len()), &cases);
}

/// 300 random sets of three AppStream names, asked for together (weak
/// deps on): requests whose members interact (conflicts, obsoletes,
/// shared providers).
#[test]
fn random_appstream_triples_match_dnf() {
    let t = "random_appstream_triples_match_dnf";
    let f = need!(t, mix());
    let names = names_in(f.pool(), MIX[0]);
    let mut rng = Rng(seed(t));
    let cases: Vec<_> = (0..300)
        .map(|_| {
            let three = rng.sample(&names, 3);
            let specs: Vec<&str> = three.iter().map(String::as_str).collect();
            case(&specs, &[], true)
        })
        .collect();
    compare_all(f, "300 random AppStream triples", &cases);
}
