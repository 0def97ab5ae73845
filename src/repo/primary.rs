//! primary.xml: one `<package>` per RPM with its NEVRA, location, checksum,
//! dependencies and the "primary" subset of its files. Streamed, never loaded whole.

use std::io::BufRead;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::xml::{attr, local, XmlStream};
use super::{Package, RepoError, Requirement};
use crate::rpm::{Cmp, Dep, Evr};

/// Which dependency list an `<rpm:entry>` belongs to.
#[derive(Clone, Copy)]
enum DepList {
    Provides,
    Requires,
    Conflicts,
    Obsoletes,
    Recommends,
    Suggests,
    Supplements,
    Enhances,
}

impl DepList {
    fn from_element(name: &str) -> Option<DepList> {
        Some(match name {
            "provides" => DepList::Provides,
            "requires" => DepList::Requires,
            "conflicts" => DepList::Conflicts,
            "obsoletes" => DepList::Obsoletes,
            "recommends" => DepList::Recommends,
            "suggests" => DepList::Suggests,
            "supplements" => DepList::Supplements,
            "enhances" => DepList::Enhances,
            _ => return None,
        })
    }
}

/// Read every package of a primary.xml stream for which `keep_arch` is true.
pub fn read_primary(
    input: impl BufRead,
    path: &Path,
    keep_arch: impl Fn(&str) -> bool,
) -> Result<Vec<Package>, RepoError> {
    let mut xml = XmlStream::new(input, path);
    let mut buf = Vec::with_capacity(4096);
    let mut packages = Vec::new();
    let mut current: Option<Package> = None;
    let mut list: Option<DepList> = None;
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
                    if let Some(l) = DepList::from_element(name) {
                        list = Some(l);
                    } else {
                        read_text_field(&mut xml, &e, pkg)?;
                    }
                }
            }
            Event::Empty(e) => {
                if let Some(pkg) = current.as_mut() {
                    read_empty_field(&xml, &e, list, pkg)?;
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "package" => {
                    let pkg = current
                        .take()
                        .ok_or_else(|| xml.error("</package> without <package>".into()))?;
                    finish_package(&xml, &pkg)?;
                    if pkg.arch != "src" && keep_arch(&pkg.arch) {
                        packages.push(pkg);
                    }
                }
                "provides" | "requires" | "conflicts" | "obsoletes" | "recommends" | "suggests"
                | "supplements" | "enhances" => list = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(xml.error("no <metadata> element: this is not a primary.xml".into()));
    }
    if current.is_some() {
        return Err(xml.error("the file ends inside a <package>".into()));
    }
    Ok(packages)
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
            pkg.checksum = (
                if algo == "sha" { "sha1".into() } else { algo },
                xml.text()?.trim().to_string(),
            );
        }
        "file" => pkg.files.push(xml.text()?),
        // Everything else (description, format, license, …) is either a container
        // whose children we visit, or text we do not need.
        "format" => {}
        _ => {
            xml.text()?;
        }
    }
    Ok(())
}

fn read_empty_field<R: BufRead>(
    xml: &XmlStream<R>,
    e: &BytesStart,
    list: Option<DepList>,
    pkg: &mut Package,
) -> Result<(), RepoError> {
    match local(e) {
        "version" => {
            pkg.evr = Evr::new(
                parse_epoch(xml, e)?,
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
        "entry" => {
            let Some(list) = list else { return Ok(()) };
            let dep = parse_entry(xml, e)?;
            match list {
                DepList::Provides => pkg.provides.push(dep),
                DepList::Requires => {
                    let pre = matches!(attr(e, "pre").as_deref(), Some("1" | "true"));
                    pkg.requires.push(Requirement { dep, pre })
                }
                DepList::Conflicts => pkg.conflicts.push(dep),
                DepList::Obsoletes => pkg.obsoletes.push(dep),
                DepList::Recommends => pkg.recommends.push(dep),
                DepList::Suggests => pkg.suggests.push(dep),
                DepList::Supplements => pkg.supplements.push(dep),
                DepList::Enhances => pkg.enhances.push(dep),
            }
        }
        _ => {}
    }
    Ok(())
}

fn parse_epoch<R: BufRead>(xml: &XmlStream<R>, e: &BytesStart) -> Result<u32, RepoError> {
    match attr(e, "epoch") {
        None => Ok(0),
        Some(s) if s.is_empty() => Ok(0),
        Some(s) => s
            .parse()
            .map_err(|_| xml.error(format!("epoch {s:?} is not a number"))),
    }
}

fn parse_entry<R: BufRead>(xml: &XmlStream<R>, e: &BytesStart) -> Result<Dep, RepoError> {
    let name = xml.required_attr(e, "name")?;
    let Some(flags) = attr(e, "flags") else {
        return Ok(Dep::unversioned(name));
    };
    let cmp = Cmp::from_repodata(&flags).ok_or_else(|| {
        xml.error(format!(
            "dependency {name}: unknown comparison flags {flags:?}"
        ))
    })?;
    let evr = Evr::new(
        parse_epoch(xml, e)?,
        attr(e, "ver").unwrap_or_default(),
        attr(e, "rel"),
    );
    Ok(Dep::versioned(name, cmp, evr))
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
    Ok(())
}
