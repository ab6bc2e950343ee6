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
    private const string BasicPrefix = "Basic ";

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
    /// The key presented in <c>Authorization</c>, for clients that cannot add a header of their own: as a bearer value
    /// (Prometheus) or as the password of basic authentication (a browser, for the dashboard; the user name is ignored).
    /// Null when that value is not a configured key, as for a user token.
    /// </summary>
    public AuthenticationTicket? FindInAuthorization(HttpRequest request)
    {
        if (request.Headers.Authorization is not [{ } authorization])
        {
            return null;
        }

        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Find(authorization[BearerPrefix.Length..].Trim());
        }

        if (!authorization.StartsWith(BasicPrefix, StringComparison.OrdinalIgnoreCase) || authorization.Length > MaxKeyLength * 2)
        {
            return null;
        }

        Span<byte> decoded = stackalloc byte[MaxKeyLength * 2];
        return Convert.TryFromBase64String(authorization[BasicPrefix.Length..].Trim(), decoded, out var length)
            && Encoding.UTF8.GetString(decoded[..length]) is var credentials && credentials.IndexOf(':') is >= 0 and var colon
                ? Find(credentials[(colon + 1)..])
                : null;
    }

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
