using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ScholarFx.Core.Storage;
using ScholarFx.LocalHost;
using ScholarFx.Tests.Integration.Infrastructure;

namespace ScholarFx.Tests.Integration.LocalHost;

/// <summary>The LocalHost's queue trigger on a real Azurite queue: binding, deletion on success, retries, and the poison queue.</summary>
public sealed class QueueTriggerRunnerTests(AzuriteFixture fixture) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task AMessage_IsBoundToTheTriggerType_AndDeletedWhenTheFunctionSucceeds()
    {
        var (runner, queue, _) = await RunnerAsync(nameof(TestQueueFunctions.Succeeds), "runner-ok");
        await queue.SendMessageAsync("""{"name":"ada","count":3}""");

        var handled = await runner.PollOnceAsync(Function(nameof(TestQueueFunctions.Succeeds)), CancellationToken.None);

        Assert.Equal(1, handled);
        Assert.Contains(new TestMessage("ada", 3), TestQueueFunctions.Received);
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
    }

    [Fact]
    public async Task AMessageThatKeepsFailing_IsRetriedThenMovedToThePoisonQueue_AfterMaxDequeueCount()
    {
        var (runner, queue, poison) = await RunnerAsync(nameof(TestQueueFunctions.Fails), "runner-poison");
        await queue.SendMessageAsync("""{"name":"bad","count":1}""");
        var function = Function(nameof(TestQueueFunctions.Fails));

        for (var attempt = 1; attempt < 3; attempt++)
        {
            await runner.PollOnceAsync(function, CancellationToken.None);
            Assert.Single((await queue.PeekMessagesAsync()).Value); // back on the queue for another attempt
            Assert.Empty((await poison.PeekMessagesAsync()).Value);
        }

        await runner.PollOnceAsync(function, CancellationToken.None);

        Assert.Empty((await queue.PeekMessagesAsync()).Value);
        var parked = Assert.Single((await poison.PeekMessagesAsync()).Value);
        Assert.Equal("""{"name":"bad","count":1}""", parked.Body.ToString());
    }

    private static FunctionDescriptor Function(string method)
    {
        var info = typeof(TestQueueFunctions).GetMethod(method)!;
        return new FunctionDescriptor(method, typeof(TestQueueFunctions), info, info.GetParameters()[0]);
    }

    private async Task<(QueueTriggerRunner Runner, Azure.Storage.Queues.QueueClient Queue, Azure.Storage.Queues.QueueClient Poison)> RunnerAsync(string method, string queueName)
    {
        var storage = fixture.Services.GetRequiredService<ScholarFxStorage>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["TestQueue"] = queueName }).Build();
        // maxDequeueCount 3 and no visibility delay, so the test sees each attempt at once.
        var runner = new QueueTriggerRunner(fixture.Services, storage, configuration, new QueueTriggerSettings(TimeSpan.FromSeconds(1), TimeSpan.Zero, 4, 3), NullLogger<QueueTriggerRunner>.Instance);
        var queue = storage.QueueService.GetQueueClient(queueName);
        var poison = storage.QueueService.GetQueueClient(queueName + "-poison");
        await queue.CreateIfNotExistsAsync();
        await poison.CreateIfNotExistsAsync();
        Assert.NotNull(typeof(TestQueueFunctions).GetMethod(method)!.GetCustomAttribute<FunctionAttribute>());
        return (runner, queue, poison);
    }
}

/// <summary>A queue message type for the tests.</summary>
public sealed record TestMessage(string Name, int Count);

/// <summary>Queue-triggered functions declared the way the app declares its own.</summary>
public sealed class TestQueueFunctions
{
    public static System.Collections.Concurrent.ConcurrentBag<TestMessage> Received { get; } = [];

    [Function(nameof(Succeeds))]
    public Task Succeeds([QueueTrigger("%TestQueue%")] TestMessage message, CancellationToken cancellationToken)
    {
        Received.Add(message);
        return Task.CompletedTask;
    }

    [Function(nameof(Fails))]
    public Task Fails([QueueTrigger("%TestQueue%")] TestMessage message, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this function always fails");
}
