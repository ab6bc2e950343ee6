using Personalization.Gateway.Api;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Hosting;
using Personalization.Gateway.OpenApi;
using Personalization.Gateway.Telemetry;
using Personalization.Gateway.Validation;
using Personalization.Gateway.WebConsole;
using Personalization.Services;

var builder = WebApplication.CreateBuilder(args);
if (AuthOptions.Refusal(builder.Configuration, builder.Environment) is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 1;
}

// Kestrel reads its endpoints from configuration but not its limits: those (appsettings.json, docs/security.md) are bound here.
builder.WebHost.ConfigureKestrel(kestrel => builder.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits));
builder.AddGatewayTelemetry();
builder.AddPersonalizationCluster();
builder.Services.AddPersonalizationServices();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = MediaTypeFilter.Describe);
builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.AddApiDocument();
builder.Services.AddGatewayAuth();
builder.Services.AddGatewayRateLimits();
builder.Services.AddBrowserOrigins();
builder.Services.AddAudit();
builder.Services.AddClusterHealthChecks();

var app = builder.Build();

// Resolve the keys at start so that an open API is announced in the log right away.
app.Services.GetRequiredService<ApiKeys>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapApiDocument();
app.MapHealthApi();
app.MapConsole();
app.MapGatewayTelemetry();
app.MapGroup("/v1")
    .ProducesCommonProblems()
    .MapItemsApi()
    .MapEventsApi()
    .MapRecommendationsApi()
    .MapUsersApi()
    .MapLearningApi()
    .MapPrivacyApi()
    .MapOversightApi()
    .MapClusterApi()
    .MapCallerApi();

try
{
    app.Run();
    return 0;
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    // A configuration mistake (Orleans:Tls, say): which setting, without a stack trace.
    Console.Error.WriteLine($"Refusing to start: {e.Message}");
    return 1;
}

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
