namespace Personalization.Gateway.Auth;

/// <summary>Roles of API keys; each includes the ones before it (admin can do everything ingest can, ingest everything read can).</summary>
public enum ApiRole
{
    Read = 0,
    Ingest = 1,
    Admin = 2,
}
