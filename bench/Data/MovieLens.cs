using System.Globalization;
using System.Text;

namespace Personalization.Bench.Data;

/// <summary>
/// Reads MovieLens ratings: the 100K <c>u.data</c> (tab-separated user, item, rating, timestamp) with genres from a
/// <c>u.item</c> beside it, or a "latest" CSV (header <c>userId,movieId,rating,timestamp</c>) with genres from a
/// <c>movies.csv</c> beside it.
/// </summary>
public static class MovieLens
{
    /// <summary>Genre columns of <c>u.item</c>, in file order.</summary>
    private static readonly string[] _genres =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    public static DataSet Load(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var isCsv = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        var interactions = isCsv ? ReadCsvRatings(path) : ReadTabRatings(path);
        var categories = isCsv ? ReadMoviesCsv(Path.Combine(directory, "movies.csv")) : ReadItemFile(Path.Combine(directory, "u.item"));
        return new DataSet(interactions, categories);
    }

    private static List<Interaction> ReadTabRatings(string path) =>
        [.. File.ReadLines(path).Where(l => l.Length > 0).Select((line, index) =>
        {
            var f = line.Split('\t');
            return Create(index, f[0], f[1], f[2], f[3]);
        })];

    private static List<Interaction> ReadCsvRatings(string path)
    {
        var lines = File.ReadLines(path).GetEnumerator();
        if (!lines.MoveNext() || !lines.Current.StartsWith("userId,movieId,rating,timestamp", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: expected the header userId,movieId,rating,timestamp.");
        }

        var result = new List<Interaction>();
        while (lines.MoveNext())
        {
            if (lines.Current.Length > 0)
            {
                var f = lines.Current.Split(',');
                result.Add(Create(result.Count, f[0], f[1], f[2], f[3]));
            }
        }

        return result;
    }

    private static Interaction Create(int index, string user, string item, string rating, string timestamp) =>
        new(index, user, item, double.Parse(rating, CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, CultureInfo.InvariantCulture)));

    private static Dictionary<string, string[]> ReadItemFile(string path)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        foreach (var line in File.ReadLines(path, Encoding.Latin1).Where(l => l.Length > 0))
        {
            var f = line.Split('|');
            result[f[0]] = [.. _genres.Where((_, g) => f[5 + g] == "1")];
        }

        return result;
    }

    private static Dictionary<string, string[]> ReadMoviesCsv(string path)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        foreach (var line in File.ReadLines(path).Skip(1).Where(l => l.Length > 0))
        {
            // movieId,title,genres: the title may be quoted and hold commas, the genres never do.
            var id = line[..line.IndexOf(',')];
            var genres = line[(line.LastIndexOf(',') + 1)..];
            result[id] = genres == "(no genres listed)" ? [] : genres.Split('|');
        }

        return result;
    }
}
