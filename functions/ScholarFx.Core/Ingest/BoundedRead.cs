namespace ScholarFx.Core.Ingest;

/// <summary>
/// Reads a whole stream into memory only up to a bound, so what a user sends can never grow a buffer past it: the
/// single-document JSON reader, the identity corrections reader and the draft check each read through it.
/// </summary>
internal static class BoundedRead
{
    /// <summary>The stream's bytes, or null as soon as they pass <paramref name="maxBytes"/> (the rest is not read).</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAllAsync(Stream content, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
