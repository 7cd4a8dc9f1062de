//! Evaluation of Terraform expressions the way `terraform plan` would see them without a cloud:
//! variables (defaults, tfvars, module inputs), locals, resource and data attributes, module
//! outputs, `count` and `for_each` instances, `for` expressions, templates, conditionals with a
//! known condition and the common functions. What only `apply` knows is a [`Value::Unknown`].
//!
//! Evaluation is lazy and memoised: a resource's instances, a local or an output are computed
//! once, when first needed; a cycle (a local that needs itself) gives an unknown value.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::Structure;
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span;

use super::functions;
use super::json::Translation;
use super::module::{join, BodyIn, Expr, Module, ResourceDecl};
use super::value::{InstanceId, ModuleInstanceId, Source, SourceBuilder, Value};
use crate::source::{FileId, SourceFile};

/// Most module instances (all roots together) and resource instances one input may make.
const MAX_MODULE_INSTANCES: usize = 10_000;
const MAX_RESOURCE_INSTANCES: usize = 100_000;
/// Deepest nesting of module calls, and of expression evaluation (references followed through
/// locals, variables and outputs count too): past it a value is unknown. Evaluation recurses,
/// and the browser's stack is small.
const MAX_MODULE_DEPTH: usize = 32;
const MAX_DEPTH: usize = 64;

/// Where an expression is evaluated: its module instance, `count.index`, `each`, and the
/// iterators of enclosing `for` expressions and `dynamic` blocks.
#[derive(Clone)]
pub(crate) struct Scope {
    pub instance: ModuleInstanceId,
    pub count: Option<Value>,
    pub each: Option<(Value, Value)>,
    pub names: Vec<(Rc<str>, Value)>,
}

impl Scope {
    pub(crate) fn module(instance: ModuleInstanceId) -> Scope {
        Scope {
            instance,
            count: None,
            each: None,
            names: Vec::new(),
        }
    }

    fn with(&self, name: &str, value: Value) -> Scope {
        let mut scope = self.clone();
        scope.names.push((name.into(), value));
        scope
    }

    fn name(&self, name: &str) -> Option<&Value> {
        self.names
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v)
    }
}

/// An instance of a module: the root, or one instance of a `module` block.
pub(crate) struct ModuleInstance {
    pub module: usize,
    /// Index of the root module instance this one belongs to.
    pub root: usize,
    /// `module.a["k"].module.b`; empty for a root.
    pub address: String,
    /// The call and the scope its arguments are evaluated in.
    pub call: Option<(usize, Scope)>,
    pub depth: usize,
}

/// One instance of a `resource` or `data` block.
pub(crate) struct ResourceInstance {
    pub module_instance: ModuleInstanceId,
    /// Index of the declaration in its module.
    pub decl: usize,
    /// `module.a.google_x.y["k"]`.
    pub address: String,
    pub scope: Scope,
    /// The index of the model resource this instance becomes, for managed resources of the
    /// types Baton reads.
    pub model: Option<usize>,
}

/// What is being evaluated, to stop at a cycle.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Busy {
    Resource(ModuleInstanceId, usize),
    Variable(ModuleInstanceId, String),
    Local(ModuleInstanceId, String),
    Output(ModuleInstanceId, String),
    Attribute(InstanceId, String),
}

/// How a resource or module block expands.
#[derive(Clone)]
enum Expansion {
    One(usize),
    Count(Vec<usize>),
    Each(BTreeMap<String, usize>),
}

pub(crate) struct Evaluator<'a> {
    pub files: &'a [SourceFile],
    /// The native syntax `.tf.json` files are read as.
    translations: &'a HashMap<FileId, Translation>,
    pub modules: Vec<Module<'a>>,
    pub module_by_dir: HashMap<String, usize>,
    pub file_by_path: HashMap<String, FileId>,
    pub instances: Vec<ModuleInstance>,
    pub resources: Vec<ResourceInstance>,
    /// Which resource types become model resources (`model` indices are given in the order
    /// instances are made).
    pub modelled: fn(&str) -> bool,
    pub model_count: usize,
    resource_expansions: HashMap<(ModuleInstanceId, usize), Expansion>,
    module_expansions: HashMap<(ModuleInstanceId, usize), Option<Expansion>>,
    locals: HashMap<(ModuleInstanceId, String), Value>,
    variables: HashMap<(ModuleInstanceId, String), Value>,
    attributes: HashMap<(InstanceId, String), Value>,
    busy: HashSet<Busy>,
    depth: usize,
    /// Files read with `file()` or `templatefile()`.
    pub consumed: HashSet<FileId>,
    /// Module sources that are neither local nor followed (registry, git), by module, once.
    pub not_followed: Vec<(ModuleInstanceId, usize)>,
    /// Set when a limit stopped the expansion.
    pub over_limit: Option<String>,
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(
        files: &'a [SourceFile],
        translations: &'a HashMap<FileId, Translation>,
        modules: Vec<Module<'a>>,
        modelled: fn(&str) -> bool,
    ) -> Evaluator<'a> {
        let module_by_dir = modules
            .iter()
            .enumerate()
            .map(|(i, m)| (m.dir.clone(), i))
            .collect();
        let file_by_path = files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    super::module::normalize(&f.path.replace('\\', "/")),
                    FileId(u32::try_from(i).unwrap_or(u32::MAX)),
                )
            })
            .collect();
        Evaluator {
            files,
            translations,
            modules,
            module_by_dir,
            file_by_path,
            instances: Vec::new(),
            resources: Vec::new(),
            modelled,
            model_count: 0,
            resource_expansions: HashMap::new(),
            module_expansions: HashMap::new(),
            locals: HashMap::new(),
            variables: HashMap::new(),
            attributes: HashMap::new(),
            busy: HashSet::new(),
            depth: 0,
            consumed: HashSet::new(),
            not_followed: Vec::new(),
            over_limit: None,
        }
    }

    /// Adds a root module instance.
    pub(crate) fn add_root(&mut self, module: usize) -> ModuleInstanceId {
        let id = self.instances.len();
        self.instances.push(ModuleInstance {
            module,
            root: id,
            address: String::new(),
            call: None,
            depth: 0,
        });
        id
    }

    /// Expands every resource and module block of `instance` and, recursively, of the module
    /// instances it calls.
    pub(crate) fn expand_all(&mut self, instance: ModuleInstanceId) {
        let module = self.instances[instance].module;
        for decl in 0..self.modules[module].resources.len() {
            self.expand_resource(instance, decl);
        }
        for call in 0..self.modules[module].calls.len() {
            let children: Vec<usize> = match self.expand_module(instance, call) {
                Some(Expansion::One(i)) => vec![i],
                Some(Expansion::Count(list)) => list,
                Some(Expansion::Each(map)) => map.into_values().collect(),
                None => Vec::new(),
            };
            for child in children {
                self.expand_all(child);
            }
        }
    }

    fn module_of(&self, instance: ModuleInstanceId) -> &Module<'a> {
        &self.modules[self.instances[instance].module]
    }

    /// The text of the file an expression is written in (for `.tf.json`, its translation).
    pub(crate) fn text(&self, file: FileId) -> &'a str {
        if let Some(translation) = self.translations.get(&file) {
            return &translation.text;
        }
        self.files
            .get(file.0 as usize)
            .map_or("", |f| f.text.as_str())
    }

    /// The source text of `expr`, for unknown values.
    pub(crate) fn source_of(&self, expr: Expr<'_>) -> &'a str {
        let text = self.text(expr.file);
        expr.expr
            .span()
            .and_then(|span| text.get(span))
            .unwrap_or("")
            .trim()
    }

    fn unknown(&self, expr: Expr<'_>) -> Value {
        Value::unknown(self.source_of(expr))
    }

    // -----------------------------------------------------------------------------------
    // Expansion of resources and modules

    /// The instances of resource block `decl` of module instance `instance`.
    fn expand_resource(&mut self, instance: ModuleInstanceId, decl: usize) -> Expansion {
        if let Some(e) = self.resource_expansions.get(&(instance, decl)) {
            return e.clone();
        }
        let key = Busy::Resource(instance, decl);
        if !self.busy.insert(key.clone()) {
            return Expansion::Count(Vec::new());
        }
        let (body, address) = {
            let d: &ResourceDecl<'a> =
                &self.modules[self.instances[instance].module].resources[decl];
            (d.body, d.address())
        };
        let prefix = match self.instances[instance].address.as_str() {
            "" => String::new(),
            a => format!("{a}."),
        };
        let scope = Scope::module(instance);
        let make = |this: &mut Self, suffix: String, scope: Scope| -> usize {
            this.new_resource(instance, decl, format!("{prefix}{address}{suffix}"), scope)
        };
        let expansion = match (body.attribute("count"), body.attribute("for_each")) {
            (Some(count), _) => match self.eval(count, &scope).as_number() {
                Some(n) => {
                    let n = n.clamp(0.0, 1000.0) as usize;
                    Expansion::Count(
                        (0..n)
                            .map(|i| {
                                let mut s = scope.clone();
                                s.count = Some(Value::Number(i as f64));
                                make(self, format!("[{i}]"), s)
                            })
                            .collect(),
                    )
                }
                // Unknown: one instance stands for them all.
                None => {
                    let mut s = scope.clone();
                    s.count = Some(Value::unknown("count.index"));
                    Expansion::Count(vec![make(self, String::new(), s)])
                }
            },
            (None, Some(for_each)) => {
                let collection = self.eval(for_each, &scope);
                match for_each_pairs(&collection) {
                    Some(pairs) => Expansion::Each(
                        pairs
                            .into_iter()
                            .take(1000)
                            .map(|(k, v)| {
                                let mut s = scope.clone();
                                s.each = Some((Value::str(k.as_str()), v));
                                let i = make(self, format!("[{}]", quote(&k)), s);
                                (k, i)
                            })
                            .collect(),
                    ),
                    None => {
                        let mut s = scope.clone();
                        s.each = Some((Value::unknown("each.key"), Value::unknown("each.value")));
                        let i = make(self, String::new(), s);
                        Expansion::Each(BTreeMap::from([("?".to_string(), i)]))
                    }
                }
            }
            (None, None) => Expansion::One(make(self, String::new(), scope)),
        };
        self.busy.remove(&key);
        self.resource_expansions
            .insert((instance, decl), expansion.clone());
        expansion
    }

    fn new_resource(
        &mut self,
        instance: ModuleInstanceId,
        decl: usize,
        address: String,
        scope: Scope,
    ) -> InstanceId {
        let d = &self.modules[self.instances[instance].module].resources[decl];
        let modelled = !d.data && (self.modelled)(d.ty);
        if self.resources.len() >= MAX_RESOURCE_INSTANCES {
            self.over_limit = Some(format!(
                "more than {MAX_RESOURCE_INSTANCES} resource instances"
            ));
        }
        let model = modelled.then(|| {
            self.model_count += 1;
            self.model_count - 1
        });
        self.resources.push(ResourceInstance {
            module_instance: instance,
            decl,
            address,
            scope,
            model,
        });
        self.resources.len() - 1
    }

    /// The instances of `module` block `call` of `instance`; `None` when its source is not a
    /// local folder that was loaded.
    fn expand_module(&mut self, instance: ModuleInstanceId, call: usize) -> Option<Expansion> {
        if let Some(e) = self.module_expansions.get(&(instance, call)) {
            return e.clone();
        }
        let module = self.instances[instance].module;
        let (source, body, name) = {
            let c = &self.modules[module].calls[call];
            (c.source.clone(), c.body, c.name)
        };
        let dir = self.modules[module].dir.clone();
        let target = source
            .as_deref()
            .filter(|s| s.starts_with("./") || s.starts_with("../"))
            .map(|s| join(&dir, s))
            .and_then(|d| self.module_by_dir.get(&d).copied());
        let depth = self.instances[instance].depth + 1;
        let Some(target) = target.filter(|_| depth <= MAX_MODULE_DEPTH) else {
            // A module with `count = 0` (or an empty `for_each`) makes nothing to miss.
            if target.is_none() && !self.makes_none(body, &Scope::module(instance)) {
                self.not_followed.push((instance, call));
            }
            self.module_expansions.insert((instance, call), None);
            return None;
        };
        // Mark first: a module that calls itself through `../..` stops here.
        self.module_expansions.insert((instance, call), None);
        let root = self.instances[instance].root;
        let prefix = match self.instances[instance].address.as_str() {
            "" => format!("module.{name}"),
            a => format!("{a}.module.{name}"),
        };
        let scope = Scope::module(instance);
        let make = |this: &mut Self, suffix: String, scope: Scope| -> Option<usize> {
            if this.instances.len() >= MAX_MODULE_INSTANCES {
                this.over_limit =
                    Some(format!("more than {MAX_MODULE_INSTANCES} module instances"));
                return None;
            }
            this.instances.push(ModuleInstance {
                module: target,
                root,
                address: format!("{prefix}{suffix}"),
                call: Some((call, scope)),
                depth,
            });
            Some(this.instances.len() - 1)
        };
        let expansion = match (body.attribute("count"), body.attribute("for_each")) {
            (Some(count), _) => match self.eval(count, &scope).as_number() {
                Some(n) => Expansion::Count(
                    (0..(n.clamp(0.0, 1000.0) as usize))
                        .filter_map(|i| {
                            let mut s = scope.clone();
                            s.count = Some(Value::Number(i as f64));
                            make(self, format!("[{i}]"), s)
                        })
                        .collect(),
                ),
                None => {
                    let mut s = scope.clone();
                    s.count = Some(Value::unknown("count.index"));
                    Expansion::Count(make(self, String::new(), s).into_iter().collect())
                }
            },
            (None, Some(for_each)) => {
                let collection = self.eval(for_each, &scope);
                match for_each_pairs(&collection) {
                    Some(pairs) => Expansion::Each(
                        pairs
                            .into_iter()
                            .take(1000)
                            .filter_map(|(k, v)| {
                                let mut s = scope.clone();
                                s.each = Some((Value::str(k.as_str()), v));
                                let i = make(self, format!("[{}]", quote(&k)), s)?;
                                Some((k, i))
                            })
                            .collect(),
                    ),
                    None => {
                        let mut s = scope.clone();
                        s.each = Some((Value::unknown("each.key"), Value::unknown("each.value")));
                        let i = make(self, String::new(), s);
                        Expansion::Each(i.map(|i| ("?".to_string(), i)).into_iter().collect())
                    }
                }
            }
            (None, None) => match make(self, String::new(), scope) {
                Some(i) => Expansion::One(i),
                None => Expansion::Count(Vec::new()),
            },
        };
        self.module_expansions
            .insert((instance, call), Some(expansion.clone()));
        Some(expansion)
    }

    /// Whether a block's `count` or `for_each` is known to make no instance.
    fn makes_none(&mut self, body: BodyIn<'a>, scope: &Scope) -> bool {
        if let Some(count) = body.attribute("count") {
            return self.eval(count, scope).as_number() == Some(0.0);
        }
        match body.attribute("for_each").map(|e| self.eval(e, scope)) {
            Some(Value::List(items)) => items.is_empty(),
            Some(Value::Map(entries)) => entries.is_empty(),
            _ => false,
        }
    }

    // -----------------------------------------------------------------------------------
    // Names

    fn variable(&mut self, instance: ModuleInstanceId, name: &str) -> Value {
        if let Some(v) = self.variables.get(&(instance, name.to_string())) {
            return v.clone();
        }
        let key = Busy::Variable(instance, name.to_string());
        if !self.busy.insert(key.clone()) {
            return Value::unknown(&format!("var.{name}"));
        }
        let module = self.instances[instance].module;
        let value = match &self.instances[instance].call {
            Some((call, scope)) => {
                let scope = scope.clone();
                // The call is written in the parent, whose scope its arguments use.
                let parent = self.instances[scope.instance].module;
                let argument = self.modules[parent].calls[*call].body.attribute(name);
                match argument {
                    Some(expr) => self.eval(expr, &scope),
                    None => self.default(module, instance, name),
                }
            }
            None => match self.modules[module].tfvars.get(name).copied() {
                Some(expr) => self.eval(expr, &Scope::module(instance)),
                None => self.default(module, instance, name),
            },
        };
        self.busy.remove(&key);
        self.variables
            .insert((instance, name.to_string()), value.clone());
        value
    }

    fn default(&mut self, module: usize, instance: ModuleInstanceId, name: &str) -> Value {
        match self.modules[module].variables.get(name).copied().flatten() {
            Some(expr) => self.eval(expr, &Scope::module(instance)),
            None => Value::unknown(&format!("var.{name}")),
        }
    }

    fn local(&mut self, instance: ModuleInstanceId, name: &str) -> Value {
        if let Some(v) = self.locals.get(&(instance, name.to_string())) {
            return v.clone();
        }
        let key = Busy::Local(instance, name.to_string());
        if !self.busy.insert(key.clone()) {
            return Value::unknown(&format!("local.{name}"));
        }
        let value = match self.module_of(instance).locals.get(name).copied() {
            Some(expr) => self.eval(expr, &Scope::module(instance)),
            None => Value::unknown(&format!("local.{name}")),
        };
        self.busy.remove(&key);
        self.locals
            .insert((instance, name.to_string()), value.clone());
        value
    }

    fn output(&mut self, instance: ModuleInstanceId, name: &str) -> Value {
        let key = Busy::Output(instance, name.to_string());
        if !self.busy.insert(key.clone()) {
            return Value::unknown(&format!("module output {name}"));
        }
        let value = match self.module_of(instance).outputs.get(name).copied() {
            Some(expr) => self.eval(expr, &Scope::module(instance)),
            None => Value::unknown(&format!("{}.{name}", self.instances[instance].address)),
        };
        self.busy.remove(&key);
        value
    }

    /// `google_x.y` (or `data.google_x.y`) seen from `instance`: one instance, a list or a map.
    fn resource_value(
        &mut self,
        instance: ModuleInstanceId,
        data: bool,
        ty: &str,
        name: &str,
    ) -> Option<Value> {
        let decl = self.module_of(instance).resource(data, ty, name)?;
        Some(match self.expand_resource(instance, decl) {
            Expansion::One(i) => self.resolve_data(i),
            Expansion::Count(list) => {
                Value::list(list.into_iter().map(|i| self.resolve_data(i)).collect())
            }
            Expansion::Each(map) => Value::map(
                map.into_iter()
                    .map(|(k, i)| (k, self.resolve_data(i)))
                    .collect(),
            ),
        })
    }

    /// A data source that names a resource managed in the same root (same type, same name)
    /// stands for it.
    fn resolve_data(&mut self, i: InstanceId) -> Value {
        let (instance, decl) = (self.resources[i].module_instance, self.resources[i].decl);
        let (data, ty) = {
            let d = &self.modules[self.instances[instance].module].resources[decl];
            (d.data, d.ty)
        };
        if !data {
            return Value::Resource(i);
        }
        let Some(name) = self.attribute(i, "name").as_known_str().map(str::to_string) else {
            return Value::Resource(i);
        };
        let root = self.instances[instance].root;
        let candidates: Vec<InstanceId> = (0..self.resources.len())
            .filter(|&j| {
                let r = &self.resources[j];
                let d = &self.modules[self.instances[r.module_instance].module].resources[r.decl];
                !d.data && d.ty == ty && self.instances[r.module_instance].root == root
            })
            .collect();
        for j in candidates {
            if self.attribute(j, "name").as_known_str() == Some(name.as_str()) {
                return Value::Resource(j);
            }
        }
        Value::Resource(i)
    }

    /// `module.m` seen from `instance`.
    fn module_value(&mut self, instance: ModuleInstanceId, name: &str) -> Option<Value> {
        let call = self.module_of(instance).call(name)?;
        Some(match self.expand_module(instance, call) {
            Some(Expansion::One(i)) => Value::Module(i),
            Some(Expansion::Count(list)) => {
                Value::list(list.into_iter().map(Value::Module).collect())
            }
            Some(Expansion::Each(map)) => Value::map(
                map.into_iter()
                    .map(|(k, i)| (k, Value::Module(i)))
                    .collect(),
            ),
            None => Value::unknown(&format!("module.{name}")),
        })
    }

    /// An attribute of a resource instance: from its configuration when written there, else
    /// what Terraform computes (`id`, `uri`...), as far as Baton can name it.
    pub(crate) fn attribute(&mut self, i: InstanceId, name: &str) -> Value {
        if let Some(v) = self.attributes.get(&(i, name.to_string())) {
            return v.clone();
        }
        let key = Busy::Attribute(i, name.to_string());
        if !self.busy.insert(key.clone()) {
            return Value::unknown(&format!("{}.{name}", self.resources[i].address));
        }
        let (body, ty) = {
            let r = &self.resources[i];
            let d = &self.modules[self.instances[r.module_instance].module].resources[r.decl];
            (d.body, d.ty)
        };
        let scope = self.resources[i].scope.clone();
        let value = match body.attribute(name) {
            Some(expr) => self.eval(expr, &scope),
            None if !body.blocks(name).is_empty() || has_dynamic(body, name) => {
                let value = self.blocks_value(body, name, &scope);
                super::computed::augment(self, i, ty, name, value)
            }
            None => {
                let instance = self.resources[i].module_instance;
                let default = match name {
                    "project" | "region" => self.provider_default(instance, name),
                    "location" => self.provider_default(instance, "region"),
                    _ => None,
                };
                default.unwrap_or_else(|| super::computed::attribute(self, i, ty, name))
            }
        };
        self.busy.remove(&key);
        self.attributes.insert((i, name.to_string()), value.clone());
        value
    }

    /// A default the root's `provider "google"` block sets (`project`, `region`), as seen from
    /// module instance `instance`.
    pub(crate) fn provider_default(
        &mut self,
        instance: ModuleInstanceId,
        key: &str,
    ) -> Option<Value> {
        let root = self.instances[instance].root;
        let provider = self.module_of(root).provider?;
        let expr = provider.attribute(key)?;
        Some(self.eval(expr, &Scope::module(root)))
    }

    /// The nested blocks named `name` of `body`, `dynamic` ones expanded, as a list of objects.
    pub(crate) fn blocks_value(&mut self, body: BodyIn<'a>, name: &str, scope: &Scope) -> Value {
        let blocks = self.blocks(body, name, scope);
        Value::list(
            blocks
                .into_iter()
                .map(|(b, s)| self.body_value(b, &s))
                .collect(),
        )
    }

    /// The nested blocks named `name` of `body` with the scope each is evaluated in: written
    /// ones, and one per element of each `dynamic "name"` block's `for_each`.
    pub(crate) fn blocks(
        &mut self,
        body: BodyIn<'a>,
        name: &str,
        scope: &Scope,
    ) -> Vec<(BodyIn<'a>, Scope)> {
        let mut out = Vec::new();
        for structure in body.body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            let inner = BodyIn {
                file: body.file,
                body: &block.body,
                start: block.span().map_or(0, |s| s.start),
            };
            if block.ident.as_str() == name && labels.is_empty() {
                out.push((inner, scope.clone()));
            } else if block.ident.as_str() == "dynamic" && labels == [name] {
                let iterator = inner
                    .attribute("iterator")
                    .map(|e| self.source_of(e).to_string())
                    .unwrap_or_else(|| name.to_string());
                let Some(content) = inner.blocks("content").into_iter().next() else {
                    continue;
                };
                let collection = match inner.attribute("for_each") {
                    Some(e) => self.eval(e, scope),
                    None => continue,
                };
                // A set's keys are its values, a list's its indices: a list of strings is
                // read as the set it usually is (`toset`), any other list by index.
                let pairs = for_each_pairs(&collection)
                    .map(|pairs| {
                        pairs
                            .into_iter()
                            .map(|(k, v)| (Value::str(k.as_str()), v))
                            .collect()
                    })
                    .or_else(|| iteration_pairs(&collection));
                match pairs {
                    Some(pairs) => {
                        for (k, v) in pairs.into_iter().take(1000) {
                            let it = iterator_value(k, v);
                            out.push((content, scope.with(&iterator, it)));
                        }
                    }
                    None => {
                        let it = iterator_value(
                            Value::unknown(&format!("{iterator}.key")),
                            Value::unknown(&format!("{iterator}.value")),
                        );
                        out.push((content, scope.with(&iterator, it)));
                    }
                }
            }
        }
        out
    }

    /// A block body as an object: attributes evaluated, nested blocks as lists.
    pub(crate) fn body_value(&mut self, body: BodyIn<'a>, scope: &Scope) -> Value {
        let mut entries = BTreeMap::new();
        let mut names: Vec<String> = Vec::new();
        for structure in body.body.iter() {
            match structure {
                Structure::Attribute(a) => {
                    let expr = Expr {
                        file: body.file,
                        expr: &a.value,
                    };
                    let value = self.eval(expr, scope);
                    entries.insert(a.key.as_str().to_string(), value);
                }
                Structure::Block(b) => {
                    let name = match b.ident.as_str() {
                        "dynamic" => b.labels.first().map(|l| l.as_str().to_string()),
                        ident => Some(ident.to_string()),
                    };
                    if let Some(name) = name.filter(|n| !names.contains(n)) {
                        names.push(name);
                    }
                }
            }
        }
        for name in names {
            let value = self.blocks_value(body, &name, scope);
            entries.insert(name, value);
        }
        Value::map(entries)
    }

    // -----------------------------------------------------------------------------------
    // Expressions

    pub(crate) fn eval<'e>(&mut self, expr: Expr<'e>, scope: &Scope) -> Value {
        if self.depth >= MAX_DEPTH {
            return self.unknown(expr);
        }
        self.depth += 1;
        let value = self.eval_inner(expr, scope);
        self.depth -= 1;
        value
    }

    fn sub<'e>(&self, expr: Expr<'e>, inner: &'e Expression) -> Expr<'e> {
        Expr {
            file: expr.file,
            expr: inner,
        }
    }

    fn eval_inner<'e>(&mut self, expr: Expr<'e>, scope: &Scope) -> Value {
        match expr.expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => n
                .value()
                .as_f64()
                .map_or_else(|| self.unknown(expr), Value::Number),
            Expression::String(s) => Value::str(s.value().as_str()),
            Expression::Array(items) => {
                let items: Vec<&'e Expression> = items.iter().collect();
                Value::list(
                    items
                        .into_iter()
                        .map(|e| self.eval(self.sub(expr, e), scope))
                        .collect(),
                )
            }
            Expression::Object(object) => {
                let mut entries = BTreeMap::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(e) => {
                            match self.eval(self.sub(expr, e), scope).as_text() {
                                Some(text) => text,
                                None => continue,
                            }
                        }
                    };
                    let value = self.eval(self.sub(expr, value.expr()), scope);
                    entries.insert(key, value);
                }
                Value::map(entries)
            }
            Expression::StringTemplate(template) => {
                // A template that is one interpolation is its value, not converted to text
                // (`"${var.names}"` is a list): HCL's rule, and how JSON syntax writes any
                // expression.
                let mut elements = template.iter();
                if let (Some(Element::Interpolation(i)), None) = (elements.next(), elements.next())
                {
                    return self.eval(self.sub(expr, &i.expr), scope);
                }
                let mut out = String::new();
                self.render(expr.file, template, scope, &mut Render::Text(&mut out));
                Value::str(out)
            }
            Expression::HeredocTemplate(heredoc) => {
                let indent = heredoc.indent().unwrap_or(0);
                let mut b = SourceBuilder::new(expr.file);
                let mut r = Render::Located {
                    builder: &mut b,
                    indent,
                    text: self.text(expr.file),
                };
                self.render(expr.file, &heredoc.template, scope, &mut r);
                Value::Text(Rc::new(b.finish()))
            }
            Expression::Parenthesis(inner) => self.eval(self.sub(expr, inner.inner()), scope),
            Expression::Variable(name) => match scope.name(name.as_str()) {
                Some(v) => v.clone(),
                None => self.unknown(expr),
            },
            Expression::Conditional(c) => {
                let cond = self.eval(self.sub(expr, &c.cond_expr), scope);
                match cond.as_bool() {
                    Some(true) => self.eval(self.sub(expr, &c.true_expr), scope),
                    Some(false) => self.eval(self.sub(expr, &c.false_expr), scope),
                    None => {
                        // Unknown condition: a value both branches agree on is still known.
                        let a = self.eval(self.sub(expr, &c.true_expr), scope);
                        let b = self.eval(self.sub(expr, &c.false_expr), scope);
                        if a == b {
                            a
                        } else {
                            self.unknown(expr)
                        }
                    }
                }
            }
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                functions::call(self, expr, name, &call.args, scope)
            }
            Expression::Traversal(t) => self.traversal(expr, &t.expr, &t.operators, scope),
            Expression::UnaryOp(op) => {
                let v = self.eval(self.sub(expr, &op.expr), scope);
                match (op.operator.value(), &v) {
                    (UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
                    (UnaryOperator::Not, _) => match v.as_bool() {
                        Some(b) => Value::Bool(!b),
                        None => self.unknown(expr),
                    },
                    _ => self.unknown(expr),
                }
            }
            Expression::BinaryOp(op) => {
                let a = self.eval(self.sub(expr, &op.lhs_expr), scope);
                let b = self.eval(self.sub(expr, &op.rhs_expr), scope);
                binary(*op.operator.value(), &a, &b).unwrap_or_else(|| self.unknown(expr))
            }
            Expression::ForExpr(f) => self.for_expr(expr, f, scope),
        }
    }

    fn for_expr<'e>(
        &mut self,
        expr: Expr<'e>,
        f: &'e hcl_edit::expr::ForExpr,
        scope: &Scope,
    ) -> Value {
        let collection = self.eval(self.sub(expr, &f.intro.collection_expr), scope);
        let Some(pairs) = iteration_pairs(&collection) else {
            return self.unknown(expr);
        };
        let key_var = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
        let value_var = f.intro.value_var.as_str().to_string();
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        for (k, v) in pairs.into_iter().take(10_000) {
            let inner = match &key_var {
                Some(key_var) => scope.with(key_var, k).with(&value_var, v),
                None => scope.with(&value_var, v),
            };
            if let Some(cond) = &f.cond {
                match self.eval(self.sub(expr, &cond.expr), &inner).as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return self.unknown(expr),
                }
            }
            let value = self.eval(self.sub(expr, &f.value_expr), &inner);
            match &f.key_expr {
                Some(key_expr) => {
                    let Some(key) = self.eval(self.sub(expr, key_expr), &inner).as_text() else {
                        continue;
                    };
                    if f.grouping {
                        let entry = map.entry(key).or_insert_with(|| Value::list(Vec::new()));
                        if let Value::List(items) = entry {
                            Rc::make_mut(items).push(value);
                        }
                    } else {
                        map.insert(key, value);
                    }
                }
                None => list.push(value),
            }
        }
        match f.key_expr {
            Some(_) => Value::map(map),
            None => Value::list(list),
        }
    }

    /// Renders a template into `out`: literal text as written, interpolations evaluated.
    fn render(&mut self, file: FileId, template: &Template, scope: &Scope, out: &mut Render<'_>) {
        for element in template.iter() {
            match element {
                Element::Literal(literal) => {
                    let span = literal.span();
                    out.literal(literal.value(), span);
                }
                Element::Interpolation(i) => {
                    let e = Expr {
                        file,
                        expr: &i.expr,
                    };
                    let value = self.eval(e, scope);
                    let text = value
                        .as_text()
                        .unwrap_or_else(|| format!("{{{}}}", self.source_of(e)));
                    out.substituted(&text, i.span().map_or(0, |s| s.start));
                }
                Element::Directive(directive) => match &**directive {
                    Directive::If(d) => {
                        let e = Expr {
                            file,
                            expr: &d.if_expr.cond_expr,
                        };
                        match self.eval(e, scope).as_bool() {
                            Some(true) => self.render(file, &d.if_expr.template, scope, out),
                            Some(false) => {
                                if let Some(else_expr) = &d.else_expr {
                                    self.render(file, &else_expr.template, scope, out);
                                }
                            }
                            None => out.substituted(
                                &format!("{{{}}}", self.source_of(e)),
                                d.span().map_or(0, |s| s.start),
                            ),
                        }
                    }
                    Directive::For(d) => {
                        let e = Expr {
                            file,
                            expr: &d.for_expr.collection_expr,
                        };
                        let collection = self.eval(e, scope);
                        let Some(pairs) = iteration_pairs(&collection) else {
                            out.substituted(
                                &format!("{{{}}}", self.source_of(e)),
                                d.span().map_or(0, |s| s.start),
                            );
                            continue;
                        };
                        let key_var = d.for_expr.key_var.as_ref().map(|k| k.as_str().to_string());
                        let value_var = d.for_expr.value_var.as_str().to_string();
                        for (k, v) in pairs.into_iter().take(10_000) {
                            let inner = match &key_var {
                                Some(key_var) => scope.with(key_var, k).with(&value_var, v),
                                None => scope.with(&value_var, v),
                            };
                            self.render(file, &d.for_expr.template, &inner, out);
                        }
                    }
                },
            }
        }
    }

    /// A traversal: a root name (`var`, `local`, `module`, `data`, a resource type, `count`,
    /// `each`, `path`, an iterator) followed by attribute, index and splat operators.
    fn traversal<'e>(
        &mut self,
        expr: Expr<'e>,
        root: &'e Expression,
        operators: &'e [hcl_edit::Decorated<TraversalOperator>],
        scope: &Scope,
    ) -> Value {
        let attr = |i: usize| match operators.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        let instance = scope.instance;
        let (mut value, consumed) = match root {
            Expression::Variable(name) => {
                let name = name.as_str();
                if let Some(v) = scope.name(name) {
                    (v.clone(), 0)
                } else {
                    match (name, attr(0), attr(1)) {
                        ("var", Some(n), _) => (self.variable(instance, n), 1),
                        ("local", Some(n), _) => (self.local(instance, n), 1),
                        ("module", Some(n), _) => match self.module_value(instance, n) {
                            Some(v) => (v, 1),
                            None => return self.unknown(expr),
                        },
                        ("count", Some("index"), _) => {
                            (scope.count.clone().unwrap_or_else(|| self.unknown(expr)), 1)
                        }
                        ("each", Some("key"), _) => (
                            scope
                                .each
                                .as_ref()
                                .map_or_else(|| self.unknown(expr), |e| e.0.clone()),
                            1,
                        ),
                        ("each", Some("value"), _) => (
                            scope
                                .each
                                .as_ref()
                                .map_or_else(|| self.unknown(expr), |e| e.1.clone()),
                            1,
                        ),
                        ("path", Some("module"), _) => {
                            (dir_value(&self.module_of(instance).dir), 1)
                        }
                        ("path", Some("root" | "cwd"), _) => {
                            let root = self.instances[instance].root;
                            (dir_value(&self.module_of(root).dir), 1)
                        }
                        ("terraform", Some("workspace"), _) => (Value::str("default"), 1),
                        ("data", Some(ty), Some(n)) => {
                            match self.resource_value(instance, true, ty, n) {
                                Some(v) => (v, 2),
                                None => return self.unknown(expr),
                            }
                        }
                        (ty, Some(n), _) if ty.contains('_') => {
                            match self.resource_value(instance, false, ty, n) {
                                Some(v) => (v, 1),
                                None => return self.unknown(expr),
                            }
                        }
                        _ => return self.unknown(expr),
                    }
                }
            }
            other => (self.eval(self.sub(expr, other), scope), 0),
        };
        let mut splat = false;
        for op in &operators[consumed..] {
            if !value.is_known() {
                return self.unknown(expr);
            }
            value = match op.value() {
                TraversalOperator::GetAttr(name) => {
                    let name = name.as_str();
                    if splat {
                        match value.as_list() {
                            Some(items) => {
                                let items = items.to_vec();
                                Value::list(items.iter().map(|v| self.get(v, name)).collect())
                            }
                            None => self.get(&value, name),
                        }
                    } else {
                        self.get(&value, name)
                    }
                }
                TraversalOperator::Index(index) => {
                    let key = self.eval(self.sub(expr, index), scope);
                    index_value(&value, &key)
                }
                TraversalOperator::LegacyIndex(i) => {
                    index_value(&value, &Value::Number(*i.value() as f64))
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    splat = true;
                    match value {
                        Value::List(_) => value,
                        Value::Null => Value::list(Vec::new()),
                        other => Value::list(vec![other]),
                    }
                }
            };
        }
        match value {
            Value::Unknown(_) => self.unknown(expr),
            other => other,
        }
    }

    /// `value.name`.
    fn get(&mut self, value: &Value, name: &str) -> Value {
        match value {
            Value::Map(entries) => entries
                .get(name)
                .cloned()
                .unwrap_or_else(|| Value::unknown(name)),
            Value::Resource(i) => self.attribute(*i, name),
            Value::Module(m) => self.output(*m, name),
            Value::Unknown(_) => value.clone(),
            _ => Value::unknown(name),
        }
    }

    /// Reads `path` (relative to the module folder) for `file()` and `templatefile()`.
    pub(crate) fn read(
        &mut self,
        instance: ModuleInstanceId,
        path: &str,
    ) -> Option<(FileId, &'a str)> {
        let dir = self.module_of(instance).dir.clone();
        let path = path.replace('\\', "/");
        if path.contains('{') {
            return None;
        }
        // Relative to the module folder, or already naming it (`${path.module}/x.yaml`).
        let joined = join(&dir, &path);
        let full = if self.file_by_path.contains_key(&joined) {
            joined
        } else {
            super::module::normalize(&path)
        };
        let file = *self.file_by_path.get(&full)?;
        self.consumed.insert(file);
        Some((file, self.text(file)))
    }

    /// Renders a `templatefile()` template with `vars`: a string that keeps its positions in
    /// the template file (substituted values point at their `${...}`).
    pub(crate) fn template_file(
        &mut self,
        instance: ModuleInstanceId,
        file: FileId,
        text: &'a str,
        vars: &Value,
    ) -> Value {
        let Ok(template) = hcl_edit::parser::parse_template(text) else {
            return Value::Text(Rc::new(Source::file(file, text)));
        };
        let mut scope = Scope::module(instance);
        if let Some(vars) = vars.as_map() {
            for (k, v) in vars {
                scope = scope.with(k, v.clone());
            }
        }
        let mut b = SourceBuilder::new(file);
        let mut r = Render::Located {
            builder: &mut b,
            indent: 0,
            text,
        };
        self.render_template_file(file, &template, &scope, &mut r);
        Value::Text(Rc::new(b.finish()))
    }

    fn render_template_file(
        &mut self,
        file: FileId,
        template: &Template,
        scope: &Scope,
        out: &mut Render<'_>,
    ) {
        // Inside a template only the passed variables are names; everything else keeps its
        // `${...}` text, which Workflows then reads as its own expression.
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.literal(literal.value(), literal.span()),
                Element::Interpolation(i) => {
                    let e = Expr {
                        file,
                        expr: &i.expr,
                    };
                    let known = uses_only(&i.expr, scope);
                    let at = i.span().map_or(0, |s| s.start);
                    if known {
                        let value = self.eval(e, scope);
                        match value.as_text() {
                            Some(text) => out.substituted(&text, at),
                            None => out.substituted(&format!("${{{}}}", self.source_of(e)), at),
                        }
                    } else {
                        out.substituted(&format!("${{{}}}", self.source_of(e)), at);
                    }
                }
                Element::Directive(directive) => {
                    let at = match &**directive {
                        Directive::If(d) => d.span(),
                        Directive::For(d) => d.span(),
                    };
                    let mut text = String::new();
                    let mut r = Render::Text(&mut text);
                    self.render(file, &Template::from(vec![element.clone()]), scope, &mut r);
                    out.substituted(&text, at.map_or(0, |s| s.start));
                }
            }
        }
    }
}

/// Where rendered text goes: a plain string, or a [`Source`] that keeps positions.
pub(crate) enum Render<'b> {
    Text(&'b mut String),
    Located {
        builder: &'b mut SourceBuilder,
        /// Spaces a `<<-` heredoc removes from each line.
        indent: usize,
        /// The file's text, to map literal runs byte for byte.
        text: &'b str,
    },
}

impl Render<'_> {
    /// Literal template text; `span` is where its raw form is written.
    fn literal(&mut self, value: &str, span: Option<std::ops::Range<usize>>) {
        match self {
            Render::Text(out) => out.push_str(value),
            Render::Located {
                builder,
                indent,
                text,
            } => match span.and_then(|s| text.get(s.clone()).map(|raw| (s.start, raw))) {
                Some((start, raw)) => literal_pieces(builder, raw, start, *indent, text),
                None => builder.substituted(value, 0),
            },
        }
    }

    fn substituted(&mut self, value: &str, at: usize) {
        match self {
            Render::Text(out) => out.push_str(value),
            Render::Located { builder, .. } => builder.substituted(value, at),
        }
    }
}

/// Maps a raw literal run onto the text it renders to: `<<-` indentation removed at line
/// starts, `$${` and `%%{` unescaped; every rendered byte keeps its source offset.
fn literal_pieces(b: &mut SourceBuilder, raw: &str, start: usize, indent: usize, text: &str) {
    let mut at_line_start = start == 0 || text.as_bytes().get(start - 1) == Some(&b'\n');
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if at_line_start {
            let mut skipped = 0;
            while skipped < indent && i < raw.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
                i += 1;
                skipped += 1;
            }
        }
        let rest = &raw[i..];
        let line = &rest[..rest.find('\n').map_or(rest.len(), |n| n + 1)];
        let (mut j, mut run) = (0, 0);
        while j < line.len() {
            if line[j..].starts_with("$${") || line[j..].starts_with("%%{") {
                b.literal(&line[run..j], start + i + run);
                // Keep the second of the doubled characters.
                run = j + 1;
                j += 3;
            } else {
                j += line[j..].chars().next().map_or(1, char::len_utf8);
            }
        }
        b.literal(&line[run..], start + i + run);
        i += line.len();
        at_line_start = line.ends_with('\n');
    }
}

/// True when every name `expr` refers to is one of the scope's names (the variables passed to
/// a template).
fn uses_only(expr: &Expression, scope: &Scope) -> bool {
    let mut ok = true;
    visit_roots(expr, &mut |name| ok &= scope.name(name).is_some());
    ok
}

fn visit_roots(expr: &Expression, f: &mut impl FnMut(&str)) {
    match expr {
        Expression::Variable(v) => f(v.as_str()),
        Expression::Traversal(t) => {
            visit_roots(&t.expr, f);
            for op in &t.operators {
                if let TraversalOperator::Index(i) = op.value() {
                    visit_roots(i, f);
                }
            }
        }
        Expression::FuncCall(c) => c.args.iter().for_each(|a| visit_roots(a, f)),
        Expression::Parenthesis(p) => visit_roots(p.inner(), f),
        Expression::Conditional(c) => {
            visit_roots(&c.cond_expr, f);
            visit_roots(&c.true_expr, f);
            visit_roots(&c.false_expr, f);
        }
        Expression::BinaryOp(b) => {
            visit_roots(&b.lhs_expr, f);
            visit_roots(&b.rhs_expr, f);
        }
        Expression::UnaryOp(u) => visit_roots(&u.expr, f),
        Expression::Array(a) => a.iter().for_each(|e| visit_roots(e, f)),
        Expression::Object(o) => o.iter().for_each(|(_, v)| visit_roots(v.expr(), f)),
        // A `for` brings its own names: treat it as unknown.
        Expression::ForExpr(_) => f("\u{1}for"),
        _ => {}
    }
}

/// A folder as `path.module` gives it: `.` for the folder the input starts in.
fn dir_value(dir: &str) -> Value {
    Value::str(if dir.is_empty() { "." } else { dir })
}

/// A `dynamic` block's iterator: `.key` and `.value`.
fn iterator_value(key: Value, value: Value) -> Value {
    Value::map(BTreeMap::from([
        ("key".to_string(), key),
        ("value".to_string(), value),
    ]))
}

fn has_dynamic(body: BodyIn<'_>, name: &str) -> bool {
    body.body.iter().any(|s| match s {
        Structure::Block(b) => {
            b.ident.as_str() == "dynamic" && b.labels.first().is_some_and(|l| l.as_str() == name)
        }
        Structure::Attribute(_) => false,
    })
}

/// `["k"]` keys in addresses.
fn quote(key: &str) -> String {
    format!("\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The keys and values a `for_each` iterates: a map's entries, or a set of strings (its
/// elements are their own keys). `None` when unknown.
fn for_each_pairs(collection: &Value) -> Option<Vec<(String, Value)>> {
    match collection {
        Value::Map(entries) => Some(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        Value::List(items) => items
            .iter()
            .map(|v| v.as_text().map(|k| (k, v.clone())))
            .collect(),
        _ => None,
    }
}

/// The key and value of each element a `for` visits: a list's indices, a map's keys.
fn iteration_pairs(collection: &Value) -> Option<Vec<(Value, Value)>> {
    match collection {
        Value::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v.clone()))
                .collect(),
        ),
        Value::Map(entries) => Some(
            entries
                .iter()
                .map(|(k, v)| (Value::str(k.as_str()), v.clone()))
                .collect(),
        ),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn index_value(value: &Value, key: &Value) -> Value {
    match (value, key) {
        (Value::List(items), _) => key
            .as_number()
            .and_then(|i| items.get(i as usize).cloned())
            .unwrap_or_else(|| Value::unknown("index")),
        (Value::Map(entries), _) => key
            .as_text()
            .and_then(|k| entries.get(&k).cloned())
            .unwrap_or_else(|| Value::unknown("index")),
        _ => Value::unknown("index"),
    }
}

fn binary(op: BinaryOperator, a: &Value, b: &Value) -> Option<Value> {
    use BinaryOperator::*;
    if !a.is_known() || !b.is_known() {
        // `x && false` and `x || true` do not need `x`.
        return match (op, a.as_bool(), b.as_bool()) {
            (And, Some(false), _) | (And, _, Some(false)) => Some(Value::Bool(false)),
            (Or, Some(true), _) | (Or, _, Some(true)) => Some(Value::Bool(true)),
            _ => None,
        };
    }
    let num = |f: fn(f64, f64) -> f64| Some(Value::Number(f(a.as_number()?, b.as_number()?)));
    let cmp = |f: fn(f64, f64) -> bool| Some(Value::Bool(f(a.as_number()?, b.as_number()?)));
    match op {
        Eq => Some(Value::Bool(equal(a, b))),
        NotEq => Some(Value::Bool(!equal(a, b))),
        Less => cmp(|x, y| x < y),
        LessEq => cmp(|x, y| x <= y),
        Greater => cmp(|x, y| x > y),
        GreaterEq => cmp(|x, y| x >= y),
        Plus => num(|x, y| x + y),
        Minus => num(|x, y| x - y),
        Mul => num(|x, y| x * y),
        Div => num(|x, y| x / y),
        Mod => num(|x, y| x % y),
        And => Some(Value::Bool(a.as_bool()? && b.as_bool()?)),
        Or => Some(Value::Bool(a.as_bool()? || b.as_bool()?)),
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a.as_text(), b.as_text()) {
        (Some(x), Some(y)) => {
            x == y
                && !matches!(
                    (a, b),
                    (Value::Number(_), Value::Str(_)) | (Value::Str(_), Value::Number(_))
                )
        }
        _ => a == b,
    }
}
