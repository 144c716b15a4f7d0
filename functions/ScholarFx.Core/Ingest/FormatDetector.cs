namespace ScholarFx.Core.Ingest;

/// <summary>Picks the format of a file from its content (and only then its name) without consuming the stream.</summary>
public sealed class FormatDetector(IEnumerable<IRecordFormat> formats)
{
    internal const int HeadSize = 64 * 1024;

    /// <summary>What a file no format recognises is told, naming every format read.</summary>
    internal const string UnrecognisedFormat =
        "unrecognised format: expected ScholarFx JSON (one paper, an array, or JSON Lines), an arXiv API Atom feed, " +
        "an arXiv OAI-PMH page (metadataPrefix arXiv or arXivRaw), the arXiv metadata snapshot (JSON Lines), OpenAlex works (a work, a list or a \"results\" page), " +
        "Semantic Scholar papers (a paper, a list or a \"data\" page), or BibTeX entries with abstracts";
    private readonly IReadOnlyList<IRecordFormat> formats = [.. formats];

    /// <summary>
    /// The format of the file, and a stream that replays the bytes read to decide, followed by the rest.
    /// The format is null when the file is empty or no reader recognises it.
    /// </summary>
    public async Task<(IRecordFormat? Format, Stream Content, string? Problem)> DetectAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        var head = await ReplayStream.ReadHeadAsync(content, HeadSize, cancellationToken).ConfigureAwait(false);
        var replay = new ReplayStream(head, content);
        var span = head.Span;
        if (span.Trim(" \t\r\n\uFEFF"u8).IsEmpty || IsOnlyBom(span))
        {
            return (null, replay, "the file is empty");
        }

        if (span.Contains((byte)0))
        {
            return (null, replay, "the file is binary (it contains NUL bytes), not a text format ScholarFx reads");
        }

        foreach (var format in formats)
        {
            if (format.Recognises(span, fileName))
            {
                return (format, replay, null);
            }
        }

        return (null, replay, UnrecognisedFormat);
    }

    private static bool IsOnlyBom(ReadOnlySpan<byte> span) =>
        span.StartsWith("\uFEFF"u8) && span[3..].Trim(" \t\r\n"u8).IsEmpty;
}

/// <summary>Replays a buffered head and then reads the rest of the underlying stream.</summary>
internal sealed class ReplayStream(ReadOnlyMemory<byte> head, Stream rest) : Stream
{
    private ReadOnlyMemory<byte> head = head;

    /// <summary>Reads up to <paramref name="size"/> bytes (fewer only at the end of the stream), to replay them afterwards.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadHeadAsync(Stream stream, int size, CancellationToken cancellationToken)
    {
        var buffer = new byte[size];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return buffer.AsMemory(0, length);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!head.IsEmpty)
        {
            var n = Math.Min(buffer.Length, head.Length);
            head.Span[..n].CopyTo(buffer);
            head = head[n..];
            return n;
        }

        return rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!head.IsEmpty)
        {
            var n = Math.Min(buffer.Length, head.Length);
            head[..n].CopyTo(buffer);
            head = head[n..];
            return n;
        }

        return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
