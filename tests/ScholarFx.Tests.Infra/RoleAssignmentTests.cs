using System.Text.RegularExpressions;
using ScholarFx.Tests.Infra.Infrastructure;

namespace ScholarFx.Tests.Infra;

/// <summary>Role assignments: all in infra/app/roles.bicep, each beside its role's name.</summary>
public sealed partial class RoleAssignmentTests
{
    // Built-in role definition ids (the same in every tenant) and their names.
    private static readonly Dictionary<string, string> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
        ["5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"] = "Cognitive Services OpenAI User",
    };

    [Fact]
    public async Task RoleAssignments_AllLiveInTheRolesModule()
    {
        var main = (await CompiledInfra.GetAsync()).Main;

        var assignments = main.AllResources.Where(r => r.Type == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.All(assignments, r => Assert.Equal("roles", r.Template.Name));
        Assert.Contains(main.Module("roles").Resources, r => r.Type == "Microsoft.Authorization/roleAssignments");
    }

    [Theory]
    [InlineData("Storage Blob Data Owner")]
    [InlineData("Storage Queue Data Contributor")]
    [InlineData("Storage Table Data Contributor")]
    [InlineData("Monitoring Metrics Publisher")]
    [InlineData("Cognitive Services OpenAI User")]
    public async Task AppIdentity_IsGranted(string role)
    {
        var roles = (await CompiledInfra.GetAsync()).Main.Module("roles").Json.GetRawText();

        Assert.Contains(Roles.Single(r => r.Value == role).Key, roles, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RolesBicep_NamesEachRoleIdBesideIt_AndEachAssignmentAfterItsRole()
    {
        var lines = Repository.Read("infra/app/roles.bicep").Split('\n');

        var ids = lines.Select(line => RoleIdEntry().Match(line)).Where(m => m.Success).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["id"].Value);
        Assert.Equal(Roles.Keys.Order(StringComparer.OrdinalIgnoreCase), ids.Values.Order(StringComparer.OrdinalIgnoreCase));
        Assert.All(lines.Where(line => RoleId().IsMatch(line)), line => Assert.EndsWith($"// {Roles[RoleId().Match(line).Value]}", line.TrimEnd(), StringComparison.Ordinal));

        var uses = lines.Select((line, index) => (Match: RoleUse().Match(line), Index: index)).Where(u => u.Match.Success).ToList();
        Assert.NotEmpty(uses);
        Assert.All(uses, use =>
        {
            var name = Roles[ids[use.Match.Groups[1].Value]];
            var comment = string.Join('\n', CommentAbove(lines, use.Index));
            Assert.True(comment.Contains($"// {name}", StringComparison.Ordinal), $"line {use.Index + 1} assigns {name} without a comment naming it");
        });
    }

    // The nearest block of comment lines above a line.
    private static IEnumerable<string> CommentAbove(string[] lines, int index) =>
        lines.Take(index).Reverse()
            .SkipWhile(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .TakeWhile(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal));

    [GeneratedRegex(@"^\s*(?<key>\w+): '(?<id>[0-9a-f-]{36})'")]
    private static partial Regex RoleIdEntry();

    [GeneratedRegex(@"\broles\.(\w+)")]
    private static partial Regex RoleUse();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex RoleId();
}
