using System.Diagnostics;

namespace Personalization.Tests.Durability;

/// <summary>
/// An outside check of availability after a fault: passes over a set of users, one every 0.2 s (each pass reads every
/// user's profile through the gateway), until stopped. A read fails unless answered 2xx within 2 s (the gateway's own
/// retries would otherwise hide an outage behind a slow 2xx); a user counts as served again at the answer of its first
/// read after its last failed one.
/// </summary>
public sealed class ServedWatch
{
    private const int Concurrency = 16;
    private static readonly TimeSpan _readTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan _pause = TimeSpan.FromMilliseconds(200);

    private readonly HttpClient _client;
    private readonly IReadOnlyList<string> _users;
    private readonly Stopwatch _clock;
    private readonly Dictionary<string, (TimeSpan? LastFailure, TimeSpan? ServedAfter)> _reads = [];

    private ServedWatch(HttpClient client, IReadOnlyList<string> users, Stopwatch clock)
    {
        _client = client;
        _users = users;
        _clock = clock;
        foreach (var user in users)
        {
            _reads[user] = (null, null);
        }
    }

    /// <summary>Passes made so far.</summary>
    public int Passes { get; private set; }

    /// <summary>The longest pass: how late a user served again can be seen to be.</summary>
    public TimeSpan LongestPass { get; private set; }

    /// <summary>Users whose reads failed at least once.</summary>
    public int UsersFailed => _reads.Values.Count(r => r.LastFailure is not null);

    /// <summary>
    /// Watches <paramref name="users"/> of the gateway at <paramref name="gateway"/> until <paramref name="stop"/> holds after a pass in which every user was served;
    /// then the time on <paramref name="clock"/> at which the last of them was served again (null: none ever failed).
    /// </summary>
    public static async Task<(ServedWatch Watch, TimeSpan? EveryoneServedAt)> RunAsync(
        Uri gateway, IReadOnlyList<string> users, Stopwatch clock, Func<bool> stop)
    {
        using var client = new HttpClient { BaseAddress = gateway, Timeout = _readTimeout };
        var watch = new ServedWatch(client, users, clock);
        while (!await watch.PassAsync() || !stop())
        {
            await Task.Delay(_pause);
        }

        return (watch, watch._reads.Values.Max(r => r.ServedAfter));
    }

    /// <summary>One read of every user; true when each was answered 2xx.</summary>
    private async Task<bool> PassAsync()
    {
        Passes++;
        var start = _clock.Elapsed;
        var answers = new (string User, bool Served, TimeSpan At)[_users.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, _users.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (i, _) => answers[i] = (_users[i], await ReadAsync(_users[i]), _clock.Elapsed));
        LongestPass = TimeSpan.FromTicks(Math.Max(LongestPass.Ticks, (_clock.Elapsed - start).Ticks));
        foreach (var (user, served, at) in answers)
        {
            var (lastFailure, servedAfter) = _reads[user];
            _reads[user] = served
                ? (lastFailure, lastFailure is null ? null : servedAfter ?? at)
                : (at, null);
        }

        return answers.All(a => a.Served);
    }

    private async Task<bool> ReadAsync(string user)
    {
        try
        {
            using var response = await _client.GetAsync($"/v1/users/{user}");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
