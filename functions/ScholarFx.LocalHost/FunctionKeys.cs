using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker;

namespace ScholarFx.LocalHost;

/// <summary>
/// The keys the LocalHost asks for, as the Functions host does in Azure: a <c>Function</c>-level route takes the
/// function key or the master key (<c>?code=</c> or the <c>x-functions-key</c> header), an <c>Admin</c>-level route
/// only the master key, an <c>Anonymous</c> route none. Like <c>func start</c>, nothing is asked for until keys are
/// configured: <c>LocalHost:FunctionKey</c> and <c>LocalHost:MasterKey</c> (environment <c>LocalHost__FunctionKey</c>,
/// <c>LocalHost__MasterKey</c>); with only a master key, it serves both levels.
/// </summary>
public sealed class FunctionKeys(string? functionKey, string? masterKey)
{
    /// <summary>Whether keys are asked for at all.</summary>
    public bool Enforced => !string.IsNullOrEmpty(functionKey) || !string.IsNullOrEmpty(masterKey);

    /// <summary>The keys from configuration.</summary>
    public static FunctionKeys From(IConfiguration configuration) =>
        new(configuration["LocalHost:FunctionKey"], configuration["LocalHost:MasterKey"]);

    /// <summary>Whether the request carries a key that opens a route of <paramref name="level"/>.</summary>
    public bool Allows(AuthorizationLevel level, HttpRequest request)
    {
        if (!Enforced || level == AuthorizationLevel.Anonymous)
        {
            return true;
        }

        var given = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        if (string.IsNullOrEmpty(given))
        {
            return false;
        }

        return Same(given, masterKey) || (level == AuthorizationLevel.Function && Same(given, functionKey));
    }

    private static bool Same(string given, string? key) =>
        !string.IsNullOrEmpty(key) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));
}
