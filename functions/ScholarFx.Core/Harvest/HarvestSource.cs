namespace ScholarFx.Core.Harvest;

/// <summary>A source the harvest pages through: how to ask for a page of a window, and how to read its cursor.</summary>
internal abstract class HarvestSource
{
    /// <summary>The source's name in blob names, state rows and health (<c>arxiv</c>, <c>openalex</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The extension of its stored pages (<c>xml</c>, <c>json</c>).</summary>
    public abstract string Extension { get; }

    /// <summary>The source's settings.</summary>
    public abstract HarvestSourceOptions Options { get; }

    /// <summary>One request per <see cref="HarvestSourceOptions.IntervalSeconds"/>.</summary>
    public abstract PolitenessGate Gate { get; }

    /// <summary>Whether a 403 means "too fast" (OpenAlex) rather than "not allowed".</summary>
    public virtual bool ForbiddenMeansRateLimit => false;

    /// <summary>The URL of the page after <paramref name="cursor"/> (null: the window's first page).</summary>
    public abstract Uri PageUri(HarvestWindow window, string? cursor);

    /// <summary>Reads a page's record count and next cursor; never throws for a bad page.</summary>
    public abstract HarvestPage Parse(ReadOnlyMemory<byte> body);
}
