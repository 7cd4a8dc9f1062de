//! What a URL names: the host → node rules of ../shared/docs/formats.md §6.3. URLs may be
//! templates in which `{...}` marks a part that is not known statically (see
//! [`super::values`]).

use super::{NodeKind, Target};
use crate::load::parse_resource_name;

/// The thing a URL points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlTarget {
    /// A Cloud Run service, with the project (number) and region when the URL form has them.
    Service(Target),
    /// A Cloud Function (`REGION-PROJECT.cloudfunctions.net/NAME`).
    Function(Target),
    /// `workflowexecutions.googleapis.com/.../workflows/W/executions`: starts workflow `W`.
    WorkflowExecutions(Target),
    /// `run.googleapis.com/.../jobs/J:run` (either API version): starts Cloud Run job `J`.
    RunJob(Target),
    /// Any other `*.googleapis.com` host.
    GoogleApi(String),
    /// Some other host.
    External(String),
    /// The host is not known statically.
    Unknown,
}

/// The host and path of `url`, lowercased host, without scheme, port, query or fragment.
pub fn host_and_path(url: &str) -> Option<(String, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    // A port, but not a `{placeholder}` that contains a colon.
    let host = match host.rfind(':') {
        Some(i) if !host[i..].contains('}') => &host[..i],
        _ => host,
    };
    if host.is_empty() {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    Some((host.to_ascii_lowercase(), path))
}

/// Classifies `url` by its host.
pub fn classify(url: &str) -> UrlTarget {
    let Some((host, path)) = host_and_path(url.trim()) else {
        return UrlTarget::Unknown;
    };
    if let Some(rest) = host.strip_suffix(".cloudfunctions.net") {
        let function = path.trim_start_matches('/').split('/').next().unwrap_or("");
        return if is_static(function) && !function.is_empty() && !rest.is_empty() {
            let (location, project) = region_and_project(rest);
            UrlTarget::Function(Target::known(
                NodeKind::Function,
                function,
                project,
                location,
            ))
        } else {
            UrlTarget::Unknown
        };
    }
    if let Some(job) = run_job(&host, path) {
        return UrlTarget::RunJob(job);
    }
    if let Some(service) = run_service_template(&host) {
        return UrlTarget::Service(service);
    }
    if !is_static(&host) {
        return UrlTarget::Unknown;
    }
    if let Some(service) = cloud_run_service(&host) {
        return UrlTarget::Service(service);
    }
    if host == "workflowexecutions.googleapis.com" {
        if let Some(workflow) = segment_after(path, "workflows") {
            if path.contains("/executions") && is_static(workflow) {
                let name = parse_resource_name(path.split("/executions").next().unwrap_or(""));
                return UrlTarget::WorkflowExecutions(Target::known(
                    NodeKind::Workflow,
                    workflow,
                    name.project,
                    name.location,
                ));
            }
        }
    }
    if host.ends_with(".googleapis.com") {
        return UrlTarget::GoogleApi(host);
    }
    UrlTarget::External(host)
}

/// The service in a `run.app` host, in either URL form of ../shared/docs/formats.md §6.2.
fn cloud_run_service(host: &str) -> Option<Target> {
    if let Some(name) = host.strip_suffix(".a.run.app") {
        // SERVICE-HASH-RC: drop the last two hyphen-separated parts.
        let mut parts = name.rsplitn(3, '-');
        let (code, hash, service) = (parts.next()?, parts.next()?, parts.next()?);
        let ok = (2..=4).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_lowercase())
            && (8..=12).contains(&hash.len())
            && hash.bytes().all(|b| b.is_ascii_alphanumeric());
        // The region code (`ew`) and the hash do not name the project or region.
        return (ok && !service.is_empty())
            .then(|| Target::known(NodeKind::Service, service, None, None));
    }
    // SERVICE-PROJECTNUMBER.REGION.run.app
    let name = host.strip_suffix(".run.app")?;
    let (first, region) = name.split_once('.')?;
    let (service, number) = first.rsplit_once('-')?;
    let ok = !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && !region.is_empty()
        && !service.is_empty();
    ok.then(|| Target::known(NodeKind::Service, service, Some(number), Some(region)))
}

/// The job a Cloud Run Admin API URL runs: `https://REGION-run.googleapis.com/apis/
/// run.googleapis.com/v1/namespaces/PROJECT/jobs/JOB:run` or `https://run.googleapis.com/v2/
/// projects/P/locations/L/jobs/JOB:run`. The region may be a template; the job's name must not.
fn run_job(host: &str, path: &str) -> Option<Target> {
    let region = match host.strip_suffix("run.googleapis.com")? {
        "" => None,
        prefix => Some(prefix.strip_suffix('-')?),
    };
    let job = segment_after(path, "jobs")?.strip_suffix(":run")?;
    let project = segment_after(path, "namespaces").or_else(|| segment_after(path, "projects"));
    let location = segment_after(path, "locations").or(region);
    let project = project.filter(|p| is_static(p));
    let location = location.filter(|l| is_static(l));
    let target = Target::known(NodeKind::RunJob, job, project, location);
    is_static(job).then_some(target)
}

/// `SERVICE-{project-number}.REGION.run.app`: the URL a script gets from `gcloud run
/// services describe SERVICE`, its project number (and maybe region) not known statically.
fn run_service_template(host: &str) -> Option<Target> {
    let (first, region) = host.strip_suffix(".run.app")?.split_once('.')?;
    let (service, number) = first.split_once("-{")?;
    if !number.ends_with('}') || service.is_empty() || !is_static(service) {
        return None;
    }
    let region = Some(region).filter(|r| is_static(r) && !r.is_empty());
    Some(Target::known(NodeKind::Service, service, None, region))
}

/// `europe-west1-my-project` → (`europe-west1`, `my-project`): regions are `word-wordN`; a
/// region not known statically (`{region}-my-project`) still leaves the project.
fn region_and_project(text: &str) -> (Option<&str>, Option<&str>) {
    if let Some((_, project)) = text.strip_prefix('{').and_then(|t| t.split_once("}-")) {
        return (
            None,
            Some(project).filter(|p| !p.is_empty() && is_static(p)),
        );
    }
    let mut parts = text.splitn(3, '-');
    let (Some(area), Some(zone), Some(project)) = (parts.next(), parts.next(), parts.next()) else {
        return (None, None);
    };
    let region_like = !area.is_empty()
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && zone.len() > 1
        && zone.bytes().last().is_some_and(|b| b.is_ascii_digit())
        && zone.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    match region_like && !project.is_empty() && is_static(project) {
        true => (Some(&text[..area.len() + zone.len() + 1]), Some(project)),
        false => (None, None),
    }
}

/// The path segment after `/<key>/`, e.g. `W` in `.../workflows/W/executions`.
pub fn segment_after<'a>(path: &'a str, key: &str) -> Option<&'a str> {
    let mut parts = path.split('/');
    parts.find(|p| *p == key)?;
    parts.next().filter(|s| !s.is_empty())
}

/// True when a template has no unknown part.
pub fn is_static(text: &str) -> bool {
    !text.contains('{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_cloud_run_url_forms_name_the_service() {
        let service = |s: &str| UrlTarget::Service(Target::known(NodeKind::Service, s, None, None));
        assert_eq!(
            classify("https://collage-x7k2m9qp4a-ew.a.run.app/refresh"),
            service("collage")
        );
        assert_eq!(
            classify("https://thumbnails-123456789012.europe-west1.run.app/"),
            UrlTarget::Service(Target::known(
                NodeKind::Service,
                "thumbnails",
                Some("123456789012"),
                Some("europe-west1")
            ))
        );
        assert_eq!(
            classify("https://my-long-svc-abcdefgh12-uc.a.run.app"),
            service("my-long-svc")
        );
        assert_eq!(
            classify("https://x.run.app"),
            UrlTarget::External("x.run.app".into())
        );
    }

    #[test]
    fn a_function_url_with_an_unknown_region_keeps_its_project() {
        assert_eq!(
            classify("https://{region}-acme.cloudfunctions.net/labeler"),
            UrlTarget::Function(Target::known(
                NodeKind::Function,
                "labeler",
                Some("acme"),
                None
            ))
        );
    }

    #[test]
    fn a_described_service_url_names_the_service() {
        assert_eq!(
            classify("https://api-{project-number}.europe-west1.run.app/run"),
            UrlTarget::Service(Target::known(
                NodeKind::Service,
                "api",
                None,
                Some("europe-west1")
            ))
        );
        assert_eq!(
            classify("https://api-{project-number}.{region}.run.app"),
            UrlTarget::Service(Target::known(NodeKind::Service, "api", None, None))
        );
        assert_eq!(
            classify("https://{$SERVICE}-{x}.eu.run.app"),
            UrlTarget::Unknown
        );
    }

    #[test]
    fn run_admin_api_urls_name_the_job_they_run() {
        assert_eq!(
            classify("https://us-central1-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/acme/jobs/nightly:run"),
            UrlTarget::RunJob(Target::known(
                NodeKind::RunJob,
                "nightly",
                Some("acme"),
                Some("us-central1")
            ))
        );
        assert_eq!(
            classify(
                "https://run.googleapis.com/v2/projects/acme/locations/{region}/jobs/nightly:run"
            ),
            UrlTarget::RunJob(Target::known(
                NodeKind::RunJob,
                "nightly",
                Some("acme"),
                None
            ))
        );
        assert_eq!(
            classify("https://{region}-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/{project}/jobs/nightly:run"),
            UrlTarget::RunJob(Target::known(NodeKind::RunJob, "nightly", None, None))
        );
        // Listing jobs runs none; a job name only known later is unknown.
        assert_eq!(
            classify("https://run.googleapis.com/v2/projects/acme/locations/eu/jobs"),
            UrlTarget::GoogleApi("run.googleapis.com".into())
        );
        assert_eq!(
            classify("https://{region}-run.googleapis.com/apis/run.googleapis.com/v1/namespaces/p/jobs/{name}:run"),
            UrlTarget::Unknown
        );
    }

    #[test]
    fn functions_apis_workflows_and_unknown_hosts() {
        assert_eq!(
            classify("https://{region}-{project}.cloudfunctions.net/resize?x=1"),
            UrlTarget::Function(Target::known(NodeKind::Function, "resize", None, None))
        );
        assert_eq!(
            classify("https://europe-west1-my-proj.cloudfunctions.net/resize"),
            UrlTarget::Function(Target::known(
                NodeKind::Function,
                "resize",
                Some("my-proj"),
                Some("europe-west1")
            ))
        );
        assert_eq!(
            classify("https://vision.googleapis.com/v1/images:annotate"),
            UrlTarget::GoogleApi("vision.googleapis.com".into())
        );
        assert_eq!(
            classify("https://workflowexecutions.googleapis.com/v1/projects/p/locations/l/workflows/w1/executions"),
            UrlTarget::WorkflowExecutions(Target::known(
                NodeKind::Workflow,
                "w1",
                Some("p"),
                Some("l")
            ))
        );
        assert_eq!(classify("{args.url}"), UrlTarget::Unknown);
        assert_eq!(classify("https://{host}/x"), UrlTarget::Unknown);
        assert_eq!(
            classify("http://Example.com:8080/a"),
            UrlTarget::External("example.com".into())
        );
    }
}
