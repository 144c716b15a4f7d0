using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Scoring.Ai;

/// <summary>
/// Azure OpenAI assessments kept per content hash + model + prompt version (table <c>AiAssessments</c>): the same
/// text under the same model and prompt is never paid for twice, across papers, instances and rescores.
/// </summary>
public sealed class AssessmentCache(ScholarFxStorage storage)
{
    /// <summary>The stored assessment of this text by this model and prompt, or null.</summary>
    public async Task<AiAssessment?> GetAsync(string model, string promptVersion, string contentHash, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = await storage.AiAssessments.GetEntityIfExistsAsync<TableEntity>(Partition(model, promptVersion), contentHash, ["Assessment"], cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetString("Assessment") is { } json
            ? JsonSerializer.Deserialize<AiAssessment>(json, ScholarFxJson.Options)
            : null;
    }

    /// <summary>Stores an assessment (the last writer wins; both wrote the same model's answer to the same text).</summary>
    public async Task PutAsync(AiAssessment assessment, CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(Partition(assessment.Model, assessment.PromptVersion), assessment.ContentHash)
        {
            ["Model"] = assessment.Model,
            ["PromptVersion"] = assessment.PromptVersion,
            ["Assessment"] = JsonSerializer.Serialize(assessment, ScholarFxJson.Options),
        };
        await storage.AiAssessments.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    // One partition per model + prompt version; hashed because deployment names may hold characters keys forbid.
    private static string Partition(string model, string promptVersion) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(model + "\n" + promptVersion)))[..32];
}
