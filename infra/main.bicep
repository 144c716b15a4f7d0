// ScholarFx on Azure: `azd up` provisions this and deploys functions/ScholarFx.Functions (see README.md here).
// Local modules only (infra/app/): registry modules need the network, which CI does not have.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group and seeds the other names.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer Flex Consumption.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the user or pipeline running azd: may upload abstracts (and call Azure OpenAI). Empty for none.')
param principalId string = ''

@description('Kind of principalId.')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Memory of each function instance, MB (the embedded MiniLM model needs about 1 GB of it).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Public address of the service (a custom domain, https://…) for feeds and badge snippets; empty: the function app\'s default host name.')
param publicBaseUrl string = ''

@description('Uploaders who may write only their own folder of the abstracts container (Storage Blob Data Contributor with a condition on the blob path): [{ folder: \'lab-a\', principalId: \'<object id>\', principalType: \'User\' | \'Group\' | \'ServicePrincipal\' }]. The folder is the source of the records its files hold.')
param uploaders array = []

@description('Curators\' folders, comma-separated (Sources__Curators): they rank first when sources of a paper disagree.')
param sourcesCurators string = ''

@description('Trusted sources, comma-separated (Sources__Trusted, e.g. harvest/arxiv,harvest/openalex): after curators; they may retract, their newest citation count is taken.')
param sourcesTrusted string = 'harvest/arxiv,harvest/openalex'

@description('When the nightly Rescore runs: 6-field NCRONTAB, UTC.')
param rescoreSchedule string = '0 0 2 * * *'

@description('Novelty: k earlier neighbours whose spacing a paper\'s nearest distance is compared with (changing it changes every score: rescore).')
@minValue(2)
@maxValue(100)
param noveltyNeighbours int = 10

@description('Keep storage off the public internet: the app reaches it through private endpoints in a virtual network (infra/app/network.bicep). False leaves the account open to all networks (still Entra ID only).')
param isolateStorage bool = true

@description('Comma-separated public IPs or CIDR ranges that may still reach isolated storage directly: the machine running `azd deploy` (it uploads the app package) or a curator uploading abstracts with the Azure CLI. Empty: none (deploy from inside the network, or send files through POST /api/abstracts).')
param storageAllowedIps string = ''

@description('Create an Azure OpenAI account with a chat and an embeddings deployment for the app.')
param enableAzureOpenAi bool = false

@description('With Azure OpenAI on: embed with its embeddings deployment instead of the embedded MiniLM model (a model change: everything is re-embedded and rescored).')
param useAzureOpenAiEmbeddings bool = true

@description('Region of the Azure OpenAI account; empty for location.')
param azureOpenAiLocation string = ''

@description('Chat model for the AI score.')
param chatModel string = 'gpt-4o-mini'

@description('Version of the chat model; part of the deployment name.')
param chatModelVersion string = '2024-07-18'

@description('Chat deployment SKU and capacity (thousands of tokens per minute).')
param chatSku string = 'GlobalStandard'
param chatCapacity int = 10

@description('Embeddings model.')
param embeddingModel string = 'text-embedding-3-small'

@description('Version of the embeddings model; part of the deployment name.')
param embeddingModelVersion string = '1'

@description('Embeddings deployment SKU and capacity (thousands of tokens per minute).')
param embeddingSku string = 'Standard'
param embeddingCapacity int = 30

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var serviceName = 'api'
// Names are fixed here, not read from module outputs, so what-if can predict every resource.
var functionAppName = 'func-${resourceToken}'
var identityName = 'id-${resourceToken}'
var storageAccountName = 'st${resourceToken}'
var applicationInsightsName = 'appi-${resourceToken}'
var openAiAccountName = 'oai-${resourceToken}'
var abstractsContainer = 'abstracts'
// ScholarFx.Core StorageNames: containers and tables the app uses (it also creates them on first use).
var appContainers = [abstractsContainer, 'scholarfx-data', 'scholarfx-corpus']
var appTables = ['Papers', 'Aliases', 'AuthorCards', 'NamePages', 'Receipts', 'Stats', 'AiAssessments', 'Identities', 'IdentityHistory', 'RankingPages']
// Where the blob extension parks a blob that failed poisonBlobThreshold times (host.json); the settle and rescore
// queues (the Settle and RescoreShard functions' triggers) and where the queue extension moves a message that failed
// maxDequeueCount times.
var hostQueues = ['webjobs-blobtrigger-poison', 'settle', 'settle-poison', 'rescore', 'rescore-poison']
var deploymentContainer = 'app-package-${take(functionAppName, 32)}'
// Where Event Grid puts BlobCreated events it could not deliver to the Ingest function (after 30 attempts or 24 h).
var deadLetterContainer = 'eventgrid-deadletter'
var logAnalyticsName = 'log-${resourceToken}'
var vnetName = 'vnet-${resourceToken}'
var allowedIps = filter(map(split(storageAllowedIps, ','), ip => trim(ip)), ip => !empty(ip))
var logAnalyticsId = resourceId(subscription().subscriptionId, rg.name, 'Microsoft.OperationalInsights/workspaces', logAnalyticsName)

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    containers: concat(appContainers, [deploymentContainer, deadLetterContainer])
    tables: appTables
    queues: hostQueues
    logAnalyticsWorkspaceId: logAnalyticsId
    publicNetworkDefault: isolateStorage ? 'Deny' : 'Allow'
    allowedIps: allowedIps
  }
  dependsOn: [monitoring]
}

module network 'app/network.bicep' = if (isolateStorage) {
  name: 'network'
  scope: rg
  params: {
    name: vnetName
    location: location
    tags: tags
    storageAccountName: storageAccountName
  }
  dependsOn: [storage]
}

module events 'app/events.bicep' = {
  name: 'events'
  scope: rg
  params: {
    name: 'evgt-${resourceToken}'
    location: location
    tags: tags
    storageAccountName: storageAccountName
    logAnalyticsWorkspaceId: logAnalyticsId
  }
  dependsOn: [storage, monitoring]
}

module openAi 'app/openai.bicep' = if (enableAzureOpenAi) {
  name: 'openai'
  scope: rg
  params: {
    name: openAiAccountName
    location: empty(azureOpenAiLocation) ? location : azureOpenAiLocation
    tags: tags
    logAnalyticsWorkspaceId: logAnalyticsId
    chat: {
      deploymentName: '${chatModel}-${chatModelVersion}'
      model: chatModel
      version: chatModelVersion
      sku: chatSku
      capacity: chatCapacity
    }
    embedding: {
      deploymentName: '${embeddingModel}-${embeddingModelVersion}'
      model: embeddingModel
      version: embeddingModelVersion
      sku: embeddingSku
      capacity: embeddingCapacity
    }
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainer
    applicationInsightsName: applicationInsightsName
    logAnalyticsWorkspaceId: logAnalyticsId
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    rescoreSchedule: rescoreSchedule
    publicBaseUrl: publicBaseUrl
    sourcesCurators: sourcesCurators
    sourcesTrusted: sourcesTrusted
    noveltyNeighbours: noveltyNeighbours
    openAiEndpoint: enableAzureOpenAi ? openAi!.outputs.endpoint : ''
    openAiChatDeployment: enableAzureOpenAi ? openAi!.outputs.chatDeploymentName : ''
    openAiEmbeddingDeployment: enableAzureOpenAi && useAzureOpenAiEmbeddings ? openAi!.outputs.embeddingDeploymentName : ''
    subnetId: isolateStorage ? network!.outputs.appSubnetId : ''
  }
  dependsOn: [storage, monitoring]
}

module roles 'app/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    appIdentityName: identityName
    appPrincipalId: identity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    storageAccountName: storageAccountName
    abstractsContainerName: abstractsContainer
    deadLetterContainerName: deadLetterContainer
    uploaders: uploaders
    eventGridPrincipalId: events.outputs.principalId
    applicationInsightsName: applicationInsightsName
    openAiAccountName: enableAzureOpenAi ? openAiAccountName : ''
  }
  dependsOn: [storage, monitoring, openAi]
}

// azd keeps these in its environment; the postdeploy hook (infra/hooks/) reads them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output ABSTRACTS_CONTAINER_NAME string = abstractsContainer
output ABSTRACTS_SYSTEM_TOPIC_NAME string = events.outputs.name
output DEADLETTER_CONTAINER_ID string = '${resourceId(subscription().subscriptionId, rg.name, 'Microsoft.Storage/storageAccounts', storageAccountName)}/blobServices/default/containers/${deadLetterContainer}'
output INGEST_FUNCTION_NAME string = 'Ingest'
output AZURE_OPENAI_ENDPOINT string = enableAzureOpenAi ? openAi!.outputs.endpoint : ''
