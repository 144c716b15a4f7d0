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
}

/// <summary>
/// The Identities table: one partition per name key or profile id. Row <c>redirect</c> holds the profile a curator
/// merged this id into; row <c>orcid</c> the ORCID iD a curator gave this name variant; rows <c>o|{orcid}</c> each
/// ORCID iD a paper gave an author of this name, with the co-authors of those papers (up to
/// <see cref="MaxCoAuthors"/>), which is what a paper without an ORCID is matched by (docs/identity.md).
/// </summary>
public sealed class IdentityStore(ScholarFxStorage storage) : IIdentityStore
{
    /// <summary>Co-author name keys kept per name and ORCID (a row's property holds 32K characters).</summary>
    public const int MaxCoAuthors = 1_000;

    private const string RedirectRow = "redirect";
    private const string CuratedOrcidRow = "orcid";
    private const string OrcidRowPrefix = "o|";

    /// <inheritdoc/>
    /// <remarks>One partition query.</remarks>
    public async Task<NameIdentity> GetAsync(string key, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        string? redirect = null, curated = null;
        var orcids = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKey.Escape(key)}");
        await foreach (var row in storage.Identities.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            switch (row.RowKey)
            {
                case RedirectRow:
                    redirect = row.GetString("To");
                    break;
                case CuratedOrcidRow:
                    curated = row.GetString("Orcid");
                    break;
                default:
                    if (row.RowKey.StartsWith(OrcidRowPrefix, StringComparison.Ordinal))
                    {
                        orcids[row.RowKey[OrcidRowPrefix.Length..]] = CoAuthorsOf(row);
                    }

                    break;
            }
        }

        return new NameIdentity(key, redirect, curated, orcids);
    }

    /// <summary>
    /// Records that a paper gave an author of this name this ORCID iD, with these co-authors; true when that told
    /// something new (the name's first paper with the ORCID, or a co-author not seen with it before).
    /// </summary>
    public async Task<bool> LinkOrcidAsync(string nameKey, string orcid, IReadOnlyCollection<string> coAuthorKeys, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var partition = TableKey.Escape(nameKey);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var existing = await storage.Identities.GetEntityIfExistsAsync<TableEntity>(partition, OrcidRowPrefix + orcid, cancellationToken: cancellationToken).ConfigureAwait(false);
            var known = existing.HasValue ? CoAuthorsOf(existing.Value!) : new HashSet<string>(StringComparer.Ordinal);
            var added = coAuthorKeys.Where(k => !known.Contains(k)).Take(Math.Max(0, MaxCoAuthors - known.Count)).ToList();
            if (existing.HasValue && added.Count == 0)
            {
                return false;
            }

            var entity = new TableEntity(partition, OrcidRowPrefix + orcid)
            {
                ["CoAuthors"] = JsonSerializer.Serialize(known.Concat(added).Order(StringComparer.Ordinal), ScholarFxJson.Options),
            };
            try
            {
                if (existing.HasValue)
                {
                    await storage.Identities.UpdateEntityAsync(entity, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await storage.Identities.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                // Another paper of the same name and ORCID at the same moment: merge into what it wrote.
            }
        }

        throw new InvalidOperationException($"The identity row of {nameKey} and {orcid} kept changing.");
    }

    /// <summary>A curator's merge: <paramref name="from"/> now resolves to <paramref name="to"/>.</summary>
    public Task SetRedirectAsync(string from, string to, CancellationToken cancellationToken) =>
        UpsertAsync(new TableEntity(TableKey.Escape(from), RedirectRow) { ["To"] = to }, cancellationToken);

    /// <summary>A curator's "this name variant belongs to that ORCID iD".</summary>
    public Task SetCuratedOrcidAsync(string nameKey, string orcid, CancellationToken cancellationToken) =>
        UpsertAsync(new TableEntity(TableKey.Escape(nameKey), CuratedOrcidRow) { ["Orcid"] = orcid }, cancellationToken);

    private async Task UpsertAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await storage.Identities.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private static HashSet<string> CoAuthorsOf(TableEntity row) =>
        new(JsonSerializer.Deserialize<List<string>>(row.GetString("CoAuthors") ?? "[]", ScholarFxJson.Options) ?? [], StringComparer.Ordinal);
}
