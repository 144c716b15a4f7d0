using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>What is known under one key (a name's slug or a profile id): see <see cref="IdentityStore"/>.</summary>
/// <param name="Key">The name key or profile id.</param>
/// <param name="Redirect">The profile this id was merged into by a curator, or null.</param>
/// <param name="CuratedOrcid">The ORCID iD a curator said this name variant belongs to, or null.</param>
/// <param name="Orcids">Each ORCID iD papers gave with this name, and the name keys of the co-authors on those papers.</param>
public sealed record NameIdentity(string Key, string? Redirect, string? CuratedOrcid, IReadOnlyDictionary<string, IReadOnlySet<string>> Orcids)
{
    public static NameIdentity Empty(string key) => new(key, null, null, new Dictionary<string, IReadOnlySet<string>>());
}

/// <summary>Author identities as stored (see <see cref="IdentityStore"/>).</summary>
public interface IIdentityStore
{
    /// <summary>Everything known under a name key or profile id.</summary>
    Task<NameIdentity> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Records an ORCID iD seen with a name and its co-authors; true when that told something new.</summary>
    Task<bool> LinkOrcidAsync(string nameKey, string orcid, IReadOnlyCollection<string> coAuthorKeys, CancellationToken cancellationToken);

    /// <summary>A curator's merge of one id into another profile.</summary>
    Task SetRedirectAsync(string from, string to, CancellationToken cancellationToken);

    /// <summary>A curator's "this name variant belongs to that ORCID iD".</summary>
    Task SetCuratedOrcidAsync(string nameKey, string orcid, CancellationToken cancellationToken);

    /// <summary>
    /// Every key that may have something stored under it, as of now (a key not in it has nothing: no need to read it);
    /// null when that is not known, and every key must be read.
    /// </summary>
    Task<IReadOnlySet<string>?> KnownKeysAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The Identities table: one row per name key or profile id (partition and row key both the key, so a lookup is a point
/// read the emulator finds by its row key too). <c>To</c> holds the profile a curator merged this id into; <c>Orcid</c>
/// the ORCID iD a curator gave this name variant; <c>Orcids…</c> (JSON, split across properties) each ORCID iD a paper
/// gave an author of this name, with the co-authors of those papers (up to <see cref="MaxCoAuthors"/> each), which is
/// what a paper without an ORCID is matched by (docs/identity.md).
/// </summary>
public sealed class IdentityStore(ScholarFxStorage storage, IdentityKeys keys) : IIdentityStore
{
    /// <summary>Most redirects followed from one id (a curator's chain of merges); a longer chain or a loop stops there.</summary>
    public const int MaxRedirects = 5;

    /// <summary>Co-author name keys kept per name and ORCID.</summary>
    public const int MaxCoAuthors = 200;

    private const int MaxChunks = 20;

    /// <inheritdoc/>
    /// <remarks>One point read.</remarks>
    public async Task<NameIdentity> GetAsync(string key, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
        return row is null
            ? NameIdentity.Empty(key)
            : new NameIdentity(key, row.GetString("To"), row.GetString("Orcid"), OrcidsOf(row).ToDictionary(o => o.Key, o => (IReadOnlySet<string>)o.Value, StringComparer.Ordinal));
    }

    /// <inheritdoc/>
    public async Task<bool> LinkOrcidAsync(string nameKey, string orcid, IReadOnlyCollection<string> coAuthorKeys, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var row = await ReadAsync(nameKey, cancellationToken).ConfigureAwait(false);
            var orcids = row is null ? [] : OrcidsOf(row);
            var isNew = !orcids.TryGetValue(orcid, out var known);
            known ??= new HashSet<string>(StringComparer.Ordinal);
            var added = coAuthorKeys.Where(k => !known.Contains(k)).Take(Math.Max(0, MaxCoAuthors - known.Count)).ToList();
            if (!isNew && added.Count == 0)
            {
                return false;
            }

            known.UnionWith(added);
            orcids[orcid] = known;
            var entity = row ?? new TableEntity(TableKey.Escape(nameKey), TableKey.Escape(nameKey));
            var json = JsonSerializer.Serialize(orcids.OrderBy(o => o.Key, StringComparer.Ordinal).ToDictionary(o => o.Key, o => o.Value.Order(StringComparer.Ordinal).ToList()), ScholarFxJson.Options);
            if (!TableChunks.Fits(json, MaxChunks))
            {
                // A name shared by very many ORCIDs: the ones known keep matching, a new one is resolved by its own iD.
                return false;
            }

            TableChunks.Write(entity, "Orcids", json, MaxChunks);

            try
            {
                if (row is null)
                {
                    // The key is listed before its first row exists (IdentityKeys).
                    await keys.AddAsync([nameKey], cancellationToken).ConfigureAwait(false);
                    await storage.Identities.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await storage.Identities.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                // Another paper of the same name at the same moment: merge into what it wrote.
            }
        }

        throw new InvalidOperationException($"The identity row of {nameKey} kept changing.");
    }

    /// <inheritdoc/>
    public Task SetRedirectAsync(string from, string to, CancellationToken cancellationToken) =>
        MergeAsync(from, "To", to, cancellationToken);

    /// <inheritdoc/>
    public Task SetCuratedOrcidAsync(string nameKey, string orcid, CancellationToken cancellationToken) =>
        MergeAsync(nameKey, "Orcid", orcid, cancellationToken);

    private async Task MergeAsync(string key, string property, string value, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await keys.AddAsync([key], cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(TableKey.Escape(key), TableKey.Escape(key)) { [property] = value };
        await storage.Identities.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>One ranged read of what was appended to the list of keys since this instance last asked.</remarks>
    public Task<IReadOnlySet<string>?> KnownKeysAsync(CancellationToken cancellationToken) => keys.CurrentAsync(cancellationToken);

    private async Task<TableEntity?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.Identities.GetEntityIfExistsAsync<TableEntity>(TableKey.Escape(key), TableKey.Escape(key), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value : null;
    }

    private static Dictionary<string, HashSet<string>> OrcidsOf(TableEntity row)
    {
        var json = TableChunks.Read(row, "Orcids", MaxChunks);
        return json.Length == 0
            ? new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
            : (JsonSerializer.Deserialize<Dictionary<string, List<string>>>(json, ScholarFxJson.Options) ?? [])
                .ToDictionary(o => o.Key, o => new HashSet<string>(o.Value, StringComparer.Ordinal), StringComparer.Ordinal);
    }
}
