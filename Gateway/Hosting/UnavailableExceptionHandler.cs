using Microsoft.AspNetCore.Diagnostics;

namespace Personalization.Gateway.Hosting;

/// <summary>
/// Failures of the cluster or its storage become 503 (retry later) instead of 500; nothing was acknowledged, and event
/// ids make a retry safe. No stack trace leaves the process.
/// </summary>
public sealed class UnavailableExceptionHandler(IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!ClusterResilience.IsTransient(exception))
        {
            return false;
        }

        logger.LogWarning(exception, "Cluster or storage unavailable while serving {Path}", context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service temporarily unavailable",
                Detail = "The cluster or its storage did not answer; nothing of this request was acknowledged. Retry with the same event ids.",
            },
        });
    }
}
