using System.Text.Json;

namespace ScholarFx.Core.Scoring;

/// <summary>
/// One score of a paper. A score that could not be computed has a null <see cref="Value"/> and a
/// <see cref="Reason"/>; a computed one names the model and version that produced it.
/// </summary>
public sealed record Score(double? Value, string? Reason, string? Model, string? Version, JsonElement? Details = null)
{
    /// <summary>The state of every score until a scorer computes it.</summary>
    public static Score NotScored { get; } = new(null, "not scored", null, null);

    /// <summary>The raw value its explanation records (<c>details.raw</c>), or null.</summary>
    public double? RawValue() =>
        Details is { ValueKind: JsonValueKind.Object } details && details.TryGetProperty("raw", out var raw) && raw.ValueKind == JsonValueKind.Number
            ? raw.GetDouble()
            : null;

    /// <summary>The explanation (<see cref="Details"/>) read as <typeparamref name="T"/>, or null when there is none.</summary>
    public T? Explanation<T>() where T : class =>
        Details is { ValueKind: JsonValueKind.Object } details ? details.Deserialize<T>(ScholarFxJson.Options) : null;

    /// <summary>A score that could not be computed, with the reason.</summary>
    public static Score Unavailable(string reason, string? model = null, string? version = null) => new(null, reason, model, version);
}
