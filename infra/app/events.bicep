// The Event Grid system topic of the storage account. Its subscription to the Ingest function's blobs_extension
// webhook is made by the azd postdeploy hook (infra/hooks/), because that key exists only once the app runs.
@description('System topic name.')
param name string

@description('Region (the storage account\'s).')
param location string

@description('Tags for the topic.')
param tags object

@description('Name of the storage account whose blob events the topic publishes.')
param storageAccountName string

@description('Resource id of the Log Analytics workspace the delivery failures go to.')
param logAnalyticsWorkspaceId string

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  // Its own identity writes events it could not deliver to the dead-letter container (roles.bicep).
  identity: { type: 'SystemAssigned' }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// Delivery failures and dead-lettered events, in the workspace.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: topic
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = topic.name
output principalId string = topic.identity.principalId
