using Microsoft.Net.Http.Headers;

namespace Personalization.Gateway.Validation;

/// <summary>
/// Refuses (415) a body not sent as the endpoint's media type, so that a web page cannot post to the API as a form or
/// as text without a preflight. Routing refuses another media type already (from the endpoint's Accepts metadata); this
/// refuses what it lets through: no content type, a charset other than UTF-8, and structured suffixes such as
/// <c>application/merge-patch+json</c>, which name other formats with other meanings.
/// </summary>
public sealed class MediaTypeFilter(string mediaType) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        IsAccepted(context.HttpContext.Request.ContentType)
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the body as {mediaType} (UTF-8)."));

    /// <summary>Names the expected media types in routing's own 415, which has no detail.</summary>
    public static void Describe(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
        {
            context.ProblemDetails.Detail = "Send the body as application/json (application/x-ndjson for an import), in UTF-8.";
        }
    }

    private bool IsAccepted(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
        && (!parsed.Charset.HasValue || parsed.Encoding?.CodePage == System.Text.Encoding.UTF8.CodePage);
}
