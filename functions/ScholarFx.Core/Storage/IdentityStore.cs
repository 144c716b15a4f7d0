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
    /// <summary>Under <see cref="IdentityStore.NamesKey"/> of an ORCID iD: the name keys joined to it (by a record or a curator's confirmation).</summary>
    public IReadOnlySet<string> Names { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Under <see cref="IdentityStore.NamesKey"/> of an ORCID iD: the name keys records claimed it for that were not joined, with (some of) those papers.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Claims { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    public static NameIdentity Empty(string key) => new(key, null, null, new Dictionary<string, IReadOnlySet<string>>());
}

/// <summary>Author identities as stored (see <see cref="IdentityStore"/>).</summary>
public interface IIdentityStore
{
    /// <summary>Everything known under a name key or profile id.</summary>
    Task<NameIdentity> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Records an ORCID iD seen with a name and its co-authors; true when that told something new.</summary>
    Task<bool> LinkOrcidAsync(string nameKey, string orcid, IReadOnlyCollection<string> coAuthorKeys, CancellationToken cancellationToken);

    /// <summary>A curator's merge of one id into another profile (null: none, as a revert leaves it).</summary>
    Task SetRedirectAsync(string from, string? to, CancellationToken cancellationToken);

    /// <summary>A curator's "this name variant belongs to that ORCID iD" (null: none, as a revert leaves it).</summary>
    Task SetCuratedOrcidAsync(string nameKey, string? orcid, CancellationToken cancellationToken);

    /// <summary>Records that the name <paramref name="nameKey"/> is joined to <paramref name="orcid"/>; true when it was not before.</summary>
    Task<bool> AddOrcidNameAsync(string orcid, string nameKey, CancellationToken cancellationToken);

    /// <summary>Takes back <see cref="AddOrcidNameAsync"/> (a curator's confirmation reverted); true when the name was joined.</summary>
    Task<bool> RemoveOrcidNameAsync(string orcid, string nameKey, CancellationToken cancellationToken);

    /// <summary>
    /// Records that a paper claimed <paramref name="orcid"/> for a name it was not joined to; true when that name had not
    /// claimed it before (the first such paper).
    /// </summary>
    Task<bool> AddClaimAsync(string orcid, string nameKey, string paperId, CancellationToken cancellationToken);

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
/// what a paper without an ORCID is matched by (docs/identity.md). Under <c>orcid:{iD}</c> (<see cref="NamesKey"/>: a row
/// of its own, so resolving a paper without an ORCID never reads it), <c>Names</c> (JSON) holds the name keys joined to it, which a later claim must share a family name with, and <c>Claims…</c> (JSON, split) the names
/// that claimed it without (up to <see cref="MaxClaims"/> names, <see cref="MaxClaimPapers"/> papers each).
/// </summary>
public sealed class IdentityStore(ScholarFxStorage storage, IdentityKeys keys) : IIdentityStore
{
    /// <summary>Most redirects followed from one id (a curator's chain of merges); a longer chain or a loop stops there.</summary>
    public const int MaxRedirects = 5;

    /// <summary>Co-author name keys kept per name and ORCID.</summary>
    public const int MaxCoAuthors = 200;

    /// <summary>Name keys kept per ORCID iD; past it a new variant still joins by its family name, unrecorded.</summary>
    public const int MaxNames = 200;

    /// <summary>Names whose unconfirmed claims are kept per ORCID iD.</summary>
    public const int MaxClaims = 100;

    /// <summary>Papers kept per unconfirmed claim (a curator's confirmation resolves these again).</summary>
    public const int MaxClaimPapers = 20;

    private const int MaxChunks = 20;

    /// <summary>The key of the row holding the names joined to an ORCID iD and the claims left unconfirmed.</summary>
    public static string NamesKey(string orcid) => "orcid:" + orcid;

    /// <inheritdoc/>
    /// <remarks>One point read.</remarks>
    public async Task<NameIdentity> GetAsync(string key, CancellationToken cancellationToken)
    {
        var row = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
        return row is null
            ? NameIdentity.Empty(key)
            : new NameIdentity(key, row.GetString("To"), row.GetString("Orcid"), OrcidsOf(row).ToDictionary(o => o.Key, o => (IReadOnlySet<string>)o.Value, StringComparer.Ordinal))
            {
                Names = NamesOf(row),
                Claims = ClaimsOf(row).ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value, StringComparer.Ordinal),
            };
    }

    /// <inheritdoc/>
    public Task<bool> LinkOrcidAsync(string nameKey, string orcid, IReadOnlyCollection<string> coAuthorKeys, CancellationToken cancellationToken) =>
        ChangeAsync(nameKey, row =>
        {
            var orcids = OrcidsOf(row);
            var isNew = !orcids.TryGetValue(orcid, out var known);
            known ??= new HashSet<string>(StringComparer.Ordinal);
            var added = coAuthorKeys.Where(k => !known.Contains(k)).Take(Math.Max(0, MaxCoAuthors - known.Count)).ToList();
            if (!isNew && added.Count == 0)
            {
                return false;
            }

            known.UnionWith(added);
            orcids[orcid] = known;
            var json = JsonSerializer.Serialize(orcids.OrderBy(o => o.Key, StringComparer.Ordinal).ToDictionary(o => o.Key, o => o.Value.Order(StringComparer.Ordinal).ToList()), ScholarFxJson.Options);
            if (!TableChunks.Fits(json, MaxChunks))
            {
                // A name shared by very many ORCIDs: the ones known keep matching, a new one is resolved by its own iD.
                return false;
            }

            TableChunks.Write(row, "Orcids", json, MaxChunks);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task SetRedirectAsync(string from, string? to, CancellationToken cancellationToken) =>
        SetAsync(from, "To", to, cancellationToken);

    /// <inheritdoc/>
    public Task SetCuratedOrcidAsync(string nameKey, string? orcid, CancellationToken cancellationToken) =>
        SetAsync(nameKey, "Orcid", orcid, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> AddOrcidNameAsync(string orcid, string nameKey, CancellationToken cancellationToken) =>
        ChangeAsync(NamesKey(orcid), row =>
        {
            var names = NamesOf(row);
            if (names.Contains(nameKey) || names.Count >= MaxNames)
            {
                return false;
            }

            row["Names"] = JsonSerializer.Serialize(names.Append(nameKey).Order(StringComparer.Ordinal), ScholarFxJson.Options);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RemoveOrcidNameAsync(string orcid, string nameKey, CancellationToken cancellationToken) =>
        ChangeAsync(NamesKey(orcid), row =>
        {
            var names = NamesOf(row);
            if (!names.Remove(nameKey))
            {
                return false;
            }

            row["Names"] = JsonSerializer.Serialize(names.Order(StringComparer.Ordinal), ScholarFxJson.Options);
            return true;
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> AddClaimAsync(string orcid, string nameKey, string paperId, CancellationToken cancellationToken)
    {
        var isNew = false;
        await ChangeAsync(NamesKey(orcid), row =>
        {
            var claims = ClaimsOf(row);
            isNew = !claims.TryGetValue(nameKey, out var papers);
            if ((isNew && claims.Count >= MaxClaims) || (papers is not null && (papers.Contains(paperId) || papers.Count >= MaxClaimPapers)))
            {
                isNew = false;
                return false;
            }

            claims[nameKey] = [.. papers ?? [], paperId];
            var json = JsonSerializer.Serialize(claims.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value), ScholarFxJson.Options);
            if (!TableChunks.Fits(json, MaxChunks))
            {
                isNew = false;
                return false;
            }

            TableChunks.Write(row, "Claims", json, MaxChunks);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return isNew;
    }

    /// <summary>Sets one property of a key's row (merging into the row), or removes it when <paramref name="value"/> is null.</summary>
    private async Task SetAsync(string key, string property, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await ChangeAsync(key, row => row.Remove(property), cancellationToken).ConfigureAwait(false);
            return;
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await keys.AddAsync([key], cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(TableKey.Escape(key), TableKey.Escape(key)) { [property] = value };
        await storage.Identities.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a key's row (a new one when there is none), applies <paramref name="change"/> and writes it on the ETag read;
    /// again on a conflict. False when the change said there was nothing to write.
    /// </summary>
    private async Task<bool> ChangeAsync(string key, Func<TableEntity, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var row = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
            var entity = row ?? new TableEntity(TableKey.Escape(key), TableKey.Escape(key));
            if (!change(entity))
            {
                return false;
            }

            try
            {
                if (row is null)
                {
                    // The key is listed before its first row exists (IdentityKeys).
                    await keys.AddAsync([key], cancellationToken).ConfigureAwait(false);
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
                // Another writer of the same key at the same moment (another paper of the same name): apply the change
                // to what it wrote.
            }
        }

        throw new InvalidOperationException($"The identity row of {key} kept changing.");
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

    private static HashSet<string> NamesOf(TableEntity row) =>
        row.GetString("Names") is { Length: > 0 } json
            ? new HashSet<string>(JsonSerializer.Deserialize<List<string>>(json, ScholarFxJson.Options) ?? [], StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    private static Dictionary<string, List<string>> ClaimsOf(TableEntity row)
    {
        var json = TableChunks.Read(row, "Claims", MaxChunks);
        return json.Length == 0
            ? new Dictionary<string, List<string>>(StringComparer.Ordinal)
            : new Dictionary<string, List<string>>(JsonSerializer.Deserialize<Dictionary<string, List<string>>>(json, ScholarFxJson.Options) ?? [], StringComparer.Ordinal);
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
