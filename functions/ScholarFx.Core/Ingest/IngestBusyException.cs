namespace ScholarFx.Core.Ingest;

/// <summary>
/// Another invocation holds the blob version and keeps renewing its lease: this one gives up so the host retries it
/// later. It records nothing and does not count toward the version's attempts.
/// </summary>
public sealed class IngestBusyException(string message) : Exception(message);
