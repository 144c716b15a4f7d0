using Azure.Core;

namespace ScholarFx.Core.Storage;

/// <summary>
/// A change applied to the options of every storage client (tables, blobs, queues) when it is built. The service
/// registers none; the fault tests add a pipeline policy through it that fails chosen requests, so the real clients,
/// their retries and Azurite are what is tested.
/// </summary>
/// <param name="Apply">Changes the client's options (add a policy, shorten the retry delays).</param>
public sealed record StorageClientSetup(Action<ClientOptions> Apply);
