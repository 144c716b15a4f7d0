using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using ScholarFx.Core.Storage;

namespace ScholarFx.Core.Harvest;

/// <summary>
/// A run of one source, under a lease so one instance harvests it at a time. Each page is fetched politely
/// (<see cref="HarvestHttp"/>), stored in <c>abstracts</c> as <c>harvest/{source}/{window}/{page}-{hash}.{ext}</c>
/// without overwriting, and only then is the cursor committed (<see cref="HarvestStateStore"/>). The hash is of the
/// cursor that fetched the page, so a page fetched again after a killed run has the same name: it exists, is skipped,
/// and the cursor moves on — nothing lost, nothing stored twice. Ingest reads the files like any other.
/// </summary>
internal sealed class HarvestService(
    IEnumerable<HarvestSource> sources,
    HarvestHttp http,
    HarvestStateStore states,
    ScholarFxStorage storage,
    HarvestClock clock,
    Microsoft.Extensions.Options.IOptions<HarvestOptions> options,
    ILogger<HarvestService> logger) : IHarvestService
{
    private readonly IReadOnlyList<HarvestSource> sources = [.. sources];

    private HarvestHttp Http { get; } = http;
    private HarvestStateStore States { get; } = states;
    private ScholarFxStorage Storage { get; } = storage;
    private HarvestClock Clock { get; } = clock;
    private HarvestOptions Settings => options.Value;
    private ILogger Logger { get; } = logger;

    /// <summary>The blob name of a page: source, window, page number and a hash of the cursor that fetched it.</summary>
    internal static string PageName(string source, HarvestWindow window, int page, string? cursor, string extension)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cursor ?? "")))[..12];
        return string.Create(CultureInfo.InvariantCulture, $"harvest/{source}/{window.Name}/{page:D6}-{hash}.{extension}");
    }

    /// <inheritdoc/>
    public async Task<HarvestOutcome> RunAsync(string source, CancellationToken cancellationToken)
    {
        var harvester = sources.FirstOrDefault(s => s.Name == source) ?? throw new ArgumentException($"No harvest source is named '{source}'.", nameof(source));
        if (!harvester.Options.Enabled)
        {
            return new HarvestOutcome(source, HarvestResult.Disabled, 0, 0, 0, null);
        }

        await using var lease = await CorpusLease.TryAcquireAsync(Storage, "harvest-" + source, Logger, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            Logger.LogInformation("Harvest {Source} is already running elsewhere; this run does nothing", source);
            return new HarvestOutcome(source, HarvestResult.Busy, 0, 0, 0, null);
        }

        var run = new Run(this, harvester);
        return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HarvestStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var statuses = new List<HarvestStatus>();
        foreach (var source in sources)
        {
            var (state, _) = await States.GetAsync(source.Name, cancellationToken).ConfigureAwait(false);
            var enabled = source.Options.Enabled;
            statuses.Add(new HarvestStatus(
                source.Name, enabled, source.Options.Schedule, enabled ? HarvestSchedule.Next(source.Options.Schedule, Clock.Now) : null,
                state?.LastRun, state?.LastResult, state?.LastCompleted, state?.Window, state?.Page ?? 0, state?.Cursor, state?.CompletedUntil,
                state?.PagesHarvested ?? 0, state?.PapersHarvested ?? 0, state?.UnparseablePages ?? 0, state?.LastFile, state?.LastError, state?.LastErrorAt));
        }

        return statuses;
    }

    /// <summary>One run of one source: the state as last committed and its ETag.</summary>
    private sealed class Run(HarvestService service, HarvestSource source)
    {
        private HarvestState state = new() { Source = source.Name };
        private ETag etag;
        private int stored;
        private int already;
        private long papers;

        public async Task<HarvestOutcome> ExecuteAsync(CancellationToken cancellationToken)
        {
            var (saved, savedTag) = await service.States.GetAsync(source.Name, cancellationToken).ConfigureAwait(false);
            (state, etag) = (saved ?? state, savedTag);
            var window = state.Window ?? HarvestWindow.Next(state.CompletedUntil, source.Options.FromDate, service.Clock.Today, now: service.Clock.Now);
            await CommitAsync(state with { Window = window, LastRun = service.Clock.Now, LastResult = "running" }, cancellationToken).ConfigureAwait(false);
            service.Logger.LogInformation("Harvest {Source} runs window {Window} from page {Page}", source.Name, window.Name, state.Page + 1);
            var restarted = false;
            try
            {
                while (true)
                {
                    var number = state.Page + 1;
                    var (page, body) = await FetchAsync(window, number, cancellationToken).ConfigureAwait(false);
                    if (page.CursorExpired)
                    {
                        if (restarted || state.Cursor is null)
                        {
                            throw new HarvestStoppedException($"page {number}: the source does not know the cursor it handed out");
                        }

                        // An expired resumption token: ask for the window again, after the pages stored (merging absorbs the repeat).
                        restarted = true;
                        service.Logger.LogWarning("Harvest {Source} window {Window}: the cursor of page {Page} expired; the window starts again", source.Name, window.Name, number);
                        await CommitAsync(state with { Cursor = null, LastError = $"page {number}: the cursor expired; the window was asked for again", LastErrorAt = service.Clock.Now }, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    if (page.Error is { } error)
                    {
                        throw new HarvestStoppedException($"page {number}: {error}");
                    }

                    var next = state;
                    if (page.Records > 0)
                    {
                        var name = PageName(source.Name, window, number, state.Cursor, source.Extension);
                        await StoreAsync(name, window, number, body, cancellationToken).ConfigureAwait(false);
                        papers += page.Records;
                        next = next with
                        {
                            Page = number,
                            PagesHarvested = next.PagesHarvested + 1,
                            PapersHarvested = next.PapersHarvested + page.Records,
                            LastFile = name,
                        };
                    }

                    if (page.NextCursor is null)
                    {
                        await CommitAsync(next with { Window = null, Cursor = null, Page = 0, CompletedUntil = window.Until, LastResult = "completed", LastCompleted = service.Clock.Now }, cancellationToken).ConfigureAwait(false);
                        service.Logger.LogInformation("Harvest {Source} completed window {Window}: {Pages} pages stored, {Existing} already stored, {Papers} records", source.Name, window.Name, stored, already, papers);
                        return new HarvestOutcome(source.Name, HarvestResult.Completed, stored, already, papers, null);
                    }

                    await CommitAsync(next with { Cursor = page.NextCursor }, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (HarvestStoppedException e)
            {
                service.Logger.LogWarning("Harvest {Source} stopped in window {Window}: {Reason}", source.Name, window.Name, e.Message);
                await CommitAsync(state with { LastResult = "stopped", LastError = e.Message, LastErrorAt = service.Clock.Now }, CancellationToken.None).ConfigureAwait(false);
                return new HarvestOutcome(source.Name, HarvestResult.Stopped, stored, already, papers, e.Message);
            }
        }

        /// <summary>The page after the state's cursor; a page that does not parse is recorded and fetched again (with back-off).</summary>
        private async Task<(HarvestPage Page, byte[] Body)> FetchAsync(HarvestWindow window, int number, CancellationToken cancellationToken)
        {
            var settings = service.Settings;
            var url = source.PageUri(window, state.Cursor);
            for (var attempt = 1; ; attempt++)
            {
                var body = await service.Http.GetAsync(source, url, number, cancellationToken).ConfigureAwait(false);
                var page = source.Parse(body);
                if (page.Unparseable is null)
                {
                    return (page, body);
                }

                var problem = $"page {number} did not parse: {page.Unparseable}";
                service.Logger.LogWarning("Harvest {Source} window {Window}: page {Page} did not parse (attempt {Attempt}): {Problem}", source.Name, window.Name, number, attempt, page.Unparseable);
                await CommitAsync(state with { UnparseablePages = state.UnparseablePages + 1, LastError = problem, LastErrorAt = service.Clock.Now }, cancellationToken).ConfigureAwait(false);
                if (attempt >= settings.MaxAttempts)
                {
                    throw new HarvestStoppedException($"{problem}, {attempt} times");
                }

                source.Gate.Defer(HarvestHttp.Backoff(attempt, TimeSpan.FromSeconds(settings.MaxBackoffSeconds)));
            }
        }

        /// <summary>Stores the page unless a file of its name exists (an earlier run stored it and was killed before committing).</summary>
        private async Task StoreAsync(string name, HarvestWindow window, int number, byte[] body, CancellationToken cancellationToken)
        {
            await service.Storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            var upload = new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = source.Extension == "xml" ? "application/xml" : "application/json" },
                Metadata = new Dictionary<string, string>
                {
                    ["harvestsource"] = source.Name,
                    ["harvestwindow"] = window.Name,
                    ["harvestpage"] = number.ToString(CultureInfo.InvariantCulture),
                },
            };
            try
            {
                await service.Storage.Abstracts.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(body), upload, cancellationToken).ConfigureAwait(false);
                stored++;
            }
            catch (RequestFailedException e) when (ScholarFxStorage.IsConflict(e))
            {
                already++;
                service.Logger.LogInformation("Harvest {Source}: {File} is stored already (a run stopped before committing it); moving on", source.Name, name);
            }
        }

        private async Task CommitAsync(HarvestState next, CancellationToken cancellationToken)
        {
            etag = await service.States.SaveAsync(next, etag, cancellationToken).ConfigureAwait(false);
            state = next;
        }

    }
}
