//! repomd.xml: the index of a repository's metadata files.

use std::io::BufReader;
use std::path::Path;

use quick_xml::events::Event;

use super::digest::Checksum;
use super::xml::{local, XmlStream};
use super::RepoError;

/// One `<data>` record of repomd.xml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataRecord {
    pub kind: String,
    /// Path relative to the repository root, e.g. `repodata/…-primary.xml.gz`.
    pub location: String,
    pub checksum: Checksum,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repomd {
    pub revision: Option<String>,
    pub data: Vec<DataRecord>,
}

impl Repomd {
    pub fn read(path: &Path) -> Result<Repomd, RepoError> {
        let file = std::fs::File::open(path).map_err(|e| RepoError::io(path, e))?;
        Repomd::parse(BufReader::new(file), path)
    }

    /// Parse a repomd.xml stream; `path` names it in errors.
    pub fn parse(input: impl std::io::BufRead, path: &Path) -> Result<Repomd, RepoError> {
        let mut xml = XmlStream::new(input, path);
        let mut repomd = Repomd::default();
        let mut saw_root = false;
        let mut current: Option<DataRecord> = None;
        let mut buf = Vec::new();
        loop {
            match xml.next(&mut buf)? {
                Event::Start(e) => match local(&e) {
                    "repomd" => saw_root = true,
                    "revision" => repomd.revision = Some(xml.text()?),
                    "data" => {
                        let kind = xml.required_attr(&e, "type")?;
                        current = Some(DataRecord {
                            kind,
                            location: String::new(),
                            checksum: Checksum::default(),
                        });
                    }
                    "checksum" => {
                        let algo = xml.required_attr(&e, "type")?;
                        let value = xml.text()?;
                        if let Some(rec) = current.as_mut() {
                            rec.checksum = Checksum::new(&algo, &value).ok_or_else(|| {
                                xml.error(format!(
                                    "unsupported checksum type {algo:?} for {}",
                                    rec.kind
                                ))
                            })?;
                        }
                    }
                    _ => {}
                },
                Event::Empty(e) if local(&e) == "location" => {
                    if let Some(rec) = current.as_mut() {
                        rec.location = xml.required_attr(&e, "href")?;
                    }
                }
                Event::Empty(e) if local(&e) == "repomd" => saw_root = true,
                Event::End(e) if e.local_name().as_ref() == "data" => {
                    if let Some(rec) = current.take() {
                        repomd.data.push(rec);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !saw_root {
            return Err(xml.error("no <repomd> element: this is not a repomd.xml".into()));
        }
        Ok(repomd)
    }

    pub fn record(&self, kind: &str) -> Option<&DataRecord> {
        self.data.iter().find(|d| d.kind == kind)
    }
}
