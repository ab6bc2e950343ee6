using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Personalization.Gateway.Auth;

/// <summary>
/// The configured keys and the role each grants, held only as SHA-256 hashes. With no key at all the API is open: every
/// caller is an anonymous admin.
/// </summary>
public sealed class ApiKeys
{
    public const string HeaderName = "X-Api-Key";
    public const string HashPrefix = "sha256:";
    private const string BearerPrefix = "Bearer ";

    /// <summary>Longer presented keys are unknown without hashing them.</summary>
    public const int MaxKeyLength = 512;

    private readonly Dictionary<string, AuthenticationTicket> _byHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthenticationTicket>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ApiKeys(IOptions<AuthOptions> options, ILogger<ApiKeys> logger)
    {
        var roles = new Dictionary<string, ApiRole>(StringComparer.Ordinal);
        foreach (var (roleName, keys) in options.Value.ApiKeys)
        {
            if (!Enum.TryParse<ApiRole>(roleName, ignoreCase: true, out var role))
            {
                throw new InvalidOperationException($"Auth:ApiKeys:{roleName} is not a role; use read, ingest or admin.");
            }

            foreach (var key in keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var hash = HashOf(key, roleName);
                // A key listed under several roles gets the highest.
                roles[hash] = roles.TryGetValue(hash, out var existing) && existing > role ? existing : role;
            }
        }

        foreach (var (hash, role) in roles)
        {
            _byHash[hash] = Ticket(new ApiKeyIdentity(role, hash[..8], "key:" + hash));
        }

        _lookup = _byHash.GetAlternateLookup<ReadOnlySpan<char>>();
        Anonymous = IsOpen ? Ticket(new ApiKeyIdentity(ApiRole.Admin, "anonymous", "anonymous")) : null;
        if (IsOpen)
        {
            logger.LogWarning("No API key is configured (Auth:ApiKeys:read|ingest|admin): the API is open to anyone who can reach it (Development, or Auth:AllowAnonymous=true).");
        }
    }

    public bool IsOpen => _byHash.Count == 0;

    /// <summary>The ticket of every caller of an open API; null when keys are configured.</summary>
    public AuthenticationTicket? Anonymous { get; }

    /// <summary>
    /// The ticket of a presented key, or null. One SHA-256 and a dictionary lookup of its hex: only the hash of the
    /// presented key is compared, so the time taken tells nothing about a configured key.
    /// </summary>
    public AuthenticationTicket? Find(string key)
    {
        if (key.Length > MaxKeyLength)
        {
            return null;
        }

        Span<byte> utf8 = stackalloc byte[MaxKeyLength * 3];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(key, utf8)], hash);
        Convert.TryToHexStringLower(hash, hex, out _);
        return _lookup.TryGetValue(hex, out var ticket) ? ticket : null;
    }

    /// <summary>
    /// The key presented as <c>Authorization: Bearer &lt;key&gt;</c> (for clients that cannot add a header of their own,
    /// such as Prometheus), when the bearer value is a configured key; null otherwise, and for a user token.
    /// </summary>
    public AuthenticationTicket? FindBearer(HttpRequest request) =>
        request.Headers.Authorization is [{ } authorization] && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? Find(authorization[BearerPrefix.Length..].Trim())
            : null;

    /// <summary>The lowercase hex SHA-256 of a configured key, given plain or as <c>sha256:&lt;hex&gt;</c>.</summary>
    private static string HashOf(string configured, string roleName)
    {
        if (!configured.StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
        }

        var hex = configured[HashPrefix.Length..];
        return hex.Length == SHA256.HashSizeInBytes * 2 && hex.All(char.IsAsciiHexDigit)
            ? hex.ToLowerInvariant()
            : throw new InvalidOperationException($"A key of Auth:ApiKeys:{roleName} starts with '{HashPrefix}' but is not 64 hex digits.");
    }

    private static AuthenticationTicket Ticket(ApiKeyIdentity identity) =>
        new(new System.Security.Claims.ClaimsPrincipal(identity), ApiKeyAuthentication.SchemeName);
}
