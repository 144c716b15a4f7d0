using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// Exact top-m search for many queries at once, as blocked matrix products: a tile of candidate vectors stays in
/// cache while every query of a block is compared with it. Rows are decoded into floats one tile at a time. With
/// AVX-512 a tile is packed in panels of 16 (dimension-major) and a micro-kernel compares four queries with 32
/// candidates per step; elsewhere four queries by two candidate rows. Candidates of a query are a prefix of the
/// date-ordered matrix (strictly earlier papers). Used when a rescore recomputes many neighbourhoods; one query at a
/// time goes through <see cref="NoveltyIndex.Nearest"/>.
/// </summary>
internal static class BlockedNearest
{
    private const int QueryBlock = 256;
    private const int CandidateTile = 256;

    /// <summary>Writes row <c>row</c> of a matrix (<c>into.Length</c> wide) into <c>into</c>.</summary>
    public delegate void RowSource(int row, Span<float> into);

    /// <summary>
    /// For each query q (row q of <paramref name="queries"/>, <paramref name="dimensions"/> wide) the indices of its
    /// <paramref name="m"/> most similar rows among candidate rows <c>[0 .. limits[q])</c>, most similar first; -1 pads.
    /// Rows are read through <see cref="RowSource"/> one tile at a time, so the search holds a block of queries and a
    /// tile of candidates as floats however large the corpus (the view keeps 8-bit codes, <see cref="Int8Vector"/>).
    /// </summary>
    public static int[][] Search(int candidateCount, RowSource candidates, RowSource queries, int dimensions, int[] limits, int m)
    {
        var queryCount = limits.Length;
        var result = new int[queryCount][];
        var wide = Wide && dimensions % Vector512<float>.Count == 0;
        var blocks = (queryCount + QueryBlock - 1) / QueryBlock;
        // Later blocks have longer prefixes: start with them so the last block to finish is a short one.
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b =>
        {
            var q0 = (blocks - 1 - b) * QueryBlock;
            var q1 = Math.Min(q0 + QueryBlock, queryCount);
            // The kernels take queries four at a time: a block is padded with zero queries that read no candidate.
            var padded = (q1 - q0 + 3) / 4 * 4;
            var block = new float[padded * dimensions];
            var blockLimits = new int[padded];
            for (var q = q0; q < q1; q++)
            {
                queries(q, block.AsSpan((q - q0) * dimensions, dimensions));
                blockLimits[q - q0] = Math.Min(limits[q], candidateCount);
            }

            var found = wide
                ? SearchBlockPanels(candidates, block, dimensions, blockLimits, m)
                : SearchBlock(candidates, block, dimensions, blockLimits, m);
            Array.Copy(found, 0, result, q0, q1 - q0);
        });
        return result;
    }

    /// <summary>Search over plain float rows (the validity harness and benchmarks).</summary>
    public static int[][] Search(IReadOnlyList<float[]> candidates, float[] queries, int dimensions, int[] limits, int m) =>
        Search(candidates.Count, (row, into) => candidates[row].CopyTo(into), (row, into) => queries.AsSpan(row * dimensions, dimensions).CopyTo(into), dimensions, limits, m);

    private const int Panel = 16;

    /// <summary>
    /// Candidate rows <c>[c0, c1)</c> into <paramref name="tile"/> in panels of <see cref="Panel"/>, each dimension-major;
    /// rows past <paramref name="c1"/> up to the tile's end are zero.
    /// </summary>
    private static void Pack(RowSource candidates, int c0, int c1, int d, float[] tile, float[] row)
    {
        Array.Clear(tile);
        for (var c = c0; c < c1; c++)
        {
            candidates(c, row);
            var local = c - c0;
            var start = (local / Panel * d * Panel) + (local % Panel);
            for (var k = 0; k < d; k++)
            {
                tile[start + (k * Panel)] = row[k];
            }
        }
    }

    private static int[][] SearchBlockPanels(RowSource candidates, float[] queries, int d, int[] limits, int m)
    {
        var count = limits.Length;
        var (bestSim, bestIdx, filled, worst, maxLimit) = Start(limits, m);
        var tile = new float[CandidateTile * d];
        var row = new float[d];
        Span<Vector512<float>> sims = stackalloc Vector512<float>[8];
        for (var c0 = 0; c0 < maxLimit; c0 += CandidateTile)
        {
            var c1 = Math.Min(c0 + CandidateTile, maxLimit);
            Pack(candidates, c0, c1, d, tile, row);
            for (var q = 0; q < count; q += 4)
            {
                var reach = Math.Min(c1, Math.Max(Math.Max(limits[q], limits[q + 1]), Math.Max(limits[q + 2], limits[q + 3])));
                for (var c = c0; c < reach; c += 2 * Panel)
                {
                    Kernel4x32(queries, q * d, tile, (c - c0) * d, d, sims);
                    for (var i = 0; i < 4; i++)
                    {
                        var threshold = Vector512.Create(worst[q + i]);
                        var mask = Vector512.GreaterThan(sims[2 * i], threshold).ExtractMostSignificantBits() |
                            ((ulong)Vector512.GreaterThan(sims[(2 * i) + 1], threshold).ExtractMostSignificantBits() << Panel);
                        while (mask != 0)
                        {
                            var j = System.Numerics.BitOperations.TrailingZeroCount(mask);
                            mask &= mask - 1;
                            Offer(q + i, c + j, sims[(2 * i) + (j / Panel)].GetElement(j % Panel), m, limits, bestSim, bestIdx, filled, worst);
                        }
                    }
                }
            }
        }

        return Finish(count, m, bestSim, bestIdx);
    }

    /// <summary>Four queries against two panels (32 candidates): 8 accumulators of 16 similarities each.</summary>
    private static void Kernel4x32(float[] queries, int qOffset, float[] packed, int pOffset, int d, Span<Vector512<float>> output)
    {
        ref var q = ref queries[qOffset];
        ref var c = ref packed[pOffset];
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector512<float> a20 = default, a21 = default, a30 = default, a31 = default;
        var n = (nuint)d;
        var second = n * Panel;
        for (nuint k = 0; k < n; k++)
        {
            var c0 = Vector512.LoadUnsafe(ref c, k * Panel);
            var c1 = Vector512.LoadUnsafe(ref c, second + (k * Panel));
            var x = Vector512.Create(Unsafe.Add(ref q, k));
            a00 = Vector512.FusedMultiplyAdd(x, c0, a00);
            a01 = Vector512.FusedMultiplyAdd(x, c1, a01);
            x = Vector512.Create(Unsafe.Add(ref q, k + n));
            a10 = Vector512.FusedMultiplyAdd(x, c0, a10);
            a11 = Vector512.FusedMultiplyAdd(x, c1, a11);
            x = Vector512.Create(Unsafe.Add(ref q, k + (2 * n)));
            a20 = Vector512.FusedMultiplyAdd(x, c0, a20);
            a21 = Vector512.FusedMultiplyAdd(x, c1, a21);
            x = Vector512.Create(Unsafe.Add(ref q, k + (3 * n)));
            a30 = Vector512.FusedMultiplyAdd(x, c0, a30);
            a31 = Vector512.FusedMultiplyAdd(x, c1, a31);
        }

        output[0] = a00;
        output[1] = a01;
        output[2] = a10;
        output[3] = a11;
        output[4] = a20;
        output[5] = a21;
        output[6] = a30;
        output[7] = a31;
    }

    /// <summary>The per-query top-m state of a block, and the longest prefix any of its queries reads.</summary>
    private static (float[] BestSim, int[] BestIdx, int[] Filled, float[] Worst, int MaxLimit) Start(int[] limits, int m)
    {
        var count = limits.Length;
        var bestSim = new float[count * m];
        var bestIdx = new int[count * m];
        var worst = new float[count];
        Array.Fill(bestSim, float.NegativeInfinity);
        Array.Fill(bestIdx, -1);
        Array.Fill(worst, float.NegativeInfinity);
        return (bestSim, bestIdx, new int[count], worst, limits.Length == 0 ? 0 : limits.Max());
    }

    /// <summary>Each query's kept candidates, most similar first (ties by index).</summary>
    private static int[][] Finish(int count, int m, float[] bestSim, int[] bestIdx)
    {
        var result = new int[count][];
        for (var q = 0; q < count; q++)
        {
            result[q] = [.. Enumerable.Range(q * m, m)
                .Where(i => bestIdx[i] >= 0)
                .OrderByDescending(i => bestSim[i]).ThenBy(i => bestIdx[i])
                .Select(i => bestIdx[i])];
        }

        return result;
    }

    private static int[][] SearchBlock(RowSource candidates, float[] queries, int d, int[] limits, int m)
    {
        var count = limits.Length;
        var (bestSim, bestIdx, filled, worst, maxLimit) = Start(limits, m);
        var tile = new float[CandidateTile * d];
        Span<float> sims = stackalloc float[8];
        for (var c0 = 0; c0 < maxLimit; c0 += CandidateTile)
        {
            var c1 = Math.Min(c0 + CandidateTile, maxLimit);
            for (var c = c0; c < c1; c++)
            {
                candidates(c, tile.AsSpan((c - c0) * d, d));
            }

            for (var q = 0; q < count; q += 4)
            {
                var c = c0;
                for (; c + 2 <= c1; c += 2)
                {
                    Kernel4x2(queries, q * d, tile, (c - c0) * d, d, sims);
                    for (var i = 0; i < 4; i++)
                    {
                        Offer(q + i, c, sims[i * 2], m, limits, bestSim, bestIdx, filled, worst);
                        Offer(q + i, c + 1, sims[(i * 2) + 1], m, limits, bestSim, bestIdx, filled, worst);
                    }
                }

                for (; c < c1; c++)
                {
                    for (var i = 0; i < 4; i++)
                    {
                        Offer(q + i, c, Dot(queries, (q + i) * d, tile, (c - c0) * d, d), m, limits, bestSim, bestIdx, filled, worst);
                    }
                }
            }
        }

        return Finish(count, m, bestSim, bestIdx);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(int q, int c, float sim, int m, int[] limits, float[] bestSim, int[] bestIdx, int[] filled, float[] worst)
    {
        if (c >= limits[q])
        {
            return;
        }

        var local = q;
        if (filled[local] == m && sim <= worst[local])
        {
            return;
        }

        var start = local * m;
        int slot;
        if (filled[local] < m)
        {
            slot = start + filled[local]++;
        }
        else
        {
            slot = start;
            for (var i = start + 1; i < start + m; i++)
            {
                if (bestSim[i] < bestSim[slot])
                {
                    slot = i;
                }
            }
        }

        bestSim[slot] = sim;
        bestIdx[slot] = c;
        if (filled[local] == m)
        {
            var min = float.PositiveInfinity;
            for (var i = start; i < start + m; i++)
            {
                min = Math.Min(min, bestSim[i]);
            }

            worst[local] = min;
        }
    }

    /// <summary>Dot products of four query rows with two candidate rows (8 accumulators stay in registers).</summary>
    private static void Kernel4x2(float[] queries, int qOffset, float[] candidates, int cOffset, int d, Span<float> output)
    {
        if (!Vector256.IsHardwareAccelerated || d % Vector256<float>.Count != 0)
        {
            for (var i = 0; i < 4; i++)
            {
                output[i * 2] = Dot(queries, qOffset + (i * d), candidates, cOffset, d);
                output[(i * 2) + 1] = Dot(queries, qOffset + (i * d), candidates, cOffset + d, d);
            }

            return;
        }

        ref var q = ref queries[qOffset];
        ref var c = ref candidates[cOffset];
        Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
        var step = Vector256<float>.Count;
        for (nuint k = 0; k < (nuint)d; k += (nuint)step)
        {
            var c0 = Vector256.LoadUnsafe(ref c, k);
            var c1 = Vector256.LoadUnsafe(ref c, k + (nuint)d);
            var x0 = Vector256.LoadUnsafe(ref q, k);
            a00 = Vector256.FusedMultiplyAdd(x0, c0, a00);
            a01 = Vector256.FusedMultiplyAdd(x0, c1, a01);
            var x1 = Vector256.LoadUnsafe(ref q, k + (nuint)d);
            a10 = Vector256.FusedMultiplyAdd(x1, c0, a10);
            a11 = Vector256.FusedMultiplyAdd(x1, c1, a11);
            var x2 = Vector256.LoadUnsafe(ref q, k + (nuint)(2 * d));
            a20 = Vector256.FusedMultiplyAdd(x2, c0, a20);
            a21 = Vector256.FusedMultiplyAdd(x2, c1, a21);
            var x3 = Vector256.LoadUnsafe(ref q, k + (nuint)(3 * d));
            a30 = Vector256.FusedMultiplyAdd(x3, c0, a30);
            a31 = Vector256.FusedMultiplyAdd(x3, c1, a31);
        }

        output[0] = Vector256.Sum(a00);
        output[1] = Vector256.Sum(a01);
        output[2] = Vector256.Sum(a10);
        output[3] = Vector256.Sum(a11);
        output[4] = Vector256.Sum(a20);
        output[5] = Vector256.Sum(a21);
        output[6] = Vector256.Sum(a30);
        output[7] = Vector256.Sum(a31);
    }

    /// <summary>AVX-512 where the processor has it: 4 queries × 4 candidates, 16 accumulators (of 32 registers).</summary>
    private static readonly bool Wide = Vector512.IsHardwareAccelerated;

    private static float Dot(float[] a, int aOffset, float[] b, int bOffset, int d) =>
        TensorPrimitives.Dot(a.AsSpan(aOffset, d), b.AsSpan(bOffset, d));
}
