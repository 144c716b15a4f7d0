using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>
/// One entity of a paged list (a ranking list, or a partition of the name index): the entries whose keys fall below <see cref="Upper"/> and at or above the previous
/// page's, best first. A page's row key is its upper bound, so the page that holds (or would hold) a key is the first
/// whose row key is greater: one range query finds it, and a list read from a cursor starts there. The last page of a
/// list has the upper bound <see cref="LastUpper"/>. Pages are copied, never changed in place (a kept page stands for
/// the stored version of its ETag).
/// </summary>
internal sealed class RankPage
{
    /// <summary>The upper bound of a list's last page: above every entry key (they start with digits).</summary>
    public const string LastUpper = "~";

    /// <summary>Entries a page is split above.</summary>
    public const int Capacity = 200;

    /// <summary>Characters of a page's entries a page is split above (well under an entity's 1 MiB; one or two properties).</summary>
    public const int MaxChars = 48_000;

    private const int MaxChunks = 8;

    // Names as they are (no \u escapes), so a page's size is about what Chars counts.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Figures up to 10^15 (citation sums) fit; the inverted value sorts best first.
    private const long Ceiling = 999_999_999_999_999;

    private RankPage(string upper, ETag etag, SortedList<string, RankEntry> entries)
    {
        Upper = upper;
        ETag = etag;
        Entries = entries;
        Size = 256 + entries.Sum(e => 96 + (2L * (e.Key.Length + e.Value.AuthorId.Length + e.Value.Name.Length + (e.Value.PrimaryCategory?.Length ?? 0))));
    }

    /// <summary>The page's row key: every entry's key is below it.</summary>
    public string Upper { get; }

    /// <summary>The stored version this page was read or written as; default for a page not stored yet.</summary>
    public ETag ETag { get; }

    /// <summary>Whether the page is stored (false: a page a split or a first entry makes).</summary>
    public bool Stored => ETag != default;

    /// <summary>The entries by key, best first.</summary>
    public SortedList<string, RankEntry> Entries { get; }

    /// <summary>About the bytes the page takes in memory (for the bounded cache of lists), counted once: a page's entries are not changed after it is made.</summary>
    public long Size { get; }

    /// <summary>An empty page not stored yet.</summary>
    public static RankPage Create(string upper) => new(upper, default, new SortedList<string, RankEntry>(StringComparer.Ordinal));

    /// <summary>A page with other entries, not stored under <paramref name="etag"/> yet unless it is unchanged.</summary>
    public RankPage With(SortedList<string, RankEntry> entries, ETag etag) => new(Upper, etag, entries);

    /// <summary>A page holding <paramref name="entries"/> under a new upper bound (the lower part of a split).</summary>
    public static RankPage Split(string upper, SortedList<string, RankEntry> entries) => new(upper, default, entries);

    /// <summary>
    /// The key of an entry within its list: inverted value, then when the author was first listed (when known: ties in
    /// listing order, <see cref="RankEntry.Since"/>), then the escaped author id.
    /// </summary>
    public static string EntryKey(RankEntry entry) =>
        (Ceiling - Math.Clamp(entry.Value, 0, Ceiling)).ToString("D15", CultureInfo.InvariantCulture) + "|"
        + (entry.Since > 0 ? entry.Since.ToString("D14", CultureInfo.InvariantCulture) + "|" : "") + TableKey.Escape(entry.AuthorId);

    /// <summary>Whether the page's entries call for a split.</summary>
    public bool TooLarge => Entries.Count > Capacity || Entries.Sum(e => Chars(e.Key, e.Value)) > MaxChars;

    /// <summary>A stored page.</summary>
    public static RankPage FromEntity(TableEntity entity)
    {
        var entries = new SortedList<string, RankEntry>(StringComparer.Ordinal);
        var count = entity.GetInt32("Chunks") ?? 0;
        if (count > 0)
        {
            foreach (var packed in JsonSerializer.Deserialize<List<Packed>>(TableChunks.Read(entity, "E", count), Json) ?? [])
            {
                var entry = new RankEntry(packed.AuthorId, packed.Name, packed.Value, packed.PaperCount, packed.Category, packed.Since);
                entries[packed.Key ?? EntryKey(entry)] = entry;
            }
        }

        return new RankPage(entity.RowKey, entity.ETag, entries);
    }

    /// <summary>The entity of this page in <paramref name="partition"/>.</summary>
    public TableEntity ToEntity(string partition)
    {
        var entity = new TableEntity(partition, Upper);
        // An entry keyed otherwise than by its figure (a name-index entry) keeps its key.
        var text = JsonSerializer.Serialize(
            Entries.Select(e => new Packed(e.Value.AuthorId, e.Value.Name, e.Value.Value, e.Value.PaperCount, e.Value.PrimaryCategory, e.Key == EntryKey(e.Value) ? null : e.Key, e.Value.Since)),
            Json);
        entity["Chunks"] = TableChunks.WriteCompressed(entity, "E", text, MaxChunks);
        return entity;
    }

    /// <summary>About the characters an entry takes in a stored page (what a split measures against <see cref="MaxChars"/>).</summary>
    public static int Chars(string key, RankEntry entry) => 32 + key.Length + entry.AuthorId.Length + entry.Name.Length + (entry.PrimaryCategory?.Length ?? 0);

    /// <summary>An entry as a page stores it: short names, since a page holds hundreds.</summary>
    private sealed record Packed(
        [property: JsonPropertyName("a")] string AuthorId,
        [property: JsonPropertyName("n")] string Name,
        [property: JsonPropertyName("v")] long Value,
        [property: JsonPropertyName("p")] int PaperCount,
        [property: JsonPropertyName("c")] string? Category,
        [property: JsonPropertyName("k"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key = null,
        [property: JsonPropertyName("s"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long Since = 0);
}
