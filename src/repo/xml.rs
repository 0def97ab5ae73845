//! A thin streaming layer over quick-xml shared by the metadata readers: events,
//! attribute lookup and text with entity references resolved.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::RepoError;

pub(crate) struct XmlStream<R: BufRead> {
    reader: Reader<R>,
    /// Scratch space for `text()`, so events the caller holds stay valid.
    text_buf: Vec<u8>,
    path: PathBuf,
    /// Where the input starts in the file, for error offsets.
    base: u64,
}

impl<R: BufRead> XmlStream<R> {
    pub fn new(input: R, path: &Path) -> Self {
        XmlStream {
            reader: Reader::from_reader(input),
            text_buf: Vec::with_capacity(4096),
            path: path.to_path_buf(),
            base: 0,
        }
    }

    /// A stream over part of a file that starts at byte `base` of it.
    pub fn fragment(input: R, path: &Path, base: u64) -> Self {
        let mut xml = XmlStream::new(input, path);
        xml.base = base;
        xml
    }

    /// The next event, read into the caller's buffer.
    pub fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, RepoError> {
        buf.clear();
        let pos = self.base + self.reader.buffer_position();
        self.reader
            .read_event_into(buf)
            .map_err(|e| RepoError::Xml {
                path: self.path.clone(),
                offset: pos,
                reason: e.to_string(),
            })
    }

    /// The text up to the end of the element just opened, entities resolved.
    pub fn text(&mut self) -> Result<String, RepoError> {
        let mut out = String::new();
        self.text_into(&mut out)?;
        Ok(out)
    }

    /// [`XmlStream::text`] into a buffer the caller reuses.
    pub fn text_into(&mut self, out: &mut String) -> Result<(), RepoError> {
        out.clear();
        let mut buf = std::mem::take(&mut self.text_buf);
        let result = loop {
            match self.next(&mut buf) {
                Err(e) => break Err(e),
                Ok(Event::Text(t)) => out.push_str(&t.xml10_content()),
                Ok(Event::CData(t)) => out.push_str(&t.xml10_content()),
                Ok(Event::GeneralRef(r)) => match resolve_entity(&r.xml10_content()) {
                    Some(c) => out.push_str(&c),
                    None => {
                        break Err(self.error(format!("unknown entity &{};", r.xml10_content())))
                    }
                },
                Ok(Event::End(_)) => break Ok(()),
                Ok(Event::Eof) => {
                    break Err(self.error("unexpected end of file inside an element".into()))
                }
                Ok(_) => {}
            }
        };
        self.text_buf = buf;
        result
    }

    /// Skip the element just opened, children and text included, without
    /// keeping any of it.
    pub fn skip(&mut self, start: &BytesStart) -> Result<(), RepoError> {
        let mut buf = std::mem::take(&mut self.text_buf);
        let pos = self.base + self.reader.buffer_position();
        let result = self
            .reader
            .read_to_end_into(start.name(), &mut buf)
            .map(|_| ())
            .map_err(|e| RepoError::Xml {
                path: self.path.clone(),
                offset: pos,
                reason: e.to_string(),
            });
        buf.clear();
        self.text_buf = buf;
        result
    }

    pub fn error(&self, reason: String) -> RepoError {
        RepoError::Xml {
            path: self.path.clone(),
            offset: self.base + self.reader.buffer_position(),
            reason,
        }
    }

    /// A required attribute, or an error naming the element and attribute.
    pub fn required_attr(&self, e: &BytesStart, name: &str) -> Result<String, RepoError> {
        attr(e, name).ok_or_else(|| {
            let element = e.name().as_ref().to_string();
            self.error(format!("<{element}> lacks the attribute {name}"))
        })
    }
}

/// An attribute's unescaped value; malformed attributes read as absent.
pub(crate) fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The element's local name without any namespace prefix (`rpm:entry` → `entry`).
pub(crate) fn local<'a>(e: &'a BytesStart) -> &'a str {
    let full = e.name().0;
    full.rsplit(':').next().unwrap_or(full)
}

fn resolve_entity(name: &str) -> Option<String> {
    quick_xml::escape::unescape(&format!("&{name};"))
        .ok()
        .map(|c| c.into_owned())
}
