using System.Runtime.CompilerServices;
using System.Text.Json;
using ScholarFx.Core.Identity;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// A curators' file of identity corrections, dropped into <c>abstracts</c> like any other file and recognised by its
/// top-level <c>scholarfxIdentity</c> array:
/// <code>
/// { "scholarfxIdentity": [
///     { "merge": ["amrit-s-bedi"], "into": "amrit-singh-bedi" },
///     { "move": ["arxiv:2401.00001"], "from": "wei-zhang", "to": "wei-zhang-2" },
///     { "variant": "A. S. Bedi", "orcid": "0000-0002-1825-0097" },
///     { "confirm": "0000-0002-1825-0097", "name": "A. Singh" } ] }
/// </code>
/// It holds no papers: <see cref="FileReader"/> reads its corrections and hands them to <see cref="IdentityCorrector"/>;
/// each bad correction is an error of the file's receipt, the good ones are applied.
/// </summary>
public sealed class IdentityCorrectionsFormat : IRecordFormat
{
    /// <summary>The property that marks the file.</summary>
    public const string Marker = "scholarfxIdentity";

    /// <summary>Largest corrections file read (bytes).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>Most corrections in one file.</summary>
    public const int MaxCorrections = 10_000;

    /// <summary>Most ids or papers in one correction.</summary>
    public const int MaxItems = 1_000;

    /// <inheritdoc/>
    public string Name => "scholarfx-identity";

    /// <inheritdoc/>
    public bool Recognises(ReadOnlySpan<byte> head, string fileName) =>
        JsonRecordStream.FirstSignificant(head) is (byte)'{' && head.IndexOf("\"scholarfxIdentity\""u8) >= 0;

    /// <inheritdoc/>
    /// <remarks>A corrections file has no papers; it is read with <see cref="ReadCorrectionsAsync"/>.</remarks>
    public async IAsyncEnumerable<ReadItem> ReadAsync(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return ReadItem.Fail("file", "an identity corrections file holds no papers");
    }

    /// <summary>The corrections of the file, and an error for each one that cannot be applied as written.</summary>
    public static async Task<(IReadOnlyList<IdentityCorrection> Corrections, IReadOnlyList<IngestError> Errors)> ReadCorrectionsAsync(Stream content, CancellationToken cancellationToken)
    {
        if (await BoundedRead.ReadAllAsync(content, MaxBytes, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return ([], [new IngestError("file", $"an identity corrections file is at most {MaxBytes / (1024 * 1024)} MiB; split it")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return ([], [new IngestError("file", "not valid JSON: " + e.Message)]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty(Marker, out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return ([], [new IngestError("file", $"expected {{ \"{Marker}\": [ corrections ] }}")]);
            }

            if (list.GetArrayLength() > MaxCorrections)
            {
                return ([], [new IngestError("file", $"{list.GetArrayLength():N0} corrections; at most {MaxCorrections:N0} in one file")]);
            }

            var corrections = new List<IdentityCorrection>();
            var errors = new List<IngestError>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var location = $"correction {++index}";
                try
                {
                    corrections.Add(Parse(item, location));
                }
                catch (FormatException e)
                {
                    errors.Add(new IngestError(location, e.Message));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One correction System.Text.Json cannot read (a property name it cannot unescape) is its own error.
                    errors.Add(new IngestError(location, JsonFields.Unreadable(e)));
                }
            }

            return (corrections, errors);
        }
    }

    private static IdentityCorrection Parse(JsonElement item, string location)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a correction is an object with \"merge\", \"move\", \"variant\" or \"confirm\"");
        }

        if (item.TryGetProperty("merge", out _))
        {
            var into = AuthorId(item, "into");
            var from = Ids(item, "merge").Select(AuthorIdOf).Where(id => id != into).Distinct(StringComparer.Ordinal).ToList();
            return from.Count == 0 ? throw new FormatException("\"merge\" names no author id other than \"into\"") : new MergeCorrection(location, from, into);
        }

        if (item.TryGetProperty("move", out _))
        {
            var papers = Ids(item, "move");
            return papers.Count == 0 ? throw new FormatException("\"move\" names no paper") : new MoveCorrection(location, papers, AuthorId(item, "from"), AuthorId(item, "to"));
        }

        if (item.TryGetProperty("variant", out _))
        {
            var name = JsonFields.OptionalString(item, "variant") is { Length: > 0 and <= RecordValidator.MaxAuthorNameChars } n && !string.IsNullOrWhiteSpace(n)
                ? AuthorKey.DisplayName(n)
                : throw new FormatException($"\"variant\" must be a name of at most {RecordValidator.MaxAuthorNameChars} characters");
            var orcid = Orcid(JsonFields.OptionalString(item, "orcid"));
            return new VariantCorrection(location, name, orcid);
        }

        if (item.TryGetProperty("confirm", out _))
        {
            var name = JsonFields.OptionalString(item, "name") is { Length: > 0 and <= RecordValidator.MaxAuthorNameChars } n && !string.IsNullOrWhiteSpace(n)
                ? AuthorKey.DisplayName(n)
                : throw new FormatException($"\"confirm\" needs the \"name\" that claimed the ORCID iD, at most {RecordValidator.MaxAuthorNameChars} characters");
            return new ConfirmCorrection(location, name, Orcid(JsonFields.OptionalString(item, "confirm")));
        }

        throw new FormatException("a correction needs \"merge\", \"move\", \"variant\" or \"confirm\"");
    }

    private static List<string> Ids(JsonElement item, string name)
    {
        var value = item.GetProperty(name);
        IEnumerable<JsonElement> values = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [value];
        var ids = values.Select(v => v.ValueKind == JsonValueKind.String && JsonFields.Text(v) is { Length: > 0 and <= RecordValidator.MaxIdChars } s
            ? s.Trim()
            : throw new FormatException($"\"{name}\" must be ids of at most {RecordValidator.MaxIdChars} characters")).ToList();
        return ids.Count > MaxItems ? throw new FormatException($"\"{name}\" lists {ids.Count:N0}; at most {MaxItems:N0} in one correction") : ids;
    }

    private static string AuthorId(JsonElement item, string name) =>
        AuthorIdOf(JsonFields.OptionalString(item, name) ?? throw new FormatException($"\"{name}\" is missing"));

    /// <summary>An author id as profiles use it: an ORCID iD, or a name slug (a name is refused with the slug it would be).</summary>
    private static string AuthorIdOf(string given)
    {
        var id = given.Trim();
        if (id.Length > RecordValidator.MaxIdChars)
        {
            throw new FormatException($"an author id is at most {RecordValidator.MaxIdChars} characters");
        }

        if (AuthorKey.IsOrcid(id.ToUpperInvariant()))
        {
            return id.ToUpperInvariant();
        }

        var slug = AuthorKey.FromName(id);
        return slug == id ? id : throw new FormatException($"'{id}' is not an author id (ids are lower-case name slugs like '{slug}', or ORCID iDs)");
    }

    private static string Orcid(string? given) =>
        SourceValues.Orcid(given) is { } orcid && AuthorKey.IsOrcid(orcid)
            ? orcid
            : throw new FormatException($"\"orcid\" '{given}' is not a valid ORCID iD (0000-0002-1825-0097, with a correct check digit)");
}
