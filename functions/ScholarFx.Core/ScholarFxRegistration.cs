using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Rescore;
using ScholarFx.Core.Scoring;
using ScholarFx.Core.Scoring.Ai;
using ScholarFx.Core.Scoring.Embeddings;
using ScholarFx.Core.Scoring.Novelty;
using ScholarFx.Core.Scoring.View;
using ScholarFx.Core.Settle;
using ScholarFx.Core.Storage;
using ScholarFx.Core.Health;
using ScholarFx.Core.Harvest;
using Microsoft.Extensions.Options;
using System.Net;

namespace ScholarFx.Core;

/// <summary>Registers every ScholarFx service; the function app, the LocalHost and the tests share it.</summary>
public static class ScholarFxRegistration
{
    // The Functions queue trigger reads messages as Base64 unless host.json says otherwise.
    private static void Base64Messages(QueueClientOptions options) => options.MessageEncoding = QueueMessageEncoding.Base64;

    /// <summary>Adds storage clients (from <c>AzureWebJobsStorage</c>), options and the ScholarFx services.</summary>
    public static IHostApplicationBuilder AddScholarFx(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var connection = StorageConnection.FromConfiguration(builder.Configuration);
        services.AddAzureClients(clients =>
        {
            clients.ConfigureDefaults((options, provider) =>
            {
                // A settler's requests stop on time once its lease is no longer certain (Storage/LeaseFence.cs).
                options.AddPolicy(LeaseFence.PerCall, Azure.Core.HttpPipelinePosition.PerCall);
                options.AddPolicy(LeaseFence.PerRetry, Azure.Core.HttpPipelinePosition.PerRetry);
                foreach (var setup in provider.GetServices<StorageClientSetup>())
                {
                    setup.Apply(options);
                }
            });
            if (connection.UsesConnectionString)
            {
                clients.AddTableServiceClient(connection.ConnectionString);
                clients.AddBlobServiceClient(connection.ConnectionString);
                clients.AddQueueServiceClient(connection.ConnectionString).ConfigureOptions(Base64Messages);
            }
            else
            {
                var credential = connection.CreateCredential();
                clients.AddTableServiceClient(connection.TableServiceUri).WithCredential(credential);
                clients.AddBlobServiceClient(connection.BlobServiceUri).WithCredential(credential);
                clients.AddQueueServiceClient(connection.QueueServiceUri).WithCredential(credential).ConfigureOptions(Base64Messages);
            }
        });
        services.AddSingleton(connection);

        // A bad setting stops the app at start with its name, not later in the middle of a file.
        services.AddOptions<IngestOptions>().BindConfiguration("Ingest").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProfileOptions>().BindConfiguration("Profiles").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiOptions>().BindConfiguration("Api").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SourcesOptions>().BindConfiguration("Sources").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp => new ScholarFxStorage(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<QueueServiceClient>()));
        services.AddSingleton<LargeText>();
        services.AddOptions<PaperOptions>().BindConfiguration("Papers").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RankingOptions>().BindConfiguration("Rankings").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PaperStore>();
        services.AddSingleton<IPaperStore>(sp => sp.GetRequiredService<PaperStore>());
        services.AddSingleton<IAuthorStore, AuthorStore>();
        services.AddSingleton<ReceiptStore>();
        services.AddSingleton<StatsStore>();

        // The detector asks the formats in this order: the JSON formats that name their own fields come before
        // ScholarFx JSON, which takes any other JSON object or array.
        // Before ScholarFx JSON, which takes any JSON: a corrections file is JSON too.
        services.AddSingleton<IRecordFormat, IdentityCorrectionsFormat>();
        services.AddSingleton<IRecordFormat, ArxivAtomFormat>();
        services.AddSingleton<IRecordFormat, ArxivOaiFormat>();
        services.AddSingleton<IRecordFormat, BibTexFormat>();
        services.AddSingleton<IRecordFormat, OpenAlexFormat>();
        services.AddSingleton<IRecordFormat, SemanticScholarFormat>();
        services.AddSingleton<IRecordFormat, ArxivSnapshotFormat>();
        services.AddSingleton<IRecordFormat, ScholarFxJsonFormat>();
        services.AddSingleton<FormatDetector>();
        services.AddSingleton<RecordValidator>();
        services.AddSingleton<SourcePrecedence>();
        services.AddSingleton<PaperMerger>();
        // Scoring: embeddings (all-MiniLM-L6-v2 unless a test or Azure OpenAI replaces ITextEmbedder), then the scorers.
        services.AddOptions<NoveltyOptions>().BindConfiguration("Scoring").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Scoring.Pioneer.PioneerOptions>().BindConfiguration("Scoring").ValidateDataAnnotations().ValidateOnStart();
        var openAi = builder.Configuration.GetSection("AzureOpenAI").Get<AzureOpenAiOptions>() ?? new AzureOpenAiOptions();
        services.AddSingleton(openAi);
        if (openAi.HasEmbeddings)
        {
            services.TryAddSingleton<ITextEmbedder, AzureOpenAiEmbedder>();
        }

        services.TryAddSingleton<ITextEmbedder, MiniLmEmbedder>();
        services.AddSingleton<EmbeddingStage>();
        services.AddSingleton<ICorpusLog, CorpusLog>();
        services.AddSingleton<CorpusView>();
        services.AddSingleton<NoveltyScorer>();
        services.AddSingleton<IBatchScorer>(sp => sp.GetRequiredService<NoveltyScorer>());
        services.AddSingleton<ScoreWriter>();
        // AI score: Azure OpenAI when a chat deployment is configured, else the local assessor.
        services.AddOptions<AiOptions>().BindConfiguration("AiScore").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AssessmentCache>();
        if (openAi.HasChat)
        {
            services.TryAddSingleton<IAiAssessor, AzureOpenAiAssessor>();
        }

        services.TryAddSingleton<IAiAssessor, LocalAssessor>();
        services.AddSingleton<AiScorer>();
        services.AddSingleton<IBatchScorer>(sp => sp.GetRequiredService<AiScorer>());
        services.AddSingleton<ScoringPipeline>();
        services.AddSingleton<IRankingStore, RankingStore>();
        services.AddSingleton<ProfileRankings>();
        services.AddSingleton<ICitationCohortSource, CitationImpact>();
        services.AddSingleton<AggregateCache>();
        services.AddSingleton<ProfileBuilder>();
        services.AddSingleton<ListLayout>();
        services.AddSingleton<ProfileRefresh>();
        services.AddSingleton<IdentityKeys>();
        services.AddSingleton<IIdentityStore, IdentityStore>();
        services.AddSingleton<IIdentityHistoryStore, IdentityHistoryStore>();
        services.AddSingleton<Identity.IIdentityHistory, Identity.IdentityHistory>();
        services.AddSingleton<Identity.IdentityResolver>();
        services.AddSingleton<Identity.IdentityReconciler>();
        services.AddSingleton<Identity.IdentityCorrector>();
        // Settling: a queue message after ingest batches, one settling at a time across instances.
        services.AddOptions<SettleOptions>().BindConfiguration("Settle").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SettleRequests>();
        services.AddSingleton<SettleService>();
        services.AddSingleton<VersionLease>();
        services.AddSingleton<PaperWriter>();
        services.AddSingleton<BatchStore>();
        services.AddSingleton<FileReader>();
        services.AddSingleton<ReceiptSweeper>();
        services.AddSingleton<IIngestService, IngestService>();
        services.AddSingleton<IAbstractUploads, AbstractUploads>();
        services.AddSingleton<IIdentityCurations, IdentityCurations>();

        services.AddSingleton<IProfileQueries, ProfileQueries>();
        services.AddSingleton<IProfileLists, ProfileLists>();
        services.AddSingleton<IPaperQueries, PaperQueries>();
        services.AddSingleton<Pages.IPageService, Pages.PageService>();
        services.AddSingleton<Drafts.IDraftCheck, Drafts.DraftCheck>();
        services.AddSingleton<Discovery.MeaningIndex>();
        services.AddSingleton<Discovery.QueryBudget>();
        services.AddSingleton<Discovery.IPaperDiscovery, Discovery.PaperDiscovery>();
        services.AddSingleton<Discovery.ITopicAuthors, Discovery.TopicAuthors>();
        services.AddSingleton<IReceiptQueries, ReceiptQueries>();
        services.AddOptions<RescoreOptions>().BindConfiguration("Rescore").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RescoreRunStore>();
        services.AddSingleton<IRescoreService, RescoreService>();
        // Harvest: arXiv OAI-PMH and OpenAlex pages written into abstracts on timers; a source without an endpoint is off.
        services.AddOptions<HarvestOptions>().BindConfiguration("Harvest").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ArxivHarvestOptions>().BindConfiguration("Harvest:Arxiv").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OpenAlexHarvestOptions>().BindConfiguration("Harvest:OpenAlex").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new HarvestClock(sp.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(HarvestHttp.ClientName, (sp, client) => HarvestHttp.Configure(client,
                sp.GetRequiredService<IOptions<HarvestOptions>>().Value.Contact ?? sp.GetRequiredService<IOptions<OpenAlexHarvestOptions>>().Value.Mailto))
            // One connection per source, as arXiv's terms ask; pages are compressed when the source offers it.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, MaxConnectionsPerServer = 1 });
        services.AddSingleton<HarvestHttp>();
        services.AddSingleton<HarvestStateStore>();
        services.AddSingleton<HarvestSource, ArxivOaiHarvester>();
        services.AddSingleton<HarvestSource, OpenAlexHarvester>();
        services.AddSingleton<IHarvestService, HarvestService>();
        services.AddSingleton<IHealthService, HealthService>();
        return builder;
    }
}
