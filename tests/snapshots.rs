//! Snapshots of `baton check` output, human and JSON, on a few rule fixtures whose findings
//! come from control-flow rules only. Stored in `tests/snapshots/`.
//!
//! When a change to the output is intended, regenerate and review the diff:
//!
//! ```text
//! INSTA_UPDATE=always cargo test --test snapshots
//! git diff tests/snapshots/
//! ```
//!
//! (or `cargo insta review` with `cargo-insta` installed). With `CI=true`, as in CI, a mismatch
//! fails and nothing is written.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

/// The fixtures, relative to the repository root, which is the current folder of every run so
/// that the paths in the output are the same everywhere.
const FIXTURES: &[(&str, &str)] = &[
    (
        "unreachable_step",
        "analyzer/tests/fixtures/rules/unreachable-step/bad.yaml",
    ),
    (
        "undefined_step",
        "analyzer/tests/fixtures/rules/undefined-step/bad.yaml",
    ),
    (
        "parse_error",
        "analyzer/tests/fixtures/rules/parse-error/bad.yaml",
    ),
    ("clean", "tests/data/clean.yaml"),
];

/// The exit status, then standard output.
fn check(format: &str, path: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["check", "--format", format, path])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // Output to a pipe has no colour anyway; this makes sure.
        .env("NO_COLOR", "1")
        .output()
        .expect("baton runs");
    format!(
        "exit status: {}\n\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout)
    )
}

fn snapshot_all(format: &str) {
    for (name, path) in FIXTURES {
        insta::with_settings!({
            description => format!("baton check --format {format} {path}"),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("{name}_{format}"), check(format, path));
        });
    }
}

#[test]
fn human() {
    snapshot_all("human");
}

#[test]
fn json() {
    snapshot_all("json");
}
