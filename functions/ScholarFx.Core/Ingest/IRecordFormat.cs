namespace ScholarFx.Core.Ingest;

/// <summary>An input format: recognises its files from their first bytes and streams their records.</summary>
public interface IRecordFormat
{
    /// <summary>Format name recorded in receipts and as a paper source, e.g. <c>scholarfx-json</c>.</summary>
    string Name { get; }

    /// <summary>Whether a file starting with <paramref name="head"/> (up to 64 KiB) is in this format.</summary>
    bool Recognises(ReadOnlySpan<byte> head, string fileName);

    /// <summary>Streams the records of the file; a bad record is a <see cref="ReadItem"/> error, never an exception.</summary>
    IAsyncEnumerable<ReadItem> ReadAsync(Stream content, CancellationToken cancellationToken);
}
