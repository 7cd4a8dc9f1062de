//! Attributes Terraform computes (`id`, `uri`, `url`, `self_link`...). Their real values exist
//! only after `apply`; what matters is which resource they name. A resource Baton models is
//! named by a *token*, `tf~N` (N its index among the loaded resources), which the graph maps
//! to exactly that resource: as the name in an id (`projects/{project}/topics/tf~3`) or as
//! the host of a URL (`https://tf~7`).

use std::collections::BTreeMap;

use super::eval::Evaluator;
use super::value::{InstanceId, Value};

/// The prefix of a token.
pub(crate) const TOKEN: &str = "tf~";

/// The token that names model resource `index`.
pub(crate) fn token(index: usize) -> String {
    format!("{TOKEN}{index}")
}

/// The model resource a token names: the whole of `text`, or a URL's host.
pub(crate) fn parse_token(text: &str) -> Option<usize> {
    text.strip_prefix(TOKEN)?.parse().ok()
}

/// A computed attribute of resource instance `i` of type `ty`.
pub(crate) fn attribute(ev: &mut Evaluator<'_>, i: InstanceId, ty: &str, name: &str) -> Value {
    let address = ev.resources[i].address.clone();
    let Some(model) = ev.resources[i].model else {
        return Value::unknown(&format!("{address}.{name}"));
    };
    let token = token(model);
    let part = |ev: &mut Evaluator<'_>, attribute: &str| {
        ev.attribute(i, attribute)
            .as_text()
            .unwrap_or_else(|| format!("{{{address}.{attribute}}}"))
    };
    let url = Value::str(format!("https://{token}"));
    match (ty, name) {
        (_, "id" | "self_link") => {
            let project = part(ev, "project");
            let location = part(
                ev,
                if matches!(
                    ty,
                    "google_workflows_workflow"
                        | "google_cloud_scheduler_job"
                        | "google_cloudfunctions_function"
                ) {
                    "region"
                } else {
                    "location"
                },
            );
            Value::str(match ty {
                "google_pubsub_topic" => format!("projects/{project}/topics/{token}"),
                "google_pubsub_subscription" => {
                    format!("projects/{project}/subscriptions/{token}")
                }
                "google_workflows_workflow" => {
                    format!("projects/{project}/locations/{location}/workflows/{token}")
                }
                "google_cloud_tasks_queue" => {
                    format!("projects/{project}/locations/{location}/queues/{token}")
                }
                "google_cloud_scheduler_job" => {
                    format!("projects/{project}/locations/{location}/jobs/{token}")
                }
                "google_eventarc_trigger" => {
                    format!("projects/{project}/locations/{location}/triggers/{token}")
                }
                "google_cloud_run_v2_service" => {
                    format!("projects/{project}/locations/{location}/services/{token}")
                }
                "google_cloud_run_v2_job" => {
                    format!("projects/{project}/locations/{location}/jobs/{token}")
                }
                "google_cloud_run_service" => {
                    format!("locations/{location}/namespaces/{project}/services/{token}")
                }
                "google_cloudfunctions_function" | "google_cloudfunctions2_function" => {
                    format!("projects/{project}/locations/{location}/functions/{token}")
                }
                _ => token,
            })
        }
        // A name the configuration does not give: the token stands for it.
        (_, "name") => Value::str(token),
        ("google_cloud_run_v2_service", "uri" | "urls")
        | ("google_cloudfunctions_function", "https_trigger_url")
        | ("google_cloudfunctions2_function", "url") => url,
        ("google_cloud_run_service", "status") => {
            Value::list(vec![Value::map(BTreeMap::from([("url".to_string(), url)]))])
        }
        _ => Value::unknown(&format!("{address}.{name}")),
    }
}

/// A configuration block with what Terraform computes inside it (a gen2 function's
/// `service_config[0].uri`).
pub(crate) fn augment(
    ev: &Evaluator<'_>,
    i: InstanceId,
    ty: &str,
    name: &str,
    value: Value,
) -> Value {
    let Some(model) = ev.resources[i].model else {
        return value;
    };
    match (ty, name, value) {
        ("google_cloudfunctions2_function", "service_config", Value::List(blocks)) => {
            let blocks = blocks
                .iter()
                .map(|b| match b {
                    Value::Map(entries) => {
                        let mut entries = (**entries).clone();
                        entries
                            .entry("uri".to_string())
                            .or_insert_with(|| Value::str(format!("https://{}", token(model))));
                        Value::map(entries)
                    }
                    other => other.clone(),
                })
                .collect();
            Value::list(blocks)
        }
        (_, _, value) => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        assert_eq!(parse_token(&token(17)), Some(17));
        assert_eq!(parse_token("tf~x"), None);
        assert_eq!(parse_token("orders"), None);
    }
}
