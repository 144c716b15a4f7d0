using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>The counts and errors of one file's ingest, carried across batches and restored on a resumed attempt.</summary>
internal sealed class IngestTally(int maxErrorDetails)
{
    private readonly List<IngestError> errors = [];
    private int rejected;

    public int Created;
    public int Updated;
    public int Merged;
    public int Unchanged;

    /// <summary>Records rejected so far (all counted; the first <c>maxErrorDetails</c> listed).</summary>
    public int Rejected => Volatile.Read(ref rejected);

    /// <summary>Rejects a record; called by the reader and by the batch being stored.</summary>
    public void Reject(IngestError error)
    {
        lock (errors)
        {
            rejected++;
            if (errors.Count < maxErrorDetails)
            {
                errors.Add(error);
            }
        }
    }

    public List<IngestError> Errors()
    {
        lock (errors)
        {
            return [.. errors];
        }
    }

    /// <summary>Carries on from a checkpointed receipt.</summary>
    public void Restore(Receipt receipt, List<IngestError> listed)
    {
        (Created, Updated, Merged, Unchanged, rejected) = (receipt.PapersCreated, receipt.PapersUpdated, receipt.PapersMerged, receipt.PapersUnchanged, receipt.RecordsRejected);
        errors.AddRange(listed);
    }

    /// <summary>The file is one scoring run: paid calls are budgeted per file.</summary>
    public ScoringRun Scoring { get; } = new();
}
