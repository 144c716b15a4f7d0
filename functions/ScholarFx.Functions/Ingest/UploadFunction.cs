using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Profiles;
using ScholarFx.Functions.Http;

namespace ScholarFx.Functions.Ingest;

/// <summary>Accepts abstract files over HTTP for curators without storage access.</summary>
public sealed class UploadFunction(IAbstractUploads uploads, IOptions<ApiOptions> api)
{
    /// <summary>
    /// POST /api/abstracts[?name=file.jsonl]: stores the body in the abstracts container (Ingest picks it up) and
    /// answers 202 with the Location of its receipt; 413 problem JSON past <c>Api__MaxUploadBytes</c>.
    /// </summary>
    [Function(nameof(UploadAbstracts))]
    public async Task<IActionResult> UploadAbstracts(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/abstracts")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var result = await uploads.StoreAsync(request.Body, request.ContentLength, request.Query["name"].ToString(), cancellationToken);
        if (result.TooLarge)
        {
            return ApiResults.Problem(request, StatusCodes.Status413PayloadTooLarge, "Payload too large",
                $"Uploads are limited to {api.Value.MaxUploadBytes:N0} bytes; put larger files into the abstracts container directly.", api.Value);
        }

        var receipt = "/api/receipts/" + Uri.EscapeDataString(result.BlobName!);
        return new AcceptedResult(receipt, new Http.Bodies.UploadAccepted(result.BlobName!, receipt));
    }
}
