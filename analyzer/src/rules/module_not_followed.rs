use super::Rule;
use crate::diagnostic::Severity;

pub const RULE: Rule = Rule {
    name: "module-not-followed",
    code: "TF001",
    severity: Severity::Info,
    summary: "a Terraform module whose source Baton does not read (registry, git, or a folder not loaded)",
    docs: r#"## What it finds
A Terraform `module` block whose `source` is not a local folder among the loaded files: a
registry address (`terraform-google-modules/pubsub/google`), a git or HTTP URL, or a relative
path (`../shared`) outside what was loaded. Reported once per `module` block, at the block.
Its outputs are unknown to Baton, so what they feed shows as `{module.x.output}`.

## Why it matters
The resources the module creates (topics, subscriptions, functions, triggers) are not in the
graph, and neither are their edges: the picture of the architecture is partial there, and the
rules cannot look at what the module wires.

## Example
```hcl
module "pubsub" {
  source     = "terraform-google-modules/pubsub/google"
  version    = "~> 6.0"
  topic      = "orders"
  project_id = var.project_id
}
```

## How to fix
Load the module's source too: vendor it, or point Baton at a checkout and use a local
`source = "../modules/pubsub"`. Nothing to fix when the module creates nothing that takes
part in the event flow.
"#,
    check: None,
};
