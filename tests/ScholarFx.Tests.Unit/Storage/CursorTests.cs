using ScholarFx.Core.Storage;

namespace ScholarFx.Tests.Unit.Storage;

public sealed class CursorTests
{
    [Theory]
    [InlineData("1!8!cF8yMDI0!")]
    [InlineData("partition row/with?chars#")]
    [InlineData("李娜")]
    public void TryDecode_ReturnsContinuationToken_OfEncodedCursor(string continuation)
    {
        var cursor = Cursor.Encode(continuation);

        var ok = Cursor.TryDecode(cursor, out var decoded);

        Assert.True(ok);
        Assert.Equal(continuation, decoded);
    }

    [Fact]
    public void Encode_GivesUrlSafeText()
    {
        var cursor = Cursor.Encode("??>>~~ partition/row+key");

        Assert.NotNull(cursor);
        Assert.Matches("^[A-Za-z0-9_-]+$", cursor);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Encode_ReturnsNull_AtTheEnd(string? continuation)
    {
        var cursor = Cursor.Encode(continuation);

        Assert.Null(cursor);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void TryDecode_AcceptsNoCursor_AsFirstPage(string? cursor)
    {
        var ok = Cursor.TryDecode(cursor, out var continuation);

        Assert.True(ok);
        Assert.Null(continuation);
    }

    [Theory]
    [InlineData("not a cursor!")]
    [InlineData("abc=def")]
    [InlineData("%%%")]
    [InlineData("a")]
    public void TryDecode_RejectsGarbage(string cursor)
    {
        var ok = Cursor.TryDecode(cursor, out var continuation);

        Assert.False(ok);
        Assert.Null(continuation);
    }

    [Fact]
    public void TryDecode_RejectsOverlongCursor()
    {
        var ok = Cursor.TryDecode(new string('A', 4100), out _);

        Assert.False(ok);
    }
}
