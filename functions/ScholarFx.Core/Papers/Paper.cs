namespace ScholarFx.Core.Papers;

/// <summary>An author as a paper lists them.</summary>
/// <param name="Name">Display name, normalised to "Given Family" order.</param>
/// <param name="Orcid">ORCID iD when the source gives one; stored as an alias of the author.</param>
/// <param name="Affiliations">Institutions the source gives for this author on this paper (none when it gives none).</param>
/// <param name="ExternalIds">The source's own ids of the author (<c>openalex:A5023888391</c>, <c>s2:1741101</c>).</param>
public sealed record PaperAuthor(string Name, string? Orcid = null, IReadOnlyList<string>? Affiliations = null, IReadOnlyList<string>? ExternalIds = null)
{
    /// <summary>The slug of the name as written (<see cref="AuthorKey.FromName"/>): what sources and scores match authors by.</summary>
    public string NameKey { get; } = AuthorKey.FromName(Name);

    /// <summary>
    /// The profile the author belongs to, as identity resolution decided (docs/identity.md): the ORCID iD when there
    /// is one, else the name's slug, or what a curator's correction says. Until resolved, the name's slug.
    /// </summary>
    public string Id { get; init; } = AuthorKey.FromName(Name);

    /// <summary>
    /// True when the source's <see cref="Orcid"/> is a claim identity resolution did not join: the name shares no family
    /// name with the names known for that ORCID iD, so the author stays with the name's profile until a curator
    /// confirms the claim (docs/identity.md).
    /// </summary>
    public bool OrcidUnconfirmed { get; init; }

    /// <summary>Institutions, never null.</summary>
    public IReadOnlyList<string> Institutions => Affiliations ?? [];

    /// <summary>The source's ids of the author, never null.</summary>
    public IReadOnlyList<string> SourceIds => ExternalIds ?? [];

    /// <summary>Same name, ORCID (and whether it was joined), profile, institutions and ids (a record would compare the lists by reference).</summary>
    public bool Equals(PaperAuthor? other) =>
        other is not null && Name == other.Name && Orcid == other.Orcid && Id == other.Id && OrcidUnconfirmed == other.OrcidUnconfirmed &&
        Institutions.SequenceEqual(other.Institutions, StringComparer.Ordinal) && SourceIds.SequenceEqual(other.SourceIds, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Orcid, Id, Institutions.Count);
}

/// <summary>A curator's move of one author of a paper to another profile (docs/identity.md): the author by name key, the profile it goes to.</summary>
public sealed record AuthorOverride(string NameKey, string AuthorId);

/// <summary>A stored paper: merged metadata from every source that described it, plus its scores.</summary>
public sealed record Paper
{
    /// <summary>Canonical id, <c>{scheme}:{value}</c>; the first id the paper got.</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Abstract { get; init; }
    public required IReadOnlyList<PaperAuthor> Authors { get; init; }
    /// <summary>Categories, primary first.</summary>
    public required IReadOnlyList<string> Categories { get; init; }
    /// <summary>The earliest date the first source (in precedence order) giving one gives in any of its formats.</summary>
    public required DateOnly Published { get; init; }
    /// <summary>The count of the trusted source with the newest count date, else of the first uploader giving one; null when none did.</summary>
    public int? Citations { get; init; }
    public DateTimeOffset? CitationsAsOf { get; init; }
    public string? CitationsSource { get; init; }
    /// <summary>
    /// Citations received in each calendar year, as the source of <see cref="Citations"/> gives them (OpenAlex
    /// <c>counts_by_year</c>); empty when it gives none. Never derived from the total.
    /// </summary>
    public IReadOnlyList<YearCount> CitationsByYear { get; init; } = [];
    /// <summary>Every known identifier of the paper (<c>arxiv:…</c>, <c>doi:…</c>, <c>title:…</c>).</summary>
    public required IReadOnlyList<string> Aliases { get; init; }
    /// <summary>Formats the paper was read from (<c>scholarfx-json</c>, …), in the precedence order of their sources.</summary>
    public required IReadOnlyList<string> Sources { get; init; }
    /// <summary>SHA-256 of normalised title and abstract; scores and embeddings are keyed by it.</summary>
    public required string ContentHash { get; init; }
    public PaperScores Scores { get; init; } = PaperScores.NotScored;
    /// <summary>Retracted by a curator or trusted source: the paper stays stored (with its history and scores) but leaves every profile.</summary>
    public bool Retracted { get; init; }
    public DateTimeOffset? RetractedAt { get; init; }
    /// <summary>The embedding of title and abstract, reused while content hash and model are unchanged.</summary>
    public PaperEmbedding? Embedding { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>
    /// The store's version (ETag) of the row this paper was read from; null for a paper not stored yet. Writes are
    /// conditional on it, so a writer that read an older version re-reads and merges instead of overwriting.
    /// </summary>
    public string? StoreVersion { get; init; }
    /// <summary>
    /// The author rows the paper's last change of authors or date retired (an author removed, a row moved to a new
    /// date). Kept with the paper so an attempt that died between writing the paper and deleting those rows can be
    /// repaired by the next: it deletes them again.
    /// </summary>
    public IReadOnlyList<RetiredRow> RetiredRows { get; init; } = [];
    /// <summary>
    /// Each source's latest record of the paper (a source is an uploader and a format), in precedence order: the paper's
    /// metadata is rendered from them (<see cref="PaperMerger"/>). Empty for a paper stored before sources were kept.
    /// </summary>
    public IReadOnlyList<SourceClaim> Claims { get; init; } = [];
    /// <summary>Values sources gave that lost to a source ranked above them (or that they may not say), for a curator to settle.</summary>
    public IReadOnlyList<PaperConflict> Conflicts { get; init; } = [];
    /// <summary>Curators' moves of this paper's authors to other profiles; they survive re-ingest and source corrections.</summary>
    public IReadOnlyList<AuthorOverride> AuthorOverrides { get; init; } = [];

    /// <summary>The primary (first) category, or null when the paper has none.</summary>
    public string? PrimaryCategory => Categories.Count > 0 ? Categories[0] : null;
}

/// <summary>A count in one calendar year.</summary>
public sealed record YearCount(int Year, int Count);

/// <summary>An author row a paper's change retired: the author's id and the row's key.</summary>
public sealed record RetiredRow(string AuthorId, string RowKey);

/// <summary>
/// An L2-normalised embedding of a paper's title and abstract, with the model and content it was computed from. Its
/// components are rounded to half precision when it is made (11 significant bits, a relative error under 0.05 %,
/// far below what separates two papers), so the vector every score is computed from is exactly the one stored in
/// two bytes a component, read back from the table or the corpus log or computed afresh.
/// </summary>
public sealed record PaperEmbedding(string Model, string ContentHash, float[] Vector)
{
    /// <summary>The vector, each component rounded to half precision (also when set by <c>with</c>).</summary>
    public float[] Vector { get; init => field = HalfPrecision(value); } = HalfPrecision(Vector);

    /// <summary>A copy of <paramref name="vector"/> with each component rounded to the nearest half-precision value.</summary>
    public static float[] HalfPrecision(ReadOnlySpan<float> vector)
    {
        var rounded = new float[vector.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            rounded[i] = (float)(Half)vector[i];
        }

        return rounded;
    }

    /// <summary>The vector as little-endian half-precision bytes (a binary table property), two a component.</summary>
    public byte[] ToHalfBytes()
    {
        var bytes = new byte[Vector.Length * 2];
        for (var i = 0; i < Vector.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)Vector[i]);
        }

        return bytes;
    }

    /// <summary>A vector from <see cref="ToHalfBytes"/>.</summary>
    public static float[] FromHalfBytes(byte[] bytes)
    {
        var vector = new float[bytes.Length / 2];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)System.Buffers.Binary.BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(i * 2));
        }

        return vector;
    }

    /// <summary>A vector stored as little-endian single-precision bytes (rows written before half precision).</summary>
    public static float[] FromBytes(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
