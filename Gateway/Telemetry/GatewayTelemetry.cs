using Orleans.Dashboard;
using Personalization.Gateway.Auth;
using Personalization.Silo.Telemetry;

namespace Personalization.Gateway.Telemetry;

public static class GatewayTelemetry
{
    /// <summary>
    /// The shared telemetry (<see cref="TelemetryRegistration"/>) with the gateway's own meter, its instruments, and the
    /// refresh of the exposure gauges while metrics are on.
    /// </summary>
    public static WebApplicationBuilder AddGatewayTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.AddPersonalizationTelemetry("personalization-gateway", GatewayMetrics.MeterName);
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddOptions<TelemetryGatewayOptions>().BindConfiguration(TelemetryOptions.SectionName)
            .Validate(o => o.OversightInterval >= TimeSpan.FromSeconds(1), "Telemetry:OversightInterval must be at least one second.")
            .ValidateOnStart();
        if (telemetry.Enabled)
        {
            builder.Services.AddHostedService<OversightGauges>();
        }

        return builder;
    }

    public const string DashboardPath = "/dashboard";

    /// <summary>
    /// <c>GET /metrics</c> for the admin key (<c>X-Api-Key</c>, or <c>Authorization: Bearer</c> for Prometheus), and the
    /// Orleans dashboard on <see cref="DashboardPath"/> for the admin key too, signed in by a browser (basic
    /// authentication, the key as password). Neither is part of the API document.
    /// </summary>
    public static WebApplication MapGatewayTelemetry(this WebApplication app)
    {
        app.MapMetrics()?.RequireApiRole(ApiRole.Admin);
        if (app.Services.GetRequiredService<TelemetryOptions>().DashboardEnabled)
        {
            app.MapOrleansDashboard(DashboardPath).RequireApiRole(ApiRole.Admin).WithMetadata(new BrowserSignIn("Orleans dashboard"))
                .AddEndpointFilter(RefuseMalformedSiloAddresses).ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>
    /// The dashboard's silo routes take a silo address from the path and fail on one that does not parse, which would
    /// be a 500: it is the caller's mistake, a 400 naming it.
    /// </summary>
    private static async ValueTask<object?> RefuseMalformedSiloAddresses(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (InvalidOperationException e) when (e.InnerException is FormatException malformed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: malformed.Message);
        }
    }
}
