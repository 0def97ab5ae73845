//! Kickstart files, the subset an image compose needs: `repo`, `%include`,
//! `%packages`. Every other command or section is kept, with its place, and
//! reported as not yet applied: nothing is dropped silently.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum KickstartError {
    #[error("{}: cannot read kickstart{}: {reason}", path.display(), included_from.as_ref().map(|w| format!(" (included from {w})")).unwrap_or_default())]
    Read {
        path: PathBuf,
        included_from: Option<Place>,
        reason: String,
    },
    #[error("{place}: {reason}")]
    Syntax { place: Place, reason: String },
}

/// A file and a 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub line: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// `repo --name=NAME --baseurl=URL` (or `--mirrorlist=`, `--metalink=`;
/// variables such as `$basearch` not yet substituted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoLine {
    pub name: String,
    pub location: crate::repo::Location,
    /// `--cost=N`, dnf's repo cost.
    pub cost: Option<i32>,
    pub place: Place,
}

/// What `%packages` sections ask for, merged across `%include`s the way pykickstart does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageSelection {
    /// Names, globs or capabilities, in first-seen order.
    pub packages: Vec<String>,
    pub groups: Vec<String>,
    /// `@group --nodefaults` / `--optional`, by group id (the last line wins).
    pub group_options: Vec<(String, GroupOptions)>,
    pub excluded_packages: Vec<String>,
    pub excluded_groups: Vec<String>,
    /// `@^environment`: one per kickstart, the last one wins.
    pub environment: Option<String>,
    /// Options of the last `%packages` section, as pykickstart keeps them.
    pub options: PackagesOptions,
}

/// The `%packages` options that change what is installed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackagesOptions {
    pub exclude_weakdeps: bool,
    /// `--nocore`: do not add `@core`.
    pub nocore: bool,
    /// `--ignoremissing`: skip what matches nothing instead of failing.
    pub ignore_missing: bool,
    /// `--multilib`: also install the packages of compatible arches (i686 on x86_64).
    pub multilib: bool,
}

/// How much of a group: `--nodefaults` leaves its default members out,
/// `--optional` adds its optional ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupOptions {
    pub nodefaults: bool,
    pub optional: bool,
}

impl PackageSelection {
    /// The options a `@group` line gave, or the defaults.
    pub fn group_options(&self, id: &str) -> GroupOptions {
        self.group_options
            .iter()
            .rev()
            .find(|(g, _)| g == id)
            .map(|(_, o)| *o)
            .unwrap_or_default()
    }
}

/// Something the kickstart says that rootsmith does not apply yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unapplied {
    pub place: Place,
    pub what: String,
}

impl fmt::Display for Unapplied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} is not applied yet", self.place, self.what)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kickstart {
    pub repos: Vec<RepoLine>,
    pub packages: PackageSelection,
    pub unapplied: Vec<Unapplied>,
}

/// `%packages` options accepted but not yet applied.
const KNOWN_PACKAGE_OPTIONS: &[&str] = &[
    "--excludedocs",
    "--inst-langs",
    "--instLangs",
    "--ignorebroken",
    "--timeout",
    "--retries",
    "--default",
    "--nobase",
];
/// Sections other than %packages; their bodies are skipped up to `%end`.
const OTHER_SECTIONS: &[&str] = &[
    "%pre",
    "%pre-install",
    "%post",
    "%onerror",
    "%traceback",
    "%addon",
    "%anaconda",
];

impl Kickstart {
    pub fn load(path: &Path) -> Result<Kickstart, KickstartError> {
        let mut ks = Kickstart::default();
        let mut stack = Vec::new();
        ks.read_file(path, None, &mut stack)?;
        Ok(ks)
    }

    fn read_file(
        &mut self,
        path: &Path,
        from: Option<Place>,
        stack: &mut Vec<PathBuf>,
    ) -> Result<(), KickstartError> {
        let text = std::fs::read_to_string(path).map_err(|e| KickstartError::Read {
            path: path.to_path_buf(),
            included_from: from.clone(),
            reason: e.to_string(),
        })?;
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if stack.contains(&canonical) {
            let place = from.unwrap_or(Place {
                file: path.to_path_buf(),
                line: 0,
            });
            return Err(KickstartError::Syntax {
                place,
                reason: format!("{} includes itself", path.display()),
            });
        }
        stack.push(canonical);
        let mut lines = text.lines().enumerate().map(|(i, l)| {
            (
                Place {
                    file: path.to_path_buf(),
                    line: i + 1,
                },
                l,
            )
        });
        while let Some((place, raw)) = lines.next() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words = split_words(line).map_err(|reason| KickstartError::Syntax {
                place: place.clone(),
                reason,
            })?;
            let first = words[0].as_str();
            match first {
                "%include" | "%ksappend" => {
                    let target = words
                        .get(1)
                        .ok_or_else(|| syntax(&place, "%include needs a file name"))?;
                    let target = path.parent().unwrap_or(Path::new(".")).join(target);
                    self.read_file(&target, Some(place.clone()), stack)?;
                }
                "%packages" => {
                    let section = self.read_packages_options(&words[1..], &place)?;
                    let body = take_section(&mut lines, &place)?;
                    self.merge_packages(section, body)?;
                }
                s if OTHER_SECTIONS.contains(&s) => {
                    take_section(&mut lines, &place)?;
                    self.unapplied.push(Unapplied {
                        place,
                        what: format!("{s} section"),
                    });
                }
                "%end" => return Err(syntax(&place, "%end without an open section")),
                s if s.starts_with('%') => {
                    return Err(syntax(&place, &format!("unknown section {s}")))
                }
                "repo" => self.repos.push(parse_repo(&words, &place)?),
                _ => self.unapplied.push(Unapplied {
                    place,
                    what: format!("command `{line}`"),
                }),
            }
        }
        stack.pop();
        Ok(())
    }

    fn read_packages_options(
        &mut self,
        options: &[String],
        place: &Place,
    ) -> Result<PackagesOptions, KickstartError> {
        let mut applied = PackagesOptions::default();
        for opt in options {
            let name = opt.split('=').next().unwrap_or(opt);
            match name {
                "--exclude-weakdeps" | "--excludeWeakdeps" => applied.exclude_weakdeps = true,
                "--nocore" => applied.nocore = true,
                "--ignoremissing" => applied.ignore_missing = true,
                "--multilib" => applied.multilib = true,
                _ if KNOWN_PACKAGE_OPTIONS.contains(&name) => self.unapplied.push(Unapplied {
                    place: place.clone(),
                    what: format!("%packages option {opt}"),
                }),
                _ => return Err(syntax(place, &format!("unknown %packages option {opt}"))),
            }
        }
        Ok(applied)
    }

    /// pykickstart's rule across sections: added = (old added − new excluded) ∪ new added;
    /// excluded = (old excluded − new added) ∪ new excluded.
    fn merge_packages(
        &mut self,
        options: PackagesOptions,
        body: Vec<(Place, String)>,
    ) -> Result<(), KickstartError> {
        let mut new = PackageSelection {
            options,
            ..Default::default()
        };
        for (place, line) in body {
            if let Some(group) = line.strip_prefix("-@") {
                new.excluded_groups.push(group_id(group));
            } else if let Some(env) = line.strip_prefix("@^") {
                new.environment = Some(group_id(env));
            } else if let Some(rest) = line.strip_prefix('@') {
                let id = group_id(rest);
                if id.is_empty() {
                    return Err(syntax(&place, "a group line needs a group id"));
                }
                let mut options = GroupOptions::default();
                for opt in rest.split_whitespace().skip(1) {
                    match opt {
                        "--nodefaults" => options.nodefaults = true,
                        "--optional" => options.optional = true,
                        other => {
                            return Err(syntax(
                                &place,
                                &format!("unknown group option {other} in `{line}`"),
                            ))
                        }
                    }
                }
                new.group_options.push((id.clone(), options));
                new.groups.push(id);
            } else if let Some(rest) = line.strip_prefix('-') {
                new.excluded_packages.push(rest.trim().to_string());
            } else {
                new.packages.push(line);
            }
        }
        let old = std::mem::take(&mut self.packages);
        self.packages = PackageSelection {
            packages: merge_added(old.packages, &new.excluded_packages, new.packages.clone()),
            groups: merge_added(old.groups, &new.excluded_groups, new.groups.clone()),
            excluded_packages: merge_added(
                old.excluded_packages,
                &new.packages,
                new.excluded_packages,
            ),
            excluded_groups: merge_added(old.excluded_groups, &new.groups, new.excluded_groups),
            group_options: [old.group_options, new.group_options].concat(),
            environment: new.environment.or(old.environment),
            options: new.options,
        };
        Ok(())
    }
}

/// (old − removed) ∪ added, keeping first-seen order.
fn merge_added(old: Vec<String>, removed: &[String], added: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    old.into_iter()
        .filter(|x| !removed.contains(x))
        .chain(added)
        .filter(|x| seen.insert(x.clone()))
        .collect()
}

fn group_id(spec: &str) -> String {
    spec.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn syntax(place: &Place, reason: &str) -> KickstartError {
    KickstartError::Syntax {
        place: place.clone(),
        reason: reason.to_string(),
    }
}

/// The lines of a section up to its `%end`, comments and blanks dropped.
fn take_section<'a>(
    lines: &mut impl Iterator<Item = (Place, &'a str)>,
    opened: &Place,
) -> Result<Vec<(Place, String)>, KickstartError> {
    let mut body = Vec::new();
    for (place, raw) in lines.by_ref() {
        let line = raw.trim();
        if line == "%end" {
            return Ok(body);
        }
        if !line.is_empty() && !line.starts_with('#') {
            body.push((place, line.to_string()));
        }
    }
    Err(syntax(opened, "section is not closed with %end"))
}

fn parse_repo(words: &[String], place: &Place) -> Result<RepoLine, KickstartError> {
    let mut name = None;
    use crate::repo::Location;
    let mut location = None;
    let mut cost = None;
    let mut iter = words[1..].iter();
    while let Some(word) = iter.next() {
        let (key, value) = match word.split_once('=') {
            Some((k, v)) => (k, v.to_string()),
            None if matches!(
                word.as_str(),
                "--name" | "--baseurl" | "--mirrorlist" | "--metalink" | "--cost"
            ) =>
            {
                (
                    word.as_str(),
                    iter.next()
                        .cloned()
                        .ok_or_else(|| syntax(place, &format!("{word} needs a value")))?,
                )
            }
            None => (word.as_str(), String::new()),
        };
        match key {
            "--name" => name = Some(value),
            "--baseurl" | "--mirrorlist" | "--metalink" => {
                if location.is_some() {
                    return Err(syntax(
                        place,
                        "repo takes only one of --baseurl, --mirrorlist and --metalink",
                    ));
                }
                location = Some(match key {
                    "--baseurl" => Location::Baseurl(value),
                    "--mirrorlist" => Location::Mirrorlist(value),
                    _ => Location::Metalink(value),
                });
            }
            "--cost" => {
                cost = Some(value.parse().map_err(|_| {
                    syntax(place, &format!("repo --cost={value:?} is not an integer"))
                })?)
            }
            _ => {
                return Err(syntax(
                    place,
                    &format!("repo option {key} is not supported yet"),
                ))
            }
        }
    }
    Ok(RepoLine {
        name: name.ok_or_else(|| syntax(place, "repo needs --name="))?,
        location: location
            .ok_or_else(|| syntax(place, "repo needs --baseurl=, --mirrorlist= or --metalink="))?,
        cost,
        place: place.clone(),
    })
}

/// Shell-like word splitting: whitespace, single and double quotes, backslash escapes.
fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => word.extend(chars.next()),
                        Some(other) => word.push(other),
                        None => return Err(format!("unterminated {c} quote")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn includes_merge_like_pykickstart() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "common.ks", "repo --name=os --baseurl=file:///srv/$basearch\n%packages\nbash\nvim\n-kernel\n@core\n%end\n");
        let main = write(
            dir.path(),
            "main.ks",
            "# top\n%include common.ks\nlang en_US.UTF-8\n%packages --exclude-weakdeps\n-vim\nkernel\n%end\n%post\nrm -rf /tmp/*\n%end\n",
        );
        let ks = Kickstart::load(&main).unwrap();
        assert_eq!(
            ks.repos[0].location,
            crate::repo::Location::Baseurl("file:///srv/$basearch".into())
        );
        assert_eq!(ks.packages.packages, ["bash", "kernel"]);
        assert_eq!(ks.packages.excluded_packages, ["vim"]);
        assert_eq!(ks.packages.groups, ["core"]);
        assert!(ks.packages.options.exclude_weakdeps);
        let unapplied: Vec<_> = ks
            .unapplied
            .iter()
            .map(|u| (u.place.line, u.what.as_str()))
            .collect();
        assert_eq!(
            unapplied,
            [(3, "command `lang en_US.UTF-8`"), (8, "%post section")]
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let main = write(dir.path(), "a.ks", "%packages\nbash\n");
        let err = Kickstart::load(&main).unwrap_err().to_string();
        assert!(err.contains("a.ks:1") && err.contains("%end"), "{err}");
        let inc = write(dir.path(), "b.ks", "\n%include missing.ks\n");
        let err = Kickstart::load(&inc).unwrap_err().to_string();
        assert!(
            err.contains("missing.ks") && err.contains("b.ks:2"),
            "{err}"
        );
        let bad = write(dir.path(), "c.ks", "repo --name='x\n");
        assert!(Kickstart::load(&bad)
            .unwrap_err()
            .to_string()
            .contains("c.ks:1"));
    }
}
