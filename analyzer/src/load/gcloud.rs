//! Resources as `gcloud ... describe` / `list` and the REST API print them (YAML or JSON,
//! camelCase), plus Cloud Run's v1 objects in their Knative shape (services, jobs). The
//! field readers also serve Config Connector, whose `spec` uses the same names with `...Ref`
//! references, and Cloud Asset Inventory exports, whose records hold the REST resource.

use crate::model::*;
use crate::tree::Node;

use super::ctx::duration_seconds;
use super::{parse_resource_name, workflow, Ctx};

/// Loads `doc` when it is a resource with a full `name`; false when it is not one.
pub fn load(ctx: &mut Ctx<'_>, doc: &Node, out: &mut Vec<Resource>) -> bool {
    let api_version = doc.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    let kind = doc.get("kind").and_then(Node::as_str);
    if api_version.starts_with("serving.knative.dev/") {
        if kind != Some("Service") {
            return false;
        }
        out.extend(knative_service(ctx, doc));
        return true;
    }
    // `gcloud run jobs describe` prints the v1 API's job, shaped like a Knative object.
    if api_version.starts_with("run.googleapis.com/") && kind == Some("Job") {
        out.extend(knative_job(ctx, doc));
        return true;
    }
    let Some(full_name) = doc.get("name").and_then(Node::as_str) else {
        return false;
    };
    if !full_name.starts_with("projects/") {
        return false;
    }
    let kind = match parse_resource_name(full_name).collection {
        Some("workflows") => {
            let Some(source) = doc.get("sourceContents") else {
                return false;
            };
            let Some(mut workflow) = workflow::from_source(ctx, source) else {
                return true;
            };
            workflow.env = ctx.string_map(doc, "userEnvVars");
            ResourceKind::Workflow(workflow)
        }
        Some("triggers") => ResourceKind::Trigger(trigger(ctx, doc)),
        Some("queues") => ResourceKind::Queue(queue(ctx, doc)),
        Some("jobs") if doc.get("schedule").is_some() => ResourceKind::Job(job(ctx, doc)),
        // A Cloud Run job (v2 REST): its `template` is an execution holding a task.
        Some("jobs") if doc.get("template").is_some() => ResourceKind::RunJob(run_job(ctx, doc)),
        Some("topics") => ResourceKind::Topic(Topic {}),
        Some("subscriptions") => ResourceKind::Subscription(subscription(ctx, doc)),
        Some("services") => ResourceKind::Service(service_v2(ctx, doc)),
        Some("functions") => ResourceKind::Function(function(ctx, doc)),
        _ => return false,
    };
    out.push(named_resource(ctx, full_name, doc, kind));
    true
}

/// A resource known by its full name (`projects/p/locations/l/queues/q`), written at `at`.
pub fn named_resource(ctx: &Ctx<'_>, full_name: &str, at: &Node, kind: ResourceKind) -> Resource {
    let name = parse_resource_name(full_name);
    Resource {
        name: name.id.to_string(),
        full_name: Some(full_name.to_string()),
        project: name.project.map(str::to_string),
        location: name.location.map(str::to_string),
        loc: ctx.loc(at),
        kind,
        terraform: None,
        settings_known: true,
    }
}

/// A reference written either as a plain field (`topic: projects/p/topics/t`) or as a
/// Config Connector reference (`topicRef: {name: t}` or `{external: projects/p/topics/t}`).
pub fn reference(
    ctx: &mut Ctx<'_>,
    node: &Node,
    plain: &str,
    reference: &str,
) -> Option<At<String>> {
    if let Some(value) = ctx.string_at(node, plain) {
        return Some(value);
    }
    let r = ctx.map(node, reference)?;
    ctx.string_at(r, "external")
        .or_else(|| ctx.string_at(r, "name"))
}

/// `eventFilters` (Eventarc, gen2 functions) or Config Connector's `matchingCriteria`.
fn event_filters(ctx: &mut Ctx<'_>, spec: &Node) -> Vec<EventFilter> {
    let mut event_filters = Vec::new();
    let filters = ctx
        .seq(spec, "eventFilters")
        .or_else(|| ctx.seq(spec, "matchingCriteria"))
        .unwrap_or_default();
    for filter in filters {
        let (Some(attribute), Some(value)) =
            (ctx.string(filter, "attribute"), ctx.string(filter, "value"))
        else {
            ctx.invalid(filter, "an event filter needs `attribute` and `value`");
            continue;
        };
        event_filters.push(EventFilter {
            attribute,
            value,
            operator: ctx.string(filter, "operator"),
        });
    }
    event_filters
}

fn auth(node: &Node) -> Auth {
    if node.get("oidcToken").is_some() {
        Auth::Oidc
    } else if node.get("oauthToken").is_some() {
        Auth::OAuth
    } else {
        Auth::None
    }
}

pub fn trigger(ctx: &mut Ctx<'_>, spec: &Node) -> Trigger {
    let event_filters = event_filters(ctx, spec);
    let destination = ctx.map(spec, "destination").and_then(|d| {
        let loc = ctx.loc(d);
        let value = if let Some(run) = ctx.map(d, "cloudRun").or_else(|| ctx.map(d, "cloudRunService")) {
            let service = reference(ctx, run, "service", "serviceRef")?.value;
            Destination::CloudRun { service, region: ctx.string(run, "region"), path: ctx.string(run, "path") }
        } else if let Some(w) = reference(ctx, d, "workflow", "workflowRef") {
            Destination::Workflow(w.value)
        } else if let Some(f) = reference(ctx, d, "cloudFunction", "cloudFunctionRef") {
            Destination::CloudFunction(f.value)
        } else if let Some(gke) = ctx.map(d, "gke") {
            Destination::Gke { service: ctx.string(gke, "service").unwrap_or_default() }
        } else if let Some(http) = ctx.map(d, "httpEndpoint") {
            Destination::HttpEndpoint(ctx.string(http, "uri").unwrap_or_default())
        } else {
            ctx.invalid(d, "the trigger destination names no Cloud Run service, workflow, function, GKE service or HTTP endpoint");
            return None;
        };
        Some(At { value, loc })
    });
    let transport_topic = ctx
        .map(spec, "transport")
        .and_then(|t| ctx.map(t, "pubsub"))
        .and_then(|p| reference(ctx, p, "topic", "topicRef"));
    Trigger {
        event_filters,
        destination,
        transport_topic,
        service_account: reference(ctx, spec, "serviceAccount", "serviceAccountRef")
            .map(|s| s.value),
        channel: reference(ctx, spec, "channel", "channelRef").map(|c| c.value),
    }
}

pub fn queue(ctx: &mut Ctx<'_>, spec: &Node) -> Queue {
    let mut queue = Queue {
        state: ctx.string(spec, "state"),
        ..Queue::default()
    };
    if let Some(rates) = ctx.map(spec, "rateLimits") {
        queue.max_dispatches_per_second = ctx.number(rates, "maxDispatchesPerSecond");
        queue.max_concurrent_dispatches = ctx.int(rates, "maxConcurrentDispatches");
    }
    if let Some(retry) = ctx.map(spec, "retryConfig") {
        queue.retry.loc = Some(ctx.loc(retry));
        queue.retry.max_attempts = ctx.int_at(retry, "maxAttempts");
        queue.retry.max_retry_duration = ctx.string_at(retry, "maxRetryDuration").and_then(|d| {
            let seconds = duration_seconds(&d.value);
            if seconds.is_none() {
                ctx.report(crate::diagnostic::Diagnostic::new(
                    crate::rules::RuleId::InvalidDefinition,
                    d.loc,
                    format!("`maxRetryDuration` is not a duration: `{}`", d.value),
                ));
            }
            Some(At {
                value: seconds?,
                loc: d.loc,
            })
        });
    }
    if let Some(target) = ctx.map(spec, "httpTarget") {
        if let Some(uri) = ctx.map(target, "uriOverride") {
            let host = ctx.string_at(uri, "host");
            let path = uri
                .path(&["pathOverride", "path"])
                .and_then(Node::as_str)
                .unwrap_or("");
            queue.target_override = host.map(|h| At {
                value: format!("https://{}{}", h.value, path),
                loc: h.loc,
            });
        }
        if let Some(oidc) = ctx.map(target, "oidcToken") {
            queue.audience = ctx.string_at(oidc, "audience");
        }
    }
    if let Some(routing) = ctx.map(spec, "appEngineRoutingOverride") {
        queue.app_engine_target = ctx.string_at(routing, "service");
    }
    queue
}

pub fn job(ctx: &mut Ctx<'_>, spec: &Node) -> Job {
    let target = if let Some(http) = ctx.map(spec, "httpTarget") {
        let loc = ctx.loc(http);
        ctx.string(http, "uri").map(|uri| At {
            value: JobTarget::Http {
                uri,
                method: ctx.string(http, "httpMethod"),
                auth: auth(http),
            },
            loc,
        })
    } else if let Some(pubsub) = ctx.map(spec, "pubsubTarget") {
        let loc = ctx.loc(pubsub);
        reference(ctx, pubsub, "topicName", "topicRef").map(|t| At {
            value: JobTarget::PubSub { topic: t.value },
            loc,
        })
    } else if let Some(app) = ctx.map(spec, "appEngineHttpTarget") {
        let loc = ctx.loc(app);
        let service = app
            .get("appEngineRouting")
            .and_then(|r| ctx.string(r, "service"));
        Some(At {
            value: JobTarget::AppEngine {
                service,
                relative_uri: ctx.string(app, "relativeUri"),
            },
            loc,
        })
    } else {
        None
    };
    let retry_count = ctx
        .map(spec, "retryConfig")
        .and_then(|r| ctx.int(r, "retryCount"));
    let paused = matches!(
        ctx.string(spec, "state").as_deref(),
        Some("PAUSED" | "DISABLED")
    ) || ctx.bool(spec, "paused").unwrap_or(false);
    Job {
        schedule: ctx.string_at(spec, "schedule"),
        schedule_syntax: ScheduleSyntax::CloudScheduler,
        time_zone: ctx.string_at(spec, "timeZone"),
        target,
        retry_count,
        paused,
    }
}

pub fn subscription(ctx: &mut Ctx<'_>, spec: &Node) -> Subscription {
    let mut sub = Subscription {
        topic: reference(ctx, spec, "topic", "topicRef"),
        filter: ctx.string(spec, "filter"),
        ..Subscription::default()
    };
    if let Some(push) = ctx.map(spec, "pushConfig") {
        if let Some(endpoint) = ctx.string_at(push, "pushEndpoint") {
            sub.push = Some(At {
                value: Push {
                    endpoint: endpoint.value,
                    auth: auth(push),
                },
                loc: endpoint.loc,
            });
        }
    }
    if let Some(bq) = ctx.map(spec, "bigqueryConfig") {
        sub.bigquery_table = reference(ctx, bq, "table", "tableRef").map(|t| t.value);
    }
    if let Some(gcs) = ctx.map(spec, "cloudStorageConfig") {
        sub.storage_bucket = reference(ctx, gcs, "bucket", "bucketRef").map(|b| b.value);
    }
    if let Some(dlq) = ctx.map(spec, "deadLetterPolicy") {
        sub.dead_letter_topic = reference(ctx, dlq, "deadLetterTopic", "deadLetterTopicRef");
        sub.max_delivery_attempts = ctx.int(dlq, "maxDeliveryAttempts");
    }
    sub
}

/// Cloud Run v2 (REST and Config Connector `RunService`).
pub fn service_v2(ctx: &mut Ctx<'_>, spec: &Node) -> Service {
    let mut service = Service {
        ingress: ctx.string(spec, "ingress"),
        ..Service::default()
    };
    service.urls.extend(ctx.string(spec, "uri"));
    service.urls.extend(
        ctx.seq(spec, "urls")
            .unwrap_or_default()
            .iter()
            .filter_map(|u| u.as_str().map(str::to_string)),
    );
    if let Some(template) = ctx.map(spec, "template") {
        if let Some(scaling) = ctx.map(template, "scaling") {
            service.min_scale = ctx.int(scaling, "minInstanceCount");
            service.max_scale = ctx.int(scaling, "maxInstanceCount");
        }
        service.env = container_env(ctx, template);
    }
    service
}

/// `containers[].env[]` name/value pairs.
fn container_env(ctx: &mut Ctx<'_>, template: &Node) -> Vec<At<(String, String)>> {
    let mut env = Vec::new();
    for container in ctx.seq(template, "containers").unwrap_or_default() {
        for var in ctx.seq(container, "env").unwrap_or_default() {
            if let (Some(name), Some(value)) =
                (ctx.string(var, "name"), ctx.string_at(var, "value"))
            {
                env.push(At {
                    value: (name, value.value),
                    loc: value.loc,
                });
            }
        }
    }
    env
}

/// A Knative-style object's `metadata`: its name, namespace (the project, usually by number)
/// and region.
struct KnativeMetadata {
    name: String,
    namespace: Option<String>,
    location: Option<String>,
}

fn knative_metadata(ctx: &mut Ctx<'_>, doc: &Node, what: &str) -> Option<KnativeMetadata> {
    let Some(metadata) = ctx.map(doc, "metadata") else {
        ctx.invalid(doc, format!("a {what} needs `metadata.name`"));
        return None;
    };
    let Some(name) = ctx.string(metadata, "name") else {
        ctx.invalid(metadata, format!("a {what} needs `metadata.name`"));
        return None;
    };
    Some(KnativeMetadata {
        name,
        namespace: ctx.string(metadata, "namespace"),
        location: metadata
            .path(&["labels", "cloud.googleapis.com/location"])
            .and_then(Node::as_str)
            .map(str::to_string),
    })
}

fn knative_service(ctx: &mut Ctx<'_>, doc: &Node) -> Option<Resource> {
    let metadata = knative_metadata(ctx, doc, "Knative service")?;
    let service = knative_service_spec(ctx, doc);
    Some(Resource {
        name: metadata.name,
        full_name: None,
        project: metadata.namespace,
        location: metadata.location,
        loc: ctx.loc(doc),
        kind: ResourceKind::Service(service),
        terraform: None,
        settings_known: true,
    })
}

/// The settings of a Knative service (`gcloud run services describe`, and the data of a
/// `run.googleapis.com/Service` asset), whatever names it.
pub fn knative_service_spec(ctx: &mut Ctx<'_>, doc: &Node) -> Service {
    let metadata = doc.get("metadata");
    let annotation = |node: Option<&Node>, key: &str| {
        node.and_then(|n| n.get("annotations"))
            .and_then(|a| a.get(key))
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    let template = doc.path(&["spec", "template"]);
    let mut service = Service {
        ingress: annotation(metadata, "run.googleapis.com/ingress"),
        min_scale: annotation(
            template.and_then(|t| t.get("metadata")),
            "autoscaling.knative.dev/minScale",
        )
        .and_then(|s| s.parse().ok()),
        max_scale: annotation(
            template.and_then(|t| t.get("metadata")),
            "autoscaling.knative.dev/maxScale",
        )
        .and_then(|s| s.parse().ok()),
        // Not reported when mistyped here: `knative_metadata` reads it for describe output.
        project_number: metadata
            .and_then(|m| m.get("namespace"))
            .and_then(Node::as_str)
            .map(str::to_string),
        ..Service::default()
    };
    if let Some(spec) = template.and_then(|t| t.get("spec")) {
        service.env = container_env(ctx, spec);
    }
    if let Some(status) = doc.get("status") {
        service.urls.extend(ctx.string(status, "url"));
        service
            .urls
            .extend(status.get("address").and_then(|a| ctx.string(a, "url")));
    }
    service
}

fn knative_job(ctx: &mut Ctx<'_>, doc: &Node) -> Option<Resource> {
    let metadata = knative_metadata(ctx, doc, "Cloud Run job")?;
    let job = knative_job_spec(ctx, doc);
    Some(Resource {
        name: metadata.name,
        full_name: None,
        project: metadata.namespace,
        location: metadata.location,
        loc: ctx.loc(doc),
        kind: ResourceKind::RunJob(job),
        terraform: None,
        settings_known: true,
    })
}

/// A Cloud Run job in the v1 API's shape: `spec.template` (an execution) holds
/// `spec.template` (a task) with the containers and `maxRetries`.
pub fn knative_job_spec(ctx: &mut Ctx<'_>, doc: &Node) -> RunJob {
    let Some(task) = doc.path(&["spec", "template", "spec", "template", "spec"]) else {
        return RunJob::default();
    };
    RunJob {
        env: container_env(ctx, task),
        max_retries: ctx.int(task, "maxRetries"),
    }
}

/// A Cloud Run job in the v2 API's shape (REST, Config Connector `RunJob`): `template` (an
/// execution) holds `template` (a task).
pub fn run_job(ctx: &mut Ctx<'_>, spec: &Node) -> RunJob {
    let task = ctx
        .map(spec, "template")
        .and_then(|execution| ctx.map(execution, "template"));
    let Some(task) = task else {
        return RunJob::default();
    };
    RunJob {
        env: container_env(ctx, task),
        max_retries: ctx.int(task, "maxRetries"),
    }
}

/// A Cloud Function in either API's shape. The v2 API (`gcloud functions describe` of a
/// second-generation function, and of any function once gcloud uses v2) nests the runtime
/// settings in `serviceConfig` and says its `environment`; the v1 API (first generation,
/// Config Connector's `CloudFunctionsFunction`) keeps them at the top with an
/// `httpsTrigger` or a `resource`-based `eventTrigger`.
pub fn function(ctx: &mut Ctx<'_>, spec: &Node) -> Function {
    let v2 = ["environment", "serviceConfig", "buildConfig"]
        .iter()
        .any(|key| spec.get(key).is_some());
    match v2 {
        true => function_v2(ctx, spec),
        false => function_v1(ctx, spec),
    }
}

fn function_v1(ctx: &mut Ctx<'_>, spec: &Node) -> Function {
    let event_trigger = ctx.map(spec, "eventTrigger").and_then(|t| {
        let event_type = ctx.string_at(t, "eventType")?;
        // REST writes `failurePolicy: {retry: {}}`; Config Connector a boolean.
        let retry = match t.get("failurePolicy") {
            Some(policy) if policy.as_map().is_some() => policy.get("retry").is_some(),
            Some(_) => ctx.bool(t, "failurePolicy").unwrap_or(false),
            None => false,
        };
        Some(At {
            value: FunctionTrigger {
                event_type: event_type.value,
                resource: reference(ctx, t, "resource", "resourceRef").map(|r| r.value),
                retry,
                ..FunctionTrigger::default()
            },
            loc: event_type.loc,
        })
    });
    Function {
        generation: 1,
        event_trigger,
        env: located_map(ctx, spec, "environmentVariables"),
        max_instances: ctx.int(spec, "maxInstances"),
        ingress: ctx.string(spec, "ingressSettings"),
        public: None,
    }
}

fn function_v2(ctx: &mut Ctx<'_>, spec: &Node) -> Function {
    let event_trigger = ctx.map(spec, "eventTrigger").and_then(|t| {
        let event_type = ctx.string_at(t, "eventType")?;
        Some(At {
            value: FunctionTrigger {
                event_type: event_type.value,
                resource: None,
                filters: event_filters(ctx, t),
                topic: ctx.string(t, "pubsubTopic"),
                retry: ctx.string(t, "retryPolicy").as_deref() == Some("RETRY_POLICY_RETRY"),
            },
            loc: event_type.loc,
        })
    });
    let generation = match ctx.string(spec, "environment").as_deref() {
        Some("GEN_1") => 1,
        _ => 2,
    };
    let mut function = Function {
        generation,
        event_trigger,
        ..Function::default()
    };
    if let Some(config) = ctx.map(spec, "serviceConfig") {
        function.env = located_map(ctx, config, "environmentVariables");
        function.max_instances = ctx.int(config, "maxInstanceCount");
        function.ingress = ctx.string(config, "ingressSettings");
    }
    function
}

/// A map of string values, each with where it is written: environment values may name
/// topics or URLs, and the edges they give point there.
fn located_map(ctx: &mut Ctx<'_>, map: &Node, key: &str) -> Vec<At<(String, String)>> {
    let Some(node) = ctx.map(map, key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in node.as_map().unwrap_or_default() {
        match (k.as_str(), v.as_str()) {
            (Some(name), Some(value)) => out.push(At {
                value: (name.to_string(), value.to_string()),
                loc: ctx.loc(v),
            }),
            (Some(_), None) if v.is_null() => {}
            (Some(name), None) => ctx.invalid(
                v,
                format!("`{key}.{name}` should be a string, found {}", v.kind_name()),
            ),
            (None, _) => ctx.invalid(k, format!("a key of `{key}` should be a string")),
        }
    }
    out
}
