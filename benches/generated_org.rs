//! Generates a synthetic organisation of definitions for benchmarks: workflows that use every
//! construct and call each other's services, plus the resources around them.

// Tests and benches fail loudly on what they did not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write;

/// `(path, text)` pairs: `workflows` workflow files of about `steps` steps each, and
/// `others` other resources (services, topics, subscriptions, queues, jobs, triggers), in
/// one folder per team (`teams/team-3/`, a workflow file each and the team's resources in
/// files of at most 64 KiB under `infra/`), as an organisation keeps them.
pub fn generate(workflows: usize, steps: usize, others: usize) -> Vec<(String, String)> {
    let teams = (workflows / 10).clamp(1, 40);
    let mut files = Vec::new();
    for w in 0..workflows {
        files.push((
            format!("teams/team-{}/wf-{w}.workflows.yaml", w % teams),
            workflow(w, steps, others.max(1)),
        ));
    }
    let mut resources = vec![String::new(); teams];
    for r in 0..others {
        let team = (r / 6) % teams;
        let text = &mut resources[team];
        if !text.is_empty() {
            text.push_str("---\n");
        }
        text.push_str(&resource(r, workflows.max(1)));
        if text.len() > 64 * 1024 {
            files.push((
                format!("teams/team-{team}/infra/resources-{r}.yaml"),
                std::mem::take(text),
            ));
        }
    }
    for (team, text) in resources.into_iter().enumerate() {
        if !text.is_empty() {
            files.push((format!("teams/team-{team}/infra/resources.yaml"), text));
        }
    }
    files
}

fn workflow(w: usize, steps: usize, services: usize) -> String {
    let mut out = format!("# generated workflow {w}\nmain:\n  params: [event]\n  steps:\n");
    let mut s = 0;
    // Each block writes 7 steps (the nested `publish` included), with every common construct.
    while s + 7 <= steps {
        let target = (w * 7 + s) % services;
        let _ = write!(
            out,
            r#"    - init_{s}:
        assign:
          - url_{s}: "https://svc-{target}-123456789012.europe-west1.run.app/work"
    - call_{s}:
        try:
          call: http.post
          args: {{url: '${{url_{s}}}', body: {{n: {s}}}}}
          result: r_{s}
        retry: ${{http.default_retry}}
    - check_{s}:
        switch:
          - condition: ${{r_{s}.code == 200}}
            next: loop_{s}
        next: fail_{s}
    - loop_{s}:
        for:
          value: item
          in: ${{r_{s}.body.items}}
          steps:
            - publish_{s}:
                call: googleapis.pubsub.v1.projects.topics.publish
                args: {{topic: projects/gen/topics/topic-{target}}}
        next: after_{s}
    - fail_{s}:
        raise: ${{r_{s}.code}}
    - after_{s}:
        call: sys.log
        args: {{text: done}}
"#
        );
        s += 7;
    }
    out.push_str("    - finish:\n        return: ok\n");
    out
}

fn resource(r: usize, workflows: usize) -> String {
    let n = r / 6;
    match r % 6 {
        0 => format!(
            "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: svc-{n}\n  namespace: '123456789012'\n  labels:\n    cloud.googleapis.com/location: europe-west1\nspec:\n  template:\n    spec:\n      containers:\n      - image: europe-docker.pkg.dev/gen/app/svc:{n}\n        env:\n        - name: OUT_TOPIC\n          value: projects/gen/topics/topic-{n}\n"
        ),
        1 => format!("name: projects/gen/topics/topic-{n}\nlabels:\n  team: t{}\n", n % 10),
        2 => format!(
            "name: projects/gen/subscriptions/sub-{n}\ntopic: projects/gen/topics/topic-{n}\npushConfig:\n  pushEndpoint: https://svc-{}-123456789012.europe-west1.run.app/push\n  oidcToken:\n    serviceAccountEmail: push@gen.iam.gserviceaccount.com\nackDeadlineSeconds: 60\n",
            (n + 1) % 300
        ),
        3 => format!("name: projects/gen/locations/europe-west1/queues/queue-{n}\nretryConfig:\n  maxAttempts: 5\n  maxRetryDuration: 600s\nstate: RUNNING\n"),
        4 => format!(
            "name: projects/gen/locations/europe-west1/jobs/job-{n}\nschedule: '{} 3 * * *'\ntimeZone: Etc/UTC\nhttpTarget:\n  uri: https://svc-{n}-123456789012.europe-west1.run.app/cron\n  oidcToken:\n    serviceAccountEmail: cron@gen.iam.gserviceaccount.com\n",
            n % 60
        ),
        _ => format!(
            "name: projects/gen/locations/europe-west1/triggers/trigger-{n}\neventFilters:\n- attribute: type\n  value: google.cloud.storage.object.v1.finalized\n- attribute: bucket\n  value: bucket-{n}\ndestination:\n  workflow: projects/gen/locations/europe-west1/workflows/wf-{}\n",
            n % workflows
        ),
    }
}
