using System.Security.Cryptography;
using System.Text;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Where an author's rows live in <see cref="StorageNames.AuthorsTable"/>: a partition shared by every author whose id
/// hashes to the same of <see cref="Buckets"/> buckets, so the commits of many authors (a settling round's, an ingest
/// batch's) share transactions — one request carries up to 100 authors instead of one. The aggregate row's key is the
/// author's own (<see cref="AuthorStore.AggregateRowKey"/>); the paper rows of an author whose papers outgrew the ledger
/// carry a fixed-length prefix of their own, so one author's rows are one key range of the bucket.
/// </summary>
public static class AuthorKeys
{
    /// <summary>
    /// Buckets: at the documented 2,000 entities a second per partition, 32 of them take 64,000 author writes a second
    /// (about 5,000 papers a second at 12 author writes a paper), while an ingest batch of 100 papers (about 600 authors)
    /// still brings about 19 to each bucket's transaction. Fixed: changing it would move every row.
    /// </summary>
    public const int Buckets = 32;

    /// <summary>The partition of the author's rows: its bucket, two digits.</summary>
    public static string Partition(string authorId) => (Hash(authorId)[0] % Buckets).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The row-key prefix of the author's paper rows: "p", 16 hex digits of the id's hash, "|".</summary>
    public static string PaperPrefix(string authorId) => "p" + Convert.ToHexStringLower(Hash(authorId).AsSpan(0, 8)) + "|";

    private static byte[] Hash(string authorId) => SHA256.HashData(Encoding.UTF8.GetBytes(authorId));
}
