using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Personalization.Tests.Infrastructure;

/// <summary>
/// The tests start their own hosts with their own keys: an <c>Auth__*</c> variable of the shell that runs them (an
/// operator's admin key, say) would otherwise reach every in-process gateway through its environment configuration and
/// lock the tests out of their own hosts. Removed from this process before any test runs; child processes get only the
/// <c>Auth__*</c> settings a test gives them (<see cref="Personalization.Bench.Hosting.HostProcess"/>).
/// </summary>
internal static class ShellIsolation
{
    public const string AuthPrefix = "Auth__";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The test assembly must drop the shell's keys before any host is built.")]
    internal static void DropShellAuthSettings()
    {
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>()
                     .Where(name => name.StartsWith(AuthPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
