// Every role assignment of the deployment, each next to the name of its role. The app's identity gets data-plane
// roles only (there are no keys to use); the person or pipeline running azd optionally gets what it needs to
// upload abstracts and to try Azure OpenAI from a laptop.
@description('Name of the app\'s user-assigned identity (names its assignments, so what-if can predict them).')
param appIdentityName string

@description('Principal id of the app\'s user-assigned identity.')
param appPrincipalId string

@description('Object id of the deploying user or pipeline; empty for none.')
param deployerPrincipalId string

@description('Kind of the deploying principal.')
@allowed(['User', 'ServicePrincipal'])
param deployerPrincipalType string

@description('Storage account name.')
param storageAccountName string

@description('The container abstracts are dropped into: the only one the deployer may write.')
param abstractsContainerName string

@description('The container Event Grid writes events it could not deliver to.')
param deadLetterContainerName string

@description('Uploaders who may write only their own folder of the abstracts container: [{ folder, principalId, principalType }].')
param uploaders array = []

@description('Principal id of the Event Grid system topic\'s identity.')
param eventGridPrincipalId string

@description('Application Insights name.')
param applicationInsightsName string

@description('Azure OpenAI account name; empty when Azure OpenAI is off.')
param openAiAccountName string

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher
  cognitiveServicesOpenAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd' // Cognitive Services OpenAI User
}

var app = { key: appIdentityName, principalId: appPrincipalId, principalType: 'ServicePrincipal' }
var deployer = empty(deployerPrincipalId)
  ? []
  : [{ key: deployerPrincipalId, principalId: deployerPrincipalId, principalType: deployerPrincipalType }]

var storageAssignments = concat(
  [
    // Storage Blob Data Owner: the host's AzureWebJobsStorage (keys, leases, blob trigger receipts), the abstracts
    // and data containers, and the package container Flex Consumption runs the app from.
    union(app, { roleId: roles.storageBlobDataOwner })
    // Storage Queue Data Contributor: the settle queue and the host's poison queues.
    union(app, { roleId: roles.storageQueueDataContributor })
    // Storage Table Data Contributor: Papers, Aliases, Authors, NameIndex, Receipts, Stats, AiAssessments.
    union(app, { roleId: roles.storageTableDataContributor })
  ],
  []
)

// Cognitive Services OpenAI User: chat and embeddings with an Entra ID token (the account's keys are disabled),
// for the app and for the deployer running the app locally against the same account.
var openAiAssignments = empty(openAiAccountName)
  ? []
  : map(concat([app], deployer), p => union(p, { roleId: roles.cognitiveServicesOpenAiUser }))

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource abstracts 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = {
  name: '${storageAccountName}/default/${abstractsContainerName}'
}

resource deadLetter 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = {
  name: '${storageAccountName}/default/${deadLetterContainerName}'
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource openAi 'Microsoft.CognitiveServices/accounts@2025-06-01' existing = if (!empty(openAiAccountName)) {
  name: openAiAccountName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for a in storageAssignments: {
    name: guid(storage.id, a.key, a.roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleId)
      principalId: a.principalId
      principalType: a.principalType
    }
  }
]

// Monitoring Metrics Publisher: the app sends telemetry with Entra ID (Application Insights local auth is off).
resource appMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appIdentityName, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource openAiRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for a in openAiAssignments: {
    name: guid(openAi.id, a.key, a.roleId)
    scope: openAi
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleId)
      principalId: a.principalId
      principalType: a.principalType
    }
  }
]

// Storage Blob Data Contributor: the deployer uploads abstracts (`az storage blob upload --auth-mode login`), on the
// abstracts container only: write access to the account would reach the package container Flex Consumption runs the
// app from, which is running code as the app. (Deployments go through the platform's publish endpoint, not this role.)
resource deployerAbstracts 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for d in deployer: {
    name: guid(abstracts.id, d.key, roles.storageBlobDataContributor)
    scope: abstracts
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
      principalId: d.principalId
      principalType: d.principalType
    }
  }
]

// Storage Blob Data Contributor: Event Grid writes the events it could not deliver to the Ingest function into the
// dead-letter container, and nowhere else.
resource eventGridDeadLetter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(deadLetter.id, 'eventgrid', roles.storageBlobDataContributor)
  scope: deadLetter
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: eventGridPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Blob Data Contributor on the abstracts container for each uploader, with a condition: it writes, adds to and
// deletes only blobs whose name starts with its folder, so the folder (the source of its records, RecordOrigin) is who
// sent them. Reads and lists stay open: abstracts are what the service publishes anyway.
resource uploaderFolders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for u in uploaders: {
    name: guid(abstracts.id, u.principalId, u.folder, roles.storageBlobDataContributor)
    scope: abstracts
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
      principalId: u.principalId
      principalType: u.principalType
      description: 'Writes abstracts/${u.folder}/ only'
      conditionVersion: '2.0'
      condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write\'}) AND !(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action\'}) AND !(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith \'${u.folder}/\'))'
    }
  }
]
