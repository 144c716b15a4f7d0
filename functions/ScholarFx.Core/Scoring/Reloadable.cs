namespace ScholarFx.Core.Scoring;

/// <summary>
/// A value loaded once per process on first use (a failed or cancelled load is tried again at the next use) and
/// loaded again on demand; concurrent callers share one load. The owner passes its load function on each call.
/// </summary>
public sealed class Reloadable<T>
{
    private readonly Lock gate = new();
    private Task<T>? loading;

    /// <summary>The value, loading it if it was never loaded or the last load failed.</summary>
    public Task<T> GetAsync(Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (loading is null || loading.IsFaulted || loading.IsCanceled)
            {
                loading = load(cancellationToken);
            }

            return loading;
        }
    }

    /// <summary>Loads the value again.</summary>
    public Task<T> ReloadAsync(Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            loading = load(cancellationToken);
            return loading;
        }
    }
}
