//! Publishing into the output tree: images are built in a staging folder inside
//! the output root, then renamed into place, the checksum file last, so the tree
//! never holds a half-written image or a checksum for a missing one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::image::Archive;

#[derive(Debug, Error)]
#[error("{}: {action}: {source}", path.display())]
pub struct PublishError {
    pub path: PathBuf,
    pub action: &'static str,
    pub source: std::io::Error,
}

fn err<'a>(
    path: &'a Path,
    action: &'static str,
) -> impl FnOnce(std::io::Error) -> PublishError + 'a {
    move |source| PublishError {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// A private folder under the output root; removed with everything left in it when dropped.
pub fn staging_dir(out: &Path) -> Result<tempfile::TempDir, PublishError> {
    fs::create_dir_all(out).map_err(err(out, "cannot create the output folder"))?;
    tempfile::Builder::new()
        .prefix(".rootsmith-staging-")
        .tempdir_in(out)
        .map_err(err(out, "cannot create a staging folder"))
}

/// The GNU coreutils line `sha256sum -c` reads: `HEX␠␠NAME\n`.
pub fn sha256sum_line(sha256: &str, file_name: &str) -> String {
    format!("{sha256}  {file_name}\n")
}

/// Where an image landed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub image: PathBuf,
    pub checksum: PathBuf,
}

/// Move a staged archive to `out/relative` and write `NAME.sha256sum` beside it.
pub fn publish_image(
    out: &Path,
    relative: &Path,
    archive: &Archive,
) -> Result<Published, PublishError> {
    let target = out.join(relative);
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let checksum_name = format!("{name}.sha256sum");
    let staged_sum = PathBuf::from(format!("{}.sha256sum", archive.path.display()));
    let mut f = fs::File::create(&staged_sum).map_err(err(&staged_sum, "cannot write checksum"))?;
    f.write_all(sha256sum_line(&archive.sha256, &name).as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(err(&staged_sum, "cannot write checksum"))?;

    let dir = target.parent().unwrap_or(out);
    fs::create_dir_all(dir).map_err(err(dir, "cannot create folder"))?;
    let final_sum = dir.join(checksum_name);
    // An old checksum must not describe the new image even for a moment.
    match fs::remove_file(&final_sum) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(err(&final_sum, "cannot replace")(e))
        }
        _ => {}
    }
    fs::rename(&archive.path, &target).map_err(err(&target, "cannot move the image into place"))?;
    fs::rename(&staged_sum, &final_sum)
        .map_err(err(&final_sum, "cannot move the checksum into place"))?;
    Ok(Published {
        image: target,
        checksum: final_sum,
    })
}
