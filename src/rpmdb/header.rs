//! Raw RPM header handling: parse the on-disk header structures byte for
//! byte and build the blob rpm stores in `Packages` after an install.
//!
//! The layout mirrors what rpm's `headerExport()` produces for a header that
//! was read from a package (`hdrblobImport`), had the signature header merged
//! in (`headerMergeLegacySigs`), got its retrofits (`applyRetrofits`) and the
//! install-time tags (`dbAdd` in psm.c):
//!
//! * the immutable region (index entries and data, trailer included) is
//!   copied verbatim;
//! * every added tag (all have offset 0 in rpm's in-memory index, so
//!   `offsetCmp` orders them by tag number) follows, its index entry after
//!   the region's entries and its data after the region's data, each data
//!   item aligned to its type size relative to the data start, padding zeros.

use std::fmt;

/// Header entry data types (rpm's `rpmTagType`).
pub(crate) const TYPE_CHAR: u32 = 1;
pub(crate) const TYPE_INT8: u32 = 2;
pub(crate) const TYPE_INT16: u32 = 3;
pub(crate) const TYPE_INT32: u32 = 4;
pub(crate) const TYPE_INT64: u32 = 5;
pub(crate) const TYPE_STRING: u32 = 6;
pub(crate) const TYPE_BIN: u32 = 7;
pub(crate) const TYPE_STRING_ARRAY: u32 = 8;
pub(crate) const TYPE_I18NSTRING: u32 = 9;

/// The 8 bytes in front of every header in a package file.
pub(crate) const HEADER_MAGIC: [u8; 8] = [0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0];
/// The lead in front of the signature header.
pub(crate) const LEAD_SIZE: usize = 96;

/// Region tags.
pub(crate) const TAG_HEADERSIGNATURES: u32 = rpm::IndexTag::RPMTAG_HEADERSIGNATURES as u32;
pub(crate) const TAG_HEADERIMMUTABLE: u32 = rpm::IndexTag::RPMTAG_HEADERIMMUTABLE as u32;
/// Size of a region trailer (one index entry).
const REGION_TAG_COUNT: u32 = 16;
/// rpm's `hdrchkData` bound for data counts (16 MiB).
const MAX_COUNT: u32 = 16 * 1024 * 1024;
/// rpm's `headerMaxbytes` (256 MiB).
const MAX_HEADER_BYTES: usize = 256 * 1024 * 1024;

/// Why a header could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderError(pub String);

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! bail {
    ($($arg:tt)*) => { return Err(HeaderError(format!($($arg)*))) };
}

/// One index entry as stored (host order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntryInfo {
    pub tag: u32,
    pub ty: u32,
    pub offset: i32,
    pub count: u32,
}

/// A header blob without magic: `il`, `dl`, `il` index entries, `dl` bytes.
#[derive(Debug)]
pub(crate) struct RawHeader<'a> {
    /// The whole blob (`il` .. end of data).
    pub bytes: &'a [u8],
    pub entries: Vec<EntryInfo>,
    /// Data store.
    pub data: &'a [u8],
}

/// Alignment rpm applies to a type (`typeSizes` for the numeric types).
fn type_align(ty: u32) -> usize {
    match ty {
        TYPE_INT16 => 2,
        TYPE_INT32 => 4,
        TYPE_INT64 => 8,
        _ => 1,
    }
}

/// Length in bytes of an entry's data (rpm's `dataLength`), bounded by `data`.
pub(crate) fn data_length(ty: u32, count: u32, data: &[u8]) -> Option<usize> {
    let count = count as usize;
    match ty {
        TYPE_STRING => {
            if count != 1 {
                return None;
            }
            memchr0(data).map(|n| n + 1)
        }
        TYPE_STRING_ARRAY | TYPE_I18NSTRING => {
            let mut len = 0usize;
            for _ in 0..count {
                len += memchr0(data.get(len..)?)? + 1;
            }
            Some(len)
        }
        TYPE_CHAR | TYPE_INT8 | TYPE_BIN => (count <= data.len()).then_some(count),
        TYPE_INT16 | TYPE_INT32 | TYPE_INT64 => {
            let n = count.checked_mul(type_align(ty))?;
            (n <= data.len()).then_some(n)
        }
        _ => None,
    }
}

fn memchr0(data: &[u8]) -> Option<usize> {
    data.iter().position(|&b| b == 0)
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl<'a> RawHeader<'a> {
    /// Parse a header blob (without the 8-byte magic). Trailing bytes after
    /// the data store are not part of the header and are ignored.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, HeaderError> {
        if bytes.len() < 8 {
            bail!("header truncated");
        }
        let il = be32(bytes, 0) as usize;
        let dl = be32(bytes, 4) as usize;
        let total = il
            .checked_mul(16)
            .and_then(|n| n.checked_add(8))
            .and_then(|n| n.checked_add(dl))
            .filter(|&n| n <= MAX_HEADER_BYTES);
        let Some(total) = total else {
            bail!("header too large (il {il}, dl {dl})");
        };
        if bytes.len() < total {
            bail!("header truncated: needs {total} bytes, has {}", bytes.len());
        }
        let bytes = &bytes[..total];
        let data = &bytes[8 + 16 * il..];
        let mut entries = Vec::with_capacity(il);
        for i in 0..il {
            let at = 8 + 16 * i;
            entries.push(EntryInfo {
                tag: be32(bytes, at),
                ty: be32(bytes, at + 4),
                offset: be32(bytes, at + 8) as i32,
                count: be32(bytes, at + 12),
            });
        }
        Ok(RawHeader {
            bytes,
            entries,
            data,
        })
    }

    /// Bytes of an entry's data (bounded by `data_length`).
    pub fn entry_data(&self, e: &EntryInfo) -> Option<&'a [u8]> {
        let off = usize::try_from(e.offset).ok()?;
        let rest = self.data.get(off..)?;
        let len = data_length(e.ty, e.count, rest)?;
        Some(&rest[..len])
    }

    pub fn find(&self, tag: u32) -> Option<&EntryInfo> {
        self.entries.iter().find(|e| e.tag == tag)
    }

    /// Check that this is a v4 header with a region (`region_tag`) first
    /// (`hdrblobVerifyRegion`) and that every entry's data is in range, in
    /// order and off the region trailer (`hdrblobVerifyInfo`). With `exact`
    /// the region must span the whole header, as rpm requires of the main
    /// header of a package; the signature header may carry entries after
    /// its region (e.g. file signatures added by `rpmsign --signfiles`).
    pub fn verify_region(&self, region_tag: u32, exact: bool) -> Result<(), HeaderError> {
        let Some(first) = self.entries.first() else {
            bail!("region: no tags");
        };
        if first.tag != region_tag {
            bail!(
                "no immutable region (first tag {}): v3 packages are not supported",
                first.tag
            );
        }
        if first.ty != TYPE_BIN || first.count != REGION_TAG_COUNT {
            bail!(
                "region tag: BAD, tag {} type {} count {}",
                first.tag,
                first.ty,
                first.count
            );
        }
        let Some(rdl) = usize::try_from(first.offset)
            .ok()
            .and_then(|o| o.checked_add(REGION_TAG_COUNT as usize))
            .filter(|&e| e <= self.data.len())
        else {
            bail!("region offset: BAD, offset {}", first.offset);
        };
        let t = &self.data[rdl - 16..rdl];
        let trailer = EntryInfo {
            tag: be32(t, 0),
            ty: be32(t, 4),
            offset: be32(t, 8) as i32,
            count: be32(t, 12),
        };
        let trailer_tag_ok = trailer.tag == region_tag
            // Old packages have HEADERIMAGE in the signature trailer.
            || (region_tag == TAG_HEADERSIGNATURES && trailer.tag == 61);
        if !trailer_tag_ok || trailer.ty != TYPE_BIN || trailer.count != REGION_TAG_COUNT {
            bail!(
                "region trailer: BAD, tag {} type {}",
                trailer.tag,
                trailer.ty
            );
        }
        let roff = trailer.offset.wrapping_neg();
        if roff <= 0 || roff % 16 != 0 || (roff / 16) as usize > self.entries.len() {
            bail!("region size: BAD, trailer offset {}", trailer.offset);
        }
        let ril = (roff / 16) as usize;
        if exact && (ril != self.entries.len() || rdl != self.data.len()) {
            bail!(
                "region tag number mismatch: il {} ril {} dl {} rdl {}",
                self.entries.len(),
                ril,
                self.data.len(),
                rdl
            );
        }
        let mut end = 0usize;
        for e in &self.entries[1..] {
            let Ok(off) = usize::try_from(e.offset) else {
                bail!("tag {}: bad offset {}", e.tag, e.offset);
            };
            if end > off {
                bail!("tag {}: data overlaps previous entry", e.tag);
            }
            if !(TYPE_CHAR..=TYPE_I18NSTRING).contains(&e.ty) {
                bail!("tag {}: bad type {}", e.tag, e.ty);
            }
            if off % type_align(e.ty) != 0 {
                bail!("tag {}: misaligned offset {}", e.tag, off);
            }
            let Some(len) = self
                .data
                .get(off..)
                .and_then(|d| data_length(e.ty, e.count, d))
            else {
                bail!("tag {}: data out of range", e.tag);
            };
            end = off + len;
            if end > rdl - 16 && off < rdl {
                bail!("tag {}: data overlaps the region trailer", e.tag);
            }
        }
        Ok(())
    }
}

/// A tag added to the header outside the immutable region. `data` is in
/// header (big-endian) byte order, exactly `data_length` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AddedEntry {
    pub tag: u32,
    pub ty: u32,
    pub count: u32,
    pub data: Vec<u8>,
}

impl AddedEntry {
    pub fn u32(tag: u32, v: u32) -> Self {
        AddedEntry {
            tag,
            ty: TYPE_INT32,
            count: 1,
            data: v.to_be_bytes().to_vec(),
        }
    }

    pub fn string(tag: u32, s: &[u8]) -> Self {
        let mut data = Vec::with_capacity(s.len() + 1);
        data.extend_from_slice(s);
        data.push(0);
        AddedEntry {
            tag,
            ty: TYPE_STRING,
            count: 1,
            data,
        }
    }
}

/// Export `main` (a verified v4 header) with `added` appended the way
/// rpm's `headerExport()` lays it out. `added` must not contain tags of the
/// region (the caller guarantees that).
pub(crate) fn export_with(main: &RawHeader<'_>, added: &mut [AddedEntry]) -> Vec<u8> {
    // offsetCmp: entries added to a header all have offset 0 and sort by tag.
    added.sort_by_key(|e| e.tag);
    let il = main.entries.len() + added.len();
    let mut dl = main.data.len();
    let mut offsets = Vec::with_capacity(added.len());
    for e in added.iter() {
        dl = dl.next_multiple_of(type_align(e.ty));
        offsets.push(dl as u32);
        dl += e.data.len();
    }
    let mut out = Vec::with_capacity(8 + 16 * il + dl);
    out.extend_from_slice(&(il as u32).to_be_bytes());
    out.extend_from_slice(&(dl as u32).to_be_bytes());
    out.extend_from_slice(&main.bytes[8..8 + 16 * main.entries.len()]);
    for (e, off) in added.iter().zip(&offsets) {
        out.extend_from_slice(&e.tag.to_be_bytes());
        out.extend_from_slice(&e.ty.to_be_bytes());
        out.extend_from_slice(&off.to_be_bytes());
        out.extend_from_slice(&e.count.to_be_bytes());
    }
    let data_start = out.len();
    out.extend_from_slice(main.data);
    for (e, off) in added.iter().zip(&offsets) {
        out.resize(data_start + *off as usize, 0);
        out.extend_from_slice(&e.data);
    }
    debug_assert_eq!(out.len(), 8 + 16 * il + dl);
    out
}

/// The signature tags rpm merges into the main header on install
/// (`xlateTags` in lib/package.c, in that order): signature tag, header
/// tag, expected header type, required count (0 = any), and whether the
/// header tag may already be present in the main header (`quirk`).
pub(crate) const SIG_XLATE: &[(u32, u32, u32, u32, bool)] = {
    use rpm::IndexSignatureTag as S;
    use rpm::IndexTag as H;
    &[
        // rpm's RPMTAG_SIGSIZE is 257 (RPMTAG_SIG_BASE + 1); rpm-rs 0.30
        // gives that name 256, a tag rpm does not know.
        (S::RPMSIGTAG_SIZE as u32, 257, TYPE_INT32, 1, false),
        (
            S::RPMSIGTAG_PGP as u32,
            H::RPMTAG_SIGPGP as u32,
            TYPE_BIN,
            0,
            false,
        ),
        (
            S::RPMSIGTAG_MD5 as u32,
            H::RPMTAG_SIGMD5 as u32,
            TYPE_BIN,
            16,
            false,
        ),
        (
            S::RPMSIGTAG_GPG as u32,
            H::RPMTAG_SIGGPG as u32,
            TYPE_BIN,
            0,
            false,
        ),
        (
            S::RPMSIGTAG_PAYLOADSIZE as u32,
            H::RPMTAG_ARCHIVESIZE as u32,
            TYPE_INT32,
            1,
            true,
        ),
        (
            S::RPMSIGTAG_FILESIGNATURES as u32,
            H::RPMTAG_FILESIGNATURES as u32,
            TYPE_STRING_ARRAY,
            0,
            true,
        ),
        (
            S::RPMSIGTAG_FILESIGNATURE_LENGTH as u32,
            H::RPMTAG_FILESIGNATURELENGTH as u32,
            TYPE_INT32,
            1,
            true,
        ),
        (
            S::RPMSIGTAG_VERITYSIGNATURES as u32,
            H::RPMTAG_VERITYSIGNATURES as u32,
            TYPE_STRING_ARRAY,
            0,
            false,
        ),
        (
            S::RPMSIGTAG_VERITYSIGNATUREALGO as u32,
            H::RPMTAG_VERITYSIGNATUREALGO as u32,
            TYPE_INT32,
            1,
            false,
        ),
        (
            S::RPMSIGTAG_SHA1 as u32,
            H::RPMTAG_SHA1HEADER as u32,
            TYPE_STRING,
            1,
            false,
        ),
        (
            S::RPMSIGTAG_SHA256 as u32,
            H::RPMTAG_SHA256HEADER as u32,
            TYPE_STRING,
            1,
            false,
        ),
        (
            S::RPMSIGTAG_DSA as u32,
            H::RPMTAG_DSAHEADER as u32,
            TYPE_BIN,
            0,
            false,
        ),
        (
            S::RPMSIGTAG_RSA as u32,
            H::RPMTAG_RSAHEADER as u32,
            TYPE_BIN,
            0,
            false,
        ),
        (
            S::RPMSIGTAG_LONGSIZE as u32,
            H::RPMTAG_LONGSIGSIZE as u32,
            TYPE_INT64,
            1,
            false,
        ),
        (
            S::RPMSIGTAG_LONGARCHIVESIZE as u32,
            H::RPMTAG_LONGARCHIVESIZE as u32,
            TYPE_INT64,
            1,
            false,
        ),
    ]
};

/// rpm's `headerMergeLegacySigs`: the signature-header values that go into
/// the installed header.
pub(crate) fn merge_signature_tags(
    main: &RawHeader<'_>,
    sig: &RawHeader<'_>,
) -> Result<Vec<AddedEntry>, HeaderError> {
    for &(stag, xtag, _, _, quirk) in SIG_XLATE {
        if main.find(xtag).is_some() {
            // Some tags may be in either header, never in both.
            if quirk && sig.find(stag).is_none() {
                continue;
            }
            bail!("invalid signature tag {xtag}: present in both headers");
        }
    }
    let mut out = Vec::new();
    for &(stag, xtag, want_ty, want_count, _) in SIG_XLATE {
        // headerGet finds the entry by tag (an entry after the region
        // replaces one of the same tag inside it); skip the region entry.
        let Some(e) = sig.entries.iter().skip(1).rev().find(|e| e.tag == stag) else {
            continue;
        };
        if e.ty != want_ty
            || e.count < 1
            || e.count > MAX_COUNT
            || (want_count != 0 && e.count != want_count)
        {
            bail!(
                "invalid signature tag {xtag} (signature tag {stag} type {} count {})",
                e.ty,
                e.count
            );
        }
        let Some(data) = sig.entry_data(e) else {
            bail!("signature tag {stag}: data out of range");
        };
        out.push(AddedEntry {
            tag: xtag,
            ty: e.ty,
            count: e.count,
            data: data.to_vec(),
        });
    }
    Ok(out)
}

/// Split a package's metadata as written by `PackageMetadata::write` (lead,
/// signature header, padding, main header) into the two header blobs
/// without their magic.
pub(crate) fn split_package_headers(
    buf: &[u8],
) -> Result<(RawHeader<'_>, RawHeader<'_>), HeaderError> {
    let sig_at = LEAD_SIZE;
    if buf.get(sig_at..sig_at + 8) != Some(&HEADER_MAGIC[..]) {
        bail!("bad signature header magic");
    }
    let sig = RawHeader::parse(&buf[sig_at + 8..])?;
    // The signature header is padded to a multiple of 8 bytes; magic,
    // il/dl and the index are multiples of 8 already, so only dl matters.
    let pad = (8 - sig.data.len() % 8) % 8;
    let main_at = sig_at + 8 + sig.bytes.len() + pad;
    if buf.get(main_at..main_at + 8) != Some(&HEADER_MAGIC[..]) {
        bail!("bad main header magic");
    }
    let main = RawHeader::parse(&buf[main_at + 8..])?;
    Ok((sig, main))
}

/// Strings of a string-array entry (NUL separated, `count` of them).
pub(crate) fn strings(data: &[u8], count: u32) -> impl Iterator<Item = &[u8]> {
    data.split(|&b| b == 0).take(count as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hdr(entries: &[(u32, u32, i32, u32)], data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(entries.len() as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        for &(t, ty, o, c) in entries {
            for v in [t, ty, o as u32, c] {
                out.extend_from_slice(&v.to_be_bytes());
            }
        }
        out.extend_from_slice(data);
        out
    }

    #[test]
    fn export_aligns_and_sorts_added_tags() {
        // Region with one string tag "ab\0" then the trailer.
        let mut data = b"ab\0".to_vec();
        let trailer_at = data.len() as i32;
        for v in [63u32, 7, (-32i32) as u32, 16] {
            data.extend_from_slice(&v.to_be_bytes());
        }
        let blob = hdr(&[(63, 7, trailer_at, 16), (1000, 6, 0, 1)], &data);
        let main = RawHeader::parse(&blob).unwrap();
        main.verify_region(63, true).unwrap();
        let mut added = vec![
            AddedEntry::u32(1128, 7),
            AddedEntry {
                tag: 1029,
                ty: TYPE_CHAR,
                count: 3,
                data: vec![0, 0, 0],
            },
            AddedEntry::u32(1008, 9),
        ];
        let out = export_with(&main, &mut added);
        let re = RawHeader::parse(&out).unwrap();
        let tags: Vec<_> = re.entries.iter().map(|e| (e.tag, e.offset)).collect();
        // data: 19 bytes region; 1008 aligned to 20; 1029 at 24..27; 1128 at 28.
        assert_eq!(
            tags,
            vec![(63, 3), (1000, 0), (1008, 20), (1029, 24), (1128, 28)]
        );
        assert_eq!(re.data.len(), 32);
        assert_eq!(&re.data[19..20], &[0]);
        assert_eq!(&re.data[20..24], &9u32.to_be_bytes());
    }

    #[test]
    fn rejects_header_without_region() {
        let blob = hdr(&[(1000, 6, 0, 1)], b"a\0");
        let main = RawHeader::parse(&blob).unwrap();
        assert!(main.verify_region(63, true).is_err());
    }
}
