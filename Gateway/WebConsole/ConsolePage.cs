using System.Reflection;

namespace Personalization.Gateway.WebConsole;

/// <summary>
/// The web console at <c>/console</c>: static HTML, CSS and JavaScript modules embedded in this assembly (no CDN, no
/// build step), open to anyone like the API reference (it holds no data; every call it makes needs an API key), and
/// left out of the API document. A strict Content-Security-Policy lets the page load and call nothing but this gateway.
/// </summary>
public static class ConsolePage
{
    public const string Path = "/console";

    /// <summary>Manifest resource names of the assets start with this (see Gateway.csproj).</summary>
    private const string ResourcePrefix = "console/";

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Assembly _assembly = typeof(ConsolePage).Assembly;

    private static readonly Dictionary<string, string> _contentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapGet(Path + "/{**file}", Serve).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(string? file, HttpRequest request, HttpResponse response)
    {
        // The page's relative asset paths need the slash (routing matches /console and /console/ alike).
        if (string.IsNullOrEmpty(file) && request.Path.Value?.EndsWith('/') != true)
        {
            return TypedResults.Redirect(Path + "/");
        }

        var name = string.IsNullOrEmpty(file) ? "index.html" : file;
        var stream = _contentTypes.TryGetValue(System.IO.Path.GetExtension(name), out var contentType)
            ? _assembly.GetManifestResourceStream(ResourcePrefix + name)
            : null;
        if (stream is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"The console has no file '{name}'.");
        }

        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-cache";
        return TypedResults.Stream(stream, contentType);
    }
}
