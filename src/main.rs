//! The `rootsmith` command line: parsing and printing only; the work is in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Args, Parser, Subcommand};
use rootsmith::config::Kickstart;
use rootsmith::engine::{self, EngineError, ImageRequest, Progress, Selection};
use rootsmith::image::Format;
use rootsmith::query;
use rootsmith::repo::{PkgId, Pool, RepoSource, Setopt, Store, StoreOptions};
use rootsmith::solve::SolveError;

// Loading metadata is millions of small strings: see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "rootsmith",
    version,
    about = "Compose container images for RPM-based distributions"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    store: StoreArgs,
}

/// Where downloads are kept and how hard to try: every command's.
#[derive(Args)]
struct StoreArgs {
    /// The download cache [default: $XDG_CACHE_HOME/rootsmith].
    #[arg(long, global = true, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Use only the cache: never download (a file it lacks is an error).
    #[arg(long, global = true)]
    offline: bool,
    /// dnf's --setopt: timeout=SECONDS, retries=N, and for build and
    /// resolve a repository's REPO.priority=N or REPO.cost=N (repeatable).
    #[arg(long = "setopt", global = true, value_name = "OPTION=VALUE")]
    setopts: Vec<Setopt>,
}

impl StoreArgs {
    fn store(&self) -> Store {
        let mut options = StoreOptions {
            offline: self.offline,
            ..StoreOptions::default()
        };
        if let Some(dir) = &self.cache_dir {
            options.cache_dir = dir.clone();
        }
        Setopt::apply_net(&self.setopts, &mut options.net);
        Store::new(options)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Compose every image of a compose config, for its arches or those named.
    Compose {
        config: PathBuf,
        /// Root of the output tree.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Only these arches (repeatable).
        #[arg(long = "arch")]
        arches: Vec<String>,
        /// Print a machine-readable report on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Build one image.
    Build {
        #[command(flatten)]
        input: Input,
        /// `docker` (a docker-archive) or `rootfs` (a plain filesystem tar).
        #[arg(long, value_enum, default_value = "docker")]
        format: Format,
        /// The archive to write: `.tar.xz` compresses, `.tar` does not.
        #[arg(short, long)]
        output: PathBuf,
        /// Image name for the docker tag (default: the kickstart's file stem).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = "latest")]
        tag: String,
        /// The image's default command (repeat for each word).
        #[arg(long = "cmd")]
        cmd: Vec<String>,
    },
    /// Print the install set, one name-[epoch:]version-release.arch a line.
    Resolve {
        #[command(flatten)]
        input: Input,
        /// Print the install set (and its install order), or the problems,
        /// as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// When the request cannot be solved, list every cause and the
        /// solver's whole proof.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Query the repositories as dnf repoquery does: every package (one
    /// name-epoch:version-release.arch a line, as dnf prints them), those
    /// KEYs select, what provides or requires a capability, comps groups.
    Repoquery(QueryArgs),
}

/// `repoquery`: where to look and what to ask.
#[derive(Args)]
#[command(group(ArgGroup::new("query").args(["keys", "whatprovides", "whatrequires", "list_groups", "group_info"])))]
struct QueryArgs {
    /// Packages to show, read as dnf repoquery reads them: name (any case),
    /// name.arch, name-[epoch:]version[-release][.arch], a glob in any part,
    /// a path or path glob. None: every package.
    keys: Vec<String>,
    /// A repository as NAME=URL_OR_PATH (repeatable).
    #[arg(long = "repo", value_parser = parse_repo, required = true)]
    repos: Vec<RepoSource>,
    /// The target arch (dnf's --forcearch): the packages of its arch, its
    /// multilib arches (i686 on x86_64) and noarch are queried. Default:
    /// this machine's.
    #[arg(long)]
    arch: Option<String>,
    /// Value of $releasever in repository URLs.
    #[arg(long, default_value = "")]
    releasever: String,
    /// The packages that provide CAP (`name [op evr]`, the name may be a
    /// glob), else those with a file CAP matches.
    #[arg(long, value_name = "CAP")]
    whatprovides: Option<String>,
    /// The packages that require CAP, or require what the packages CAP
    /// names provide.
    #[arg(long, value_name = "CAP")]
    whatrequires: Option<String>,
    /// Describe each package (name, version, size, source rpm, repository,
    /// summary) instead of one line.
    #[arg(short, long, conflicts_with_all = ["list_groups", "group_info"])]
    info: bool,
    /// Every comps environment and group, with its id.
    #[arg(long)]
    list_groups: bool,
    /// The members of the environments and groups GROUP names (an id, a
    /// name or a glob), by type.
    #[arg(long, value_name = "GROUP")]
    group_info: Option<String>,
    /// Print the answer as JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// What to install, from where, for which arch: shared by `build` and `resolve`.
#[derive(Args)]
struct Input {
    /// A kickstart file whose %packages (and repo lines) to use.
    #[arg(long, conflicts_with = "specs")]
    kickstart: Option<PathBuf>,
    /// Package names, capabilities (`/bin/sh`, `libfoo.so.1()(64bit)`) or `@group`s.
    #[arg(required_unless_present = "kickstart")]
    specs: Vec<String>,
    /// A repository as NAME=URL_OR_PATH (repeatable); replaces the kickstart's repo lines.
    #[arg(long = "repo", value_parser = parse_repo)]
    repos: Vec<RepoSource>,
    #[arg(long)]
    arch: String,
    /// Value of $releasever in repository URLs.
    #[arg(long, default_value = "")]
    releasever: String,
    /// Do not install weak dependencies (Recommends, Supplements).
    #[arg(long)]
    no_weak_deps: bool,
    /// Never install what this spec names, as dnf's --exclude: a name,
    /// name-version[-release][.arch], or a glob in any part (repeatable).
    #[arg(long = "exclude")]
    excludes: Vec<String>,
}

fn parse_repo(s: &str) -> Result<RepoSource, String> {
    match s.split_once('=') {
        Some((name, url)) if !name.is_empty() && !url.is_empty() => Ok(RepoSource::new(name, url)),
        _ => Err(format!("{s:?} is not NAME=URL_OR_PATH")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command, &cli.store) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, store_args: &StoreArgs) -> Result<ExitCode, EngineError> {
    let store = store_args.store();
    match command {
        Command::Compose {
            config,
            out,
            arches,
            json,
        } => {
            if store_args
                .setopts
                .iter()
                .any(|s| matches!(s, Setopt::Repo(_)))
            {
                return Err(EngineError::Selection(
                    "compose takes repository priority and cost from the compose config, not --setopt".into(),
                ));
            }
            let report = engine::compose(&config, &out, &arches, &store, &Progress::new(json))?;
            if json {
                print_stdout(&serde_json::to_string_pretty(&report).expect("report serializes"));
            }
            let failed = report.failed();
            if failed > 0 {
                return Err(EngineError::ComposeFailed {
                    failed,
                    total: report.images.len(),
                });
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Build {
            input,
            format,
            output,
            name,
            tag,
            cmd,
        } => {
            let progress = Progress::new(false);
            let (selection, pool) = input.pool(&store, &store_args.setopts, &progress)?;
            let name = name
                .or_else(|| {
                    input
                        .kickstart
                        .as_ref()
                        .and_then(|k| k.file_stem())
                        .map(|s| s.to_string_lossy().into_owned())
                })
                .unwrap_or_else(|| "rootsmith".into());
            let request = ImageRequest {
                selection,
                name,
                tag,
                arch: input.arch.clone(),
                cmd,
                env: vec![
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                ],
                format,
            };
            let built = engine::build_to_file(&pool, &request, &output, &progress)?;
            eprintln!("{}  {}", built.archive.sha256, built.archive.path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Resolve {
            input,
            json,
            verbose,
        } => {
            let progress = Progress::new(true);
            let (selection, pool) = input.pool(&store, &store_args.setopts, &progress)?;
            let transaction = match engine::resolve(&pool, &selection, &progress.task("resolve")) {
                Ok(t) => t,
                Err(EngineError::Solve(e)) if json || verbose => {
                    print_unsolvable(&e, json, verbose);
                    return Ok(ExitCode::FAILURE);
                }
                Err(e) => return Err(e),
            };
            let report = engine::ResolveReport::new(&pool, &transaction);
            if json {
                print_stdout(&serde_json::to_string_pretty(&report).expect("report serializes"));
            } else if !report.packages.is_empty() {
                let nevras: Vec<&str> = report.packages.iter().map(|p| p.nevra.as_str()).collect();
                print_stdout(&nevras.join("\n"));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Repoquery(q) => repoquery(&q, &store, &store_args.setopts),
    }
}

/// `rootsmith repoquery`. Whatever selects nothing is said on stderr and
/// makes the exit status 1.
/// Like dnf's repoquery, every priority is listed (--setopt REPO.priority
/// changes nothing but is accepted).
fn repoquery(q: &QueryArgs, store: &Store, setopts: &[Setopt]) -> Result<ExitCode, EngineError> {
    let arch = match &q.arch {
        Some(a) => a.clone(),
        None => rootsmith::rpm::host_arch()
            .ok_or_else(|| EngineError::Selection("unknown machine arch: give --arch".into()))?
            .to_string(),
    };
    let sources = repo_sources(&q.repos, &arch, &q.releasever);
    let pool = Progress::new(true).watch(store, || query::load(store, &sources, setopts, &arch))?;
    if q.list_groups {
        let list = query::list_groups(&pool);
        print_answer(q.json, &list, &list.to_string());
        let missing = list
            .is_empty()
            .then(|| "no comps groups in the enabled repositories".into());
        return Ok(exit_status(missing.as_slice()));
    }
    if let Some(pattern) = &q.group_info {
        let info = query::group_info(&pool, pattern)?;
        print_answer(q.json, &info, &info.to_string());
        let missing =
            (info.is_empty()).then(|| format!("no group or environment matches '{pattern}'"));
        return Ok(exit_status(missing.as_slice()));
    }
    // The packages, and why there are none.
    let unless_empty = |ids: Vec<PkgId>, why: String| {
        let missing = if ids.is_empty() {
            vec![why]
        } else {
            Vec::new()
        };
        (ids, missing)
    };
    let (ids, missing) = if let Some(cap) = &q.whatprovides {
        unless_empty(
            query::what_provides(&pool, cap)?,
            format!("no package provides '{cap}'"),
        )
    } else if let Some(cap) = &q.whatrequires {
        unless_empty(
            query::what_requires(&pool, cap)?,
            format!("no package requires '{cap}'"),
        )
    } else if q.keys.is_empty() {
        unless_empty(
            query::all(&pool),
            "no packages in the enabled repositories".into(),
        )
    } else {
        let found = query::matching(&pool, &q.keys)?;
        let missing = (found.no_match.iter())
            .map(|k| format!("no match for argument: {k}"))
            .collect();
        (found.packages, missing)
    };
    print_packages(&pool, &ids, q.info, q.json);
    Ok(exit_status(&missing))
}

/// Packages as dnf repoquery prints them: one line each (the same line
/// once), or each `--info` block.
fn print_packages(pool: &Pool, ids: &[PkgId], info: bool, json: bool) {
    if info {
        let infos = query::package_infos(pool, ids);
        let text: Vec<String> = infos.iter().map(ToString::to_string).collect();
        print_answer(
            json,
            &serde_json::json!({ "packages": infos }),
            &text.join("\n\n"),
        );
    } else {
        let rows = query::package_rows(pool, ids);
        let lines = query::package_lines(pool, ids);
        print_answer(
            json,
            &serde_json::json!({ "packages": rows }),
            &lines.join("\n"),
        );
    }
}

/// `value` as JSON, or `text` (nothing at all when empty).
fn print_answer(json: bool, value: &impl serde::Serialize, text: &str) {
    if json {
        print_stdout(&serde_json::to_string_pretty(value).expect("answer serializes"));
    } else if !text.is_empty() {
        print_stdout(text.trim_end_matches('\n'));
    }
}

/// Each message as an error on stderr; failure when there is one.
fn exit_status(missing: &[String]) -> ExitCode {
    for m in missing {
        eprintln!("error: {m}");
    }
    if missing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Print to stdout; a reader that went away (`| head`) ends the output
/// quietly instead of a panic.
fn print_stdout(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing to stdout: {e}");
        }
    }
}

/// An unsolvable request: as JSON on stdout, and/or every cause and the
/// solver's proof on stderr.
fn print_unsolvable(e: &SolveError, json: bool, verbose: bool) {
    if json {
        let report = serde_json::json!({ "error": e.to_string(), "problems": e.problems() });
        print_stdout(&serde_json::to_string_pretty(&report).expect("report serializes"));
    }
    if !verbose {
        eprintln!("error: {e}");
        return;
    }
    eprintln!("error: cannot resolve the request");
    for (i, problem) in e.problems().iter().enumerate() {
        eprintln!("problem {}:", i + 1);
        for cause in &problem.causes {
            eprintln!("  - {}", cause.message);
        }
        eprintln!("  proof:");
        for line in &problem.proof {
            eprintln!("    {line}");
        }
    }
    if e.problems().is_empty() {
        eprintln!("  {e}");
    }
}

impl Input {
    fn selection(&self) -> Result<(Option<Kickstart>, Selection), EngineError> {
        let (kickstart, mut selection) = match &self.kickstart {
            Some(path) => {
                let ks = Kickstart::load(path).map_err(|e| EngineError::Plan(e.into()))?;
                let selection = Selection::from_kickstart(&ks.packages);
                for u in &ks.unapplied {
                    eprintln!("warning: {u}");
                }
                (Some(ks), selection)
            }
            None => (None, Selection::from_specs(&self.specs)),
        };
        selection
            .request
            .exclude_specs
            .extend(self.excludes.iter().cloned());
        selection.request.weak_deps &= !self.no_weak_deps;
        Ok((kickstart, selection))
    }

    fn repo_sources(&self) -> Vec<RepoSource> {
        repo_sources(&self.repos, &self.arch, &self.releasever)
    }

    /// The selection and the pool it resolves from, its loading shown on
    /// `progress`.
    fn pool(
        &self,
        store: &Store,
        setopts: &[Setopt],
        progress: &Progress,
    ) -> Result<(Selection, Pool), EngineError> {
        let (kickstart, selection) = self.selection()?;
        let pool = progress.watch(store, || {
            engine::pool_for(
                store,
                kickstart.as_ref(),
                &self.repo_sources(),
                setopts,
                &selection,
                &self.arch,
                &self.releasever,
            )
        })?;
        Ok((selection, pool))
    }
}

/// `--repo` arguments with `$basearch` and `$releasever` substituted,
/// relative paths from the current directory.
fn repo_sources(repos: &[RepoSource], arch: &str, releasever: &str) -> Vec<RepoSource> {
    let cwd = std::path::Path::new(".");
    repos
        .iter()
        .map(|r| rootsmith::plan::repo_source(&r.name, &r.location, arch, releasever, cwd))
        .collect()
}
