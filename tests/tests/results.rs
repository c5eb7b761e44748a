//! The results files other tools read: the JSON holds the fields of exercism's
//! test-runner interface on the shipped stubs (`fail`, every check), on the model answers
//! (`pass`) and on a stub that does not compile (`error`, with the compiler's message);
//! the JUnit XML parses and its counts agree; the CI files parse and run the README's
//! commands.

mod scratch;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use grader::registry::EXERCISES;
use scratch::root;
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

/// The files one run was asked to write.
struct Files {
    json: PathBuf,
    junit: PathBuf,
    markdown: PathBuf,
}

impl Files {
    fn in_folder(dir: &Path) -> Files {
        let files = Files {
            json: dir.join("results.json"),
            junit: dir.join("results.xml"),
            markdown: dir.join("progress.md"),
        };
        for file in [&files.json, &files.junit, &files.markdown] {
            let _ = fs::remove_file(file);
        }
        files
    }

    fn env(&self) -> [(&'static str, &Path); 3] {
        [
            ("GRADER_JSON", &self.json),
            ("GRADER_JUNIT", &self.junit),
            ("GRADER_MARKDOWN", &self.markdown),
        ]
    }

    fn json(&self, output: &Output) -> Value {
        let text = fs::read_to_string(&self.json).unwrap_or_else(|_| {
            panic!("no results file; the run said:\n{}", String::from_utf8_lossy(&output.stderr))
        });
        serde_json::from_str(&text).expect("the results file is JSON")
    }
}

/// The names of every check, as `cargo test -p exercises -- --list` gives them.
fn check_names(dir: &Path) -> BTreeSet<String> {
    let output = scratch::run_in(
        dir,
        &scratch::cargo(),
        &["test", "-q", "-p", "exercises", "--", "--list"],
        &[],
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// The fields exercism's interface (version 2 or 3) demands, and ours, in every test.
fn expect_interface(results: &Value) -> &Vec<Value> {
    let version = results["version"].as_u64().expect("a numeric version");
    assert!(version == 2 || version == 3, "version {version} is not 2 or 3");
    let tests = results["tests"].as_array().expect("a tests array");
    for test in tests {
        let name = test["name"].as_str().expect("each test has a name");
        let status = test["status"].as_str().expect("each test has a status");
        assert!(["pass", "fail", "error"].contains(&status), "{name}: status {status}");
        assert!(test["test_code"].is_string(), "{name} has no test_code");
        let exercise = test["exercise"].as_str().expect("each test names its exercise");
        assert!(name.starts_with(&format!("{exercise}::")), "{name} is not in {exercise}");
        let task = test["task_id"].as_u64().expect("each test has a task_id") as usize;
        assert_eq!(EXERCISES[task - 1].name, exercise, "{name}: task_id {task}");
        match status {
            "pass" => assert!(test["message"].is_null(), "{name} passed with a message"),
            _ => assert!(
                test["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{name} failed without a message"
            ),
        }
    }
    tests
}

/// The JUnit file parsed with a real XML parser: its counts against the JSON's.
fn expect_junit(path: &Path, results: &Value) {
    let text = fs::read_to_string(path).expect("a JUnit file");
    let doc = roxmltree::Document::parse(&text).expect("the JUnit file is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |node: roxmltree::Node, name: &str| -> usize {
        node.attribute(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("<{}> has no numeric {name}", node.tag_name().name()))
    };
    let tests = results["tests"].as_array().expect("tests");
    let failed = tests.iter().filter(|t| t["status"] != "pass").count();
    let errors = usize::from(results["status"] == "error");
    assert_eq!(attr(root, "tests"), tests.len() + errors, "testsuites' tests");
    assert_eq!(attr(root, "failures"), failed, "testsuites' failures");
    assert_eq!(attr(root, "errors"), errors, "testsuites' errors");
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    let mut cases = 0;
    for suite in &suites {
        let mine: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
        let failing = mine.iter().filter(|c| c.children().any(|n| n.has_tag_name("failure")));
        assert_eq!(attr(*suite, "tests"), mine.len(), "a testsuite's tests");
        assert_eq!(attr(*suite, "failures"), failing.count(), "a testsuite's failures");
        cases += mine.len();
        for case in mine.iter().filter(|c| c.children().any(|n| n.has_tag_name("failure"))) {
            let failure = case.children().find(|n| n.has_tag_name("failure")).expect("one");
            assert!(failure.attribute("message").is_some(), "a failure without a message");
            assert!(failure.text().is_some_and(|t| !t.is_empty()), "a failure without text");
        }
    }
    assert_eq!(cases, tests.len() + errors, "testcases in the JUnit file");
    let exercises = tests.iter().map(|t| t["exercise"].as_str()).collect::<BTreeSet<_>>();
    assert_eq!(suites.len(), exercises.len() + errors, "one testsuite per exercise");
}

#[test]
fn the_shipped_stubs_fail_every_check() {
    let Some(dir) = scratch::shipped_workspace("shipped-stubs", |_, bytes| bytes) else {
        eprintln!("not a git checkout: the shipped stubs cannot be told from a learner's work");
        return;
    };
    let files = Files::in_folder(&dir.join("results"));
    let output =
        scratch::run_in(&dir, &scratch::cargo(), &["test", "-q", "-p", "exercises"], &files.env());
    assert!(!output.status.success(), "the stubs passed");
    let results = files.json(&output);
    assert_eq!(results["status"], "fail");
    let tests = expect_interface(&results);
    let names: BTreeSet<String> =
        tests.iter().map(|t| t["name"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(names, check_names(&dir), "every check once in the results file");
    assert_eq!(names.len(), tests.len(), "a check twice in the results file");
    for test in tests {
        assert_eq!(test["status"], "fail", "{} on a stub", test["name"]);
        assert_eq!(test["not_done"], true, "{} on a stub", test["name"]);
    }
    let exercises = results["exercises"].as_array().expect("exercises");
    assert_eq!(exercises.len(), EXERCISES.len());
    for exercise in exercises {
        assert_eq!(exercise["standing"], "not started", "{}", exercise["name"]);
        assert_eq!(exercise["score"], 0);
    }
    assert_eq!(results["score"], 0);
    let max: u64 = EXERCISES.iter().map(|e| u64::from(grader::results::points(e.name))).sum();
    assert_eq!(results["max_score"], max);
    expect_junit(&files.junit, &results);
    let table = fs::read_to_string(&files.markdown).expect("a progress table");
    assert_eq!(table.matches("⬜ not started").count(), EXERCISES.len(), "{table}");
    // The runner: the grader ran, so it succeeds whatever the checks found.
    let output = scratch::run_in(
        &dir,
        Path::new(env!("CARGO_BIN_EXE_grade")),
        &[],
        &[("GRADER_JSON", &files.json), ("CARGO", &scratch::cargo())],
    );
    assert!(output.status.success(), "the runner failed although the grader ran");
    assert_eq!(files.json(&output)["status"], "fail");
}

#[test]
fn the_model_answers_pass_every_check() {
    let files = Files::in_folder(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("solutions-results"));
    let output = std::process::Command::new(scratch::cargo())
        .args(["test", "-q", "-p", "solutions", "--test", "grade"])
        .current_dir(root())
        .envs(files.env())
        .env_remove("GRADER_REPORT")
        .env_remove("GRADER_ANNOTATIONS")
        .output()
        .expect("cargo runs");
    let results = files.json(&output);
    assert!(output.status.success(), "the model answers failed:\n{results:#}");
    assert_eq!(results["status"], "pass");
    let tests = expect_interface(&results);
    assert!(tests.len() >= EXERCISES.len(), "only {} checks", tests.len());
    assert!(tests.iter().all(|t| t["status"] == "pass"));
    for exercise in results["exercises"].as_array().expect("exercises") {
        assert_eq!(exercise["standing"], "done", "{}", exercise["name"]);
    }
    assert_eq!(results["score"], results["max_score"]);
    expect_junit(&files.junit, &results);
}

#[test]
fn a_stub_that_does_not_compile_is_an_error_with_the_compilers_message() {
    let broken = "exercises/src/nat.rs";
    let Some(dir) = scratch::shipped_workspace("broken-stub", |path, mut bytes| {
        if path == broken {
            bytes.extend_from_slice(b"\npub fn half_written(\n");
        }
        bytes
    }) else {
        eprintln!("not a git checkout: the shipped stubs cannot be told from a learner's work");
        return;
    };
    let files = Files::in_folder(&dir.join("results"));
    let mut env = files.env().to_vec();
    let cargo = scratch::cargo();
    env.push(("CARGO", &cargo));
    env.push(("GRADER_ANNOTATIONS", Path::new("github")));
    let output = scratch::run_in(&dir, Path::new(env!("CARGO_BIN_EXE_grade")), &[], &env);
    assert!(!output.status.success(), "the runner succeeded although nothing could run");
    let results = files.json(&output);
    assert_eq!(results["status"], "error");
    expect_interface(&results);
    let message = results["message"].as_str().expect("an error's message");
    assert!(message.starts_with("error"), "not the compiler's message:\n{message}");
    assert!(message.contains(broken), "the message does not name {broken}:\n{message}");
    assert!(!message.contains("could not compile"), "cargo's closing words kept:\n{message}");
    assert!(!message.contains("Compiling"), "cargo's progress kept:\n{message}");
    expect_junit(&files.junit, &results);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("::error file={broken},line=")),
        "no annotation on {broken}:\n{stdout}"
    );
    let table = fs::read_to_string(&files.markdown).expect("a Markdown page");
    assert!(table.contains("could not run"), "{table}");
}

/// Every `run:` of a workflow file's steps, or `script:` line of a GitLab job.
fn commands(yaml: &Yaml) -> Vec<String> {
    let mut found = Vec::new();
    match yaml {
        Yaml::Hash(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    (Some("run"), Yaml::String(run)) => found.extend(run.lines().map(String::from)),
                    (Some("script"), Yaml::Array(lines)) => {
                        found.extend(lines.iter().filter_map(|l| l.as_str().map(String::from)))
                    }
                    _ => found.extend(commands(value)),
                }
            }
        }
        Yaml::Array(items) => items.iter().for_each(|item| found.extend(commands(item))),
        _ => {}
    }
    found
}

fn load(path: &str) -> Yaml {
    let text = fs::read_to_string(root().join(path)).unwrap_or_else(|_| panic!("{path}"));
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(docs.len(), 1, "{path} holds one YAML document");
    docs.remove(0)
}

#[test]
fn the_ci_files_parse_and_run_the_readmes_commands() {
    let readme = fs::read_to_string(root().join("README.md")).expect("README.md");
    let workflows = fs::read_dir(root().join(".github/workflows"))
        .expect(".github/workflows")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".yml") || name.ends_with(".yaml"))
        .map(|name| format!(".github/workflows/{name}"));
    let mut all = Vec::new();
    for path in workflows.chain([".gitlab-ci.yml".to_string()]) {
        let yaml = load(&path);
        for command in commands(&yaml) {
            let command = command.trim();
            // What grades or checks must be what the README documents.
            if command.starts_with("cargo ") || command.starts_with(".ci/") {
                assert!(
                    readme.contains(command),
                    "{path} runs `{command}`, which README.md does not document"
                );
            }
            all.push((path.clone(), command.to_string()));
        }
    }
    let runs = |file: &str, command: &str| all.iter().any(|(p, c)| p == file && c == command);
    let runner = "cargo run -q -p grader --bin grade";
    assert!(runs(".github/workflows/grade.yml", runner), "grade.yml does not run the grader");
    assert!(runs(".gitlab-ci.yml", runner), ".gitlab-ci.yml does not run the grader");
    assert!(runs(".github/workflows/ci.yml", ".ci/run"), "ci.yml does not run .ci/run");
    for variable in ["GRADER_JSON", "GRADER_JUNIT", "GRADER_MARKDOWN", "GRADER_ANNOTATIONS"] {
        assert!(readme.contains(variable), "README.md does not document {variable}");
    }
    let grade = load(".github/workflows/grade.yml");
    let env = &grade["jobs"]["grade"]["env"];
    for variable in ["GRADER_JSON", "GRADER_JUNIT", "GRADER_MARKDOWN"] {
        assert!(env[variable].as_str().is_some(), "grade.yml does not set {variable}");
    }
    assert_eq!(env["GRADER_ANNOTATIONS"].as_str(), Some("github"));
    let gitlab = load(".gitlab-ci.yml");
    let junit = gitlab["grade"]["artifacts"]["reports"]["junit"].as_str();
    assert_eq!(
        junit,
        gitlab["grade"]["variables"]["GRADER_JUNIT"].as_str(),
        "GitLab's JUnit report"
    );
    let ci = load(".github/workflows/ci.yml");
    let checkout = &ci["jobs"]["ci"]["steps"][0];
    assert_eq!(checkout["with"]["fetch-depth"].as_i64(), Some(0), "ci.yml needs the whole history");
}

#[test]
fn the_dev_container_has_mdbook_and_forwards_the_books_port() {
    let text = fs::read_to_string(root().join(".devcontainer/devcontainer.json"))
        .expect(".devcontainer/devcontainer.json");
    let config: Value = serde_json::from_str(&text).expect("devcontainer.json is plain JSON");
    assert!(config["forwardPorts"].as_array().is_some_and(|p| p.contains(&Value::from(3000))));
    let setup = config["postCreateCommand"].as_str().expect("a postCreateCommand");
    let readme = fs::read_to_string(root().join("README.md")).expect("README.md");
    for needed in ["mdbook-v0.5.4", "cargo install --locked mdbook --version 0.5.4"] {
        assert!(setup.contains(needed) && readme.contains(needed), "{needed} differs");
    }
}
