using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ScholarFx.LocalHost;

/// <summary>A function as its attributes declare it.</summary>
public sealed record FunctionDescriptor(string Name, Type Type, MethodInfo Method, ParameterInfo Trigger)
{
    public HttpTriggerAttribute? Http => Trigger.GetCustomAttribute<HttpTriggerAttribute>();
    public BlobTriggerAttribute? Blob => Trigger.GetCustomAttribute<BlobTriggerAttribute>();
    public TimerTriggerAttribute? Timer => Trigger.GetCustomAttribute<TimerTriggerAttribute>();
    public QueueTriggerAttribute? Queue => Trigger.GetCustomAttribute<QueueTriggerAttribute>();
}

/// <summary>Finds the functions of the app by the same attributes the Functions SDK reads to write functions.metadata.</summary>
public static class FunctionCatalog
{
    /// <summary>Every <c>[Function]</c> method of the function app.</summary>
    public static IReadOnlyList<FunctionDescriptor> Discover(Assembly assembly) =>
        [.. from type in assembly.GetExportedTypes()
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            let function = method.GetCustomAttribute<FunctionAttribute>()
            where function is not null
            let trigger = method.GetParameters().FirstOrDefault(p =>
                p.GetCustomAttribute<HttpTriggerAttribute>() is not null ||
                p.GetCustomAttribute<BlobTriggerAttribute>() is not null ||
                p.GetCustomAttribute<TimerTriggerAttribute>() is not null ||
                p.GetCustomAttribute<QueueTriggerAttribute>() is not null)
            where trigger is not null
            orderby function.Name
            select new FunctionDescriptor(function.Name, type, method, trigger)];

    /// <summary>The function app's assembly.</summary>
    public static Assembly FunctionsAssembly => typeof(ScholarFx.Functions.Ingest.IngestFunction).Assembly;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Microsoft.Extensions.DependencyInjection.ObjectFactory> Factories = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<MethodInfo, ParameterInfo[]> Parameters = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, PropertyInfo?> ResultProperties = new();

    /// <summary>
    /// Invokes a function: a new instance from the container per invocation (as the worker does), arguments
    /// matched by type (trigger payload, <see cref="CancellationToken"/>) and by name (route or path values).
    /// </summary>
    public static async Task<object?> InvokeAsync(
        FunctionDescriptor function,
        IServiceProvider services,
        object triggerPayload,
        IReadOnlyDictionary<string, string?> bindingData,
        CancellationToken cancellationToken)
    {
        // The constructor lookup and the parameter list are reflected once per function, not per request.
        var instance = function.Method.IsStatic ? null : Factories.GetOrAdd(function.Type, t => Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateFactory(t, []))(services, []);
        var args = Parameters.GetOrAdd(function.Method, m => m.GetParameters()).Select(p =>
            p == function.Trigger ? triggerPayload
            : p.ParameterType == typeof(CancellationToken) ? cancellationToken
            : bindingData.TryGetValue(p.Name!, out var value) ? value
            : throw new InvalidOperationException($"Function {function.Name}: parameter '{p.Name}' cannot be bound by the LocalHost.")).ToArray();
        try
        {
            var result = function.Method.Invoke(instance, args);
            if (result is Task task)
            {
                await task.ConfigureAwait(false);
                var resultProperty = ResultProperties.GetOrAdd(task.GetType(), t => t.GetProperty("Result"));
                return resultProperty?.PropertyType.Name == "VoidTaskResult" ? null : resultProperty?.GetValue(task);
            }

            return result;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }
}
