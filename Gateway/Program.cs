using Personalization.Gateway.Api;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Hosting;
using Personalization.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddPersonalizationCluster();
builder.Services.AddPersonalizationServices();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
builder.Services.AddOpenApi();
builder.Services.AddApiKeys();
builder.Services.AddClusterHealthChecks();

var app = builder.Build();

// Resolve the keys at start so that an open API is announced in the log right away.
app.Services.GetRequiredService<ApiKeys>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapHealthApi();
app.MapGroup("/v1")
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
