//! Finding placement (`baton_analyzer::view::place`) on the gallery's first example and on
//! hand-made inputs.

// Tests fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::examples::EXAMPLES;
use baton_analyzer::view::key::{self, SceneKey};
use baton_analyzer::view::place::*;
use baton_analyzer::{Diagnostic, Report, RuleId, SourceFile};

fn finding<'r>(report: &'r Report, rule: RuleId, saying: &str) -> &'r Diagnostic {
    let mut found = (report.findings.iter()).filter(|d| d.rule == rule);
    let found = found.find(|d| d.message.contains(saying));
    found.unwrap_or_else(|| panic!("no {rule} saying {saying}"))
}

#[test]
fn a_finding_about_a_node_is_on_that_node_alone() {
    let report = baton_analyzer::analyze(&EXAMPLES[0].sources());
    let spof = Place::of(
        &report,
        finding(&report, RuleId::SinglePointOfFailure, "collage"),
    );
    let names: Vec<&str> = (spof.nodes.iter())
        .map(|key| match key {
            SceneKey::Node(key) => key.name.as_str(),
            SceneKey::Step(_) => "a step",
            SceneKey::Folder(_) => "a folder",
        })
        .collect();
    assert_eq!(names, ["collage"]);
    assert!(spof.edges.is_empty());
}

#[test]
fn a_finding_about_a_step_is_on_the_step_and_its_workflow() {
    let report = baton_analyzer::analyze(&EXAMPLES[0].sources());
    let place = Place::of(
        &report,
        finding(&report, RuleId::UnreachableStep, "never_reached"),
    );
    let [SceneKey::Node(workflow), SceneKey::Step(step)] =
        place.nodes.iter().collect::<Vec<_>>()[..]
    else {
        panic!("{place:?}");
    };
    assert_eq!(workflow.name, "image-pipeline");
    assert_eq!(&step.workflow, workflow);
    let (_, named) = key::step(&report, step).unwrap();
    assert_eq!(named.name, "never_reached");
}

#[test]
fn a_finding_about_a_position_is_not_on_the_graph() {
    let files = [SourceFile::new("bad.yaml", "- a: b: c\n")];
    let report = baton_analyzer::analyze(&files);
    let place = Place::of(&report, finding(&report, RuleId::ParseError, ""));
    assert!(place.is_empty(), "{place:?}");
}
