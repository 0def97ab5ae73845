//! Writing into a copy of a test repository's metadata: the content
//! changed, repomd.xml's checksums and sizes made to match, so that the
//! content is the only thing a test changes.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A writable copy of the repository at `src`, and the location of its
/// metadata `kind`.
pub fn copy_of_repo(src: &Path, dir: &Path, kind: &str) -> (PathBuf, PathBuf) {
    let repo = dir.join("repo");
    super::copy_dir(src, &repo);
    for f in super::files_under(&repo) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(repo.join(&f), fs::Permissions::from_mode(0o644)).unwrap();
    }
    let repomd = fs::read_to_string(repo.join("repodata/repomd.xml")).unwrap();
    let block = data_block(&repomd, kind);
    let href = block
        .split("href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let primary = repo.join(href);
    (repo, primary)
}

/// The `<data type="TYPE">...</data>` element of a repomd.xml.
pub fn data_block<'a>(repomd: &'a str, ty: &str) -> &'a str {
    let start = repomd
        .find(&format!("<data type=\"{ty}\">"))
        .expect("data block");
    let end = start + repomd[start..].find("</data>").unwrap() + "</data>".len();
    &repomd[start..end]
}

pub fn gunzip(p: &Path) -> Vec<u8> {
    let mut v = Vec::new();
    flate2::read::GzDecoder::new(fs::File::open(p).unwrap())
        .read_to_end(&mut v)
        .unwrap();
    v
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn tag<'a>(block: &'a str, open: &str, close: &str) -> &'a str {
    let s = block.find(open).unwrap() + open.len();
    let e = s + block[s..].find(close).unwrap();
    &block[s..e]
}

/// Replace primary.xml.gz by `xml` and rewrite repomd.xml's checksums and
/// sizes for it, so that the content is the only thing wrong.
pub fn replace_primary_consistently(repo: &Path, primary: &Path, xml: &[u8]) {
    replace_consistently(repo, "primary", primary, xml)
}

/// The same for the metadata `kind` at `file`.
pub fn replace_consistently(repo: &Path, kind: &str, file: &Path, xml: &[u8]) {
    let gz = gzip(xml);
    fs::write(file, &gz).unwrap();
    let repomd_path = repo.join("repodata/repomd.xml");
    let repomd = fs::read_to_string(&repomd_path).unwrap();
    let old = data_block(&repomd, kind);
    let mut new = old.to_string();
    for (open, close, value) in [
        (
            "<checksum type=\"sha256\">",
            "</checksum>",
            super::sha256_bytes(&gz),
        ),
        (
            "<open-checksum type=\"sha256\">",
            "</open-checksum>",
            super::sha256_bytes(xml),
        ),
        ("<size>", "</size>", gz.len().to_string()),
        ("<open-size>", "</open-size>", xml.len().to_string()),
    ] {
        let cur = tag(old, open, close);
        new = new.replace(
            &format!("{open}{cur}{close}"),
            &format!("{open}{value}{close}"),
        );
    }
    fs::write(&repomd_path, repomd.replace(old, &new)).unwrap();
}
