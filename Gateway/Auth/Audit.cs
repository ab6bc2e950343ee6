using System.Diagnostics.Metrics;
using Personalization.Gateway.Telemetry;

namespace Personalization.Gateway.Auth;

/// <summary>The actions on a person's data that are audited.</summary>
public enum AuditAction
{
    Export,
    Erase,
    Consent,
}

/// <summary>
/// Logs every successful audited action as a structured event (who: key role and id, or the token's user; whom; when;
/// never the data) and counts it in <c>personalization.audit</c>, tagged with the action.
/// </summary>
public sealed partial class Audit(ILogger<Audit> logger, IMeterFactory meters, TimeProvider clock)
{
    public const string CounterName = "personalization.audit";

    private readonly Counter<long> _actions = meters.Create(GatewayMetrics.MeterName).CreateCounter<long>(CounterName, "{action}", "Audited actions on a person's data");

    public void Record(AuditAction action, string caller, string userId)
    {
        var name = action.ToString().ToLowerInvariant();
        Log(logger, name, userId, caller, clock.GetUtcNow());
        _actions.Add(1, new KeyValuePair<string, object?>("action", name));
    }

    [LoggerMessage(EventId = 9000, EventName = "Audit", Level = LogLevel.Information, Message = "Audit: {Action} of user {UserId} by {Caller} at {At:O}")]
    private static partial void Log(ILogger logger, string action, string userId, string caller, DateTimeOffset at);
}

/// <summary>Records <see cref="AuditAction"/> once the endpoint has answered with a success.</summary>
public sealed class AuditFilter(AuditAction action) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var answer = result is INestedHttpResult nested ? nested.Result : result;
        if (answer is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } && context.HttpContext.Request.RouteValues[ApiRoleHandler.UserIdRouteValue] is string userId)
        {
            context.HttpContext.RequestServices.GetRequiredService<Audit>().Record(action, context.HttpContext.User.Describe(), userId);
        }

        return result;
    }
}

public static class AuditRegistration
{
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddSingleton<Audit>();

    /// <summary>Audits <paramref name="action"/> on these endpoints (each with a <c>{userId}</c> route value).</summary>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder builder, AuditAction action) => builder.AddEndpointFilter(new AuditFilter(action));
}
