//! docker-archive: what `docker save` writes and `docker load`, podman and
//! skopeo read: manifest.json, repositories, the image config, one layer tar.

use std::collections::BTreeMap;
use std::io::{self, Seek, SeekFrom, Write};

use serde::Serialize;
use tar::{Builder, EntryType, Header};

use super::{hashing::HashingWriter, layer::write_layer, ImageConfig};
use crate::repo::sha256_hex;
use crate::rootfs::Tree;

/// The Go/OCI name of an rpm arch, and its variant where one is conventional.
pub fn oci_arch(rpm_arch: &str) -> (&str, Option<&'static str>) {
    match rpm_arch {
        "x86_64" => ("amd64", None),
        "aarch64" => ("arm64", Some("v8")),
        "i686" | "i586" | "i386" => ("386", None),
        "armv7hl" => ("arm", Some("v7")),
        "loongarch64" => ("loong64", None),
        other => (other, None),
    }
}

#[derive(Serialize)]
struct ConfigJson<'a> {
    architecture: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<&'a str>,
    os: &'a str,
    created: String,
    config: RunConfig<'a>,
    rootfs: RootFs,
    history: Vec<History>,
}

#[derive(Serialize)]
struct RunConfig<'a> {
    #[serde(rename = "Env")]
    env: &'a [String],
    #[serde(rename = "Cmd", skip_serializing_if = "<[String]>::is_empty")]
    cmd: &'a [String],
    #[serde(rename = "Labels", skip_serializing_if = "BTreeMap::is_empty")]
    labels: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct RootFs {
    #[serde(rename = "type")]
    kind: &'static str,
    diff_ids: Vec<String>,
}

#[derive(Serialize)]
struct History {
    created: String,
    created_by: String,
}

#[derive(Serialize)]
struct ManifestEntry<'a> {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags")]
    repo_tags: Vec<String>,
    #[serde(rename = "Layers")]
    layers: Vec<&'a str>,
}

/// Write the docker-archive for `tree` as a tar stream into `out`.
/// The layer is staged in an unnamed temp file: its digest must be known before
/// the config that names it, and its size before its tar header.
pub fn write_docker_archive<W: Write>(tree: &Tree, config: &ImageConfig, out: W) -> io::Result<W> {
    let staged = tempfile::tempfile_in(&config.scratch_dir)?;
    let (mut layer, diff_hex, layer_len) = write_layer(tree, HashingWriter::new(staged))?.finish();
    layer.seek(SeekFrom::Start(0))?;

    let (architecture, variant) = oci_arch(&config.arch);
    let created = crate::clock::rfc3339(config.created);
    let config_json = serde_json::to_vec(&ConfigJson {
        architecture,
        variant,
        os: "linux",
        created: created.clone(),
        config: RunConfig {
            env: &config.env,
            cmd: &config.cmd,
            labels: &config.labels,
        },
        rootfs: RootFs {
            kind: "layers",
            diff_ids: vec![format!("sha256:{diff_hex}")],
        },
        history: vec![History {
            created,
            created_by: format!("rootsmith {}", env!("CARGO_PKG_VERSION")),
        }],
    })?;
    let config_name = format!("{}.json", sha256_hex(&config_json));
    let layer_name = format!("{diff_hex}/layer.tar");
    let repo_tag = format!("{}:{}", config.name, config.tag);
    let manifest = serde_json::to_vec(&[ManifestEntry {
        config: config_name.clone(),
        repo_tags: vec![repo_tag],
        layers: vec![&layer_name],
    }])?;
    let repositories = serde_json::to_vec(&BTreeMap::from([(
        config.name.as_str(),
        BTreeMap::from([(config.tag.as_str(), diff_hex.as_str())]),
    )]))?;

    let mut archive = Builder::new(out);
    let mtime = config.created;
    append_dir(&mut archive, &format!("{diff_hex}/"), mtime)?;
    append_file(&mut archive, &layer_name, layer_len, &mut layer, mtime)?;
    append_file(
        &mut archive,
        &config_name,
        config_json.len() as u64,
        &mut &config_json[..],
        mtime,
    )?;
    append_file(
        &mut archive,
        "manifest.json",
        manifest.len() as u64,
        &mut &manifest[..],
        mtime,
    )?;
    append_file(
        &mut archive,
        "repositories",
        repositories.len() as u64,
        &mut &repositories[..],
        mtime,
    )?;
    archive.into_inner()
}

fn base_header(entry_type: EntryType, mode: u32, size: u64, mtime: u64) -> Header {
    let mut h = Header::new_gnu();
    h.set_entry_type(entry_type);
    h.set_mode(mode);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(mtime);
    h.set_size(size);
    h
}

fn append_dir<W: Write>(archive: &mut Builder<W>, name: &str, mtime: u64) -> io::Result<()> {
    archive.append_data(
        &mut base_header(EntryType::Directory, 0o755, 0, mtime),
        name,
        io::empty(),
    )
}

fn append_file<W: Write>(
    archive: &mut Builder<W>,
    name: &str,
    size: u64,
    data: &mut impl io::Read,
    mtime: u64,
) -> io::Result<()> {
    archive.append_data(
        &mut base_header(EntryType::Regular, 0o644, size, mtime),
        name,
        data,
    )
}
