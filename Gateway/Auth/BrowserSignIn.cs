namespace Personalization.Gateway.Auth;

/// <summary>
/// Endpoint metadata: a browser is asked to sign in here (basic authentication, the API key as password; see
/// <see cref="ApiKeys.FindInAuthorization"/>), since it cannot send an <c>X-Api-Key</c> header.
/// </summary>
public sealed record BrowserSignIn(string Realm);
