using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Console;

/// <summary>A gateway of the console tests' own: its oversight window and exposure ledger hold only what they served.</summary>
public sealed class ConsoleGatewayFactory : GatewayFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Oversight:Partitions", "1")];
}

[CollectionDefinition(Name)]
public sealed class ConsoleGatewayCollection : ICollectionFixture<ConsoleGatewayFactory>
{
    public const string Name = "console gateway";
}
