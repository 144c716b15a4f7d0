namespace ScholarFx.Tests.Infra.Infrastructure;

/// <summary>
/// infra/main.bicep built to ARM JSON and linted, once per test run (both CLI runs at once: a few seconds).
/// </summary>
public sealed class CompiledInfra
{
    public const string MainBicep = "infra/main.bicep";

    private static readonly Lazy<Task<CompiledInfra>> Instance = new(CompileAsync);

    private CompiledInfra(BicepResult build, BicepResult lint)
    {
        Build = build;
        Lint = lint;
        Json = build.StandardOutput;
        Main = ArmTemplate.Parse(build.StandardOutput);
    }

    public BicepResult Build { get; }

    public BicepResult Lint { get; }

    /// <summary>The compiled template as text.</summary>
    public string Json { get; }

    /// <summary>The compiled main.bicep.</summary>
    public ArmTemplate Main { get; }

    public static Task<CompiledInfra> GetAsync() => Instance.Value;

    private static async Task<CompiledInfra> CompileAsync()
    {
        var build = BicepCli.RunAsync("build", MainBicep, "--stdout");
        var lint = BicepCli.RunAsync("lint", MainBicep);
        var result = await build;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build failed ({result.ExitCode}):\n{result.Diagnostics}");
        }

        return new CompiledInfra(result, await lint);
    }
}
