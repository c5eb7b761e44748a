//! Guards on the workbook itself: the stubs, the solutions and the registry agree.
//!
//! The guards on the stubs read them as the workbook shipped them ([`scratch`]), never a
//! learner's work: `cargo test` stays green in a learner's checkout.

mod scratch;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::time::Instant;

use grader::registry::EXERCISES;
use scratch::root;

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
    let answers = root().join("solutions/src");
    let Some(stubs) = scratch::shipped_stubs() else {
        eprintln!("not a git checkout: the shipped stubs cannot be told from a learner's work");
        return;
    };
    let names: BTreeSet<String> = stubs.iter().map(|(name, _)| name.clone()).collect();
    assert_eq!(
        names,
        rust_files(&answers),
        "exercises/src and solutions/src must hold the same files"
    );
    for (file, stub) in &stubs {
        let answer = read(&answers.join(file));
        assert_eq!(
            public_signatures(stub),
            public_signatures(&answer),
            "exercises/src/{file} and solutions/src/{file} must have the same public items and signatures"
        );
        if file == "cli.rs" {
            assert_eq!(stub, &answer, "src/cli.rs must be the same in both crates");
        }
    }
}

/// How many `todo!()`s a stub's opening comment says there are, if it says: "replace the
/// four `todo!()`s", or "the `todo!()`" for one.
fn todos_promised(doc: &str) -> Option<usize> {
    const NUMBERS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let words: Vec<&str> = doc.split_whitespace().collect();
    let at = words.iter().position(|w| w.starts_with("`todo!()`"))?;
    let before = words.get(at.checked_sub(1)?)?.to_lowercase();
    let plural = words[at].starts_with("`todo!()`s");
    match NUMBERS.iter().position(|n| *n == before) {
        Some(n) => Some(n),
        None if before == "the" && !plural => Some(1),
        None => None,
    }
}

#[test]
fn every_stub_says_how_many_todos_it_has() {
    let Some(stubs) = scratch::shipped_stubs() else {
        eprintln!("not a git checkout: the shipped stubs cannot be told from a learner's work");
        return;
    };
    let mut checked = 0;
    for (file, text) in &stubs {
        let doc: String = text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("//!"))
            .collect::<Vec<_>>()
            .join(" ");
        let code: usize = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(|l| l.matches("todo!(").count())
            .sum();
        if let Some(promised) = todos_promised(&doc) {
            assert_eq!(
                promised, code,
                "exercises/src/{file}: its opening comment counts {promised} todo!()s, but it has {code}"
            );
            checked += 1;
        }
    }
    assert!(checked >= EXERCISES.len() / 2, "only {checked} stubs say how many todo!()s they hold");
}

#[test]
fn every_chapter_with_exercises_has_further_reading() {
    for exercise in EXERCISES {
        let text = read(&root().join("book/src").join(exercise.chapter));
        assert!(
            text.contains("\n## Further reading\n"),
            "book/src/{} has no \"## Further reading\" section, which the summary sends a \
             learner to once its exercises are done",
            exercise.chapter
        );
    }
}

#[test]
fn every_exercise_has_points_once() {
    let table = grader::results::points_table();
    for exercise in EXERCISES {
        let lines = table.iter().filter(|(name, _)| *name == exercise.name).count();
        assert_eq!(lines, 1, "tests/points.txt must give {} points once", exercise.name);
    }
    for (name, _) in &table {
        assert!(
            EXERCISES.iter().any(|e| e.name == *name),
            "tests/points.txt names {name}, which is not in the registry"
        );
    }
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

/// Runs the learner's self-grade on the stubs as shipped, in a scratch copy, as a learner
/// would: every check must fail as "not done yet".
#[test]
fn every_check_fails_on_the_shipped_stubs_as_not_done() {
    let Some(dir) = scratch::shipped_workspace("shipped-stubs", |_, bytes| bytes) else {
        eprintln!("not a git checkout: the shipped stubs cannot be told from a learner's work");
        return;
    };
    let report = dir.join("report.tsv");
    let _ = fs::remove_file(&report);
    let started = Instant::now();
    let output = scratch::run_in(
        &dir,
        &scratch::cargo(),
        &["test", "--quiet", "-p", "exercises", "--test", "grade"],
        &[("GRADER_REPORT", &report)],
    );
    let took = started.elapsed();
    let text = fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "the grader wrote no report on the shipped stubs:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert!(!output.status.success(), "the shipped stubs passed their checks");
    let mut count = 0;
    for line in text.lines() {
        let mut fields = line.split('\t');
        let (check, verdict) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
        assert_eq!(
            verdict, "NotDone",
            "{check} should fail on the shipped stub as \"not done yet\": a stub committed to \
             the workbook (exercises/ as of the newest commit that changed solutions/, tests/, \
             book/, .ci/ or Cargo.toml) is not a stub"
        );
        count += 1;
    }
    assert!(count >= EXERCISES.len(), "only {count} checks ran on the stubs");
    eprintln!(
        "{count} checks failed as not done on the shipped stubs; build and run took {took:?}"
    );
}
