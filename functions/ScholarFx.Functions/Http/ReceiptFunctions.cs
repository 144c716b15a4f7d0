using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Profiles;

namespace ScholarFx.Functions.Http;

/// <summary>Operators' view of what happened to input files.</summary>
public sealed class ReceiptFunctions(IReceiptQueries receipts, IOptions<ApiOptions> api)
{
    /// <summary>GET /api/receipts/{blobName}: status, counts and errors (with line numbers) of an input file.</summary>
    [Function(nameof(GetReceipt))]
    public async Task<IActionResult> GetReceipt(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/receipts/{*receiptId}")] HttpRequest request,
        string receiptId,
        CancellationToken cancellationToken)
    {
        var id = ApiResults.RouteValue(receiptId ?? "");
        if (id.Length > 0 && InputBlobNames.Problem(id) is { } problem)
        {
            return ApiResults.BadRequest(request, problem, api.Value);
        }

        var receipt = id.Length == 0 ? null : await receipts.GetAsync(id, cancellationToken);
        return receipt is null
            ? ApiResults.NotFound(request, $"No input file '{id}' in the abstracts container and no receipt for it.", api.Value)
            : ApiResults.Json(request, receipt, api.Value, cacheable: false);
    }
}
