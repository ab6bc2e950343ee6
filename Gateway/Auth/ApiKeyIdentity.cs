using System.Security.Claims;

namespace Personalization.Gateway.Auth;

/// <summary>
/// A caller holding an API key: its role, an id of the key that is safe to log (the first 8 hex digits of its SHA-256),
/// and the name of its rate-limit bucket (the whole hash, so that no raw key is ever held).
/// </summary>
public sealed class ApiKeyIdentity(ApiRole role, string keyId, string partitionKey)
    : ClaimsIdentity([new Claim(ClaimTypes.Role, role.ToString().ToLowerInvariant()), new Claim(KeyIdClaim, keyId)], ApiKeyAuthentication.SchemeName)
{
    public const string KeyIdClaim = "key_id";

    public ApiRole Role => role;

    public string KeyId => keyId;

    public string PartitionKey => partitionKey;
}
