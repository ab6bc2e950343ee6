using Personalization.Gateway.Api;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Hosting;
using Personalization.Gateway.OpenApi;
using Personalization.Services;

var builder = WebApplication.CreateBuilder(args);
if (AuthOptions.Refusal(builder.Configuration, builder.Environment) is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 1;
}

builder.AddPersonalizationCluster();
builder.Services.AddPersonalizationServices();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
builder.Services.AddApiDocument();
builder.Services.AddGatewayAuth();
builder.Services.AddClusterHealthChecks();

var app = builder.Build();

// Resolve the keys at start so that an open API is announced in the log right away.
app.Services.GetRequiredService<ApiKeys>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapApiDocument();
app.MapHealthApi();
app.MapGroup("/v1")
    .ProducesCommonProblems()
    .MapItemsApi()
    .MapEventsApi()
    .MapRecommendationsApi()
    .MapUsersApi()
    .MapLearningApi()
    .MapPrivacyApi()
    .MapOversightApi();

app.Run();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
