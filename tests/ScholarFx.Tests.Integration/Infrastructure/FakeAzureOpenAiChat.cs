using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScholarFx.LocalHost;

namespace ScholarFx.Tests.Integration.Infrastructure;

/// <summary>
/// A local fake of the Azure OpenAI chat completions API (Kestrel on a free port). It records every request and answers
/// by the paper title it finds in the delimited data: titles starting "Good" get a valid assessment, "Throttled" a 429
/// with Retry-After first, "Broken" a 500, "Malformed" text that is not JSON, "Offschema" JSON outside the schema,
/// "Slow" an answer after <see cref="SlowDelay"/>. <see cref="FailEverything"/> makes every call a 503.
/// </summary>
public sealed class FakeAzureOpenAiChat : IAsyncDisposable
{
    private readonly List<JsonElement> requests = [];
    private readonly HashSet<string> throttled = [];
    private WebApplication? server;

    public Uri Endpoint { get; private set; } = null!;

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool FailEverything { get; set; }

    /// <summary>Every request body received so far.</summary>
    public IReadOnlyList<JsonElement> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    public static async Task<FakeAzureOpenAiChat> StartAsync()
    {
        var fake = new FakeAzureOpenAiChat();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{AzuriteProcess.FreePort()}");
        builder.Logging.ClearProviders();
        fake.server = builder.Build();
        fake.server.MapPost("/openai/deployments/{deployment}/chat/completions", fake.AnswerAsync);
        await fake.server.StartAsync();
        fake.Endpoint = new Uri(fake.server.Urls.First());
        return fake;
    }

    /// <summary>The settings that point ScholarFx's AI score at this fake.</summary>
    public Dictionary<string, string?> Settings(string deployment = "gpt-test") => new()
    {
        ["AzureOpenAI:Endpoint"] = Endpoint.ToString(),
        ["AzureOpenAI:ChatDeployment"] = deployment,
        ["AzureOpenAI:ApiKey"] = "test-key",
        ["AiScore:CallTimeoutSeconds"] = "1",
        ["AiScore:MaxAttempts"] = "3",
        ["AiScore:MaxRetrySeconds"] = "10",
    };

    /// <summary>The paper data (title, abstract) of a request, read back from between its delimiters.</summary>
    public static JsonElement PaperData(JsonElement request)
    {
        var user = UserMessage(request);
        var start = user.IndexOf("<paper-data>", StringComparison.Ordinal) + "<paper-data>".Length;
        var end = user.IndexOf("</paper-data>", StringComparison.Ordinal);
        return JsonDocument.Parse(user[start..end]).RootElement.Clone();
    }

    /// <summary>The text of a request's user message.</summary>
    public static string UserMessage(JsonElement request) =>
        TextOf(request.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "user"));

    /// <summary>The text of a request's system message.</summary>
    public static string SystemMessage(JsonElement request) =>
        TextOf(request.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == "system"));

    private static string TextOf(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }

    private async Task<IResult> AnswerAsync(HttpContext context, string deployment)
    {
        var body = (await JsonDocument.ParseAsync(context.Request.Body)).RootElement.Clone();
        lock (requests)
        {
            requests.Add(body);
        }

        if (FailEverything)
        {
            return Results.StatusCode(503);
        }

        var title = PaperData(body).GetProperty("title").GetString()!;
        if (title.StartsWith("Throttled", StringComparison.Ordinal))
        {
            lock (throttled)
            {
                if (throttled.Add(title))
                {
                    context.Response.Headers.RetryAfter = "1";
                    return Results.StatusCode(429);
                }
            }
        }

        if (title.StartsWith("Broken", StringComparison.Ordinal))
        {
            return Results.StatusCode(500);
        }

        if (title.StartsWith("Slow", StringComparison.Ordinal))
        {
            await Task.Delay(SlowDelay, context.RequestAborted);
        }

        var content = title switch
        {
            _ when title.StartsWith("Malformed", StringComparison.Ordinal) => "{\"summary\": \"cut off",
            _ when title.StartsWith("Offschema", StringComparison.Ordinal) => JsonSerializer.Serialize(new { summary = "A summary.", rationale = "Because.", significance = 140, evidence = "high", clarity = 50 }),
            // Scores derived from the title length, so papers differ and ranks can be checked.
            _ => JsonSerializer.Serialize(new
            {
                summary = "The paper " + title + " contributes a method.",
                rationale = "Clear method, some evidence.",
                significance = 40 + (title.Length % 50),
                evidence = 55.5,
                clarity = 70,
            }),
        };
        return Results.Json(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = deployment,
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
