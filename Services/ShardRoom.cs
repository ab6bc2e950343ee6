namespace Personalization.Services;

/// <summary>
/// A shard's room for new items and when it said so (<see cref="Environment.TickCount64"/>). Ample room is more than
/// the gateways could fill before it is asked again (a second at ingest rates far above this service's), so the cap
/// is kept as closely as when each request asks.
/// </summary>
internal sealed record ShardRoom(int Room, long At)
{
    private const int Ample = 100_000;
    private const long TrustedMilliseconds = 1_000;

    public bool IsAmple(long now) => Room >= Ample && now - At <= TrustedMilliseconds;
}
