using System.Security.Cryptography;

namespace Personalization.Silo.Privacy;

/// <summary>
/// The standalone store's master key when none is configured: generated on first start and kept beside the database,
/// readable by its owner only. Whoever copies the data folder copies this key with it: configure one to keep them apart.
/// </summary>
public static class StandaloneMasterKey
{
    public const string FileName = "master.key";

    /// <summary>The key in <paramref name="dataPath"/>, created if missing (base64, as <c>Privacy:MasterKey</c> takes it).</summary>
    public static string LoadOrCreate(string dataPath)
    {
        var path = Path.Combine(dataPath, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dataPath);
            var created = Convert.ToBase64String(RandomNumberGenerator.GetBytes(Sealing.KeySize));
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new FileStream(path, options);
                using var writer = new StreamWriter(file);
                writer.Write(created);
                writer.Flush();
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: read theirs.
            }
        }

        return File.ReadAllText(path).Trim();
    }
}
