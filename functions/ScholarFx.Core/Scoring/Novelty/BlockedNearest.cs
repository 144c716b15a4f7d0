using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// Exact top-m search for many queries at once, as blocked matrix products: a tile of candidate vectors stays in
/// cache while every query of a block is compared with it, four queries by two candidates per step of a SIMD
/// micro-kernel. Candidates of a query are a prefix of the date-ordered matrix (strictly earlier papers). Used when
/// a rescore recomputes many neighbourhoods; one query at a time goes through <see cref="NoveltyIndex.Nearest"/>.
/// </summary>
internal static class BlockedNearest
{
    private const int QueryBlock = 256;
    private const int CandidateTile = 256;

    /// <summary>
    /// For each query q (a row of <paramref name="queries"/>, <paramref name="dimensions"/> wide) the indices of its
    /// <paramref name="m"/> most similar rows among <c>candidates[0 .. limits[q])</c>, most similar first; -1 pads.
    /// </summary>
    public static int[][] Search(float[] candidates, float[] queries, int dimensions, int[] limits, int m)
    {
        var queryCount = limits.Length;
        var result = new int[queryCount][];
        var blocks = (queryCount + QueryBlock - 1) / QueryBlock;
        // Later blocks have longer prefixes: start with them so the last block to finish is a short one.
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b =>
        {
            var block = blocks - 1 - b;
            var q0 = block * QueryBlock;
            var q1 = Math.Min(q0 + QueryBlock, queryCount);
            SearchBlock(candidates, queries, dimensions, limits, m, q0, q1, result);
        });
        return result;
    }

    private static void SearchBlock(float[] candidates, float[] queries, int d, int[] limits, int m, int q0, int q1, int[][] result)
    {
        var count = q1 - q0;
        var bestSim = new float[count * m];
        var bestIdx = new int[count * m];
        var filled = new int[count];
        var worst = new float[count];
        Array.Fill(bestSim, float.NegativeInfinity);
        Array.Fill(bestIdx, -1);
        Array.Fill(worst, float.NegativeInfinity);
        var maxLimit = 0;
        for (var q = q0; q < q1; q++)
        {
            maxLimit = Math.Max(maxLimit, limits[q]);
        }

        Span<float> sims = stackalloc float[8];
        Span<float> sims16 = stackalloc float[16];
        for (var c0 = 0; c0 < maxLimit; c0 += CandidateTile)
        {
            var c1 = Math.Min(c0 + CandidateTile, maxLimit);
            var q = q0;
            for (; q + 4 <= q1; q += 4)
            {
                var c = c0;
                if (Wide && d % Vector512<float>.Count == 0)
                {
                    // Below every limit of the four queries no limit check is needed, and a similarity at or under a
                    // query's current k-th best (the usual case) costs one comparison with a local.
                    var shared = Math.Min(c1, Math.Min(Math.Min(limits[q], limits[q + 1]), Math.Min(limits[q + 2], limits[q + 3])));
                    var local = q - q0;
                    float w0 = worst[local], w1 = worst[local + 1], w2 = worst[local + 2], w3 = worst[local + 3];
                    for (; c + 4 <= shared; c += 4)
                    {
                        Kernel4x4(queries, q * d, candidates, c * d, d, sims16);
                        for (var j = 0; j < 4; j++)
                        {
                            if (sims16[j] > w0)
                            {
                                Offer(q, c + j, sims16[j], q0, m, limits, bestSim, bestIdx, filled, worst);
                                w0 = worst[local];
                            }

                            if (sims16[4 + j] > w1)
                            {
                                Offer(q + 1, c + j, sims16[4 + j], q0, m, limits, bestSim, bestIdx, filled, worst);
                                w1 = worst[local + 1];
                            }

                            if (sims16[8 + j] > w2)
                            {
                                Offer(q + 2, c + j, sims16[8 + j], q0, m, limits, bestSim, bestIdx, filled, worst);
                                w2 = worst[local + 2];
                            }

                            if (sims16[12 + j] > w3)
                            {
                                Offer(q + 3, c + j, sims16[12 + j], q0, m, limits, bestSim, bestIdx, filled, worst);
                                w3 = worst[local + 3];
                            }
                        }
                    }
                }

                for (; c + 2 <= c1; c += 2)
                {
                    Kernel4x2(queries, q * d, candidates, c * d, d, sims);
                    for (var i = 0; i < 4; i++)
                    {
                        Offer(q + i, c, sims[i * 2], q0, m, limits, bestSim, bestIdx, filled, worst);
                        Offer(q + i, c + 1, sims[(i * 2) + 1], q0, m, limits, bestSim, bestIdx, filled, worst);
                    }
                }

                for (; c < c1; c++)
                {
                    for (var i = 0; i < 4; i++)
                    {
                        Offer(q + i, c, Dot(queries, (q + i) * d, candidates, c * d, d), q0, m, limits, bestSim, bestIdx, filled, worst);
                    }
                }
            }

            for (; q < q1; q++)
            {
                for (var c = c0; c < Math.Min(c1, limits[q]); c++)
                {
                    Offer(q, c, Dot(queries, q * d, candidates, c * d, d), q0, m, limits, bestSim, bestIdx, filled, worst);
                }
            }
        }

        for (var q = q0; q < q1; q++)
        {
            var local = q - q0;
            result[q] = [.. Enumerable.Range(local * m, m)
                .Where(i => bestIdx[i] >= 0)
                .OrderByDescending(i => bestSim[i]).ThenBy(i => bestIdx[i])
                .Select(i => bestIdx[i])];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(int q, int c, float sim, int q0, int m, int[] limits, float[] bestSim, int[] bestIdx, int[] filled, float[] worst)
    {
        if (c >= limits[q])
        {
            return;
        }

        var local = q - q0;
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

    private static void Kernel4x4(float[] queries, int qOffset, float[] candidates, int cOffset, int d, Span<float> output)
    {
        ref var q = ref queries[qOffset];
        ref var c = ref candidates[cOffset];
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        var n = (nuint)d;
        for (nuint k = 0; k < n; k += (nuint)Vector512<float>.Count)
        {
            var c0 = Vector512.LoadUnsafe(ref c, k);
            var c1 = Vector512.LoadUnsafe(ref c, k + n);
            var c2 = Vector512.LoadUnsafe(ref c, k + (2 * n));
            var c3 = Vector512.LoadUnsafe(ref c, k + (3 * n));
            var x = Vector512.LoadUnsafe(ref q, k);
            a00 = Vector512.FusedMultiplyAdd(x, c0, a00);
            a01 = Vector512.FusedMultiplyAdd(x, c1, a01);
            a02 = Vector512.FusedMultiplyAdd(x, c2, a02);
            a03 = Vector512.FusedMultiplyAdd(x, c3, a03);
            x = Vector512.LoadUnsafe(ref q, k + n);
            a10 = Vector512.FusedMultiplyAdd(x, c0, a10);
            a11 = Vector512.FusedMultiplyAdd(x, c1, a11);
            a12 = Vector512.FusedMultiplyAdd(x, c2, a12);
            a13 = Vector512.FusedMultiplyAdd(x, c3, a13);
            x = Vector512.LoadUnsafe(ref q, k + (2 * n));
            a20 = Vector512.FusedMultiplyAdd(x, c0, a20);
            a21 = Vector512.FusedMultiplyAdd(x, c1, a21);
            a22 = Vector512.FusedMultiplyAdd(x, c2, a22);
            a23 = Vector512.FusedMultiplyAdd(x, c3, a23);
            x = Vector512.LoadUnsafe(ref q, k + (3 * n));
            a30 = Vector512.FusedMultiplyAdd(x, c0, a30);
            a31 = Vector512.FusedMultiplyAdd(x, c1, a31);
            a32 = Vector512.FusedMultiplyAdd(x, c2, a32);
            a33 = Vector512.FusedMultiplyAdd(x, c3, a33);
        }

        output[0] = Vector512.Sum(a00);
        output[1] = Vector512.Sum(a01);
        output[2] = Vector512.Sum(a02);
        output[3] = Vector512.Sum(a03);
        output[4] = Vector512.Sum(a10);
        output[5] = Vector512.Sum(a11);
        output[6] = Vector512.Sum(a12);
        output[7] = Vector512.Sum(a13);
        output[8] = Vector512.Sum(a20);
        output[9] = Vector512.Sum(a21);
        output[10] = Vector512.Sum(a22);
        output[11] = Vector512.Sum(a23);
        output[12] = Vector512.Sum(a30);
        output[13] = Vector512.Sum(a31);
        output[14] = Vector512.Sum(a32);
        output[15] = Vector512.Sum(a33);
    }

    private static float Dot(float[] a, int aOffset, float[] b, int bOffset, int d) =>
        TensorPrimitives.Dot(a.AsSpan(aOffset, d), b.AsSpan(bOffset, d));
}
