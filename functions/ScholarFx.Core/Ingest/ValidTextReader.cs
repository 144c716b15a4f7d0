using System.Buffers;
using System.Text;
using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// UTF-8 text whose characters an XML reader accepts as text: bytes that are not UTF-8 (a lone surrogate written as
/// bytes among them) decode to U+FFFD, and a noncharacter of the first plane (U+FFFE, U+FDD0…) is replaced by U+FFFD
/// as it is read. <see cref="System.Xml.XmlReader"/> refuses both as not well-formed, which would end a feed at the
/// first one; replaced, they cost one character of one entry, as in every other format.
/// </summary>
internal sealed class ValidTextReader(Stream stream) : TextReader
{
    // Each is one UTF-16 unit, so it is replaced in place whatever the read's boundaries.
    private static readonly SearchValues<char> Noncharacters = SearchValues.Create(
        [.. Enumerable.Range(0xFDD0, 32).Select(c => (char)c), '\uFFFE', '\uFFFF']);

    private readonly StreamReader reader = new(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);

    public override int Peek() => Valid(reader.Peek());

    public override int Read() => Valid(reader.Read());

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer) => Replace(buffer[..reader.Read(buffer)]);

    public override Task<int> ReadAsync(char[] buffer, int index, int count) => ReadAsync(buffer.AsMemory(index, count)).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        var read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Replace(buffer.Span[..read]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            reader.Dispose();
        }

        base.Dispose(disposing);
    }

    private static int Valid(int c) => c >= 0 && ValidText.IsNoncharacter(c) ? ValidText.Replacement : c;

    private static int Replace(Span<char> read)
    {
        var at = read.IndexOfAny(Noncharacters);
        while (at >= 0)
        {
            read[at] = ValidText.Replacement;
            var next = read[(at + 1)..].IndexOfAny(Noncharacters);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return read.Length;
    }
}
