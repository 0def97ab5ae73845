//! The per-release compose config (TOML). Relative paths in it are relative to
//! the file itself, so a compose can be run from anywhere.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ComposeConfigError {
    #[error("{}: cannot read compose config: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {reason}", path.display())]
    Invalid { path: PathBuf, reason: String },
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    pub version: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ComposeSection {
    pub arches: Vec<String>,
    /// `$releasever` in repo URLs; the product version when absent.
    pub releasever: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RepoConfig {
    pub name: String,
    /// Exactly one of `baseurl`, `mirrorlist` and `metalink`, as in a dnf repo file.
    pub baseurl: Option<String>,
    pub mirrorlist: Option<String>,
    pub metalink: Option<String>,
    /// dnf's `priority`: a lower value wins over any version in other repos.
    #[serde(default = "default_priority")]
    pub priority: i32,
    /// dnf's `cost`: among equal versions the cheaper repo's package wins.
    #[serde(default = "default_cost")]
    pub cost: i32,
}

impl RepoConfig {
    /// Where the repository is; `None` unless exactly one is given.
    pub fn location(&self) -> Option<crate::repo::Location> {
        use crate::repo::Location;
        match (&self.baseurl, &self.mirrorlist, &self.metalink) {
            (Some(u), None, None) => Some(Location::Baseurl(u.clone())),
            (None, Some(u), None) => Some(Location::Mirrorlist(u.clone())),
            (None, None, Some(u)) => Some(Location::Metalink(u.clone())),
            _ => None,
        }
    }
}

fn default_priority() -> i32 {
    crate::repo::DEFAULT_PRIORITY
}

fn default_cost() -> i32 {
    crate::repo::DEFAULT_COST
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ImageConfigToml {
    pub name: String,
    pub kickstart: PathBuf,
    /// File name in the arch folder; `{product}`, `{version}`, `{arch}`, `{name}` are substituted.
    #[serde(default = "default_output")]
    pub output: String,
    /// Docker tag; the product version when absent.
    pub tag: Option<String>,
    #[serde(default)]
    pub cmd: Vec<String>,
    #[serde(default = "default_env")]
    pub env: Vec<String>,
}

fn default_output() -> String {
    "{product}-docker.{arch}.tar.xz".into()
}

fn default_env() -> Vec<String> {
    vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()]
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LayoutKind {
    /// `{product}-{version}/docker_img/{arch}/{output}` with a `.sha256sum` beside it.
    #[default]
    Openeuler,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    #[serde(default)]
    pub kind: LayoutKind,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ComposeConfig {
    pub product: Product,
    pub compose: ComposeSection,
    #[serde(default, rename = "repo")]
    pub repos: Vec<RepoConfig>,
    #[serde(rename = "image")]
    pub images: Vec<ImageConfigToml>,
    #[serde(default)]
    pub layout: Layout,
    /// The folder the config was read from; relative paths are resolved against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

impl ComposeConfig {
    pub fn load(path: &Path) -> Result<ComposeConfig, ComposeConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ComposeConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |reason: String| ComposeConfigError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let mut config: ComposeConfig =
            toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        config.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.validate().map_err(invalid)?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
        if self.compose.arches.is_empty() {
            return Err("[compose] arches is empty".into());
        }
        if self.images.is_empty() {
            return Err("no [[image]] is configured".into());
        }
        for field in [&self.product.name, &self.product.version] {
            if field.is_empty() || field.contains('/') {
                return Err(format!(
                    "product name and version must be non-empty and contain no '/': {field:?}"
                ));
            }
        }
        for repo in &self.repos {
            if repo.location().is_none() {
                return Err(format!(
                    "[[repo]] {}: give exactly one of baseurl, mirrorlist and metalink",
                    repo.name
                ));
            }
        }
        for image in &self.images {
            if image.output.contains('/') {
                return Err(format!(
                    "image {}: output {:?} must be a file name",
                    image.name, image.output
                ));
            }
        }
        Ok(())
    }

    pub fn releasever(&self) -> &str {
        self.compose
            .releasever
            .as_deref()
            .unwrap_or(&self.product.version)
    }

    /// A path from the config, made relative to the config's folder.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }
}
