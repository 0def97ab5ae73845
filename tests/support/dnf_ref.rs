//! dnf itself as the reference: `dnf_ref.py` runs dnf 4's Python API (the
//! code behind `dnf install`) over many requests in one process, with an
//! empty installroot, and reports each install set or dnf's error.
//!
//! [`dnf_cli_assumeno`] runs the real `dnf --installroot … install
//! --assumeno` and reads the transaction table it prints, to show that the
//! Python reference does what the command does.
//!
//! [`dnf_commands`] runs dnf's command-line code (`repoquery …`, `group
//! info …`) for many commands on one loaded sack (`dnf_cmd.py`), and
//! [`dnf_cli`] the real `dnf` command, to show that it prints the same.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::fixtures::{run_python, system_python_module};
use super::Skip;

const DNF_REF: &str = include_str!("dnf_ref.py");
const DNF_CMD: &str = include_str!("dnf_cmd.py");

/// One `dnf install` request.
#[derive(Clone, Debug, Default)]
pub struct DnfRequest {
    /// What follows `dnf install`: names, globs, NEVRAs, capabilities,
    /// files, `@group`, `@group/mandatory,default,optional,conditional`.
    pub specs: Vec<String>,
    /// `--exclude` patterns.
    pub exclude: Vec<String>,
    /// A kickstart's `-name` lines (install_specs' excludes).
    pub ks_exclude: Vec<String>,
    pub weak: bool,
}

impl DnfRequest {
    pub fn new<S: AsRef<str>>(specs: &[S], weak: bool) -> DnfRequest {
        DnfRequest {
            specs: specs.iter().map(|s| s.as_ref().to_string()).collect(),
            weak,
            ..DnfRequest::default()
        }
    }

    pub fn exclude<S: AsRef<str>>(mut self, patterns: &[S]) -> DnfRequest {
        self.exclude
            .extend(patterns.iter().map(|s| s.as_ref().to_string()));
        self
    }
}

/// dnf's answer to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnfAnswer {
    /// The install set, `name-[epoch:]version-release.arch`.
    Installs(BTreeSet<String>),
    /// dnf refused: its message, and for a depsolve failure the problem
    /// lines (one list per problem, as `dnf install` prints them), for a
    /// marking failure the specs that matched nothing.
    Fails {
        error: String,
        problems: Vec<Vec<String>>,
        no_match: Vec<String>,
    },
}

impl DnfAnswer {
    pub fn installs(&self) -> Option<&BTreeSet<String>> {
        match self {
            DnfAnswer::Installs(s) => Some(s),
            DnfAnswer::Fails { .. } => None,
        }
    }
}

/// The dnf Python API is there (Debian's python3-dnf).
pub fn dnf_python() -> Result<(), Skip> {
    system_python_module("dnf")
}

/// dnf's answers to `requests` on the repositories `repos` (`(id, dir)`),
/// for `arch`. To keep dnf to the arches rootsmith considers, give it
/// repositories without the others ([`without_arches`]).
pub fn dnf_answers(
    repos: &[(&str, &Path)],
    arch: &str,
    requests: &[DnfRequest],
) -> Result<Vec<DnfAnswer>, Skip> {
    let repos: Vec<serde_json::Value> = repos
        .iter()
        .map(|(n, p)| serde_json::json!([n, p]))
        .collect();
    dnf_job(repos, false, arch, requests)
}

/// The same on repositories with dnf's `priority` and `cost`
/// (`(id, dir, priority, cost)`); each package of an install set is
/// `nevra@repository`.
pub fn dnf_answers_by_repo(
    repos: &[(&str, &Path, i32, i32)],
    arch: &str,
    requests: &[DnfRequest],
) -> Result<Vec<DnfAnswer>, Skip> {
    let repos: Vec<serde_json::Value> = repos
        .iter()
        .map(|(n, p, priority, cost)| serde_json::json!([n, p, priority, cost]))
        .collect();
    dnf_job(repos, true, arch, requests)
}

fn dnf_job(
    repos: Vec<serde_json::Value>,
    with_repo: bool,
    arch: &str,
    requests: &[DnfRequest],
) -> Result<Vec<DnfAnswer>, Skip> {
    dnf_python()?;
    let work = super::tempdir();
    let job = serde_json::json!({
        "repos": repos,
        "with_repo": with_repo,
        "arch": arch,
        "workdir": work.path(),
        "requests": requests.iter().map(|r| serde_json::json!({
            "specs": r.specs, "exclude": r.exclude, "ks_exclude": r.ks_exclude, "weak": r.weak,
        })).collect::<Vec<_>>(),
    });
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .expect("a JSON list")
            .iter()
            .map(|s| s.as_str().expect("a JSON string").to_string())
            .collect()
    };
    let out = run_python(DNF_REF, &job);
    let answers: Vec<DnfAnswer> = out
        .as_array()
        .expect("one answer per request")
        .iter()
        .map(|a| match a.get("packages") {
            Some(p) => DnfAnswer::Installs(strings(p).into_iter().collect()),
            None => DnfAnswer::Fails {
                error: a["error"].as_str().unwrap_or_default().to_string(),
                problems: a["problems"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(strings)
                    .collect(),
                no_match: strings(&a["no_match"]),
            },
        })
        .collect();
    assert_eq!(
        answers.len(),
        requests.len(),
        "dnf_ref.py: one answer per request"
    );
    Ok(answers)
}

/// A root cause in one of dnf's problem lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnfCause {
    /// `nothing provides DEP needed by PKG`
    NothingProvides { dep: String, by: String },
    /// `package A conflicts with DEP provided by B`
    Conflicts {
        pkg: String,
        dep: String,
        other: String,
    },
    /// `package A obsoletes DEP provided by B`
    Obsoletes {
        pkg: String,
        dep: String,
        other: String,
    },
    /// `cannot install both A and B`
    SameName { a: String, b: String },
    /// `package A is filtered out by exclude filtering`
    Excluded { pkg: String },
}

impl DnfCause {
    /// The package the cause blames: the one with the missing dependency,
    /// the one that conflicts or obsoletes, the first of two, the excluded one.
    pub fn culprit(&self) -> &str {
        match self {
            DnfCause::NothingProvides { by, .. } => by,
            DnfCause::Conflicts { pkg, .. } | DnfCause::Obsoletes { pkg, .. } => pkg,
            DnfCause::SameName { a, .. } => a,
            DnfCause::Excluded { pkg } => pkg,
        }
    }

    /// What kind of cause it is, for counting.
    pub fn kind(&self) -> &'static str {
        match self {
            DnfCause::NothingProvides { .. } => "nothing provides",
            DnfCause::Conflicts { .. } => "conflicts",
            DnfCause::Obsoletes { .. } => "obsoletes",
            DnfCause::SameName { .. } => "cannot install both",
            DnfCause::Excluded { .. } => "excluded",
        }
    }

    /// The strings one of our causes must contain to state the same
    /// cause: the relation (in dnf's words, which rootsmith uses) and the
    /// packages and dependency it relates.
    pub fn words(&self) -> Vec<&str> {
        match self {
            DnfCause::NothingProvides { dep, by } => vec!["nothing provides ", dep, by],
            DnfCause::Conflicts { pkg, dep, other } => vec![pkg, " conflicts with ", dep, other],
            DnfCause::Obsoletes { pkg, dep, other } => vec![pkg, " obsoletes ", dep, other],
            DnfCause::SameName { a, b } => vec!["cannot install both ", a, b],
            DnfCause::Excluded { pkg } => vec![pkg, " excluded "],
        }
    }
}

/// The root cause a problem line states, if it states one (`package X
/// requires Y, but none of the providers can be installed` and
/// `conflicting requests` are links of the chain, not causes).
pub fn dnf_cause(line: &str) -> Option<DnfCause> {
    let line = line.trim().trim_start_matches("- ");
    if let Some(rest) = line.strip_prefix("nothing provides ") {
        let (dep, by) = rest.rsplit_once(" needed by ")?;
        return Some(DnfCause::NothingProvides {
            dep: dep.to_string(),
            by: by.to_string(),
        });
    }
    if let Some(rest) = line.strip_prefix("cannot install both ") {
        let (a, b) = rest.split_once(" and ")?;
        return Some(DnfCause::SameName {
            a: a.to_string(),
            b: b.to_string(),
        });
    }
    let rest = line.strip_prefix("package ")?;
    if let Some(pkg) = rest.strip_suffix(" is filtered out by exclude filtering") {
        return Some(DnfCause::Excluded {
            pkg: pkg.to_string(),
        });
    }
    for (verb, conflicts) in [(" conflicts with ", true), (" obsoletes ", false)] {
        if let Some((pkg, tail)) = rest.split_once(verb) {
            let (dep, other) = tail.rsplit_once(" provided by ")?;
            let (pkg, dep, other) = (pkg.to_string(), dep.to_string(), other.to_string());
            return Some(if conflicts {
                DnfCause::Conflicts { pkg, dep, other }
            } else {
                DnfCause::Obsoletes { pkg, dep, other }
            });
        }
    }
    None
}

/// The install set the real `dnf install --assumeno` prints for `specs`
/// (its transaction table), with repositories `repos` and an empty
/// installroot; `Err` with dnf's output when it reports no transaction.
pub fn dnf_cli_assumeno(
    repos: &[(&str, &Path)],
    arch: &str,
    weak: bool,
    exclude: &[&str],
    specs: &[&str],
) -> Result<Result<BTreeSet<String>, String>, Skip> {
    super::tools(&["dnf"])?;
    let work = super::tempdir();
    let mut cmd = dnf_cli_command(work.path(), repos, arch);
    cmd.arg(format!("--setopt=install_weak_deps={weak}"));
    for x in exclude {
        cmd.arg(format!("--exclude={x}"));
    }
    cmd.arg("install").arg("--assumeno").args(specs);
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .expect("run dnf install --assumeno");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let table = parse_transaction_table(&stdout, arch);
    if table.is_empty() {
        return Ok(Err(format!(
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(Ok(table))
}

/// The real `dnf` with everything of its own under `w` (configuration,
/// HOME, installroot, cache), the repositories `repos` (`(id, dir)`, with
/// module_hotfixes) enabled alone, for `arch`; the command's own arguments
/// follow.
fn dnf_cli_command(w: &Path, repos: &[(&str, &Path)], arch: &str) -> Command {
    fs::create_dir_all(w.join("home")).unwrap();
    fs::write(w.join("home/.rpmmacros"), "%_dbpath /var/lib/rpm\n").unwrap();
    fs::write(
        w.join("dnf.conf"),
        "[main]\ngpgcheck=False\nreposdir=/dev/null\nplugins=False\nskip_if_unavailable=False\n",
    )
    .unwrap();
    let mut cmd = Command::new("dnf");
    cmd.env("HOME", w.join("home"))
        .env("LC_ALL", "C.UTF-8")
        .arg(format!("--config={}", w.join("dnf.conf").display()))
        .arg(format!("--installroot={}", w.join("root").display()))
        .arg(format!("--setopt=cachedir={}", w.join("cache").display()))
        .arg("--releasever=1")
        .arg(format!("--forcearch={arch}"))
        .arg("--setopt=reposdir=/dev/null");
    for (name, dir) in repos {
        cmd.arg(format!("--repofrompath={name},{}", dir.display()))
            .arg(format!("--setopt={name}.module_hotfixes=True"));
    }
    let names: Vec<&str> = repos.iter().map(|(n, _)| *n).collect();
    cmd.arg(format!("--repo={}", names.join(",")));
    cmd
}

/// What the real `dnf -q ARGS…` prints on stdout for each of `commands`
/// (see [`dnf_cli_command`] for the rest of its command line; one cache
/// for all); a failure panics with its stderr.
pub fn dnf_cli(
    repos: &[(&str, &Path)],
    arch: &str,
    commands: &[Vec<String>],
) -> Result<Vec<String>, Skip> {
    super::tools(&["dnf"])?;
    let work = super::tempdir();
    Ok(commands
        .iter()
        .map(|args| {
            super::sh(
                dnf_cli_command(work.path(), repos, arch)
                    .arg("-q")
                    .args(args),
            )
        })
        .collect())
}

/// What one dnf command printed on stdout, and its error if it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnfOutput {
    pub stdout: String,
    pub error: Option<String>,
}

/// dnf's command-line code run for each of `commands` (what follows `dnf`:
/// `["repoquery", "--whatprovides", "webserver"]`, `["group", "info",
/// "core"]`) on the repositories `repos` (`(id, dir)`, with
/// module_hotfixes) for `arch`, all on one loaded sack (`dnf_cmd.py`).
pub fn dnf_commands(
    repos: &[(&str, &Path)],
    arch: &str,
    commands: &[Vec<String>],
) -> Result<Vec<DnfOutput>, Skip> {
    dnf_python()?;
    let work = super::tempdir();
    let job = serde_json::json!({
        "repos": repos.iter().map(|(n, p)| serde_json::json!([n, p])).collect::<Vec<_>>(),
        "arch": arch,
        "workdir": work.path(),
        "commands": commands,
    });
    let out = run_python(DNF_CMD, &job);
    let outputs: Vec<DnfOutput> = out
        .as_array()
        .expect("one output per command")
        .iter()
        .map(|o| DnfOutput {
            stdout: o["stdout"].as_str().expect("stdout").to_string(),
            error: o["error"].as_str().map(str::to_string),
        })
        .collect();
    assert_eq!(
        outputs.len(),
        commands.len(),
        "dnf_cmd.py: one output per command"
    );
    Ok(outputs)
}

/// The packages of the `Installing…:` sections of dnf's transaction table.
/// A long name makes dnf wrap its row, so the rows are read as a stream of
/// words: each arch word is preceded by a name and followed by the version.
fn parse_transaction_table(out: &str, arch: &str) -> BTreeSet<String> {
    let mut words: Vec<&str> = Vec::new();
    let mut in_install = false;
    for line in out.lines() {
        if line.starts_with(' ') && in_install {
            words.extend(line.split_whitespace());
        } else {
            in_install = line.starts_with("Installing");
        }
    }
    let arches = [arch, "noarch", "i686", "i586", "i386"];
    (1..words.len().saturating_sub(1))
        .filter(|&i| arches.contains(&words[i]))
        .map(|i| format!("{}-{}.{}", words[i - 1], words[i + 1], words[i]))
        .collect()
}

/// A copy of the repository metadata at `repo` without the packages of
/// `arches` (primary and filelists filtered, comps kept, everything else,
/// modules.yaml included, left out), for dnf to read.
///
/// Why not `--exclude '*.i686'`: dnf keeps excluded packages in libsolv's
/// pool (they stay in whatprovides, marked not installable), so they
/// change which broken dependency dnf reports first ("package
/// freetype-devel-….i686 is filtered out by exclude filtering" instead of
/// the chain rootsmith, which never loads them, reports). Without them in
/// the metadata, dnf's pool is rootsmith's pool.
///
/// Cached under cargo's target tmpdir, keyed by the repomd.xml and the arches.
pub fn without_arches(repo: &Path, arches: &[&str]) -> PathBuf {
    use sha2::{Digest, Sha256};
    let repomd = fs::read_to_string(repo.join("repodata/repomd.xml"))
        .unwrap_or_else(|e| panic!("{}/repodata/repomd.xml: {e}", repo.display()));
    let key = super::hex(&Sha256::digest(format!("{repomd}\0{arches:?}")))[..16].to_string();
    let name = repo.file_name().unwrap().to_string_lossy();
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dnf-repos");
    let done = base.join(format!("{name}-{key}"));
    if done.join("repodata/repomd.xml").is_file() {
        return done;
    }
    static SERIAL: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let serial = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let work = base.join(format!(".{name}-{key}-{}-{serial}", std::process::id()));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(work.join("repodata")).unwrap();
    let mut out = String::new();
    let mut rest = repomd.as_str();
    while let Some(start) = rest.find("<data type=\"") {
        out.push_str(&rest[..start]);
        let end = start + rest[start..].find("</data>").expect("</data>") + "</data>".len();
        let block = &rest[start..end];
        rest = &rest[end..];
        let kind = between(block, "<data type=\"", "\"");
        let location = between(block, "<location href=\"", "\"");
        let src = repo.join(location);
        match kind {
            "primary" | "filelists" => {
                let mut xml = String::new();
                flate2::read::GzDecoder::new(fs::File::open(&src).unwrap())
                    .read_to_string(&mut xml)
                    .unwrap_or_else(|e| panic!("{}: {e}", src.display()));
                let xml = drop_packages(&xml, arches);
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                gz.write_all(xml.as_bytes()).unwrap();
                let gz = gz.finish().unwrap();
                let href = format!("repodata/{kind}.xml.gz");
                fs::write(work.join(&href), &gz).unwrap();
                out.push_str(&format!(
                    "<data type=\"{kind}\">\n    <checksum type=\"sha256\">{}</checksum>\n    \
                     <open-checksum type=\"sha256\">{}</open-checksum>\n    \
                     <location href=\"{href}\"/>\n    <size>{}</size>\n    <open-size>{}</open-size>\n  </data>",
                    super::hex(&Sha256::digest(&gz)),
                    super::hex(&Sha256::digest(xml.as_bytes())),
                    gz.len(),
                    xml.len()
                ));
            }
            "group" | "group_gz" if src.is_file() => {
                fs::copy(&src, work.join(location)).unwrap();
                out.push_str(block);
            }
            _ => {}
        }
    }
    out.push_str(rest);
    fs::write(work.join("repodata/repomd.xml"), out).unwrap();
    match fs::rename(&work, &done) {
        Ok(()) => {}
        Err(_) if done.join("repodata/repomd.xml").is_file() => {
            let _ = fs::remove_dir_all(&work);
        }
        Err(e) => panic!("rename {} -> {}: {e}", work.display(), done.display()),
    }
    done
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let from = s
        .find(open)
        .map(|i| i + open.len())
        .unwrap_or_else(|| panic!("no {open} in {s}"));
    let to = from
        + s[from..]
            .find(close)
            .unwrap_or_else(|| panic!("no {close} in {s}"));
    &s[from..to]
}

/// primary.xml or filelists.xml without the `<package>` entries of
/// `arches`, its `packages="N"` count updated.
fn drop_packages(xml: &str, arches: &[&str]) -> String {
    let Some(first) = xml.find("<package ") else {
        return xml.to_string();
    };
    let mut body = String::with_capacity(xml.len());
    let mut kept = 0usize;
    let mut rest = &xml[first..];
    while let Some(start) = rest.find("<package ") {
        body.push_str(&rest[..start]);
        let end =
            start + rest[start..].find("</package>").expect("</package>") + "</package>".len();
        let entry = &rest[start..end];
        rest = &rest[end..];
        let open_tag = &entry[..entry.find('>').unwrap()];
        let arch = if open_tag.contains(" arch=\"") {
            between(open_tag, " arch=\"", "\"")
        } else {
            between(entry, "<arch>", "</arch>")
        };
        if arches.contains(&arch) {
            // also drop the line break after the entry
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        } else {
            body.push_str(entry);
            kept += 1;
        }
    }
    body.push_str(rest);
    let head = &xml[..first];
    let count = between(head, "packages=\"", "\"");
    head.replacen(
        &format!("packages=\"{count}\""),
        &format!("packages=\"{kept}\""),
        1,
    ) + &body
}

/// `repos/<name>` of the shared fixtures, as `(name, dir)` for dnf.
pub fn fixture_repo_dirs(names: &[&'static str]) -> Result<Vec<(&'static str, PathBuf)>, Skip> {
    names
        .iter()
        .map(|n| Ok((*n, super::fixtures::shared_fixture(&format!("repos/{n}"))?)))
        .collect()
}
