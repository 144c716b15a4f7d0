namespace ScholarFx.Core.Harvest;

/// <summary>A run cannot go on (the source refused, asked to wait too long, or failed every attempt); the next run resumes where it stopped.</summary>
internal sealed class HarvestStoppedException(string message) : Exception(message);
