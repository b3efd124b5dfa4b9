//! The crate's architecture rules, checked on its source.
//!
//! `docs/architecture.md` lists the layers of `crates/brooklet/src` and what
//! each module may know. These tests read the source and fail, naming the
//! file and line, when a change breaks one of those rules: a module that
//! imports one above it, HTTP outside the server, a lock guard handed out of
//! its module, poisoned-lock recovery outside `sync.rs`.

use std::path::{Path, PathBuf};

/// The top-level modules, bottom layer first. A module may use modules of
/// lower layers only (the same layer counts as "not lower").
const LAYERS: &[&[&str]] = &[
    &["error", "protocol", "sync"],
    &["config"],
    &["page", "payload", "data"],
    &["run", "uploads"],
    &["runtime"],
    &["store"],
    &["ui"],
    &["session"],
    &["threads", "cache"],
    &["server"],
    &["testing", "app"],
];

/// Names re-exported at the crate root, and the module they come from
/// (`crate::Ui` is a use of `ui`).
const ROOT_REEXPORTS: &[(&str, &str)] = &[
    ("App", "app"),
    ("ClientSettings", "config"),
    ("Config", "config"),
    ("ErrorDetails", "config"),
    ("RunnerConfig", "config"),
    ("ServerConfig", "config"),
    ("Error", "error"),
    ("Result", "error"),
    ("QueryParams", "store"),
    ("SessionState", "store"),
    ("StateError", "store"),
    ("Ui", "ui"),
    ("prelude", "app"),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn files(dir: &Path, top: Option<&str>, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let module = top.map_or(name.clone(), str::to_owned);
        if path.is_dir() {
            files(&path, Some(&module), out);
        } else if path.extension().is_some_and(|e| e == "rs") && module != "lib" {
            out.push((module, path));
        }
    }
}

/// The code lines of a file (comments and doc comments left out), numbered.
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    std::fs::read_to_string(path)
        .expect("read file")
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(i, line)| (i + 1, line.to_owned()))
        .collect()
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn all_files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    files(&src(), None, &mut out);
    out
}

/// Where `crate::name` (or `$crate::name`) is used in `line`.
fn crate_paths(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        found.push(name);
        rest = after;
    }
    found
}

#[test]
fn every_top_level_module_has_a_layer() {
    let mut missing: Vec<String> = all_files()
        .into_iter()
        .map(|(module, _)| module)
        .filter(|module| layer_of(module).is_none())
        .collect();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "add these modules to LAYERS here and to docs/architecture.md: {missing:?}"
    );
}

#[test]
fn modules_use_only_lower_layers() {
    let mut violations = Vec::new();
    for (module, path) in all_files() {
        let Some(own) = layer_of(&module) else {
            continue;
        };
        for (number, line) in code_lines(&path) {
            for name in crate_paths(&line) {
                let used = ROOT_REEXPORTS
                    .iter()
                    .find(|(export, _)| *export == name)
                    .map_or(name.as_str(), |(_, module)| module);
                if used == module {
                    continue;
                }
                match layer_of(used) {
                    Some(layer) if layer < own => {}
                    _ => violations.push(format!(
                        "{}:{number}: `{module}` uses `{used}`",
                        path.display()
                    )),
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the layers of docs/architecture.md:\n{}",
        violations.join("\n")
    );
}

/// Whether `line` uses the type `name` (`&Ui`, `Ui::…`, `Arc<Ui>`, …), as
/// opposed to the word in a message.
fn names_type(line: &str, name: &str) -> bool {
    line.match_indices(name).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + name.len()..].chars().next();
        let word_start = !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
        word_start
            && (before == Some('&')
                || before == Some('<')
                || after.is_some_and(|c| matches!(c, ':' | '>' | ',' | ')' | ';' | '{')))
    })
}

#[test]
fn protocol_imports_nothing_of_the_crate_and_stores_know_no_ui() {
    let mut violations = Vec::new();
    for (module, path) in all_files() {
        for (number, line) in code_lines(&path) {
            let crate_uses = !crate_paths(&line).is_empty();
            if module == "protocol" && crate_uses {
                violations.push(format!(
                    "{}:{number}: protocol uses the crate",
                    path.display()
                ));
            }
            let names_ui = names_type(&line, "Ui");
            if matches!(module.as_str(), "store" | "run" | "page" | "runtime") && names_ui {
                violations.push(format!("{}:{number}: {module} names `Ui`", path.display()));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn nothing_below_the_server_knows_http() {
    let http = [
        "axum::",
        "hyper::",
        "hyper_util::",
        "http::",
        "tower::",
        "tower_http::",
    ];
    let mut violations = Vec::new();
    for (module, path) in all_files() {
        if matches!(module.as_str(), "server" | "app") {
            continue;
        }
        for (number, line) in code_lines(&path) {
            if let Some(name) = http.iter().find(|name| {
                line.match_indices(**name).any(|(at, _)| {
                    at == 0 || !line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            }) {
                violations.push(format!("{}:{number}: {module} uses {name}", path.display()));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// What the lock rule finds wrong in one file's code lines.
fn lock_violations(lines: &[(usize, String)]) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (at, (number, line)) in lines.iter().enumerate() {
        let previous = at.checked_sub(1).map_or("", |p| lines[p].1.as_str());
        let trimmed = line.trim_start();
        let recovers = line.contains("PoisonError")
            || (line.contains("into_inner")
                && (line.contains("unwrap_or_else") || previous.contains("unwrap_or_else")));
        if recovers {
            found.push((
                *number,
                "poisoned-lock recovery outside sync.rs (use sync::lock)",
            ));
        }
        let unwrapped = [
            ".lock().unwrap",
            ".lock().expect",
            ".lock().map(|",
            ".lock()?",
            ".lock().ok()",
        ]
        .iter()
        .any(|pattern| line.contains(pattern))
            || (previous.trim_end().ends_with(".lock()")
                && [".unwrap", ".expect", ".map(|", "?", ".ok()"]
                    .iter()
                    .any(|next| trimmed.starts_with(next)));
        if unwrapped {
            found.push((*number, "a lock taken without sync::lock"));
        }
        if line.contains("MutexGuard<") {
            // The signature this line belongs to (rustfmt may have split it).
            let signature = lines[..=at]
                .iter()
                .rev()
                .map(|(_, l)| l.trim_start())
                .find(|l| l.contains("fn "));
            if signature.is_some_and(|l| l.starts_with("pub")) {
                found.push((
                    *number,
                    "a lock guard handed out of its module (take a closure instead)",
                ));
            }
        }
        if trimmed.starts_with("pub") && !trimmed.contains("fn ") && line.contains("Mutex<") {
            found.push((
                *number,
                "a lock reachable from other modules (keep it private, add a closure accessor)",
            ));
        }
    }
    found
}

#[test]
fn locks_stay_in_their_module_and_poison_is_handled_once() {
    let mut violations = Vec::new();
    for (_, path) in all_files() {
        if path.ends_with("sync.rs") {
            continue;
        }
        for (number, what) in lock_violations(&code_lines(&path)) {
            violations.push(format!("{}:{number}: {what}", path.display()));
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The checks themselves find what they are meant to find, so that a rule
/// cannot pass because its detector broke.
#[test]
fn the_detectors_find_known_violations() {
    assert_eq!(crate_paths("use crate::ui::{Ui, Widget};"), vec!["ui"]);
    assert_eq!(
        crate_paths("$crate::ui::x(crate::run::y)"),
        vec!["ui", "run"]
    );
    assert!(names_type("fn f(ui: &Ui) {}", "Ui"));
    assert!(names_type("type F = Arc<dyn Fn(&Ui)>;", "Ui"));
    assert!(names_type("let x = Ui::current();", "Ui"));
    assert!(!names_type(
        r#"warn!("a Ui of a run that has ended")"#,
        "Ui"
    ));
    let lines = |text: &str| -> Vec<(usize, String)> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.to_owned()))
            .collect()
    };
    let found = |text: &str| lock_violations(&lines(text)).len();
    assert_eq!(found("m.lock().unwrap_or_else(|p| p.into_inner())"), 2);
    assert_eq!(
        found("m.lock()\n    .unwrap_or_else(|p| p.into_inner())"),
        2
    );
    assert_eq!(found("m.lock().unwrap_or_else(PoisonError::into_inner)"), 2);
    assert_eq!(
        found("pub(crate) fn page(&self) -> MutexGuard<'_, Page> {"),
        1
    );
    assert_eq!(
        found("pub(crate) fn page(\n    &self,\n) -> MutexGuard<'_, Page> {"),
        1
    );
    assert_eq!(
        found("fn lock(&self) -> MutexGuard<'_, Inner> {"),
        0,
        "private is fine"
    );
    assert_eq!(found("    pub(crate) query: Arc<Mutex<Vec<String>>>,"), 1);
    assert_eq!(found("let x = sync::lock(&self.page);"), 0);
}
