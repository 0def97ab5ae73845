//! comps.xml: package groups (`@core`, `@base`, …) and environments (`@^…`).

use std::io::BufRead;
use std::path::Path;

use quick_xml::events::Event;

use super::xml::{attr, local, XmlStream};
use super::{Comps, Environment, Group, RepoError};

pub fn read_comps(input: impl BufRead, path: &Path) -> Result<Comps, RepoError> {
    let mut xml = XmlStream::new(input, path);
    let mut buf = Vec::new();
    let mut comps = Comps::default();
    let mut current: Option<Group> = None;
    let mut env: Option<Environment> = None;
    // Inside an environment: its <grouplist> or its <optionlist>.
    let mut optional_list = false;
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) if env.is_some() => {
                let env = env.as_mut().expect("checked");
                match local(&e) {
                    "id" => env.id = xml.text()?,
                    "name" if attr(&e, "xml:lang").is_none() => env.name = xml.text()?,
                    "grouplist" => optional_list = false,
                    "optionlist" => optional_list = true,
                    "groupid" => {
                        let id = xml.text()?.trim().to_string();
                        if optional_list {
                            env.optional.push(id);
                        } else {
                            env.groups.push(id);
                        }
                    }
                    _ => {}
                }
            }
            Event::Start(e) => {
                let name = local(&e);
                match (name, current.as_mut()) {
                    ("environment", None) => env = Some(Environment::default()),
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
                                return Err(xml.error(format!(
                                    "group {}: unknown packagereq type {other:?}",
                                    g.id
                                )))
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) if e.local_name().as_ref() == "group" => {
                if let Some(g) = current.take() {
                    comps.groups.push(g);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "environment" => {
                if let Some(e) = env.take() {
                    comps.environments.push(e);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(comps)
}
