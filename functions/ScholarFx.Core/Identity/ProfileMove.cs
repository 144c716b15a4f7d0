using ScholarFx.Core.Papers;

namespace ScholarFx.Core.Identity;

/// <summary>One author of one paper that changed profile when the paper was resolved again.</summary>
public sealed record ProfileMove(string PaperId, string NameKey, string From, string To)
{
    /// <summary>The authors whose profile differs between two versions of a paper (matched by name key).</summary>
    public static IEnumerable<ProfileMove> Between(Paper before, Paper after) =>
        from was in before.Authors
        join now in after.Authors on was.NameKey equals now.NameKey
        where was.Id != now.Id
        select new ProfileMove(after.Id, now.NameKey, was.Id, now.Id);
}
