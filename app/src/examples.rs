//! The examples gallery, embedded in the wasm so that the app works from any static host
//! without fetching. The same files are in `public/examples/` for download.

use baton_analyzer::SourceFile;

pub struct Example {
    /// Used in `#example=NAME`.
    pub name: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

impl Example {
    /// The files, named `NAME/FILE` as in the gallery folder.
    pub fn sources(&self) -> Vec<SourceFile> {
        self.files
            .iter()
            .map(|(file, text)| SourceFile::new(format!("{}/{file}", self.name), *text))
            .collect()
    }
}

macro_rules! files {
    ($dir:literal: $($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../../public/examples/", $dir, "/", $file)))),*]
    };
}

pub const EXAMPLES: &[Example] = &[Example {
    name: "image-pipeline",
    title: "Image pipeline",
    summary: "Uploads to a bucket start a workflow that calls Vision and Firestore and queues thumbnails; a scheduler job builds a collage.",
    files: files!("image-pipeline":
        "cloud-run-services.yaml",
        "cloud-tasks-queue.yaml",
        "delete-cleanup.workflows.json",
        "eventarc-triggers.yaml",
        "image-pipeline.workflows.yaml",
        "pubsub.yaml",
        "scheduler-job.yaml",
    ),
}, Example {
    name: "gcloud-deploy",
    title: "Image pipeline, deployed with gcloud",
    summary: "The course lab's image pipeline as its deploy script: gcloud commands create the bucket, services, queue, workflows, triggers, scheduler job and subscription.",
    files: files!("gcloud-deploy":
        "delete-cleanup.workflows.json",
        "deploy.sh",
        "image-pipeline.workflows.yaml",
    ),
}, Example {
    name: "order-processing",
    title: "Order processing (orchestration)",
    summary: "A new order starts a workflow that locks inventory, asks suppliers, saves the order, emails the customer and queues a note for the sales rep.",
    files: files!("order-processing":
        "cloud-run-services.yaml",
        "cloud-tasks-queue.json",
        "eventarc-trigger.yaml",
        "order-processing.workflow.yaml",
        "pubsub-topic.yaml",
        "scheduler-job.yaml",
    ),
}, Example {
    name: "choreography",
    title: "Order events (choreography)",
    summary: "Services react to Pub/Sub events: a fan-out of push subscriptions, follow-up events, dead-letter topics and a scheduled sync.",
    files: files!("choreography":
        "cloud-run-services.yaml",
        "eventarc-trigger.yaml",
        "scheduler-job.json",
        "subscriptions.json",
        "topics.yaml",
    ),
}];

pub fn example(name: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file Baton reads in `public/examples/NAME/` (but the example's README) is
    /// embedded, and every folder is an example.
    #[test]
    fn the_gallery_embeds_every_example_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/examples");
        let mut folders: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        folders.sort();
        let mut names: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
        names.sort();
        assert_eq!(folders, names);
        for example in EXAMPLES {
            let mut on_disk: Vec<String> = std::fs::read_dir(root.join(example.name))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name != "README.md" && baton_analyzer::reads(name, ""))
                .collect();
            on_disk.sort();
            let embedded: Vec<&str> = example.files.iter().map(|(name, _)| *name).collect();
            assert_eq!(on_disk, embedded, "{}", example.name);
        }
    }
}
