using System.Globalization;
using ScholarFx.Bench;

// dotnet run -c Release --project bench/ScholarFx.Bench -- <mode> [args]
//   profile-read [requests=1000]   GET profile over HTTP vs raw Azurite point read
//   novelty [papers=10000]          novelty of a synthetic vector corpus: blocked search vs per-paper scan
//   encoder [abstracts=200] [batch=100]  MiniLM configurations vs the full ingest pipeline (Ingest__BatchSize)
//   usearch [papers=20000]          USearch HNSW vs the exact search: time and recall@10
//   assessor [papers=5000]          the local AI assessor vs the MiniLM encoder on the same texts
//   bigfile [MiB=1024] [recordKiB=8] a generated JSON Lines blob ingested with the TEST embedder: papers/s, peak working set
//   validity [corpus=../shared/corpus/arxiv-cv-cl-2025] [pioneer]  novelty and AI-score validity on real and generated papers, and the pioneer candidates on the real ones (pioneer: only those) (docs/validity.md)
//   cited [corpus=../shared/corpus/arxiv-cs-cited-2019-2024] [later-only corpus] [embed] [contribution] [pioneer] [probes=50] [closest]  novelty and pioneer candidates against later citations (pioneer: only the pioneer candidates and their variants; probes: near-copies of each kind joined for the pioneer candidates; closest: only the product's row and the variants closest to the targets) (docs/validity.md)
//   view [papers=100000] [full|load] the corpus view on synthetic vectors: memory per paper, cold load, catching up 1,000 new papers (load: stop after the cold load)
//   load [seconds=60] [rate=500] [profiles=1000]  GET /api/profiles/{id} on the LocalHost at a fixed arrival rate vs raw Azurite point reads (issue 12)
//   flood [seconds=30] [rate=200] [queryRate=50] [papers=1000]  profile GETs alone, then while distinct anonymous queries by meaning arrive from many addresses, bounded and opened wide (issue 25)
//   discovery [papers=100000] [queries=200]  search by meaning / similar papers: the kernel and a whole request (MiniLM + kernel + title reads)
//   settle-resume <kept Azurite folder> [count]  one settling on a copy of a folder kept by settle ... keep-data from a run stopped in its last round: that round again, on the same state every time
//   settle [corpus=../shared/corpus/arxiv-cv-cl-2025] [files=10] [perFile=0 (all)] [disk|memory] [count] [keep-data] [rescore] [profile-azurite]  the LocalHost ingesting the real corpus's files dropped at once: growth curve, settling latency (count: requests by table; rescore: a full rescore afterwards, which should change nothing)
var mode = args.Length > 0 ? args[0] : "profile-read";
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; date {DateTime.UtcNow:yyyy-MM-dd}");
switch (mode)
{
    case "profile-read":
        await ProfileReadBench.RunAsync(Arg(1, 1000));
        break;
    case "novelty":
        NoveltyBench.Run(Arg(1, 10_000));
        break;
    case "usearch":
        UsearchBench.Run(Arg(1, 20_000));
        break;
    case "encoder":
        await EncoderBench.RunAsync(Arg(1, 200), Arg(2, 100));
        break;
    case "assessor":
        await AssessorBench.RunAsync(Arg(1, 5000));
        break;
    case "bigfile":
        await BigFileBench.RunAsync(Arg(1, 1024), Arg(2, 8));
        break;
    case "validity":
        await ValidityBench.RunAsync(args.Length > 1 && args[1] != "pioneer" ? args[1] : "../shared/corpus/arxiv-cv-cl-2025", "bench/results/embeddings.bin", args.Contains("pioneer"));
        break;
    case "cited":
        await CitedBench.RunAsync(
            args.Length > 1 ? args[1] : "../shared/corpus/arxiv-cs-cited-2019-2024",
            args.Skip(2).FirstOrDefault(a => a is not "embed" and not "contribution" and not "pioneer" and not "closest" && !a.StartsWith("probes=", StringComparison.Ordinal)),
            "bench/results/embeddings.bin",
            args.Contains("embed"),
            args.Contains("contribution"),
            args.Contains("pioneer"),
            args.FirstOrDefault(a => a.StartsWith("probes=", StringComparison.Ordinal)) is { } probes ? int.Parse(probes["probes=".Length..], CultureInfo.InvariantCulture) : CitedBench.DefaultPioneerProbes,
            args.Contains("closest"));
        break;
    case "view":
        ViewBench.Run(Arg(1, 100_000), args.Length > 2 && args[2] == "full", args.Length > 2 && args[2] == "load");
        break;
    case "load":
        await LoadBench.RunAsync(Arg(1, 60), Arg(2, 500), Arg(3, 1000));
        break;
    case "flood":
        await FloodBench.RunAsync(Arg(1, 30), Arg(2, 200), Arg(3, 50), Arg(4, 1000));
        break;
    case "discovery":
        await DiscoveryBench.RunAsync(Arg(1, 100_000), Arg(2, 200));
        break;
    case "settle":
        await SettleBench.RunAsync(args.Length > 1 ? args[1] : "../shared/corpus/arxiv-cv-cl-2025", Arg(2, 10), Arg(3, 0), args.Contains("memory"), SettleProbesParser.Parse(args));
        break;
    case "settle-resume":
        await SettleResumeBench.RunAsync(args.Length > 1 ? args[1] : throw new ArgumentException("settle-resume <an Azurite folder kept by settle ... keep-data>"), args.Contains("count"));
        break;
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 1;
}

return 0;
