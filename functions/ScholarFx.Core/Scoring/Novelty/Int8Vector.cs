using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScholarFx.Core.Scoring.Novelty;

/// <summary>
/// The 8-bit form in which the corpus view keeps a vector (docs/scale.md, Memory per paper): each component scaled by
/// 127 / (largest magnitude) and rounded, plus the inverse norm of the codes. The similarity of two vectors is the
/// cosine of their codes: an exact integer dot product times both inverse norms, so it does not depend on the order of
/// summation, the processor's vector width or the instance — every instance ranks the same numbers — and a vector's
/// similarity with itself is 1. 384 dimensions take 384 bytes instead of 1,536.
/// </summary>
internal static class Int8Vector
{
    /// <summary>The codes of a vector and their inverse norm (0 for a zero vector).</summary>
    public static (sbyte[] Codes, float InverseNorm) Quantize(ReadOnlySpan<float> vector)
    {
        var largest = 0f;
        foreach (var x in vector)
        {
            largest = Math.Max(largest, Math.Abs(x));
        }

        var codes = new sbyte[vector.Length];
        if (largest == 0 || !float.IsFinite(largest))
        {
            return (codes, 0);
        }

        var scale = 127.0 / largest;
        long squares = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            var code = (sbyte)Math.Clamp(Math.Round(vector[i] * scale, MidpointRounding.ToEven), -127, 127);
            codes[i] = code;
            squares += code * code;
        }

        return (codes, (float)(1 / Math.Sqrt(squares)));
    }

    /// <summary>The cosine of two coded vectors.</summary>
    public static float Similarity(sbyte[] a, float aInverseNorm, sbyte[] b, float bInverseNorm) =>
        (float)(Dot(a, b) * ((double)aInverseNorm * bInverseNorm));

    /// <summary>Writes the unit vector the codes stand for (code × inverse norm) into <paramref name="into"/>.</summary>
    public static void Decode(sbyte[] codes, float inverseNorm, Span<float> into)
    {
        for (var i = 0; i < codes.Length; i++)
        {
            into[i] = codes[i] * inverseNorm;
        }
    }

    /// <summary>The exact integer dot product of two code vectors of equal length.</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Vectors of {a.Length} and {b.Length} dimensions cannot be compared.", nameof(b));
        }

        var sum = 0;
        var i = 0;
        if (Avx2.IsSupported && a.Length >= Vector256<sbyte>.Count)
        {
            // Widen 32 codes to two vectors of 16-bit values, multiply and add adjacent pairs into 32-bit lanes
            // (|code| ≤ 127, so a pair sums to at most 32,258 and the lanes cannot overflow for any real dimension).
            var accumulator = Vector256<int>.Zero;
            for (; i + Vector256<sbyte>.Count <= a.Length; i += Vector256<sbyte>.Count)
            {
                var (aLow, aHigh) = Vector256.Widen(Vector256.Create(a.Slice(i, Vector256<sbyte>.Count)));
                var (bLow, bHigh) = Vector256.Widen(Vector256.Create(b.Slice(i, Vector256<sbyte>.Count)));
                accumulator += Avx2.MultiplyAddAdjacent(aLow, bLow) + Avx2.MultiplyAddAdjacent(aHigh, bHigh);
            }

            sum = Vector256.Sum(accumulator);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
