using Personalization.Interfaces;

namespace Personalization.Services;

/// <summary>
/// An import counted against <see cref="CatalogOptions.MaxItems"/> before anything of it is applied. The first pass
/// counts the lines per shard: when no shard gets more lines than its room, the import fits whatever the catalog
/// already knows (the usual case: no call per line). Otherwise a second pass asks the shards which ids are new, batch by
/// batch, and names those past their shard's room; an id repeated within the import counts each time there.
/// </summary>
public sealed class ImportRoom
{
    private readonly CatalogClient _client;
    private readonly CatalogOptions _options;
    private readonly int[] _room;
    private readonly long[] _lines;
    private readonly long[] _new;

    internal ImportRoom(CatalogClient client, CatalogOptions options, NewItems[] shards)
    {
        _client = client;
        _options = options;
        _room = [.. shards.Select(s => s.Room)];
        _lines = new long[shards.Length];
        _new = new long[shards.Length];
    }

    /// <summary>True when some shard got more lines than its room: then <see cref="RefusedAsync"/> tells which are refused.</summary>
    public bool MayOverflow => _lines.Where((lines, shard) => lines > _room[shard]).Any();

    /// <summary>First pass: counts the ids of a batch against their shards.</summary>
    public void Count(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            _lines[_options.ShardOf(id)]++;
        }
    }

    /// <summary>Second pass: the ids of a batch that are new to their shard and past its room.</summary>
    public async Task<HashSet<string>> RefusedAsync(IEnumerable<string> ids)
    {
        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (shard, answer) in await _client.NewItemsByShardAsync(ids))
        {
            foreach (var id in answer.Unknown)
            {
                if (++_new[shard] > _room[shard])
                {
                    refused.Add(id);
                }
            }
        }

        return refused;
    }
}
