//! The `google_*` resources Baton models, read from their evaluated Terraform blocks with the
//! fields the provider documents, each located at its `.tf` line.

use super::eval::{Evaluator, Scope};
use super::module::BodyIn;
use super::value::Value;
use crate::model::*;
use crate::source::{FileId, LineIndex, Loc};

/// The resource types that become model resources.
pub(crate) fn modelled(ty: &str) -> bool {
    matches!(
        ty,
        "google_workflows_workflow"
            | "google_eventarc_trigger"
            | "google_cloud_tasks_queue"
            | "google_cloud_scheduler_job"
            | "google_pubsub_topic"
            | "google_pubsub_subscription"
            | "google_cloud_run_service"
            | "google_cloud_run_v2_service"
            | "google_cloud_run_v2_job"
            | "google_cloudfunctions_function"
            | "google_cloudfunctions2_function"
            | "google_storage_bucket"
            | "google_storage_notification"
    )
}

/// IAM resources that may make a service or function public.
pub(crate) fn invoker_binding(ty: &str) -> bool {
    matches!(
        ty,
        "google_cloud_run_service_iam_member"
            | "google_cloud_run_service_iam_binding"
            | "google_cloud_run_v2_service_iam_member"
            | "google_cloud_run_v2_service_iam_binding"
            | "google_cloudfunctions_function_iam_member"
            | "google_cloudfunctions_function_iam_binding"
            | "google_cloudfunctions2_function_iam_member"
            | "google_cloudfunctions2_function_iam_binding"
    )
}

/// A block being read: its body and the scope its expressions are evaluated in.
#[derive(Clone)]
pub(crate) struct Block<'a> {
    pub body: BodyIn<'a>,
    pub scope: Scope,
}

/// Locations in the `.tf` files, from byte offsets (in a `.tf.json` file's translation).
pub(crate) struct Locator<'a> {
    pub files: &'a [crate::source::SourceFile],
    translations: &'a std::collections::HashMap<FileId, super::json::Translation>,
    indexes: std::collections::HashMap<FileId, LineIndex>,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(
        files: &'a [crate::source::SourceFile],
        translations: &'a std::collections::HashMap<FileId, super::json::Translation>,
    ) -> Locator<'a> {
        Locator {
            files,
            translations,
            indexes: std::collections::HashMap::new(),
        }
    }

    pub(crate) fn loc(&mut self, file: FileId, offset: usize) -> Loc {
        Loc::new(file, self.pos(file, offset))
    }

    pub(crate) fn pos(&mut self, file: FileId, offset: usize) -> crate::source::Pos {
        if let Some(translation) = self.translations.get(&file) {
            return translation.pos(offset);
        }
        let text = self
            .files
            .get(file.0 as usize)
            .map_or("", |f| f.text.as_str());
        let index = self
            .indexes
            .entry(file)
            .or_insert_with(|| LineIndex::new(text));
        index.pos(text, offset)
    }
}

/// What reading one resource needs.
pub(crate) struct Reader<'r, 'a> {
    pub ev: &'r mut Evaluator<'a>,
    pub locator: &'r mut Locator<'a>,
    pub diagnostics: &'r mut Vec<crate::Diagnostic>,
    pub limits: crate::limits::Limits,
}

impl<'a> Reader<'_, 'a> {
    fn value(&mut self, block: &Block<'a>, key: &str) -> Option<(Value, Loc)> {
        let expr = block.body.attribute(key)?;
        let value = self.ev.eval(expr, &block.scope);
        let loc = self.locator.loc(expr.file, expr.start());
        match value {
            Value::Null => None,
            value => Some((value, loc)),
        }
    }

    /// A string field; what Terraform cannot know reads `{expression}`.
    fn text(&mut self, block: &Block<'a>, key: &str) -> Option<At<String>> {
        let (value, loc) = self.value(block, key)?;
        Some(At {
            value: value.as_text()?,
            loc,
        })
    }

    /// A located string field known through and through: a value Baton can check.
    fn known_at(&mut self, block: &Block<'a>, key: &str) -> Option<At<String>> {
        let (value, loc) = self.value(block, key)?;
        Some(At {
            value: value.as_known_str()?.to_string(),
            loc,
        })
    }

    /// A string field known through and through.
    fn known(&mut self, block: &Block<'a>, key: &str) -> Option<String> {
        let (value, _) = self.value(block, key)?;
        value.as_known_str().map(str::to_string)
    }

    fn number(&mut self, block: &Block<'a>, key: &str) -> Option<At<f64>> {
        let (value, loc) = self.value(block, key)?;
        Some(At {
            value: value.as_number()?,
            loc,
        })
    }

    fn boolean(&mut self, block: &Block<'a>, key: &str) -> Option<bool> {
        self.value(block, key)?.0.as_bool()
    }

    /// The nested blocks `name` (`dynamic` ones expanded).
    fn blocks(&mut self, block: &Block<'a>, name: &str) -> Vec<Block<'a>> {
        self.ev
            .blocks(block.body, name, &block.scope)
            .into_iter()
            .map(|(body, scope)| Block { body, scope })
            .collect()
    }

    fn block(&mut self, block: &Block<'a>, name: &str) -> Option<Block<'a>> {
        self.blocks(block, name).into_iter().next()
    }

    fn loc(&mut self, block: &Block<'a>) -> Loc {
        self.locator.loc(block.body.file, block.body.start)
    }

    /// A map of strings (`environment_variables`, `user_env_vars`).
    fn string_map(&mut self, block: &Block<'a>, key: &str) -> Vec<At<(String, String)>> {
        let Some((value, loc)) = self.value(block, key) else {
            return Vec::new();
        };
        value
            .as_map()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| {
                        Some(At {
                            value: (k.clone(), v.as_text()?),
                            loc,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Reads one resource instance; `None` for a type Baton does not model.
    pub(crate) fn resource(&mut self, i: usize, root: &str) -> Option<Resource> {
        let (ty, body, address) = {
            let r = &self.ev.resources[i];
            let decl =
                &self.ev.modules[self.ev.instances[r.module_instance].module].resources[r.decl];
            (decl.ty, decl.body, r.address.clone())
        };
        let block = Block {
            body,
            scope: self.ev.resources[i].scope.clone(),
        };
        let loc = self.loc(&block);
        // An empty name (a placeholder value) names nothing: the address stands for it.
        let name = self.known(&block, "name").filter(|n| !n.is_empty());
        let partial = match name {
            Some(_) => None,
            None => self
                .text(&block, "name")
                .map(|n| n.value)
                .filter(|n| !n.is_empty()),
        };
        // What the resource does not set, the root's `provider "google"` block may.
        let instance = self.ev.resources[i].module_instance;
        let default = |this: &mut Self, key: &str| {
            this.ev
                .provider_default(instance, key)
                .and_then(|v| v.as_known_str().map(str::to_string))
        };
        // The provider reads an empty project as unset.
        let project = self
            .known(&block, "project")
            .filter(|p| !p.is_empty())
            .or_else(|| default(self, "project").filter(|p| !p.is_empty()));
        let location = self
            .known(&block, "location")
            .or_else(|| self.known(&block, "region"))
            .or_else(|| match ty {
                // Buckets and topics are not regional.
                "google_storage_bucket" | "google_pubsub_topic" | "google_pubsub_subscription" => {
                    None
                }
                _ => default(self, "region"),
            });
        let kind = match ty {
            "google_workflows_workflow" => ResourceKind::Workflow(self.workflow(&block, loc)),
            "google_eventarc_trigger" => ResourceKind::Trigger(self.trigger(&block)),
            "google_cloud_tasks_queue" => ResourceKind::Queue(self.queue(&block)),
            "google_cloud_scheduler_job" => ResourceKind::Job(self.job(&block)),
            "google_pubsub_topic" => ResourceKind::Topic(Topic {}),
            "google_pubsub_subscription" => ResourceKind::Subscription(self.subscription(&block)),
            "google_cloud_run_v2_service" => ResourceKind::Service(self.service_v2(&block)),
            "google_cloud_run_service" => ResourceKind::Service(self.service_v1(&block)),
            "google_cloud_run_v2_job" => ResourceKind::RunJob(self.run_job(&block)),
            "google_cloudfunctions_function" => ResourceKind::Function(self.function_v1(&block)),
            "google_cloudfunctions2_function" => ResourceKind::Function(self.function_v2(&block)),
            "google_storage_bucket" => ResourceKind::Bucket,
            "google_storage_notification" => ResourceKind::Notification(Notification {
                bucket: self.text(&block, "bucket").unwrap_or(At {
                    value: String::new(),
                    loc,
                }),
                topic: self.text(&block, "topic").unwrap_or(At {
                    value: String::new(),
                    loc,
                }),
                event_types: self
                    .value(&block, "event_types")
                    .and_then(|(v, _)| {
                        v.as_list()
                            .map(|l| l.iter().filter_map(Value::as_text).collect())
                    })
                    .unwrap_or_default(),
            }),
            _ => return None,
        };
        Some(Resource {
            // A name Terraform only knows after `apply` is shown as the address.
            name: name.unwrap_or_else(|| address.clone()),
            full_name: None,
            project,
            location,
            loc,
            kind,
            terraform: Some(TerraformOrigin {
                root: root.to_string(),
                address,
                name: partial,
            }),
            settings_known: true,
        })
    }

    fn workflow(&mut self, block: &Block<'a>, loc: Loc) -> Workflow {
        let env: Vec<(String, String)> = self
            .string_map(block, "user_env_vars")
            .into_iter()
            .map(|e| e.value)
            .collect();
        let mut workflow = match block.body.attribute("source_contents") {
            Some(expr) => {
                let value = self.ev.eval(expr, &block.scope);
                let at = self.locator.loc(expr.file, expr.start());
                match value {
                    Value::Text(source) => self.definition(&source, at),
                    Value::Str(text) => {
                        let source = super::value::Source {
                            file: expr.file,
                            text: text.to_string(),
                            pieces: vec![super::value::Piece {
                                at: 0,
                                from: expr.start(),
                                linear: false,
                            }],
                        };
                        self.definition(&source, at)
                    }
                    _ => None,
                }
            }
            None => None,
        }
        .unwrap_or_else(|| Workflow {
            subworkflows: Vec::new(),
            env: Vec::new(),
            source_size: Some(At { value: 0, loc }),
            file: loc.file,
        });
        workflow.env = env;
        workflow
    }

    /// A workflow definition from rendered text whose bytes know their place in a file.
    fn definition(&mut self, source: &super::value::Source, at: Loc) -> Option<Workflow> {
        let file = source.file;
        let file_text = self
            .locator
            .files
            .get(file.0 as usize)
            .map_or("", |f| f.text.as_str());
        let rendered = LineIndex::new(&source.text);
        let locator = std::cell::RefCell::new(&mut *self.locator);
        let remap = |pos: crate::source::Pos| {
            let offset = rendered.offset(&source.text, pos);
            locator.borrow_mut().pos(file, source.origin(offset))
        };
        let mut ctx = crate::load::Ctx::new(file, file_text);
        ctx.limits = self.limits;
        let workflow = crate::load::workflow::from_text(&mut ctx, &source.text, &remap, at);
        self.diagnostics.extend(ctx.into_diagnostics());
        workflow
    }

    fn trigger(&mut self, block: &Block<'a>) -> Trigger {
        let mut filters = Vec::new();
        for criterion in self.blocks(block, "matching_criteria") {
            let (Some(attribute), Some(value)) = (
                self.known(&criterion, "attribute"),
                self.text(&criterion, "value"),
            ) else {
                continue;
            };
            filters.push(EventFilter {
                attribute,
                value: value.value,
                operator: self.known(&criterion, "operator"),
            });
        }
        let destination = self.block(block, "destination").and_then(|d| {
            let loc = self.loc(&d);
            let value = if let Some(run) = self.block(&d, "cloud_run_service") {
                Destination::CloudRun {
                    service: self.text(&run, "service")?.value,
                    region: self.known(&run, "region"),
                    path: self.known(&run, "path"),
                }
            } else if let Some(workflow) = self.text(&d, "workflow") {
                Destination::Workflow(workflow.value)
            } else if let Some(function) = self.text(&d, "cloud_function") {
                Destination::CloudFunction(function.value)
            } else if let Some(http) = self.block(&d, "http_endpoint") {
                Destination::HttpEndpoint(self.text(&http, "uri")?.value)
            } else if let Some(gke) = self.block(&d, "gke") {
                Destination::Gke {
                    service: self.text(&gke, "service")?.value,
                }
            } else {
                return None;
            };
            Some(At { value, loc })
        });
        let transport_topic = self
            .block(block, "transport")
            .and_then(|t| self.block(&t, "pubsub"))
            .and_then(|p| self.text(&p, "topic"));
        Trigger {
            event_filters: filters,
            destination,
            transport_topic,
            service_account: self.known(block, "service_account"),
            channel: self.known(block, "channel"),
        }
    }

    fn queue(&mut self, block: &Block<'a>) -> Queue {
        let mut queue = Queue::default();
        if let Some(retry) = self.block(block, "retry_config") {
            queue.retry.loc = Some(self.loc(&retry));
            queue.retry.max_attempts = self.number(&retry, "max_attempts").map(|n| At {
                value: n.value as i64,
                loc: n.loc,
            });
            queue.retry.max_retry_duration =
                self.text(&retry, "max_retry_duration").and_then(|d| {
                    Some(At {
                        value: crate::load::duration_seconds(&d.value)?,
                        loc: d.loc,
                    })
                });
        }
        if let Some(rates) = self.block(block, "rate_limits") {
            queue.max_dispatches_per_second = self
                .number(&rates, "max_dispatches_per_second")
                .map(|n| n.value);
            queue.max_concurrent_dispatches = self
                .number(&rates, "max_concurrent_dispatches")
                .map(|n| n.value as i64);
        }
        if let Some(target) = self.block(block, "http_target") {
            if let Some(uri) = self.block(&target, "uri_override") {
                let host = self.text(&uri, "host");
                let path = self
                    .block(&uri, "path_override")
                    .and_then(|p| self.known(&p, "path"))
                    .unwrap_or_default();
                queue.target_override = host.map(|h| At {
                    value: format!("{}{path}", h.value),
                    loc: h.loc,
                });
            }
            if let Some(oidc) = self.block(&target, "oidc_token") {
                queue.audience = self.text(&oidc, "audience");
            }
        }
        if let Some(routing) = self.block(block, "app_engine_routing_override") {
            queue.app_engine_target = self.text(&routing, "service");
        }
        queue
    }

    fn job(&mut self, block: &Block<'a>) -> Job {
        let target = if let Some(http) = self.block(block, "http_target") {
            let auth = if self.block(&http, "oidc_token").is_some() {
                Auth::Oidc
            } else if self.block(&http, "oauth_token").is_some() {
                Auth::OAuth
            } else {
                Auth::None
            };
            self.text(&http, "uri").map(|uri| At {
                value: JobTarget::Http {
                    uri: uri.value,
                    method: self.known(&http, "http_method"),
                    auth,
                },
                loc: uri.loc,
            })
        } else if let Some(pubsub) = self.block(block, "pubsub_target") {
            self.text(&pubsub, "topic_name").map(|topic| At {
                value: JobTarget::PubSub { topic: topic.value },
                loc: topic.loc,
            })
        } else if let Some(app) = self.block(block, "app_engine_http_target") {
            let loc = self.loc(&app);
            let service = self
                .block(&app, "app_engine_routing")
                .and_then(|r| self.known(&r, "service"));
            Some(At {
                value: JobTarget::AppEngine {
                    service,
                    relative_uri: self.known(&app, "relative_uri"),
                },
                loc,
            })
        } else {
            None
        };
        let retry_count = self
            .block(block, "retry_config")
            .and_then(|r| self.number(&r, "retry_count"))
            .map(|n| n.value as i64);
        Job {
            // A schedule only `apply` knows cannot be checked.
            schedule: self.known_at(block, "schedule"),
            schedule_syntax: ScheduleSyntax::CloudScheduler,
            time_zone: self.known_at(block, "time_zone"),
            target,
            retry_count,
            paused: self.boolean(block, "paused").unwrap_or(false),
        }
    }

    fn subscription(&mut self, block: &Block<'a>) -> Subscription {
        let push = self.block(block, "push_config").and_then(|p| {
            let endpoint = self.text(&p, "push_endpoint")?;
            let auth = match self.block(&p, "oidc_token") {
                Some(_) => Auth::Oidc,
                None => Auth::None,
            };
            Some(At {
                value: Push {
                    endpoint: endpoint.value,
                    auth,
                },
                loc: endpoint.loc,
            })
        });
        let dead_letter = self.block(block, "dead_letter_policy");
        Subscription {
            topic: self.text(block, "topic"),
            push,
            bigquery_table: self
                .block(block, "bigquery_config")
                .and_then(|b| self.text(&b, "table"))
                .map(|t| t.value),
            storage_bucket: self
                .block(block, "cloud_storage_config")
                .and_then(|b| self.text(&b, "bucket"))
                .map(|b| b.value),
            dead_letter_topic: dead_letter
                .as_ref()
                .and_then(|d| self.text(d, "dead_letter_topic")),
            max_delivery_attempts: dead_letter
                .as_ref()
                .and_then(|d| self.number(d, "max_delivery_attempts"))
                .map(|n| n.value as i64),
            filter: self.known(block, "filter"),
        }
    }

    fn env(&mut self, container: &Block<'a>) -> Vec<At<(String, String)>> {
        let mut env = Vec::new();
        for e in self.blocks(container, "env") {
            if let (Some(name), Some(value)) = (self.known(&e, "name"), self.text(&e, "value")) {
                env.push(At {
                    value: (name, value.value),
                    loc: value.loc,
                });
            }
        }
        env
    }

    fn service_v2(&mut self, block: &Block<'a>) -> Service {
        let mut service = Service {
            ingress: self.known(block, "ingress"),
            ..Service::default()
        };
        if let Some(template) = self.block(block, "template") {
            if let Some(scaling) = self.block(&template, "scaling") {
                service.max_scale = self
                    .number(&scaling, "max_instance_count")
                    .map(|n| n.value as i64);
                service.min_scale = self
                    .number(&scaling, "min_instance_count")
                    .map(|n| n.value as i64);
            }
            for container in self.blocks(&template, "containers") {
                let env = self.env(&container);
                service.env.extend(env);
            }
        }
        if let Some(scaling) = self.block(block, "scaling") {
            service.max_scale = service.max_scale.or_else(|| {
                self.number(&scaling, "max_instance_count")
                    .map(|n| n.value as i64)
            });
        }
        service
    }

    /// `template` (an execution) holds `template` (a task) with the containers.
    fn run_job(&mut self, block: &Block<'a>) -> RunJob {
        let mut job = RunJob::default();
        let task = self
            .block(block, "template")
            .and_then(|execution| self.block(&execution, "template"));
        if let Some(task) = task {
            job.max_retries = self.number(&task, "max_retries").map(|n| n.value as i64);
            for container in self.blocks(&task, "containers") {
                let env = self.env(&container);
                job.env.extend(env);
            }
        }
        job
    }

    fn service_v1(&mut self, block: &Block<'a>) -> Service {
        let mut service = Service::default();
        let annotation = |this: &mut Self, metadata: &Block<'a>, key: &str| {
            let (value, _) = this.value(metadata, "annotations")?;
            value.as_map()?.get(key)?.as_text()
        };
        if let Some(metadata) = self.block(block, "metadata") {
            service.ingress = annotation(self, &metadata, "run.googleapis.com/ingress");
        }
        if let Some(template) = self.block(block, "template") {
            if let Some(metadata) = self.block(&template, "metadata") {
                service.max_scale = annotation(self, &metadata, "autoscaling.knative.dev/maxScale")
                    .and_then(|s| s.parse().ok());
                service.min_scale = annotation(self, &metadata, "autoscaling.knative.dev/minScale")
                    .and_then(|s| s.parse().ok());
            }
            if let Some(spec) = self.block(&template, "spec") {
                for container in self.blocks(&spec, "containers") {
                    let env = self.env(&container);
                    service.env.extend(env);
                }
            }
        }
        service
    }

    fn function_v1(&mut self, block: &Block<'a>) -> Function {
        let event_trigger = self.block(block, "event_trigger").and_then(|t| {
            let event_type = self.text(&t, "event_type")?;
            let retry = self
                .block(&t, "failure_policy")
                .and_then(|f| self.boolean(&f, "retry"))
                .unwrap_or(false);
            Some(At {
                value: FunctionTrigger {
                    event_type: event_type.value,
                    resource: self.text(&t, "resource").map(|r| r.value),
                    retry,
                    ..FunctionTrigger::default()
                },
                loc: event_type.loc,
            })
        });
        Function {
            generation: 1,
            event_trigger,
            env: self.string_map(block, "environment_variables"),
            max_instances: self.number(block, "max_instances").map(|n| n.value as i64),
            ingress: self.known(block, "ingress_settings"),
            public: None,
        }
    }

    fn function_v2(&mut self, block: &Block<'a>) -> Function {
        let event_trigger = self.block(block, "event_trigger").and_then(|t| {
            let event_type = self.text(&t, "event_type")?;
            let mut filters = Vec::new();
            for f in self.blocks(&t, "event_filters") {
                if let (Some(attribute), Some(value)) =
                    (self.known(&f, "attribute"), self.text(&f, "value"))
                {
                    filters.push(EventFilter {
                        attribute,
                        value: value.value,
                        operator: self.known(&f, "operator"),
                    });
                }
            }
            Some(At {
                value: FunctionTrigger {
                    event_type: event_type.value,
                    resource: None,
                    filters,
                    topic: self.text(&t, "pubsub_topic").map(|p| p.value),
                    retry: self.known(&t, "retry_policy").as_deref() == Some("RETRY_POLICY_RETRY"),
                },
                loc: event_type.loc,
            })
        });
        let config = self.block(block, "service_config");
        Function {
            generation: 2,
            event_trigger,
            env: config
                .as_ref()
                .map(|c| self.string_map(c, "environment_variables"))
                .unwrap_or_default(),
            max_instances: config
                .as_ref()
                .and_then(|c| self.number(c, "max_instance_count"))
                .map(|n| n.value as i64),
            ingress: config
                .as_ref()
                .and_then(|c| self.known(c, "ingress_settings")),
            public: None,
        }
    }

    /// For an invoker IAM binding of `allUsers`: the service or function it is about (a token
    /// or a name) and where it is written.
    pub(crate) fn public_binding(&mut self, i: usize) -> Option<(String, Loc)> {
        let body = {
            let r = &self.ev.resources[i];
            self.ev.modules[self.ev.instances[r.module_instance].module].resources[r.decl].body
        };
        let block = Block {
            body,
            scope: self.ev.resources[i].scope.clone(),
        };
        let role = self.known(&block, "role")?;
        if !matches!(
            role.as_str(),
            "roles/run.invoker" | "roles/cloudfunctions.invoker"
        ) {
            return None;
        }
        let (members, at): (Vec<String>, Loc) = match self.value(&block, "members") {
            Some((v, loc)) => (
                v.as_list()?.iter().filter_map(Value::as_text).collect(),
                loc,
            ),
            None => {
                let member = self.known_at(&block, "member")?;
                (vec![member.value], member.loc)
            }
        };
        if !members.iter().any(|m| m == "allUsers") {
            return None;
        }
        let target = self
            .text(&block, "service")
            .or_else(|| self.text(&block, "cloud_function"))
            .or_else(|| self.text(&block, "name"))?;
        Some((target.value, at))
    }
}
