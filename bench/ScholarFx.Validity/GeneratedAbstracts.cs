namespace ScholarFx.Validity;

/// <summary>
/// Generated abstracts for the small harness the unit tests run (no real text in the repository). A topic is a task on
/// a kind of data with a family of methods; each paper of a topic invents its own module from a large vocabulary,
/// picks its difficulty, dataset and numbers, and writes five to seven sentences from varied patterns that keep coming
/// back to its own terms — so papers of a topic read alike, papers of different topics do not, and no two papers are
/// near-copies unless a probe makes them so. Written for this project; deterministic from the seed.
/// </summary>
public static class GeneratedAbstracts
{
    private static readonly string[] Tasks =
    [
        "semantic segmentation", "machine translation", "speech recognition", "question answering", "object detection",
        "text summarisation", "depth estimation", "named entity recognition", "image captioning", "sentiment analysis",
        "pose estimation", "code generation", "video retrieval", "dialogue state tracking", "scene reconstruction",
        "anomaly detection", "document classification", "optical flow estimation", "relation extraction", "image deblurring",
        "visual tracking", "grammatical error correction", "point cloud registration", "table understanding",
    ];

    private static readonly string[] Data =
    [
        "medical scans", "legal contracts", "satellite imagery", "clinical notes", "driving scenes", "low-resource languages",
        "scientific articles", "product photos", "social media posts", "underwater footage", "financial reports",
        "crop fields", "surgical videos", "support chats", "historical manuscripts", "drone footage", "patent filings",
        "sign language videos", "weather radar", "retail receipts",
    ];

    private static readonly string[] Families =
    [
        "diffusion", "graph networks", "transformers", "language models", "contrastive learning", "mixtures of experts",
        "reinforcement learning", "convolutional networks", "distillation", "state space models", "kernel methods",
        "variational inference", "meta-learning", "sparse coding",
    ];

    private static readonly string[] Adjectives =
    [
        "adaptive", "hierarchical", "sparse", "gated", "recurrent", "multiscale", "causal", "probabilistic", "modular",
        "residual", "equivariant", "curriculum", "uncertainty-aware", "frequency-domain", "prototype-based", "memory-augmented",
        "boundary-aware", "token-efficient", "cross-lingual", "temporal", "geometric", "calibrated", "lightweight", "robust",
        "self-paced", "retrieval-based", "prompt-conditioned", "layout-aware", "span-level", "region-level",
    ];

    private static readonly string[] Nouns =
    [
        "router", "decoder", "aligner", "memory bank", "attention head", "codebook", "adapter", "refiner", "scheduler",
        "tokenizer", "prior", "critic", "planner", "retriever", "fusion block", "projection layer", "sampler", "regulariser",
        "verifier", "graph builder", "denoiser", "encoder", "reranker", "mask predictor", "loss term", "anchor set",
    ];

    private static readonly string[] Challenges =
    [
        "scarce labels", "distribution shift", "long-range dependencies", "noisy annotations", "tight latency budgets",
        "class imbalance", "ambiguous references", "small objects", "domain-specific vocabulary", "missing modalities",
        "privacy constraints", "adversarial perturbations", "occlusion", "label drift", "long documents", "rare events",
    ];

    private static readonly string[] Metrics = ["accuracy", "F1", "mean IoU", "BLEU", "recall at 10", "AUC", "word error rate", "exact match"];

    private static readonly string[] Categories = ["cs.CV", "cs.CL", "cs.LG"];

    private static readonly string[] Given = ["Ana", "Bo", "Chen", "Dara", "Emil", "Fatima", "Goran", "Hana", "Ivo", "Jin", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya"];

    private static readonly string[] Family = ["Abe", "Brandt", "Costa", "Dube", "Ekström", "Farah", "Gill", "Haddad", "Iwata", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nkosi"];

    /// <summary><paramref name="papers"/> papers over two years from 2023-01-01, in <paramref name="topics"/> topics.</summary>
    public static IReadOnlyList<EvalPaper> Generate(int papers, int topics, int seed)
    {
        var random = new Random(seed);
        var plan = Enumerable.Range(0, topics).Select(t => (
            Task: Tasks[random.Next(Tasks.Length)],
            Data: Data[random.Next(Data.Length)],
            Family: Families[random.Next(Families.Length)],
            Category: Categories[t % Categories.Length],
            Opens: random.Next(365))).ToArray();
        var start = new DateOnly(2023, 1, 1);
        var result = new List<EvalPaper>();
        for (var i = 0; i < papers; i++)
        {
            var (task, data, family, category, opens) = plan[random.Next(topics)];
            var module = $"{Pick(random, Adjectives)} {Pick(random, Nouns)}";
            var second = $"{Pick(random, Adjectives)} {Pick(random, Nouns)}";
            var name = $"{char.ToUpperInvariant(module[0])}{module[1..3]}{char.ToUpperInvariant(second[0])}{second[1..3]}";
            var challenge = Pick(random, Challenges);
            var metric = Pick(random, Metrics);
            var dataset = $"{char.ToUpperInvariant(data[0])}{data[1..4]}{(char)('A' + random.Next(26))}-{10 + random.Next(90)}";
            var gain = (1 + (random.NextDouble() * 9)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            var sentences = new List<string>
            {
                Pick(random,
                    $"{Capitalise(task)} on {data} is hard when {challenge} dominate.",
                    $"Models for {task} often fail on {data} because of {challenge}.",
                    $"{Capitalise(challenge)} make {task} on {data} unreliable in practice."),
                Pick(random,
                    $"Methods based on {family} treat every input alike and ignore how {data} are structured.",
                    $"Existing {family} pipelines need heavy tuning before they transfer to {data}.",
                    $"Prior {family} work reports strong averages but degrades sharply under {challenge}."),
                Pick(random,
                    $"We propose {name}, which combines {family} with a {module} and a {second}.",
                    $"We introduce {name}: a {module} steers {family} while a {second} handles {challenge}.",
                    $"This paper presents {name}, a {module} for {task} that feeds a {second}."),
                Pick(random,
                    $"The {module} is trained jointly with the {second} and adds little overhead.",
                    $"The {second} reuses the representations of the {module}, so no extra labels are needed.",
                    $"A consistency objective ties the {module} to the {second} across views of {data}."),
            };
            if (random.Next(2) == 0)
            {
                sentences.Add(Pick(random,
                    $"We analyse when the {module} helps and when it reduces to plain {family}.",
                    $"A theoretical argument bounds the error the {second} can add.",
                    $"We also study how {name} behaves as {challenge} grow."));
            }

            sentences.Add(Pick(random,
                $"On the {dataset} benchmark, {name} improves {metric} by {gain} points over strong baselines.",
                $"Experiments on {dataset} show that {name} outperforms prior {family} methods by {gain}% in {metric}.",
                $"{name} reaches a new best {metric} on {dataset}, {gain} points above the previous state of the art."));
            if (random.Next(2) == 0)
            {
                sentences.Add(Pick(random, "Code and models are publicly available.", $"Ablations confirm that both the {module} and the {second} matter.", $"The gains hold across three splits of {dataset}."));
            }

            var title = Pick(random,
                $"{name}: {Capitalise(module)} for {Capitalise(task)} on {Capitalise(data)}",
                $"{Capitalise(task)} under {Capitalise(challenge)} with a {Capitalise(module)}",
                $"{name}: {Capitalise(family)} with a {Capitalise(second)} for {Capitalise(data)}");
            var authors = Enumerable.Range(0, 1 + random.Next(4))
                .Select(_ => $"{Pick(random, Given)}-{Pick(random, Family)}".ToLowerInvariant())
                .Distinct().ToList();
            var published = start.AddDays(opens + random.Next(730 - opens));
            result.Add(new EvalPaper($"gen:{i}", title, string.Join(' ', sentences), authors, category, published));
        }

        return [.. result.OrderBy(p => p.Published).ThenBy(p => p.Id, StringComparer.Ordinal)];
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
