//! A minimal, reproducible repodata writer (primary.xml.gz + repomd.xml) for
//! repositories rootsmith generates itself, such as the bundled demo. Real
//! distributions use createrepo_c; the tests check dnf reads what this writes.

use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{sha256_hex, RepoError};

/// createrepo's rule for which files go into primary.xml (the rest live in filelists).
fn is_primary_file(path: &str) -> bool {
    path.starts_with("/etc/") || path.contains("bin/") || path == "/usr/lib/sendmail"
}

fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// Write `repodata/` for every `.rpm` under `root/Packages`, with `revision` as its timestamp.
pub fn write_repodata(root: &Path, revision: u64) -> Result<(), RepoError> {
    let mut rpms: Vec<PathBuf> = fs::read_dir(root.join("Packages"))
        .map_err(|e| RepoError::io(&root.join("Packages"), e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rpm"))
        .collect();
    rpms.sort();
    let mut xml = String::new();
    writeln!(xml, r#"<?xml version="1.0" encoding="UTF-8"?>"#).unwrap();
    writeln!(
        xml,
        r#"<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="{}">"#,
        rpms.len()
    )
    .unwrap();
    for rpm_path in &rpms {
        package_xml(&mut xml, root, rpm_path)?;
    }
    xml.push_str("</metadata>\n");

    let repodata = root.join("repodata");
    fs::create_dir_all(&repodata).map_err(|e| RepoError::io(&repodata, e))?;
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    gz.write_all(xml.as_bytes())
        .and_then(|_| gz.flush())
        .map_err(|e| RepoError::io(&repodata, e))?;
    let compressed = gz.finish().map_err(|e| RepoError::io(&repodata, e))?;
    let sha = sha256_hex(&compressed);
    let open_sha = sha256_hex(xml.as_bytes());
    let primary_name = format!("{sha}-primary.xml.gz");
    let primary_path = repodata.join(&primary_name);
    fs::write(&primary_path, &compressed).map_err(|e| RepoError::io(&primary_path, e))?;

    let repomd = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>{revision}</revision>
  <data type="primary">
    <checksum type="sha256">{sha}</checksum>
    <open-checksum type="sha256">{open_sha}</open-checksum>
    <location href="repodata/{primary_name}"/>
    <timestamp>{revision}</timestamp>
    <size>{}</size>
    <open-size>{}</open-size>
  </data>
</repomd>
"#,
        compressed.len(),
        xml.len()
    );
    let repomd_path = repodata.join("repomd.xml");
    fs::write(&repomd_path, repomd).map_err(|e| RepoError::io(&repomd_path, e))
}

fn package_xml(xml: &mut String, root: &Path, rpm_path: &Path) -> Result<(), RepoError> {
    let bad = |e: rpm::Error| RepoError::Rpm {
        path: rpm_path.to_path_buf(),
        reason: e.to_string(),
    };
    let meta = rpm::PackageMetadata::open(rpm_path).map_err(bad)?;
    let bytes = fs::read(rpm_path).map_err(|e| RepoError::io(rpm_path, e))?;
    let href = rpm_path
        .strip_prefix(root)
        .unwrap_or(rpm_path)
        .display()
        .to_string();
    let (name, arch) = (meta.get_name().map_err(bad)?, meta.get_arch().map_err(bad)?);
    let (version, release) = (
        meta.get_version().map_err(bad)?,
        meta.get_release().map_err(bad)?,
    );
    let epoch = meta.get_epoch().unwrap_or(0);
    let build_time = meta.get_build_time().map_err(bad)?;
    writeln!(xml, r#"<package type="rpm">"#).unwrap();
    writeln!(
        xml,
        "  <name>{}</name>\n  <arch>{}</arch>",
        esc(name),
        esc(arch)
    )
    .unwrap();
    writeln!(
        xml,
        r#"  <version epoch="{epoch}" ver="{}" rel="{}"/>"#,
        esc(version),
        esc(release)
    )
    .unwrap();
    writeln!(
        xml,
        r#"  <checksum type="sha256" pkgid="YES">{}</checksum>"#,
        sha256_hex(&bytes)
    )
    .unwrap();
    writeln!(
        xml,
        "  <summary>{}</summary>",
        esc(meta.get_summary().unwrap_or_default())
    )
    .unwrap();
    writeln!(
        xml,
        "  <description>{}</description>",
        esc(meta.get_description().unwrap_or_default())
    )
    .unwrap();
    writeln!(xml, r#"  <time file="{build_time}" build="{build_time}"/>"#).unwrap();
    writeln!(
        xml,
        r#"  <size package="{}" installed="{}" archive="0"/>"#,
        bytes.len(),
        meta.get_installed_size().unwrap_or(0)
    )
    .unwrap();
    writeln!(xml, r#"  <location href="{}"/>"#, esc(&href)).unwrap();
    writeln!(xml, "  <format>").unwrap();
    writeln!(
        xml,
        "    <rpm:license>{}</rpm:license>",
        esc(meta.get_license().unwrap_or_default())
    )
    .unwrap();
    writeln!(
        xml,
        "    <rpm:sourcerpm>{}</rpm:sourcerpm>",
        esc(meta.get_source_rpm().unwrap_or_default())
    )
    .unwrap();
    deps_xml(xml, "provides", &meta.get_provides().map_err(bad)?);
    deps_xml(xml, "requires", &meta.get_requires().map_err(bad)?);
    deps_xml(xml, "conflicts", &meta.get_conflicts().map_err(bad)?);
    deps_xml(xml, "obsoletes", &meta.get_obsoletes().map_err(bad)?);
    deps_xml(xml, "recommends", &meta.get_recommends().map_err(bad)?);
    for entry in meta.get_file_entries().map_err(bad)? {
        let path = entry.path().display().to_string();
        if is_primary_file(&path) {
            let kind = if entry.file_type() == rpm::FileType::Dir {
                r#" type="dir""#
            } else {
                ""
            };
            writeln!(xml, "    <file{kind}>{}</file>", esc(&path)).unwrap();
        }
    }
    xml.push_str("  </format>\n</package>\n");
    Ok(())
}

fn deps_xml(xml: &mut String, element: &str, deps: &[rpm::Dependency]) {
    let deps: Vec<_> = deps
        .iter()
        .filter(|d| !d.name.starts_with("rpmlib("))
        .collect();
    if deps.is_empty() {
        return;
    }
    writeln!(xml, "    <rpm:{element}>").unwrap();
    for d in deps {
        let evr = crate::rpm::Evr::parse(&d.version);
        let flags = match d.flags.bits() & 0x0f {
            0x02 => "LT",
            0x0a => "LE",
            0x08 => "EQ",
            0x0c => "GE",
            0x04 => "GT",
            _ => "",
        };
        if flags.is_empty() || d.version.is_empty() {
            writeln!(xml, r#"      <rpm:entry name="{}"/>"#, esc(&d.name)).unwrap();
        } else {
            let rel = evr
                .release
                .as_deref()
                .map(|r| format!(r#" rel="{}""#, esc(r)))
                .unwrap_or_default();
            writeln!(
                xml,
                r#"      <rpm:entry name="{}" flags="{flags}" epoch="{}" ver="{}"{rel}/>"#,
                esc(&d.name),
                evr.epoch,
                esc(&evr.version)
            )
            .unwrap();
        }
    }
    writeln!(xml, "    </rpm:{element}>").unwrap();
}
