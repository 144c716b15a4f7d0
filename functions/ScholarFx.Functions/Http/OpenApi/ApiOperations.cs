using ScholarFx.Core.Discovery;
using ScholarFx.Core.Drafts;
using ScholarFx.Core.Health;
using ScholarFx.Core.Identity;
using ScholarFx.Core.Ingest;
using ScholarFx.Core.Pages;
using ScholarFx.Core.Papers;
using ScholarFx.Core.Profiles;
using ScholarFx.Core.Rescore;
using ScholarFx.Functions.Http.Bodies;
using ScholarFx.Functions.Identity;
using ScholarFx.Functions.Ingest;
using ScholarFx.Functions.Rescore;
using static ScholarFx.Functions.Http.OpenApi.ApiResponse;

namespace ScholarFx.Functions.Http.OpenApi;

/// <summary>
/// What the description says of each HTTP function, by function name (the README's API table as data). Routes,
/// methods and authorization levels are not here: they come from the functions' attributes.
/// </summary>
internal static class ApiOperations
{
    private const string Profiles = "profiles";
    private const string Papers = "papers";
    private const string Operations = "operations";
    private const string Pages = "pages";

    // Core's meaning index (internal there): the longest free-text query, and how many it answers by default.
    private const int MeaningQueryChars = 1_000;
    private const int MeaningDefaultTop = 10;

    private static readonly Dictionary<string, string> AuthorId = new() { ["authorId"] = "The author's profile id: a name slug (boyu-shi) or an ORCID iD (0000-0002-1825-0097)." };
    private static readonly Dictionary<string, string> PaperId = new() { ["paperId"] = "The paper's id or any alias, percent-encoded (arxiv%3A2303.11698v2, doi%3A10.…)." };
    private static readonly ApiResponse BadQuery = Problem(400, "A query parameter out of its bounds, or a combination the route does not take.");
    private static readonly ApiResponse TooManyQueries = Problem(429, "Too many queries by meaning from this client a minute, or too many at once; Retry-After says when to ask again.");
    private static readonly ApiResponse NoAuthor = Problem(404, "No author with this id.");
    private static readonly ApiResponse NoPaper = Problem(404, "No paper with this id or alias.");

    /// <summary>The operations by function name.</summary>
    public static IReadOnlyDictionary<string, ApiOperation> ByFunction { get; } = new Dictionary<string, ApiOperation>
    {
        [nameof(ProfileFunctions.GetProfile)] = new(Profiles, "An author's profile")
        {
            Description = "The pre-rendered profile (one point read): figures, co-authors, counts by year and the first page of papers.",
            PathParameters = AuthorId,
            Conditional = true,
            Responses =
            [
                Json(200, "The profile.", typeof(ProfileView)),
                Json(301, "The id was merged into another profile, or the name's papers went to its ORCID profile: Location and movedTo say where.", typeof(MovedBody)) with { Location = true },
                NoAuthor,
            ],
        },
        [nameof(ProfileFunctions.GetProfilePapers)] = new(Profiles, "An author's papers, newest first, a page at a time")
        {
            PathParameters = AuthorId,
            Query = [ApiParameter.Cursor, ApiParameter.Top(20)],
            Conditional = true,
            Responses = [Json(200, "A page of papers and the link to the next (null on the last page).", typeof(PapersPage)), BadQuery, NoAuthor],
        },
        [nameof(ProfileFunctions.FindProfiles)] = new(Profiles, "Authors by name, ranked lists, or authors by topic")
        {
            Description = "With q: authors whose name has words starting with every word of q. With sort and/or category: the ranked list of the "
                + "category's profiles (or all), best first. With topic: authors ranked by the mean similarity of their three closest papers "
                + "among the 300 papers closest to the topic. q cannot be combined with sort or category, nor topic with any of them.",
            Query =
            [
                ApiParameter.Text("q", $"Words of the author's name (each at least two letters), at most {ProfileQueries.MaxQueryChars} characters and {ProfileQueries.MaxQueryWords} words.", ProfileQueries.MaxQueryChars),
                ApiParameter.Text("category", "A primary category (cs.LG): the ranked list of its profiles; all profiles without it.", ProfileLists.MaxCategoryChars),
                new("sort", "The figure of the ranked list, best first: hIndex (default), citations, novelty, aiScore or pioneer.", new Microsoft.OpenApi.OpenApiSchema
                {
                    Type = Microsoft.OpenApi.JsonSchemaType.String,
                    Enum = ["hIndex", "citations", "novelty", "aiScore", "pioneer"],
                    Default = "hIndex",
                }),
                ApiParameter.Text("topic", $"Free text of what the authors work on, 1–{MeaningQueryChars:N0} characters.", MeaningQueryChars),
                ApiParameter.Cursor,
                ApiParameter.Top(20, "How many authors, 1–100 (default 20 by name and in ranked lists, 10 by topic)."),
            ],
            Conditional = true,
            Responses =
            [
                Json(200, "Authors by name, a ranked list, or authors by topic.", typeof(AuthorsPage<NamedAuthor>), typeof(AuthorsPage<RankedAuthor>), typeof(TopicAuthorsView)),
                BadQuery,
                TooManyQueries,
            ],
        },
        [nameof(NoveltyFunction.CheckDraft)] = new(Papers, "Draft novelty check: what a draft would score if published that day, not stored")
        {
            RequestBody = ("application/json", $"The draft: title (≤ 1,000 characters) and abstract (≤ 200,000), optionally categories (≤ 20), authors and date (YYYY-MM-DD, default today UTC); at most {IDraftCheck.MaxBodyBytes:N0} bytes.", typeof(DraftRequest)),
            Responses =
            [
                Json(200, "Both scores with their explanations; stored says nothing of the draft is kept.", typeof(DraftCheckView)),
                Problem(400, "The body is no draft, or one ingest would refuse."),
                Problem(413, $"The body is larger than {IDraftCheck.MaxBodyBytes:N0} bytes."),
            ],
        },
        [nameof(ExportFunction.ExportProfiles)] = new(Profiles, "Every profile, one per line (JSON Lines), streamed")
        {
            Responses = [Media(200, "Every profile as GET /api/profiles/{authorId} serves it, one per line.", "application/x-ndjson")],
        },
        [nameof(DiscoveryFunctions.SimilarPapers)] = new(Papers, "The papers nearest this one by embedding, most similar first")
        {
            PathParameters = PaperId,
            Query =
            [
                ApiParameter.Text("before", "Only earlier papers: a date (YYYY-MM-DD), or true for the paper's own date."),
                ApiParameter.Text("after", "Only later papers: a date (YYYY-MM-DD), or true for the paper's own date."),
                ApiParameter.Top(MeaningDefaultTop),
            ],
            Conditional = true,
            Responses = [Json(200, "The nearest papers with their similarity.", typeof(FoundPapersView)), Problem(400, "A bad parameter, or a paper without an embedding yet."), NoPaper, TooManyQueries],
        },
        [nameof(DiscoveryFunctions.SearchPapers)] = new(Papers, "Search by meaning: papers ranked by similarity to free text")
        {
            Query =
            [
                ApiParameter.Text("q", $"Free text, 1–{MeaningQueryChars:N0} characters.", MeaningQueryChars, required: true),
                ApiParameter.Text("category", "Only papers of this primary category."),
                ApiParameter.Text("from", "Only papers published on or after this date (YYYY-MM-DD)."),
                ApiParameter.Text("to", "Only papers published on or before this date (YYYY-MM-DD)."),
                ApiParameter.Top(MeaningDefaultTop),
            ],
            Conditional = true,
            Responses = [Json(200, "The papers closest to the text, with their similarity.", typeof(FoundPapersView)), BadQuery, TooManyQueries],
        },
        [nameof(PaperFunctions.GetPaper)] = new(Papers, "A paper with metadata, aliases, sources, scores and their explanations")
        {
            PathParameters = PaperId,
            Conditional = true,
            Responses = [Json(200, "The paper.", typeof(PaperView)), Problem(400, "No paper id."), NoPaper],
        },
        [nameof(AdminRescoreFunction.StartRescore)] = new(Operations, "Starts the nightly rescore now, or joins the running one")
        {
            Query = [new("full", "true: recompute every neighbourhood.", new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Boolean, Default = false })],
            Responses = [Json(202, "The run; Location is its status.", typeof(RescoreRun)) with { Location = true }],
        },
        [nameof(AdminRescoreFunction.GetRescore)] = new(Operations, "A rescore run: phase, shards and papers done, failures, what it changed")
        {
            PathParameters = new Dictionary<string, string> { ["runId"] = "The run's id, from the Location of POST /api/admin/rescore." },
            Responses = [Json(200, "The run.", typeof(RescoreRun)), Problem(404, "No run with this id.")],
        },
        [nameof(IdentityHistoryFunctions.GetProfileHistory)] = new(Profiles, "A profile's identity history, newest first, a page at a time")
        {
            Description = "Every change of who the researcher is (curators' merges, moves, variants and confirmations, ORCID links and "
                + "unconfirmed claims made by records, moves by the co-author rule, reverts), with its source, time, curator and before/after. "
                + "Needs the admin key.",
            PathParameters = AuthorId,
            Query = [ApiParameter.Cursor, ApiParameter.Top(20)],
            Responses = [Json(200, "A page of entries and the link to the next (null on the last page).", typeof(HistoryPage)), BadQuery, Problem(404, "No identity history for this id.")],
        },
        [nameof(IdentityHistoryFunctions.RevertIdentityCorrection)] = new(Operations, "Reverts a curator's identity correction")
        {
            Description = "Puts back what the correction recorded as the history entry replaced, resolves its papers again and records the revert "
                + "(itself an entry of the history). Needs the admin key.",
            Query =
            [
                ApiParameter.Text("entry", "The id of the history entry to revert (GET /api/profiles/{authorId}/history).", 600),
                ApiParameter.Text("curator", "The curator's name, kept with the revert (admin when absent or longer than 100 characters).", 100),
            ],
            Responses =
            [
                Json(200, "Reverted: the revert's history entry and the papers moved.", typeof(RevertOutcome)),
                Problem(400, "No entry id given."),
                Problem(404, "No history entry with this id."),
                Problem(409, "Not a correction, reverted already, or changed since by a later correction (revert that first)."),
            ],
        },
        [nameof(AdminIdentityFunction.CorrectIdentities)] = new(Operations, "Applies a curator's identity corrections (merge, move, variant, confirm)")
        {
            Query = [ApiParameter.Text("curator", "The curator's name, kept with the corrections (admin when absent or longer than 100 characters).", 100)],
            RequestBody = ("application/json", "An identity corrections file (scholarfxIdentity); at most 4 MiB.", null),
            Responses =
            [
                Json(200, "What was read and applied, papers moved, and each refused correction with its place.", typeof(CurationOutcome)),
                Problem(400, "The body is no corrections file."),
                Problem(413, "The body is larger than 4 MiB."),
            ],
        },
        [nameof(UploadFunction.UploadAbstracts)] = new(Operations, "Stores an abstracts file for ingest")
        {
            Query = [ApiParameter.Text("name", "The file's name, kept in the blob's name (uploads/{date}/{id}-{name}).")],
            RequestBody = ("application/octet-stream", "The file, in any format ingest reads (at most Api__MaxUploadBytes, 100 MiB by default).", null),
            Responses = [Json(202, "Stored; Location is its receipt.", typeof(UploadAccepted)) with { Location = true }, Problem(413, "The file is larger than the upload limit.")],
        },
        [nameof(ReceiptFunctions.GetReceipt)] = new(Operations, "What happened to an input file")
        {
            PathParameters = new Dictionary<string, string> { ["receiptId"] = "The input blob's name in the abstracts container, percent-encoded." },
            Conditional = true,
            Responses = [Json(200, "Its status, counts and errors with line or record numbers.", typeof(ReceiptView)), Problem(400, "Not the name of an input blob."), Problem(404, "No such input file and no receipt for it.")],
        },
        [nameof(HealthFunction.Health)] = new(Operations, "Storage, models, corpus, rescores, settling and harvest sources")
        {
            Conditional = true,
            Responses = [Json(200, "Healthy.", typeof(HealthReport)), Json(503, "Storage is unreachable; the report says what storage answered.", typeof(HealthReport))],
        },
        [nameof(ProfileShareFunctions.ProfileBadge)] = new(Profiles, "An author's badge: name, h-index, Novelty % and AI score")
        {
            PathParameters = AuthorId,
            Conditional = true,
            Responses = [Media(200, "The badge (of the profile a merged id now is).", "image/svg+xml"), NoAuthor],
        },
        [nameof(ProfileShareFunctions.ProfileFeed)] = new(Profiles, "An author's newest papers as an Atom feed")
        {
            PathParameters = AuthorId,
            Conditional = true,
            Responses = [Media(200, "The feed (of the profile a merged id now is).", "application/atom+xml"), NoAuthor],
        },
        [nameof(PageFunctions.ProfilePage)] = new(Pages, "An author's profile page")
        {
            PathParameters = AuthorId,
            Query = [ApiParameter.Cursor],
            Conditional = true,
            Responses =
            [
                Media(200, "The page.", "text/html"),
                Empty(301, "The profile is now another id; Location says which.") with { Location = true },
                Media(400, "A page saying the cursor is no page of this author's papers.", "text/html"),
                Media(404, "A page saying no author has this id.", "text/html"),
            ],
        },
        [nameof(PageFunctions.PaperPage)] = new(Pages, "A paper's page with its abstract and both scores explained")
        {
            PathParameters = PaperId,
            Conditional = true,
            Responses = [Media(200, "The page.", "text/html"), Media(404, "A page saying no paper has this id.", "text/html")],
        },
        [nameof(PageFunctions.SearchPage)] = new(Pages, "The author search page, or with topic the authors by topic")
        {
            Query =
            [
                ApiParameter.Text("q", "Words of the author's name.", ProfileQueries.MaxQueryChars),
                ApiParameter.Text("topic", $"Free text of what the authors work on, 1–{MeaningQueryChars:N0} characters: the authors-by-topic page.", MeaningQueryChars),
                ApiParameter.Cursor,
            ],
            Conditional = true,
            Responses =
            [
                Media(200, "The page, with the authors found.", "text/html"),
                Media(400, "A page saying what is wrong with the query.", "text/html"),
                Media(429, "A page saying this client asked too many queries by meaning; Retry-After says when to ask again.", "text/html"),
            ],
        },
        [nameof(PageFunctions.HomePage)] = new(Pages, "The home page: search by name and topic, ranked lists, the corpus and its freshness")
        {
            Conditional = true,
            Responses = [Media(200, "The page.", "text/html")],
        },
        [nameof(PageFunctions.RankingPage)] = new(Pages, "A ranked list of a category's (or every) profile, as a page")
        {
            Query =
            [
                ApiParameter.Text("category", "A primary category (cs.LG); all profiles without it.", ProfileLists.MaxCategoryChars),
                new("sort", "The figure ranked by, best first: hIndex (default), citations, novelty, aiScore or pioneer.", new Microsoft.OpenApi.OpenApiSchema
                {
                    Type = Microsoft.OpenApi.JsonSchemaType.String,
                    Enum = ["hIndex", "citations", "novelty", "aiScore", "pioneer"],
                    Default = "hIndex",
                }),
                ApiParameter.Cursor,
            ],
            Conditional = true,
            Responses = [Media(200, "The page.", "text/html"), Media(400, "A page saying what is wrong with the category, sort or cursor.", "text/html")],
        },
        [nameof(OpenApiFunction.OpenApiDescription)] = new(Operations, "This description of the HTTP API (OpenAPI 3.1)")
        {
            Conditional = true,
            Responses = [Media(200, "The OpenAPI 3.1 document.", JsonMediaType)],
        },
    };
}
