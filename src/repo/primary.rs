//! primary.xml: one `<package>` per RPM with its NEVRA, location, checksum,
//! dependencies and the "primary" subset of its files. Streamed, never loaded
//! whole, and read with as few allocations as it takes: a dependency entry
//! is looked up by its raw attributes and only a new one is turned into a
//! [`Dep`]; elements nobody reads are skipped without copying their text.

use std::borrow::Cow;
use std::io::BufRead;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::chunks::{parse_in_chunks, Chunk, CHUNK};
use super::intern::ByteKeys;
use super::xml::{attr, local, XmlStream};
use super::{Checksum, Package, RepoError, RepoPackages};
use crate::rpm::{Cmp, Dep, DepKind, Evr};

fn dep_list(name: &str) -> Option<DepKind> {
    Some(match name {
        "provides" => DepKind::Provides,
        "requires" => DepKind::Requires,
        "conflicts" => DepKind::Conflicts,
        "obsoletes" => DepKind::Obsoletes,
        "recommends" => DepKind::Recommends,
        "suggests" => DepKind::Suggests,
        "supplements" => DepKind::Supplements,
        "enhances" => DepKind::Enhances,
        _ => return None,
    })
}

/// Read every package of a primary.xml stream for which `keep_arch` is
/// true, chunks of it parsed in parallel (Fedora's is 150 MB open).
pub fn read_primary(
    input: impl BufRead + Send,
    path: &Path,
    keep_arch: impl Fn(&str) -> bool + Sync,
) -> Result<RepoPackages, RepoError> {
    read_in_chunks(input, path, keep_arch, CHUNK)
}

fn read_in_chunks(
    input: impl BufRead + Send,
    path: &Path,
    keep_arch: impl Fn(&str) -> bool + Sync,
    chunk: usize,
) -> Result<RepoPackages, RepoError> {
    let parts = parse_in_chunks(input, path, chunk, |c| parse_chunk(c, path, &keep_arch))?;
    let mut out = RepoPackages::new();
    for part in parts {
        out.append(part);
    }
    Ok(out)
}

/// Parse one chunk: whole `<package>` elements; the first chunk also opens
/// `<metadata>`, the last one closes it.
fn parse_chunk(
    chunk: &Chunk,
    path: &Path,
    keep_arch: &impl Fn(&str) -> bool,
) -> Result<RepoPackages, RepoError> {
    let first = chunk.first();
    let mut xml = chunk.xml(path, b"<metadata>");
    let mut buf = Vec::with_capacity(4096);
    let mut out = RepoPackages::new();
    let mut entries = EntryTable::default();
    let mut current: Option<Package> = None;
    let mut list: Option<DepKind> = None;
    let mut saw_root = false;
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) => {
                let name = local(&e);
                if name == "metadata" {
                    saw_root = true;
                } else if name == "package" {
                    current = Some(Package::default());
                } else if let Some(pkg) = current.as_mut() {
                    if let Some(l) = dep_list(name) {
                        list = Some(l);
                    } else {
                        read_text_field(&mut xml, &e, pkg)?;
                    }
                }
            }
            Event::Empty(e) => {
                if let Some(pkg) = current.as_mut() {
                    match (local(&e), list) {
                        ("entry", Some(kind)) => {
                            let (id, pre) = entries.read(&xml, &e, &mut out)?;
                            out.push_dep(kind, id, pre && kind == DepKind::Requires);
                        }
                        _ => read_empty_field(&xml, &e, pkg)?,
                    }
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if name == "package" {
                    let pkg = current
                        .take()
                        .ok_or_else(|| xml.error("</package> without <package>".into()))?;
                    finish_package(&xml, &pkg)?;
                    if pkg.arch != "src" && keep_arch(&pkg.arch) {
                        out.finish(pkg);
                    } else {
                        out.discard();
                    }
                } else if dep_list(name).is_some() {
                    list = None;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if first && !saw_root {
        return Err(xml.error("no <metadata> element: this is not a primary.xml".into()));
    }
    Ok(out)
}

/// Dependency entries seen so far, by their raw attributes.
#[derive(Default)]
struct EntryTable {
    ids: ByteKeys,
    key: Vec<u8>,
}

impl EntryTable {
    /// The repository's id of the dependency an `<rpm:entry>` describes,
    /// and its `pre` flag.
    fn read<R: BufRead>(
        &mut self,
        xml: &XmlStream<R>,
        e: &BytesStart,
        out: &mut RepoPackages,
    ) -> Result<(u32, bool), RepoError> {
        let mut fields: [Option<Cow<'_, str>>; 5] = Default::default();
        let mut pre = false;
        for a in e.attributes().with_checks(false) {
            let a = a.map_err(|err| xml.error(format!("<rpm:entry>: {err}")))?;
            let slot = match a.key.as_ref() {
                "name" => 0,
                "flags" => 1,
                "epoch" => 2,
                "ver" => 3,
                "rel" => 4,
                "pre" => {
                    pre = matches!(a.value.as_ref(), "1" | "true");
                    continue;
                }
                _ => continue,
            };
            let value = if a.value.contains('&') {
                Cow::Owned(attr_value(xml, &a)?)
            } else {
                a.value
            };
            fields[slot] = Some(value);
        }
        self.key.clear();
        for f in &fields {
            self.key
                .extend_from_slice(f.as_deref().unwrap_or("\u{1}").as_bytes());
            self.key.push(0);
        }
        if let Some(id) = self.ids.get(&self.key) {
            return Ok((id, pre));
        }
        let dep = make_dep(xml, &fields)?;
        let id = out.intern(dep);
        self.ids.insert(&self.key, id);
        Ok((id, pre))
    }
}

fn attr_value<R: BufRead>(
    xml: &XmlStream<R>,
    a: &quick_xml::events::attributes::Attribute,
) -> Result<String, RepoError> {
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map(Cow::into_owned)
        .map_err(|err| xml.error(format!("attribute {}: {err}", a.key.as_ref())))
}

/// A dependency from an entry's `name`, `flags`, `epoch`, `ver`, `rel`.
fn make_dep<R: BufRead>(
    xml: &XmlStream<R>,
    fields: &[Option<Cow<'_, str>>; 5],
) -> Result<Dep, RepoError> {
    let [name, flags, epoch, ver, rel] = fields;
    let name = name
        .as_deref()
        .ok_or_else(|| xml.error("<rpm:entry> lacks the attribute name".into()))?;
    let Some(flags) = flags else {
        return Ok(Dep::unversioned(name));
    };
    let cmp = Cmp::from_repodata(flags).ok_or_else(|| {
        xml.error(format!(
            "dependency {name}: unknown comparison flags {flags:?}"
        ))
    })?;
    let evr = Evr::new(
        parse_epoch(xml, epoch.as_deref())?,
        ver.as_deref().unwrap_or_default(),
        rel.as_deref().map(str::to_string),
    );
    Ok(Dep::versioned(name, cmp, evr))
}

fn read_text_field<R: BufRead>(
    xml: &mut XmlStream<R>,
    e: &BytesStart,
    pkg: &mut Package,
) -> Result<(), RepoError> {
    match local(e) {
        "name" => pkg.name = xml.text()?,
        "arch" => pkg.arch = xml.text()?,
        "summary" => pkg.summary = xml.text()?,
        "sourcerpm" => pkg.source_rpm = xml.text()?,
        "checksum" => {
            let algo = xml.required_attr(e, "type")?;
            let hex = xml.text()?;
            pkg.checksum = Checksum::new(&algo, &hex).ok_or_else(|| {
                xml.error(format!(
                    "package {}: unsupported checksum type {algo:?}",
                    pkg.name
                ))
            })?;
        }
        "file" => pkg.files.push(xml.text()?),
        // A container whose children are read one by one.
        "format" => {}
        // Text nobody reads (description, license, vendor, …).
        _ => xml.skip(e)?,
    }
    Ok(())
}

fn read_empty_field<R: BufRead>(
    xml: &XmlStream<R>,
    e: &BytesStart,
    pkg: &mut Package,
) -> Result<(), RepoError> {
    match local(e) {
        "version" => {
            pkg.evr = Evr::new(
                parse_epoch(xml, attr(e, "epoch").as_deref())?,
                xml.required_attr(e, "ver")?,
                Some(xml.required_attr(e, "rel")?),
            )
        }
        "location" => pkg.location = xml.required_attr(e, "href")?,
        "size" => {
            pkg.size_package = attr(e, "package").and_then(|s| s.parse().ok()).unwrap_or(0);
            pkg.size_installed = attr(e, "installed")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
        }
        _ => {}
    }
    Ok(())
}

fn parse_epoch<R: BufRead>(xml: &XmlStream<R>, epoch: Option<&str>) -> Result<u32, RepoError> {
    match epoch {
        None | Some("") => Ok(0),
        Some(s) => s
            .parse()
            .map_err(|_| xml.error(format!("epoch {s:?} is not a number"))),
    }
}

fn finish_package<R: BufRead>(xml: &XmlStream<R>, pkg: &Package) -> Result<(), RepoError> {
    if pkg.name.is_empty() || pkg.arch.is_empty() || pkg.evr.version.is_empty() {
        return Err(xml.error(format!(
            "a <package> lacks its name, arch or version (name {:?})",
            pkg.name
        )));
    }
    if pkg.location.is_empty() {
        return Err(xml.error(format!("package {} has no <location>", pkg.nevra())));
    }
    // A package that cannot be verified is never installed.
    if pkg.checksum.hex.is_empty() {
        return Err(xml.error(format!("package {} has no <checksum>", pkg.nevra())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn primary(packages: usize) -> String {
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="3">
"#,
        );
        for i in 0..packages {
            let arch = if i % 3 == 0 { "noarch" } else { "x86_64" };
            xml.push_str(&format!(
                r#"<package type="rpm"><name>p{i}</name><arch>{arch}</arch><version epoch="0" ver="1.{i}" rel="1"/>
<checksum type="sha256" pkgid="YES">{i:064x}</checksum>
<description>a &lt;tag&gt; &amp; text</description><location href="Packages/p{i}.rpm"/>
<format><rpm:requires><rpm:entry name="lib{}" flags="GE" epoch="0" ver="1"/><rpm:entry name="/bin/sh" pre="1"/></rpm:requires>
<rpm:provides><rpm:entry name="cap &amp; more"/></rpm:provides><file>/usr/bin/p{i}</file></format></package>
"#,
                i % 7
            ));
        }
        xml.push_str("</metadata>\n");
        xml
    }

    fn summary(r: &RepoPackages) -> Vec<String> {
        (0..r.len())
            .map(|i| {
                let deps: Vec<String> = [DepKind::Requires, DepKind::Provides]
                    .iter()
                    .flat_map(|&k| {
                        r.deps(i, k)
                            .map(|(d, pre)| format!("{d}{}", if pre { "!" } else { "" }))
                    })
                    .collect();
                format!(
                    "{} {} {:?} {}",
                    r.packages[i].nevra(),
                    deps.join(","),
                    r.packages[i].files,
                    r.packages[i].location
                )
            })
            .collect()
    }

    #[test]
    fn chunks_give_the_same_packages_in_file_order() {
        let xml = primary(50);
        let path = Path::new("primary.xml");
        let whole = read_in_chunks(xml.as_bytes(), path, |_| true, usize::MAX).unwrap();
        assert_eq!(whole.len(), 50);
        assert!(
            summary(&whole)[1].starts_with("p1-1.1-1.x86_64 lib1 >= 1,/bin/sh!,cap & more"),
            "{:?}",
            summary(&whole)[1]
        );
        for chunk in [1, 100, 700, 4096] {
            let parts = read_in_chunks(xml.as_bytes(), path, |_| true, chunk).unwrap();
            assert_eq!(summary(&parts), summary(&whole), "chunk size {chunk}");
        }
        let x86 = read_in_chunks(xml.as_bytes(), path, |a| a == "x86_64", 300).unwrap();
        assert!(summary(&x86).iter().all(|s| s.contains(".x86_64 ")));
        assert_eq!(x86.len(), 33);
    }

    #[test]
    fn errors_in_later_chunks_point_into_the_file() {
        let xml = primary(20).replace("<name>p13</name>", "<name>p13</nam>");
        let at = xml.find("</nam>").unwrap() as u64;
        let err =
            read_in_chunks(xml.as_bytes(), Path::new("primary.xml"), |_| true, 500).unwrap_err();
        match err {
            RepoError::Xml { offset, .. } => {
                assert!(offset.abs_diff(at) < 600, "offset {offset}, error at {at}")
            }
            other => panic!("{other}"),
        }
        let whole = primary(5);
        let after_a_package = whole.find("</package>").unwrap() + "</package>".len();
        for cut in [300, after_a_package, whole.len() - "</metadata>\n".len()] {
            let err = read_in_chunks(
                &whole.as_bytes()[..cut],
                Path::new("primary.xml"),
                |_| true,
                100,
            )
            .unwrap_err();
            // A document cut after a complete </package> is still cut:
            // dnf refuses it, and so does this.
            assert!(
                err.to_string().contains("truncated") || err.to_string().contains("end of file"),
                "cut at {cut} of {}: {err}",
                whole.len()
            );
        }
    }
}
