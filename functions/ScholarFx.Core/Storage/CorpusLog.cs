using System.Buffers.Binary;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ScholarFx.Core.Storage;

/// <summary>A place in the corpus log: the log blob's epoch and a byte offset in it.</summary>
public readonly record struct LogPosition(int Epoch, long Offset) : IComparable<LogPosition>
{
    /// <summary>The start of the first log.</summary>
    public static LogPosition Start => new(0, 0);

    /// <inheritdoc/>
    public int CompareTo(LogPosition other) => Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Offset.CompareTo(other.Offset);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Epoch}:{Offset}");
}

/// <summary>The shared corpus log as the corpus view uses it (a seam: unit tests keep it in memory).</summary>
public interface ICorpusLog
{
    /// <summary>Appends frames, each as one append block; returns the position after the last.</summary>
    Task<LogPosition> AppendAsync(IEnumerable<byte[]> frames, CancellationToken cancellationToken);

    /// <summary>Every whole frame after <paramref name="from"/>, in log order, each with the position just after it, and the position after the last.</summary>
    Task<(IReadOnlyList<(byte[] Frame, LogPosition After)> Frames, LogPosition End)> ReadAsync(LogPosition from, CancellationToken cancellationToken);

    /// <summary>Writes a snapshot of everything up to <paramref name="through"/>; older snapshots are removed.</summary>
    Task WriteSnapshotAsync(LogPosition through, IEnumerable<byte[]> frames, CancellationToken cancellationToken);

    /// <summary>The frames of the newest snapshot and the position it covers, or none.</summary>
    Task<(IReadOnlyList<byte[]> Frames, LogPosition Through)?> ReadSnapshotAsync(CancellationToken cancellationToken);
}

/// <summary>
/// What scoring needs of the corpus, shared by every instance (docs/architecture.md, One corpus view): an append-only
/// log of frames in append blobs (<c>log/{epoch}</c> in the <c>scholarfx-corpus</c> container), where each frame is
/// one append block, so a frame is either whole or absent and every reader sees the same order; and snapshots
/// (<c>snapshot/{epoch}-{offset}</c>) holding everything up to a position, so a cold start is one download plus the
/// frames after it. An append blob takes 50,000 blocks; the log moves to the next epoch before that.
/// </summary>
public sealed class CorpusLog(ScholarFxStorage storage) : ICorpusLog
{
    /// <summary>Largest frame: one append block is at most 4 MiB.</summary>
    public const int MaxFrameBytes = (4 * 1024 * 1024) - sizeof(int);

    private const int BlocksPerLog = 49_000;
    private const string LogPrefix = "log/";
    private const string SnapshotPrefix = "snapshot/";
    private readonly SemaphoreSlim appending = new(1, 1);
    private int? epoch;

    /// <inheritdoc/>
    public async Task<LogPosition> AppendAsync(IEnumerable<byte[]> frames, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await appending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            epoch ??= (await ListAsync(LogPrefix, cancellationToken).ConfigureAwait(false)).Select(ParseEpoch).DefaultIfEmpty(0).Max();
            var end = new LogPosition(epoch.Value, 0);
            foreach (var frame in frames)
            {
                if (frame.Length > MaxFrameBytes)
                {
                    throw new ArgumentException($"A corpus log frame is {frame.Length} bytes; at most {MaxFrameBytes}.", nameof(frames));
                }

                end = await AppendFrameAsync(frame, cancellationToken).ConfigureAwait(false);
            }

            return end;
        }
        finally
        {
            appending.Release();
        }
    }

    private async Task<LogPosition> AppendFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        var block = new byte[frame.Length + sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(block, frame.Length);
        frame.CopyTo(block, sizeof(int));
        while (true)
        {
            var blob = LogBlob(epoch!.Value);
            try
            {
                using var content = new MemoryStream(block, writable: false);
                var info = (await blob.AppendBlockAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
                if (info.BlobCommittedBlockCount >= BlocksPerLog)
                {
                    epoch++;
                }

                return new LogPosition(ParseEpoch(blob.Name), long.Parse(info.BlobAppendOffset, CultureInfo.InvariantCulture) + block.Length);
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsNotFound(e))
            {
                await blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlockCountExceedsLimit)
            {
                epoch++;
            }
        }
    }

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<(byte[] Frame, LogPosition After)> Frames, LogPosition End)> ReadAsync(LogPosition from, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var frames = new List<(byte[], LogPosition)>();
        var end = from;
        foreach (var name in (await ListAsync(LogPrefix, cancellationToken).ConfigureAwait(false)).OrderBy(ParseEpoch))
        {
            var logEpoch = ParseEpoch(name);
            if (logEpoch < from.Epoch)
            {
                continue;
            }

            var offset = logEpoch == from.Epoch ? from.Offset : 0;
            var blob = storage.Corpus.GetBlobClient(name);
            byte[] bytes;
            try
            {
                var download = await blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset) }, cancellationToken).ConfigureAwait(false);
                bytes = download.Value.Content.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == 416)
            {
                // Nothing after the offset yet.
                bytes = [];
            }

            var read = 0;
            while (read + sizeof(int) <= bytes.Length)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(read));
                if (read + sizeof(int) + length > bytes.Length)
                {
                    break;
                }

                var frame = bytes.AsSpan(read + sizeof(int), length).ToArray();
                read += sizeof(int) + length;
                frames.Add((frame, new LogPosition(logEpoch, offset + read)));
            }

            end = new LogPosition(logEpoch, offset + read);
        }

        return (frames, end);
    }

    /// <inheritdoc/>
    public async Task WriteSnapshotAsync(LogPosition through, IEnumerable<byte[]> frames, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var name = SnapshotName(through);
        // Written to a local file first and uploaded under a name no blob had: the service makes it visible only
        // when the upload commits, so a reader never sees a half-written snapshot.
        var file = Path.GetTempFileName();
        try
        {
            await using (var stream = File.Create(file))
            {
                var length = new byte[sizeof(int)];
                foreach (var frame in frames)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(length, frame.Length);
                    await stream.WriteAsync(length, cancellationToken).ConfigureAwait(false);
                    await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                }
            }

            await storage.Corpus.GetBlobClient(name).UploadAsync(file, overwrite: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(file);
        }

        foreach (var old in await ListAsync(SnapshotPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (string.CompareOrdinal(old, name) < 0)
            {
                await storage.Corpus.DeleteBlobIfExistsAsync(old, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<byte[]> Frames, LogPosition Through)?> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var newest = (await ListAsync(SnapshotPrefix, cancellationToken).ConfigureAwait(false))
            .OrderDescending(StringComparer.Ordinal)
            .FirstOrDefault();
        if (newest is null)
        {
            return null;
        }

        var bytes = (await storage.Corpus.GetBlobClient(newest).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        var frames = new List<byte[]>();
        for (var read = 0; read + sizeof(int) <= bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(read));
            frames.Add(bytes.AsSpan(read + sizeof(int), length).ToArray());
            read += sizeof(int) + length;
        }

        var parts = newest[SnapshotPrefix.Length..].Split('-');
        return (frames, new LogPosition(int.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture)));
    }

    private AppendBlobClient LogBlob(int logEpoch) => storage.Corpus.GetAppendBlobClient(LogPrefix + logEpoch.ToString("D6", CultureInfo.InvariantCulture));

    private static string SnapshotName(LogPosition through) =>
        SnapshotPrefix + through.Epoch.ToString("D6", CultureInfo.InvariantCulture) + "-" + through.Offset.ToString("D15", CultureInfo.InvariantCulture);

    private static int ParseEpoch(string name) => int.Parse(name.AsSpan(LogPrefix.Length), CultureInfo.InvariantCulture);

    private async Task<List<string>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var item in storage.Corpus.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            names.Add(item.Name);
        }

        return names;
    }
}
