using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>Paging a table query for an API page.</summary>
public static class TablePages
{
    /// <summary>Empty pages with a continuation followed before answering with an empty page.</summary>
    public const int MaxEmptyPages = 10;

    /// <summary>
    /// The first page of <paramref name="query"/> from <paramref name="continuationToken"/> that has rows (or is the
    /// last): the service may answer a filtered query with empty pages and a continuation, which a caller asking for a
    /// page of results should not see. After <see cref="MaxEmptyPages"/> empty ones, an empty page and where to go on.
    /// </summary>
    public static async Task<(IReadOnlyList<TableEntity> Rows, string? ContinuationToken)> FirstWithRowsAsync(
        Azure.AsyncPageable<TableEntity> query, string? continuationToken, int top)
    {
        var token = continuationToken;
        for (var attempt = 0; attempt < MaxEmptyPages; attempt++)
        {
            await foreach (var page in query.AsPages(token, top).ConfigureAwait(false))
            {
                if (page.Values.Count > 0 || page.ContinuationToken is null)
                {
                    return (page.Values, page.ContinuationToken);
                }

                token = page.ContinuationToken;
                break;
            }
        }

        return ([], token);
    }
}
