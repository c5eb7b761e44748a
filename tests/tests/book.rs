//! The book builds without a warning, its links, anchors and includes resolve, its Rust
//! listings come from files that compile, and every exercise is reached from its chapter.
//! No separately installed mdbook is needed: this builds the book with mdBook's library.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use grader::registry::EXERCISES;
use mdbook_driver::MDBook;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

fn chapters() -> Vec<(PathBuf, String)> {
    let src = root().join("book/src");
    let mut all: Vec<(PathBuf, String)> = fs::read_dir(&src)
        .expect("book/src")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("SUMMARY.md"))
        .map(|p| {
            let text = fs::read_to_string(&p).expect("a readable chapter");
            (p, text)
        })
        .collect();
    all.sort();
    all
}

/// Collects what mdBook logs at WARN or above.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Builds the book into a fresh folder and returns it, failing on any warning.
fn build() -> PathBuf {
    let out = std::env::temp_dir().join(format!("netbook-html-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let mut book = MDBook::load(root().join("book")).expect("book/book.toml loads");
        book.config.build.build_dir = out.clone();
        book.build().expect("the book builds");
    });
    let log = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(log.trim().is_empty(), "mdBook warned while building the book:\n{log}");
    out
}

/// Every `href` and `src` in `html` that points inside the book.
fn internal_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (at, _) in html.match_indices(attr) {
            let value = &html[at + attr.len()..];
            let value = &value[..value.find('"').unwrap_or(0)];
            let external = value.contains("://")
                || value.starts_with("mailto:")
                || value.starts_with("data:")
                || value.starts_with("javascript:");
            if !value.is_empty() && !external {
                links.push(value.to_string());
            }
        }
    }
    links
}

fn ids(html: &str) -> BTreeSet<String> {
    html.match_indices(" id=\"")
        .map(|(at, m)| {
            let value = &html[at + m.len()..];
            value[..value.find('"').unwrap_or(0)].to_string()
        })
        .collect()
}

#[test]
fn the_book_builds_without_warnings_and_its_links_resolve() {
    let out = build();
    let mut pages: HashMap<PathBuf, String> = HashMap::new();
    for (chapter, _) in chapters() {
        let name = chapter.with_extension("html");
        let page = out.join(name.file_name().expect("a file name"));
        let html = fs::read_to_string(&page).unwrap_or_else(|_| {
            panic!("{} was not rendered: is it in SUMMARY.md?", page.display())
        });
        pages.insert(page, html);
    }
    let mut broken = Vec::new();
    for (page, html) in &pages {
        for link in internal_links(html) {
            let (path, fragment) =
                link.split_once('#').map_or((link.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                page.clone()
            } else {
                page.parent().expect("a folder").join(path)
            };
            let target = target.canonicalize().unwrap_or(target);
            if !target.exists() {
                broken.push(format!("{}: {link} (no such file)", page.display()));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let text = pages
                    .get(&target)
                    .cloned()
                    .or_else(|| fs::read_to_string(&target).ok())
                    .unwrap_or_default();
                if !ids(&text).contains(fragment) {
                    broken.push(format!("{}: {link} (no such anchor)", page.display()));
                }
            }
        }
    }
    let _ = fs::remove_dir_all(&out);
    assert!(broken.is_empty(), "broken links in the book:\n{}", broken.join("\n"));
}

#[test]
fn every_rust_listing_is_included_from_a_file_that_compiles() {
    for (chapter, text) in chapters() {
        let mut in_rust = false;
        for line in text.lines() {
            let fence = line.trim_start();
            if fence.starts_with("```") {
                in_rust = !in_rust && fence.trim_start_matches('`').starts_with("rust");
                continue;
            }
            if in_rust && !line.trim().is_empty() {
                assert!(
                    line.trim().starts_with("{{#include ")
                        || line.trim().starts_with("{{#rustdoc_include "),
                    "{}: a Rust block holds code pasted in; include it from a file that compiles:\n{line}",
                    chapter.display()
                );
            }
        }
    }
}

#[test]
fn every_include_names_a_file_and_anchor_that_exist() {
    for (chapter, text) in chapters() {
        for (at, _) in text.match_indices("{{#include ") {
            let spec = &text[at + "{{#include ".len()..];
            let spec = spec[..spec.find("}}").expect("a closed include")].trim();
            let (path, anchor) = spec.split_once(':').map_or((spec, None), |(p, a)| (p, Some(a)));
            let file = chapter.parent().expect("a folder").join(path);
            let source = fs::read_to_string(&file).unwrap_or_else(|_| {
                panic!("{}: includes {path}, which does not exist", chapter.display())
            });
            if let Some(anchor) = anchor.filter(|a| !a.chars().all(|c| c.is_ascii_digit())) {
                assert!(
                    source.contains(&format!("ANCHOR: {anchor}"))
                        && source.contains(&format!("ANCHOR_END: {anchor}")),
                    "{}: includes {path}:{anchor}, but that file has no such anchor",
                    chapter.display()
                );
            }
        }
    }
}

#[test]
fn every_exercise_is_reached_from_its_chapter() {
    for exercise in EXERCISES {
        let chapter = root().join("book/src").join(exercise.chapter);
        let text = fs::read_to_string(&chapter).expect("the exercise's chapter");
        let file = format!("exercises/{}", exercise.file());
        assert!(text.contains(&file), "{} does not point the reader to {file}", chapter.display());
        let hint = format!("{{{{#include hints/{}.md}}}}", exercise.name);
        assert!(text.contains(&hint), "{} does not show the hint: {hint}", chapter.display());
        let title = text.lines().next().unwrap_or("");
        assert_eq!(
            title,
            format!("# {}", exercise.chapter_title),
            "the registry's title of {} is out of date",
            exercise.chapter
        );
    }
}

/// How many checks each exercise has, read from the `checks!` lists in `tests/checks/`:
/// the grader's own table, without compiling the checks against a crate.
fn check_counts() -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for entry in fs::read_dir(root().join("tests/checks")).expect("tests/checks") {
        let source = fs::read_to_string(entry.expect("an entry").path()).expect("a check file");
        let Some(at) = source.find("checks!(") else { continue };
        let list = &source[at + "checks!(".len()..];
        let list = &list[..list.find(')').expect("a closed checks! list")];
        let (exercise, names) = list.split_once(':').expect("checks!(\"exercise\": ...)");
        let count = names.split(',').filter(|name| !name.trim().is_empty()).count();
        counts.insert(exercise.trim().trim_matches('"').to_string(), count);
    }
    counts
}

/// The number in `text` right after `before` (and up to the next non-digit).
fn number_after(text: &str, before: &str) -> usize {
    let at = text.find(before).unwrap_or_else(|| panic!("no `{before}` in:\n{text}"));
    let digits: String =
        text[at + before.len()..].chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().unwrap_or_else(|_| panic!("no number after `{before}`"))
}

/// The stub as the repository holds it (git's HEAD), so that a learner's own edits do
/// not count; the working copy where git is not at hand.
fn committed(path: &str) -> String {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root())
        .args(["show", &format!("HEAD:{path}")])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .unwrap_or_else(|| fs::read_to_string(root().join(path)).expect("the stub"))
}

/// The introduction's sample output of `cargo test -p exercises -- udp_receiver` on the
/// untouched stubs is a real run's, kept in `book/listings/output/`. The numbers that
/// drift when checks are added (checks run, filtered out, exercises, where the first
/// `todo!()` is) must match the grader as it is now.
#[test]
fn the_introductions_sample_output_matches_the_grader() {
    const SAMPLE: &str = "book/listings/output/not-started.txt";
    const REDO: &str = "run `cargo test -p exercises -- udp_receiver` on the untouched stubs and \
                        paste its output, from `running` to the end and each line indented by three spaces \
                        (the sample sits in a list item), into";
    let sample = fs::read_to_string(root().join(SAMPLE)).expect("the sample output");
    let counts = check_counts();
    let total: usize = counts.values().sum();
    assert_eq!(counts.len(), EXERCISES.len(), "an exercise without a checks! list");
    let ran = counts["udp_receiver"];
    let stale = |what: &str| format!("{SAMPLE} is out of date ({what}): {REDO} {SAMPLE}");
    assert_eq!(number_after(&sample, "running "), ran, "{}", stale("checks run"));
    assert_eq!(number_after(&sample, "0 passed; "), ran, "{}", stale("checks failed"));
    assert_eq!(
        number_after(&sample, "0 measured; "),
        total - ran,
        "{}",
        stale("checks filtered out")
    );
    assert!(sample.contains("progress: 0/1 exercises done"), "{}", stale("exercise count"));
    let exercise = grader::registry::exercise("udp_receiver");
    let next = format!(
        "next: udp_receiver: read \"{}\" (book/src/{}), then open exercises/src/udp_receiver.rs",
        exercise.chapter_title, exercise.chapter
    );
    assert!(sample.contains(&next), "{}", stale("the `next:` line"));

    // Where the first `todo!()` is: the one in `bind`, which the first check calls.
    let stub = committed("exercises/src/udp_receiver.rs");
    let bind = stub.find("pub fn bind").expect("the stub has `bind`");
    let bind_body = &stub[bind..bind + stub[bind..].find("\n}").expect("`bind` ends")];
    if let Some(in_bind) = bind_body.find("todo!(") {
        let at = bind + in_bind;
        let line = stub[..at].lines().count();
        let column = at - stub[..at].rfind('\n').map_or(0, |nl| nl + 1) + 1;
        let place = format!("exercises/src/udp_receiver.rs:{line}:{column}");
        assert!(sample.contains(&place), "{}", stale(&format!("the first todo!() is at {place}")));
    }
}

/// The introduction's sample of a failing check names a real check, the file and chapter
/// the grader points to, and the words of the check's likely mistake.
#[test]
fn the_introductions_failing_check_is_the_graders() {
    const SAMPLE: &str = "book/listings/output/a-failing-check.txt";
    let sample = fs::read_to_string(root().join(SAMPLE)).expect("the sample failure");
    let name = sample.trim_start().strip_prefix("---- ").expect("a `---- check ----` line");
    let name = &name[..name.find(" ----").expect("a `---- check ----` line")];
    let (exercise, check) = name.split_once("::").expect("exercise::check");
    let checks = fs::read_to_string(root().join(format!("tests/checks/{exercise}.rs")))
        .expect("the exercise's checks");
    assert!(checks.contains(&format!("fn {check}(")), "{SAMPLE}: no check {name}");
    let likely = sample.split("likely mistake: ").nth(1).expect("a `likely mistake:` line");
    let likely = likely.lines().next().unwrap_or("").trim_end_matches("...").trim_end();
    let likely = likely.trim_end_matches(';').replace('\\', "\\\\");
    assert!(
        checks.contains(&likely),
        "{SAMPLE}: tests/checks/{exercise}.rs no longer says: {likely}"
    );
    let registered = grader::registry::exercise(exercise);
    let open = format!(
        "open exercises/src/{exercise}.rs and read \"{}\" (book/src/{})",
        registered.chapter_title, registered.chapter
    );
    assert!(sample.contains(&open), "{SAMPLE}: the grader now says `{open}`");
}

/// Where a chapter counts an exercise's checks in words, the count is the grader's.
#[test]
fn the_chapters_count_checks_as_the_grader_does() {
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let counts = check_counts();
    // (chapter, exercise, the words before and after the count)
    const COUNTED: &[(&str, &str, &str, &str)] =
        &[("tcp.md", "chat_server", "passes eight of these ", " checks")];
    for &(chapter, exercise, before, after) in COUNTED {
        let text = fs::read_to_string(root().join("book/src").join(chapter)).expect("a chapter");
        let count = counts[exercise];
        let said = format!("{before}{}{after}", WORDS.get(count).copied().unwrap_or("many"));
        assert!(
            text.contains(&said),
            "book/src/{chapter} should say \"{said}\": {exercise} has {count} checks now"
        );
    }
}
