//! Config Connector resources (`*.cnrm.cloud.google.com`): the same services as Kubernetes
//! objects, with fields under `spec` and references as `...Ref` maps.

use crate::model::*;
use crate::tree::Node;

use super::{gcloud, unrecognized, workflow, Ctx};

/// Loads `doc` when it is a Config Connector object; false when it is not one.
pub fn load(ctx: &mut Ctx<'_>, doc: &Node, out: &mut Vec<Resource>) -> bool {
    let Some(api_version) = doc.get("apiVersion").and_then(Node::as_str) else {
        return false;
    };
    if !api_version.contains(".cnrm.cloud.google.com/") {
        return false;
    }
    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
    if !matches!(
        kind,
        "EventarcTrigger"
            | "PubSubTopic"
            | "PubSubSubscription"
            | "CloudSchedulerJob"
            | "RunService"
            | "RunJob"
            | "CloudFunctionsFunction"
            | "CloudTasksQueue"
            | "StorageBucket"
            | "StorageNotification"
            | "WorkflowsWorkflow"
    ) {
        unrecognized(
            ctx,
            doc,
            format!("is a Config Connector `{kind}`, which Baton does not model"),
        );
        return true;
    }
    let metadata = ctx.map(doc, "metadata");
    let Some(name) = metadata.and_then(|m| ctx.string(m, "name")) else {
        ctx.invalid(
            doc,
            format!("the Config Connector `{kind}` has no `metadata.name`"),
        );
        return true;
    };
    let empty = Node {
        pos: doc.pos,
        value: crate::tree::Value::Map(Vec::new()),
    };
    let spec = ctx.map(doc, "spec").unwrap_or(&empty);
    // `spec.resourceID` is the name in Google Cloud when it differs from the Kubernetes name.
    let name = ctx.string(spec, "resourceID").unwrap_or(name);
    let resource_kind = match kind {
        "EventarcTrigger" => ResourceKind::Trigger(gcloud::trigger(ctx, spec)),
        "PubSubTopic" => ResourceKind::Topic(Topic {}),
        "PubSubSubscription" => ResourceKind::Subscription(gcloud::subscription(ctx, spec)),
        "CloudSchedulerJob" => ResourceKind::Job(gcloud::job(ctx, spec)),
        "RunService" => ResourceKind::Service(gcloud::service_v2(ctx, spec)),
        "RunJob" => ResourceKind::RunJob(gcloud::run_job(ctx, spec)),
        // The first generation only: Config Connector has no kind for the second.
        "CloudFunctionsFunction" => ResourceKind::Function(gcloud::function(ctx, spec)),
        "CloudTasksQueue" => ResourceKind::Queue(gcloud::queue(ctx, spec)),
        "StorageBucket" => ResourceKind::Bucket,
        "StorageNotification" => {
            let (Some(bucket), Some(topic)) = (
                gcloud::reference(ctx, spec, "bucket", "bucketRef"),
                gcloud::reference(ctx, spec, "topic", "topicRef"),
            ) else {
                ctx.invalid(doc, "the `StorageNotification` names no bucket or no topic");
                return true;
            };
            let event_types = ctx
                .seq(spec, "eventTypes")
                .unwrap_or_default()
                .iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect();
            ResourceKind::Notification(Notification {
                bucket,
                topic,
                event_types,
            })
        }
        _ => {
            let Some(source) = spec.get("sourceContents") else {
                ctx.invalid(doc, "the `WorkflowsWorkflow` has no `spec.sourceContents`");
                return true;
            };
            let Some(mut workflow) = workflow::from_source(ctx, source) else {
                return true;
            };
            workflow.env = ctx.string_map(spec, "userEnvVars");
            ResourceKind::Workflow(workflow)
        }
    };
    let project = gcloud::reference(ctx, spec, "project", "projectRef")
        .map(|p| p.value.trim_start_matches("projects/").to_string())
        .or_else(|| {
            metadata
                .and_then(|m| m.path(&["annotations", "cnrm.cloud.google.com/project-id"]))
                .and_then(Node::as_str)
                .map(str::to_string)
        });
    let location = ctx
        .string(spec, "location")
        .or_else(|| ctx.string(spec, "region"));
    out.push(Resource {
        name,
        full_name: None,
        project,
        location,
        loc: ctx.loc(doc),
        kind: resource_kind,
        terraform: None,
        settings_known: true,
    });
    true
}
