using Personalization.Gateway.Api;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Hosting;
using Personalization.Gateway.OpenApi;
using Personalization.Gateway.Validation;
using Personalization.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddPersonalizationCluster();
builder.Services.AddPersonalizationServices();
builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = MediaTypeFilter.Describe);
builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
builder.Services.AddApiDocument();
builder.Services.AddApiKeys();
builder.Services.AddClusterHealthChecks();

var app = builder.Build();

// Resolve the keys at start so that an open API is announced in the log right away.
app.Services.GetRequiredService<ApiKeys>();
app.UseExceptionHandler();
app.UseStatusCodePages();
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

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
