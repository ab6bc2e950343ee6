using Microsoft.AspNetCore.Diagnostics;

namespace Personalization.Gateway.Hosting;

/// <summary>
/// A request the server refused while reading it (a body shorter than its declared length, over Kestrel's limits, too
/// slow) is the client's error: a problem with Kestrel's status, logged in one line without a stack trace, so that
/// such requests cannot flood the log.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        logger.LogInformation("Bad request to {Path}: {Reason}", context.Request.Path, badRequest.Message);
        context.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = badRequest.StatusCode, Title = "Bad request", Detail = badRequest.Message },
        });
    }
}
