# azd postdeploy hook (Windows): the same as subscribe-ingest.sh. Subscribes the Ingest function (Event Grid blob
# trigger) to BlobCreated events of the abstracts container once the deployed app has its blobs_extension key.
$ErrorActionPreference = 'Stop'

foreach ($name in 'AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'SERVICE_API_URI', 'ABSTRACTS_CONTAINER_NAME',
    'ABSTRACTS_SYSTEM_TOPIC_NAME', 'INGEST_FUNCTION_NAME', 'DEADLETTER_CONTAINER_ID') {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        throw "subscribe-ingest: $name is not set; run 'azd provision' first."
    }
}
if (-not (Get-Command az -ErrorAction SilentlyContinue)) { throw 'subscribe-ingest: the Azure CLI (az) is required.' }

$key = ''
for ($attempt = 1; $attempt -le 30 -and -not $key; $attempt++) {
    $key = az functionapp keys list --resource-group $env:AZURE_RESOURCE_GROUP --name $env:AZURE_FUNCTION_APP_NAME `
        --query 'systemKeys.blobs_extension' --output tsv 2>$null
    if (-not $key) {
        Write-Host "subscribe-ingest: waiting for the blobs_extension key (attempt $attempt of 30)..."
        Start-Sleep -Seconds 10
    }
}
if (-not $key) { throw "subscribe-ingest: no blobs_extension key on $($env:AZURE_FUNCTION_APP_NAME); is the app running with the Ingest function?" }

# az is a batch file on Windows: --endpoint gets the URL in literal quotes so cmd does not split it at '&'.
$endpoint = "$($env:SERVICE_API_URI)/runtime/webhooks/blobs?functionName=Host.Functions.$($env:INGEST_FUNCTION_NAME)&code=$key"
az eventgrid system-topic event-subscription create `
    --name "ingest-$($env:ABSTRACTS_CONTAINER_NAME)" `
    --resource-group $env:AZURE_RESOURCE_GROUP `
    --system-topic-name $env:ABSTRACTS_SYSTEM_TOPIC_NAME `
    --endpoint-type webhook `
    --endpoint "`"$endpoint`"" `
    --included-event-types Microsoft.Storage.BlobCreated `
    --subject-begins-with "/blobServices/default/containers/$($env:ABSTRACTS_CONTAINER_NAME)/" `
    --max-delivery-attempts 30 `
    --event-ttl 1440 `
    --deadletter-identity systemassigned `
    --deadletter-identity-endpoint $env:DEADLETTER_CONTAINER_ID `
    --output none
if ($LASTEXITCODE -ne 0) { throw 'subscribe-ingest: creating the Event Grid subscription failed.' }
Write-Host "subscribe-ingest: BlobCreated in $($env:ABSTRACTS_CONTAINER_NAME) now invokes $($env:INGEST_FUNCTION_NAME); undeliverable events go to the dead-letter container."
