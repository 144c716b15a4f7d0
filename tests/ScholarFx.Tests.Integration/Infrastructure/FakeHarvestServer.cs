using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScholarFx.LocalHost;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>
/// A local fake of arXiv's OAI-PMH interface (<c>/oai</c>) and OpenAlex's <c>/works</c> (Kestrel on 127.0.0.1, port 0),
/// answering in their documented shapes: OAI-PMH <c>ListRecords</c> pages continued by <c>resumptionToken</c> (empty on
/// the last page), <c>noRecordsMatch</c> and <c>badResumptionToken</c> errors; OpenAlex <c>{ meta, results }</c> pages
/// continued by <c>meta.next_cursor</c> (null on the last). Faults are scripted per page: a 503 or 429 with
/// Retry-After, a truncated body. Every request is recorded with the time of the given clock.
/// </summary>
internal sealed class FakeHarvestServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeRequest> requests = new();
    private readonly ConcurrentDictionary<(string Source, int Page), ConcurrentQueue<FakeFault>> faults = new();
    private readonly TimeProvider clock;
    private WebApplication? server;

    private FakeHarvestServer(TimeProvider clock) => this.clock = clock;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The arXiv pages, each a list of papers.</summary>
    public IReadOnlyList<IReadOnlyList<FakePaper>> ArxivPages { get; set; } = [];

    /// <summary>The OpenAlex pages.</summary>
    public IReadOnlyList<IReadOnlyList<FakePaper>> OpenAlexPages { get; set; } = [];

    /// <summary>Called with each request before it is answered (a test cancels a run here).</summary>
    public Action<FakeRequest>? OnRequest { get; set; }

    public IReadOnlyList<FakeRequest> Requests => [.. requests];

    public static async Task<FakeHarvestServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeHarvestServer(clock);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        fake.server = builder.Build();
        fake.server.MapGet("/oai", fake.OaiAsync);
        fake.server.MapGet("/works", fake.WorksAsync);
        await fake.server.StartAsync();
        fake.BaseAddress = LocalFunctionHost.BaseAddress(fake.server);
        return fake;
    }

    /// <summary>The next request for <paramref name="page"/> (0-based) of <paramref name="source"/> gets <paramref name="fault"/>.</summary>
    public void Fail(string source, int page, FakeFault fault) => faults.GetOrAdd((source, page), _ => new()).Enqueue(fault);

    public static string ArxivToken(int page) => $"{page}|1001";

    public static string OpenAlexCursor(int page) => $"IlsxNjA5MzcyODAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcvVz{page}']";

    private async Task OaiAsync(HttpContext context)
    {
        var query = context.Request.Query;
        int page;
        if (query.TryGetValue("resumptionToken", out var token))
        {
            page = Enumerable.Range(1, Math.Max(0, ArxivPages.Count - 1)).FirstOrDefault(p => ArxivToken(p) == token, -1);
            if (page < 0)
            {
                await AnswerAsync(context, "arxiv", -1, "application/xml", Oai("<error code=\"badResumptionToken\">The value of the resumptionToken argument is invalid or expired.</error>"));
                return;
            }
        }
        else
        {
            page = 0;
        }

        if (ArxivPages.Count == 0)
        {
            await AnswerAsync(context, "arxiv", 0, "application/xml", Oai("<error code=\"noRecordsMatch\">The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.</error>"));
            return;
        }

        var body = new StringBuilder("<ListRecords>");
        foreach (var paper in ArxivPages[page])
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <record><header><identifier>oai:arXiv.org:{paper.Id}</identifier><datestamp>{paper.Published:yyyy-MM-dd}</datestamp><setSpec>cs</setSpec></header>
                <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">
                <id>{paper.Id}</id><created>{paper.Published:yyyy-MM-dd}</created><updated>{paper.Published:yyyy-MM-dd}</updated>
                <authors><author><keyname>{Xml(paper.Surname)}</keyname><forenames>{Xml(paper.Forenames)}</forenames></author></authors>
                <title>{Xml(paper.Title)}</title><categories>cs.LG cs.AI</categories>
                <license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license>
                <abstract>  {Xml(paper.Abstract)}</abstract></arXiv></metadata></record>

                """);
        }

        var last = page == ArxivPages.Count - 1;
        var total = ArxivPages.Sum(p => p.Count);
        body.Append(CultureInfo.InvariantCulture, $"<resumptionToken cursor=\"{ArxivPages.Take(page).Sum(p => p.Count)}\" completeListSize=\"{total}\">{(last ? "" : ArxivToken(page + 1))}</resumptionToken></ListRecords>");
        await AnswerAsync(context, "arxiv", page, "application/xml", Oai(body.ToString()));
    }

    private async Task WorksAsync(HttpContext context)
    {
        var cursor = context.Request.Query["cursor"].ToString();
        var page = cursor == "*" ? 0 : Enumerable.Range(1, Math.Max(0, OpenAlexPages.Count - 1)).FirstOrDefault(p => OpenAlexCursor(p) == cursor, -1);
        if (page < 0)
        {
            await AnswerAsync(context, "openalex", -1, "application/json", """{"error":"Invalid cursor","message":"cursor is not valid"}""", StatusCodes.Status400BadRequest);
            return;
        }

        var works = page < OpenAlexPages.Count ? OpenAlexPages[page] : [];
        var last = page >= OpenAlexPages.Count - 1;
        var document = new
        {
            meta = new { count = OpenAlexPages.Sum(p => p.Count), db_response_time_ms = 12, page = (int?)null, per_page = 200, next_cursor = last ? null : OpenAlexCursor(page + 1), groups_count = (int?)null },
            results = works.Select(w => new
            {
                id = "https://openalex.org/W" + w.Id.Replace(".", "", StringComparison.Ordinal),
                doi = (string?)null,
                title = w.Title,
                display_name = w.Title,
                publication_year = w.Published.Year,
                publication_date = w.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ids = new { openalex = "https://openalex.org/W" + w.Id.Replace(".", "", StringComparison.Ordinal) },
                primary_topic = new { id = "https://openalex.org/T10028", display_name = "Topic Modeling", subfield = new { id = "https://openalex.org/subfields/1702", display_name = "Artificial Intelligence" } },
                topics = Array.Empty<object>(),
                authorships = new[]
                {
                    new { author_position = "first", author = new { id = "https://openalex.org/A" + w.Id.Replace(".", "", StringComparison.Ordinal), display_name = w.Forenames + " " + w.Surname, orcid = (string?)null }, institutions = Array.Empty<object>(), raw_author_name = w.Forenames + " " + w.Surname },
                },
                cited_by_count = 2,
                abstract_inverted_index = w.Abstract.Split(' ').Select((word, i) => (word, i)).GroupBy(x => x.word).ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray()),
                is_retracted = false,
            }),
            group_by = Array.Empty<object>(),
        };
        await AnswerAsync(context, "openalex", page, "application/json", JsonSerializer.Serialize(document));
    }

    private async Task AnswerAsync(HttpContext context, string source, int page, string contentType, string body, int status = StatusCodes.Status200OK)
    {
        FakeFault? fault = faults.TryGetValue((source, page), out var queue) && queue.TryDequeue(out var next) ? next : null;
        if (fault is { RetryAfterSeconds: { } seconds })
        {
            status = fault.Status;
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            body = "<html><body>Retry after the time given.</body></html>";
            contentType = "text/html";
        }
        else if (fault is { Truncated: true })
        {
            body = body[..(body.Length / 2)];
        }

        var request = new FakeRequest(clock.GetUtcNow(), source, page, context.Request.Path + context.Request.QueryString,
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()), status, context.Request.Headers.UserAgent.ToString());
        requests.Enqueue(request);
        OnRequest?.Invoke(request);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }

    private static string Oai(string content) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
        <responseDate>{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}</responseDate>
        <request verb="ListRecords">http://oaipmh.arxiv.org/oai</request>
        {content}
        </OAI-PMH>
        """;

    private static string Xml(string text) => SecurityElement.Escape(text);

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>A paper the fake serves.</summary>
internal sealed record FakePaper(string Id, string Title, string Forenames, string Surname, DateOnly Published, string Abstract);

/// <summary>What the fake does to one request: a status with Retry-After, or a body cut in half.</summary>
internal sealed record FakeFault(int Status = 200, int? RetryAfterSeconds = null, bool Truncated = false)
{
    public static FakeFault RetryAfter(int status, int seconds) => new(status, seconds);

    public static FakeFault Truncate() => new(Truncated: true);
}

/// <summary>A request the fake answered: when (by the test's clock), which page, the query, the status.</summary>
internal sealed record FakeRequest(DateTimeOffset At, string Source, int Page, string PathAndQuery, IReadOnlyDictionary<string, string> Query, int Status, string UserAgent);
