//! The SVG the app shows and exports (`baton_analyzer::view::svg`), from the gallery's first
//! example.

// Tests fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::examples::EXAMPLES;
use baton_analyzer::view::scene::{build, ViewOptions};
use baton_analyzer::view::svg::*;

#[test]
fn every_node_and_edge_carries_its_hooks() {
    let report = baton_analyzer::analyze(&EXAMPLES[0].sources());
    let scene = build(&report, &ViewOptions::default());
    let svg = standalone(&scene, &Marks::default());
    assert!(svg.starts_with("<?xml"));
    for n in report.graph.nodes() {
        let id = &report.graph.node(n).id;
        assert!(
            svg.contains(&format!("data-node-id=\"{}\"", escape(id))),
            "{id}"
        );
    }
    assert_eq!(
        svg.matches("data-edge-kind=").count(),
        report.graph.graph.edge_count()
    );
    assert!(svg.contains("<style>"));
}

/// Marks name nodes by key, and a step's mark lands on that step's element.
#[test]
fn marks_land_on_the_keyed_nodes() {
    let report = baton_analyzer::analyze(&EXAMPLES[0].sources());
    let workflow = report.graph.find("workflow:image-pipeline").unwrap();
    let options = ViewOptions {
        expanded: [report.graph.node(workflow).key()].into(),
        ..ViewOptions::default()
    };
    let scene = build(&report, &options);
    let step = scene
        .nodes
        .iter()
        .find(|n| n.name == "never_reached")
        .unwrap();
    let marks = Marks {
        highlighted_nodes: [step.key.clone()].into(),
        matches: Some([step.key.clone()].into()),
        ..Marks::default()
    };
    let svg = render(&scene, &marks);
    let element = format!(r#"data-node-id="{}""#, escape(&step.token));
    let class = |line: &str| {
        let start = line.rfind("<g class=\"").unwrap() + 10;
        line[start..].split('"').next().unwrap().to_string()
    };
    let at = svg.find(&element).unwrap();
    let own = class(&svg[..at]);
    assert!(
        own.contains("highlighted") && own.contains("match"),
        "{own}"
    );
    assert_eq!(svg.matches(" highlighted").count(), 1);
    // Every other node is dimmed by the search.
    assert_eq!(svg.matches(" match").count(), 1);
    let dimmed = svg.matches(r#" dimmed" data-node-id"#).count();
    assert_eq!(dimmed, scene.nodes.len() - 1);
}

#[test]
fn names_are_text_only() {
    assert_eq!(
        escape(r#""><img src=x onerror=alert(1)>"#),
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    );
    assert_eq!(
        escape("<script>'x'</script>"),
        "&lt;script&gt;&#39;x&#39;&lt;/script&gt;"
    );
}
