//! A small primary.xml.gz and comps reader for the solver's tests and bench.
//!
//! Test-only stand-in until the repo module's metadata reader lands: it reads
//! just the fields the solver uses. `benches/solve.rs` includes this file with
//! `#[path]`, so it names the library through `crate::evr` / `crate::repo`.

use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::evr::{Cmp, Dep, Evr};
use crate::repo::{Group, Package, Requirement};

/// The CentOS Stream 9 BaseOS snapshot shared by the project's fixtures.
pub fn cs9_baseos_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/repos/cs9-baseos-2022/repodata")
}

/// The file in `dir` whose name ends with `suffix` (repodata names start with a digest).
pub fn find(dir: &Path, suffix: &str) -> Option<PathBuf> {
    let mut hits: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(suffix))
        })
        .collect();
    hits.sort();
    hits.pop()
}

fn gunzip(path: &Path) -> std::io::Result<String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path)?).read_to_string(&mut text)?;
    Ok(text)
}

/// Text of an element, possibly split around entity references.
fn push_text(buf: &mut String, ev: &Event<'_>) {
    match ev {
        Event::Text(t) => buf.push_str(&t.xml10_content()),
        Event::GeneralRef(r) => match r.resolve_char_ref() {
            Ok(Some(c)) => buf.push(c),
            _ => buf.push_str(match &*r.clone().into_inner() {
                "lt" => "<",
                "gt" => ">",
                "amp" => "&",
                "quot" => "\"",
                "apos" => "'",
                _ => "",
            }),
        },
        _ => {}
    }
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.0 == key)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn entry(e: &quick_xml::events::BytesStart<'_>) -> (Dep, bool) {
    let name = attr(e, "name").unwrap_or_default();
    let pre = attr(e, "pre").is_some_and(|v| v == "1");
    let dep = match attr(e, "flags").as_deref().and_then(Cmp::from_repodata) {
        None => Dep::unversioned(name),
        Some(cmp) => {
            let epoch = attr(e, "epoch").and_then(|v| v.parse().ok()).unwrap_or(0);
            Dep::versioned(
                name,
                cmp,
                Evr::new(epoch, attr(e, "ver").unwrap_or_default(), attr(e, "rel")),
            )
        }
    };
    (dep, pre)
}

/// Read primary.xml.gz, keeping packages of the given arches.
pub fn load_primary(path: &Path, arches: &[&str]) -> std::io::Result<Vec<Package>> {
    let xml = gunzip(path)?;
    let mut reader = Reader::from_str(&xml);
    let mut out = Vec::new();
    let mut pkg = Package::default();
    let mut section = String::new();
    let mut text: Option<String> = None;
    loop {
        let ev = reader.read_event().map_err(std::io::Error::other)?;
        match &ev {
            Event::Start(e) => match e.name().0 {
                "package" => pkg = Package::default(),
                "name" | "arch" | "file" | "summary" => text = Some(String::new()),
                s if s.starts_with("rpm:") && s != "rpm:entry" => section = s.to_string(),
                _ => {}
            },
            Event::Empty(e) => match e.name().0 {
                "version" => {
                    let epoch = attr(e, "epoch").and_then(|v| v.parse().ok()).unwrap_or(0);
                    pkg.evr = Evr::new(epoch, attr(e, "ver").unwrap_or_default(), attr(e, "rel"));
                }
                "location" => pkg.location = attr(e, "href").unwrap_or_default(),
                "rpm:entry" => {
                    let (dep, pre) = entry(e);
                    match section.as_str() {
                        "rpm:provides" => pkg.provides.push(dep),
                        "rpm:requires" => pkg.requires.push(Requirement { dep, pre }),
                        "rpm:conflicts" => pkg.conflicts.push(dep),
                        "rpm:obsoletes" => pkg.obsoletes.push(dep),
                        "rpm:recommends" => pkg.recommends.push(dep),
                        "rpm:suggests" => pkg.suggests.push(dep),
                        "rpm:supplements" => pkg.supplements.push(dep),
                        "rpm:enhances" => pkg.enhances.push(dep),
                        _ => {}
                    }
                }
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) => {
                if let Some(buf) = text.as_mut() {
                    push_text(buf, &ev);
                }
            }
            Event::End(e) => match e.name().0 {
                "name" => pkg.name = text.take().unwrap_or_default(),
                "arch" => pkg.arch = text.take().unwrap_or_default(),
                "summary" => pkg.summary = text.take().unwrap_or_default(),
                "file" => pkg.files.push(text.take().unwrap_or_default()),
                "package" if arches.contains(&pkg.arch.as_str()) => {
                    out.push(std::mem::take(&mut pkg))
                }
                s if s == section => section.clear(),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Read the groups of a comps.xml.gz (ids and package lists only).
pub fn load_groups(path: &Path) -> std::io::Result<Vec<Group>> {
    let xml = gunzip(path)?;
    let mut reader = Reader::from_str(&xml);
    let mut groups = Vec::new();
    let mut group: Option<Group> = None;
    let mut kind = String::new();
    let mut text: Option<String> = None;
    loop {
        let ev = reader.read_event().map_err(std::io::Error::other)?;
        match &ev {
            Event::Start(e) => match e.name().0 {
                "group" => group = Some(Group::default()),
                "id" if group.is_some() => text = Some(String::new()),
                "packagereq" if group.is_some() => {
                    kind = attr(e, "type").unwrap_or_else(|| "mandatory".into());
                    text = Some(String::new());
                }
                _ => {}
            },
            Event::Text(_) | Event::GeneralRef(_) => {
                if let Some(buf) = text.as_mut() {
                    push_text(buf, &ev);
                }
            }
            Event::End(e) => match (e.name().0, group.as_mut()) {
                ("id", Some(g)) => g.id = text.take().unwrap_or_default(),
                ("packagereq", Some(g)) => {
                    let name = text.take().unwrap_or_default();
                    match kind.as_str() {
                        "default" => g.default.push(name),
                        "optional" => g.optional.push(name),
                        "conditional" => g.conditional.push((name, String::new())),
                        _ => g.mandatory.push(name),
                    }
                }
                ("group", Some(_)) => groups.extend(group.take()),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(groups)
}
