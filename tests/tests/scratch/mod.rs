//! The stubs as the workbook shipped them, in a scratch copy, for the guards that must
//! never read a learner's work.
//!
//! A learner edits `exercises/src`, commits and pushes; the workbook's makers change the
//! model answers, the grader, the book or the build with nearly every commit. So the
//! stubs as shipped are `exercises/` at the newest commit that touched `solutions/`,
//! `tests/`, `book/`, `.ci/` or `Cargo.toml`: in the workbook's own repository that is
//! HEAD or close to it, so a stub committed solved is caught (a commit that changes
//! only stubs is read once the next such commit lands); in a learner's fork or clone it
//! is the workbook's last commit before their work, committed or not, which therefore
//! never turns the project's suite red. Merging a newer workbook moves it forward.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workbook's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

fn git(args: &[&str]) -> Option<Vec<u8>> {
    let output = Command::new("git").arg("-C").arg(root()).args(args).output().ok()?;
    output.status.success().then_some(output.stdout)
}

/// The commit the shipped stubs are taken from, or `None` outside a git checkout (a
/// downloaded archive), where there is no telling the stubs from a learner's work.
pub fn shipped_commit() -> Option<String> {
    let commit =
        git(&["rev-list", "-1", "HEAD", "--", "solutions", "tests", "book", ".ci", "Cargo.toml"])?;
    let commit = String::from_utf8(commit).ok()?.trim().to_string();
    if commit.is_empty() {
        return None;
    }
    if git(&["rev-parse", "--is-shallow-repository"]).is_some_and(|out| out.starts_with(b"true")) {
        eprintln!(
            "note: this clone is shallow, so the stubs are read at {commit}, which may hold a \
             learner's work; `git fetch --unshallow` gives the guards the whole history"
        );
    }
    Some(commit)
}

/// Every file under `folder` at `commit`: its path from the root, and its bytes.
pub fn files_at(commit: &str, folder: &str) -> Vec<(String, Vec<u8>)> {
    let listing = git(&["ls-tree", "-r", "-z", "--name-only", commit, "--", folder])
        .unwrap_or_else(|| panic!("git cannot list {folder} at {commit}"));
    listing
        .split(|b| *b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| {
            let path = String::from_utf8_lossy(name).into_owned();
            let bytes = git(&["show", &format!("{commit}:{path}")])
                .unwrap_or_else(|| panic!("git cannot show {path} at {commit}"));
            (path, bytes)
        })
        .collect()
}

/// The shipped stubs: each `exercises/src/*.rs` file's name and text, as shipped.
pub fn shipped_stubs() -> Option<Vec<(String, String)>> {
    let commit = shipped_commit()?;
    let stubs = files_at(&commit, "exercises/src")
        .into_iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, bytes)| {
            let name = path.rsplit('/').next().unwrap_or(&path).to_string();
            (name, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect();
    Some(stubs)
}

/// Writes `bytes` to `path` only if they differ from what is there, so that cargo sees
/// an unchanged file as unchanged and builds the scratch copy only once.
fn write_if_changed(path: &Path, bytes: &[u8]) {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    fs::create_dir_all(path.parent().expect("a folder")).expect("a scratch folder");
    fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Every file under `dir`, relative to `base`.
fn walk(dir: &Path, base: &Path, found: &mut Vec<String>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, base, found);
        } else if let Ok(rel) = path.strip_prefix(base) {
            found.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// A scratch workspace called `name` holding `exercises/` as shipped, with
/// `change(path, text)` applied to each file first, judged by the checks of the working
/// tree and by the grader itself (a path dependency on this very crate). Returns its
/// folder, or `None` outside a git checkout.
pub fn shipped_workspace(name: &str, change: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Option<PathBuf> {
    let commit = shipped_commit()?;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let mut files: Vec<(String, Vec<u8>)> = files_at(&commit, "exercises")
        .into_iter()
        .map(|(path, bytes)| {
            let bytes = change(&path, bytes);
            (path, bytes)
        })
        .collect();
    let mut checks = Vec::new();
    walk(&root().join("tests/checks"), &root(), &mut checks);
    for path in checks {
        let bytes = fs::read(root().join(&path)).expect("a check's file");
        files.push((path, bytes));
    }
    files.push(("Cargo.lock".into(), fs::read(root().join("Cargo.lock")).expect("Cargo.lock")));
    files.push(("Cargo.toml".into(), manifest().into_bytes()));
    let mut stale = Vec::new();
    walk(&dir, &dir, &mut stale);
    // Only what this function writes: results a run left beside it stay.
    for path in stale.iter().filter(|p| p.starts_with("exercises/") || p.starts_with("tests/")) {
        if !files.iter().any(|(kept, _)| kept == path) {
            let _ = fs::remove_file(dir.join(path));
        }
    }
    for (path, bytes) in &files {
        write_if_changed(&dir.join(path), bytes);
    }
    Some(dir)
}

/// The root manifest with `exercises` its only member and the grader found where it is.
fn manifest() -> String {
    let text = fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml");
    let grader = format!("grader = {{ path = {:?} }}", root().join("tests").display().to_string());
    let mut out = String::new();
    let (mut members, mut found_grader) = (false, false);
    for line in text.lines() {
        let line = match line.trim_start() {
            l if l.starts_with("members") => {
                members = true;
                "members = [\"exercises\"]"
            }
            l if l.starts_with("default-members") => continue,
            l if l.starts_with("grader ") || l.starts_with("grader=") => {
                found_grader = true;
                &grader
            }
            _ => line,
        };
        out.push_str(line);
        out.push('\n');
    }
    assert!(members && found_grader, "Cargo.toml lost its members or its grader dependency");
    out
}

/// Runs `command` (cargo, or the grader's runner) in the scratch workspace `dir`, with
/// `env`, building into a target folder of its own. Never the learner's: cargo names a
/// workspace member's artifacts by its path within the workspace, so the scratch
/// `exercises` and the learner's would take each other's place.
pub fn run_in(dir: &Path, command: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{}-target",
        dir.file_name().expect("a named scratch folder").to_string_lossy()
    ));
    let mut cmd = Command::new(command);
    cmd.args(args).current_dir(dir).env("CARGO_TARGET_DIR", &target);
    for variable in [
        "CARGO_BUILD_BUILD_DIR",
        "GRADER_JSON",
        "GRADER_JUNIT",
        "GRADER_MARKDOWN",
        "GRADER_REPORT",
        "GRADER_ANNOTATIONS",
    ] {
        cmd.env_remove(variable);
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().unwrap_or_else(|e| panic!("cannot run {}: {e}", command.display()))
}

/// Cargo, as the one running these tests.
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| "cargo".into(), PathBuf::from)
}
