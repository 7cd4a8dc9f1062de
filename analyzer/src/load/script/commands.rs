//! `gcloud` and `gsutil` command lines as resources: the commands that create or update what
//! Baton models, with the flags that make edges and findings (as `gcloud ... --help` documents
//! them). Every other command is skipped; a recognised command with a flag Baton does not know
//! is still read. `update`, and `deploy` (which creates or updates), change one resource, as
//! does a repeated `create` with the same settings (a README's alternatives); a `create` with
//! other settings is a second definition.

use std::collections::HashMap;

use super::run::{Arg, Invocation};
use crate::model::*;
use crate::source::{FileId, LineIndex, Loc};

/// Flags that take no value: a word after them is a positional argument.
const BOOLEAN: [&str; 16] = [
    "trigger-http",
    "gen2",
    "allow-unauthenticated",
    "async",
    "quiet",
    "retry",
    "help",
    "enable-message-ordering",
    "enable-exactly-once-delivery",
    "execute-now",
    "wait",
    "use-http2",
    "no-user-output-enabled",
    "allow-unauthenticated-invocations",
    "skip-build",
    "dry-run",
];

/// Flags that do not change what is created, left out when two definitions are compared.
const IRRELEVANT: [&str; 7] = [
    "quiet",
    "format",
    "async",
    "verbosity",
    "platform",
    "help",
    "no-user-output-enabled",
];

/// A command line, split into its positional words and its flags.
struct Line<'a> {
    positional: Vec<&'a Arg>,
    flags: Vec<(String, Option<&'a Arg>, &'a Arg)>,
}

fn split(words: &[Arg]) -> Line<'_> {
    let mut line = Line {
        positional: Vec::new(),
        flags: Vec::new(),
    };
    let mut i = 1;
    while let Some(word) = words.get(i) {
        i += 1;
        let Some(flag) = word.text.strip_prefix("--") else {
            if word.text.starts_with('-') && word.text.len() > 1 {
                // gsutil's short flags take a value; gcloud's (`-q`) do not.
                if words[0].text == "gsutil" {
                    let value = words.get(i);
                    i += 1;
                    line.flags
                        .push((word.text.trim_start_matches('-').to_string(), value, word));
                }
                continue;
            }
            line.positional.push(word);
            continue;
        };
        if let Some((name, _)) = flag.split_once('=') {
            line.flags.push((name.to_string(), Some(word), word));
            continue;
        }
        let boolean =
            BOOLEAN.contains(&flag) || flag.starts_with("no-") || flag.starts_with("clear-");
        let value = words
            .get(i)
            .filter(|next| !boolean && !next.text.starts_with("--"));
        if value.is_some() {
            i += 1;
        }
        line.flags.push((flag.to_string(), value, word));
    }
    line
}

impl<'a> Line<'a> {
    fn path(&self) -> Vec<&str> {
        self.positional.iter().map(|a| a.text.as_str()).collect()
    }
}

/// One flag as given: its name, its value (for `--x=v`, the text after `=`), and where.
#[derive(Clone, Debug, PartialEq)]
struct Flag {
    name: String,
    value: Option<String>,
    at: usize,
    /// Which command of the definition gave it (an update's flags come later).
    command: usize,
}

/// A resource being defined by one `create` and the `update`s after it.
#[derive(Clone, Debug)]
struct Definition {
    kind: Kind,
    name: String,
    project: Option<String>,
    location: Option<String>,
    /// Offset of the `create` (or first `update`) command.
    at: usize,
    flags: Vec<Flag>,
    commands: usize,
    /// `--source` of `workflows deploy`: the file, resolved by the caller.
    source: Option<(String, usize)>,
    /// Made by a `create` (not by `deploy` or `update`).
    created: bool,
    /// Tasks created on a queue.
    tasks: Vec<At<Push>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Trigger,
    Queue,
    HttpJob,
    PubSubJob,
    AppEngineJob,
    Topic,
    Subscription,
    Workflow,
    Service,
    RunJob,
    Function,
    Bucket,
    Notification,
}

impl Kind {
    /// Scheduler jobs of any target type are one kind of resource.
    fn family(self) -> &'static str {
        match self {
            Kind::HttpJob | Kind::PubSubJob | Kind::AppEngineJob => "job",
            Kind::Trigger => "trigger",
            Kind::Queue => "queue",
            Kind::Topic => "topic",
            Kind::Subscription => "subscription",
            Kind::Workflow => "workflow",
            Kind::Service => "service",
            Kind::RunJob => "run-job",
            Kind::Function => "function",
            Kind::Bucket => "bucket",
            Kind::Notification => "notification",
        }
    }
}

/// What the commands of one file define.
#[derive(Default)]
pub(crate) struct Defined {
    pub resources: Vec<Resource>,
    /// For each resource a `create` made (not `deploy`, which also updates): its settings as
    /// written (flag, value), to compare two creations.
    pub settings: Vec<Option<Vec<(String, String)>>>,
    /// For each workflow resource: the `--source` file's path as written and where.
    pub sources: Vec<Option<(String, usize)>>,
}

/// The variables of an `--env-vars-file`, by the path the command gives.
pub(crate) type EnvFiles<'t> = &'t dyn Fn(&str) -> Option<Vec<(String, String)>>;

/// Reads the command lines of one file.
pub(crate) struct Reader<'t> {
    pub file: FileId,
    pub text: &'t str,
    pub index: &'t LineIndex,
    env_files: EnvFiles<'t>,
    definitions: Vec<Definition>,
}

impl<'t> Reader<'t> {
    pub(crate) fn new(
        file: FileId,
        text: &'t str,
        index: &'t LineIndex,
        env_files: EnvFiles<'t>,
    ) -> Reader<'t> {
        Reader {
            file,
            text,
            index,
            env_files,
            definitions: Vec::new(),
        }
    }

    fn loc(&self, at: usize) -> Loc {
        Loc::new(
            self.file,
            self.index.pos(self.text, at.min(self.text.len())),
        )
    }

    /// Reads one command line; others than those that define resources are skipped.
    pub(crate) fn invocation(&mut self, invocation: &Invocation) {
        let words = &invocation.words;
        let Some(first) = words.first() else { return };
        let line = split(words);
        let path = line.path();
        let path: Vec<&str> = path
            .iter()
            .copied()
            .skip_while(|p| matches!(*p, "alpha" | "beta"))
            .collect();
        let (kind, create, names): (Kind, bool, Vec<&Arg>) =
            match (first.text.as_str(), path.as_slice()) {
                ("gcloud", ["eventarc", "triggers", verb @ ("create" | "update"), ..]) => {
                    (Kind::Trigger, *verb == "create", self.names(&line, 3))
                }
                ("gcloud", ["tasks", "queues", verb @ ("create" | "update"), ..]) => {
                    (Kind::Queue, *verb == "create", self.names(&line, 3))
                }
                ("gcloud", ["scheduler", "jobs", verb @ ("create" | "update"), target, ..]) => {
                    let kind = match *target {
                        "http" => Kind::HttpJob,
                        "pubsub" => Kind::PubSubJob,
                        "app-engine" => Kind::AppEngineJob,
                        _ => return,
                    };
                    (kind, *verb == "create", self.names(&line, 4))
                }
                ("gcloud", ["pubsub", "topics", "create", ..]) => {
                    (Kind::Topic, true, self.names_all(&line, 3))
                }
                ("gcloud", ["pubsub", "subscriptions", verb @ ("create" | "update"), ..]) => (
                    Kind::Subscription,
                    *verb == "create",
                    self.names_all(&line, 3),
                ),
                ("gcloud", ["workflows", "deploy", ..]) => {
                    (Kind::Workflow, false, self.names(&line, 2))
                }
                ("gcloud", ["run", "deploy", ..]) => (Kind::Service, false, self.names(&line, 2)),
                ("gcloud", ["run", "services", "update", ..]) => {
                    (Kind::Service, false, self.names(&line, 3))
                }
                ("gcloud", ["run", "jobs", verb @ ("create" | "deploy" | "update"), ..]) => {
                    (Kind::RunJob, *verb == "create", self.names(&line, 3))
                }
                ("gcloud", ["functions", "deploy", ..]) => {
                    (Kind::Function, false, self.names(&line, 2))
                }
                ("gcloud", ["tasks", "create-http-task", ..]) => {
                    self.task(&line, &invocation.config);
                    return;
                }
                ("gcloud", ["storage", "buckets", "create", ..]) => {
                    (Kind::Bucket, true, self.names_all(&line, 3))
                }
                ("gsutil", ["mb", ..]) => (Kind::Bucket, true, self.names_all(&line, 1)),
                ("gcloud", ["storage", "buckets", "notifications", "create", ..]) => {
                    (Kind::Notification, true, self.names(&line, 4))
                }
                ("gsutil", ["notification", "create", ..]) => {
                    (Kind::Notification, true, self.names(&line, 2))
                }
                _ => return,
            };
        for name in names {
            self.define(kind, create, name, &line, first.at, &invocation.config);
        }
    }

    /// `tasks create-http-task --queue=Q --url=U`: a task on a queue this file defines.
    fn task(&mut self, line: &Line<'_>, config: &HashMap<String, String>) {
        let flag = |n: &str| {
            line.flags
                .iter()
                .rev()
                .find(|(f, _, _)| f == n)
                .and_then(|(_, v, w)| v.map(|v| (value_of(n, v), w.at)))
        };
        let (Some((queue, _)), Some((url, at))) = (flag("queue"), flag("url")) else {
            return;
        };
        let parsed = super::super::parse_resource_name(&queue);
        let location = flag("location")
            .map(|(l, _)| l)
            .or_else(|| parsed.location.map(str::to_string));
        let project = flag("project")
            .map(|(p, _)| p)
            .or_else(|| parsed.project.map(str::to_string))
            .or_else(|| config.get("project").cloned());
        let name = parsed.id.to_string();
        let auth = match () {
            _ if line
                .flags
                .iter()
                .any(|(f, _, _)| f == "oidc-service-account-email") =>
            {
                Auth::Oidc
            }
            _ if line
                .flags
                .iter()
                .any(|(f, _, _)| f == "oauth-service-account-email") =>
            {
                Auth::OAuth
            }
            _ => Auth::None,
        };
        let loc = self.loc(at);
        let Some(d) = self.definitions.iter_mut().rev().find(|d| {
            d.kind == Kind::Queue
                && d.name == name
                && (project.is_none() || d.project == project)
                && (location.is_none() || d.location == location)
        }) else {
            return;
        };
        d.tasks.push(At {
            value: Push {
                endpoint: url,
                auth,
            },
            loc,
        });
    }

    /// The resource name at `index` of the positional words (the first after the command).
    fn names<'a>(&self, line: &Line<'a>, index: usize) -> Vec<&'a Arg> {
        let skip = line
            .positional
            .iter()
            .take_while(|a| matches!(a.text.as_str(), "alpha" | "beta"))
            .count();
        line.positional
            .get(skip + index)
            .copied()
            .into_iter()
            .collect()
    }

    /// Every positional word from `index` on (`topics create a b c`).
    fn names_all<'a>(&self, line: &Line<'a>, index: usize) -> Vec<&'a Arg> {
        let skip = line
            .positional
            .iter()
            .take_while(|a| matches!(a.text.as_str(), "alpha" | "beta"))
            .count();
        line.positional.iter().skip(skip + index).copied().collect()
    }

    fn define(
        &mut self,
        kind: Kind,
        create: bool,
        name: &Arg,
        line: &Line<'_>,
        at: usize,
        config: &HashMap<String, String>,
    ) {
        let flag = |n: &str| {
            line.flags
                .iter()
                .rev()
                .find(|(f, _, _)| f == n)
                .and_then(|(_, v, _)| v.map(|v| value_of(n, v)))
        };
        let config = |key: &str| config.get(key).cloned();
        let raw = name.text.trim_start_matches("gs://").trim_end_matches('/');
        let parsed = super::super::parse_resource_name(raw);
        let name_text = parsed.id.to_string();
        let project = flag("project")
            .or_else(|| parsed.project.map(str::to_string))
            .or_else(|| config("project"))
            .filter(|p| !p.contains('{') && !p.is_empty());
        let location = match kind {
            Kind::Topic | Kind::Subscription | Kind::Bucket | Kind::Notification => None,
            Kind::Trigger => flag("location").or_else(|| config("eventarc/location")),
            Kind::Workflow => flag("location").or_else(|| config("workflows/location")),
            Kind::Service | Kind::RunJob => flag("region").or_else(|| config("run/region")),
            Kind::Function => flag("region").or_else(|| config("functions/region")),
            _ => flag("location"),
        }
        .or_else(|| parsed.location.map(str::to_string))
        .filter(|l| !l.contains('{') && !l.is_empty());
        let flags: Vec<Flag> = line
            .flags
            .iter()
            .map(|(n, v, w)| Flag {
                name: n.clone(),
                value: v.map(|v| value_of(n, v)),
                at: w.at,
                command: 0,
            })
            .collect();
        let same = |d: &Definition| {
            d.kind.family() == kind.family()
                && d.name == name_text
                && d.project == project
                && d.location == location
        };
        let source = (kind == Kind::Workflow)
            .then(|| line.flags.iter().find(|(f, _, _)| f == "source"))
            .flatten()
            .and_then(|(n, v, w)| v.map(|v| (value_of(n, v), w.at)));
        if !create {
            if let Some(d) = self.definitions.iter_mut().rev().find(|d| same(d)) {
                d.commands += 1;
                let command = d.commands;
                d.flags
                    .extend(flags.into_iter().map(|f| Flag { command, ..f }));
                if source.is_some() {
                    d.source = source;
                }
                return;
            }
        } else if let Some(d) = self.definitions.iter().rev().find(|d| same(d)) {
            // The same `create` again (an alternative, a re-run): one resource.
            if settings(&d.flags) == settings(&flags) && d.kind == kind {
                return;
            }
        }
        self.definitions.push(Definition {
            kind,
            name: name_text,
            project,
            location,
            at,
            flags,
            commands: 0,
            source,
            created: create,
            tasks: Vec::new(),
        });
    }

    /// The resources defined, in order.
    pub(crate) fn finish(self) -> Defined {
        let mut out = Defined::default();
        for d in &self.definitions {
            let Some(kind) = self.kind(d) else { continue };
            out.resources.push(Resource {
                name: d.name.clone(),
                full_name: None,
                project: d.project.clone(),
                location: d.location.clone(),
                loc: self.loc(d.at),
                kind,
                terraform: None,
                settings_known: true,
            });
            out.settings.push(d.created.then(|| settings(&d.flags)));
            out.sources.push(d.source.clone());
        }
        out
    }

    /// The last value of a flag (an update's over the create's).
    fn last(&self, d: &Definition, name: &str) -> Option<At<String>> {
        d.flags.iter().rev().find(|f| f.name == name).and_then(|f| {
            Some(At {
                value: f.value.clone()?,
                loc: self.loc(f.at),
            })
        })
    }

    fn has(&self, d: &Definition, name: &str) -> bool {
        d.flags.iter().any(|f| f.name == name)
    }

    /// Every value of a repeatable flag, from the last command that gave it.
    fn all(&self, d: &Definition, name: &str) -> Vec<At<String>> {
        let last = d
            .flags
            .iter()
            .filter(|f| f.name == name)
            .map(|f| f.command)
            .max();
        d.flags
            .iter()
            .filter(|f| f.name == name && Some(f.command) == last)
            .filter_map(|f| {
                Some(At {
                    value: f.value.clone()?,
                    loc: self.loc(f.at),
                })
            })
            .collect()
    }

    fn number(&self, d: &Definition, name: &str) -> Option<i64> {
        self.last(d, name).and_then(|v| v.value.trim().parse().ok())
    }

    fn kind(&self, d: &Definition) -> Option<ResourceKind> {
        Some(match d.kind {
            Kind::Trigger => ResourceKind::Trigger(self.trigger(d)),
            Kind::Queue => ResourceKind::Queue(self.queue(d)),
            Kind::HttpJob | Kind::PubSubJob | Kind::AppEngineJob => ResourceKind::Job(self.job(d)),
            Kind::Topic => ResourceKind::Topic(Topic {}),
            Kind::Subscription => ResourceKind::Subscription(self.subscription(d)),
            Kind::Workflow => ResourceKind::Workflow(Workflow {
                env: self.env(d).into_iter().map(|e| e.value).collect(),
                file: self.file,
                ..Workflow::default()
            }),
            Kind::Service => ResourceKind::Service(self.service(d)),
            Kind::RunJob => ResourceKind::RunJob(RunJob {
                env: self.env(d),
                max_retries: self.number(d, "max-retries"),
            }),
            Kind::Function => ResourceKind::Function(self.function(d)),
            Kind::Bucket => ResourceKind::Bucket,
            Kind::Notification => ResourceKind::Notification(self.notification(d)?),
        })
    }

    fn trigger(&self, d: &Definition) -> Trigger {
        let mut event_filters = Vec::new();
        // `--matching-criteria` is the older (beta) spelling of `--event-filters`.
        for (flag, operator) in [
            ("event-filters", None),
            ("matching-criteria", None),
            ("event-filters-path-pattern", Some("match-path-pattern")),
        ] {
            for filters in self.all(d, flag) {
                for pair in list(&filters.value, ",") {
                    if let Some((attribute, value)) = pair.split_once('=') {
                        event_filters.push(EventFilter {
                            attribute: attribute.trim().to_string(),
                            value: value.trim().to_string(),
                            operator: operator.map(str::to_string),
                        });
                    }
                }
            }
        }
        let destination = if let Some(service) = self.last(d, "destination-run-service") {
            Some(At {
                value: Destination::CloudRun {
                    service: service.value,
                    region: self
                        .last(d, "destination-run-region")
                        .map(|r| r.value)
                        .filter(|r| !r.contains('{'))
                        .or_else(|| d.location.clone()),
                    path: self.last(d, "destination-run-path").map(|p| p.value),
                },
                loc: service.loc,
            })
        } else if let Some(workflow) = self.last(d, "destination-workflow") {
            let location = self
                .last(d, "destination-workflow-location")
                .map(|l| l.value)
                .filter(|l| !l.contains('{'))
                .or_else(|| d.location.clone());
            // The workflow's own location, even where the project is not known.
            let project = d.project.as_deref().unwrap_or("{project}");
            let value = match location {
                Some(l) if !workflow.value.contains('/') => {
                    format!(
                        "projects/{project}/locations/{l}/workflows/{}",
                        workflow.value
                    )
                }
                _ => workflow.value,
            };
            Some(At {
                value: Destination::Workflow(value),
                loc: workflow.loc,
            })
        } else if let Some(function) = self.last(d, "destination-function") {
            Some(At {
                value: Destination::CloudFunction(function.value),
                loc: function.loc,
            })
        } else if let Some(service) = self.last(d, "destination-gke-service") {
            Some(At {
                value: Destination::Gke {
                    service: service.value,
                },
                loc: service.loc,
            })
        } else {
            self.last(d, "destination-http-endpoint-uri").map(|uri| At {
                value: Destination::HttpEndpoint(uri.value),
                loc: uri.loc,
            })
        };
        Trigger {
            event_filters,
            destination,
            transport_topic: self.last(d, "transport-topic"),
            service_account: self.last(d, "service-account").map(|s| s.value),
            channel: self.last(d, "channel").map(|c| c.value),
        }
    }

    fn queue(&self, d: &Definition) -> Queue {
        let mut queue = Queue::default();
        queue.retry.max_attempts = self.last(d, "max-attempts").and_then(|a| {
            Some(At {
                value: a.value.trim().parse().ok()?,
                loc: a.loc,
            })
        });
        queue.retry.max_retry_duration = self.last(d, "max-retry-duration").and_then(|a| {
            Some(At {
                value: super::super::duration_seconds(&a.value)?,
                loc: a.loc,
            })
        });
        queue.retry.loc = queue.retry.max_attempts.as_ref().map(|a| a.loc).or(queue
            .retry
            .max_retry_duration
            .as_ref()
            .map(|a| a.loc));
        queue.max_dispatches_per_second = self
            .last(d, "max-dispatches-per-second")
            .and_then(|v| v.value.trim().parse().ok());
        queue.max_concurrent_dispatches = self.number(d, "max-concurrent-dispatches");
        // `--http-uri-override=scheme:https,host:h,path:/p`.
        queue.target_override = self.last(d, "http-uri-override").and_then(|o| {
            let parts = key_values(&o.value, ':');
            let host = parts.get("host")?;
            let scheme = parts
                .get("scheme")
                .map_or("https", String::as_str)
                .to_ascii_lowercase();
            let path = parts.get("path").map_or("", String::as_str);
            Some(At {
                value: format!("{scheme}://{host}{path}"),
                loc: o.loc,
            })
        });
        queue.audience = self.last(d, "http-oidc-token-audience-override");
        queue.tasks = d.tasks.clone();
        queue.app_engine_target = self.last(d, "routing-override").and_then(|o| {
            Some(At {
                value: key_values(&o.value, ':').get("service")?.clone(),
                loc: o.loc,
            })
        });
        queue
    }

    fn job(&self, d: &Definition) -> Job {
        let target = match d.kind {
            Kind::HttpJob => self.last(d, "uri").map(|uri| At {
                value: JobTarget::Http {
                    uri: uri.value,
                    method: self
                        .last(d, "http-method")
                        .map(|m| m.value.to_ascii_uppercase()),
                    auth: if self.has(d, "oidc-service-account-email") {
                        Auth::Oidc
                    } else if self.has(d, "oauth-service-account-email") {
                        Auth::OAuth
                    } else {
                        Auth::None
                    },
                },
                loc: uri.loc,
            }),
            Kind::PubSubJob => self.last(d, "topic").map(|topic| At {
                value: JobTarget::PubSub { topic: topic.value },
                loc: topic.loc,
            }),
            _ => Some(At {
                value: JobTarget::AppEngine {
                    service: self.last(d, "service").map(|s| s.value),
                    relative_uri: self.last(d, "relative-url").map(|s| s.value),
                },
                loc: self.loc(d.at),
            }),
        };
        Job {
            schedule: self.last(d, "schedule"),
            schedule_syntax: ScheduleSyntax::CloudScheduler,
            time_zone: self.last(d, "time-zone"),
            target,
            retry_count: self.number(d, "max-retry-attempts"),
            paused: false,
        }
    }

    fn subscription(&self, d: &Definition) -> Subscription {
        let push = self.last(d, "push-endpoint").map(|endpoint| At {
            value: Push {
                endpoint: endpoint.value,
                auth: if self.has(d, "push-auth-service-account") {
                    Auth::Oidc
                } else {
                    Auth::None
                },
            },
            loc: endpoint.loc,
        });
        Subscription {
            topic: self.last(d, "topic"),
            push,
            bigquery_table: self.last(d, "bigquery-table").map(|t| t.value),
            storage_bucket: self.last(d, "cloud-storage-bucket").map(|b| b.value),
            dead_letter_topic: self.last(d, "dead-letter-topic"),
            max_delivery_attempts: self.number(d, "max-delivery-attempts"),
            filter: self.last(d, "message-filter").map(|f| f.value),
        }
    }

    fn service(&self, d: &Definition) -> Service {
        Service {
            ingress: self.last(d, "ingress").map(|i| i.value),
            min_scale: self.number(d, "min-instances"),
            max_scale: self.number(d, "max-instances"),
            env: self.env(d),
            public: self.public(d),
            ..Service::default()
        }
    }

    /// `--allow-unauthenticated`, unless a later `--no-allow-unauthenticated` undoes it.
    fn public(&self, d: &Definition) -> Option<Loc> {
        d.flags
            .iter()
            .rev()
            .find(|f| {
                matches!(
                    f.name.as_str(),
                    "allow-unauthenticated" | "no-allow-unauthenticated"
                )
            })
            .filter(|f| f.name == "allow-unauthenticated")
            .map(|f| self.loc(f.at))
    }

    /// The environment the flags leave: `--set-env-vars` and `--env-vars-file` replace it,
    /// `--update-env-vars` adds to it, `--remove-env-vars` and `--clear-env-vars` take from
    /// it, in order.
    fn env(&self, d: &Definition) -> Vec<At<(String, String)>> {
        let mut env: Vec<At<(String, String)>> = Vec::new();
        for f in &d.flags {
            let loc = self.loc(f.at);
            let pairs = || {
                f.value
                    .as_deref()
                    .map(env_pairs)
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |pair| At { value: pair, loc })
            };
            match f.name.as_str() {
                "set-env-vars" => env = pairs().collect(),
                "env-vars-file" => {
                    let file = f.value.as_deref().and_then(|path| (self.env_files)(path));
                    env = file
                        .unwrap_or_default()
                        .into_iter()
                        .map(|pair| At { value: pair, loc })
                        .collect();
                }
                "update-env-vars" => {
                    for pair in pairs() {
                        env.retain(|e| e.value.0 != pair.value.0);
                        env.push(pair);
                    }
                }
                "remove-env-vars" => {
                    let names: Vec<String> = f
                        .value
                        .as_deref()
                        .unwrap_or("")
                        .split(',')
                        .map(str::to_string)
                        .collect();
                    env.retain(|e| !names.contains(&e.value.0));
                }
                "clear-env-vars" => env.clear(),
                _ => {}
            }
        }
        env
    }

    fn function(&self, d: &Definition) -> Function {
        // Legacy trigger flags exist only for the first generation; `--gen2` is the default.
        let gen1 = self.has(d, "no-gen2")
            || self.has(d, "trigger-event")
            || self.has(d, "trigger-resource");
        let retry = self.has(d, "retry");
        let trigger = if let Some(topic) = self.last(d, "trigger-topic") {
            Some(At {
                value: if gen1 {
                    FunctionTrigger {
                        event_type: "google.pubsub.topic.publish".into(),
                        resource: Some(topic.value),
                        filters: Vec::new(),
                        topic: None,
                        retry,
                    }
                } else {
                    FunctionTrigger {
                        event_type: "google.cloud.pubsub.topic.v1.messagePublished".into(),
                        resource: None,
                        filters: Vec::new(),
                        topic: Some(topic.value),
                        retry,
                    }
                },
                loc: topic.loc,
            })
        } else if let Some(bucket) = self.last(d, "trigger-bucket") {
            let bucket_name = bucket.value.trim_start_matches("gs://").to_string();
            Some(At {
                value: if gen1 {
                    FunctionTrigger {
                        event_type: "google.storage.object.finalize".into(),
                        resource: Some(bucket_name),
                        filters: Vec::new(),
                        topic: None,
                        retry,
                    }
                } else {
                    FunctionTrigger {
                        event_type: "google.cloud.storage.object.v1.finalized".into(),
                        resource: None,
                        filters: vec![EventFilter {
                            attribute: "bucket".into(),
                            value: bucket_name,
                            operator: None,
                        }],
                        topic: None,
                        retry,
                    }
                },
                loc: bucket.loc,
            })
        } else if let Some(event) = self.last(d, "trigger-event") {
            Some(At {
                value: FunctionTrigger {
                    event_type: event.value,
                    resource: self.last(d, "trigger-resource").map(|r| r.value),
                    filters: Vec::new(),
                    topic: None,
                    retry,
                },
                loc: event.loc,
            })
        } else {
            let filters = self.all(d, "trigger-event-filters");
            let loc = filters.first().map(|f| f.loc);
            let mut event_type = String::new();
            let mut rest = Vec::new();
            for filters in &filters {
                for pair in list(&filters.value, ",") {
                    let Some((attribute, value)) = pair.split_once('=') else {
                        continue;
                    };
                    if attribute.trim() == "type" {
                        event_type = value.trim().to_string();
                    } else {
                        rest.push(EventFilter {
                            attribute: attribute.trim().to_string(),
                            value: value.trim().to_string(),
                            operator: None,
                        });
                    }
                }
            }
            loc.filter(|_| !event_type.is_empty()).map(|loc| At {
                value: FunctionTrigger {
                    event_type,
                    resource: None,
                    filters: rest,
                    topic: None,
                    retry,
                },
                loc,
            })
        };
        Function {
            generation: if gen1 { 1 } else { 2 },
            event_trigger: trigger,
            env: self.env(d),
            max_instances: self.number(d, "max-instances"),
            ingress: self.last(d, "ingress-settings").map(|i| i.value),
            public: self.public(d),
        }
    }

    fn notification(&self, d: &Definition) -> Option<Notification> {
        let topic = self.last(d, "topic").or_else(|| self.last(d, "t"))?;
        let mut event_types: Vec<String> = self
            .all(d, "event-types")
            .into_iter()
            .flat_map(|e| {
                list(&e.value, ",")
                    .into_iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        event_types.extend(self.all(d, "e").into_iter().map(|e| e.value));
        Some(Notification {
            bucket: At {
                value: d.name.clone(),
                loc: self.loc(d.at),
            },
            topic,
            event_types,
        })
    }
}

/// A flag's value: the text after `=` for `--x=v`, else the next word.
fn value_of(name: &str, arg: &Arg) -> String {
    match arg.text.strip_prefix("--") {
        Some(rest) => rest
            .strip_prefix(name)
            .and_then(|r| r.strip_prefix('='))
            .unwrap_or(rest)
            .to_string(),
        None => arg.text.clone(),
    }
}

/// The settings of a definition as written, sorted, for comparing two definitions.
fn settings(flags: &[Flag]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = flags
        .iter()
        .filter(|f| !IRRELEVANT.contains(&f.name.as_str()))
        .map(|f| (f.name.clone(), f.value.clone().unwrap_or_default()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `text` split at `separator`, but not inside a `{...}` mark of an unknown value (whose text
/// is an expression that may hold the separator).
fn list<'a>(text: &'a str, separator: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 && text[i..].starts_with(separator) && i >= start => {
                out.push(&text[start..i]);
                start = i + separator.len();
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// `K=V,K2=V2`, or with gcloud's custom delimiter `^:^K=V:K2=V2`.
fn env_pairs(text: &str) -> Vec<(String, String)> {
    let (delimiter, rest) = match text.strip_prefix('^').and_then(|t| t.split_once('^')) {
        Some((d, rest)) if !d.is_empty() => (d.to_string(), rest),
        _ => (",".to_string(), text),
    };
    list(rest, &delimiter)
        .into_iter()
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((k.trim().to_string(), v.to_string()))
        })
        .collect()
}

/// `key:value,key:value` (queue overrides).
fn key_values(text: &str, separator: char) -> HashMap<String, String> {
    list(text, ",")
        .into_iter()
        .filter_map(|pair| {
            let (k, v) = pair.split_once(separator)?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::script::chunk::Chunk;
    use crate::load::script::run::{Runner, Sources};

    struct None_;
    impl Sources for None_ {
        fn source(&self, _: &str, _: &str) -> Option<String> {
            None
        }
    }

    fn read(script: &str) -> Defined {
        let mut runner = Runner::new(&None_, "");
        runner.chunk(&Chunk::whole(script));
        let index = LineIndex::new(script);
        let env_file = |path: &str| {
            (path == "env.yaml").then(|| vec![("FROM_FILE".to_string(), "yes".to_string())])
        };
        let mut reader = Reader::new(FileId(0), script, &index, &env_file);
        for invocation in &runner.out {
            reader.invocation(invocation);
        }
        reader.finish()
    }

    #[test]
    fn triggers_queues_jobs_and_subscriptions() {
        let d = read(
            "gcloud config set project acme\n\
             gcloud eventarc triggers create up --location=us-central1 \\\n  --destination-workflow=pipeline \\\n  --event-filters=type=google.cloud.storage.object.v1.finalized \\\n  --event-filters=bucket=pics \\\n  --service-account=sa@acme.iam.gserviceaccount.com\n\
             gcloud tasks queues create q --location us-central1 --max-attempts=5 --http-uri-override=host:worker-abc.a.run.app,path:/t\n\
             gcloud scheduler jobs create http nightly --schedule='0 3 * * *' --time-zone=Europe/Berlin --uri=https://x.example/run --oidc-service-account-email=a@b\n\
             gcloud pubsub subscriptions create s --topic t --push-endpoint https://p.example --dead-letter-topic dlq --max-delivery-attempts 7\n",
        );
        let names: Vec<(&str, Option<&str>, Option<&str>)> = d
            .resources
            .iter()
            .map(|r| (r.name.as_str(), r.project.as_deref(), r.location.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("up", Some("acme"), Some("us-central1")),
                ("q", Some("acme"), Some("us-central1")),
                ("nightly", Some("acme"), None),
                ("s", Some("acme"), None),
            ]
        );
        let ResourceKind::Trigger(t) = &d.resources[0].kind else {
            panic!()
        };
        assert_eq!(t.event_filters.len(), 2);
        assert_eq!(
            t.destination.as_ref().map(|d| &d.value),
            Some(&Destination::Workflow(
                "projects/acme/locations/us-central1/workflows/pipeline".into()
            ))
        );
        assert_eq!(t.destination.as_ref().map(|d| d.loc.line), Some(3));
        let ResourceKind::Queue(q) = &d.resources[1].kind else {
            panic!()
        };
        assert_eq!(q.retry.max_attempts.as_ref().map(|a| a.value), Some(5));
        assert_eq!(
            q.target_override.as_ref().map(|t| t.value.as_str()),
            Some("https://worker-abc.a.run.app/t")
        );
        let ResourceKind::Job(j) = &d.resources[2].kind else {
            panic!()
        };
        assert_eq!(
            j.schedule.as_ref().map(|s| s.value.as_str()),
            Some("0 3 * * *")
        );
        assert!(matches!(
            j.target.as_ref().map(|t| &t.value),
            Some(JobTarget::Http {
                auth: Auth::Oidc,
                ..
            })
        ));
        let ResourceKind::Subscription(s) = &d.resources[3].kind else {
            panic!()
        };
        assert_eq!(s.max_delivery_attempts, Some(7));
        assert_eq!(
            s.dead_letter_topic.as_ref().map(|t| t.value.as_str()),
            Some("dlq")
        );
    }

    #[test]
    fn updates_and_repeats_define_one_resource_other_settings_a_second() {
        let d = read(
            "gcloud run deploy api --region=eu --set-env-vars=A=1,B=2 --allow-unauthenticated\n\
             gcloud run services update api --region=eu --update-env-vars=B=3 --no-allow-unauthenticated\n\
             gcloud pubsub topics create t1 t2\n\
             gcloud pubsub topics create t1\n\
             gcloud tasks queues create q --max-attempts=5\n\
             gcloud tasks queues create q --max-attempts=10\n",
        );
        let names: Vec<&str> = d.resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["api", "t1", "t2", "q", "q"]);
        let ResourceKind::Service(s) = &d.resources[0].kind else {
            panic!()
        };
        let env: Vec<(&str, &str)> = s
            .env
            .iter()
            .map(|e| (e.value.0.as_str(), e.value.1.as_str()))
            .collect();
        assert_eq!(env, [("A", "1"), ("B", "3")]);
        assert_eq!(s.public, None);
        assert_ne!(d.settings[3], d.settings[4]);
        assert_eq!(d.settings[0], None, "`run deploy` creates or updates");
    }

    #[test]
    fn functions_and_notifications() {
        let d = read(
            "gcloud functions deploy resize --gen2 --region=us-east1 --trigger-bucket=gs://pics --retry\n\
             gcloud functions deploy audit --no-gen2 --trigger-topic=events --set-env-vars=^:^A=1,2:B=3\n\
             gcloud run deploy filed --env-vars-file=env.yaml\n\
             gsutil notification create -t thumbs -f json -e OBJECT_FINALIZE gs://pics\n",
        );
        let ResourceKind::Function(f) = &d.resources[0].kind else {
            panic!()
        };
        let trigger = f.event_trigger.as_ref().map(|t| &t.value);
        assert_eq!(
            trigger.map(|t| t.event_type.as_str()),
            Some("google.cloud.storage.object.v1.finalized")
        );
        assert_eq!(trigger.map(|t| t.retry), Some(true));
        let ResourceKind::Function(g) = &d.resources[1].kind else {
            panic!()
        };
        assert_eq!(g.generation, 1);
        let env: Vec<&str> = g.env.iter().map(|e| e.value.1.as_str()).collect();
        assert_eq!(env, ["1,2", "3"]);
        let ResourceKind::Service(filed) = &d.resources[2].kind else {
            panic!()
        };
        assert_eq!(filed.env.len(), 1);
        let ResourceKind::Notification(n) = &d.resources[3].kind else {
            panic!()
        };
        assert_eq!(
            (n.bucket.value.as_str(), n.topic.value.as_str()),
            ("pics", "thumbs")
        );
        assert_eq!(n.event_types, ["OBJECT_FINALIZE"]);
    }
}
