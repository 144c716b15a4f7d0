// Optional Azure OpenAI account with a chat and an embeddings deployment. Keys are disabled: the app calls it
// with its managed identity (Cognitive Services OpenAI User, see roles.bicep).
@description('Account name; also its custom subdomain (the endpoint).')
param name string

@description('Region (one that offers both models with the chosen SKUs).')
param location string

@description('Tags for the account.')
param tags object

@description('Chat model, its version, deployment name, SKU and capacity (thousands of tokens per minute).')
param chat modelDeployment

@description('Embeddings model, its version, deployment name, SKU and capacity (thousands of tokens per minute).')
param embedding modelDeployment

@description('Resource id of the Log Analytics workspace the diagnostic logs go to.')
param logAnalyticsWorkspaceId string

@description('A model deployment. The name should carry the model version: ScholarFx labels scores with the deployment name, so a new version under a new name is a visible model change (rescore), never a silent mix.')
type modelDeployment = {
  deploymentName: string
  model: string
  version: string
  sku: string
  capacity: int
}

resource account 'Microsoft.CognitiveServices/accounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource chatDeployment 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01' = {
  parent: account
  name: chat.deploymentName
  sku: { name: chat.sku, capacity: chat.capacity }
  properties: {
    model: { format: 'OpenAI', name: chat.model, version: chat.version }
    // A new model version is a new deployment (and a rescore), never an in-place upgrade.
    versionUpgradeOption: 'NoAutoUpgrade'
  }
}

resource embeddingDeployment 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01' = {
  parent: account
  name: embedding.deploymentName
  sku: { name: embedding.sku, capacity: embedding.capacity }
  properties: {
    model: { format: 'OpenAI', name: embedding.model, version: embedding.version }
    versionUpgradeOption: 'NoAutoUpgrade'
  }
  // The service accepts one deployment change per account at a time.
  dependsOn: [chatDeployment]
}

// Requests and audit events (who called which deployment), in the workspace.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output name string = account.name
output endpoint string = account.properties.endpoint
output chatDeploymentName string = chatDeployment.name
output embeddingDeploymentName string = embeddingDeployment.name
