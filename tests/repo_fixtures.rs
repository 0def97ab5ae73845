//! The metadata reader against real CentOS Stream 9 repositories from
//! `../shared/fixtures`: every package, dependency and file as Python's own
//! XML parser reads them, and the pool's providers as libsolv computes them.

mod support;

use std::collections::BTreeSet;

use rootsmith::repo::{load_repo, RepoSource, Store};
use rootsmith::rpm::{Dep, DepKind};
use support::fixtures::{fixture_pool, python3_solv, run_python, shared_fixture};

/// One line per x86_64/noarch package: NEVRA, each dependency list (a
/// requirement marked `pre` prefixed `^`) and its files, read with Python's
/// ElementTree, independent of our reader.
const ELEMENTTREE_READING: &str = r#"
import sys, gzip, glob, json, xml.etree.ElementTree as ET
job = json.load(sys.stdin)
f = glob.glob(job["repo"] + '/repodata/*-primary.xml.gz')[0]
c = '{http://linux.duke.edu/metadata/common}'
r = '{http://linux.duke.edu/metadata/rpm}'
out = []
for p in ET.parse(gzip.open(f)).getroot().findall(c + 'package'):
    arch = p.find(c + 'arch').text
    if arch not in ('x86_64', 'noarch'):
        continue
    v = p.find(c + 'version')
    epoch = v.get('epoch', '0')
    evr = ('' if epoch == '0' else epoch + ':') + v.get('ver') + '-' + v.get('rel')
    ops = {'LT': '<', 'LE': '<=', 'EQ': '=', 'GE': '>=', 'GT': '>'}
    lists = []
    for kind in ('requires', 'provides', 'conflicts', 'obsoletes', 'recommends', 'suggests', 'supplements', 'enhances'):
        deps = []
        for e in p.findall(c + 'format/' + r + kind + '/' + r + 'entry'):
            s = e.get('name')
            if e.get('flags'):
                pe = e.get('epoch', '0')
                ev = ('' if pe in ('0', None) else pe + ':') + e.get('ver', '') + ('-' + e.get('rel') if e.get('rel') is not None else '')
                s += ' ' + ops[e.get('flags')] + ' ' + ev
            if e.get('pre') in ('1', 'true'):
                s = '^' + s
            deps.append(s)
        lists.append(','.join(sorted(deps)))
    files = [x.text for x in p.findall(c + 'format/' + c + 'file')]
    out.append('%s-%s.%s|%s|%s' % (p.find(c + 'name').text, evr, arch, '|'.join(lists), ','.join(sorted(files))))
json.dump(sorted(out), sys.stdout)
"#;

#[test]
fn cs9_baseos_matches_elementtree_reading() {
    let t = "cs9_baseos_matches_elementtree_reading";
    let root = need!(t, shared_fixture("repos/cs9-baseos-2022"));
    let source = RepoSource::new("baseos", root.display().to_string());
    let arch = rootsmith::rpm::ArchPolicy::new("x86_64", false).expect("a known arch");
    let repo = load_repo(&Store::default(), &source, &arch).expect("BaseOS loads");
    let kinds = DepKind::ALL;
    let mut ours: Vec<String> = (0..repo.packages.len())
        .map(|i| {
            let p = &repo.packages.packages[i];
            let lists: Vec<String> = kinds
                .iter()
                .map(|&kind| {
                    let mut deps: Vec<String> = repo
                        .packages
                        .deps(i, kind)
                        .map(|(d, pre)| format!("{}{d}", if pre { "^" } else { "" }))
                        .collect();
                    deps.sort();
                    deps.join(",")
                })
                .collect();
            let mut files = p.files.clone();
            files.sort();
            format!("{}|{}|{}", p.nevra(), lists.join("|"), files.join(","))
        })
        .collect();
    ours.sort();
    let theirs: Vec<String> = serde_json::from_value(run_python(
        ELEMENTTREE_READING,
        &serde_json::json!({ "repo": root }),
    ))
    .unwrap();
    assert_eq!(ours.len(), theirs.len(), "package count");
    let differ: Vec<_> = ours
        .iter()
        .zip(&theirs)
        .filter(|(a, b)| a != b)
        .take(5)
        .collect();
    assert!(differ.is_empty(), "rootsmith vs ElementTree: {differ:#?}");

    let core = repo
        .comps
        .groups
        .iter()
        .find(|g| g.id == "core")
        .expect("comps has @core");
    assert!(core.mandatory.iter().any(|p| p == "bash"));
    assert!(repo
        .packages
        .packages
        .iter()
        .all(|p| p.location.starts_with("Packages/")));
}

/// NEVRAs of the x86_64/noarch packages, and the providers of a few
/// capabilities, as libsolv reads the same primary files.
const LIBSOLV_READING: &str = r#"
import sys, json, solv
job = json.load(sys.stdin)
pool = solv.Pool()
pool.setdisttype(solv.Pool.DISTTYPE_RPM)
pool.setarch("x86_64")
for i, path in enumerate(job["primary"]):
    repo = pool.add_repo("r%d" % i)
    f = solv.xfopen(path)
    repo.add_rpmmd(f, None)
    f.close()
pool.addfileprovides()
pool.createwhatprovides()
keep = lambda s: s.arch in ("x86_64", "noarch")
nevras = sorted(s.str() for s in pool.solvables_iter() if keep(s))
providers = {c: sorted(s.str() for s in pool.whatprovides(pool.Dep(c)) if keep(s)) for c in job["capabilities"]}
json.dump({"nevras": nevras, "providers": providers}, sys.stdout)
"#;

#[test]
fn appstream_and_baseos_pool_matches_libsolv() {
    let t = "appstream_and_baseos_pool_matches_libsolv";
    need!(t, python3_solv());
    let f = need!(t, fixture_pool(&["cs9-baseos-2022", "cs9-appstream-2025"]));
    let capabilities = [
        "/bin/sh",
        "libc.so.6()(64bit)",
        "python3",
        "java-headless",
        "perl(strict)",
    ];
    let job = serde_json::json!({ "primary": f.primaries, "capabilities": capabilities });
    let theirs = run_python(LIBSOLV_READING, &job);
    let strings = |v: &serde_json::Value| -> BTreeSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let ours: BTreeSet<String> = f.pool.packages.iter().map(|p| p.nevra()).collect();
    let want = strings(&theirs["nevras"]);
    let only_ours: Vec<_> = ours.difference(&want).take(5).collect();
    let only_libsolv: Vec<_> = want.difference(&ours).take(5).collect();
    assert!(
        only_ours.is_empty() && only_libsolv.is_empty(),
        "only ours {only_ours:?}, only libsolv {only_libsolv:?}"
    );
    for cap in capabilities {
        let ours: BTreeSet<String> = f
            .pool
            .providers(&Dep::parse(cap).expect("a valid dependency"))
            .iter()
            .map(|&id| f.pool.get(id).nevra())
            .collect();
        assert_eq!(
            ours,
            strings(&theirs["providers"][cap]),
            "providers of {cap}"
        );
    }
}
