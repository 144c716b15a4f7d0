using System.Security.Cryptography;
using System.Text;
using ScholarFx.Core.Scoring.Embeddings;

namespace ScholarFx.Validity;

/// <summary>
/// Embeddings of texts, kept in an append-only file keyed by SHA-256 of model and text, so the harness encodes a
/// corpus once (MiniLM needs about 20 minutes for 32k abstracts on 2 cores) and later runs read it in seconds.
/// An interrupted run keeps what it wrote. Without a path it only caches in memory.
/// </summary>
public sealed class EmbeddingCache(ITextEmbedder embedder, string? path, Action<string>? progress = null)
{
    private const int Chunk = 256;
    private readonly Dictionary<string, float[]> vectors = Load(path);

    /// <summary>The model the vectors come from.</summary>
    public string Model => embedder.Model;

    /// <summary>Vectors of the texts, in order; texts not yet cached are encoded (and appended to the file).</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var keys = texts.Select(t => Key(embedder.Model, t)).ToArray();
        var missing = Enumerable.Range(0, texts.Count).Where(i => !vectors.ContainsKey(keys[i])).DistinctBy(i => keys[i]).ToList();
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var done = 0; done < missing.Count; done += Chunk)
        {
            var chunk = missing.Skip(done).Take(Chunk).ToList();
            var encoded = await embedder.EmbedAsync([.. chunk.Select(i => texts[i])], cancellationToken).ConfigureAwait(false);
            Append(chunk.Select((i, j) => (keys[i], encoded[j])));
            var total = done + chunk.Count;
            progress?.Invoke($"encoded {total:N0} of {missing.Count:N0} texts with {embedder.Model} ({total / started.Elapsed.TotalSeconds:F1}/s)");
        }

        return [.. keys.Select(k => vectors[k])];
    }

    private void Append(IEnumerable<(string Key, float[] Vector)> items)
    {
        var list = items.ToList();
        foreach (var (key, vector) in list)
        {
            vectors[key] = vector;
        }

        if (path is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var writer = new BinaryWriter(File.Open(path, FileMode.Append, FileAccess.Write));
        foreach (var (key, vector) in list)
        {
            writer.Write(key);
            writer.Write(vector.Length);
            foreach (var x in vector)
            {
                writer.Write(x);
            }
        }
    }

    private static Dictionary<string, float[]> Load(string? path)
    {
        var loaded = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (path is null || !File.Exists(path))
        {
            return loaded;
        }

        long whole = 0;
        using (var reader = new BinaryReader(File.OpenRead(path)))
        {
            try
            {
                while (reader.BaseStream.Position < reader.BaseStream.Length)
                {
                    var key = reader.ReadString();
                    var vector = new float[reader.ReadInt32()];
                    for (var i = 0; i < vector.Length; i++)
                    {
                        vector[i] = reader.ReadSingle();
                    }

                    loaded[key] = vector;
                    whole = reader.BaseStream.Position;
                }
            }
            catch (EndOfStreamException)
            {
                // A run killed mid-write leaves a torn last record; everything before it is whole.
            }
        }

        using (var file = File.Open(path, FileMode.Open, FileAccess.Write))
        {
            // Cut a torn record off, so appending starts on a record boundary.
            if (file.Length > whole)
            {
                file.SetLength(whole);
            }
        }

        return loaded;
    }

    private static string Key(string model, string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(model + "\n" + text)));
}
