using Azure;
using Azure.Data.Tables;

namespace ScholarFx.Core.Storage;

/// <summary>
/// What one author's move asks of a list partition: entries (by key) that must be there and go, entries to put under
/// their keys. <paramref name="IfPresent"/>: a change of what an entry shows, not of where it stands (a refresh: a
/// larger paper count) — when an entry it removes is not there, the author was moved since, and the change is dropped,
/// not reported as missed; an entry there already showing as many papers or more is newer, and is kept.
/// <see cref="Sole"/>: the author stands in the partition under no other key than these (a ranking list holds an author
/// once; a name-index partition holds an entry per word).
/// </summary>
internal sealed record RankChange(string AuthorId, IReadOnlyList<string> Removes, IReadOnlyList<KeyValuePair<string, RankEntry>> Puts, bool IfPresent = false)
{
    /// <summary>Whether the author may stand under no key the change neither removes nor puts (see the type).</summary>
    public bool Sole { get; init; }

    /// <summary>A move within a ranking list, whose entries are keyed by their figures (<see cref="RankPage.EntryKey"/>).</summary>
    public static RankChange Ranked(string authorId, IReadOnlyList<string> removes, IEnumerable<RankEntry> puts) =>
        new(authorId, removes, [.. puts.Select(e => KeyValuePair.Create(RankPage.EntryKey(e), e))]) { Sole = true };
}

/// <summary>
/// The pages of one ranking partition as last read or written (<see cref="RankPage"/>), and the edits a flush makes to
/// them: each touched page is written once, on the ETag it was read with, so a writer whose view is stale — another
/// instance changed, split or removed a page it relies on — fails its write and reads the partition again. A page's
/// range changes only by a split (which rewrites the page) or by the removal of the empty page below it (which fails
/// any write to the removed page), so a write conditioned on the pages it changes is a write on a current view.
/// </summary>
internal sealed class RankingPartition
{
    private readonly List<RankPage> pages;

    private RankingPartition(string key, List<RankPage> pages)
    {
        Key = key;
        this.pages = pages;
    }

    /// <summary>The partition key.</summary>
    public string Key { get; }

    /// <summary>About the bytes the partition's pages take in memory.</summary>
    public long Size => 64 + pages.Sum(p => p.Size);

    /// <summary>Pages stored (tests and the bench read it).</summary>
    public int PageCount => pages.Count;

    /// <summary>The partition from its stored pages (any order).</summary>
    public static RankingPartition Load(string key, IEnumerable<TableEntity> entities) =>
        new(key, [.. entities.Select(RankPage.FromEntity).OrderBy(p => p.Upper, StringComparer.Ordinal)]);

    /// <summary>The partition's entries, best first.</summary>
    public IEnumerable<RankEntry> Entries => pages.SelectMany(p => p.Entries.Values);

    /// <summary>The entries of an author in this partition.</summary>
    public IEnumerable<RankEntry> EntriesOf(string authorId) => Entries.Where(e => e.AuthorId == authorId);

    /// <summary>
    /// Applies the changes in order: a change one of whose removals is not there, or whose author stands under a key
    /// it neither removes nor puts (<see cref="RankChange.Sole"/>; another instance moved the author first, or an
    /// earlier attempt stopped half-way), is skipped and, unless it is only a refresh
    /// (<see cref="RankChange.IfPresent"/>), its author returned as missed. Gives the writes
    /// that store the result — every touched page once: replaced on its ETag, added when new (a split's lower parts,
    /// a list's first page), deleted on its ETag when it emptied and is not the last — and the partition as it will be.
    /// </summary>
    public (IReadOnlyList<TableTransactionAction> Writes, Func<IReadOnlyDictionary<string, ETag>, RankingPartition> Stored, IReadOnlyList<string> Missed) Apply(IEnumerable<RankChange> all)
    {
        IReadOnlyList<RankChange> changes = [.. all];
        var working = new List<RankPage>(pages);
        if (working.Count == 0 || working[^1].Upper != RankPage.LastUpper)
        {
            // A list's first entry, or a list whose last page a stopped write never added: every key has a page.
            working.Add(RankPage.Create(RankPage.LastUpper));
        }

        var edited = new Dictionary<string, SortedList<string, RankEntry>>(StringComparer.Ordinal);
        var missed = new List<string>();
        var listed = ListedKeys(changes);
        SortedList<string, RankEntry> Entries(string key, bool write)
        {
            var page = working[Locate(working, key)];
            if (edited.TryGetValue(page.Upper, out var entries))
            {
                return entries;
            }

            return write ? edited[page.Upper] = new SortedList<string, RankEntry>(page.Entries, StringComparer.Ordinal) : page.Entries;
        }

        foreach (var change in changes)
        {
            // A move was overtaken when an entry it removes is not there, or when a list's author stands under a key
            // the move neither removes nor puts: another instance listed them since this one last saw them (a first
            // listing removes nothing, so only the second test catches one made beside a newer listing).
            if (change.Removes.Any(k => !Entries(k, write: false).ContainsKey(k))
                || (change is { Sole: true, IfPresent: false } && listed.TryGetValue(change.AuthorId, out var keys) && keys.Any(k => !change.Removes.Contains(k) && !change.Puts.Any(p => p.Key == k))))
            {
                if (!change.IfPresent)
                {
                    missed.Add(change.AuthorId);
                }

                continue;
            }

            if (change.IfPresent)
            {
                foreach (var (key, entry) in change.Puts)
                {
                    if (Entries(key, write: false)[key].PaperCount < entry.PaperCount)
                    {
                        Entries(key, write: true)[key] = entry;
                    }
                }

                continue;
            }

            foreach (var key in change.Removes)
            {
                Entries(key, write: true).Remove(key);
            }

            foreach (var (key, entry) in change.Puts)
            {
                Entries(key, write: true)[key] = entry;
            }
        }

        var writes = new List<TableTransactionAction>();
        var next = new List<RankPage>();
        foreach (var page in working)
        {
            if (!edited.TryGetValue(page.Upper, out var entries) || (page.Stored && Same(page.Entries, entries)))
            {
                next.Add(page);
                continue;
            }

            if (entries.Count == 0 && page.Upper != RankPage.LastUpper)
            {
                if (page.Stored)
                {
                    writes.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Key, page.Upper), page.ETag));
                }

                continue;
            }

            var pieces = Pieces(page.With(entries, page.ETag));
            foreach (var piece in pieces)
            {
                writes.Add(piece.Stored
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, piece.ToEntity(Key), piece.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, piece.ToEntity(Key)));
                next.Add(piece);
            }
        }

        RankingPartition Stored(IReadOnlyDictionary<string, ETag> etags) =>
            new(Key, [.. next.Select(p => etags.TryGetValue(p.Upper, out var etag) ? p.With(p.Entries, etag) : p).Where(p => p.Stored)]);

        return (writes, Stored, missed);
    }

    /// <summary>The keys under which the authors of <paramref name="changes"/> stand in this partition now (one pass over it).</summary>
    private Dictionary<string, List<string>> ListedKeys(IEnumerable<RankChange> changes)
    {
        var authors = changes.Where(c => c is { Sole: true, IfPresent: false }).Select(c => c.AuthorId).ToHashSet(StringComparer.Ordinal);
        if (authors.Count == 0)
        {
            return [];
        }

        var listed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            foreach (var (key, entry) in page.Entries)
            {
                if (authors.Contains(entry.AuthorId))
                {
                    (listed.TryGetValue(entry.AuthorId, out var keys) ? keys : listed[entry.AuthorId] = []).Add(key);
                }
            }
        }

        return listed;
    }

    /// <summary>A page too large for one entity as pages of half its capacity; the last keeps the page's upper bound and ETag.</summary>
    private static List<RankPage> Pieces(RankPage page)
    {
        if (!page.TooLarge)
        {
            return [page];
        }

        var pieces = new List<SortedList<string, RankEntry>>();
        var current = new SortedList<string, RankEntry>(StringComparer.Ordinal);
        var chars = 0;
        foreach (var (key, entry) in page.Entries)
        {
            var size = RankPage.Chars(key, entry);
            if (current.Count > 0 && (current.Count >= RankPage.Capacity / 2 || chars + size > RankPage.MaxChars / 2))
            {
                pieces.Add(current);
                current = new SortedList<string, RankEntry>(StringComparer.Ordinal);
                chars = 0;
            }

            current.Add(key, entry);
            chars += size;
        }

        pieces.Add(current);
        var result = new List<RankPage>();
        for (var i = 0; i < pieces.Count - 1; i++)
        {
            // Each lower piece ends below the next piece's first key.
            result.Add(RankPage.Split(pieces[i + 1].Keys[0], pieces[i]));
        }

        result.Add(page.With(pieces[^1], page.ETag));
        return result;
    }

    /// <summary>The index of the page that holds <paramref name="key"/>: the first whose upper bound is greater.</summary>
    private static int Locate(List<RankPage> pages, string key)
    {
        int low = 0, high = pages.Count - 1;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(pages[middle].Upper, key) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private static bool Same(SortedList<string, RankEntry> a, SortedList<string, RankEntry> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var other) && other == e.Value);
}
