//! The kickstart reader against pykickstart, the reference parser: the same
//! package, group and exclusion sets and the same repos for every kickstart here.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use rootsmith::config::Kickstart;
use serde_json::{json, Value};
use support::*;

const PYKICKSTART: &str = r#"
import sys, json
from pykickstart.parser import KickstartParser
from pykickstart.version import makeVersion
p = KickstartParser(makeVersion(), missingIncludeIsFatal=True)
p.readKickstart(sys.argv[1])
pk = p.handler.packages
print(json.dumps({
  "packages": sorted(pk.packageList),
  "groups": sorted(g.name for g in pk.groupList),
  "excluded_packages": sorted(pk.excludedList),
  "excluded_groups": sorted(g.name for g in pk.excludedGroupList),
  "exclude_weakdeps": bool(pk.excludeWeakdeps),
  "environment": pk.environment,
  "repos": sorted([r.name, *next([k, getattr(r, k)] for k in ("baseurl", "mirrorlist", "metalink") if getattr(r, k)), r.cost] for r in p.handler.repo.dataList()),
}))
"#;

fn venv_python() -> PathBuf {
    support::venv_bin("python")
}

fn pykickstart(path: &Path) -> Value {
    let out = Command::new(venv_python())
        .arg("-c")
        .arg(PYKICKSTART)
        .arg(path)
        .output()
        .expect("run pykickstart");
    assert!(
        out.status.success(),
        "pykickstart failed on {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("pykickstart json")
}

fn ours(path: &Path) -> Value {
    let ks = Kickstart::load(path).expect("rootsmith reads the kickstart");
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    let mut repos: Vec<Value> = ks
        .repos
        .iter()
        .map(|r| json!([r.name, r.location.option(), r.location.url(), r.cost]))
        .collect();
    repos.sort_by_key(|r| r.to_string());
    json!({
        "packages": sorted(&ks.packages.packages),
        "groups": sorted(&ks.packages.groups),
        "excluded_packages": sorted(&ks.packages.excluded_packages),
        "excluded_groups": sorted(&ks.packages.excluded_groups),
        "exclude_weakdeps": ks.packages.options.exclude_weakdeps,
        "environment": ks.packages.environment,
        "repos": repos,
    })
}

#[test]
fn kickstarts_parse_as_pykickstart_parses_them() {
    if !venv_python().exists() {
        return not_run(
            "kickstarts_parse_as_pykickstart_parses_them",
            "pykickstart venv missing (run scripts/install-test-deps.sh)",
        );
    }
    let cases = [
        "tests/kickstarts/merge-main.ks",
        "tests/kickstarts/merge-common.ks",
        "tests/distro/ts.ks",
        "kickstarts/demo.ks",
    ];
    for case in cases {
        let path = manifest_dir().join(case);
        assert_eq!(
            ours(&path),
            pykickstart(&path),
            "{case}: rootsmith and pykickstart disagree"
        );
    }
}
