#!/bin/sh
# azd postdeploy hook: subscribe the Ingest function (Event Grid blob trigger) to BlobCreated events of the
# abstracts container. The webhook needs the app's blobs_extension system key, which the host creates only once
# the deployed app has started, so this runs after deployment and waits for the key. Re-running updates the same
# subscription. Needs the Azure CLI (`az login`); the values come from the azd environment (main.bicep outputs).
set -eu

for name in AZURE_RESOURCE_GROUP AZURE_FUNCTION_APP_NAME SERVICE_API_URI ABSTRACTS_CONTAINER_NAME \
  ABSTRACTS_SYSTEM_TOPIC_NAME INGEST_FUNCTION_NAME DEADLETTER_CONTAINER_ID; do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "subscribe-ingest: $name is not set; run 'azd provision' first." >&2
    exit 1
  fi
done
command -v az >/dev/null 2>&1 || { echo "subscribe-ingest: the Azure CLI (az) is required." >&2; exit 1; }

key=""
attempt=1
while [ "$attempt" -le 30 ]; do
  key=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)
  [ -n "$key" ] && break
  echo "subscribe-ingest: waiting for the blobs_extension key (attempt $attempt of 30)..."
  sleep 10
  attempt=$((attempt + 1))
done
if [ -z "$key" ]; then
  echo "subscribe-ingest: no blobs_extension key on $AZURE_FUNCTION_APP_NAME; is the app running with the Ingest function?" >&2
  exit 1
fi

endpoint="$SERVICE_API_URI/runtime/webhooks/blobs?functionName=Host.Functions.$INGEST_FUNCTION_NAME&code=$key"
az eventgrid system-topic event-subscription create \
  --name "ingest-$ABSTRACTS_CONTAINER_NAME" \
  --resource-group "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$ABSTRACTS_SYSTEM_TOPIC_NAME" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$ABSTRACTS_CONTAINER_NAME/" \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --deadletter-identity systemassigned \
  --deadletter-identity-endpoint "$DEADLETTER_CONTAINER_ID" \
  --output none
echo "subscribe-ingest: BlobCreated in $ABSTRACTS_CONTAINER_NAME now invokes $INGEST_FUNCTION_NAME; undeliverable events go to the dead-letter container."
