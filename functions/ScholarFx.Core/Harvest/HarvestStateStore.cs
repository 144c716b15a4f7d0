using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Harvest;

/// <summary>
/// Each source's <see cref="HarvestState"/> as one row of the <c>Stats</c> table (partition <c>harvest</c>, row = the
/// source), its JSON in one property. Every write is conditional: the first adds the row, later ones replace it on the
/// ETag read, so a second writer (which the harvest lease should already exclude) fails instead of overwriting.
/// </summary>
internal sealed class HarvestStateStore(ScholarFxStorage storage)
{
    private const string Partition = "harvest";

    /// <summary>The source's state and its ETag, or null and a default ETag when it never ran.</summary>
    public async Task<(HarvestState? State, ETag ETag)> GetAsync(string source, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Stats.GetEntityIfExistsAsync<TableEntity>(Partition, source, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && JsonSerializer.Deserialize<HarvestState>(row.Value!.GetString("State"), ScholarFxJson.Options) is { } state
            ? (state, row.Value.ETag)
            : (null, default);
    }

    /// <summary>Writes the state on condition of <paramref name="etag"/> (default: the row must not exist); returns the new ETag.</summary>
    public async Task<ETag> SaveAsync(HarvestState state, ETag etag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, state.Source) { ["State"] = JsonSerializer.Serialize(state, ScholarFxJson.Options) };
        var response = etag == default
            ? await storage.Stats.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
            : await storage.Stats.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return response.Headers.ETag ?? throw new InvalidOperationException("The Stats table answered a write without an ETag.");
    }
}
