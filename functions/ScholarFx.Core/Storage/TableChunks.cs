using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>
/// Text longer than one table property holds (32K characters), kept across properties <c>{prefix}0</c>,
/// <c>{prefix}1</c>, …: the rendered profile and ledger of an author, the ORCIDs of a name. Text written with
/// <see cref="WriteCompressed"/> is kept as Brotli bytes in binary properties of the same names (a rendered profile
/// or a ranking page takes a third to a quarter of its characters); <see cref="Read"/> reads either.
/// </summary>
public static class TableChunks
{
    /// <summary>Characters per property (under the 32K a string property holds).</summary>
    public const int Chars = 30_000;

    /// <summary>
    /// Writes <paramref name="text"/> into the properties of <paramref name="entity"/> and empties the rest up to
    /// <paramref name="maxChunks"/> (an entity read back and written again keeps no stale tail); returns how many hold text.
    /// </summary>
    public static int Write(TableEntity entity, string prefix, string text, int maxChunks)
    {
        var count = (text.Length + Chars - 1) / Chars;
        if (count > maxChunks)
        {
            throw new ArgumentException($"{text.Length} characters do not fit {maxChunks} properties '{prefix}'.", nameof(text));
        }

        for (var i = 0; i < maxChunks; i++)
        {
            entity[prefix + i] = i < count ? text.Substring(i * Chars, Math.Min(Chars, text.Length - (i * Chars))) : null;
        }

        return count;
    }

    /// <summary>Bytes per binary property (under the 64 KiB one holds).</summary>
    public const int Bytes = 60_000;

    /// <summary>
    /// Writes <paramref name="text"/> compressed into binary properties of <paramref name="entity"/> and empties the rest
    /// up to <paramref name="maxChunks"/>; returns how many hold bytes. Text whose bytes do not shrink enough to fit
    /// (three UTF-8 bytes a character that hardly compress) is written as characters instead, so text that
    /// <see cref="Fits"/> is always written; <see cref="Read"/> reads either.
    /// </summary>
    public static int WriteCompressed(TableEntity entity, string prefix, string text, int maxChunks) =>
        TryWriteCompressed(entity, prefix, text, maxChunks) is > 0 and var count ? count : Write(entity, prefix, text, maxChunks);

    /// <summary>
    /// Writes <paramref name="text"/> compressed into binary properties as <see cref="WriteCompressed"/> does; returns
    /// 0 and writes nothing when the bytes do not fit <paramref name="maxChunks"/> properties.
    /// </summary>
    public static int TryWriteCompressed(TableEntity entity, string prefix, string text, int maxChunks)
    {
        var bytes = Compress(text);
        var count = Math.Max(1, (bytes.Length + Bytes - 1) / Bytes);
        if (count > maxChunks)
        {
            return 0;
        }

        for (var i = 0; i < maxChunks; i++)
        {
            entity[prefix + i] = i < count ? bytes.AsSpan(i * Bytes, Math.Min(Bytes, bytes.Length - (i * Bytes))).ToArray() : null;
        }

        return count;
    }

    /// <summary>
    /// Brotli quality 5: on rendered profiles, ledgers and paper bodies it keeps 12–15 % fewer bytes than quality 1
    /// (<see cref="CompressionLevel.Fastest"/>) at well under a millisecond a row; higher qualities gain 1 % more.
    /// The bytes stored are what a save of the whole database costs on Azurite and what every read transfers.
    /// </summary>
    private const int Quality = 5;

    /// <summary>The Brotli bytes of <paramref name="text"/>'s UTF-8.</summary>
    public static byte[] Compress(string text)
    {
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, new BrotliCompressionOptions { Quality = Quality }, leaveOpen: true))
        {
            brotli.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    /// <summary>The text of the properties <c>{prefix}0</c> on, up to the first missing one or <paramref name="maxChunks"/>.</summary>
    public static string Read(TableEntity entity, string prefix, int maxChunks)
    {
        if (!entity.TryGetValue(prefix + "0", out var first) || first is null or string)
        {
            return string.Concat(Enumerable.Range(0, maxChunks).Select(i => entity.GetString(prefix + i)).TakeWhile(c => c is not null));
        }

        using var reader = CompressedReader(entity, prefix, maxChunks);
        return reader.ReadToEnd();
    }

    private static StreamReader CompressedReader(TableEntity entity, string prefix, int maxChunks)
    {
        var compressed = new MemoryStream();
        foreach (var chunk in Enumerable.Range(0, maxChunks).Select(i => entity.GetBinary(prefix + i)).TakeWhile(c => c is not null))
        {
            compressed.Write(chunk);
        }

        compressed.Position = 0;
        return new StreamReader(new BrotliStream(compressed, CompressionMode.Decompress), Encoding.UTF8);
    }

    /// <summary>The first line of the text <see cref="Read"/> reads (decompressing no further than that line).</summary>
    public static string ReadFirstLine(TableEntity entity, string prefix, int maxChunks)
    {
        if (!entity.TryGetValue(prefix + "0", out var first) || first is null or string)
        {
            var text = Read(entity, prefix, maxChunks);
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            return end < 0 ? text : text[..end];
        }

        using var reader = CompressedReader(entity, prefix, maxChunks);
        return reader.ReadLine() ?? "";
    }

    /// <summary>Whether text of this length fits <paramref name="maxChunks"/> properties.</summary>
    public static bool Fits(string text, int maxChunks) => text.Length <= Chars * maxChunks;
}
