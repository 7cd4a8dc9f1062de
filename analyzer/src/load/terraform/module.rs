//! A Terraform module: every `.tf` file of one folder, parsed, and the declarations Baton
//! evaluates (variables, locals, resources, data sources, module calls, outputs), each with
//! the file it is written in.

use std::collections::BTreeMap;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span;

use crate::source::FileId;

/// One parsed `.tf` (or `.tfvars`) file.
pub(crate) struct Parsed {
    pub file: FileId,
    pub body: Body,
}

/// An expression and the file it is written in.
#[derive(Clone, Copy)]
pub(crate) struct Expr<'a> {
    pub file: FileId,
    pub expr: &'a Expression,
}

impl Expr<'_> {
    /// Byte offset of the expression in its file.
    pub(crate) fn start(&self) -> usize {
        self.expr.span().map_or(0, |s| s.start)
    }
}

/// A block body and the file it is written in.
#[derive(Clone, Copy)]
pub(crate) struct BodyIn<'a> {
    pub file: FileId,
    pub body: &'a Body,
    /// Byte offset of the block.
    pub start: usize,
}

impl<'a> BodyIn<'a> {
    pub(crate) fn attribute(&self, key: &str) -> Option<Expr<'a>> {
        let body: &'a Body = self.body;
        body.get_attribute(key).map(|a| Expr {
            file: self.file,
            expr: &a.value,
        })
    }

    /// The nested blocks named `ident` (not `dynamic` ones), in order.
    pub(crate) fn blocks(&self, ident: &str) -> Vec<BodyIn<'a>> {
        let body: &'a Body = self.body;
        body.iter()
            .filter_map(|s| match s {
                Structure::Block(b) if b.ident.as_str() == ident && b.labels.is_empty() => {
                    Some(BodyIn {
                        file: self.file,
                        body: &b.body,
                        start: b.span().map_or(0, |s| s.start),
                    })
                }
                _ => None,
            })
            .collect()
    }
}

/// A `resource` or `data` block.
pub(crate) struct ResourceDecl<'a> {
    pub data: bool,
    pub ty: &'a str,
    pub name: &'a str,
    pub body: BodyIn<'a>,
}

impl ResourceDecl<'_> {
    /// `google_x.y` or `data.google_x.y`.
    pub(crate) fn address(&self) -> String {
        match self.data {
            true => format!("data.{}.{}", self.ty, self.name),
            false => format!("{}.{}", self.ty, self.name),
        }
    }
}

/// A `module` block.
pub(crate) struct ModuleCall<'a> {
    pub name: &'a str,
    /// The `source` as written.
    pub source: Option<String>,
    pub body: BodyIn<'a>,
}

/// The declarations of one folder's `.tf` files.
#[derive(Default)]
pub(crate) struct Module<'a> {
    /// The folder, as the file paths give it.
    pub dir: String,
    pub variables: BTreeMap<&'a str, Option<Expr<'a>>>,
    pub locals: BTreeMap<&'a str, Expr<'a>>,
    pub resources: Vec<ResourceDecl<'a>>,
    pub calls: Vec<ModuleCall<'a>>,
    pub outputs: BTreeMap<&'a str, Expr<'a>>,
    /// `terraform.tfvars` and `*.auto.tfvars`: values of the root's variables.
    pub tfvars: BTreeMap<&'a str, Expr<'a>>,
    /// The `provider "google"` block without an alias: its `project` and `region` are the
    /// defaults of resources that set none (modules inherit the root's).
    pub provider: Option<BodyIn<'a>>,
}

impl<'a> Module<'a> {
    /// Adds the declarations of one `.tf` file.
    pub(crate) fn add(&mut self, parsed: &'a Parsed) {
        let file = parsed.file;
        for structure in parsed.body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            let labels: Vec<&'a str> = block.labels.iter().map(|l| l.as_str()).collect();
            let body = BodyIn {
                file,
                body: &block.body,
                start: block.span().map_or(0, |s| s.start),
            };
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    let default = body.attribute("default");
                    self.variables.insert(name, default);
                }
                ("locals", []) => {
                    for (key, expr) in attributes(block, file) {
                        self.locals.insert(key, expr);
                    }
                }
                ("resource", [ty, name]) | ("data", [ty, name]) => {
                    self.resources.push(ResourceDecl {
                        data: block.ident.as_str() == "data",
                        ty,
                        name,
                        body,
                    });
                }
                ("module", [name]) => {
                    let source = block
                        .body
                        .get_attribute("source")
                        .and_then(|a| a.value.as_str())
                        .map(str::to_string);
                    self.calls.push(ModuleCall { name, source, body });
                }
                ("provider", ["google" | "google-beta"])
                    if body.attribute("alias").is_none() && self.provider.is_none() =>
                {
                    self.provider = Some(body);
                }
                ("output", [name]) => {
                    if let Some(value) = body.attribute("value") {
                        self.outputs.insert(name, value);
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds the values of a `.tfvars` file.
    pub(crate) fn add_tfvars(&mut self, parsed: &'a Parsed) {
        for structure in parsed.body.iter() {
            if let Structure::Attribute(attribute) = structure {
                self.tfvars.insert(
                    attribute.key.as_str(),
                    Expr {
                        file: parsed.file,
                        expr: &attribute.value,
                    },
                );
            }
        }
    }

    pub(crate) fn resource(&self, data: bool, ty: &str, name: &str) -> Option<usize> {
        self.resources
            .iter()
            .position(|r| r.data == data && r.ty == ty && r.name == name)
    }

    pub(crate) fn call(&self, name: &str) -> Option<usize> {
        self.calls.iter().position(|c| c.name == name)
    }
}

fn attributes(block: &Block, file: FileId) -> impl Iterator<Item = (&str, Expr<'_>)> {
    block.body.iter().filter_map(move |s| match s {
        Structure::Attribute(a) => Some((
            a.key.as_str(),
            Expr {
                file,
                expr: &a.value,
            },
        )),
        Structure::Block(_) => None,
    })
}

/// `a/b/../c` → `a/c`; `..` stays where it cannot go up (`../x`).
pub(crate) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `dir` joined with a relative path.
pub(crate) fn join(dir: &str, relative: &str) -> String {
    if relative.starts_with('/') || dir.is_empty() {
        normalize(relative)
    } else {
        normalize(&format!("{dir}/{relative}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalize("a/./b/../c"), "a/c");
        assert_eq!(normalize("../x/y/.."), "../x");
        assert_eq!(join("a/b", "../../../c"), "../c");
        assert_eq!(join("", "./m"), "m");
        assert_eq!(join("/r/a", "./m"), "/r/a/m");
    }
}
