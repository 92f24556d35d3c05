//! Every user-visible string lives in `src/i18n.rs`: this test fails when a component writes
//! a text literal straight into its markup (`>"Text"<`, or a line that is only `"Text"`).
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

/// Literal view children with a letter in them, as `file:line: text`.
fn literal_children(source: &str, file: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") {
            continue;
        }
        let own_line = trimmed.len() > 2
            && trimmed.starts_with('"')
            && trimmed.ends_with('"') // arguments end with a comma, view children do not
            && trimmed.matches('"').count() == 2;
        let after_tag = line.match_indices(">\"").any(|(i, _)| {
            let rest = &line[i + 2..];
            rest.find('"')
                .is_some_and(|end| rest[..end].chars().any(char::is_alphabetic))
        });
        let text_literal = trimmed.chars().any(char::is_alphabetic);
        if (own_line && text_literal && !trimmed.contains('{')) || after_tag {
            found.push(format!("{file}:{}: {trimmed}", n + 1));
        }
    }
    found
}

/// Every `.rs` file under `dir`, at any depth (components live in folders too:
/// `src/ui/charts/`, `src/ui/sweep/`).
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn components_hold_no_text_literals() {
    let mut found = Vec::new();
    for path in rust_files(Path::new("src/ui")) {
        let source = fs::read_to_string(&path).unwrap();
        found.extend(literal_children(&source, &path.display().to_string()));
    }
    assert!(
        found.is_empty(),
        "text literals in components (move them to src/i18n.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_catches_literals() {
    assert_eq!(literal_children("<dt>\"Batch size\"</dt>", "x").len(), 1);
    assert_eq!(literal_children("    \"Training\"", "x").len(), 1);
    assert!(literal_children("<dt>{move || t().batch_size}</dt>", "x").is_empty());
}

#[test]
fn the_scan_reaches_component_folders() {
    let files = rust_files(Path::new("src/ui"));
    for nested in ["src/ui/charts/mod.rs", "src/ui/sweep/mod.rs"] {
        assert!(
            files
                .iter()
                .any(|p| p.ends_with(nested.trim_start_matches("src/ui/"))),
            "{nested} is not scanned: {files:?}"
        );
    }
}
