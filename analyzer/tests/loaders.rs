//! Loader tests over hand-written fixtures: one per input shape, plus broken input.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use baton_analyzer::model::*;
use baton_analyzer::RuleId;
use baton_analyzer::{load, Diagnostic, Severity, SourceFile, Workspace};

fn fixture(name: &str) -> SourceFile {
    let path = format!("{}/tests/fixtures/load/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    SourceFile::new(name, text)
}

fn load_fixture(name: &str) -> Workspace {
    load(&[fixture(name)], &baton_analyzer::Limits::default())
}

fn resource<'a>(ws: &'a Workspace, name: &str) -> &'a Resource {
    ws.resources
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no resource {name} in {:?}",
                ws.resources.iter().map(|r| &r.name).collect::<Vec<_>>()
            )
        })
}

fn workflow<'a>(ws: &'a Workspace, name: &str) -> &'a Workflow {
    match &resource(ws, name).kind {
        ResourceKind::Workflow(w) => w,
        other => panic!("{name} is a {}", other.label()),
    }
}

fn step<'a>(steps: &'a [Step], name: &str) -> &'a Step {
    let mut found = None;
    visit_steps(steps, &mut |s| {
        if s.name == name && found.is_none() {
            found = Some(s);
        }
    });
    found.unwrap_or_else(|| panic!("no step {name}"))
}

fn errors(ws: &Workspace) -> Vec<&Diagnostic> {
    ws.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

#[test]
fn every_workflow_construct_loads() {
    let ws = load_fixture("every-construct.workflows.yaml");
    assert_eq!(errors(&ws), Vec::<&Diagnostic>::new());
    let wf = workflow(&ws, "every-construct");
    let names: Vec<_> = wf.subworkflows.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["main", "helper", "custom_predicate"]);
    let main = &wf.subworkflows[0];
    assert_eq!(main.params.len(), 1);
    assert_eq!(main.steps.len(), 11);
    assert_eq!(wf.step_count(), 26);

    let helper = wf.subworkflow("helper").unwrap();
    assert_eq!(helper.params[1].name, "b");
    assert_eq!(
        helper.params[1].default.as_ref().and_then(|d| d.as_str()),
        Some("default")
    );

    let StepKind::Try(fetch) = &step(&main.steps, "fetch").body.kind else {
        panic!("fetch is a try")
    };
    assert!(
        matches!(&fetch.body.kind, StepKind::Call(c) if c.function.value == "http.get" && c.result.as_deref() == Some("response"))
    );
    assert!(matches!(&fetch.retry, Some(Retry::Policy(p)) if p.value == "http.default_retry"));
    assert_eq!(
        fetch
            .except
            .as_ref()
            .map(|e| (e.var.as_deref(), e.steps.len())),
        Some((Some("e"), 2))
    );

    let decide = step(&main.steps, "decide");
    let StepKind::Switch(conditions) = &decide.body.kind else {
        panic!("decide is a switch")
    };
    assert_eq!(conditions.len(), 4);
    assert_eq!(
        conditions[0].body.next.as_ref().map(|n| n.value.as_str()),
        Some("loop")
    );
    assert!(matches!(conditions[1].body.kind, StepKind::Return(_)));
    assert!(matches!(conditions[2].body.kind, StepKind::Steps(ref s) if s.len() == 1));
    assert!(matches!(conditions[3].body.kind, StepKind::Assign(_)));
    assert_eq!(conditions[3].literal(), Some(true));
    assert_eq!(conditions[0].literal(), None);
    assert_eq!(
        decide.body.next.as_ref().map(|n| n.value.as_str()),
        Some("loop")
    );

    let StepKind::For(loop_) = &step(&main.steps, "loop").body.kind else {
        panic!()
    };
    assert_eq!(
        (
            loop_.value.as_str(),
            loop_.index.as_deref(),
            loop_.steps.len()
        ),
        ("item", Some("i"), 2)
    );
    let StepKind::For(counted) = &step(&main.steps, "counted").body.kind else {
        panic!()
    };
    assert!(matches!(counted.source, ForSource::Range(_)));

    let StepKind::Parallel(fan_out) = &step(&main.steps, "fan_out").body.kind else {
        panic!()
    };
    assert_eq!(fan_out.shared, ["total"]);
    assert_eq!(fan_out.exception_policy.as_deref(), Some("continueAll"));
    assert!(
        matches!(&fan_out.work, ParallelWork::Branches(b) if b.len() == 2 && b[0].name == "left")
    );
    let StepKind::Parallel(fan_for) = &step(&main.steps, "fan_for").body.kind else {
        panic!()
    };
    assert!(matches!(&fan_for.work, ParallelWork::For(f) if f.steps[0].name == "publish"));

    let StepKind::Try(guarded) = &step(&main.steps, "guarded").body.kind else {
        panic!()
    };
    let Some(Retry::Custom(policy)) = &guarded.retry else {
        panic!("custom retry")
    };
    assert_eq!(
        policy.predicate.as_ref().map(|p| p.value.as_str()),
        Some("custom_predicate")
    );
    assert_eq!(policy.max_retries, Some(3));
    assert!(matches!(&guarded.body.kind, StepKind::Steps(s) if s[0].name == "risky"));

    assert!(matches!(
        step(&main.steps, "jump_only").body.kind,
        StepKind::Jump
    ));
    assert_eq!(
        step(&main.steps, "jump_only")
            .body
            .next
            .as_ref()
            .map(|n| n.value.as_str()),
        Some("end")
    );
}

#[test]
fn steps_carry_file_line_and_column() {
    let ws = load_fixture("every-construct.workflows.yaml");
    let main = &workflow(&ws, "every-construct").subworkflows[0];
    let at = |name: &str| {
        let s = step(&main.steps, name);
        (s.loc.line, s.loc.column)
    };
    assert_eq!(at("init"), (5, 7));
    assert_eq!(at("fetch"), (10, 7));
    assert_eq!(at("log_error"), (20, 15));
    assert_eq!(at("nested_log"), (33, 17));
    assert_eq!(at("finish"), (111, 7));
    assert_eq!(
        workflow(&ws, "every-construct")
            .subworkflow("helper")
            .map(|s| s.loc.line),
        Some(114)
    );
}

#[test]
fn bare_step_list_in_json() {
    let ws = load_fixture("bare-list.workflows.json");
    assert!(errors(&ws).is_empty());
    let wf = workflow(&ws, "bare-list");
    assert_eq!(wf.subworkflows.len(), 1);
    assert_eq!(wf.subworkflows[0].name, "main");
    let names: Vec<_> = wf.subworkflows[0]
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.loc.line))
        .collect();
    assert_eq!(names, [("first", 2), ("second", 3), ("last", 8)]);
}

#[test]
fn describe_output_with_embedded_source_keeps_host_lines() {
    let ws = load_fixture("describe-workflow.yaml");
    assert!(errors(&ws).is_empty(), "{:?}", ws.diagnostics);
    let r = resource(&ws, "greeter");
    assert_eq!(
        r.full_name.as_deref(),
        Some("projects/demo/locations/us-central1/workflows/greeter")
    );
    assert_eq!(
        (r.project.as_deref(), r.location.as_deref()),
        (Some("demo"), Some("us-central1"))
    );
    let wf = workflow(&ws, "greeter");
    assert_eq!(
        wf.env,
        [(
            "TARGET_URL".to_string(),
            "https://target-123456789012.us-central1.run.app".to_string()
        )]
    );
    let steps = &wf.subworkflows[0].steps;
    // `- say:` is on line 9 of the file; `say` starts at column 9 (block indentation 2 + 6).
    assert_eq!(
        (
            steps[0].name.as_str(),
            steps[0].loc.line,
            steps[0].loc.column
        ),
        ("say", 9, 9)
    );
    assert_eq!(steps[1].loc.line, 13);
    // The Terraform escape `$${...}` is kept as written (expressions read it as `${...}`).
    let StepKind::Return(value) = &steps[1].body.kind else {
        panic!()
    };
    assert_eq!(value.as_str(), Some("$${\"ok\"}"));
}

#[test]
fn multi_document_trigger_list() {
    let ws = load_fixture("list-triggers.yaml");
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    let ResourceKind::Trigger(upload) = &resource(&ws, "on-upload").kind else {
        panic!()
    };
    assert_eq!(upload.filter("bucket"), Some("uploads"));
    assert!(
        matches!(&upload.destination, Some(d) if d.value == Destination::Workflow("projects/demo/locations/us-central1/workflows/greeter".into()))
    );
    let message = resource(&ws, "on-message");
    assert_eq!(message.loc.line, 11);
    let ResourceKind::Trigger(t) = &message.kind else {
        panic!()
    };
    assert_eq!(
        t.transport_topic.as_ref().map(|t| t.value.as_str()),
        Some("projects/demo/topics/orders")
    );
    assert!(
        matches!(&t.destination, Some(d) if matches!(&d.value, Destination::CloudRun { service, path: Some(p), .. } if service == "worker" && p == "/events"))
    );
}

#[test]
fn json_array_of_pubsub_resources() {
    let ws = load_fixture("list-pubsub.json");
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    assert!(matches!(
        resource(&ws, "orders").kind,
        ResourceKind::Topic(_)
    ));
    let ResourceKind::Subscription(sub) = &resource(&ws, "orders-push").kind else {
        panic!()
    };
    assert_eq!(
        sub.topic.as_ref().map(|t| t.value.as_str()),
        Some("projects/demo/topics/orders")
    );
    let push = sub.push.as_ref().unwrap();
    assert_eq!(
        (push.value.endpoint.as_str(), push.value.auth, push.loc.line),
        (
            "https://worker-abcdefghij-uc.a.run.app/push",
            Auth::Oidc,
            10
        )
    );
    assert_eq!(
        sub.dead_letter_topic.as_ref().map(|t| t.value.as_str()),
        Some("projects/demo/topics/orders-dlq")
    );
    assert_eq!(sub.max_delivery_attempts, Some(10));
}

#[test]
fn queue_and_job_from_describe() {
    let ws = load_fixture("describe-queue-and-job.yaml");
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    let ResourceKind::Queue(q) = &resource(&ws, "emails").kind else {
        panic!()
    };
    assert_eq!(
        q.retry.max_attempts.as_ref().map(|a| (a.value, a.loc.line)),
        Some((-1, 3))
    );
    assert_eq!(
        q.retry.max_retry_duration.as_ref().map(|d| d.value),
        Some(0.0)
    );
    let ResourceKind::Job(j) = &resource(&ws, "nightly").kind else {
        panic!()
    };
    assert_eq!(
        j.schedule.as_ref().map(|s| s.value.as_str()),
        Some("30 2 * * *")
    );
    assert_eq!(
        j.time_zone.as_ref().map(|s| s.value.as_str()),
        Some("Europe/Berlin")
    );
    assert!(
        matches!(&j.target, Some(t) if t.value == JobTarget::PubSub { topic: "projects/demo/topics/orders".into() })
    );
    assert_eq!(j.retry_count, Some(2));
}

#[test]
fn app_engine_queue_and_cron_files() {
    let ws = load_fixture("queue.yaml");
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    let ResourceKind::Queue(q) = &resource(&ws, "thumbnails").kind else {
        panic!()
    };
    assert_eq!(
        q.app_engine_target.as_ref().map(|t| t.value.as_str()),
        Some("thumbnailer")
    );
    assert_eq!(q.retry.max_attempts.as_ref().map(|a| a.value), Some(6));
    assert_eq!(
        q.retry.max_retry_duration.as_ref().map(|d| d.value),
        Some(86400.0)
    );
    let ResourceKind::Queue(pulled) = &resource(&ws, "pulled").kind else {
        panic!()
    };
    assert!(pulled.pull);

    let ws = load_fixture("cron.yaml");
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    let job = resource(&ws, "/tasks/summary");
    assert_eq!(job.loc.line, 2);
    let ResourceKind::Job(j) = &job.kind else {
        panic!()
    };
    assert_eq!(
        j.schedule.as_ref().map(|s| s.value.as_str()),
        Some("every 24 hours")
    );
    assert!(
        matches!(&j.target, Some(t) if matches!(&t.value, JobTarget::AppEngine { service: Some(s), .. } if s == "reports"))
    );
}

#[test]
fn config_connector_resources() {
    let ws = load_fixture("config-connector.yaml");
    assert!(errors(&ws).is_empty(), "{:?}", ws.diagnostics);
    let ResourceKind::Subscription(sub) = &resource(&ws, "audit-sub").kind else {
        panic!()
    };
    assert_eq!(
        sub.topic.as_ref().map(|t| t.value.as_str()),
        Some("audit-topic")
    );
    assert_eq!(
        sub.dead_letter_topic.as_ref().map(|t| t.value.as_str()),
        Some("projects/demo/topics/audit-dlq")
    );
    let trigger = resource(&ws, "audit-trigger");
    assert_eq!(
        (trigger.project.as_deref(), trigger.location.as_deref()),
        (Some("demo"), Some("us-central1"))
    );
    let ResourceKind::Trigger(t) = &trigger.kind else {
        panic!()
    };
    assert!(
        matches!(&t.destination, Some(d) if matches!(&d.value, Destination::CloudRun { service, .. } if service == "auditor"))
    );
    assert_eq!(workflow(&ws, "embedded").step_count(), 1);
    // A quoted source cannot map line for line: its steps point at the string.
    assert_eq!(
        workflow(&ws, "embedded").subworkflows[0].steps[0].loc.line,
        39
    );
    let skipped: Vec<_> = ws
        .diagnostics
        .iter()
        .filter(|d| d.rule == RuleId::UnrecognizedDocument)
        .collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(
        (skipped[0].loc.line, skipped[0].severity),
        (41, Severity::Info)
    );
    assert!(skipped[0].message.contains("IAMServiceAccount"));
}

#[test]
fn syntax_error_is_located_and_other_files_still_load() {
    let ws = load(
        &[fixture("broken.yaml"), fixture("list-pubsub.json")],
        &baton_analyzer::Limits::default(),
    );
    let errs = errors(&ws);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].rule, RuleId::ParseError);
    assert_eq!(errs[0].loc.file.0, 0);
    assert_eq!(errs[0].loc.line, 7, "{}", errs[0].message);
    assert_eq!(ws.resources.len(), 2, "the JSON file still loads");
}

#[test]
fn wrong_types_are_located_errors_and_the_rest_loads() {
    let ws = load_fixture("wrong-types.yaml");
    let errs: Vec<_> = errors(&ws)
        .iter()
        .map(|d| (d.rule, d.loc.line, d.message.clone()))
        .collect();
    assert!(
        errs.iter()
            .all(|(rule, ..)| *rule == RuleId::InvalidDefinition),
        "{errs:?}"
    );
    let lines: Vec<u32> = errs.iter().map(|(_, line, _)| *line).collect();
    assert_eq!(lines, [4, 10, 14, 18, 20], "{errs:?}");
    assert!(
        errs[0]
            .2
            .contains("`retryCount` should be an integer, found a list"),
        "{}",
        errs[0].2
    );
    // Each resource is still there, with what could be read.
    let ResourceKind::Job(job) = &resource(&ws, "typed").kind else {
        panic!()
    };
    assert!(job.target.is_some());
    assert!(matches!(
        resource(&ws, "typed-sub").kind,
        ResourceKind::Subscription(_)
    ));
    let wf = workflow(&ws, "wrong-types");
    let names: Vec<_> = wf.subworkflows[0]
        .steps
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["both", "unknown", "fine"]);
}

#[test]
fn crlf_and_bom_are_fine() {
    let ws = load(
        &[fixture("crlf.yaml"), fixture("bom.yaml")],
        &baton_analyzer::Limits::default(),
    );
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    let names: Vec<_> = ws.resources.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["crlf", "bom"]);
}

#[test]
fn unrecognised_and_empty_documents_are_infos() {
    let ws = load(
        &[
            SourceFile::new("a.yaml", "just: a map\n"),
            SourceFile::new("b.yaml", ""),
            SourceFile::new("c.json", "42"),
            // A BigQuery schema: one skipped document, not one per column.
            SourceFile::new(
                "d.json",
                "[\n  {\"name\": \"a\", \"type\": \"STRING\"},\n  {\"name\": \"b\", \"type\": \"INT64\"}\n]\n",
            ),
        ],
        &baton_analyzer::Limits::default(),
    );
    assert!(ws.resources.is_empty());
    let found: Vec<_> = ws
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.severity, d.loc.file.0))
        .collect();
    assert_eq!(
        found,
        [
            (RuleId::UnrecognizedDocument, Severity::Info, 0),
            (RuleId::UnrecognizedDocument, Severity::Info, 1),
            (RuleId::UnrecognizedDocument, Severity::Info, 2),
            (RuleId::UnrecognizedDocument, Severity::Info, 3)
        ]
    );
    assert_eq!(ws.diagnostics[3].loc.line, 1);
}

#[test]
fn image_pipeline_example_loads_completely() {
    let dir = format!(
        "{}/../../shared/examples/image-pipeline",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut files = Vec::new();
    for name in [
        "image-pipeline.workflows.yaml",
        "delete-cleanup.workflows.json",
        "eventarc-triggers.yaml",
        "cloud-tasks-queue.yaml",
        "scheduler-job.yaml",
        "pubsub.yaml",
        "cloud-run-services.yaml",
    ] {
        files.push(SourceFile::new(
            name,
            std::fs::read_to_string(format!("{dir}/{name}")).unwrap(),
        ));
    }
    let ws = load(&files, &baton_analyzer::Limits::default());
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    let mut names: Vec<_> = ws
        .resources
        .iter()
        .map(|r| format!("{}:{}", r.kind.label(), r.name))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cloud run service:collage",
            "cloud run service:delete-image",
            "cloud run service:thumbnails",
            "cloud tasks queue:thumbnail-queue",
            "eventarc trigger:on-image-deleted",
            "eventarc trigger:on-image-uploaded",
            "pub/sub subscription:collage-on-thumbnail",
            "pub/sub topic:thumbnail-created",
            "scheduler job:collage-every-minute",
            "workflow:delete-cleanup",
            "workflow:image-pipeline",
        ]
    );
    let ResourceKind::Service(collage) = &resource(&ws, "collage").kind else {
        panic!()
    };
    assert_eq!(
        collage.urls,
        [
            "https://collage-123456789012.europe-west1.run.app",
            "https://collage-x7k2m9qp4a-ew.a.run.app"
        ]
    );
    assert_eq!(collage.max_scale, Some(1));
    let ResourceKind::Service(thumbnails) = &resource(&ws, "thumbnails").kind else {
        panic!()
    };
    assert_eq!(
        thumbnails.env[1].value.1,
        "projects/pic-demo/topics/thumbnail-created"
    );
    let wf = workflow(&ws, "image-pipeline");
    assert_eq!(
        step(&wf.subworkflows[0].steps, "never_reached").loc.line,
        100
    );
    assert_eq!(wf.step_count(), 25);
    assert_eq!(workflow(&ws, "delete-cleanup").step_count(), 6);
}

/// `except` may hold one step inline, as `try` may (Google's blueprints write
/// `except: {as: e, raise: ...}`); with neither `steps` nor a step it is invalid.
#[test]
fn except_with_an_inline_step() {
    let text = "- copy:\n    try:\n      call: http.get\n      args:\n        url: https://example.com\n    except:\n      as: e\n      raise: ${e}\n- bad:\n    try:\n      call: http.get\n      args:\n        url: https://example.com\n    except:\n      as: e\n";
    let ws = load(
        &[SourceFile::new("flow.yaml", text)],
        &baton_analyzer::Limits::default(),
    );
    let steps = &workflow(&ws, "flow").subworkflows[0].steps;
    let StepKind::Try(t) = &step(steps, "copy").body.kind else {
        panic!("not a try")
    };
    let except = t.except.as_ref().unwrap();
    assert_eq!(except.var.as_deref(), Some("e"));
    assert_eq!(except.steps.len(), 1);
    assert_eq!(except.steps[0].name, "copy (except)");
    assert!(matches!(except.steps[0].body.kind, StepKind::Raise(_)));
    let found: Vec<_> = errors(&ws)
        .iter()
        .map(|d| (d.loc.line, d.message.clone()))
        .collect();
    assert_eq!(found, [(15, "`except` has no `steps`".to_string())]);
}
