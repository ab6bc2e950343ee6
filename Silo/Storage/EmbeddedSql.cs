namespace Personalization.Silo.Storage;

/// <summary>The schema scripts of deploy/, embedded in the silo assembly so that silos apply them on start.</summary>
internal static class EmbeddedSql
{
    public static string Read(string name)
    {
        using var stream = typeof(EmbeddedSql).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the silo assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
