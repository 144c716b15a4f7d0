using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ScholarFx.Core.Harvest;

namespace ScholarFx.Functions.Harvest;

/// <summary>
/// The harvest timers: arXiv OAI-PMH on <c>%Harvest:Arxiv:Schedule%</c> and OpenAlex on
/// <c>%Harvest:OpenAlex:Schedule%</c> (default <c>0 30 3 * * *</c> and <c>0 0 4 * * *</c>, UTC). A source without an
/// endpoint does nothing. A run that stops (the source refused, a page failed every attempt) does not throw: its
/// status says why, and the next occurrence resumes at the cursor.
/// </summary>
public sealed class HarvestFunction(IHarvestService harvest, ILogger<HarvestFunction> logger)
{
    /// <summary>One run of the arXiv harvest.</summary>
    [Function(nameof(HarvestArxiv))]
    public async Task HarvestArxiv([TimerTrigger("%Harvest:Arxiv:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Log(await harvest.RunAsync("arxiv", cancellationToken));

    /// <summary>One run of the OpenAlex harvest.</summary>
    [Function(nameof(HarvestOpenAlex))]
    public async Task HarvestOpenAlex([TimerTrigger("%Harvest:OpenAlex:Schedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Log(await harvest.RunAsync("openalex", cancellationToken));

    private void Log(HarvestOutcome outcome) =>
        logger.LogInformation("Harvest {Source}: {Result}, {Stored} pages stored, {Existing} already stored, {Papers} records{Error}",
            outcome.Source, outcome.Result, outcome.PagesStored, outcome.PagesAlreadyStored, outcome.Papers, outcome.Error is null ? "" : "; " + outcome.Error);
}
