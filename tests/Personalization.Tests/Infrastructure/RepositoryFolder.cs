namespace Personalization.Tests.Infrastructure;

public static class RepositoryFolder
{
    /// <summary>The repository's root: the nearest folder above the test binaries that holds <c>Orleans.sln</c>.</summary>
    public static string Path
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(System.IO.Path.Combine(folder.FullName, "Orleans.sln")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? throw new DirectoryNotFoundException("Orleans.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
