//! The folder tree of a workspace, for the overview of a big one: a closed folder is drawn as
//! one box. A graph node lives where it is defined; a node that is only referenced lives in
//! the file that mentions it, or, mentioned by several, in a `(shared)` entry of the deepest
//! folder holding them all. Only the
//! levels that say something are kept: a folder with at least two nodes that is not just the
//! wrapper of one level with the same nodes nor of every node, and a file with many nodes (a
//! file of one workflow and its targets is not worth a box of its own). Pure, tested natively.

use std::collections::{BTreeSet, HashMap};

use crate::graph::NodeKind;
use crate::Report;
use petgraph::graph::NodeIndex;
use petgraph::Direction::{Incoming, Outgoing};

/// A file becomes a level of its own from this many nodes.
const FILE_LEVEL: usize = 10;

/// One level of the tree: a folder, or a file of many nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    /// `wf/orders` or `res/queues.yaml`.
    pub path: String,
    /// The nodes in it at every depth.
    pub nodes: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Folders {
    pub levels: Vec<Level>,
    /// For each graph node (by index), its levels from the outermost in.
    chains: Vec<Vec<u32>>,
}

impl Folders {
    pub fn of(report: &Report) -> Folders {
        let graph = &report.graph;
        let workspace = &report.workspace;
        let paths: Vec<String> = graph
            .nodes()
            .map(|n| {
                let node = graph.node(n);
                if node.resource.is_some() {
                    return workspace.path(node.loc.file).to_string();
                }
                let mentions = (graph.graph.edges_directed(n, Incoming))
                    .chain(graph.graph.edges_directed(n, Outgoing))
                    .map(|e| workspace.path(e.weight().loc.file));
                match common_path(mentions) {
                    Some(Common::File(file)) => file.to_string(),
                    Some(Common::Folder(folder)) => shared(folder),
                    None => workspace.path(node.loc.file).to_string(),
                }
            })
            .collect();
        // Nodes at every depth per prefix, and the largest child of each prefix.
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for path in &paths {
            for prefix in prefixes(path) {
                *counts.entry(prefix).or_default() += 1;
            }
        }
        // Decided from the deepest prefixes up: a folder is no level when one child level
        // already holds all its nodes.
        let folders: BTreeSet<&str> = counts.keys().filter_map(|&p| parent(p)).collect();
        let mut by_depth: Vec<(&str, usize)> = counts.iter().map(|(&p, &c)| (p, c)).collect();
        by_depth.sort_by_key(|&(p, _)| std::cmp::Reverse(p.matches('/').count()));
        let mut largest_child_level: HashMap<&str, usize> = HashMap::new();
        let mut levels = Vec::new();
        for (prefix, count) in by_depth {
            // A level of every node says nothing either: the overview starts below it.
            let is_level = count < paths.len()
                && if folders.contains(prefix) {
                    count >= 2 && largest_child_level.get(prefix) != Some(&count)
                } else {
                    count >= FILE_LEVEL
                };
            if is_level {
                if let Some(parent) = parent(prefix) {
                    let largest = largest_child_level.entry(parent).or_default();
                    *largest = (*largest).max(count);
                }
                levels.push(Level {
                    path: prefix.to_string(),
                    nodes: count,
                });
            }
        }
        levels.sort_by(|a, b| a.path.cmp(&b.path));
        let index: HashMap<&str, u32> = (levels.iter().enumerate())
            .map(|(i, l)| (l.path.as_str(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let chains = paths
            .iter()
            .map(|path| {
                prefixes(path)
                    .filter_map(|p| index.get(p).copied())
                    .collect()
            })
            .collect();
        Folders { levels, chains }
    }

    /// The levels of graph node `n`, from the outermost in.
    pub fn chain(&self, n: NodeIndex) -> &[u32] {
        self.chains.get(n.index()).map_or(&[], Vec::as_slice)
    }

    /// The level that draws node `n` when the levels in `open` show their contents: its
    /// outermost closed level, if any.
    pub fn closed(&self, n: NodeIndex, open: &BTreeSet<String>) -> Option<u32> {
        self.chain(n).iter().copied().find(|&l| {
            self.levels
                .get(l as usize)
                .is_some_and(|l| !open.contains(&l.path))
        })
    }

    pub fn level(&self, l: u32) -> Option<&Level> {
        self.levels.get(l as usize)
    }

    /// The name of level `l` under its parent level: `orders` for `wf/orders` in `wf`.
    pub fn short_name(&self, l: u32) -> String {
        let Some(level) = self.level(l) else {
            return String::new();
        };
        let parent = (self.levels.iter())
            .filter(|p| level.path.starts_with(&format!("{}/", p.path)))
            .map(|p| p.path.len() + 1)
            .max()
            .unwrap_or(0);
        level.path[parent..].to_string()
    }
}

/// The folder `prefix` is in, if it is in one.
fn parent(prefix: &str) -> Option<&str> {
    prefix.rsplit_once('/').map(|(parent, _)| parent)
}

/// `a`, `a/b`, `a/b/c.yaml` for `a/b/c.yaml`; nothing for `""`.
fn prefixes(path: &str) -> impl Iterator<Item = &str> {
    let ends = path
        .match_indices('/')
        .map(|(i, _)| i)
        .chain((!path.is_empty()).then_some(path.len()));
    ends.filter(|&i| i > 0).map(move |i| &path[..i])
}

/// Where the files that mention a node are.
#[derive(Debug, PartialEq)]
enum Common<'a> {
    /// All in this one file.
    File(&'a str),
    /// In several files, all in this folder (`""` at the top).
    Folder(&'a str),
}

/// Where all of `paths` are; `None` for no paths.
fn common_path<'a>(mut paths: impl Iterator<Item = &'a str>) -> Option<Common<'a>> {
    let first = paths.next()?;
    let mut common = Common::File(first);
    for path in paths {
        let folder = match common {
            Common::File(file) if file == path => continue,
            Common::File(file) => parent(file).unwrap_or(""),
            Common::Folder(folder) => folder,
        };
        let mut folder = folder;
        while !(folder.is_empty() || path.starts_with(&format!("{folder}/"))) {
            folder = parent(folder).unwrap_or("");
        }
        common = Common::Folder(folder);
    }
    Some(common)
}

/// Nodes only referenced, from several files of `folder`, are kept together in a box of
/// their own there: in a big estate they are the many services and topics defined elsewhere.
fn shared(folder: &str) -> String {
    if folder.is_empty() {
        SHARED.to_string()
    } else {
        format!("{folder}/{SHARED}")
    }
}

const SHARED: &str = "(shared)";

/// `120 workflows, 40 services`: what `kinds` counts, the most first.
pub fn summary(kinds: &[(NodeKind, usize)]) -> String {
    let mut kinds = kinds.to_vec();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    kinds
        .iter()
        .map(|&(kind, n)| format!("{n} {}{}", kind.as_str(), if n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_the_folders_and_the_file() {
        assert_eq!(
            prefixes("a/b/c.yaml").collect::<Vec<_>>(),
            ["a", "a/b", "a/b/c.yaml"]
        );
        assert_eq!(prefixes("c.yaml").collect::<Vec<_>>(), ["c.yaml"]);
        assert_eq!(prefixes("").count(), 0);
    }

    #[test]
    fn common_path_is_the_file_or_the_deepest_shared_folder() {
        fn common<'a>(paths: &[&'a str]) -> Option<Common<'a>> {
            common_path(paths.iter().copied())
        }
        assert_eq!(
            common(&["a/b.yaml", "a/b.yaml"]),
            Some(Common::File("a/b.yaml"))
        );
        assert_eq!(
            common(&["a/x/b.yaml", "a/x/c.yaml", "a/x/b.yaml"]),
            Some(Common::Folder("a/x"))
        );
        assert_eq!(common(&["ab/c.yaml", "a/c.yaml"]), Some(Common::Folder("")));
        assert_eq!(
            common(&["a/b.yaml", "a/bc.yaml"]),
            Some(Common::Folder("a"))
        );
        assert_eq!(
            common(&["a/x/b.yaml", "a/y/c.yaml", "a/z.yaml"]),
            Some(Common::Folder("a"))
        );
        assert_eq!(common(&[]), None);
    }
}
