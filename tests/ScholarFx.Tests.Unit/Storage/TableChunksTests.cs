using Azure.Data.Tables;
using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Storage;

/// <summary>Text across properties: compressed into binary chunks, and the older character chunks still read.</summary>
public sealed class TableChunksTests
{
    [Fact]
    public void CompressedText_ReadsBackExactly_InFewerBytesThanItsCharacters_AndEmptiesTheChunksLeftFromBefore()
    {
        var profile = string.Concat(Enumerable.Range(0, 2_000).Select(i => $"{{\"title\":\"Paper {i} on graphs — ünïcode\",\"year\":{2000 + (i % 25)}}},"));
        var entity = new TableEntity("p", "r");
        var asText = TableChunks.Write(entity, "Profile", profile, 15);
        Assert.InRange(asText, 3, 15);
        Assert.Equal(asText, Enumerable.Range(0, 15).Count(i => entity["Profile" + i] is string));

        var count = TableChunks.WriteCompressed(entity, "Profile", profile, 15);

        Assert.Equal(1, count);
        var bytes = Assert.IsType<byte[]>(entity["Profile0"]);
        Assert.InRange(bytes.Length, 1, profile.Length / 4);
        Assert.All(Enumerable.Range(1, 14), i => Assert.Null(entity["Profile" + i]));
        Assert.Equal(profile, TableChunks.Read(entity, "Profile", 15));
    }

    [Fact]
    public void TextWrittenAsCharacters_ByAnOlderVersion_StillReads_AndNothingReadsAsEmpty()
    {
        var text = new string('x', 65_000) + "end";
        var entity = new TableEntity("p", "r");
        Assert.Equal(3, TableChunks.Write(entity, "Ledger", text, 20));

        Assert.Equal(text, TableChunks.Read(entity, "Ledger", 20));
        Assert.Equal("", TableChunks.Read(new TableEntity("p", "r"), "Ledger", 20));
    }

    [Fact]
    public void CompressedText_LongerThanOneBinaryProperty_SpansSeveral()
    {
        // Random letters compress to about 0.6 of their bytes: 200,000 of them need more than one 60,000-byte property.
        var random = new Random(7);
        var text = new string([.. Enumerable.Range(0, 200_000).Select(_ => (char)('a' + random.Next(26)))]);
        var entity = new TableEntity("p", "r");

        var count = TableChunks.WriteCompressed(entity, "E", text, 8);

        Assert.InRange(count, 2, 8);
        Assert.Equal(text, TableChunks.Read(entity, "E", 8));
    }

    [Fact]
    public void TextThatFitsAsCharacters_ButHardlyCompresses_IsStillWritten_AndReadsBack()
    {
        // Random characters from the whole of the plane above the ASCII range (three UTF-8 bytes each, about 16 bits of
        // entropy): 30,000 fit one 30,000-character property; compressed they take about the 60,000 bytes one binary
        // property holds. Whichever form they are written in, they are written and read back.
        var random = new Random(11);
        var text = new string([.. Enumerable.Range(0, 30_000).Select(_ => (char)(0x0800 + random.Next(0xD800 - 0x0800)))]);
        var entity = new TableEntity("p", "r");
        Assert.True(TableChunks.Fits(text, 1));

        var count = TableChunks.WriteCompressed(entity, "E", text, 1);

        Assert.Equal(1, count);
        Assert.Equal(text, TableChunks.Read(entity, "E", 1));
    }

    [Fact]
    public void TryWriteCompressed_WritesNothing_WhenTheBytesDoNotFit()
    {
        // Random letters compress to about 0.6 of their bytes: 200,000 of them do not fit one 60,000-byte property.
        var random = new Random(5);
        var text = new string([.. Enumerable.Range(0, 200_000).Select(_ => (char)('a' + random.Next(26)))]);
        var entity = new TableEntity("p", "r");

        Assert.Equal(0, TableChunks.TryWriteCompressed(entity, "E", text, 1));
        Assert.False(entity.ContainsKey("E0"));
        Assert.InRange(TableChunks.TryWriteCompressed(entity, "E", text, 4), 2, 4);
        Assert.Equal(text, TableChunks.Read(entity, "E", 4));
    }

    [Fact]
    public void TheFirstLine_ReadsAlone_FromCompressedAndFromCharacterChunks()
    {
        var profile = "{\"id\":\"a\",\"name\":\"Ada\"}";
        var ledger = "[" + string.Join(",", Enumerable.Range(0, 500).Select(i => $"{{\"id\":\"p{i}\"}}")) + "]";
        var compressed = new TableEntity("p", "r");
        TableChunks.WriteCompressed(compressed, "Card", profile + "\n" + ledger, 15);
        var characters = new TableEntity("p", "r");
        TableChunks.Write(characters, "Card", profile + "\n" + ledger, 15);

        Assert.Equal(profile, TableChunks.ReadFirstLine(compressed, "Card", 15));
        Assert.Equal(profile, TableChunks.ReadFirstLine(characters, "Card", 15));
        Assert.Equal(profile + "\n" + ledger, TableChunks.Read(compressed, "Card", 15));
    }
}
