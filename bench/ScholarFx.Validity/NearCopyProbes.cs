using ScholarFx.Core.Scoring.Ai;

namespace ScholarFx.Validity;

/// <summary>The kinds of derivative paper the harness plants.</summary>
public enum ProbeKind
{
    /// <summary>An earlier paper's title and abstract, word for word.</summary>
    Verbatim,

    /// <summary>An earlier paper with its sentences shuffled and a fifth of its words (title and abstract) dropped.</summary>
    Reordered,

    /// <summary>The first half of one earlier paper (title words and sentences) joined to the second half of another of the same category.</summary>
    Joined,
}

/// <summary>A derivative paper: re-dated later, under new authors, made from <see cref="Originals"/>.</summary>
public sealed record Probe(ProbeKind Kind, IReadOnlyList<EvalPaper> Originals, EvalPaper Paper);

/// <summary>
/// Makes near-copies of real papers, deterministically from a seed: each is dated 120–200 days after its latest
/// original (inside the evaluated window) and signed by authors no corpus paper has, so the same-work rule (a
/// shared author) never excludes its original.
/// </summary>
public static class NearCopyProbes
{
    /// <summary>Up to <paramref name="perKind"/> probes of each kind whose dates fall in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static IReadOnlyList<Probe> Make(IReadOnlyList<EvalPaper> corpus, int perKind, DateOnly from, DateOnly to, int seed)
    {
        var random = new Random(seed);
        var probes = new List<Probe>();
        var sources = corpus.Where(p => p.Published.AddDays(120) <= to && p.Published.AddDays(200) >= from).ToList();
        if (sources.Count == 0)
        {
            return probes;
        }

        var byCategory = sources.GroupBy(p => p.Category ?? "").ToDictionary(g => g.Key, g => g.ToList());
        foreach (var kind in Enum.GetValues<ProbeKind>())
        {
            for (var made = 0; made < perKind;)
            {
                var a = sources[random.Next(sources.Count)];
                var originals = new List<EvalPaper> { a };
                if (kind == ProbeKind.Joined)
                {
                    var peers = byCategory[a.Category ?? ""];
                    var b = peers[random.Next(peers.Count)];
                    if (b.Id == a.Id)
                    {
                        continue;
                    }

                    originals.Add(b);
                }

                var latest = originals.Max(o => o.Published);
                var date = latest.AddDays(120 + random.Next(81));
                if (date < from || date > to)
                {
                    continue;
                }

                var id = $"probe:{kind.ToString().ToLowerInvariant()}-{made}";
                var (title, @abstract) = kind switch
                {
                    ProbeKind.Verbatim => (a.Title, a.Abstract),
                    ProbeKind.Reordered => Reorder(a, random),
                    _ => Join(a, originals[1]),
                };
                probes.Add(new Probe(kind, originals, new EvalPaper(id, title, @abstract, [$"probe-author-{kind}-{made}"], a.Category, date)));
                made++;
            }
        }

        return probes;
    }

    /// <summary>Sentences in a random order, then a fifth of the words of title and abstract dropped at random.</summary>
    private static (string Title, string Abstract) Reorder(EvalPaper paper, Random random)
    {
        var sentences = EvidenceFeatures.SentencesOf(paper.Abstract).ToArray();
        random.Shuffle(sentences);
        return (DropWords(paper.Title, random), DropWords(string.Join(' ', sentences), random));
    }

    private static string DropWords(string text, Random random)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var drop = words.Length / 5;
        var dropped = Enumerable.Range(0, words.Length).OrderBy(_ => random.Next()).Take(drop).ToHashSet();
        return string.Join(' ', words.Where((_, i) => !dropped.Contains(i)));
    }

    /// <summary>The first half of A (title words, sentences) joined to the second half of B.</summary>
    private static (string Title, string Abstract) Join(EvalPaper a, EvalPaper b)
    {
        static string[] Half(string[] items, bool first) => first ? items[..((items.Length + 1) / 2)] : items[((items.Length + 1) / 2)..];
        var titleA = a.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var titleB = b.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var sentencesA = EvidenceFeatures.SentencesOf(a.Abstract).ToArray();
        var sentencesB = EvidenceFeatures.SentencesOf(b.Abstract).ToArray();
        return (string.Join(' ', [.. Half(titleA, true), .. Half(titleB, false)]),
            string.Join(' ', [.. Half(sentencesA, true), .. Half(sentencesB, false)]));
    }
}
