using System.Text;

namespace ScholarFx.Core.Ingest;

/// <summary>
/// Reads lines from a stream with a cap on line length, so one enormous line costs at most
/// <c>maxLineChars</c> of memory and is reported instead of exhausting the process.
/// </summary>
internal sealed class LineReader(Stream stream, int maxLineChars)
{
    private readonly StreamReader reader = new(stream, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
    private readonly char[] buffer = new char[64 * 1024];
    private int position;
    private int filled;

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line (without its terminator), or null at the end; <c>TooLong</c> when it exceeded the cap (its text is dropped).</summary>
    public async ValueTask<(string? Line, bool TooLong)> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var tooLong = false;
        var sawAny = false;
        while (true)
        {
            if (position == filled)
            {
                filled = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                position = 0;
                if (filled == 0)
                {
                    if (!sawAny)
                    {
                        return (null, false);
                    }

                    LineNumber++;
                    return (tooLong ? null : TrimCr(line), tooLong);
                }
            }

            sawAny = true;
            var span = buffer.AsSpan(position, filled - position);
            var newline = span.IndexOf('\n');
            var take = newline < 0 ? span : span[..newline];
            if (!tooLong)
            {
                if (line.Length + take.Length > maxLineChars)
                {
                    tooLong = true;
                    line.Clear();
                }
                else
                {
                    line.Append(take);
                }
            }

            if (newline >= 0)
            {
                position += newline + 1;
                LineNumber++;
                return (tooLong ? null : TrimCr(line), tooLong);
            }

            position = filled;
        }
    }

    private static string TrimCr(StringBuilder line)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }

        return line.ToString();
    }
}
