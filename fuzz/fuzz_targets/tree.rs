//! The YAML/JSON tree builder alone (`tree::parse`), with the default and with tight limits.
#![no_main]

use baton_analyzer::tree::{self, Limits, Node, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = baton_fuzz::text(data);
    let lines = text.lines().count();
    for limits in [
        Limits::default(),
        Limits {
            max_depth: 4,
            max_alias_nodes: 16,
            ..Limits::default()
        },
    ] {
        let (docs, errors) = tree::parse(&text, limits);
        for error in &errors {
            assert!(
                error.pos.line >= 1 && error.pos.line as usize <= lines + 1,
                "error at line {} of {lines}",
                error.pos.line
            );
        }
        // Iteratively, like the builder: a recursive walk could overflow on deep input.
        let mut stack: Vec<(&Node, usize)> = docs.iter().map(|d| (d, 1)).collect();
        while let Some((node, depth)) = stack.pop() {
            assert!(
                node.pos.line >= 1 && node.pos.line as usize <= lines + 1,
                "node at line {} of {lines}",
                node.pos.line
            );
            assert!(
                depth <= limits.max_depth + 1,
                "depth {depth} beyond the limit"
            );
            match &node.value {
                Value::Scalar(_) => {}
                Value::Seq(items) => stack.extend(items.iter().map(|n| (n, depth + 1))),
                Value::Map(entries) => {
                    for (k, v) in entries {
                        stack.push((k, depth + 1));
                        stack.push((v, depth + 1));
                    }
                }
            }
        }
    }
});
