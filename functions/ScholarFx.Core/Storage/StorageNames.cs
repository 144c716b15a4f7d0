namespace ScholarFx.Core.Storage;

/// <summary>Names of the tables and containers ScholarFx uses.</summary>
public static class StorageNames
{
    /// <summary>Container curators drop abstract files into (the Ingest trigger's path).</summary>
    public const string AbstractsContainer = "abstracts";
    /// <summary>Container for values too large for a table property and for receipt error overflow.</summary>
    public const string DataContainer = "scholarfx-data";
    /// <summary>Container of the shared corpus view: the append-only log of what scoring needs and its snapshots (<see cref="CorpusLog"/>).</summary>
    public const string CorpusContainer = "scholarfx-corpus";
    public const string PapersTable = "Papers";
    public const string AliasesTable = "Aliases";
    /// <summary>Authors' aggregate rows (profile, ledger, figures) and paper rows, in hashed buckets (<see cref="AuthorKeys"/>).</summary>
    public const string AuthorsTable = "AuthorCards";

    /// <summary>
    /// Authors as a partition per author: moved into <see cref="AuthorsTable"/> and deleted by the first settling after
    /// an upgrade; until then read where an author is not found in its bucket (<see cref="LegacyAuthors"/>).
    /// </summary>
    public const string LegacyAuthorsTable = "Authors";
    /// <summary>The name index: words of authors' names packed into pages (<see cref="NameIndex"/>).</summary>
    public const string NameIndexTable = "NamePages";

    /// <summary>The name index as a row per word and author: rebuilt into <see cref="NameIndexTable"/> and deleted by the first settling after an upgrade.</summary>
    public const string LegacyNameIndexTable = "NameIndex";
    public const string ReceiptsTable = "Receipts";
    public const string StatsTable = "Stats";
    /// <summary>The storage queue whose messages ask for settling (the Settle function's trigger).</summary>
    public const string SettleQueue = "settle";

    /// <summary>The storage queue of rescore shards (the RescoreShard function's trigger).</summary>
    public const string RescoreQueue = "rescore";

    /// <summary>Azure OpenAI assessments by model + prompt version and content hash, so a rescore does not pay twice.</summary>
    public const string AiAssessmentsTable = "AiAssessments";

    /// <summary>Author identities: which ORCID iDs a name was seen with, curators' redirects and variants (IdentityStore).</summary>
    public const string IdentitiesTable = "Identities";

    /// <summary>Every change of who a researcher is, per profile, newest first (IdentityHistoryStore, docs/identity.md#audit-trail).</summary>
    public const string IdentityHistoryTable = "IdentityHistory";

    /// <summary>Profiles ranked per category and figure, packed into pages, for <c>GET /api/profiles?sort=</c> (RankingStore).</summary>
    public const string RankingsTable = "RankingPages";

    /// <summary>
    /// The first table the ranking lists were kept in (a partition per category, a row per entry): read by nothing,
    /// rebuilt into <see cref="RankingsTable"/> and deleted by the first settling after an upgrade.
    /// </summary>
    public const string LegacyRankingsTable = "Rankings";

    /// <summary>The second: a partition per category, figure and bucket, still a row per entry. Rebuilt and deleted the same way.</summary>
    public const string RowRankingsTable = "RankingLists";

    /// <summary>Tables of older layouts of the ranking lists, rebuilt and deleted by the first settling after an upgrade.</summary>
    public static readonly IReadOnlyList<string> LegacyRankingsTables = [LegacyRankingsTable, RowRankingsTable];

    /// <summary>Every table.</summary>
    public static readonly IReadOnlyList<string> Tables = [PapersTable, AliasesTable, AuthorsTable, NameIndexTable, ReceiptsTable, StatsTable, AiAssessmentsTable, IdentitiesTable, IdentityHistoryTable, RankingsTable];
}
