//! Inputs: the compose config (TOML) and kickstart files.

mod compose;
mod kickstart;

pub use compose::{
    ComposeConfig, ComposeConfigError, ComposeSection, ImageConfigToml, Layout, LayoutKind,
    Product, RepoConfig,
};
pub use kickstart::{
    GroupOptions, Kickstart, KickstartError, PackageSelection, PackagesOptions, Place, RepoLine,
    Unapplied,
};
