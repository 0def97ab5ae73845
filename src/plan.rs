//! Expand a compose config into tasks, one per image × arch, with every
//! variable substituted and every path made absolute.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::config::{ComposeConfig, Kickstart, KickstartError, RepoLine};
use crate::repo::{Location, RepoSource, DEFAULT_COST};

#[derive(Debug, Error)]
pub enum PlanError {
    #[error(transparent)]
    Kickstart(#[from] KickstartError),
    #[error("--arch {arch} is not one of the compose's arches ({})", configured.join(", "))]
    UnknownArch {
        arch: String,
        configured: Vec<String>,
    },
    #[error("image {image}: no repository is configured (neither in the compose config nor in {})", kickstart.display())]
    NoRepos { image: String, kickstart: PathBuf },
}

/// One image for one arch.
#[derive(Clone, Debug)]
pub struct Task {
    pub image: String,
    pub arch: String,
    pub kickstart: Kickstart,
    pub repos: Vec<RepoSource>,
    pub tag: String,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    /// Path of the image file relative to the output root.
    pub output: PathBuf,
}

/// `$basearch`, `$arch` and `$releasever` as dnf substitutes them.
pub fn substitute(s: &str, arch: &str, releasever: &str) -> String {
    s.replace("$basearch", arch)
        .replace("$arch", arch)
        .replace("$releasever", releasever)
}

/// A baseurl that is a plain relative path is taken relative to `base`.
pub fn anchor_baseurl(url: &str, base: &Path) -> String {
    if url.contains("://") || Path::new(url).is_absolute() {
        url.to_string()
    } else {
        base.join(url).display().to_string()
    }
}

/// A configured repository for `arch`: variables substituted, a relative
/// baseurl or list path anchored at `base`.
pub fn repo_source(
    name: &str,
    location: &Location,
    arch: &str,
    releasever: &str,
    base: &Path,
) -> RepoSource {
    RepoSource::at(
        name,
        location.map(|url| anchor_baseurl(&substitute(url, arch, releasever), base)),
    )
}

/// Repo lines of a kickstart as sources for `arch`; relative paths are relative to the kickstart.
pub fn kickstart_repos(repos: &[RepoLine], arch: &str, releasever: &str) -> Vec<RepoSource> {
    repos
        .iter()
        .map(|r| {
            let base = r.place.file.parent().unwrap_or(Path::new("."));
            RepoSource {
                cost: r.cost.unwrap_or(DEFAULT_COST),
                ..repo_source(&r.name, &r.location, arch, releasever, base)
            }
        })
        .collect()
}

pub fn plan(config: &ComposeConfig, only_arches: &[String]) -> Result<Vec<Task>, PlanError> {
    for arch in only_arches {
        if !config.compose.arches.contains(arch) {
            return Err(PlanError::UnknownArch {
                arch: arch.clone(),
                configured: config.compose.arches.clone(),
            });
        }
    }
    let arches: Vec<&String> = config
        .compose
        .arches
        .iter()
        .filter(|a| only_arches.is_empty() || only_arches.contains(a))
        .collect();
    let releasever = config.releasever();
    let product = &config.product;
    let mut tasks = Vec::new();
    for image in &config.images {
        let ks_path = config.resolve(&image.kickstart);
        let kickstart = Kickstart::load(&ks_path)?;
        for arch in &arches {
            let repos = if config.repos.is_empty() {
                kickstart_repos(&kickstart.repos, arch, releasever)
            } else {
                config
                    .repos
                    .iter()
                    .filter_map(|r| Some((r, r.location()?)))
                    .map(|(r, location)| RepoSource {
                        priority: r.priority,
                        cost: r.cost,
                        ..repo_source(&r.name, &location, arch, releasever, &config.base_dir)
                    })
                    .collect()
            };
            if repos.is_empty() {
                return Err(PlanError::NoRepos {
                    image: image.name.clone(),
                    kickstart: ks_path,
                });
            }
            let file = image
                .output
                .replace("{product}", &product.name)
                .replace("{version}", &product.version)
                .replace("{arch}", arch)
                .replace("{name}", &image.name);
            tasks.push(Task {
                image: image.name.clone(),
                arch: arch.to_string(),
                kickstart: kickstart.clone(),
                repos,
                tag: image.tag.clone().unwrap_or_else(|| product.version.clone()),
                cmd: image.cmd.clone(),
                env: image.env.clone(),
                output: Path::new(&format!("{}-{}", product.name, product.version))
                    .join("docker_img")
                    .join(arch.as_str())
                    .join(file),
            });
        }
    }
    Ok(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_like_dnf() {
        assert_eq!(
            substitute("http://m/$releasever/os/$basearch/", "aarch64", "24.03"),
            "http://m/24.03/os/aarch64/"
        );
        assert_eq!(anchor_baseurl("repo/x", Path::new("/c")), "/c/repo/x");
        assert_eq!(anchor_baseurl("file:///r", Path::new("/c")), "file:///r");
    }

    /// Repository weights reach the sources: a kickstart's `--cost`, and a
    /// compose config's `priority`/`cost` (which replace the kickstart's repos).
    #[test]
    fn repo_priority_and_cost_reach_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write(
            "i.ks",
            "repo --name=ks --baseurl=r/$basearch --cost=7\n%packages --nocore\nfoo\n%end\n",
        );
        let head = "[product]\nname = \"p\"\nversion = \"1\"\n[compose]\narches = [\"x86_64\"]\n";
        let image = "[[image]]\nname = \"i\"\nkickstart = \"i.ks\"\n";
        let weights = |config: &str| -> Vec<(String, i32, i32)> {
            write("c.toml", config);
            let config = ComposeConfig::load(&dir.path().join("c.toml")).unwrap();
            plan(&config, &[]).unwrap()[0]
                .repos
                .iter()
                .map(|r| (r.name.clone(), r.priority, r.cost))
                .collect()
        };
        assert_eq!(
            weights(&format!("{head}{image}")),
            [("ks".to_string(), crate::repo::DEFAULT_PRIORITY, 7)]
        );
        let repos = "[[repo]]\nname = \"a\"\nbaseurl = \"a\"\npriority = 5\n\
                     [[repo]]\nname = \"b\"\nbaseurl = \"b\"\ncost = 300\n";
        assert_eq!(
            weights(&format!("{head}{repos}{image}")),
            [
                ("a".to_string(), 5, DEFAULT_COST),
                ("b".to_string(), crate::repo::DEFAULT_PRIORITY, 300)
            ]
        );
    }
}
