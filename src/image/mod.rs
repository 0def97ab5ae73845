//! Image archives: a docker-archive or a plain rootfs tar, optionally xz-compressed,
//! with the sha256 of the written file computed on the way out.

mod compress;
mod docker;
mod hashing;
mod layer;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

pub use docker::oci_arch;
pub use hashing::HashingWriter;

use crate::rootfs::Tree;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A docker-archive, as `docker save` writes and `docker load` reads.
    Docker,
    /// The plain filesystem tree as a tar.
    Rootfs,
}

/// What the image config says about the image.
#[derive(Clone, Debug)]
pub struct ImageConfig {
    pub name: String,
    pub tag: String,
    /// rpm arch (x86_64, aarch64, …); mapped to the OCI name in the config.
    pub arch: String,
    pub created: u64,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub labels: BTreeMap<String, String>,
    /// Where large temporary files may go (the output's staging area).
    pub scratch_dir: PathBuf,
}

#[derive(Debug, Error)]
#[error("{}: cannot write the image: {source}", path.display())]
pub struct ImageError {
    pub path: PathBuf,
    pub source: io::Error,
}

/// The file written, with its digest and size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Archive {
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
}

/// Whether the name asks for xz: `.tar.xz` compresses, `.tar` does not.
pub fn wants_xz(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "xz")
}

/// Write `tree` as an image archive at `path`.
pub fn write_archive(
    tree: &Tree,
    config: &ImageConfig,
    format: Format,
    path: &Path,
) -> Result<Archive, ImageError> {
    let fail = |source| ImageError {
        path: path.to_path_buf(),
        source,
    };
    let file = File::create(path).map_err(fail)?;
    let hashing = HashingWriter::new(BufWriter::with_capacity(1 << 20, file));
    let hashing = if wants_xz(path) {
        let xz = compress::xz_writer(hashing).map_err(fail)?;
        write_payload(tree, config, format, xz)
            .and_then(|xz| xz.finish())
            .map_err(fail)?
    } else {
        write_payload(tree, config, format, hashing).map_err(fail)?
    };
    let (buffered, sha256, size) = hashing.finish();
    let file = buffered.into_inner().map_err(|e| fail(e.into_error()))?;
    file.sync_all().map_err(fail)?;
    Ok(Archive {
        path: path.to_path_buf(),
        sha256,
        size,
    })
}

fn write_payload<W: Write>(
    tree: &Tree,
    config: &ImageConfig,
    format: Format,
    out: W,
) -> io::Result<W> {
    match format {
        Format::Docker => docker::write_docker_archive(tree, config, out),
        Format::Rootfs => layer::write_layer(tree, out),
    }
}
