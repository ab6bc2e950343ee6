using Personalization.Gateway.Api;
using Personalization.Gateway.Auth;
using Personalization.Gateway.Hosting;
using Personalization.Gateway.OpenApi;
using Personalization.Gateway.Recommending;
using Personalization.Interfaces;

var builder = WebApplication.CreateBuilder(args);

builder.AddPersonalizationCluster();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
builder.Services.AddApiDocument();
builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
builder.Services.AddSingleton<ApiKeys>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<Recommender>();
builder.Services.AddSingleton<ExposureReporter>();
builder.Services.AddHostedService(services => services.GetRequiredService<ExposureReporter>());
builder.Services.AddOptions<RankingOptions>().BindConfiguration(RankingOptions.SectionName)
    .Validate(o => new[] { o.Diversity, o.Explore, o.PopularityPenalty }.All(v => v is >= 0 and <= 1), "Ranking:Diversity, :Explore and :PopularityPenalty must be between 0 and 1.")
    .ValidateOnStart();
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
