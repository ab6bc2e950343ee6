using Microsoft.Extensions.Hosting;
using Personalization.Silo.Hosting;

// A silo process without the HTTP gateway (cluster mode runs several of these).
var builder = Host.CreateApplicationBuilder(args);
builder.AddPersonalizationSilo();
await builder.Build().RunAsync();
