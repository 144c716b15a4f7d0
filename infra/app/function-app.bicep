// The ScholarFx function app on the Flex Consumption plan: .NET 10 isolated worker, a user-assigned identity for
// everything (storage, deployment package, Application Insights, Azure OpenAI), HTTPS only, no FTP or basic auth.
@description('Function app name.')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Region.')
param location string

@description('Tags for the plan and the app.')
param tags object

@description('azd service name in azure.yaml; azd finds the app by this tag.')
param serviceName string

@description('Resource id of the user-assigned identity.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Storage account (AzureWebJobsStorage and the deployment package).')
param storageAccountName string

@description('Blob container holding the deployment package.')
param deploymentContainerName string

@description('Application Insights name.')
param applicationInsightsName string

@description('Memory of each instance, MB.')
param instanceMemoryMB int

@description('Most instances the app scales out to.')
param maximumInstanceCount int

@description('RescoreSchedule app setting: 6-field NCRONTAB, UTC.')
param rescoreSchedule string

@description('Scoring__NoveltyNeighbours app setting: k earlier neighbours of a novelty score.')
param noveltyNeighbours int

@description('AzureOpenAI__Endpoint; empty without Azure OpenAI.')
param openAiEndpoint string

@description('AzureOpenAI__ChatDeployment; empty without Azure OpenAI.')
param openAiChatDeployment string

@description('AzureOpenAI__EmbeddingDeployment; empty to keep the embedded MiniLM model.')
param openAiEmbeddingDeployment string

@description('Resource id of the Log Analytics workspace the diagnostic logs go to.')
param logAnalyticsWorkspaceId string

@description('Subnet the app joins to reach storage through its private endpoints; empty when storage is public.')
param subnetId string = ''

@description('Public address of the service for absolute links (feeds, badge snippets); empty: the app\'s default host name. Never taken from requests.')
param publicBaseUrl string = ''

@description('Curators\' folders of the abstracts container, comma-separated.')
param sourcesCurators string = ''

@description('Trusted sources (folders, harvest/{source}), comma-separated.')
param sourcesTrusted string = 'harvest/arxiv,harvest/openalex'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // Flex Consumption takes the runtime here; FUNCTIONS_WORKER_RUNTIME is not an app setting on this plan.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// App settings: identity-based storage (no connection string, no key), telemetry with Entra ID, and the ScholarFx
// settings of local.settings.sample.json (LocalHost__* are LocalHost-only). infra tests keep the two in step.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    // DefaultAzureCredential (the Azure OpenAI client) takes the user-assigned identity from this.
    AZURE_CLIENT_ID: identityClientId
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    RescoreSchedule: rescoreSchedule
    Ingest__BatchSize: '100'
    Ingest__MaxAttempts: '5'
    Ingest__LeaseSeconds: '120'
    Ingest__WriteParallelism: '8'
    Ingest__RebuildParallelism: '4'
    Ingest__ProgressEvery: '1000'
    Ingest__CheckpointEvery: '10000'
    Ingest__MaxErrorDetails: '10000'
    Profiles__PageSize: '20'
    Profiles__MaxPageSize: '100'
    Profiles__RecentYears: '5'
    Profiles__CachedLedgerRows: '200000'
    Papers__CachedMiB: '64'
    Rankings__CachedMiB: '128'
    Api__CacheSeconds: '60'
    Api__CorsAllowedOrigins: '*'
    // Feeds and badge snippets link here, never to a Host header a caller sent (a shared cache would keep it).
    Api__PublicBaseUrl: empty(publicBaseUrl) ? 'https://${app.properties.defaultHostName}' : publicBaseUrl
    Api__BadgeFrameAncestors: '*'
    Api__AnonymousQueriesPerMinute: '60'
    Api__AnonymousQueryConcurrency: '2'
    Api__QueryCacheEntries: '1000'
    // Who ranks first when a paper's sources disagree (README, Sources); each uploader's folder is its source.
    Sources__Curators: sourcesCurators
    Sources__Trusted: sourcesTrusted
    Sources__ApiUploader: 'uploads'
    Scoring__NoveltyNeighbours: string(noveltyNeighbours)
    Scoring__MinimumCohort: '200'
    Scoring__CohortDays: '365'
    Scoring__SameWorkSimilarity: '0.9'
    Scoring__PioneerWindowDays: '730'
    Scoring__PioneerLagDays: '60'
    Scoring__PioneerMinimumLater: '200'
    Scoring__PioneerVersionSimilarity: '0.9'
    Settle__QuietSeconds: '5'
    Settle__MaxDelaySeconds: '30'
    Settle__WriteParallelism: '8'
    Settle__RebuildParallelism: '4'
    Settle__LeaseSeconds: '60'
    Rescore__ShardSize: '2000'
    Rescore__RecomputeAll: 'false'
    Rescore__AbandonedAfterSeconds: '600'
    // Harvest sources are off until an endpoint is set (README, Harvesting); Harvest__OpenAlex__ApiKey is never in the template.
    Harvest__Contact: ''
    Harvest__MaxAttempts: '6'
    Harvest__MaxBackoffSeconds: '300'
    Harvest__MaxRetryAfterSeconds: '900'
    Harvest__Arxiv__Endpoint: ''
    Harvest__Arxiv__Set: ''
    Harvest__Arxiv__MetadataPrefix: 'arXiv'
    Harvest__Arxiv__From: ''
    Harvest__Arxiv__Schedule: '0 30 3 * * *'
    Harvest__Arxiv__IntervalSeconds: '3'
    Harvest__OpenAlex__Endpoint: ''
    Harvest__OpenAlex__Filter: ''
    Harvest__OpenAlex__Mailto: ''
    Harvest__OpenAlex__From: ''
    Harvest__OpenAlex__PerPage: '200'
    Harvest__OpenAlex__Schedule: '0 0 4 * * *'
    Harvest__OpenAlex__IntervalSeconds: '0.1'
    AzureOpenAI__Endpoint: openAiEndpoint
    AzureOpenAI__ChatDeployment: openAiChatDeployment
    AzureOpenAI__EmbeddingDeployment: openAiEmbeddingDeployment
    AiScore__MaxCallsPerRun: '2000'
    AiScore__MaxConcurrentCalls: '4'
    AiScore__CallTimeoutSeconds: '60'
    AiScore__MaxAttempts: '4'
    AiScore__MaxRetrySeconds: '120'
  }
}

// No FTP and no basic-auth publishing: azd deploys with an Entra ID token.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

// The host's own logs (FunctionAppLogs: starts, failures, scale), in the workspace beside Application Insights.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: app
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
