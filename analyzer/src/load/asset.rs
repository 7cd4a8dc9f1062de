//! Project exports from Cloud Asset Inventory: `gcloud asset export --content-type=resource`
//! (newline-delimited JSON, one asset a line), the same records as a JSON array (`gcloud asset
//! list --content-type=resource --format=json`), and `gcloud asset search-all-resources
//! --format=json` (an array of search results, without configuration).
//!
//! What was checked against the references before writing this (Cloud Asset API reference
//! and client docs; Asset Inventory's "supported asset types" page; Google's own
//! Terraform-to-asset converter, GoogleCloudPlatform/terraform-google-conversion
//! `tfplan2cai/converters/google/resources/services/*`):
//! - `exportAssets` writes newline-delimited JSON ("All results will be in newline delimited
//!   JSON format", `ExportAssetsRequest.outputConfig`).
//! - A record is `{name, assetType, resource, ancestors, updateTime}`; `name` is the full
//!   resource name `//SERVICE.googleapis.com/RELATIVE-NAME`; `resource` is `{version,
//!   discoveryDocumentUri, discoveryName, resourceUrl, parent, data, location}` and `data` is
//!   the REST resource "in which some sensitive fields are removed and may not be present".
//!   So the name comes from the asset name, and a workflow whose `sourceContents` was removed
//!   is still a (stepless) workflow.
//! - `run.googleapis.com/Service` data is the Cloud Run v1 (Knative) object, `apiVersion:
//!   serving.knative.dev/v1`, `metadata.name` short; the asset name is
//!   `//run.googleapis.com/projects/P/locations/L/services/S` (the converter's
//!   `cloudrun_service.go`, version `v1`). Both the Knative and the v2 shape are read, as for
//!   `run.googleapis.com/Job`, whose data version was not confirmed. A Knative object's
//!   project is its `metadata.namespace`, as when `gcloud` describes it.
//! - Cloud Functions has two asset types: `cloudfunctions.googleapis.com/CloudFunction` (the
//!   v1 API's `CloudFunction`, first generation only) and `cloudfunctions.googleapis.com/
//!   Function` (the v2 API's `Function`, both generations). The converter spells the latter
//!   `cloudfunctions.googleapis.com/function`, so asset types are compared ignoring case.
//! - A search result is `{name, assetType, project: "projects/NUMBER", displayName, location,
//!   additionalAttributes, ...}`. The reference says `additionalAttributes` must not be
//!   consumed programmatically ("the field names and values may change"), so a search result
//!   gives a resource with its name, project, location and kind, and default settings.
//!
//! Unknown asset types (an export holds every kind of resource) are skipped without a
//! finding; a file none of whose records Baton reads gets one, as a list does.

use crate::limits::Limits;
use crate::model::*;
use crate::source::Pos;
use crate::tree::{self, Node, SyntaxError};

use super::{gcloud, parse_resource_name, workflow, Ctx};

/// Loads `doc` when it is an asset record (a full `name` and an `assetType`); false when it
/// is not one. A record of a type Baton does not model counts as read.
pub fn load(ctx: &mut Ctx<'_>, doc: &Node, out: &mut Vec<Resource>) -> bool {
    let (Some(asset_type), Some(name)) = (
        doc.get("assetType").and_then(Node::as_str),
        doc.get("name").and_then(Node::as_str),
    ) else {
        return false;
    };
    let Some(relative) = name
        .strip_prefix("//")
        .and_then(|rest| rest.split_once('/'))
        .map(|(_, relative)| relative)
    else {
        return false;
    };
    let Some(kind) = AssetKind::of(asset_type) else {
        return true;
    };
    // An export without `--content-type` (or a search result) has no `resource.data`.
    let data = ctx
        .map(doc, "resource")
        .and_then(|resource| ctx.map(resource, "data"));
    let resource_kind = match data {
        Some(data) => match read(ctx, kind, data) {
            Some(kind) => kind,
            None => return true,
        },
        None => default(ctx, kind),
    };
    let mut resource = gcloud::named_resource(ctx, relative, doc, resource_kind);
    // Without `resource.data` only the name is known, not the settings rules look at.
    resource.settings_known = data.is_some();
    // A Knative object names its project by `metadata.namespace` (usually the number), as
    // `gcloud run services describe` does: the same service read from both is one node.
    let namespace = data
        .and_then(|d| d.path(&["metadata", "namespace"]))
        .and_then(Node::as_str);
    if let (AssetKind::RunService | AssetKind::RunJob, Some(namespace)) = (kind, namespace) {
        resource.project = Some(namespace.to_string());
    }
    if kind == AssetKind::Bucket {
        // `//storage.googleapis.com/BUCKET`: buckets are named globally.
        resource.name = data
            .and_then(|d| d.get("name"))
            .and_then(Node::as_str)
            .unwrap_or(parse_resource_name(relative).id)
            .to_string();
        resource.project = None;
        resource.location = None;
    }
    out.push(resource);
    true
}

/// The asset types Baton models.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AssetKind {
    Workflow,
    Trigger,
    Queue,
    SchedulerJob,
    Topic,
    Subscription,
    RunService,
    RunJob,
    /// `CloudFunction`: the v1 API's first-generation function.
    FunctionV1,
    /// `Function`: the v2 API's function of either generation.
    Function,
    Bucket,
}

impl AssetKind {
    fn of(asset_type: &str) -> Option<AssetKind> {
        const TYPES: [(&str, AssetKind); 11] = [
            ("workflows.googleapis.com/Workflow", AssetKind::Workflow),
            ("eventarc.googleapis.com/Trigger", AssetKind::Trigger),
            ("cloudtasks.googleapis.com/Queue", AssetKind::Queue),
            ("cloudscheduler.googleapis.com/Job", AssetKind::SchedulerJob),
            ("pubsub.googleapis.com/Topic", AssetKind::Topic),
            (
                "pubsub.googleapis.com/Subscription",
                AssetKind::Subscription,
            ),
            ("run.googleapis.com/Service", AssetKind::RunService),
            ("run.googleapis.com/Job", AssetKind::RunJob),
            (
                "cloudfunctions.googleapis.com/CloudFunction",
                AssetKind::FunctionV1,
            ),
            (
                "cloudfunctions.googleapis.com/Function",
                AssetKind::Function,
            ),
            ("storage.googleapis.com/Bucket", AssetKind::Bucket),
        ];
        TYPES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(asset_type))
            .map(|&(_, kind)| kind)
    }
}

/// The settings in `data`, the REST resource, read as `gcloud describe` output is; `None`
/// when it could not be read (a finding says why).
fn read(ctx: &mut Ctx<'_>, kind: AssetKind, data: &Node) -> Option<ResourceKind> {
    // The Knative shape (Cloud Run's v1 API) has a `spec`; the v2 shape has none.
    let knative = data.get("spec").is_some();
    Some(match kind {
        AssetKind::Workflow => match data.get("sourceContents") {
            Some(source) => {
                let mut workflow = workflow::from_source(ctx, source)?;
                workflow.env = ctx.string_map(data, "userEnvVars");
                ResourceKind::Workflow(workflow)
            }
            None => default(ctx, kind),
        },
        AssetKind::Trigger => ResourceKind::Trigger(gcloud::trigger(ctx, data)),
        AssetKind::Queue => ResourceKind::Queue(gcloud::queue(ctx, data)),
        AssetKind::SchedulerJob => ResourceKind::Job(gcloud::job(ctx, data)),
        AssetKind::Topic => ResourceKind::Topic(Topic {}),
        AssetKind::Subscription => ResourceKind::Subscription(gcloud::subscription(ctx, data)),
        AssetKind::RunService if knative => {
            ResourceKind::Service(gcloud::knative_service_spec(ctx, data))
        }
        AssetKind::RunService => ResourceKind::Service(gcloud::service_v2(ctx, data)),
        AssetKind::RunJob if knative => ResourceKind::RunJob(gcloud::knative_job_spec(ctx, data)),
        AssetKind::RunJob => ResourceKind::RunJob(gcloud::run_job(ctx, data)),
        AssetKind::FunctionV1 | AssetKind::Function => {
            ResourceKind::Function(gcloud::function(ctx, data))
        }
        AssetKind::Bucket => ResourceKind::Bucket,
    })
}

/// A resource of `kind` known only by its name: every setting at its default.
fn default(ctx: &Ctx<'_>, kind: AssetKind) -> ResourceKind {
    match kind {
        AssetKind::Workflow => ResourceKind::Workflow(Workflow {
            file: ctx.file,
            ..Workflow::default()
        }),
        AssetKind::Trigger => ResourceKind::Trigger(Trigger {
            event_filters: Vec::new(),
            destination: None,
            transport_topic: None,
            service_account: None,
            channel: None,
        }),
        AssetKind::Queue => ResourceKind::Queue(Queue::default()),
        AssetKind::SchedulerJob => ResourceKind::Job(Job {
            schedule: None,
            schedule_syntax: ScheduleSyntax::CloudScheduler,
            time_zone: None,
            target: None,
            retry_count: None,
            paused: false,
        }),
        AssetKind::Topic => ResourceKind::Topic(Topic {}),
        AssetKind::Subscription => ResourceKind::Subscription(Subscription::default()),
        AssetKind::RunService => ResourceKind::Service(Service::default()),
        AssetKind::RunJob => ResourceKind::RunJob(RunJob::default()),
        // Without data the generation is a guess: `Function` is mostly the second.
        AssetKind::FunctionV1 | AssetKind::Function => ResourceKind::Function(Function {
            generation: if kind == AssetKind::FunctionV1 { 1 } else { 2 },
            ..Function::default()
        }),
        AssetKind::Bucket => ResourceKind::Bucket,
    }
}

/// Whether `text` is newline-delimited JSON: named so, or several lines that each open an
/// object. (Two JSON objects on two lines are not one YAML document, so the YAML parser
/// would stop at the second.)
pub fn is_ndjson(path: &str, text: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".ndjson") || lower.ends_with(".jsonl") {
        return true;
    }
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut count = 0;
    lines.all(|line| {
        count += 1;
        line.starts_with('{')
    }) && count > 1
}

/// Parses each non-blank line of `text` as its own document, with positions in the file, so
/// that one bad record is one located error and the others still load.
pub fn parse_lines(text: &str, limits: Limits) -> (Vec<Node>, Vec<SyntaxError>) {
    let (mut docs, mut errors) = (Vec::new(), Vec::new());
    for (index, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let before = u32::try_from(index).unwrap_or(u32::MAX);
        let shift = |pos: Pos| Pos::new(pos.line.saturating_add(before), pos.column);
        let (line_docs, line_errors) = tree::parse(line, limits);
        for mut doc in line_docs {
            doc.remap(&shift);
            docs.push(doc);
        }
        // The parser places "expected `}`" past the end of its input: here, the line's end.
        let end = Pos::new(
            1,
            u32::try_from(line.chars().count() + 1).unwrap_or(u32::MAX),
        );
        errors.extend(line_errors.into_iter().map(|e| SyntaxError {
            pos: shift(if e.pos.line > 1 { end } else { e.pos }),
            message: e.message,
        }));
    }
    (docs, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_is_recognised_by_name_or_by_its_lines() {
        assert!(is_ndjson("export.ndjson", "{}"));
        assert!(is_ndjson("a/B.JSONL", ""));
        assert!(is_ndjson("x.json", "{\"a\": 1}\n\n{\"b\": 2}\n"));
        // One object, pretty-printed JSON and YAML are not.
        assert!(!is_ndjson("x.json", "{\"a\": 1}\n"));
        assert!(!is_ndjson("x.json", "{\n  \"a\": 1\n}\n"));
        assert!(!is_ndjson("x.yaml", "a: 1\nb: 2\n"));
    }

    #[test]
    fn each_line_keeps_its_place_in_the_file() {
        let text = "{\"a\": 1}\r\n\n  {\"b\": {\"c\": 2}}\n{\"d\": \n{\"e\": 3}";
        let (docs, errors) = parse_lines(text, Limits::default());
        let lines: Vec<u32> = docs.iter().map(|d| d.pos.line).collect();
        assert_eq!(lines, [1, 3, 5]);
        let inner = docs[1].path(&["b", "c"]).map(|n| n.pos);
        assert_eq!(inner, Some(Pos::new(3, 15)));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pos, Pos::new(4, 7));
    }
}
