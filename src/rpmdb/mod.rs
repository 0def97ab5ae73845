//! Write the rpm database of an image: the sqlite `rpmdb.sqlite` that rpm
//! >= 4.16 reads, filled exactly the way `rpm -i` fills it.
//!
//! * `Packages(hnum, blob)`: one row per package, hnum 1.. in the order
//!   given; the blob is the package's immutable header plus the tags rpm
//!   adds on install (see [`installed_header_blob`]).
//! * 18 secondary indexes `(key, hnum, idx)` with rpm's schema (TEXT keys
//!   for string tags, BLOB keys otherwise, the same `CREATE INDEX`es) and
//!   rpm's filling rules (install-only requires skipped, duplicate trigger
//!   names skipped, rich dependencies split into their names, `idx` = the
//!   position in the tag's array, or the trigger index for file triggers).
//!
//! The file is written next to the target under a temporary name in
//! rollback-journal mode (`journal_mode=DELETE`) and renamed into place, so
//! no `-wal`/`-shm`/`-journal` files are left and the same input gives the
//! same bytes.

mod header;
mod index;

use std::path::{Path, PathBuf};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params, Connection};

use header::{AddedEntry, HeaderError, RawHeader, TAG_HEADERIMMUTABLE, TAG_HEADERSIGNATURES};
pub use index::KeyByteOrder;
use index::{index_rows, IndexSpec, TagData, TagSource, INDEXES};

/// File state of an installed file (rpm's `rpmfileState`), one per file in
/// the header's file list order.
pub mod file_state {
    pub const NORMAL: u8 = 0;
    pub const REPLACED: u8 = 1;
    pub const NOTINSTALLED: u8 = 2;
    pub const NETSHARED: u8 = 3;
    pub const WRONGCOLOR: u8 = 4;
}

/// One package to record as installed.
#[derive(Debug, Clone, Copy)]
pub struct InstalledPackage<'a> {
    /// Headers of the package (from `rpm::PackageReader` or
    /// `rpm::PackageMetadata::open`).
    pub metadata: &'a rpm::PackageMetadata,
    /// Per-file states (see [`file_state`]), one per file; `None` means every
    /// file is [`file_state::NORMAL`], which is what `rpm -i` records unless
    /// files were skipped (`--excludedocs`, `%_install_langs`, netshared, color).
    pub file_states: Option<&'a [u8]>,
}

impl<'a> InstalledPackage<'a> {
    pub fn new(metadata: &'a rpm::PackageMetadata) -> Self {
        InstalledPackage {
            metadata,
            file_states: None,
        }
    }
}

impl<'a> From<&'a rpm::PackageMetadata> for InstalledPackage<'a> {
    fn from(metadata: &'a rpm::PackageMetadata) -> Self {
        InstalledPackage::new(metadata)
    }
}

/// Values rpm takes from the transaction rather than from the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transaction {
    /// INSTALLTIME (seconds since the epoch).
    pub install_time: u32,
    /// INSTALLTID, the transaction id; rpm uses the transaction's start time.
    pub tid: u32,
    /// INSTALLCOLOR, the target's `%_transaction_color` (3 on 64-bit
    /// multilib arches such as x86_64 and aarch64, 0 on 32-bit ones).
    pub color: u32,
    /// Byte order of integer index keys (Installtid): the target CPU's.
    pub key_order: KeyByteOrder,
}

impl Transaction {
    /// The transaction an rpm running on `arch` would record.
    pub fn for_arch(arch: &str, install_time: u32) -> Self {
        Transaction {
            install_time,
            tid: install_time,
            color: transaction_color(arch),
            key_order: key_byte_order(arch),
        }
    }
}

/// `%_transaction_color` of rpm's platform for `arch` (rpm's installplatform).
pub fn transaction_color(arch: &str) -> u32 {
    match arch {
        "x86_64" | "amd64" | "ia32e" | "aarch64" | "ppc64" | "ppc64p7" | "ppc64le" | "s390x"
        | "sparc64" | "sparc64v" | "riscv64" | "loongarch64" | "mips64" | "mips64el"
        | "mips64r6" | "mips64r6el" => 3,
        "ia64" => 2,
        _ => 0,
    }
}

/// `%_prefer_color` of rpm's platform for `arch`: on a multilib arch the
/// 64-bit (color 2) file wins a conflict with a 32-bit one.
pub fn prefer_color(arch: &str) -> u32 {
    match transaction_color(arch) {
        3 => 2,
        _ => 0,
    }
}

/// Byte order of the CPU family `arch` names.
pub fn key_byte_order(arch: &str) -> KeyByteOrder {
    match arch {
        "s390" | "s390x" | "ppc" | "ppc64" | "ppc64p7" | "ppc64pseries" | "ppc64iseries"
        | "sparc" | "sparcv8" | "sparcv9" | "sparcv9v" | "sparc64" | "sparc64v" | "m68k"
        | "mips" | "mips64" | "mipsr6" | "mips64r6" | "hppa" => KeyByteOrder::Big,
        _ => KeyByteOrder::Little,
    }
}

/// Why the database could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RpmdbError {
    /// A package's headers cannot be recorded.
    #[error("rpmdb: package {package}: {reason}")]
    Package { package: String, reason: String },
    #[error("rpmdb {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("rpmdb {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Write `db_file` (e.g. `<root>/var/lib/rpm/rpmdb.sqlite`; Fedora >= 36
/// uses `<root>/usr/lib/sysimage/rpm/rpmdb.sqlite`) recording `packages` as
/// installed, in the given order (hnum 1, 2, ...), at `install_time`. An
/// existing database there is replaced. The parent directory is created.
///
/// The transaction color and key byte order are those of an rpm running on
/// `target_arch` (the image's arch, never the build host's); use
/// [`write_rpmdb_with`] to state every transaction value.
pub fn write_rpmdb(
    db_file: &Path,
    packages: &[InstalledPackage<'_>],
    target_arch: &str,
    install_time: u32,
) -> Result<(), RpmdbError> {
    write_rpmdb_with(
        db_file,
        packages,
        &Transaction::for_arch(target_arch, install_time),
    )
}

/// [`write_rpmdb`] with explicit transaction values.
pub fn write_rpmdb_with(
    db_file: &Path,
    packages: &[InstalledPackage<'_>],
    tx: &Transaction,
) -> Result<(), RpmdbError> {
    // Build all blobs first so a bad package fails before any file is touched.
    let blobs = packages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            build_blob(p, tx).map_err(|e| RpmdbError::Package {
                package: package_label(p.metadata, i),
                reason: e.0,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let dir = db_file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = db_file.file_name().ok_or_else(|| RpmdbError::Io {
        path: db_file.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"),
    })?;
    // rpm creates a missing dbpath too.
    std::fs::create_dir_all(dir).map_err(|source| RpmdbError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    remove_db_files(&tmp)?;

    let result = write_db_file(&tmp, &blobs, tx).and_then(|()| {
        // Stale journal/WAL files next to the target would be applied to
        // the new database by the next reader: remove them first.
        remove_db_files(db_file)?;
        std::fs::rename(&tmp, db_file).map_err(|source| RpmdbError::Io {
            path: db_file.to_owned(),
            source,
        })?;
        // Make the rename durable.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    });
    if result.is_err() {
        let _ = remove_db_files(&tmp);
    }
    result
}

/// Remove a database file and its sqlite side files, if present.
fn remove_db_files(db: &Path) -> Result<(), RpmdbError> {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(RpmdbError::Io { path: p, source }),
        }
    }
    Ok(())
}

/// NEVRA of a package for messages; its position if even the name is
/// unreadable.
fn package_label(md: &rpm::PackageMetadata, i: usize) -> String {
    match (
        md.get_name(),
        md.get_version(),
        md.get_release(),
        md.get_arch(),
    ) {
        (Ok(n), Ok(v), Ok(r), Ok(a)) => format!("{n}-{v}-{r}.{a}"),
        (Ok(n), ..) => n.to_owned(),
        _ => format!("package #{}", i + 1),
    }
}

/// Index view of an exported blob: rpm indexes the header it stores.
struct InstalledHeader<'a>(RawHeader<'a>);

impl TagSource for InstalledHeader<'_> {
    fn get(&self, tag: u32) -> Option<TagData<'_>> {
        // Skip the region entry; tags are unique, so rpm's headerGet finds
        // the same entry.
        let e = self.0.entries.iter().skip(1).find(|e| e.tag == tag)?;
        Some(TagData {
            ty: e.ty,
            count: e.count,
            data: self.0.entry_data(e)?,
        })
    }
}

const TAG_INSTALLTIME: u32 = rpm::IndexTag::RPMTAG_INSTALLTIME as u32;
const TAG_FILESTATES: u32 = rpm::IndexTag::RPMTAG_FILESTATES as u32;
const TAG_SOURCERPM: u32 = rpm::IndexTag::RPMTAG_SOURCERPM as u32;
const TAG_PREFIXES: u32 = rpm::IndexTag::RPMTAG_PREFIXES as u32;
const TAG_INSTPREFIXES: u32 = rpm::IndexTag::RPMTAG_INSTPREFIXES as u32;
const TAG_SOURCEPACKAGE: u32 = rpm::IndexTag::RPMTAG_SOURCEPACKAGE as u32;
const TAG_OLDFILENAMES: u32 = rpm::IndexTag::RPMTAG_OLDFILENAMES as u32;
const TAG_INSTALLCOLOR: u32 = rpm::IndexTag::RPMTAG_INSTALLCOLOR as u32;

/// The header blob `rpm -i` stores for `pkg` in `Packages.blob`.
///
/// It is the package's main header (without its 8-byte magic), immutable
/// region untouched, with these tags appended the way rpm's
/// `headerExport()` lays them out (sorted by tag, aligned):
/// the signature values rpm merges in (`headerMergeLegacySigs`: SIGSIZE,
/// SIGMD5, SHA1HEADER, SHA256HEADER, ARCHIVESIZE, RSA/DSAHEADER, SIGPGP/
/// SIGGPG, LONGSIGSIZE, LONGARCHIVESIZE, file/verity signatures, as
/// present), SOURCERPM `(none)` if the package names no source
/// (`applyRetrofits`), INSTPREFIXES for relocatable packages, and
/// INSTALLTIME, FILESTATES, INSTALLCOLOR and INSTALLTID.
pub fn installed_header_blob(
    pkg: &InstalledPackage<'_>,
    tx: &Transaction,
) -> Result<Vec<u8>, RpmdbError> {
    build_blob(pkg, tx).map_err(|e| RpmdbError::Package {
        package: package_label(pkg.metadata, 0),
        reason: e.0,
    })
}

fn build_blob(pkg: &InstalledPackage<'_>, tx: &Transaction) -> Result<Vec<u8>, HeaderError> {
    let mut buf = Vec::with_capacity(16 * 1024);
    pkg.metadata
        .write(&mut buf)
        .map_err(|e| HeaderError(format!("cannot serialize headers: {e}")))?;
    let (sig, main) = header::split_package_headers(&buf)?;
    sig.verify_region(TAG_HEADERSIGNATURES, false)?;
    main.verify_region(TAG_HEADERIMMUTABLE, true)?;
    if main.find(TAG_OLDFILENAMES).is_some() {
        return Err(HeaderError(
            "uncompressed file list (OLDFILENAMES) is not supported".into(),
        ));
    }
    for tag in [
        TAG_INSTALLTIME,
        TAG_FILESTATES,
        TAG_INSTALLCOLOR,
        index::TAG_INSTALLTID,
    ] {
        if main.find(tag).is_some() {
            return Err(HeaderError(format!(
                "header already carries install tag {tag}"
            )));
        }
    }

    let mut added = header::merge_signature_tags(&main, &sig)?;

    // applyRetrofits: binary packages must name a source rpm.
    if main.find(TAG_SOURCERPM).is_none() && main.find(TAG_SOURCEPACKAGE).is_none() {
        let is_source = main.find(index::TAG_DIRNAMES).is_some_and(|e| {
            e.count == 1 && main.entry_data(e).is_some_and(|d| d.first() == Some(&0))
        });
        if is_source {
            return Err(HeaderError("source packages cannot be installed".into()));
        }
        added.push(AddedEntry::string(TAG_SOURCERPM, b"(none)"));
    }

    // rpmRelocateFileList/addPrefixes: relocatable packages installed at
    // their default prefixes record them as INSTPREFIXES.
    if let Some(e) = main.find(TAG_PREFIXES) {
        if e.count > 0 && main.find(TAG_INSTPREFIXES).is_none() {
            if let Some(d) = main.entry_data(e) {
                added.push(AddedEntry {
                    tag: TAG_INSTPREFIXES,
                    ty: e.ty,
                    count: e.count,
                    data: d.to_vec(),
                });
            }
        }
    }

    // dbAdd (lib/psm.c)
    let file_count = main.find(index::TAG_BASENAMES).map_or(0, |e| e.count);
    if file_count > 0 {
        let states = match pkg.file_states {
            Some(s) if s.len() == file_count as usize => s.to_vec(),
            Some(s) => {
                return Err(HeaderError(format!(
                    "{} file states given for {} files",
                    s.len(),
                    file_count
                )))
            }
            None => vec![file_state::NORMAL; file_count as usize],
        };
        added.push(AddedEntry {
            tag: TAG_FILESTATES,
            ty: header::TYPE_CHAR,
            count: file_count,
            data: states,
        });
    }
    added.push(AddedEntry::u32(index::TAG_INSTALLTID, tx.tid));
    added.push(AddedEntry::u32(TAG_INSTALLTIME, tx.install_time));
    added.push(AddedEntry::u32(TAG_INSTALLCOLOR, tx.color));

    Ok(header::export_with(&main, &mut added))
}

/// rpm's schema statements (lib/backend/sqlite.c), verbatim.
fn schema_statements() -> Vec<String> {
    let mut out = vec![
        "CREATE TABLE IF NOT EXISTS 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)"
            .to_owned(),
    ];
    for spec in &INDEXES {
        let keytype = if spec.text_key { "TEXT" } else { "BLOB" };
        out.push(format!(
            "CREATE TABLE IF NOT EXISTS '{t}' (key '{keytype}' NOT NULL, hnum INTEGER NOT NULL, \
             idx INTEGER NOT NULL, FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))",
            t = spec.table
        ));
        if spec.text_key {
            out.push(format!(
                "CREATE INDEX IF NOT EXISTS '{t}_key_idx' ON '{t}'(key ASC)",
                t = spec.table
            ));
        }
        if spec.array {
            out.push(format!(
                "CREATE INDEX IF NOT EXISTS '{t}_hnum_idx' ON '{t}'(hnum ASC)",
                t = spec.table
            ));
        }
    }
    out
}

fn write_db_file(path: &Path, blobs: &[Vec<u8>], tx: &Transaction) -> Result<(), RpmdbError> {
    let sql_err = |source| RpmdbError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let mut conn = Connection::open(path).map_err(sql_err)?;
    conn.execute_batch(
        "PRAGMA page_size = 4096;
         PRAGMA journal_mode = DELETE;
         PRAGMA synchronous = OFF;
         PRAGMA secure_delete = OFF;
         PRAGMA cache_size = -65536;",
    )
    .map_err(sql_err)?;

    let txn = conn.transaction().map_err(sql_err)?;
    for stmt in schema_statements() {
        txn.execute(&stmt, []).map_err(sql_err)?;
    }
    {
        let mut put_pkg = txn
            .prepare("INSERT OR REPLACE INTO 'Packages' VALUES(?, ?)")
            .map_err(sql_err)?;
        let mut put_idx = INDEXES
            .iter()
            .map(|s| txn.prepare(&format!("INSERT INTO '{}' VALUES(?, ?, ?)", s.table)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql_err)?;
        for blob in blobs {
            put_pkg
                .execute(params![Option::<i64>::None, blob])
                .map_err(sql_err)?;
            let hnum = txn.last_insert_rowid();
            // Re-read our own blob, as rpm indexes the header it exports.
            let h =
                RawHeader::parse(blob)
                    .map(InstalledHeader)
                    .map_err(|e| RpmdbError::Package {
                        package: format!("#{hnum}"),
                        reason: e.0,
                    })?;
            for (spec, stmt) in INDEXES.iter().zip(put_idx.iter_mut()) {
                let mut err = None;
                index_rows(&h, spec, tx.key_order, |key, idx| {
                    if err.is_some() {
                        return;
                    }
                    if let Err(e) = stmt.execute(params![Key(spec, key), hnum, idx]) {
                        err = Some(e);
                    }
                });
                if let Some(e) = err {
                    return Err(sql_err(e));
                }
            }
        }
    }
    txn.commit().map_err(sql_err)?;
    conn.close().map_err(|(_, e)| sql_err(e))?;

    let f = std::fs::File::open(path).map_err(|source| RpmdbError::Io {
        path: path.to_owned(),
        source,
    })?;
    f.sync_all().map_err(|source| RpmdbError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(())
}

/// An index key bound as TEXT (string tags, raw bytes as rpm binds them
/// with `sqlite3_bind_text`) or BLOB.
struct Key<'a>(&'a IndexSpec, &'a [u8]);

impl rusqlite::ToSql for Key<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(if self.0.text_key {
            ValueRef::Text(self.1)
        } else {
            ValueRef::Blob(self.1)
        }))
    }
}
