//! comps.xml: package groups (`@core`, `@base`, …).

use std::io::BufRead;
use std::path::Path;

use quick_xml::events::Event;

use super::xml::{attr, local, XmlStream};
use super::{Group, RepoError};

pub fn read_comps(input: impl BufRead, path: &Path) -> Result<Vec<Group>, RepoError> {
    let mut xml = XmlStream::new(input, path);
    let mut buf = Vec::new();
    let mut groups = Vec::new();
    let mut current: Option<Group> = None;
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) => {
                let name = local(&e);
                match (name, current.as_mut()) {
                    ("group", _) => current = Some(Group::default()),
                    ("id", Some(g)) => g.id = xml.text()?,
                    // Untranslated name only: translations carry xml:lang.
                    ("name", Some(g)) if attr(&e, "xml:lang").is_none() => g.name = xml.text()?,
                    ("packagereq", Some(g)) => {
                        let kind = attr(&e, "type").unwrap_or_else(|| "mandatory".into());
                        let requires = attr(&e, "requires");
                        let pkg = xml.text()?.trim().to_string();
                        match (kind.as_str(), requires) {
                            ("mandatory", _) => g.mandatory.push(pkg),
                            ("default", _) => g.default.push(pkg),
                            ("optional", _) => g.optional.push(pkg),
                            ("conditional", Some(req)) => g.conditional.push((pkg, req)),
                            (other, _) => {
                                return Err(xml.error(format!("group {}: unknown packagereq type {other:?}", g.id)))
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == "group" => {
                if let Some(g) = current.take() {
                    groups.push(g);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(groups)
}
