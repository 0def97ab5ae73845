//! A thin streaming layer over quick-xml shared by the metadata readers: events,
//! attribute lookup, text with entity references resolved, errors that give
//! the line and column, and a document that must end where it says it does.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::RepoError;

/// Where a stream is in its file: bytes consumed, and the line and column
/// they end on, for error messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Position {
    pub offset: u64,
    /// 1-based.
    pub line: u64,
    /// 1-based, in bytes.
    pub column: u64,
}

impl Position {
    pub const START: Position = Position {
        offset: 0,
        line: 1,
        column: 1,
    };

    /// The position after `bytes` more. Wrapping, so that a start moved
    /// back over a prefix without newlines ([`Position::before`]) comes
    /// out exact.
    pub fn advance(mut self, bytes: &[u8]) -> Position {
        self.offset = self.offset.wrapping_add(bytes.len() as u64);
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                self.column = (bytes.len() - last) as u64;
            }
            None => self.column = self.column.wrapping_add(bytes.len() as u64),
        }
        self
    }

    /// Where a prefix of `len` bytes (no newline) must start to end here.
    pub fn before(self, len: usize) -> Position {
        Position {
            offset: self.offset.wrapping_sub(len as u64),
            line: self.line,
            column: self.column.wrapping_sub(len as u64),
        }
    }
}

/// A reader that keeps the [`Position`] of what its consumer consumed.
pub(crate) struct Tracked<R> {
    inner: R,
    at: Position,
}

impl<R: BufRead> std::io::Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.at = self.at.advance(&buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tracked<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            self.at = self.at.advance(&buf[..amt.min(buf.len())]);
        }
        self.inner.consume(amt);
    }
}

pub(crate) struct XmlStream<R: BufRead> {
    reader: Reader<Tracked<R>>,
    /// Scratch space for `text()`, so events the caller holds stay valid.
    text_buf: Vec<u8>,
    path: PathBuf,
    /// Elements open now.
    depth: u32,
    /// The input is a whole document (or its last part), so its end must
    /// close every element: a document cut short is an error, not a
    /// shorter document.
    must_close: bool,
}

impl<R: BufRead> XmlStream<R> {
    /// A whole document.
    pub fn new(input: R, path: &Path) -> Self {
        XmlStream::fragment(input, path, Position::START, true)
    }

    /// Part of a file that starts at `start` of it; `last` when its end is
    /// the file's.
    pub fn fragment(input: R, path: &Path, start: Position, last: bool) -> Self {
        XmlStream {
            reader: Reader::from_reader(Tracked {
                inner: input,
                at: start,
            }),
            text_buf: Vec::with_capacity(4096),
            path: path.to_path_buf(),
            depth: 0,
            must_close: last,
        }
    }

    /// The next event, read into the caller's buffer.
    pub fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, RepoError> {
        buf.clear();
        let event = match self.reader.read_event_into(buf) {
            Ok(event) => event,
            Err(e) => return Err(self.read_error(e)),
        };
        match &event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof if self.must_close && self.depth > 0 => {
                return Err(self.error(format!(
                    "the document ends with {} element(s) still open: it is truncated",
                    self.depth
                )))
            }
            _ => {}
        }
        Ok(event)
    }

    /// A reader's error as what it is: the stream below (corrupt, too
    /// large, unreadable) or the XML itself.
    fn read_error(&self, e: quick_xml::Error) -> RepoError {
        match e {
            quick_xml::Error::Io(io) => RepoError::from_read(&self.path, &io),
            other => self.error(other.to_string()),
        }
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
        let result = match self.reader.read_to_end_into(start.name(), &mut buf) {
            Ok(_) => {
                self.depth = self.depth.saturating_sub(1);
                Ok(())
            }
            Err(e) => Err(self.read_error(e)),
        };
        buf.clear();
        self.text_buf = buf;
        result
    }

    pub fn error(&self, reason: String) -> RepoError {
        let at = self.reader.get_ref().at;
        RepoError::Xml {
            path: self.path.clone(),
            offset: at.offset,
            line: at.line,
            column: at.column,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo::{read_comps, Repomd};

    const REPOMD: &str = "<?xml version=\"1.0\"?>\n<repomd>\n  <revision>1</revision>\n  \
        <data type=\"primary\">\n    <checksum type=\"sha256\">ab</checksum>\n    \
        <location href=\"repodata/p.xml.gz\"/>\n  </data>\n</repomd>\n";

    #[test]
    fn errors_give_line_and_column() {
        let bad = REPOMD.replace("</revision>", "</revisio>");
        let err = Repomd::parse(bad.as_bytes(), Path::new("repomd.xml")).unwrap_err();
        match err {
            RepoError::Xml { line, column, .. } => {
                assert_eq!(line, 3, "{err}");
                assert!((12..=24).contains(&column), "{err}");
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_document_cut_between_elements_is_truncated() {
        let cut = &REPOMD[..REPOMD.find("</data>").unwrap() + "</data>".len()];
        let err = Repomd::parse(cut.as_bytes(), Path::new("repomd.xml")).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
        assert!(Repomd::parse(REPOMD.as_bytes(), Path::new("repomd.xml")).is_ok());
        let comps = "<comps><group><id>core</id></group>";
        let err = read_comps(comps.as_bytes(), Path::new("comps.xml")).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
    }

    #[test]
    fn positions_survive_a_prefix_moved_back() {
        let start = Position::START.advance(b"ab\ncd");
        assert_eq!((start.line, start.column, start.offset), (2, 3, 5));
        let back = start.before(10).advance(b"<metadata>");
        assert_eq!(back, start);
    }
}
