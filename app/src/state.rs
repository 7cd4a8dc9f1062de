//! The app's state: the loaded files (the only thing that persists), what the analyzer made of
//! them, and the user's view choices. Components read and write it through [`State`], which is
//! `Copy` and provided as context.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use baton_analyzer::export::subject_name;
use baton_analyzer::graph::NodeKey;
use baton_analyzer::layout::Direction;
use baton_analyzer::metrics::{metrics, Metrics};
use baton_analyzer::model::visit_steps;
use baton_analyzer::{analyze_with, Config, Report, ResourceId, ResourceKind, SourceFile};
use leptos::prelude::*;
use petgraph::graph::NodeIndex;

use crate::folders::Folders;
use crate::key::{SceneKey, StepKey};
use crate::place::Place;
use crate::scene::{build_near, Grouping, Scene, ViewOptions};
use crate::svg::Marks;

/// What the analyzer says about the loaded files.
pub struct Analyzed {
    pub files: Vec<SourceFile>,
    pub report: Report,
    pub metrics: Metrics,
    /// Where each finding of `report.findings` is on the graph (same order).
    pub places: Vec<Place>,
    /// What each finding is about, for people (same order).
    pub subjects: Vec<Option<String>>,
    /// The folders a grouped overview closes.
    pub folders: Folders,
}

impl Analyzed {
    pub fn new(files: Vec<SourceFile>, now: i64) -> Analyzed {
        let config = Config {
            now,
            ..Config::default()
        };
        let report = analyze_with(&files, &config);
        let metrics = metrics(&report.graph);
        let places: Vec<Place> = report
            .findings
            .iter()
            .map(|d| Place::of(&report, d))
            .collect();
        let subjects = report
            .findings
            .iter()
            .map(|d| subject_name(&report, d.subject))
            .collect();
        let folders = Folders::of(&report);
        Analyzed {
            files,
            report,
            metrics,
            places,
            subjects,
            folders,
        }
    }

    /// The folders (by path) to open so that `key` is drawn as itself.
    pub fn folders_around(&self, key: &SceneKey) -> Vec<String> {
        let graph = &self.report.graph;
        let node = match key {
            SceneKey::Node(node) => graph.find_key(node),
            SceneKey::Step(step) => graph.find_key(&step.workflow),
            SceneKey::Folder(_) => None,
        };
        let chain = node.map(|n| self.folders.chain(n)).unwrap_or_default();
        (chain.iter())
            .filter_map(|&l| Some(self.folders.level(l)?.path.clone()))
            .collect()
    }

    /// Indices of the findings placed on the node `key`.
    pub fn findings_on(&self, key: &SceneKey) -> Vec<usize> {
        self.places
            .iter()
            .enumerate()
            .filter(|(_, p)| p.nodes.contains(key))
            .map(|(i, _)| i)
            .collect()
    }
}

/// What is selected: details open for it, and it is highlighted.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    None,
    Node(SceneKey),
    Finding(usize),
}

#[derive(Clone, Copy)]
pub struct State {
    pub files: RwSignal<Vec<SourceFile>>,
    /// The example the workspace came from, if it is unchanged.
    pub example: RwSignal<Option<&'static str>>,
    pub analyzed: Memo<Arc<Analyzed>>,
    pub view: RwSignal<ViewOptions>,
    pub selection: RwSignal<Selection>,
    pub search: RwSignal<String>,
    pub heat: RwSignal<bool>,
    pub scene: Memo<Arc<Scene>>,
    pub marks: Memo<Marks>,
    /// A message for the user (storage full, a file that could not be read, ...).
    pub notice: RwSignal<Option<String>>,
    /// Set to centre the view on these nodes.
    pub centre_on: RwSignal<Option<Vec<SceneKey>>>,
}

fn arc_changed<T>(a: Option<&Arc<T>>, b: Option<&Arc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => !Arc::ptr_eq(a, b),
        _ => true,
    }
}

impl State {
    pub fn new(files: Vec<SourceFile>, example: Option<&'static str>) -> State {
        let files = RwSignal::new(files);
        let analyzed = Memo::new_with_compare(
            move |_| Arc::new(Analyzed::new(files.get(), now())),
            arc_changed,
        );
        let view = RwSignal::new(ViewOptions::default());
        // Each scene is laid out near the one before, so that expanding a workflow, focusing
        // or loading a file moves what was already drawn as little as possible.
        let scene = Memo::new_with_compare(
            move |previous: Option<&Arc<Scene>>| {
                let (analyzed, view) = (analyzed.get(), view.get());
                let start = now_ms();
                let mut scene = build_near(&analyzed.report, &view, previous.map(|p| &**p));
                scene.build_ms = now_ms() - start;
                Arc::new(scene)
            },
            arc_changed,
        );
        let selection = RwSignal::new(Selection::None);
        let search = RwSignal::new(String::new());
        let heat = RwSignal::new(false);
        let marks =
            Memo::new(move |_| marks(&analyzed.get(), &selection.get(), &search.get(), heat.get()));
        State {
            files,
            example: RwSignal::new(example),
            analyzed,
            view,
            selection,
            search,
            heat,
            scene,
            marks,
            notice: RwSignal::new(None),
            centre_on: RwSignal::new(None),
        }
    }

    /// Replaces the workspace.
    pub fn replace(&self, files: Vec<SourceFile>, example: Option<&'static str>) {
        self.selection.set(Selection::None);
        self.view.update(|v| {
            v.expanded.clear();
            v.focus = None;
            v.grouping = Grouping::Auto;
            v.opened.clear();
        });
        self.example.set(example);
        self.files.set(files);
    }

    /// Adds files; a file with the same path is replaced.
    pub fn add(&self, new: Vec<SourceFile>) {
        self.example.set(None);
        self.selection.set(Selection::None);
        self.files.update(|files| {
            for file in new {
                match files.iter_mut().find(|f| f.path == file.path) {
                    Some(old) => *old = file,
                    None => files.push(file),
                }
            }
        });
    }

    pub fn remove(&self, path: &str) {
        self.example.set(None);
        self.selection.set(Selection::None);
        self.files.update(|files| files.retain(|f| f.path != path));
    }

    pub fn set_direction(&self, direction: Direction) {
        self.view.update(|v| v.direction = direction);
    }

    pub fn toggle_expanded(&self, workflow: &NodeKey) {
        self.view.update(|v| {
            if !v.expanded.remove(workflow) {
                v.expanded.insert(workflow.clone());
            }
        });
    }

    /// Opens or closes the folder at `path` in the grouped overview.
    pub fn toggle_folder(&self, path: &str) {
        self.view.update(|v| {
            if !v.opened.remove(path) {
                v.opened.insert(path.to_string());
            }
        });
    }

    /// Opens the closed folders that hide any of `keys`, so that they are drawn.
    fn reveal<'k>(&self, keys: impl IntoIterator<Item = &'k SceneKey>) {
        let analyzed = self.analyzed.get_untracked();
        let scene = self.scene.get_untracked();
        let mut closed: Vec<String> = Vec::new();
        for key in keys {
            if scene.node(key).is_none() {
                closed.extend(analyzed.folders_around(key));
            }
        }
        let opened = self.view.with_untracked(|v| v.opened.clone());
        closed.retain(|path| !opened.contains(path));
        if !closed.is_empty() {
            self.view.update(|v| v.opened.extend(closed));
        }
    }

    pub fn select_finding(&self, i: usize) {
        self.selection.set(Selection::Finding(i));
        let analyzed = self.analyzed.get_untracked();
        if let Some(place) = analyzed.places.get(i) {
            self.reveal(&place.nodes);
            self.centre_on
                .set(Some(place.nodes.iter().cloned().collect()));
        }
    }

    pub fn select_node(&self, key: SceneKey) {
        self.reveal([&key]);
        self.centre_on.set(Some(vec![key.clone()]));
        self.selection.set(Selection::Node(key));
    }
}

fn marks(analyzed: &Analyzed, selection: &Selection, search: &str, heat: bool) -> Marks {
    let report = &analyzed.report;
    let mut marks = Marks::of_findings(report, &analyzed.places);
    match selection {
        Selection::None => {}
        Selection::Node(key) => {
            marks.selected = Some(key.clone());
            marks.highlighted_nodes.insert(key.clone());
        }
        Selection::Finding(i) => {
            if let Some(place) = analyzed.places.get(*i) {
                marks.highlighted_nodes = place.nodes.clone();
                marks.highlighted_edges = place.edges.clone();
            }
        }
    }
    let needle = search.trim();
    if !needle.is_empty() {
        marks.matches = Some(search_matches(report, needle));
    }
    if heat {
        let max = analyzed
            .metrics
            .nodes
            .iter()
            .map(|m| m.ca + m.ce)
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        marks.heat = Some(
            analyzed
                .metrics
                .nodes
                .iter()
                .filter_map(|m| {
                    let key = SceneKey::of_node(report, m.node)?;
                    Some((key, (m.ca + m.ce) as f64 / max))
                })
                .collect(),
        );
    }
    marks
}

/// The nodes and steps whose name contains `needle`, ignoring case.
pub fn search_matches(report: &Report, needle: &str) -> BTreeSet<SceneKey> {
    let needle = needle.to_lowercase();
    let hit = |name: &str| name.to_lowercase().contains(&needle);
    let graph = &report.graph;
    let mut matches: BTreeSet<SceneKey> = (graph.nodes())
        .map(|n| graph.node(n))
        .filter(|node| hit(&node.name))
        .map(|node| SceneKey::Node(node.key()))
        .collect();
    // Steps, numbered as `key::definitions` numbers the definitions of a node.
    let mut definitions: HashMap<NodeIndex, u32> = HashMap::new();
    for (i, resource) in report.workspace.resources.iter().enumerate() {
        let (ResourceKind::Workflow(workflow), Some(n)) =
            (&resource.kind, graph.resource_node(ResourceId::new(i)))
        else {
            continue;
        };
        let next = definitions.entry(n).or_default();
        let definition = *next;
        *next += 1;
        for (sub, subworkflow) in workflow.subworkflows.iter().enumerate() {
            let mut step = 0u32;
            visit_steps(&subworkflow.steps, &mut |s| {
                if hit(&s.name) {
                    matches.insert(SceneKey::Step(StepKey {
                        workflow: graph.node(n).key(),
                        definition,
                        subworkflow: u32::try_from(sub).unwrap_or(u32::MAX),
                        step,
                    }));
                }
                step += 1;
            });
        }
    }
    matches
}

/// A monotonic clock in milliseconds, for the figures the page shows.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Unix seconds now (the analyzer has no clock).
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}
