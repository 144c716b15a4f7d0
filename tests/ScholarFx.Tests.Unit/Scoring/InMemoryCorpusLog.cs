using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Scoring;

/// <summary>The corpus log seam kept in memory for unit tests of the corpus view's users (integration tests use Azurite's append blobs).</summary>
internal sealed class InMemoryCorpusLog : ICorpusLog
{
    private readonly List<byte[]> frames = [];
    private (List<byte[]> Frames, LogPosition Through)? snapshot;

    public Task<LogPosition> AppendAsync(IEnumerable<byte[]> appended, CancellationToken cancellationToken)
    {
        lock (frames)
        {
            frames.AddRange(appended);
            return Task.FromResult(new LogPosition(0, frames.Count));
        }
    }

    public Task<(IReadOnlyList<(byte[] Frame, LogPosition After)> Frames, LogPosition End)> ReadAsync(LogPosition from, CancellationToken cancellationToken)
    {
        lock (frames)
        {
            return Task.FromResult<(IReadOnlyList<(byte[], LogPosition)>, LogPosition)>(
                ([.. frames.Select((f, i) => (f, new LogPosition(0, i + 1))).Skip((int)from.Offset)], new LogPosition(0, frames.Count)));
        }
    }

    public Task WriteSnapshotAsync(LogPosition through, IEnumerable<byte[]> written, CancellationToken cancellationToken)
    {
        snapshot = ([.. written], through);
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<byte[]> Frames, LogPosition Through)?> ReadSnapshotAsync(CancellationToken cancellationToken) =>
        Task.FromResult<(IReadOnlyList<byte[]>, LogPosition)?>(snapshot is var (f, t) ? (f, t) : null);
}
