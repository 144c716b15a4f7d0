using ScholarFx.Tests.Infra.Infrastructure;

namespace ScholarFx.Tests.Infra;

/// <summary>Azure OpenAI: optional, keyless, chat and embeddings pinned to their model versions.</summary>
public sealed class AzureOpenAiTemplateTests
{
    [Fact]
    public async Task AzureOpenAi_IsCreatedOnlyWhenEnabled_AndIsOffByDefault()
    {
        var main = (await CompiledInfra.GetAsync()).Main;
        var deployment = main.Module("openai").Deployment;

        Assert.Equal("[parameters('enableAzureOpenAi')]", deployment.GetProperty("condition").GetString());
        Assert.False(main.ParameterValue("enableAzureOpenAi")!.GetValue<bool>());
    }

    [Fact]
    public async Task AzureOpenAiAccount_DisablesKeys()
    {
        var account = (await CompiledInfra.GetAsync()).Main.Module("openai").Resource("Microsoft.CognitiveServices/accounts");

        Assert.Equal("OpenAI", account.Body.GetProperty("kind").GetString());
        Assert.True(account.Properties.GetProperty("disableLocalAuth").GetBoolean());
        Assert.Equal("[parameters('name')]", account.Properties.GetProperty("customSubDomainName").GetString());
    }

    [Fact]
    public async Task AzureOpenAi_DeploysAChatAndAnEmbeddingsModel_NamedByVersion_NeverAutoUpgraded()
    {
        var openAi = (await CompiledInfra.GetAsync()).Main.Module("openai");
        var deployments = openAi.Resources.Where(r => r.Type == "Microsoft.CognitiveServices/accounts/deployments").ToList();

        Assert.Equal(2, deployments.Count);
        Assert.All(deployments, d => Assert.Equal("NoAutoUpgrade", d.Properties.GetProperty("versionUpgradeOption").GetString()));
        foreach (var parameter in new[] { "chat", "embedding" })
        {
            // ScholarFx labels scores with the deployment name, so a new model version must be a new name (a rescore).
            Assert.Matches(@"format\('\{0\}-\{1\}', parameters\('\w+'\), parameters\('\w+Version'\)\)", openAi.PassedValue(parameter));
        }
    }

    [Fact]
    public async Task AppSettings_NameAzureOpenAiOnlyWhenEnabled_AndEmbeddingsOnlyWhenChosen()
    {
        var functionApp = (await CompiledInfra.GetAsync()).Main.Module("function-app");

        Assert.StartsWith("\"[if(parameters('enableAzureOpenAi'),", functionApp.PassedValue("openAiEndpoint"), StringComparison.Ordinal);
        Assert.StartsWith("\"[if(parameters('enableAzureOpenAi'),", functionApp.PassedValue("openAiChatDeployment"), StringComparison.Ordinal);
        Assert.StartsWith("\"[if(and(parameters('enableAzureOpenAi'), parameters('useAzureOpenAiEmbeddings')),", functionApp.PassedValue("openAiEmbeddingDeployment"), StringComparison.Ordinal);
    }
}
