//! Where a repository lives: a base URL or path, a mirror list or a
//! metalink, as dnf's repo files and kickstarts name them; and the parsers
//! that turn a mirror list or a metalink document into mirrors.

use std::path::{Path, PathBuf};

use quick_xml::events::Event;

use super::digest::Checksum;
use super::xml::{attr, local, XmlStream};
use super::RepoError;

/// A repository's address as configured (`baseurl=`, `mirrorlist=`,
/// `metalink=`), before or after `$basearch`/`$releasever` substitution.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// A local path, a `file://` URL or an `http(s)://` URL of the folder
    /// that holds `repodata/`.
    Baseurl(String),
    /// A URL whose document lists base URLs, one a line.
    Mirrorlist(String),
    /// A URL of a metalink: mirrors with preferences, and the hashes that
    /// repomd.xml must have.
    Metalink(String),
}

impl Location {
    /// The URL or path as written.
    pub fn url(&self) -> &str {
        match self {
            Location::Baseurl(u) | Location::Mirrorlist(u) | Location::Metalink(u) => u,
        }
    }

    /// The same kind of location with its URL rewritten.
    pub fn map(&self, f: impl FnOnce(&str) -> String) -> Location {
        match self {
            Location::Baseurl(u) => Location::Baseurl(f(u)),
            Location::Mirrorlist(u) => Location::Mirrorlist(f(u)),
            Location::Metalink(u) => Location::Metalink(f(u)),
        }
    }

    /// dnf's option name for this kind of location.
    pub fn option(&self) -> &'static str {
        match self {
            Location::Baseurl(_) => "baseurl",
            Location::Mirrorlist(_) => "mirrorlist",
            Location::Metalink(_) => "metalink",
        }
    }
}

/// One place a repository's files can be read from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Mirror {
    /// A local folder: files are read in place, never copied to the cache.
    Local(PathBuf),
    /// An `http://` or `https://` base URL, ending in `/`.
    Remote(String),
}

impl Mirror {
    /// A base URL or path as a mirror; `None` for a scheme we cannot read
    /// (rsync, ftp, ...).
    pub fn parse(url: &str) -> Option<Mirror> {
        if let Some(path) = url.strip_prefix("file://") {
            return Some(Mirror::Local(PathBuf::from(path)));
        }
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let base = if url.ends_with('/') {
                url.to_string()
            } else {
                format!("{url}/")
            };
            return Some(Mirror::Remote(base));
        }
        (!url.contains("://")).then(|| Mirror::Local(PathBuf::from(url)))
    }

    /// Where `relative` (a path inside the repository) is, for messages.
    pub fn display(&self, relative: &str) -> String {
        match self {
            Mirror::Local(root) => root.join(relative).display().to_string(),
            Mirror::Remote(base) => format!("{base}{relative}"),
        }
    }

    pub fn local_root(&self) -> Option<&Path> {
        match self {
            Mirror::Local(root) => Some(root),
            Mirror::Remote(_) => None,
        }
    }
}

/// Base URLs of a mirror list: one a line; blank lines and `#` comments
/// skipped, as librepo reads them. Schemes that cannot be read are left out.
pub fn parse_mirrorlist(text: &str) -> Vec<Mirror> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(Mirror::parse)
        .collect()
}

/// What a metalink says about a repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metalink {
    /// Mirrors, most preferred first (a stable sort on `preference`).
    pub mirrors: Vec<Mirror>,
    /// repomd.xml's size, when given.
    pub size: Option<u64>,
    /// Hashes repomd.xml may have: the current one first, then the
    /// alternates (older repomd.xml files that lagging mirrors still serve).
    pub repomd: Vec<Vec<Checksum>>,
}

impl Metalink {
    /// Whether `repomd` (its bytes) is one of the versions the metalink
    /// accepts, judged by the strongest hash it gives that we compute.
    /// A metalink without any hash we know accepts nothing.
    pub fn accepts(&self, repomd: &[u8]) -> bool {
        self.repomd
            .iter()
            .any(|hashes| strongest(hashes).is_some_and(|want| want.kind.digest(repomd) == *want))
    }
}

fn strongest(hashes: &[Checksum]) -> Option<&Checksum> {
    hashes.iter().max_by_key(|c| c.kind)
}

/// Read a metalink 3.0 document (MirrorManager's format) for repomd.xml;
/// `path` (its URL) names it in errors.
pub fn parse_metalink(input: &[u8], path: &Path) -> Result<Metalink, RepoError> {
    let mut xml = XmlStream::new(input, path);
    let mut buf = Vec::new();
    let mut main: Vec<Checksum> = Vec::new();
    let mut alternates: Vec<Vec<Checksum>> = Vec::new();
    let mut in_alternate = false;
    let mut size = None;
    let mut urls: Vec<(i64, Mirror)> = Vec::new();
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) => match local(&e) {
                "file" if attr(&e, "name").as_deref() != Some("repomd.xml") => xml.skip(&e)?,
                "alternate" => {
                    alternates.push(Vec::new());
                    in_alternate = true;
                }
                "size" => {
                    let value = xml.text()?;
                    if !in_alternate {
                        size = value.trim().parse().ok();
                    }
                }
                "hash" => {
                    let kind = attr(&e, "type").unwrap_or_default();
                    let value = xml.text()?;
                    // md5 and other hashes we do not compute are left out.
                    if let Some(sum) = Checksum::new(&kind, &value) {
                        match alternates.last_mut() {
                            Some(alt) if in_alternate => alt.push(sum),
                            _ => main.push(sum),
                        }
                    }
                }
                "url" => {
                    let preference = attr(&e, "preference")
                        .and_then(|p| p.trim().parse().ok())
                        .unwrap_or(0);
                    let url = xml.text()?;
                    let url = url.trim();
                    let base = url.strip_suffix("repodata/repomd.xml").unwrap_or(url);
                    if let Some(m) = Mirror::parse(base) {
                        urls.push((preference, m));
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "alternate" => in_alternate = false,
            Event::Eof => break,
            _ => {}
        }
    }
    // Stable: mirrors of equal preference keep the document's order.
    urls.sort_by_key(|(preference, _)| std::cmp::Reverse(*preference));
    let link = Metalink {
        mirrors: urls.into_iter().map(|(_, m)| m).collect(),
        size,
        repomd: std::iter::once(main).chain(alternates).collect(),
    };
    if link.mirrors.is_empty() {
        return Err(xml.error("no http, https or file URL for repomd.xml".into()));
    }
    if link.repomd.iter().all(|h| strongest(h).is_none()) {
        return Err(xml.error("no sha1 or sha2 hash for repomd.xml".into()));
    }
    Ok(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirrorlist_lines() {
        let text =
            "# comment\n\nhttp://a/x\n  https://b/y/ \nrsync://c/z\n/local/path\nfile:///srv/r\n";
        assert_eq!(
            parse_mirrorlist(text),
            vec![
                Mirror::Remote("http://a/x/".into()),
                Mirror::Remote("https://b/y/".into()),
                Mirror::Local("/local/path".into()),
                Mirror::Local("/srv/r".into()),
            ]
        );
    }

    #[test]
    fn metalink_mirrors_hashes_and_alternates() {
        let doc = br#"<?xml version="1.0" encoding="utf-8"?>
<metalink version="3.0" xmlns="http://www.metalinker.org/" xmlns:mm0="http://fedorahosted.org/mirrormanager">
 <files>
  <file name="repomd.xml">
   <mm0:timestamp>1</mm0:timestamp>
   <size>3</size>
   <verification>
    <hash type="md5">00</hash>
    <hash type="sha256">ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad</hash>
   </verification>
   <mm0:alternates>
    <mm0:alternate>
     <size>4</size>
     <verification><hash type="sha1">a9993e364706816aba3e25717850c26c9cd0d89d</hash></verification>
    </mm0:alternate>
   </mm0:alternates>
   <resources maxconnections="1">
    <url protocol="rsync" preference="100">rsync://r/repodata/repomd.xml</url>
    <url protocol="https" preference="90">https://low/f/repodata/repomd.xml</url>
    <url protocol="https" preference="99">https://high/f/repodata/repomd.xml</url>
   </resources>
  </file>
 </files>
</metalink>"#;
        let path = Path::new("metalink");
        let link = parse_metalink(doc, path).unwrap();
        assert_eq!(
            link.mirrors,
            vec![
                Mirror::Remote("https://high/f/".into()),
                Mirror::Remote("https://low/f/".into())
            ]
        );
        assert_eq!(link.size, Some(3));
        assert_eq!(link.repomd.len(), 2);
        assert!(link.accepts(b"abc"));
        assert!(!link.accepts(b"abd"));
        assert!(parse_metalink(b"<metalink><files>", path).is_err());
        assert!(parse_metalink(b"<metalink/>", path).is_err());
    }
}
