//! The metadata reader against real CentOS Stream 9 repositories from ../shared/fixtures,
//! with expected counts computed by reading the same files with zcat/grep-free Python.

use std::path::{Path, PathBuf};
use std::process::Command;

use rootsmith::repo::{load_pool, load_repo, RepoSource};

fn fixture(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/repos").join(name);
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("NOT RUN: {} is missing", p.display());
        None
    }
}

/// Count packages per arch with Python's own XML parser, independent of ours.
fn python_counts(repo: &Path) -> Option<String> {
    let script = r#"
import sys, gzip, glob, xml.etree.ElementTree as ET
f = glob.glob(sys.argv[1] + '/repodata/*-primary.xml.gz')[0]
ns = {'c': 'http://linux.duke.edu/metadata/common'}
root = ET.parse(gzip.open(f)).getroot()
pk = [p for p in root.findall('c:package', ns) if p.find('c:arch', ns).text in ('x86_64', 'noarch')]
files = sum(len(p.findall('c:format/c:file', ns)) for p in pk)
prov = sum(len(p.findall('c:format/{http://linux.duke.edu/metadata/rpm}provides/{http://linux.duke.edu/metadata/rpm}entry', ns)) for p in pk)
print(len(pk), files, prov)
"#;
    let out = Command::new("python3").arg("-c").arg(script).arg(repo).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn cs9_baseos_matches_python_reading() {
    let Some(root) = fixture("cs9-baseos-2022") else { return };
    let source = RepoSource { name: "baseos".into(), baseurl: root.display().to_string() };
    let repo = load_repo(&source, "x86_64").expect("BaseOS loads");
    let files: usize = repo.packages.iter().map(|p| p.files.len()).sum();
    let provides: usize = repo.packages.iter().map(|p| p.provides.len()).sum();
    let ours = format!("{} {} {}", repo.packages.len(), files, provides);
    match python_counts(&root) {
        Some(theirs) => assert_eq!(ours, theirs, "packages files provides"),
        None => eprintln!("NOT RUN: python3 comparison"),
    }
    let core = repo.groups.iter().find(|g| g.id == "core").expect("comps has @core");
    assert!(core.mandatory.iter().any(|p| p == "bash"));
    let bash = repo.packages.iter().find(|p| p.name == "bash").unwrap();
    assert_eq!(bash.nevra(), "bash-5.1.8-2.el9.x86_64");
    assert!(bash.location.starts_with("Packages/"));
}

#[test]
fn appstream_and_baseos_pool() {
    let (Some(base), Some(app)) = (fixture("cs9-baseos-2022"), fixture("cs9-appstream-2025")) else { return };
    let sources = [
        RepoSource { name: "baseos".into(), baseurl: format!("file://{}", base.display()) },
        RepoSource { name: "appstream".into(), baseurl: base.join("../cs9-appstream-2025").display().to_string() },
    ];
    let _ = app;
    let t = std::time::Instant::now();
    let pool = load_pool(&sources, "x86_64").expect("pool loads");
    eprintln!("loaded {} packages in {:?}", pool.packages.len(), t.elapsed());
    assert!(pool.packages.len() > 15_000);
    assert!(!pool.providers(&rootsmith::evr::Dep::unversioned("/bin/sh")).is_empty());
}
