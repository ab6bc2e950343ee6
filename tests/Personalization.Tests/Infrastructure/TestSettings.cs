namespace Personalization.Tests.Infrastructure;

/// <summary>Settings every test host runs with (besides where its store is).</summary>
public static class TestSettings
{
    /// <summary>Retention is off by default; tests turn it on to see interactions older than this dropped.</summary>
    public static readonly TimeSpan RetentionMaxAge = TimeSpan.FromDays(30);

    /// <summary>The master key of test hosts (a standalone host started without settings generates its own).</summary>
    public const string MasterKey = "dGVzdC1tYXN0ZXIta2V5LW9mLTMyLWJ5dGVzLWxvbmc=";

    public static IReadOnlyDictionary<string, string> Gateway { get; } = new Dictionary<string, string>
    {
        ["Retention:MaxAge"] = RetentionMaxAge.ToString("c"),
        ["Privacy:MasterKey"] = MasterKey,
    };
}
