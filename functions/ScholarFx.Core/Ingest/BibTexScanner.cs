using System.Text;

namespace ScholarFx.Core.Ingest;

/// <summary>One <c>@type{…}</c> block of a BibTeX file: its type, the text between its delimiters, where it starts, or why it is broken.</summary>
internal sealed record BibTexBlock(string Type, string Body, int Line, string? Problem);

/// <summary>
/// Cuts a BibTeX file into <c>@type{…}</c> blocks as it reads, holding one block (capped) in memory. Text between
/// blocks is a comment, as in BibTeX. A block whose braces do not balance ends, with a problem, where a line starts
/// the next <c>@type{</c>, so one broken entry does not swallow the entries after it.
/// </summary>
internal sealed class BibTexScanner(TextReader reader, int maxBlockChars)
{
    private const int MaxTypeChars = 32;
    private readonly char[] buffer = new char[64 * 1024];
    private int position;
    private int filled;
    private int line = 1;

    /// <summary>The next block, or null at the end of the file.</summary>
    public async ValueTask<BibTexBlock?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Everything up to an '@' is a comment.
            int c;
            while ((c = await PeekAsync(0, cancellationToken).ConfigureAwait(false)) >= 0 && c != '@')
            {
                Take();
            }

            if (c < 0)
            {
                return null;
            }

            var start = line;
            Take();
            var (type, open) = await BlockStartAsync(cancellationToken).ConfigureAwait(false);
            if (open is null)
            {
                // An '@' in running text (an e-mail address in a comment) starts no block.
                continue;
            }

            return await BodyAsync(type, open.Value, start, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>After an '@': the block type (lower case) and its opening delimiter, consumed; null when no block starts here.</summary>
    private async ValueTask<(string Type, char? Open)> BlockStartAsync(CancellationToken cancellationToken)
    {
        if (await TypeAtAsync(0, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return ("", null);
        }

        var type = new string(buffer, position, found.Letters).ToLowerInvariant();
        var open = (char)await PeekAsync(found.Letters + found.Spaces, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i <= found.Letters + found.Spaces; i++)
        {
            Take();
        }

        return (type, open);
    }

    /// <summary>
    /// The block type at <paramref name="offset"/> (its letters and the spaces after them) when '{' or '(' follows;
    /// null otherwise. Needs only a short look-ahead, so it also decides whether a line starts a block.
    /// </summary>
    private async ValueTask<(int Letters, int Spaces)?> TypeAtAsync(int offset, CancellationToken cancellationToken)
    {
        var letters = 0;
        while (letters <= MaxTypeChars && await PeekAsync(offset + letters, cancellationToken).ConfigureAwait(false) is var c && c >= 0 && char.IsAsciiLetter((char)c))
        {
            letters++;
        }

        if (letters == 0 || letters > MaxTypeChars)
        {
            return null;
        }

        var spaces = 0;
        while (spaces < 16 && await PeekAsync(offset + letters + spaces, cancellationToken).ConfigureAwait(false) is ' ' or '\t')
        {
            spaces++;
        }

        return await PeekAsync(offset + letters + spaces, cancellationToken).ConfigureAwait(false) is '{' or '(' ? (letters, spaces) : null;
    }

    private async ValueTask<BibTexBlock> BodyAsync(string type, char open, int start, CancellationToken cancellationToken)
    {
        var close = open == '{' ? '}' : ')';
        var body = new StringBuilder();
        var depth = 0;
        var quoted = false;
        string? problem = null;
        while (true)
        {
            var c = await PeekAsync(0, cancellationToken).ConfigureAwait(false);
            if (c < 0)
            {
                return new BibTexBlock(type, body.ToString(), start, problem ?? "the file ends inside this entry (a brace or quote is not closed)");
            }

            if (c == close && depth == 0 && !quoted)
            {
                Take();
                return new BibTexBlock(type, body.ToString(), start, problem);
            }

            Take();
            switch (c)
            {
                case '{':
                    depth++;
                    break;
                case '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                case '"' when depth == 0:
                    quoted = !quoted;
                    break;
                case '\n' when await StartsBlockAsync(cancellationToken).ConfigureAwait(false):
                    return new BibTexBlock(type, body.ToString(), start, problem ?? $"the entry does not close (a brace or quote is not balanced) before the next entry at line {line}");
            }

            if (body.Length < maxBlockChars)
            {
                body.Append((char)c);
            }
            else
            {
                problem ??= $"the entry is longer than {maxBlockChars:N0} characters";
            }
        }
    }

    /// <summary>Whether the line about to be read starts a block (optional spaces, '@', a type, '{' or '(').</summary>
    private async ValueTask<bool> StartsBlockAsync(CancellationToken cancellationToken)
    {
        var indent = 0;
        while (indent < 16 && await PeekAsync(indent, cancellationToken).ConfigureAwait(false) is ' ' or '\t')
        {
            indent++;
        }

        return await PeekAsync(indent, cancellationToken).ConfigureAwait(false) == '@' &&
            await TypeAtAsync(indent + 1, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The character <paramref name="offset"/> places ahead without consuming it; -1 past the end.</summary>
    private async ValueTask<int> PeekAsync(int offset, CancellationToken cancellationToken)
    {
        if (position + offset >= filled)
        {
            if (position > 0)
            {
                Array.Copy(buffer, position, buffer, 0, filled - position);
                filled -= position;
                position = 0;
            }

            while (offset >= filled)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return -1;
                }

                filled += read;
            }
        }

        return buffer[position + offset];
    }

    /// <summary>Consumes the character <see cref="PeekAsync"/> returned at offset 0.</summary>
    private void Take()
    {
        if (buffer[position++] == '\n')
        {
            line++;
        }
    }
}
