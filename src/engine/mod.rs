//! Runs the pipeline: for each (image, arch), repo → solve → fetch → rootfs →
//! rpmdb → image, arches in parallel, then publish. Front ends (`compose`,
//! `build`, `resolve`) differ only in where the request comes from and where
//! the archive goes.

mod progress;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use thiserror::Error;

pub use progress::{Progress, TaskProgress};

use crate::config::{ComposeConfig, ComposeConfigError, Kickstart, PackageSelection};
use crate::fetch::{fetch, FetchError, Fetched};
use crate::image::{write_archive, Archive, Format, ImageConfig, ImageError};
use crate::plan::{plan, PlanError, Task};
use crate::publish::{publish_image, staging_dir, PublishError};
use crate::repo::{load_pool, PkgId, Pool, RepoError, RepoSource, Setopt, Store, StoreStats};
use crate::rootfs::{
    apply_owners, file_states, install_package, rpm_dbpath, RootfsError, Spool, Tree,
};
use crate::rpm::ArchPolicy;
use crate::rpmdb::{write_rpmdb, InstalledPackage, RpmdbError};
use crate::solve::{solve, GroupRequest, Request, SolveError, Transaction};

#[derive(Debug, Error)]
pub enum EngineError {
    #[error(transparent)]
    Config(#[from] ComposeConfigError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("{0}")]
    Selection(String),
    #[error(transparent)]
    Solve(#[from] SolveError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Rootfs(#[from] RootfsError),
    #[error(transparent)]
    Rpmdb(#[from] RpmdbError),
    #[error(transparent)]
    Image(#[from] ImageError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error("{0}")]
    Environment(String),
    #[error("{failed} of {total} images failed")]
    ComposeFailed { failed: usize, total: usize },
}

/// What to install, and for which arches of the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub request: Request,
}

impl Selection {
    /// A kickstart's `%packages`, as Anaconda installs them: `@core` is
    /// added unless `--nocore`; `-@group` leaves a group out.
    pub fn from_kickstart(p: &PackageSelection) -> Selection {
        let mut ids: Vec<&str> = p.groups.iter().map(String::as_str).collect();
        if !p.options.nocore && !ids.contains(&"core") {
            ids.insert(0, "core");
        }
        let mut groups: Vec<GroupRequest> = ids
            .into_iter()
            .filter(|id| !p.excluded_groups.iter().any(|x| x == id))
            .map(|id| {
                let o = p.group_options(id);
                let implied_by = (id == "core" && !p.groups.iter().any(|g| g == "core"))
                    .then(|| "added because %packages has no --nocore".to_string());
                GroupRequest {
                    defaults: !o.nodefaults,
                    optional: o.optional,
                    implied_by,
                    ..GroupRequest::new(id)
                }
            })
            .collect();
        if let Some(env) = &p.environment {
            groups.push(GroupRequest {
                environment: true,
                ..GroupRequest::new(env)
            });
        }
        Selection {
            request: Request {
                install: p.packages.clone(),
                groups,
                exclude: p.excluded_packages.clone(),
                weak_deps: !p.options.exclude_weakdeps,
                ignore_missing: p.options.ignore_missing,
                multilib: p.options.multilib,
                ..Request::default()
            },
        }
    }

    /// Command-line SPECs: `@group`, `@^environment`, package specs.
    pub fn from_specs(specs: &[String]) -> Selection {
        let (groups, specs): (Vec<&String>, Vec<&String>) =
            specs.iter().partition(|s| s.starts_with('@'));
        let groups = groups
            .into_iter()
            .map(|g| match g.strip_prefix("@^") {
                Some(env) => GroupRequest {
                    environment: true,
                    ..GroupRequest::new(env)
                },
                None => GroupRequest::new(&g[1..]),
            })
            .collect();
        Selection {
            request: Request {
                groups,
                ..Request::specs(&specs)
            },
        }
    }

    /// The arch policy for a target arch.
    pub fn arch_policy(&self, arch: &str) -> Result<ArchPolicy, EngineError> {
        ArchPolicy::new(arch, self.request.multilib)
            .map_err(|e| EngineError::Selection(e.to_string()))
    }
}

/// Resolve a selection on a pool. What the request skipped is logged.
pub fn resolve(
    pool: &Pool,
    selection: &Selection,
    log: &TaskProgress,
) -> Result<Transaction, EngineError> {
    let transaction = solve(pool, &selection.request)?;
    for note in &transaction.notes {
        log.warn(note);
    }
    Ok(transaction)
}

/// `rootsmith resolve --json`: the install set, in name and install order,
/// with what the request skipped.
#[derive(Clone, Debug, Serialize)]
pub struct ResolveReport {
    pub arch: String,
    /// Sorted by NEVRA.
    pub packages: Vec<ResolvedPackage>,
    /// The same packages (`name-[epoch:]version-release.arch`) in the
    /// order rpm installs them.
    pub install_order: Vec<String>,
    pub notes: Vec<String>,
}

/// One package of a resolved set, with where it comes from: enough to
/// fetch and verify it again.
#[derive(Clone, Debug, Serialize)]
pub struct ResolvedPackage {
    /// `name-[epoch:]version-release.arch`, epoch only when not 0.
    pub nevra: String,
    pub name: String,
    pub epoch: u32,
    pub version: String,
    pub release: String,
    pub arch: String,
    /// The repository it was chosen from.
    pub repo: String,
    /// Path of the .rpm relative to that repository.
    pub location: String,
    /// `algorithm:hex`, as primary.xml gives it.
    pub checksum: String,
}

impl ResolvedPackage {
    pub fn new(pool: &Pool, id: PkgId) -> ResolvedPackage {
        let p = pool.get(id);
        ResolvedPackage {
            nevra: p.nevra(),
            name: p.name.clone(),
            epoch: p.evr.epoch,
            version: p.evr.version.clone(),
            release: p.evr.release.clone().unwrap_or_default(),
            arch: p.arch.clone(),
            repo: pool.repo_of(id).map(|r| r.name.clone()).unwrap_or_default(),
            location: p.location.clone(),
            checksum: p.checksum.to_string(),
        }
    }
}

impl ResolveReport {
    pub fn new(pool: &Pool, transaction: &Transaction) -> ResolveReport {
        let mut packages: Vec<ResolvedPackage> = transaction
            .packages
            .iter()
            .map(|&id| ResolvedPackage::new(pool, id))
            .collect();
        packages.sort_by(|a, b| a.nevra.cmp(&b.nevra));
        ResolveReport {
            arch: pool.arch_policy().target().to_string(),
            packages,
            install_order: transaction
                .install_order(pool)
                .iter()
                .map(|&id| pool.get(id).nevra())
                .collect(),
            notes: transaction.notes.clone(),
        }
    }
}

/// One image to build.
#[derive(Clone, Debug)]
pub struct ImageRequest {
    pub selection: Selection,
    pub name: String,
    pub tag: String,
    pub arch: String,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub format: Format,
}

/// A built image and what went into it.
#[derive(Clone, Debug)]
pub struct Built {
    pub archive: Archive,
    pub packages: Vec<String>,
}

/// Build one image from `pool` into `archive_path`; temporary files go to `scratch`.
pub fn build_image(
    pool: &Pool,
    request: &ImageRequest,
    scratch: &Path,
    archive_path: &Path,
    log: &TaskProgress,
) -> Result<Built, EngineError> {
    let transaction = resolve(pool, &request.selection, log)?;
    // Installed (and recorded in the rpmdb) in rpm's order.
    let ids = transaction.install_order(pool);
    log.step(&format!("resolved {} packages", ids.len()));
    let started = std::time::Instant::now();
    let fetched = fetch(pool, &ids, &|p| {
        log.live(&format!(
            "fetched {}/{} packages ({:.1} MB downloaded)",
            p.done,
            p.total,
            p.downloaded_bytes as f64 / 1e6
        ))
    })?;
    log.step(&fetch_summary(&fetched, started.elapsed()));
    let paths = fetched.paths;

    let spool = Spool::new_in(scratch).map_err(|e| RootfsError::Spool(e.to_string()))?;
    let mut tree = Tree::new(spool);
    tree.prefer_color(crate::rpmdb::prefer_color(&request.arch));
    let mut headers = Vec::with_capacity(paths.len());
    for path in &paths {
        headers.push(install_package(&mut tree, path)?);
    }
    let epoch = match crate::clock::source_date_epoch().map_err(EngineError::Environment)? {
        Some(e) => e,
        None => headers
            .iter()
            .filter_map(|h| h.get_build_time().ok())
            .max()
            .unwrap_or(0),
    };
    write_database(&mut tree, &headers, &request.arch, epoch, scratch)?;
    for w in apply_owners(&mut tree) {
        log.warn(&w.to_string());
    }
    tree.clamp_mtimes(epoch);
    log.step(&format!("assembled {} paths", tree.len()));

    let config = ImageConfig {
        name: request.name.clone(),
        tag: request.tag.clone(),
        arch: request.arch.clone(),
        created: epoch,
        cmd: request.cmd.clone(),
        env: request.env.clone(),
        labels: BTreeMap::new(),
        scratch_dir: scratch.to_path_buf(),
    };
    let archive = write_archive(&tree, &config, request.format, archive_path)?;
    log.step(&format!(
        "wrote {} ({} bytes)",
        archive_path.display(),
        archive.size
    ));
    Ok(Built {
        archive,
        packages: ids.iter().map(|&id| pool.get(id).nevra()).collect(),
    })
}

/// `verified 120 package files (35 downloaded: 48.2 MB in 3.1 s, 15.5 MB/s)`.
fn fetch_summary(fetched: &Fetched, took: std::time::Duration) -> String {
    let mut line = format!("verified {} package files", fetched.paths.len());
    if fetched.downloaded > 0 {
        let mb = fetched.downloaded_bytes as f64 / 1e6;
        let secs = took.as_secs_f64().max(1e-3);
        line.push_str(&format!(
            " ({} downloaded: {mb:.1} MB in {secs:.1} s, {:.1} MB/s)",
            fetched.downloaded,
            mb / secs
        ));
    }
    line
}

/// Record the installed packages in the image's own rpm database.
fn write_database(
    tree: &mut Tree,
    headers: &[rpm::PackageMetadata],
    arch: &str,
    epoch: u64,
    scratch: &Path,
) -> Result<(), EngineError> {
    // rpm's install times are 32-bit: a later time is refused, not wrapped.
    let install_time = u32::try_from(epoch).map_err(|_| {
        EngineError::Environment(format!(
            "install time {epoch} (SOURCE_DATE_EPOCH or the newest build time) is past \
             2106, beyond what an rpm database can record"
        ))
    })?;
    // The scratch folder is private to this image, so a fixed name cannot collide.
    let db_file = scratch.join("rpmdb.sqlite");
    let states: Vec<Option<Vec<u8>>> = headers.iter().map(|h| file_states(tree, h)).collect();
    let installed: Vec<InstalledPackage> = headers
        .iter()
        .zip(&states)
        .map(|(metadata, states)| InstalledPackage {
            metadata,
            file_states: states.as_deref(),
        })
        .collect();
    write_rpmdb(&db_file, &installed, arch, install_time)?;
    let mut content = std::fs::File::open(&db_file).map_err(|source| RpmdbError::Io {
        path: db_file.clone(),
        source,
    })?;
    let dbpath = rpm_dbpath(tree);
    tree.add_file(&format!("{dbpath}/rpmdb.sqlite"), &mut content, 0o644)?;
    Ok(())
}

/// `rootsmith build`: one image straight to a file, atomically.
pub fn build_to_file(
    pool: &Pool,
    request: &ImageRequest,
    output: &Path,
    progress: &Progress,
) -> Result<Built, EngineError> {
    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let scratch = staging_dir(&dir)?;
    let staged = scratch.path().join(output.file_name().unwrap_or_default());
    let log = progress.task(&format!("{}.{}", request.name, request.arch));
    let mut built = build_image(pool, request, scratch.path(), &staged, &log)?;
    std::fs::rename(&staged, output).map_err(|source| PublishError {
        path: output.to_path_buf(),
        action: "cannot move the image into place",
        source,
    })?;
    built.archive.path = output.to_path_buf();
    log.finish("done");
    Ok(built)
}

/// One image of a compose, as the `--json` report and the log describe it.
#[derive(Clone, Debug, Serialize)]
pub struct ImageReport {
    pub image: String,
    pub arch: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    pub packages: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ComposeReport {
    pub product: String,
    pub version: String,
    pub output: PathBuf,
    pub images: Vec<ImageReport>,
    /// What the metadata store loaded, shared and downloaded.
    pub metadata: StoreStats,
}

impl ComposeReport {
    pub fn failed(&self) -> usize {
        self.images.iter().filter(|i| i.error.is_some()).count()
    }
}

/// `rootsmith compose`: every image × arch of a compose config, in parallel.
/// Every image shares `store`: a (repositories, arch) pool is loaded once.
pub fn compose(
    config_path: &Path,
    out: &Path,
    arches: &[String],
    store: &Store,
    progress: &Progress,
) -> Result<ComposeReport, EngineError> {
    let config = ComposeConfig::load(config_path)?;
    let tasks = plan(&config, arches)?;
    report_unapplied(&tasks, progress);
    // A task whose arch is unknown fails on its own, in the report.
    let policies: Vec<Option<ArchPolicy>> = tasks
        .iter()
        .map(|t| {
            Selection::from_kickstart(&t.kickstart.packages)
                .arch_policy(&t.arch)
                .ok()
        })
        .collect();
    store.expect_pools(
        tasks
            .iter()
            .zip(&policies)
            .filter_map(|(t, p)| Some((t.repos.as_slice(), p.as_ref()?))),
    );
    let images = progress.watch(store, || {
        tasks
            .par_iter()
            .map(|task| run_task(task, out, store, progress))
            .collect()
    });
    progress
        .task("metadata")
        .finish(&metadata_summary(&store.stats()));
    Ok(ComposeReport {
        product: config.product.name.clone(),
        version: config.product.version.clone(),
        output: out.to_path_buf(),
        images,
        metadata: store.stats(),
    })
}

/// What the store did, for the log: `2 pools (1 from the pool cache, 3
/// shared), 1 primary.xml parsed, 12 files downloaded (3.4 MB), 5 from the cache`.
fn metadata_summary(stats: &StoreStats) -> String {
    format!(
        "{} pools ({} from the pool cache, {} shared), {} primary.xml parsed, {} files \
         downloaded ({:.1} MB), {} from the cache",
        stats.pools_loaded,
        stats.pools_cached,
        stats.pools_shared,
        stats.primary_parsed,
        stats.downloads,
        stats.downloaded_bytes as f64 / 1e6,
        stats.cache_hits
    )
}

/// Each kickstart line that is not applied, once, however many tasks share the kickstart.
fn report_unapplied(tasks: &[Task], progress: &Progress) {
    let mut seen = std::collections::HashSet::new();
    for line in tasks
        .iter()
        .flat_map(|t| &t.kickstart.unapplied)
        .map(|u| u.to_string())
    {
        if seen.insert(line.clone()) {
            progress.warn(&line);
        }
    }
}

fn run_task(task: &Task, out: &Path, store: &Store, progress: &Progress) -> ImageReport {
    let log = progress.task(&format!("{}.{}", task.image, task.arch));
    let mut report = ImageReport {
        image: task.image.clone(),
        arch: task.arch.clone(),
        path: None,
        sha256: None,
        size: None,
        packages: 0,
        error: None,
    };
    match build_and_publish(task, out, store, &log) {
        Ok((built, published)) => {
            log.finish(&format!("published {}", published.display()));
            report.path = Some(published);
            report.sha256 = Some(built.archive.sha256);
            report.size = Some(built.archive.size);
            report.packages = built.packages.len();
        }
        Err(e) => {
            log.fail(&e.to_string());
            report.error = Some(e.to_string());
        }
    }
    report
}

fn build_and_publish(
    task: &Task,
    out: &Path,
    store: &Store,
    log: &TaskProgress,
) -> Result<(Built, PathBuf), EngineError> {
    let selection = Selection::from_kickstart(&task.kickstart.packages);
    let pool = store.pool(&task.repos, &selection.arch_policy(&task.arch)?)?;
    log.step(&format!(
        "loaded {} packages from {} repositories",
        pool.packages.len(),
        pool.repos.len()
    ));
    let request = ImageRequest {
        selection,
        name: task.image.clone(),
        tag: task.tag.clone(),
        arch: task.arch.clone(),
        cmd: task.cmd.clone(),
        env: task.env.clone(),
        format: Format::Docker,
    };
    let staging = staging_dir(out)?;
    let staged = staging
        .path()
        .join(task.output.file_name().unwrap_or_default());
    let built = build_image(&pool, &request, staging.path(), &staged, log)?;
    let published = publish_image(out, &task.output, &built.archive)?;
    Ok((built, published.image))
}

/// Load the pool for a one-off `build` or `resolve` from a kickstart or specs.
pub fn pool_for(
    store: &Store,
    kickstart: Option<&Kickstart>,
    repos: &[RepoSource],
    settings: &[Setopt],
    selection: &Selection,
    arch: &str,
    releasever: &str,
) -> Result<Pool, EngineError> {
    let policy = selection.arch_policy(arch)?;
    let mut sources = match (repos.is_empty(), kickstart) {
        (false, _) => repos.to_vec(),
        (true, Some(ks)) => crate::plan::kickstart_repos(&ks.repos, arch, releasever),
        (true, None) => Vec::new(),
    };
    if sources.is_empty() {
        return Err(EngineError::Selection(
            "no repository given: use --repo NAME=URL_OR_PATH or kickstart repo lines".into(),
        ));
    }
    Setopt::apply_repos(settings, &mut sources).map_err(EngineError::Selection)?;
    Ok(load_pool(store, &sources, &policy)?)
}
