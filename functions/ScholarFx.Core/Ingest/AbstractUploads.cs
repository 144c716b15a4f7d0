using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>The result of storing an uploaded file: its blob name, or why it was refused.</summary>
public sealed record UploadResult(string? BlobName, bool TooLarge);

/// <summary>Stores a file posted to <c>POST /api/abstracts</c> in the abstracts container, where Ingest picks it up.</summary>
public interface IAbstractUploads
{
    /// <summary>Streams <paramref name="content"/> into a new blob named <c>{Sources:ApiUploader}/{date}/{id}-{name}</c> (<c>uploads/…</c> by default).</summary>
    Task<UploadResult> StoreAsync(Stream content, long? declaredLength, string? fileName, CancellationToken cancellationToken);
}

/// <inheritdoc cref="IAbstractUploads"/>
public sealed partial class AbstractUploads(ScholarFxStorage storage, IOptions<ApiOptions> options, IOptions<SourcesOptions> sources, TimeProvider clock, ILogger<AbstractUploads> logger) : IAbstractUploads
{
    /// <inheritdoc/>
    public async Task<UploadResult> StoreAsync(Stream content, long? declaredLength, string? fileName, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxUploadBytes;
        if (declaredLength > limit)
        {
            return new UploadResult(null, TooLarge: true);
        }

        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var safeName = SafeName().Replace(Path.GetFileName(fileName ?? "") is { Length: > 0 } n ? n : "upload", "-");
        // The folder is the source of the file's records (RecordOrigin): every caller of the route is that one source.
        var name = string.Create(CultureInfo.InvariantCulture, $"{sources.Value.ApiUploader}/{clock.GetUtcNow():yyyy/MM/dd}/{Guid.NewGuid():N}-{(safeName.Length > 100 ? safeName[..100] : safeName)}");
        var blob = storage.Abstracts.GetBlobClient(name);
        try
        {
            await using var capped = new LengthLimitedStream(content, limit);
            await blob.UploadAsync(capped, overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (LengthLimitedStream.TooLongException)
        {
            // Nothing half-uploaded stays behind to be ingested.
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return new UploadResult(null, TooLarge: true);
        }

        logger.LogInformation("Stored upload as {Blob}", name);
        return new UploadResult(name, TooLarge: false);
    }

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex SafeName();
}

/// <summary>A read-only stream that fails once more than a limit of bytes has been read (since the start or the last <see cref="Restart"/>).</summary>
internal sealed class LengthLimitedStream(Stream inner, long limit) : Stream
{
    private long read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Starts counting from zero again: each entry of a feed gets the whole limit.</summary>
    public void Restart() => read = 0;

    private int Count(int n)
    {
        read += n;
        return read > limit ? throw new TooLongException() : n;
    }

    internal sealed class TooLongException : IOException
    {
        public TooLongException() : base("The upload is larger than the configured limit.") { }
    }
}
