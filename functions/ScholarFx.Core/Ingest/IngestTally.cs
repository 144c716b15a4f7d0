using ScholarFx.Core.Scoring;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Ingest;

/// <summary>The counts and errors of one file's ingest, carried across batches and restored on a resumed attempt.</summary>
internal sealed class IngestTally(int maxErrorDetails)
{
    private readonly List<IngestError> errors = [];
    private int rejected;
    private int warned;

    /// <summary>The file's name in <c>abstracts</c>, for the identity history of what its records change.</summary>
    public string File { get; init; } = "";

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

    /// <summary>Records kept with a warning (a value dropped), counted; listed with the errors, marked as warnings.</summary>
    public int Warned => Volatile.Read(ref warned);

    /// <summary>Keeps a record without a value it could not keep, and says so.</summary>
    public void Warn(IngestError warning)
    {
        lock (errors)
        {
            warned++;
            if (errors.Count < maxErrorDetails)
            {
                errors.Add(warning with { Warning = true });
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
        (Created, Updated, Merged, Unchanged, rejected, warned) = (receipt.PapersCreated, receipt.PapersUpdated, receipt.PapersMerged, receipt.PapersUnchanged, receipt.RecordsRejected, receipt.RecordsWithWarnings);
        errors.AddRange(listed);
    }

    /// <summary>The file is one scoring run: paid calls are budgeted per file.</summary>
    public ScoringRun Scoring { get; } = new();
}
