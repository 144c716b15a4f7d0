using System.Text.Json;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// A JSON-based format: its files stream through <see cref="JsonRecordStream"/> (arrays, pages, JSON Lines, single
/// objects), so a format only says how it recognises its files and how one JSON object becomes a record.
/// </summary>
public abstract class JsonRecordFormat : IRecordFormat
{
    private readonly JsonRecordStream stream;

    /// <summary>A format whose page objects hold their papers in one of <paramref name="pageProperties"/>.</summary>
    private protected JsonRecordFormat(params string[] pageProperties) => stream = new JsonRecordStream(ToRecord, pageProperties);

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract bool Recognises(ReadOnlySpan<byte> head, string fileName);

    /// <inheritdoc/>
    public IAsyncEnumerable<ReadItem> ReadAsync(Stream content, CancellationToken cancellationToken) =>
        stream.ReadAsync(content, cancellationToken);

    /// <summary>Whether the JSON at the start of the file has any of these property names.</summary>
    private protected static bool HasAnyProperty(ReadOnlySpan<byte> head, params string[] names)
    {
        var found = JsonRecordStream.PropertyNames(head);
        return names.Any(found.Contains);
    }

    /// <summary>Maps one JSON value of the file to a record; errors name the field.</summary>
    private protected abstract ReadItem ToRecord(JsonElement element, string location);
}
