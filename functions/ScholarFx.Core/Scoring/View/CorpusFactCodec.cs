using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Novelty;

namespace ScholarFx.Core.Scoring.View;

/// <summary>
/// Corpus facts as log frames: a version byte, a count, then each fact in a fixed binary layout (little-endian).
/// Facts are packed into frames of at most <see cref="Storage.CorpusLog.MaxFrameBytes"/>. Format 2 writes authors and
/// aliases as their 64-bit keys (<see cref="WorkKeys"/>); format 3 adds the citation count and the retraction; format 4
/// the fingerprint of the stored pioneer score; format 5 writes vectors in half precision (two bytes a component, as
/// <see cref="Papers.PaperEmbedding"/> rounds them); frames of formats 1 (names) to 4 are still read (without what came
/// later), their single-precision vectors rounded as an embedding's are.
/// </summary>
public static class CorpusFactCodec
{
    private const byte FormatVersion = 5;
    private const byte PioneerFormat = 4;
    private const byte CitationsFormat = 3;
    private const byte KeysFormat = 2;
    private const byte NamesFormat = 1;

    /// <summary>The facts as frames.</summary>
    public static IEnumerable<byte[]> Encode(IEnumerable<CorpusFact> facts)
    {
        var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        var count = 0;
        void Start()
        {
            stream.SetLength(0);
            writer.Write(FormatVersion);
            writer.Write(0);
            count = 0;
        }

        byte[] Finish()
        {
            writer.Flush();
            var bytes = stream.ToArray();
            BitConverter.TryWriteBytes(bytes.AsSpan(1), count);
            return bytes;
        }

        Start();
        foreach (var fact in facts)
        {
            var before = stream.Length;
            Write(writer, fact);
            count++;
            writer.Flush();
            if (stream.Length > Storage.CorpusLog.MaxFrameBytes)
            {
                if (count == 1)
                {
                    throw new InvalidOperationException($"The corpus fact of {fact.Id} alone exceeds a log frame.");
                }

                // This fact starts the next frame.
                var all = stream.ToArray();
                stream.SetLength(before);
                count--;
                yield return Finish();
                Start();
                stream.Write(all.AsSpan((int)before));
                count = 1;
            }
        }

        if (count > 0)
        {
            yield return Finish();
        }
    }

    /// <summary>The facts of a frame.</summary>
    public static IReadOnlyList<CorpusFact> Decode(byte[] frame)
    {
        using var reader = new BinaryReader(new MemoryStream(frame));
        var version = reader.ReadByte();
        if (version is not FormatVersion and not PioneerFormat and not CitationsFormat and not KeysFormat and not NamesFormat)
        {
            throw new InvalidDataException($"Corpus log frame format {version} is not known to this version of ScholarFx.");
        }

        var count = reader.ReadInt32();
        var facts = new List<CorpusFact>(count);
        for (var i = 0; i < count; i++)
        {
            facts.Add(Read(reader, version));
        }

        return facts;
    }

    private static void Write(BinaryWriter w, CorpusFact f)
    {
        w.Write(f.Id);
        w.Write(f.Published.DayNumber);
        WriteString(w, f.Category);
        WriteKeys(w, f.AuthorKeys);
        WriteKeys(w, f.AliasKeys);
        WriteString(w, f.EmbeddingModel);
        w.Write(f.Vector?.Length ?? -1);
        foreach (var x in f.Vector ?? [])
        {
            w.Write((Half)x);
        }

        w.Write(f.NoveltySettled);
        w.Write(f.AsOf.Epoch);
        w.Write(f.AsOf.Offset);
        WriteDouble(w, f.NoveltyRaw);
        WriteDouble(w, f.Spacing);
        w.Write(f.Neighbours.Count);
        foreach (var n in f.Neighbours)
        {
            w.Write(n.Id);
            w.Write(n.Published);
            w.Write(n.Similarity);
        }

        w.Write(f.NoveltyPrint);
        WriteString(w, f.AiVersion);
        w.Write(f.Rubric is not null);
        if (f.Rubric is { } r)
        {
            w.Write(r.Significance);
            w.Write(r.Evidence);
            w.Write(r.Clarity);
        }

        WriteDouble(w, f.AiRaw);
        w.Write(f.AiPrint);
        w.Write(f.Citations ?? -1);
        w.Write(f.Retracted);
        w.Write(f.PioneerPrint);
    }

    private static CorpusFact Read(BinaryReader r, byte version)
    {
        var id = r.ReadString();
        var published = DateOnly.FromDayNumber(r.ReadInt32());
        var category = ReadString(r);
        var authors = version == NamesFormat ? WorkKeys.Of(ReadStrings(r)) : ReadKeys(r);
        var aliases = version == NamesFormat ? WorkKeys.Of(ReadStrings(r)) : ReadKeys(r);
        var model = ReadString(r);
        var dimensions = r.ReadInt32();
        float[]? vector = null;
        if (dimensions >= 0)
        {
            vector = new float[dimensions];
            for (var i = 0; i < dimensions; i++)
            {
                vector[i] = version >= FormatVersion ? (float)r.ReadHalf() : r.ReadSingle();
            }

            if (version < FormatVersion)
            {
                vector = Papers.PaperEmbedding.HalfPrecision(vector);
            }
        }

        var settled = r.ReadBoolean();
        var asOf = new Storage.LogPosition(r.ReadInt32(), r.ReadInt64());
        var raw = ReadDouble(r);
        var spacing = ReadDouble(r);
        var neighbours = new Neighbour[r.ReadInt32()];
        for (var i = 0; i < neighbours.Length; i++)
        {
            neighbours[i] = new Neighbour(r.ReadString(), r.ReadString(), r.ReadDouble());
        }

        var noveltyPrint = r.ReadUInt64();
        var aiVersion = ReadString(r);
        Rubric? rubric = r.ReadBoolean() ? new Rubric(r.ReadDouble(), r.ReadDouble(), r.ReadDouble()) : null;
        var aiRaw = ReadDouble(r);
        var aiPrint = r.ReadUInt64();
        var citations = version >= CitationsFormat ? r.ReadInt32() : -1;
        var retracted = version >= CitationsFormat && r.ReadBoolean();
        var pioneerPrint = version >= PioneerFormat ? r.ReadUInt64() : 0;
        return new CorpusFact
        {
            Id = id,
            Published = published,
            Category = category,
            AuthorKeys = authors,
            AliasKeys = aliases,
            EmbeddingModel = model,
            Vector = vector,
            NoveltySettled = settled,
            AsOf = asOf,
            NoveltyRaw = raw,
            Spacing = spacing,
            Neighbours = neighbours,
            NoveltyPrint = noveltyPrint,
            AiVersion = aiVersion,
            Rubric = rubric,
            AiRaw = aiRaw,
            AiPrint = aiPrint,
            Citations = citations < 0 ? null : citations,
            Retracted = retracted,
            PioneerPrint = pioneerPrint,
        };
    }

    private static void WriteString(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static string? ReadString(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void WriteKeys(BinaryWriter w, IReadOnlyList<ulong> keys)
    {
        w.Write(keys.Count);
        foreach (var key in keys)
        {
            w.Write(key);
        }
    }

    private static ulong[] ReadKeys(BinaryReader r)
    {
        var keys = new ulong[r.ReadInt32()];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = r.ReadUInt64();
        }

        return keys;
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        var values = new string[r.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadString();
        }

        return values;
    }

    private static void WriteDouble(BinaryWriter w, double? value)
    {
        w.Write(value is not null);
        if (value is { } v)
        {
            w.Write(v);
        }
    }

    private static double? ReadDouble(BinaryReader r) => r.ReadBoolean() ? r.ReadDouble() : null;
}
