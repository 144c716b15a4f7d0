namespace ScholarFx.Core.Ingest;

/// <summary>
/// Who sent a record and when, facts of the input file that travel with the record into the paper's kept source
/// records: so the paper rendered from them does not depend on the order files are processed in.
/// </summary>
/// <param name="Uploader">The source: the first folder of the file's name (<c>lab-a</c>), <c>harvest/{source}</c> for a harvester's page, <see cref="RootUploader"/> for a file at the container's root.</param>
/// <param name="File">The file's blob name.</param>
/// <param name="Delivered">When the file was first stored (the blob's creation time).</param>
/// <param name="Stored">When this version of the file was stored (its last-modified time): newer versions of one source replace older ones.</param>
/// <param name="Ordinal">The record's number in its file (1 first), kept with the record to say where it came from.</param>
public sealed record RecordOrigin(string Uploader, string File, DateTimeOffset Delivered, DateTimeOffset Stored, int Ordinal)
{
    /// <summary>The source of files at the root of <c>abstracts</c> (no folder): whoever may write the whole container.</summary>
    public const string RootUploader = "(root)";

    /// <summary>A record whose file is not known (built in code, not read from <c>abstracts</c>).</summary>
    public static RecordOrigin Unknown { get; } = new("(unknown)", "", DateTimeOffset.MinValue, DateTimeOffset.MinValue, 0);

    /// <summary>The source of a file in <c>abstracts</c>: its first folder, or <c>harvest/{source}</c> under <c>harvest/</c>.</summary>
    public static string UploaderOf(string blobName)
    {
        var parts = blobName.Split('/');
        if (parts.Length < 2)
        {
            return RootUploader;
        }

        // Each harvester is its own source (HarvestService stores pages as harvest/{source}/{window}/…).
        return parts[0] == "harvest" && parts.Length > 2 ? parts[0] + "/" + parts[1] : parts[0];
    }

    /// <summary>The origin of record number <paramref name="ordinal"/> of the file <paramref name="blobName"/>.</summary>
    public static RecordOrigin Of(string blobName, DateTimeOffset delivered, DateTimeOffset stored, int ordinal) =>
        new(UploaderOf(blobName), blobName, delivered, stored, ordinal);
}
