//! Node identity. A resource is its kind, project, location and name; a resource whose
//! definition names no project is also where it was defined (its folder), since the same name
//! in two folders (two samples, two environments) may be two resources. References write
//! names in many forms (`projects/p/locations/l/queues/q`, `q`, a URL, a Config Connector
//! ref); [`Target`] is what such a form says, and [`super::Graph::resolve`] finds the node it
//! means.

use super::NodeKind;
use crate::load::parse_resource_name;
use crate::model::ResourceId;

/// The identity of a node: the graph has exactly one node per key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeKey {
    pub kind: NodeKind,
    pub name: String,
    pub project: Option<String>,
    pub location: Option<String>,
    /// The folder of a definition that names no project.
    pub origin: Option<String>,
    /// Unresolved targets only: the node whose text they are (`kind:name`), since the same
    /// expression means different things in different resources.
    pub scope: Option<String>,
}

impl NodeKey {
    /// A node known by its name alone: a bucket, a host, a Google API.
    pub fn global(kind: NodeKind, name: impl Into<String>) -> NodeKey {
        NodeKey {
            kind,
            name: name.into(),
            project: None,
            location: None,
            origin: None,
            scope: None,
        }
    }

    /// The readable, stable form of the key, before collisions are numbered:
    /// `queue:jobs@alpha/us-central1`, `topic:orders@alpha`, `service:thumbnails`.
    pub(crate) fn base_id(&self) -> String {
        let mut id = format!("{}:", self.kind.as_str());
        if let Some(scope) = &self.scope {
            id.push_str(scope);
            id.push('/');
        }
        id.push_str(&self.name);
        match (&self.project, &self.location) {
            (None, None) => {}
            (project, location) => {
                id.push('@');
                id.push_str(project.as_deref().unwrap_or("-"));
                if let Some(location) = location {
                    id.push('/');
                    id.push_str(location);
                }
            }
        }
        id
    }
}

/// A project or location as a reference gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Known(String),
    /// The referrer's own: a short name means the referrer's project and location, and so do
    /// `GOOGLE_CLOUD_PROJECT_ID` and `GOOGLE_CLOUD_LOCATION` in a workflow.
    Own,
    /// Not known statically (`projects/${args.project}/...`), or not given.
    Unknown,
}

impl Part {
    fn from_segment(segment: Option<&str>) -> Part {
        match segment {
            None => Part::Unknown,
            Some(
                "{GOOGLE_CLOUD_PROJECT_ID}"
                | "{GOOGLE_CLOUD_PROJECT_NUMBER}"
                | "{GOOGLE_CLOUD_LOCATION}",
            ) => Part::Own,
            Some(s) if s.is_empty() || s.contains('{') => Part::Unknown,
            Some(s) => Part::Known(s.to_string()),
        }
    }

    fn known(value: Option<&str>) -> Part {
        match value {
            Some(v) if !v.is_empty() && !v.contains('{') => Part::Known(v.to_string()),
            _ => Part::Unknown,
        }
    }

    /// The value, with `Own` read from the referrer.
    pub(crate) fn effective<'a>(&'a self, own: Option<&'a str>) -> Option<&'a str> {
        match self {
            Part::Known(value) => Some(value),
            Part::Own => own,
            Part::Unknown => None,
        }
    }
}

/// A resource as a reference names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: NodeKind,
    pub name: String,
    pub project: Part,
    pub location: Part,
    /// The resource a Terraform token (`tf~N`) in the name stands for, exactly.
    pub exact: Option<ResourceId>,
}

impl Target {
    /// From a resource name in any of its forms, as configuration writes it
    /// (`projects/p/locations/l/queues/q`, `//pubsub.googleapis.com/projects/p/topics/t`, `q`).
    /// `None` for an empty name.
    pub fn parse(kind: NodeKind, text: &str) -> Option<Target> {
        Target::read(kind, text, false)
    }

    /// From a workflow value whose `{...}` parts are not known statically
    /// (`projects/{project}/topics/t`, see [`super::values`]). `None` when the name itself
    /// is not known.
    pub fn parse_template(kind: NodeKind, text: &str) -> Option<Target> {
        Target::read(kind, text, true)
    }

    fn read(kind: NodeKind, text: &str, template: bool) -> Option<Target> {
        let text = text.trim().trim_end_matches('/');
        let parsed = parse_resource_name(text);
        let name = parsed.id;
        if name.is_empty() || (template && (name.contains('{') || name.contains('}'))) {
            return None;
        }
        let exact = token_resource(name);
        if !text.contains('/') {
            return Some(Target {
                exact,
                ..Target::short(kind, name)
            });
        }
        let part = |segment: Option<&str>| match segment {
            Some(s) if !template && !s.is_empty() => Part::Known(s.to_string()),
            segment => Part::from_segment(segment),
        };
        Some(Target {
            kind,
            name: name.to_string(),
            project: part(parsed.project),
            // `projects/p/topics/t`: the kind has no location, or the name omits it.
            location: part(parsed.location),
            exact,
        })
    }

    /// A short name: in the referrer's own project and (for kinds that have one) location.
    pub fn short(kind: NodeKind, name: &str) -> Target {
        Target {
            kind,
            name: name.to_string(),
            project: Part::Own,
            location: if kind.has_location() {
                Part::Own
            } else {
                Part::Unknown
            },
            exact: None,
        }
    }

    /// A name with what is known of its project and location, e.g. from a URL.
    pub fn known(
        kind: NodeKind,
        name: &str,
        project: Option<&str>,
        location: Option<&str>,
    ) -> Target {
        Target {
            kind,
            name: name.to_string(),
            project: Part::known(project),
            location: Part::known(location),
            exact: token_resource(name),
        }
    }

    /// The same name as another kind (a Cloud Function that may be a Cloud Run service).
    pub fn as_kind(&self, kind: NodeKind) -> Target {
        Target {
            kind,
            ..self.clone()
        }
    }
}

/// The resource a Terraform token (`tf~N`, see `load/terraform/computed.rs`) names.
pub(crate) fn token_resource(text: &str) -> Option<ResourceId> {
    let index: usize = text.strip_prefix("tf~")?.parse().ok()?;
    Some(ResourceId::new(index))
}

/// Two projects can be one: equal, or one is a project number and the other an id (which
/// Baton cannot map to each other).
pub(crate) fn same_project(a: Option<&str>, b: Option<&str>) -> bool {
    let number = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match (a, b) {
        (Some(a), Some(b)) => a == b || number(a) != number(b),
        _ => true,
    }
}

pub(crate) fn same_location(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_every_form() {
        let t = Target::parse(NodeKind::Queue, "projects/p/locations/eu/queues/q").unwrap();
        assert_eq!(
            (t.name.as_str(), &t.project, &t.location),
            ("q", &Part::Known("p".into()), &Part::Known("eu".into()))
        );
        let t = Target::parse(
            NodeKind::Topic,
            "//pubsub.googleapis.com/projects/p/topics/t",
        )
        .unwrap();
        assert_eq!(
            (t.name.as_str(), &t.project),
            ("t", &Part::Known("p".into()))
        );
        let t = Target::parse(NodeKind::Queue, "q").unwrap();
        assert_eq!((&t.project, &t.location), (&Part::Own, &Part::Own));
        let t = Target::parse(NodeKind::Topic, "t").unwrap();
        assert_eq!((&t.project, &t.location), (&Part::Own, &Part::Unknown));
        let t = Target::parse_template(
            NodeKind::Queue,
            "projects/{GOOGLE_CLOUD_PROJECT_ID}/locations/{region}/queues/q",
        )
        .unwrap();
        assert_eq!((&t.project, &t.location), (&Part::Own, &Part::Unknown));
        assert_eq!(
            Target::parse_template(NodeKind::Queue, "projects/p/locations/l/queues/{q}"),
            None
        );
        assert_eq!(Target::parse(NodeKind::Queue, ""), None);
        // Configuration is literal: `${uniqueId}` is part of the name.
        let t = Target::parse(NodeKind::Topic, "projects/{p}/topics/t-${id}").unwrap();
        assert_eq!(
            (t.name.as_str(), &t.project),
            ("t-${id}", &Part::Known("{p}".into()))
        );
    }

    #[test]
    fn readable_ids() {
        let mut key = NodeKey::global(NodeKind::Queue, "jobs");
        assert_eq!(key.base_id(), "queue:jobs");
        key.project = Some("alpha".into());
        assert_eq!(key.base_id(), "queue:jobs@alpha");
        key.location = Some("us-central1".into());
        assert_eq!(key.base_id(), "queue:jobs@alpha/us-central1");
        key.project = None;
        assert_eq!(key.base_id(), "queue:jobs@-/us-central1");
    }

    #[test]
    fn project_numbers_and_ids_may_be_one_project() {
        assert!(same_project(Some("alpha"), Some("alpha")));
        assert!(!same_project(Some("alpha"), Some("beta")));
        assert!(same_project(Some("123"), Some("alpha")));
        assert!(!same_project(Some("123"), Some("456")));
        assert!(same_project(None, Some("beta")));
    }
}
