// The storage account: AzureWebJobsStorage of the host, the ScholarFx tables and containers, and the container
// Flex Consumption deploys the app package from. Only Entra ID reaches it: shared keys (and so SAS) are off.
@description('Storage account name (3-24 lower-case letters and digits).')
param name string

@description('Region.')
param location string

@description('Tags for the account.')
param tags object

@description('Blob containers: abstracts, the app data container and the deployment package container.')
param containers string[]

@description('Tables the app uses (ScholarFx.Core StorageNames.Tables).')
param tables string[]

@description('Queues the host uses.')
param queues string[]

@description('Redundancy: zone-redundant, so one datacentre failing loses nothing and stops nothing.')
param skuName string = 'Standard_ZRS'

@description('Days a deleted or overwritten blob (every input file is kept) can be restored.')
param softDeleteDays int = 14

@description('Resource id of the Log Analytics workspace the diagnostic logs go to.')
param logAnalyticsWorkspaceId string

@description('Deny: only private endpoints (infra/app/network.bicep), trusted Azure services with their own identity and allowedIps reach the account. Allow: every network (Entra ID still required).')
@allowed(['Allow', 'Deny'])
param publicNetworkDefault string = 'Deny'

@description('Public IPs or CIDR ranges let through when publicNetworkDefault is Deny (the deployer uploading the app package).')
param allowedIps string[] = []

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: publicNetworkDefault
      // Event Grid is a trusted service: it writes dead letters with its own identity through this exception.
      bypass: 'AzureServices'
      ipRules: [for ip in allowedIps: { value: ip, action: 'Allow' }]
    }
  }
}

// Inputs are never deleted by the app; soft delete and versioning keep them from people and scripts too: an
// overwritten or deleted abstract file comes back, and the tables, all derived from those files, can be rebuilt
// from them (infra/README.md, "Backup and restore").
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: softDeleteDays }
    containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for container in containers: {
    parent: blobService
    name: container
    properties: { publicAccess: 'None' }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource storageTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [
  for queue in queues: {
    parent: queueService
    name: queue
  }
]

// Reads, writes and deletes of each service, and their transaction metrics, in the workspace.
resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
