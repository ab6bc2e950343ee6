using System.Diagnostics;
using Personalization.Silo.Privacy;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Hosting;

/// <summary>Where the master key comes from: generated beside standalone data, required of a cluster silo.</summary>
public sealed class MasterKeyTests
{
    [Fact]
    public void Standalone_generates_a_master_key_beside_the_data_readable_by_its_owner_only_and_keeps_it()
    {
        using var data = new TempDirectory();

        var first = StandaloneMasterKey.LoadOrCreate(data.Path);

        Assert.Equal(first, StandaloneMasterKey.LoadOrCreate(data.Path));
        Assert.NotNull(MasterKeyRing.Parse(first));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data.Path, StandaloneMasterKey.FileName)));
        }
    }

    [Fact]
    public async Task A_cluster_silo_without_a_master_key_refuses_to_start_naming_the_setting()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Silo.dll") },
        };
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Privacy__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["Cluster__Mode"] = "AdoNet";
        start.Environment["ConnectionStrings__Postgres"] = await PostgresServer.Shared.CreateDatabaseAsync();
        foreach (var (key, value) in TestCertificates.ClusterSettings)
        {
            // Everything else a cluster silo needs, so that the missing key is what it refuses to start for.
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Cluster mode needs Privacy:MasterKey", error + await output);
    }
}
