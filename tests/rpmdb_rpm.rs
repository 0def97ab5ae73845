//! Tests against the real `rpm` binary: rpm must read what we write, and
//! what we write must equal what `rpm -i --justdb` writes for the same
//! packages.
//!
//! A test whose peer (`rpm`) or fixture (`../shared/fixtures/rpms`) is
//! missing reports NOT RUN through the shared helper.

mod support;

use rootsmith::rpmdb::{
    file_state, installed_header_blob, write_rpmdb, write_rpmdb_with, InstalledPackage,
    KeyByteOrder, Transaction,
};
use rpm::{BuildConfig, CompressionType, Dependency, FileOptions, PackageBuilder};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const SOURCE_DATE: u32 = 1_700_000_000;

/// rpm's own test packages (`../shared/fixtures/rpms`).
fn fixtures() -> Result<PathBuf, support::Skip> {
    support::fixtures::shared_fixture("rpms")
}

/// The real rpm, which every test here compares against.
fn have_rpm() -> Result<(), support::Skip> {
    support::tools(&["rpm"])
}

struct RpmOut {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Run the real rpm on `root` with `--dbpath /var/lib/rpm` (Debian's rpm
/// defaults to ~/.rpmdb), a private HOME and the C locale.
fn rpm(home: &Path, root: &Path, args: &[&str]) -> RpmOut {
    let out = Command::new("rpm")
        .env("HOME", home)
        .env("LC_ALL", "C")
        .env_remove("LANGUAGE")
        .arg("--root")
        .arg(root)
        .args(["--dbpath", "/var/lib/rpm"])
        .args(args)
        .output()
        .expect("run rpm");
    RpmOut {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn lines(s: &str) -> BTreeSet<String> {
    s.lines()
        .map(str::to_owned)
        .filter(|l| !l.is_empty())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn db_path(root: &Path) -> PathBuf {
    root.join("var/lib/rpm/rpmdb.sqlite")
}

/// Four packages that exercise every kind of index entry. Together they
/// satisfy each other's requirements, so `rpm -Va` can pass.
fn build_test_packages(dir: &Path) -> Vec<PathBuf> {
    let cfg = || {
        BuildConfig::v4()
            .source_date(SOURCE_DATE)
            .compression(CompressionType::Gzip)
    };
    let mut out = Vec::new();
    let mut save = |pkg: rpm::Package| {
        let path = pkg.write_to(dir).expect("write package");
        out.push(path);
    };

    // alpha: files in several directories, a %config file, a symlink, a
    // directory entry, and one dependency of every kind.
    let alpha = PackageBuilder::new("alpha", "1.0", "MIT", "x86_64", "alpha test package")
        .using_config(cfg())
        .release("1")
        .group("Applications/Test")
        .description("Alpha exercises every rpmdb index.")
        .with_file_contents(
            "#!/bin/sh\necho alpha\n",
            FileOptions::new("/usr/bin/alpha").permissions(0o755),
        )
        .unwrap()
        .with_symlink(FileOptions::symlink("/usr/bin/alpha-link", "alpha"))
        .unwrap()
        .with_dir_entry(FileOptions::dir("/usr/share/alpha").permissions(0o755))
        .unwrap()
        .with_file_contents(
            "alpha data\n",
            FileOptions::new("/usr/share/alpha/data.txt").permissions(0o644),
        )
        .unwrap()
        .with_file_contents(
            "setting = 1\n",
            FileOptions::new("/etc/alpha.conf")
                .permissions(0o644)
                .config()
                .noreplace(),
        )
        .unwrap()
        .with_file_contents(
            "doc\n",
            FileOptions::new("/usr/share/doc/alpha/README")
                .permissions(0o644)
                .doc(),
        )
        .unwrap()
        .provides(Dependency::eq("alpha-api", "2"))
        .provides(Dependency::any("config(alpha)"))
        .requires(Dependency::greater_eq("beta", "1.0"))
        .requires(Dependency::any("/usr/bin/fakesh"))
        .requires(Dependency::any("(gamma or delta)"))
        .requires(Dependency::any("alpha-api"))
        .requires(Dependency::script_pre("coreutils"))
        .requires(Dependency::script_postun("coreutils"))
        .conflicts(Dependency::less("oldalpha", "1"))
        .obsoletes(Dependency::less("alpha-legacy", "1.0"))
        .recommends(Dependency::any("beta-extras"))
        .suggests(Dependency::any("(zeta if eta)"))
        .supplements(Dependency::any("(alpha-support and gamma)"))
        .enhances(Dependency::any("gamma"))
        .build()
        .unwrap();
    save(alpha);

    // beta: noarch, a file in /usr/lib and an epoch.
    let beta = PackageBuilder::new(
        "beta",
        "1.2",
        "GPL-2.0-or-later",
        "noarch",
        "beta test package",
    )
    .using_config(cfg())
    .release("3.fc40")
    .epoch(2)
    .with_file_contents(
        "beta\n",
        FileOptions::new("/usr/lib/beta/lib.txt").permissions(0o644),
    )
    .unwrap()
    .provides(Dependency::any("beta-extras"))
    .requires(Dependency::any("alpha-api"))
    .build()
    .unwrap();
    save(beta);

    // gamma: triggers (one target twice), file triggers, no group.
    let gamma = PackageBuilder::new("gamma", "0.9", "MIT", "x86_64", "gamma test package")
        .using_config(cfg())
        .release("1")
        .with_file_contents(
            "gamma\n",
            FileOptions::new("/usr/share/gamma/gamma.txt").permissions(0o600),
        )
        .unwrap()
        .trigger_in("alpha", None, "echo in")
        .trigger_un("alpha", None, "echo un")
        .trigger_in("beta", None, "echo beta")
        .file_trigger_in("/usr/lib/beta", None, "echo ft")
        .file_trigger_un("/usr/share/alpha", None, "echo ftun")
        .trans_file_trigger_in("/usr/share", None, "echo tft")
        .build()
        .unwrap();
    save(gamma);

    // shell: owns the file another package requires, provides coreutils.
    let shell = PackageBuilder::new("shell", "5.2", "GPL-3.0-or-later", "x86_64", "a shell")
        .using_config(cfg())
        .release("1")
        .with_file_contents(
            "#!/bin/true\n",
            FileOptions::new("/usr/bin/fakesh").permissions(0o755),
        )
        .unwrap()
        .provides(Dependency::any("coreutils"))
        .build()
        .unwrap();
    save(shell);

    out
}

/// Rich dependencies for every rule of rpm's extra index keys
/// (`updateRichDep`), in every tag that gets them, plus the tags that do
/// not. rpm-rs writes the strings as given, so some break rpmbuild's rules
/// on purpose: the database takes them as rpm's own parser does.
const RICH_REQUIRES: &[&str] = &[
    // `if`: the condition's names get `!`
    "(req-then if req-cond)",
    // `else` repeats the condition's names with the other sign; a nested
    // condition flips the sign again
    "(ie-then if (ie-cond1 if ie-cond2) else ie-else)",
    // `unless`, with an `else` holding an `if`
    "(ue-then unless ue-cond else (ue-else if ue-cond2))",
    // `if` inside a condition inside an `else` branch
    "((nest-a or nest-b) if (nest-c unless nest-d else nest-e) else (nest-f and nest-g))",
    // with/without with versions and names with parentheses
    "((w-a(x86-64) < 2 or w-a(x86-64) > 3) with w-a(x86-64) >= 1:1.0-1)",
    "(wo-a without wo-b = 2)",
    "(w1 with w2 with w3)",
    // rpmlib() names are not indexed, except a bare `rpmlib(`
    "(rpmlib(RichDependencies) <= 4.12.0-1 and rl-a)",
    "(rpmlib( or rl-b)",
    // duplicates collapse; a name both plain and negated stays twice
    "(dup if dup-c else dup)",
    "(dup-x or dup-x or dup-x >= 2)",
    // whitespace and commas as rpm skips them; non-ASCII names
    "(sp-a,\tor\n sp-b,)",
    "(café or naïve)",
    // rpmbuild's context rules do not apply in the database
    "((ctx-a if ctx-b) or ctx-c)",
    // text after the closing parenthesis is ignored
    "(junk-a or junk-b) junk-c",
    // unparseable: only the whole string
    "(bad-a with (bad-b and bad-c))",
    "(bad-d or)",
    "(bad-e or bad-f",
    "(bad-g if bad-h if bad-i)",
    // a single parenthesised name
    "(single)",
];

fn build_rich_package(dir: &Path) -> PathBuf {
    let mut b = PackageBuilder::new("richdeps", "1.0", "MIT", "noarch", "rich dependencies");
    b.using_config(
        BuildConfig::v4()
            .source_date(SOURCE_DATE)
            .compression(CompressionType::Gzip),
    )
    .release("1");
    for r in RICH_REQUIRES {
        b.requires(Dependency::any(*r));
    }
    b.conflicts(Dependency::any("(cf-a unless cf-b else cf-c)"))
        .conflicts(Dependency::any("(cf-d if cf-e)"))
        .recommends(Dependency::any("(rec-a if rec-b else (rec-c if rec-d))"))
        .suggests(Dependency::any("((sug-a and sug-b) if sug-c else sug-d)"))
        .supplements(Dependency::any("(sup-a and (sup-b unless sup-c))"))
        .enhances(Dependency::any("(enh-a or (enh-b if enh-c else enh-d))"))
        // Provides and Obsoletes are not split, rich or not.
        .provides(Dependency::any("(prov-a or prov-b)"))
        .obsoletes(Dependency::any("(obs-a if obs-b)"))
        .build()
        .unwrap()
        .write_to(dir)
        .expect("write package")
}

fn open_all(paths: &[PathBuf]) -> Vec<rpm::PackageMetadata> {
    paths
        .iter()
        .map(|p| rpm::PackageMetadata::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

fn nevra_of(md: &rpm::PackageMetadata) -> String {
    format!(
        "{}-{}-{}.{}",
        md.get_name().unwrap(),
        md.get_version().unwrap(),
        md.get_release().unwrap(),
        md.get_arch().unwrap()
    )
}

/// The data of `tag` in a stored header blob (rpm's header format: entry
/// count, data size, 16-byte index entries, then the data store).
fn blob_tag(blob: &[u8], tag: u32) -> Option<&[u8]> {
    let be = |at: usize| u32::from_be_bytes(blob[at..at + 4].try_into().unwrap()) as usize;
    let (entries, store) = (be(0), 8 + 16 * be(0));
    let offsets: Vec<(usize, usize)> = (0..entries)
        .map(|i| (be(8 + 16 * i), be(8 + 16 * i + 8)))
        .collect();
    let &(_, offset) = offsets.iter().skip(1).find(|(t, _)| *t == tag as usize)?;
    let end = offsets
        .iter()
        .map(|&(_, o)| o)
        .filter(|&o| o > offset)
        .min()
        .map_or(blob.len(), |o| store + o);
    Some(&blob[store + offset..end])
}

/// A string tag of a stored blob.
fn blob_string(blob: &[u8], tag: u32) -> Option<String> {
    let d = blob_tag(blob, tag)?;
    let nul = d.iter().position(|&b| b == 0).unwrap_or(d.len());
    Some(String::from_utf8_lossy(&d[..nul]).into_owned())
}

fn blob_u32(blob: &[u8], tag: u32) -> Option<u32> {
    Some(u32::from_be_bytes(
        blob_tag(blob, tag)?[..4].try_into().unwrap(),
    ))
}

fn blob_nevra(blob: &[u8]) -> String {
    format!(
        "{}-{}-{}.{}",
        blob_string(blob, 1000).unwrap(),
        blob_string(blob, 1001).unwrap(),
        blob_string(blob, 1002).unwrap(),
        blob_string(blob, 1022).unwrap()
    )
}

/// Everything in a database file: schema, Packages rows, every index row
/// (in insertion order) and sqlite_sequence.
/// (typeof(key), key bytes, hnum, idx) in insertion order.
type IndexRows = Vec<(String, Vec<u8>, i64, i64)>;

#[derive(Debug, PartialEq)]
struct DbDump {
    schema: Vec<(String, String, String)>,
    packages: Vec<(i64, Vec<u8>)>,
    indexes: BTreeMap<String, IndexRows>,
    sequence: Vec<(String, i64)>,
}

fn dump_db(db: &Path) -> DbDump {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut schema = Vec::new();
    let mut st = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY rowid")
        .unwrap();
    let mut rows = st.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let name: String = r.get(1).unwrap();
        // rpm's `PRAGMA optimize` at close adds statistics; not schema.
        if name.starts_with("sqlite_stat") {
            continue;
        }
        schema.push((
            r.get(0).unwrap(),
            name,
            r.get::<_, Option<String>>(2).unwrap().unwrap_or_default(),
        ));
    }
    let packages = conn
        .prepare("SELECT hnum, blob FROM Packages ORDER BY hnum")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let mut indexes = BTreeMap::new();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'Packages' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in tables {
        let mut st = conn
            .prepare(&format!(
                "SELECT typeof(key), CAST(key AS BLOB), hnum, idx FROM '{table}' ORDER BY rowid"
            ))
            .unwrap();
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        indexes.insert(table, rows);
    }
    let sequence = conn
        .prepare("SELECT name, seq FROM sqlite_sequence")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    DbDump {
        schema,
        packages,
        indexes,
        sequence,
    }
}

/// Install `paths` with the real `rpm -i --justdb --nodeps` into a fresh
/// root, then write our own database for the same packages, in rpm's
/// order and with rpm's transaction values: (ours, rpm's).
fn justdb_pair(
    home: &Path,
    work: &Path,
    label: &str,
    paths: &[PathBuf],
    extra: &[&str],
) -> (DbDump, DbDump) {
    let real_root = work.join(format!("{label}-rpm"));
    std::fs::create_dir_all(&real_root).unwrap();
    let mut args = vec!["-i", "--justdb", "--nodeps", "--noscripts", "--notriggers"];
    args.extend_from_slice(extra);
    let path_strs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(path_strs.iter().map(String::as_str));
    let out = rpm(home, &real_root, &args);
    assert!(out.ok, "{label}: rpm -i --justdb failed: {}", out.stderr);
    // rpm checkpoints its WAL on close; read its database as it is.
    let real = dump_db(&db_path(&real_root));
    assert_eq!(
        real.packages.len(),
        paths.len(),
        "{label}: rpm installed a different number of packages"
    );

    // Our input: the same packages in rpm's hnum order.
    let metas = open_all(paths);
    let by_nevra: BTreeMap<String, &rpm::PackageMetadata> =
        metas.iter().map(|m| (nevra_of(m), m)).collect();
    let ordered: Vec<InstalledPackage<'_>> = real
        .packages
        .iter()
        .map(|(_, blob)| InstalledPackage::new(by_nevra[&blob_nevra(blob)]))
        .collect();
    let first = &real.packages[0].1;
    let tx = Transaction {
        install_time: blob_u32(first, 1008).unwrap(),
        tid: blob_u32(first, 1128).unwrap(),
        color: blob_u32(first, 1127).unwrap(),
        key_order: KeyByteOrder::Little,
    };
    let our_root = work.join(format!("{label}-ours"));
    std::fs::create_dir_all(our_root.join("var/lib/rpm")).unwrap();
    write_rpmdb_with(&db_path(&our_root), &ordered, &tx).unwrap();
    let ours = dump_db(&db_path(&our_root));

    (ours, real)
}

/// [`justdb_pair`], and require both databases to hold exactly the same
/// rows (blobs byte for byte).
fn compare_with_rpm_justdb(
    home: &Path,
    work: &Path,
    label: &str,
    paths: &[PathBuf],
    extra: &[&str],
) {
    let (ours, real) = justdb_pair(home, work, label, paths, extra);
    assert_same_db(label, &ours, &real);
}

/// Exactly the same rows (blobs byte for byte); the first difference named.
fn assert_same_db(label: &str, ours: &DbDump, real: &DbDump) {
    assert_eq!(ours.schema, real.schema, "{label}: schema differs");
    assert_eq!(
        ours.sequence, real.sequence,
        "{label}: sqlite_sequence differs"
    );
    for ((hn_o, blob_o), (hn_r, blob_r)) in ours.packages.iter().zip(&real.packages) {
        assert_eq!(hn_o, hn_r);
        if blob_o != blob_r {
            panic!(
                "{label}: blob of {} differs from rpm's: ours {} bytes, rpm {} bytes, first difference at byte {:?}",
                blob_nevra(blob_r),
                blob_o.len(),
                blob_r.len(),
                blob_o.iter().zip(blob_r).position(|(a, b)| a != b)
            );
        }
    }
    assert_eq!(
        ours.indexes.keys().collect::<Vec<_>>(),
        real.indexes.keys().collect::<Vec<_>>(),
        "{label}: index tables"
    );
    for (table, rows) in &real.indexes {
        assert_eq!(&ours.indexes[table], rows, "{label}: index {table} differs");
    }
    assert_eq!(ours, real, "{label}: databases differ");
}

#[test]
fn identical_to_rpm_justdb_for_built_packages() {
    need!("identical_to_rpm_justdb_for_built_packages", have_rpm());
    let work = tempfile::tempdir().unwrap();
    let pkgs = work.path().join("pkgs");
    std::fs::create_dir_all(&pkgs).unwrap();
    let paths = build_test_packages(&pkgs);
    compare_with_rpm_justdb(work.path(), work.path(), "built", &paths, &[]);
}

/// Every rule of rpm's rich-dependency index keys, byte for byte.
#[test]
fn identical_to_rpm_justdb_for_rich_dependencies() {
    let t = "identical_to_rpm_justdb_for_rich_dependencies";
    need!(t, have_rpm());
    let work = tempfile::tempdir().unwrap();
    let paths = vec![build_rich_package(work.path())];
    let (ours, real) = justdb_pair(work.path(), work.path(), "rich", &paths, &[]);
    // The package reached rpm's parser: negated and else-duplicated keys.
    let keys = |table: &str| -> BTreeSet<Vec<u8>> {
        real.indexes[table].iter().map(|r| r.1.clone()).collect()
    };
    let req = keys("Requirename");
    for k in [
        "!req-cond",
        "!ie-cond1",
        "ie-cond2",
        "ie-cond1",
        "!ie-cond2",
        "rpmlib(",
        "café",
    ] {
        assert!(req.contains(k.as_bytes()), "rpm indexed no {k:?}");
    }
    assert!(!req.iter().any(|k| k.starts_with(b"rpmlib(Rich")));
    assert!(keys("Recommendname").contains(&b"!rec-b"[..]));
    assert!(!keys("Providename").contains(&b"prov-a"[..]));
    assert_same_db("rich", &ours, &real);
}

/// `(a else b)`: rpm's parser takes `else` without `if` (rpm then reads it as
/// `a`), the dependency grammar does not, having no AST node for it. The
/// only consequence here: rpm indexes three more keys for it (`a`, and `!a`
/// `!b` from copying "the condition"); rootsmith indexes the whole string
/// only. This pins that known difference down.
#[test]
fn else_without_if_is_indexed_whole_known_difference() {
    let t = "else_without_if_is_indexed_whole_known_difference";
    need!(t, have_rpm());
    let work = tempfile::tempdir().unwrap();
    let pkg = PackageBuilder::new("elsedep", "1.0", "MIT", "noarch", "else without if")
        .using_config(
            BuildConfig::v4()
                .source_date(SOURCE_DATE)
                .compression(CompressionType::Gzip),
        )
        .release("1")
        .requires(Dependency::any("(else-a else else-b)"))
        .build()
        .unwrap()
        .write_to(work.path())
        .expect("write package");
    let (ours, real) = justdb_pair(work.path(), work.path(), "else", &[pkg], &[]);
    let rows = |d: &DbDump| -> Vec<Vec<u8>> {
        d.indexes["Requirename"]
            .iter()
            .map(|r| r.1.clone())
            .collect()
    };
    let (ours_keys, real_keys) = (rows(&ours), rows(&real));
    assert_eq!(ours_keys, [b"(else-a else else-b)".to_vec()]);
    assert_eq!(real_keys[0], ours_keys[0]);
    let extra: BTreeSet<&[u8]> = real_keys[1..].iter().map(Vec::as_slice).collect();
    let want: BTreeSet<&[u8]> = [&b"else-a"[..], b"!else-a", b"!else-b"]
        .into_iter()
        .collect();
    assert_eq!(extra, want, "rpm's extra keys for else without if changed");
    // Everything else agrees.
    assert_eq!(ours.packages, real.packages);
    for (table, rows) in &real.indexes {
        if table != "Requirename" {
            assert_eq!(&ours.indexes[table], rows, "{table}");
        }
    }
}

/// The fixture packages rpm installs, each compared on its own (several
/// share a NEVRA). Returns the fixtures that were compared.
#[test]
fn identical_to_rpm_justdb_for_fixture_packages() {
    need!("identical_to_rpm_justdb_for_fixture_packages", have_rpm());
    let fixtures = need!("identical_to_rpm_justdb_for_fixture_packages", fixtures());
    let work = tempfile::tempdir().unwrap();
    let mut compared = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for (i, path) in names.iter().enumerate() {
        let label = format!("fx{i}");
        // Does real rpm accept it at all?
        let probe = work.path().join(format!("{label}-probe"));
        std::fs::create_dir_all(&probe).unwrap();
        let flags = ["--nosignature", "--nodigest", "--ignorearch", "--ignoreos"];
        let mut args = vec!["-i", "--justdb", "--nodeps", "--noscripts", "--notriggers"];
        args.extend_from_slice(&flags);
        let p = path.display().to_string();
        args.push(&p);
        let out = rpm(work.path(), &probe, &args);
        let ours = rpm::PackageMetadata::open(path);
        if !out.ok {
            println!(
                "fixture {}: rejected by rpm ({}), skipped",
                path.display(),
                out.stderr.trim()
            );
            continue;
        }
        let md = match ours {
            Ok(md) => md,
            Err(e) => {
                println!(
                    "fixture {}: rpm crate cannot parse it ({e}), skipped",
                    path.display()
                );
                continue;
            }
        };
        let tx = Transaction::for_arch("x86_64", SOURCE_DATE);
        if let Err(e) = installed_header_blob(&InstalledPackage::new(&md), &tx) {
            // Only v3 packages (no immutable region) may be refused.
            assert!(
                e.to_string().contains("v3 packages are not supported"),
                "{}: unexpected refusal: {e}",
                path.display()
            );
            println!("fixture {}: refused as expected: {e}", path.display());
            continue;
        }
        compare_with_rpm_justdb(
            work.path(),
            work.path(),
            &label,
            std::slice::from_ref(path),
            &flags,
        );
        compared.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
    println!("byte-identical to rpm --justdb: {compared:?}");
    for must in [
        "hello-2.0-1.x86_64.rpm",
        "foo-1.0-1.noarch.rpm",
        "capstest-1.0-1.noarch.rpm",
    ] {
        assert!(
            compared.iter().any(|c| c == must),
            "{must} was not compared"
        );
    }
}

/// Extract a package's files into `root` with the header's modes and
/// mtimes (owners are root already), so `rpm -V` can check them.
fn extract(path: &Path, root: &Path) {
    let mut reader = rpm::PackageReader::open(path).unwrap();
    while let Some(mut f) = reader.next_file().unwrap() {
        let entry = f.metadata.clone();
        let rel = entry.path();
        let dest = root.join(rel.strip_prefix("/").unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        let mode: u16 = entry.mode().into();
        let perms = std::fs::Permissions::from_mode(u32::from(mode & 0o7777));
        match mode & 0o170000 {
            0o040000 => {
                std::fs::create_dir_all(&dest).unwrap();
                std::fs::set_permissions(&dest, perms).unwrap();
            }
            0o120000 => {
                std::os::unix::fs::symlink(entry.linkto().unwrap(), &dest).unwrap();
            }
            0o100000 => {
                let mut content = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut content).unwrap();
                let mut out = std::fs::File::create(&dest).unwrap();
                out.write_all(&content).unwrap();
                out.set_permissions(perms).unwrap();
                let mtime = std::time::UNIX_EPOCH
                    + std::time::Duration::from_secs(u64::from(entry.modified_at().0));
                out.set_modified(mtime).unwrap();
            }
            other => panic!("unexpected file type {other:o} in test package"),
        }
    }
}

#[test]
fn real_rpm_reads_our_database() {
    need!("real_rpm_reads_our_database", have_rpm());
    let work = tempfile::tempdir().unwrap();
    let home = work.path();
    let pkgs = work.path().join("pkgs");
    std::fs::create_dir_all(&pkgs).unwrap();
    let paths = build_test_packages(&pkgs);
    let metas = open_all(&paths);
    let root = work.path().join("root");
    std::fs::create_dir_all(root.join("var/lib/rpm")).unwrap();
    for p in &paths {
        extract(p, &root);
    }
    let list: Vec<InstalledPackage<'_>> = metas.iter().map(InstalledPackage::new).collect();
    write_rpmdb(&db_path(&root), &list, "x86_64", SOURCE_DATE + 100).unwrap();

    let q = |args: &[&str]| rpm(home, &root, args);
    let nevras = |args: &[&str]| {
        // %{NEVRA} shows the epoch; compare name-version-release.arch.
        let mut a = vec!["-q", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"];
        a.extend_from_slice(args);
        let out = q(&a);
        (out.ok, lines(&out.stdout))
    };

    // -qa: exactly the set.
    let all = set(&[
        "alpha-1.0-1.x86_64",
        "beta-1.2-3.fc40.noarch",
        "gamma-0.9-1.x86_64",
        "shell-5.2-1.x86_64",
    ]);
    assert_eq!(nevras(&["-a"]), (true, all.clone()));

    // -q NAME (Name index) for each, and a miss.
    for m in &metas {
        assert_eq!(
            nevras(&[m.get_name().unwrap()]),
            (true, set(&[&nevra_of(m)]))
        );
    }
    let miss = q(&["-q", "nosuchpackage"]);
    assert!(!miss.ok && (miss.stdout + &miss.stderr).contains("not installed"));

    // -qf PATH (Basenames + Dirnames) for every file of every package.
    for m in &metas {
        for f in m.get_file_paths().unwrap() {
            let f = f.display().to_string();
            assert_eq!(nevras(&["-f", &f]), (true, set(&[&nevra_of(m)])), "-qf {f}");
        }
    }
    let nf = q(&["-qf", "/usr/bin/nonexistent"]);
    assert!(
        !nf.ok && nf.stdout.is_empty(),
        "{} {}",
        nf.stdout,
        nf.stderr
    );

    // Other indexes.
    assert_eq!(
        nevras(&["--whatprovides", "alpha-api"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    assert_eq!(
        nevras(&["--whatprovides", "beta-extras"]),
        (true, set(&["beta-1.2-3.fc40.noarch"]))
    );
    assert_eq!(
        nevras(&["--whatprovides", "/usr/bin/fakesh"]),
        (true, set(&["shell-5.2-1.x86_64"]))
    );
    assert_eq!(
        nevras(&["--whatrequires", "alpha-api"]),
        (true, set(&["alpha-1.0-1.x86_64", "beta-1.2-3.fc40.noarch"]))
    );
    assert_eq!(
        nevras(&["--whatrequires", "beta"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    // Rich dependency parts are indexed too.
    assert_eq!(
        nevras(&["--whatrequires", "gamma"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    // Requires(pre)+Requires(postun) is kept (needed on erase).
    assert_eq!(
        nevras(&["--whatrequires", "coreutils"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    assert_eq!(
        nevras(&["--whatrecommends", "beta-extras"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    assert_eq!(
        nevras(&["--whatsuggests", "zeta"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    assert_eq!(
        nevras(&["--whatsupplements", "alpha-support"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    assert_eq!(
        nevras(&["--whatenhances", "gamma"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    assert_eq!(
        nevras(&["--whatconflicts", "oldalpha"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    assert_eq!(
        nevras(&["--whatobsoletes", "alpha-legacy"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    // Triggers: -q --triggeredby uses the Triggername index.
    assert_eq!(
        nevras(&["--triggeredby", "alpha"]),
        (true, set(&["gamma-0.9-1.x86_64"]))
    );
    // Group index.
    assert_eq!(
        nevras(&["-g", "Applications/Test"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    // Sha1header (hdrid) index; packages built by the rpm crate carry no
    // MD5 digest, so Sigmd5 (--pkgid) is checked with the fixtures.
    let alpha = &metas[0];
    let hdrid = alpha
        .signature
        .get_entry_data_as_string(rpm::IndexSignatureTag::RPMSIGTAG_SHA1)
        .unwrap()
        .to_owned();
    assert_eq!(
        nevras(&["--hdrid", &hdrid]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );
    // Installtid index.
    let tid = (SOURCE_DATE + 100).to_string();
    assert_eq!(nevras(&["--tid", &tid]), (true, all.clone()));

    // -qi shows the header and the install time we recorded.
    let qi = q(&["-qi", "alpha"]);
    assert!(qi.ok, "{}", qi.stderr);
    assert!(qi.stdout.contains("Name        : alpha"), "{}", qi.stdout);
    assert!(qi.stdout.contains("Install Date:"), "{}", qi.stdout);
    let it = q(&[
        "-q",
        "--qf",
        "%{INSTALLTIME} %{INSTALLTID} %{INSTALLCOLOR} [%{FILESTATES}]\\n",
        "alpha",
    ]);
    let nfiles = alpha.get_file_paths().unwrap().len();
    assert_eq!(
        it.stdout.trim(),
        format!("{0} {0} 3 {1}", SOURCE_DATE + 100, "0".repeat(nfiles))
    );
    // File states: -qs reports normal files.
    let qs = q(&["-qs", "alpha"]);
    assert!(
        qs.ok && qs.stdout.lines().all(|l| l.starts_with("normal")),
        "{}",
        qs.stdout
    );
    // %config is visible through the header.
    let qc = q(&["-qc", "alpha"]);
    assert_eq!(lines(&qc.stdout), set(&["/etc/alpha.conf"]));

    // rpm -Va: files, and dependencies resolved through the indexes.
    let v = q(&["-Va"]);
    assert!(v.ok, "rpm -Va failed:\n{}\n{}", v.stdout, v.stderr);
    assert_eq!(v.stdout.trim(), "", "rpm -Va reported differences");
    // ...and it notices a changed file.
    std::fs::write(root.join("usr/share/alpha/data.txt"), "changed!!!\n").unwrap();
    let v = q(&["-V", "alpha"]);
    assert!(
        !v.ok && v.stdout.contains("/usr/share/alpha/data.txt"),
        "{}",
        v.stdout
    );

    // sqlite-level checks rpm does.
    let vd = q(&["--verifydb"]);
    assert!(vd.ok, "rpm --verifydb: {}", vd.stderr);

    // --rebuilddb reads every header back and rewrites the indexes.
    let rb = q(&["--rebuilddb"]);
    assert!(rb.ok, "rpm --rebuilddb: {}", rb.stderr);
    assert_eq!(nevras(&["-a"]), (true, all.clone()));
    assert_eq!(
        nevras(&["-f", "/usr/bin/alpha-link"]),
        (true, set(&["alpha-1.0-1.x86_64"]))
    );

    // rpm can keep using the database: install and erase on top of it.
    let delta = PackageBuilder::new("delta", "1.0", "MIT", "x86_64", "added later")
        .using_config(BuildConfig::v4().source_date(SOURCE_DATE))
        .release("1")
        .with_file_contents(
            "d\n",
            FileOptions::new("/usr/share/delta/d.txt").permissions(0o644),
        )
        .unwrap()
        .build()
        .unwrap()
        .write_to(&pkgs)
        .unwrap();
    let d = delta.display().to_string();
    let add = q(&["-i", "--justdb", "--nodeps", &d]);
    assert!(add.ok, "rpm -i on our db: {}", add.stderr);
    let del = q(&["-e", "--justdb", "--nodeps", "gamma"]);
    assert!(del.ok, "rpm -e on our db: {}", del.stderr);
    let mut after = all.clone();
    after.remove("gamma-0.9-1.x86_64");
    after.insert("delta-1.0-1.x86_64".into());
    assert_eq!(nevras(&["-a"]), (true, after));
    assert_eq!(
        nevras(&["-f", "/usr/share/delta/d.txt"]),
        (true, set(&["delta-1.0-1.x86_64"]))
    );
    let hnum = q(&["-q", "--qf", "%{DBINSTANCE}\\n", "delta"]);
    assert_eq!(
        hnum.stdout.trim(),
        "5",
        "new package continues the hnum sequence"
    );
}

#[test]
fn real_rpm_reads_fixture_packages() {
    need!("real_rpm_reads_fixture_packages", have_rpm());
    let names = [
        "hello-2.0-1.x86_64.rpm",
        "foo-1.0-1.noarch.rpm",
        "capstest-1.0-1.noarch.rpm",
        "imatest-1.0-1.fc34.noarch.rpm",
    ];
    let fixtures = need!("real_rpm_reads_fixture_packages", fixtures());
    let work = tempfile::tempdir().unwrap();
    let metas: Vec<_> = names
        .iter()
        .map(|n| rpm::PackageMetadata::open(fixtures.join(n)).unwrap())
        .collect();
    let root = work.path().join("root");
    std::fs::create_dir_all(root.join("var/lib/rpm")).unwrap();
    let list: Vec<_> = metas.iter().map(InstalledPackage::new).collect();
    write_rpmdb(&db_path(&root), &list, "x86_64", SOURCE_DATE).unwrap();

    let q = |args: &[&str]| rpm(work.path(), &root, args);
    let out = q(&["-qa", "--qf", "%{NEVRA}\\n"]);
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(
        lines(&out.stdout),
        set(&[
            "hello-2.0-1.x86_64",
            "foo-1.0-1.noarch",
            "capstest-1.0-1.noarch",
            "test-1.0-1.fc34.noarch"
        ])
    );
    for (f, owner) in [
        ("/usr/bin/hello", "hello-2.0-1.x86_64"),
        ("/usr/share/doc/hello-2.0/README", "hello-2.0-1.x86_64"),
        ("/a/emptyCaps1", "capstest-1.0-1.noarch"),
        ("/usr/share/example1", "test-1.0-1.fc34.noarch"),
    ] {
        let out = q(&["-qf", "--qf", "%{NEVRA}\\n", f]);
        assert_eq!(
            (out.ok, out.stdout.trim()),
            (true, owner),
            "-qf {f}: {}",
            out.stderr
        );
    }
    let out = q(&["-q", "--qf", "%{NEVRA}\\n", "foo"]);
    assert_eq!(out.stdout.trim(), "foo-1.0-1.noarch");
    // Sigmd5 index (--pkgid) from the signature header's MD5.
    let pkgid: String = metas[0]
        .signature
        .get_entry_data_as_binary(rpm::IndexSignatureTag::RPMSIGTAG_MD5)
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let out = q(&["-q", "--qf", "%{NEVRA}\\n", "--pkgid", &pkgid]);
    assert_eq!(out.stdout.trim(), "hello-2.0-1.x86_64", "{}", out.stderr);
    let out = q(&["-qi", "hello"]);
    assert!(
        out.ok && out.stdout.contains("Relocations : /usr"),
        "{}",
        out.stdout
    );
    let rb = q(&["--rebuilddb"]);
    assert!(rb.ok, "{}", rb.stderr);
}

#[test]
fn output_is_reproducible_and_leaves_no_side_files() {
    let work = tempfile::tempdir().unwrap();
    let pkgs = work.path().join("pkgs");
    std::fs::create_dir_all(&pkgs).unwrap();
    let paths = build_test_packages(&pkgs);
    let metas = open_all(&paths);
    let list: Vec<_> = metas.iter().map(InstalledPackage::new).collect();

    let a = work.path().join("a/rpmdb.sqlite");
    let b = work.path().join("b/rpmdb.sqlite");
    std::fs::create_dir_all(a.parent().unwrap()).unwrap();
    std::fs::create_dir_all(b.parent().unwrap()).unwrap();
    write_rpmdb(&a, &list, "x86_64", 1234).unwrap();
    // b is written over a stale database that has WAL side files.
    std::fs::write(&b, b"garbage").unwrap();
    std::fs::write(b.with_file_name("rpmdb.sqlite-wal"), b"stale").unwrap();
    std::fs::write(b.with_file_name("rpmdb.sqlite-shm"), b"stale").unwrap();
    write_rpmdb(&b, &list, "x86_64", 1234).unwrap();
    let (da, db) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert!(da == db, "same input gave different files");
    for dir in [a.parent().unwrap(), b.parent().unwrap()] {
        let names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["rpmdb.sqlite"],
            "side files left in {}",
            dir.display()
        );
    }
    // Rollback journal mode in the file header (bytes 18/19 = 1, WAL = 2).
    assert_eq!(&da[18..20], &[1, 1]);
    let conn = rusqlite::Connection::open(&a).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    let ic: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ic, "ok");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
    // Rows in the given order.
    let names: Vec<String> = conn
        .prepare("SELECT key FROM Name ORDER BY hnum")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names, ["alpha", "beta", "gamma", "shell"]);
    drop(conn);

    // A different install time changes the file.
    write_rpmdb(&b, &list, "x86_64", 1235).unwrap();
    assert!(std::fs::read(&b).unwrap() != da);
}

#[test]
fn errors_name_the_package() {
    let work = tempfile::tempdir().unwrap();
    let paths = build_test_packages(work.path());
    let md = rpm::PackageMetadata::open(&paths[0]).unwrap();
    let states = [0u8; 2];
    let pkg = InstalledPackage {
        metadata: &md,
        file_states: Some(&states),
    };
    let err = write_rpmdb(&work.path().join("x.sqlite"), &[pkg], "x86_64", 1).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("alpha-1.0-1.x86_64") && msg.contains("file states"),
        "{msg}"
    );
    assert!(!work.path().join("x.sqlite").exists());

    let v3 = need!("errors_name_the_package", fixtures()).join("hello-1.0-1.x86_64.rpm-v3");
    let md = rpm::PackageMetadata::open(&v3).unwrap_or_else(|e| panic!("{}: {e}", v3.display()));
    let err = write_rpmdb(
        &work.path().join("y.sqlite"),
        &[InstalledPackage::new(&md)],
        "x86_64",
        1,
    )
    .unwrap_err();
    assert!(err.to_string().contains("hello-1.0-1.x86_64"), "{err}");
}

#[test]
fn explicit_file_states_are_stored() {
    need!("explicit_file_states_are_stored", have_rpm());
    let work = tempfile::tempdir().unwrap();
    let paths = build_test_packages(work.path());
    let md = rpm::PackageMetadata::open(&paths[0]).unwrap();
    let n = md.get_file_paths().unwrap().len();
    let mut states = vec![file_state::NORMAL; n];
    // The doc file was not installed (--excludedocs).
    let doc = md
        .get_file_paths()
        .unwrap()
        .iter()
        .position(|p| p.ends_with("README"))
        .unwrap();
    states[doc] = file_state::NOTINSTALLED;
    let root = work.path().join("root");
    std::fs::create_dir_all(root.join("var/lib/rpm")).unwrap();
    let pkg = InstalledPackage {
        metadata: &md,
        file_states: Some(&states),
    };
    write_rpmdb(&db_path(&root), &[pkg], "x86_64", 5).unwrap();
    let out = rpm(work.path(), &root, &["-qs", "alpha"]);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("not installed") && l.ends_with("README")),
        "{}",
        out.stdout
    );
}
