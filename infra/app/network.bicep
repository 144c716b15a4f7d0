// Storage off the public internet: a virtual network the function app joins (VNet integration) and private
// endpoints for the blob, queue and table services of the storage account, resolved through private DNS zones.
// The account then answers only the app (through the endpoints), trusted Azure services acting with their own
// identity (Event Grid writing its dead letters) and the deployer's address given at deployment, if any.
@description('Virtual network name.')
param name string

@description('Region.')
param location string

@description('Tags for the network resources.')
param tags object

@description('Storage account the private endpoints reach.')
param storageAccountName string

@description('Address space of the virtual network.')
param addressPrefix string = '10.40.0.0/16'

@description('Subnet the function app joins; Flex Consumption asks for a delegation to Microsoft.App/environments.')
param appSubnetPrefix string = '10.40.1.0/24'

@description('Subnet of the private endpoints.')
param endpointSubnetPrefix string = '10.40.2.0/24'

// One private endpoint and one DNS zone per storage service the app uses.
var services = ['blob', 'queue', 'table']

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [{ name: 'flex-consumption', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'endpoints'
        properties: {
          addressPrefix: endpointSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for service in services: {
    name: 'privatelink.${service}.${environment().suffixes.storage}'
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (service, i) in services: {
    parent: zones[i]
    name: 'link-${name}'
    location: 'global'
    properties: {
      registrationEnabled: false
      virtualNetwork: { id: vnet.id }
    }
  }
]

resource endpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for service in services: {
    name: 'pe-${storageAccountName}-${service}'
    location: location
    tags: tags
    properties: {
      subnet: { id: '${vnet.id}/subnets/endpoints' }
      privateLinkServiceConnections: [
        {
          name: '${service}-connection'
          properties: {
            privateLinkServiceId: storage.id
            groupIds: [service]
          }
        }
      ]
    }
  }
]

resource endpointZones 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (service, i) in services: {
    parent: endpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [{ name: service, properties: { privateDnsZoneId: zones[i].id } }]
    }
  }
]

output appSubnetId string = '${vnet.id}/subnets/app'
