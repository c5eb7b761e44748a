//! Guards on the workbook itself: the stubs, the solutions and the registry agree.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use grader::registry::EXERCISES;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn rust_files(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .collect()
}

/// The public items of a file, each as its signature up to its body, whitespace folded.
fn public_signatures(source: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("\npub ") {
        let item = &rest[start + 1..];
        let end = item.find(['{', ';']).map_or(item.len(), |i| i + 1);
        items.push(item[..end].split_whitespace().collect::<Vec<_>>().join(" "));
        rest = &item[end..];
    }
    items
}

#[test]
fn stubs_and_solutions_have_the_same_files_and_signatures() {
    let (stubs, answers) = (root().join("exercises/src"), root().join("solutions/src"));
    assert_eq!(
        rust_files(&stubs),
        rust_files(&answers),
        "exercises/src and solutions/src must hold the same files"
    );
    for file in rust_files(&stubs) {
        let (stub, answer) = (read(&stubs.join(&file)), read(&answers.join(&file)));
        assert_eq!(
            public_signatures(&stub),
            public_signatures(&answer),
            "exercises/src/{file} and solutions/src/{file} must have the same public items and signatures"
        );
    }
    assert_eq!(
        read(&stubs.join("cli.rs")),
        read(&answers.join("cli.rs")),
        "src/cli.rs must be the same in both crates"
    );
}

#[test]
fn every_exercise_has_its_files_and_checks() {
    let checks = fs::read_dir(root().join("tests/checks"))
        .expect("tests/checks")
        .map(|entry| read(&entry.expect("an entry").path()))
        .collect::<String>();
    let mut names = BTreeSet::new();
    for exercise in EXERCISES {
        assert!(names.insert(exercise.name), "{} is in the registry twice", exercise.name);
        for krate in ["exercises", "solutions"] {
            let file = root().join(krate).join(exercise.file());
            assert!(file.exists(), "{} names {}, which is missing", exercise.name, file.display());
        }
        assert!(
            checks.contains(&format!("checks!(\"{}\":", exercise.name))
                || checks.contains(&format!("checks!(\n    \"{}\":", exercise.name)),
            "{} has no checks in tests/checks",
            exercise.name
        );
        assert!(
            root().join("book/src").join(exercise.chapter).exists(),
            "{}'s chapter is missing",
            exercise.name
        );
        if let Some(program) = exercise.program {
            assert!(
                read(&root().join("solutions/src/cli.rs")).contains(&format!("\"{program}\"")),
                "{program} is not in src/cli.rs"
            );
        }
    }
}

/// Runs the learner's self-grade on the untouched stubs, as a learner would.
#[test]
fn every_check_fails_on_the_untouched_stubs_as_not_done() {
    let report = std::env::temp_dir().join(format!("grader-stubs-{}", std::process::id()));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let started = Instant::now();
    let output = Command::new(cargo)
        .args(["test", "--quiet", "-p", "exercises", "--test", "grade"])
        .env("GRADER_REPORT", &report)
        .current_dir(root())
        .output()
        .expect("cargo runs");
    let took = started.elapsed();
    let text = read(&report);
    let _ = fs::remove_file(&report);
    assert!(!output.status.success(), "the stubs passed their checks");
    let mut count = 0;
    for line in text.lines() {
        let mut fields = line.split('\t');
        let (check, verdict) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
        assert_eq!(
            verdict, "NotDone",
            "{check} should fail on the untouched stub as \"not done yet\". If you are working \
             through the exercises, this is expected: this test guards the workbook itself, and \
             learners run `cargo test -p exercises` instead"
        );
        count += 1;
    }
    assert!(count >= EXERCISES.len(), "only {count} checks ran on the stubs");
    eprintln!("{count} checks failed as not done on the stubs; build and run took {took:?}");
}
