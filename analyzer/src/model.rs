//! The typed model of everything Baton loads. No YAML here: loaders fill it from [`Node`]s,
//! keeping argument values (which may hold expressions) as located trees.

use crate::source::{FileId, Loc};
use crate::tree::Node;

/// Index of a resource in [`crate::Workspace::resources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(pub u32);

impl ResourceId {
    pub fn new(index: usize) -> ResourceId {
        ResourceId(u32::try_from(index).unwrap_or(u32::MAX))
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One recognised resource (a workflow, trigger, queue, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// Short id, e.g. `thumbnail-queue`.
    pub name: String,
    /// The full resource name when the input gave one, e.g. `projects/p/locations/l/queues/q`.
    pub full_name: Option<String>,
    pub project: Option<String>,
    pub location: Option<String>,
    pub loc: Loc,
    pub kind: ResourceKind,
    /// Where Terraform declares it, for resources read from `.tf` files.
    pub terraform: Option<TerraformOrigin>,
    /// False for a resource the input names without its settings (an asset search result):
    /// what its settings would show is unknown, so no rule reports on them.
    pub settings_known: bool,
}

/// A resource's place in Terraform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerraformOrigin {
    /// The root module's folder: the same address in two roots is two resources.
    pub root: String,
    /// Terraform's instance address, e.g. `module.events["a"].google_pubsub_topic.t[0]`.
    pub address: String,
    /// The name as far as Terraform knows it before `apply` (`{var.prefix}-events`), when the
    /// resource is named by its address because its name is not known.
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResourceKind {
    Workflow(Workflow),
    Trigger(Trigger),
    Queue(Queue),
    Job(Job),
    Topic(Topic),
    Subscription(Subscription),
    Service(Service),
    Function(Function),
    /// A Cloud Run job: runs to completion when something starts an execution.
    RunJob(RunJob),
    /// A Cloud Storage bucket: it emits object events.
    Bucket,
    /// A bucket's Pub/Sub notification: object events become messages on a topic.
    Notification(Notification),
}

impl ResourceKind {
    /// A short label for the kind, used in the UI and in messages.
    pub fn label(&self) -> &'static str {
        match self {
            ResourceKind::Workflow(_) => "workflow",
            ResourceKind::Trigger(_) => "eventarc trigger",
            ResourceKind::Queue(_) => "cloud tasks queue",
            ResourceKind::Job(_) => "scheduler job",
            ResourceKind::Topic(_) => "pub/sub topic",
            ResourceKind::Subscription(_) => "pub/sub subscription",
            ResourceKind::Service(_) => "cloud run service",
            ResourceKind::Function(_) => "cloud function",
            ResourceKind::RunJob(_) => "cloud run job",
            ResourceKind::Bucket => "cloud storage bucket",
            ResourceKind::Notification(_) => "bucket notification",
        }
    }
}

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub loc: Loc,
}

// ---------------------------------------------------------------------------------------
// Workflows (../shared/docs/formats.md §1)

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Workflow {
    /// `main` first when present, then the others in source order.
    pub subworkflows: Vec<Subworkflow>,
    /// `userEnvVars` of a deployed workflow, for `sys.get_env`.
    pub env: Vec<(String, String)>,
    /// Size in bytes of the definition text (the file, or the embedded `sourceContents`)
    /// and where it starts; the Workflows service limits it (`workflow-limit`).
    pub source_size: Option<At<usize>>,
    /// The file the definition is written in: the resource's own, or a file Terraform's
    /// `file()` or `templatefile()` reads. Argument values' positions are in it.
    pub file: FileId,
}

impl Workflow {
    pub fn subworkflow(&self, name: &str) -> Option<&Subworkflow> {
        self.subworkflows.iter().find(|s| s.name == name)
    }

    /// Counts steps at every depth, in all subworkflows.
    pub fn step_count(&self) -> usize {
        let mut count = 0;
        for sub in &self.subworkflows {
            visit_steps(&sub.steps, &mut |_| count += 1);
        }
        count
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Subworkflow {
    pub name: String,
    pub loc: Loc,
    pub params: Vec<Param>,
    pub steps: Vec<Step>,
}

impl Subworkflow {
    /// The `index`-th step in source order at every depth (as [`visit_steps`] visits them).
    pub fn step(&self, index: usize) -> Option<&Step> {
        let mut found = None;
        let mut i = 0;
        visit_steps(&self.steps, &mut |step| {
            if i == index {
                found = Some(step);
            }
            i += 1;
        });
        found
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub default: Option<Node>,
    pub loc: Loc,
}

/// A named step: one item of a step list.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub name: String,
    /// Position of the step name.
    pub loc: Loc,
    pub body: StepBody,
}

/// What a step does; switch conditions and `try` may carry an unnamed inline body.
#[derive(Clone, Debug, PartialEq)]
pub struct StepBody {
    pub kind: StepKind,
    pub next: Option<At<String>>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StepKind {
    /// Only `next`, or nothing at all.
    Jump,
    Assign(Vec<Assignment>),
    Call(Call),
    Switch(Vec<Condition>),
    For(ForLoop),
    Parallel(Parallel),
    Try(Try),
    Raise(Node),
    Return(Node),
    Steps(Vec<Step>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub target: String,
    pub value: Node,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// `http.get`, `googleapis.pubsub.v1.projects.topics.publish`, a subworkflow name, ...
    pub function: At<String>,
    pub args: Option<Node>,
    pub result: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The `condition` value: an expression, or a literal such as `true`.
    pub condition: Node,
    /// What runs when the condition holds: `next`, `steps`, or an inline step body.
    pub body: StepBody,
    pub loc: Loc,
}

impl Condition {
    /// `Some(b)` when the condition is the literal `b` (YAML boolean or `${true}`).
    pub fn literal(&self) -> Option<bool> {
        if let Some(b) = self.condition.as_bool() {
            return Some(b);
        }
        match self
            .condition
            .as_str()
            .and_then(crate::expr::expression)?
            .trim()
        {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForLoop {
    pub value: String,
    pub index: Option<String>,
    pub source: ForSource,
    pub steps: Vec<Step>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ForSource {
    In(Node),
    Range(Node),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Parallel {
    pub shared: Vec<String>,
    pub concurrency_limit: Option<Node>,
    pub exception_policy: Option<String>,
    pub work: ParallelWork,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParallelWork {
    /// Named branches; each usually holds `steps`.
    Branches(Vec<Step>),
    For(ForLoop),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Try {
    pub body: Box<StepBody>,
    pub retry: Option<Retry>,
    pub except: Option<Except>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Retry {
    /// `retry: ${http.default_retry}`: the expression text without `${ }`.
    Policy(At<String>),
    Custom(RetryPolicy),
}

#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Expression text without `${ }`: `http.default_retry_predicate` or a subworkflow name.
    pub predicate: Option<At<String>>,
    /// A literal count; `None` when absent or an expression.
    pub max_retries: Option<i64>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Except {
    pub var: Option<String>,
    pub steps: Vec<Step>,
    pub loc: Loc,
}

impl StepKind {
    /// The nested step lists of this kind, in source order.
    pub fn blocks(&self) -> Vec<&[Step]> {
        match self {
            StepKind::Switch(conditions) => conditions
                .iter()
                .flat_map(|c| c.body.kind.blocks())
                .collect(),
            StepKind::For(f) => vec![&f.steps],
            StepKind::Parallel(p) => match &p.work {
                ParallelWork::Branches(branches) => vec![&branches[..]],
                ParallelWork::For(f) => vec![&f.steps],
            },
            StepKind::Try(t) => {
                let mut blocks = t.body.kind.blocks();
                if let Some(e) = &t.except {
                    blocks.push(&e.steps);
                }
                blocks
            }
            StepKind::Steps(steps) => vec![steps],
            StepKind::Jump
            | StepKind::Assign(_)
            | StepKind::Call(_)
            | StepKind::Raise(_)
            | StepKind::Return(_) => Vec::new(),
        }
    }
}

/// Calls `f` on every step of `steps`, at every depth, in source order.
pub fn visit_steps<'a>(steps: &'a [Step], f: &mut impl FnMut(&'a Step)) {
    for step in steps {
        f(step);
        for block in step.body.kind.blocks() {
            visit_steps(block, f);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Eventarc (../shared/docs/formats.md §2)

#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub event_filters: Vec<EventFilter>,
    pub destination: Option<At<Destination>>,
    /// The Pub/Sub topic the trigger listens to (`transport.pubsub.topic`).
    pub transport_topic: Option<At<String>>,
    pub service_account: Option<String>,
    pub channel: Option<String>,
}

impl Trigger {
    pub fn filter(&self, attribute: &str) -> Option<&str> {
        self.event_filters
            .iter()
            .find(|f| f.attribute == attribute)
            .map(|f| f.value.as_str())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventFilter {
    pub attribute: String,
    pub value: String,
    pub operator: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Destination {
    CloudRun {
        service: String,
        region: Option<String>,
        path: Option<String>,
    },
    /// Full or short workflow name.
    Workflow(String),
    CloudFunction(String),
    Gke {
        service: String,
    },
    HttpEndpoint(String),
}

// ---------------------------------------------------------------------------------------
// Cloud Tasks (../shared/docs/formats.md §3)

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Queue {
    pub state: Option<String>,
    pub retry: QueueRetry,
    pub max_dispatches_per_second: Option<f64>,
    pub max_concurrent_dispatches: Option<i64>,
    /// Queue-level `httpTarget.uriOverride`: host (and path) every task goes to.
    pub target_override: Option<At<String>>,
    /// Queue-level `httpTarget.oidcToken.audience`: whom the tasks' tokens are for, by
    /// convention the URL they are sent to.
    pub audience: Option<At<String>>,
    /// App Engine service of `appEngineRoutingOverride` or queue.yaml `target`.
    pub app_engine_target: Option<At<String>>,
    /// App Engine pull queue: nothing is dispatched.
    pub pull: bool,
    /// The URLs of tasks that commands create on it (`gcloud tasks create-http-task --url`).
    pub tasks: Vec<At<Push>>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct QueueRetry {
    /// `-1` = unlimited.
    pub max_attempts: Option<At<i64>>,
    /// Seconds; `Some(0)` = unlimited.
    pub max_retry_duration: Option<At<f64>>,
    pub loc: Option<Loc>,
}

// ---------------------------------------------------------------------------------------
// Cloud Scheduler (../shared/docs/formats.md §4)

#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub schedule: Option<At<String>>,
    /// Which schedule syntaxes the source format accepts.
    pub schedule_syntax: ScheduleSyntax,
    pub time_zone: Option<At<String>>,
    pub target: Option<At<JobTarget>>,
    /// `retryConfig.retryCount`, 0 by default.
    pub retry_count: Option<i64>,
    pub paused: bool,
}

/// The schedule syntaxes a job's source format accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ScheduleSyntax {
    /// Cloud Scheduler (REST, gcloud, Terraform, Config Connector): unix-cron or the
    /// English-like form (`every 5 minutes`).
    #[default]
    CloudScheduler,
    /// App Engine `cron.yaml`: only the English-like form.
    AppEngine,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JobTarget {
    Http {
        uri: String,
        method: Option<String>,
        auth: Auth,
    },
    PubSub {
        topic: String,
    },
    AppEngine {
        service: Option<String>,
        relative_uri: Option<String>,
    },
}

/// How a push (Scheduler, Tasks, Pub/Sub) authenticates to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Auth {
    #[default]
    None,
    Oidc,
    OAuth,
}

// ---------------------------------------------------------------------------------------
// Pub/Sub (../shared/docs/formats.md §5)

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Topic {}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Subscription {
    pub topic: Option<At<String>>,
    pub push: Option<At<Push>>,
    pub bigquery_table: Option<String>,
    pub storage_bucket: Option<String>,
    pub dead_letter_topic: Option<At<String>>,
    pub max_delivery_attempts: Option<i64>,
    pub filter: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Push {
    pub endpoint: String,
    pub auth: Auth,
}

// ---------------------------------------------------------------------------------------
// Cloud Run (../shared/docs/formats.md §6)

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Service {
    /// `status.url`, `status.address.url`, `uri`, `urls`: every URL the service answers on.
    pub urls: Vec<String>,
    pub ingress: Option<String>,
    pub min_scale: Option<i64>,
    pub max_scale: Option<i64>,
    /// Container environment: values may name topics or URLs (soft edges).
    pub env: Vec<At<(String, String)>>,
    pub project_number: Option<String>,
    /// `allUsers` may invoke it (an IAM binding), where it is written.
    pub public: Option<Loc>,
}

// ---------------------------------------------------------------------------------------
// Cloud Run jobs (Terraform `google_cloud_run_v2_job`)

#[derive(Clone, Debug, PartialEq, Default)]
pub struct RunJob {
    /// Container environment: values may name topics, queues or URLs (soft edges).
    pub env: Vec<At<(String, String)>>,
    /// `template.template.max_retries`: how often a failed task is retried (3 by default).
    pub max_retries: Option<i64>,
}

// ---------------------------------------------------------------------------------------
// Cloud Functions (Terraform `google_cloudfunctions_function` and `..2_function`)

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Function {
    /// 1 or 2.
    pub generation: u8,
    /// What sets it off besides HTTP: a gen1 `event_trigger` or a gen2 Eventarc trigger.
    pub event_trigger: Option<At<FunctionTrigger>>,
    pub env: Vec<At<(String, String)>>,
    pub max_instances: Option<i64>,
    pub ingress: Option<String>,
    /// `allUsers` may invoke it (an IAM binding), where it is written.
    pub public: Option<Loc>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct FunctionTrigger {
    pub event_type: String,
    /// Gen1: the topic or bucket the event comes from.
    pub resource: Option<String>,
    /// Gen2: the Eventarc filters, and the topic for Pub/Sub events.
    pub filters: Vec<EventFilter>,
    pub topic: Option<String>,
    /// A failed run is retried (gen1 `failure_policy.retry`, gen2 `RETRY_POLICY_RETRY`).
    pub retry: bool,
}

// ---------------------------------------------------------------------------------------
// Cloud Storage notifications

#[derive(Clone, Debug, PartialEq)]
pub struct Notification {
    pub bucket: At<String>,
    pub topic: At<String>,
    /// `OBJECT_FINALIZE`...; empty means every event.
    pub event_types: Vec<String>,
}
