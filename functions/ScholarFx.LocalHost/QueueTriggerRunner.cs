using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ScholarFx.Core.Storage;

namespace ScholarFx.LocalHost;

/// <summary>The queue trigger settings of host.json (<c>extensions.queues</c>), with the Functions host's defaults.</summary>
public sealed record QueueTriggerSettings(TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int BatchSize, int MaxDequeueCount)
{
    /// <summary>Reads <c>host.json</c> at the repository root; missing values take the host's defaults.</summary>
    public static QueueTriggerSettings Read(string repositoryRoot)
    {
        var settings = new QueueTriggerSettings(TimeSpan.FromMinutes(1), TimeSpan.Zero, 16, 5);
        var path = Path.Combine(repositoryRoot, "host.json");
        if (!File.Exists(path))
        {
            return settings;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        if (!json.RootElement.TryGetProperty("extensions", out var extensions) || !extensions.TryGetProperty("queues", out var queues))
        {
            return settings;
        }

        TimeSpan Time(string name, TimeSpan fallback) =>
            queues.TryGetProperty(name, out var v) ? TimeSpan.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        int Number(string name, int fallback) => queues.TryGetProperty(name, out var v) ? v.GetInt32() : fallback;
        return new QueueTriggerSettings(
            Time("maxPollingInterval", settings.MaxPollingInterval),
            Time("visibilityTimeout", settings.VisibilityTimeout),
            Number("batchSize", settings.BatchSize),
            Number("maxDequeueCount", settings.MaxDequeueCount));
    }
}

/// <summary>
/// Runs queue-triggered functions as the Functions host does: polls each function's queue (backing off to
/// <c>maxPollingInterval</c> while it is empty), hides a message while its invocation runs, deletes it on success,
/// makes it visible again after <c>visibilityTimeout</c> on failure, and after <c>maxDequeueCount</c> failed
/// attempts moves it to <c>{queue}-poison</c>. Message bodies are Base64, bound to the trigger parameter's type
/// (string, BinaryData, or JSON of a record).
/// </summary>
public sealed class QueueTriggerRunner(
    IServiceProvider services,
    ScholarFxStorage storage,
    IConfiguration configuration,
    QueueTriggerSettings settings,
    ILogger<QueueTriggerRunner> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Processing = TimeSpan.FromMinutes(10);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var functions = FunctionCatalog.Discover(FunctionCatalog.FunctionsAssembly).Where(f => f.Queue is not null).ToList();
        await Task.WhenAll(functions.Select(f => RunAsync(f, stoppingToken)));
    }

    private async Task RunAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        var wait = MinimumPollingInterval;
        logger.LogInformation("Queue function {Function} listens on queue {Queue}", function.Name, QueueName(function));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await PollOnceAsync(function, stoppingToken) > 0)
                {
                    wait = MinimumPollingInterval;
                    continue;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Polling queue {Queue} failed; retrying", QueueName(function));
            }

            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, settings.MaxPollingInterval.Ticks));
            try
            {
                await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Receives one batch of the function's queue and invokes the function on each message; returns how many there were.</summary>
    public async Task<int> PollOnceAsync(FunctionDescriptor function, CancellationToken cancellationToken)
    {
        var name = QueueName(function);
        var queue = storage.QueueService.GetQueueClient(name);
        var poison = storage.QueueService.GetQueueClient(name + "-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        QueueMessage[] messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, Processing, cancellationToken)).Value;
        await Task.WhenAll(messages.Select(m => InvokeAsync(function, queue, poison, m, cancellationToken)));
        return messages.Length;
    }

    private string QueueName(FunctionDescriptor function) => TimerTriggerRunner.ResolveSchedule(function.Queue!.QueueName, configuration);

    private async Task InvokeAsync(FunctionDescriptor function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var payload = Bind(message.Body, function.Trigger.ParameterType);
            await FunctionCatalog.InvokeAsync(function, services, payload, new Dictionary<string, string?>
            {
                ["id"] = message.MessageId,
                ["dequeueCount"] = message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, cancellationToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the message becomes visible again when its processing time runs out.
        }
        catch (Exception e)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                logger.LogError(e, "Queue function {Function} failed on message {MessageId} {Attempts} times; moved to {Poison}", function.Name, message.MessageId, message.DequeueCount, poison.Name);
                await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                return;
            }

            logger.LogWarning(e, "Queue function {Function} failed on message {MessageId} (attempt {Attempt} of {Max}); retried after {Delay}", function.Name, message.MessageId, message.DequeueCount, settings.MaxDequeueCount, settings.VisibilityTimeout);
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The trigger argument for a message body, as the isolated worker binds it.</summary>
    public static object Bind(BinaryData body, Type type) =>
        type == typeof(string) ? body.ToString()
        : type == typeof(BinaryData) ? body
        : type == typeof(byte[]) ? body.ToArray()
        : JsonSerializer.Deserialize(body, type, Json) ?? throw new JsonException($"The message body is not a {type.Name}.");
}
