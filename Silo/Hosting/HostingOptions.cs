namespace Personalization.Silo.Hosting;

/// <summary>Where the cluster lives: one process on a laptop, or silos on PostgreSQL.</summary>
public enum ClusterMode
{
    /// <summary>One silo co-hosted in the gateway, localhost clustering, SQLite under <c>Standalone:DataPath</c>.</summary>
    Standalone,

    /// <summary>Orleans ADO.NET clustering and persistence on PostgreSQL (<c>ConnectionStrings:Postgres</c>).</summary>
    AdoNet,
}

/// <summary>Configuration section "Cluster".</summary>
public sealed class ClusterModeOptions
{
    public const string SectionName = "Cluster";

    public ClusterMode Mode { get; set; } = ClusterMode.Standalone;

    /// <summary>
    /// In cluster mode, whether the gateway process is also a silo (a node serving HTTP itself, so that a request's grain
    /// calls are local whenever the grain lives on that node) rather than an Orleans client of separate silos.
    /// </summary>
    public bool CoHostSilo { get; set; } = true;
}

/// <summary>Configuration section "Standalone".</summary>
public sealed class StandaloneOptions
{
    public const string SectionName = "Standalone";

    /// <summary>Folder of the SQLite database; relative paths are relative to the working directory.</summary>
    public string DataPath { get; set; } = "./data";
}
