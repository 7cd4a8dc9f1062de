#!/usr/bin/env bash
# Deploys the image pipeline of the course lab "Building Event-Driven Orchestration on Google
# Cloud" the way the lab does it: with gcloud commands. Own example: the same architecture as
# the `image-pipeline` example, which holds what `gcloud ... describe` prints once it is
# deployed. Run from this folder after `gcloud auth login`.
set -euo pipefail

PROJECT_ID=${PROJECT_ID:-pic-demo}
REGION=${REGION:-europe-west1}
UPLOAD_BUCKET=uploaded-pictures-${PROJECT_ID}
REGISTRY=${REGION}-docker.pkg.dev/${PROJECT_ID}/pics

gcloud config set project "${PROJECT_ID}"
gcloud config set run/region "${REGION}"
gcloud config set eventarc/location "${REGION}"

# Uploads land here; the workflow and the delete handler react to its object events.
gcloud storage buckets create "gs://${UPLOAD_BUCKET}" --location="${REGION}"

# Cloud Run services. Only Cloud Tasks and Eventarc reach the first two.
gcloud run deploy thumbnails \
  --image="${REGISTRY}/thumbnails:1.4.0" \
  --ingress=internal \
  --min-instances=0 --max-instances=3 \
  --no-allow-unauthenticated \
  --set-env-vars="BUCKET_THUMBNAILS=thumbnails-${PROJECT_ID},DONE_TOPIC=projects/${PROJECT_ID}/topics/thumbnail-created"

gcloud run deploy delete-image \
  --image="${REGISTRY}/delete-image:1.1.2" \
  --ingress=internal \
  --no-allow-unauthenticated \
  --set-env-vars="BUCKET_THUMBNAILS=thumbnails-${PROJECT_ID}"

# One instance at most: the collage is rebuilt from the latest thumbnails.
gcloud run deploy collage \
  --image="${REGISTRY}/collage:2.0.0" \
  --max-instances=1 \
  --no-allow-unauthenticated \
  --set-env-vars="BUCKET_THUMBNAILS=thumbnails-${PROJECT_ID}"

COLLAGE_URL=$(gcloud run services describe collage --format='value(status.url)')

# The workflow queues one thumbnail task per upload; tasks name their own URL.
gcloud tasks queues create thumbnail-queue \
  --location="${REGION}" \
  --max-attempts=6 --max-retry-duration=900s \
  --min-backoff=2s --max-backoff=120s --max-doublings=4 \
  --max-dispatches-per-second=10 --max-concurrent-dispatches=5

gcloud workflows deploy image-pipeline \
  --location="${REGION}" \
  --source=image-pipeline.workflows.yaml \
  --service-account="workflows@${PROJECT_ID}.iam.gserviceaccount.com"

gcloud workflows deploy delete-cleanup \
  --location="${REGION}" \
  --source=delete-cleanup.workflows.json

TRIGGER_SA="eventarc-trigger@${PROJECT_ID}.iam.gserviceaccount.com"

gcloud eventarc triggers create on-image-uploaded \
  --destination-workflow=image-pipeline \
  --destination-workflow-location="${REGION}" \
  --event-filters="type=google.cloud.storage.object.v1.finalized" \
  --event-filters="bucket=${UPLOAD_BUCKET}" \
  --service-account="${TRIGGER_SA}"

gcloud eventarc triggers create on-image-deleted \
  --destination-run-service=delete-image \
  --destination-run-region="${REGION}" \
  --destination-run-path=/ \
  --event-filters="type=google.cloud.storage.object.v1.deleted" \
  --event-filters="bucket=${UPLOAD_BUCKET}" \
  --service-account="${TRIGGER_SA}"

# Every minute; a failed run is not retried: the next tick is the retry.
gcloud scheduler jobs create http collage-every-minute \
  --location="${REGION}" \
  --schedule="* * * * *" \
  --time-zone=Etc/UTC \
  --uri="${COLLAGE_URL}/" \
  --http-method=POST \
  --message-body='{"size": 4}' \
  --oidc-service-account-email="scheduler-invoker@${PROJECT_ID}.iam.gserviceaccount.com" \
  --max-retry-attempts=0

# Choreography add-on: thumbnails announces each thumbnail, collage refreshes on it.
gcloud pubsub topics create thumbnail-created
gcloud pubsub subscriptions create collage-on-thumbnail \
  --topic=thumbnail-created \
  --push-endpoint="${COLLAGE_URL}/refresh" \
  --push-auth-service-account="pubsub-pusher@${PROJECT_ID}.iam.gserviceaccount.com" \
  --ack-deadline=60 \
  --message-filter='attributes.kind = "thumbnail"' \
  --dead-letter-topic=thumbnail-created-dlq \
  --max-delivery-attempts=5
