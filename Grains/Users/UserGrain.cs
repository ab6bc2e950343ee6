using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Users;

/// <summary>
/// A person's live model. Every accepted event takes one learning step on the user vector here and one on the item
/// vector in the owning catalog shard, then the user's state is written before the call returns (durable ack).
/// </summary>
public sealed class UserGrain(
    [PersistentState("user")] IPersistentState<UserState> state,
    IOptions<LearningSettings> learning,
    IOptions<CatalogOptions> catalog) : Grain, IUserGrain
{
    private readonly LearningSettings _settings = learning.Value;
    private readonly CatalogOptions _catalog = catalog.Value;
    private readonly HashSet<string> _eventIds = new(StringComparer.Ordinal);
    private RecentSet _seen = null!;

    private UserState State => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _seen = new RecentSet(UserLimits.SeenCapacity, State.Seen);
        foreach (var interaction in State.Interactions)
        {
            _eventIds.Add(interaction.EventId);
        }

        return Task.CompletedTask;
    }

    public async Task<RecordResult> RecordEventsAsync(UserEvent[] events)
    {
        var fresh = new List<UserEvent>(events.Length);
        var batchIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (!_eventIds.Contains(e.EventId) && batchIds.Add(e.EventId))
            {
                fresh.Add(e);
            }
        }

        if (fresh.Count == 0)
        {
            return new RecordResult(0, events.Length);
        }

        // Item halves first: if a shard cannot be reached nothing of the user's state has changed and a retry is clean.
        var feedback = await ApplyItemHalvesAsync(fresh);
        try
        {
            var engagements = new List<Engagement>();
            foreach (var e in fresh)
            {
                ApplyUserHalf(e, feedback, engagements);
            }

            await RecordEngagementsAsync(engagements);
            State.Seen = _seen.OldestFirst();
            await state.WriteStateAsync();
        }
        catch
        {
            // The in-memory state is ahead of storage: drop this activation so the next one reloads what is durable.
            DeactivateOnIdle();
            throw;
        }

        return new RecordResult(fresh.Count, events.Length - fresh.Count);
    }

    public Task<UserQuery> GetQueryAsync(string? sessionId, bool includeSeen, DateTimeOffset asOf)
    {
        var session = State.Sessions.GetValueOrDefault(sessionId ?? State.LatestSessionId ?? string.Empty);
        var query = OnlineUpdate.Query(State.Vector, session?.Vector ?? [], _settings.SessionBlend);
        var history = Affinity.Recent(
            [.. State.Interactions.Select(e => (e.ItemId, EventSignal.Weight(e.Type, e.Value, _settings), e.Timestamp))],
            _settings.HistoryLength,
            asOf,
            _settings.AffinityHalfLife,
            _settings.RecentBoost);
        return Task.FromResult(new UserQuery(
            query,
            OnlineUpdate.PopularityBlend(State.InteractionCount, _settings),
            includeSeen ? [.. _seen.NewestFirst()] : [],
            State.InteractionCount,
            TopCategories(),
            [.. history.Select(h => new WeightedItem(h.ItemId, h.Weight))]));
    }

    public Task<UserProfile> GetProfileAsync() =>
        Task.FromResult(new UserProfile(State.InteractionCount, TopCategories(), State.LastSeen));

    /// <summary>Every shard counts users per item, so every shard hears of every first engagement.</summary>
    private async Task RecordEngagementsAsync(List<Engagement> engagements)
    {
        if (engagements.Count > 0)
        {
            await Task.WhenAll(Enumerable.Range(0, _catalog.ShardCount).Select(shard =>
                GrainFactory.GetGrain<ICatalogShardGrain>(shard).RecordEngagementsAsync([.. engagements])));
        }
    }

    private async Task<Feedback> ApplyItemHalvesAsync(List<UserEvent> events)
    {
        var userVector = UserVector().ToArray();
        var calls = events
            .GroupBy(e => _catalog.ShardOf(e.ItemId))
            .Select(group =>
            {
                var signals = group.Select(e => new ItemSignal(e.ItemId, EventSignal.Weight(e.Type, e.Value, _settings), e.Timestamp)).ToArray();
                var negatives = _settings.NegativeSamples * signals.Count(s => s.Weight > 0);
                return GrainFactory.GetGrain<ICatalogShardGrain>(group.Key)
                    .ApplyInteractionsAsync(new InteractionBatch(userVector, signals, negatives));
            });
        var results = await Task.WhenAll(calls);
        return new Feedback(
            results.SelectMany(r => r.Items).GroupBy(i => i.ItemId).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
            [.. results.SelectMany(r => r.Negatives)]);
    }

    private void ApplyUserHalf(UserEvent e, Feedback feedback, List<Engagement> engagements)
    {
        var vector = UserVector();
        var item = feedback.Items[e.ItemId];
        var weight = EventSignal.Weight(e.Type, e.Value, _settings);
        var gradient = OnlineUpdate.Gradient(VectorMath.Dot(vector, item.Vector), weight);
        OnlineUpdate.Step(vector, item.Vector, gradient, _settings.UserLearningRate, _settings.Regularization);

        if (weight > 0)
        {
            // Negatives are shared out over the batch's positive events, a few per event.
            foreach (var negative in feedback.TakeNegatives(_settings.NegativeSamples))
            {
                var push = OnlineUpdate.Gradient(VectorMath.Dot(vector, negative.Vector), -_settings.NegativeWeight);
                OnlineUpdate.Step(vector, negative.Vector, push, _settings.UserLearningRate, _settings.Regularization);
            }

            foreach (var category in item.Categories)
            {
                State.CategoryAffinity[category] = State.CategoryAffinity.GetValueOrDefault(category) + weight;
            }
        }

        UpdateSession(e, item.Vector, weight);
        if (weight > 0 && !_seen.Contains(e.ItemId))
        {
            engagements.Add(new Engagement(e.ItemId, [.. _seen.NewestFirst().Take(_settings.CoOccurrenceWindow)]));
        }

        _seen.Touch(e.ItemId);
        Remember(e);
    }

    private void UpdateSession(UserEvent e, float[] itemVector, float weight)
    {
        var sessionId = e.SessionId ?? string.Empty;
        if (!State.Sessions.TryGetValue(sessionId, out var session) ||
            e.Timestamp - session.LastEventAt > _settings.SessionTimeout)
        {
            // A new session, or one that went idle: its short-term direction starts afresh.
            session = new SessionState { Vector = new float[_settings.Dimension] };
            State.Sessions[sessionId] = session;
        }

        if (weight > 0)
        {
            OnlineUpdate.BlendIntoSession(session.Vector, itemVector, _settings.SessionRate);
        }

        session.LastEventAt = e.Timestamp > session.LastEventAt ? e.Timestamp : session.LastEventAt;
        State.LatestSessionId = sessionId;
        while (State.Sessions.Count > UserLimits.SessionCapacity)
        {
            var oldest = State.Sessions.Where(s => s.Key != sessionId).MinBy(s => s.Value.LastEventAt).Key;
            State.Sessions.Remove(oldest);
        }
    }

    private void Remember(UserEvent e)
    {
        State.Interactions.Add(e);
        _eventIds.Add(e.EventId);
        State.InteractionCount++;
        State.LastSeen = State.LastSeen is { } last && last > e.Timestamp ? last : e.Timestamp;
        if (State.Interactions.Count > UserLimits.IdempotencyWindow + UserLimits.TrimChunk)
        {
            foreach (var old in State.Interactions.Take(UserLimits.TrimChunk))
            {
                _eventIds.Remove(old.EventId);
            }

            State.Interactions.RemoveRange(0, UserLimits.TrimChunk);
        }
    }

    private float[] UserVector()
    {
        if (State.Vector.Length != _settings.Dimension)
        {
            State.Vector = new float[_settings.Dimension];
        }

        return State.Vector;
    }

    private string[] TopCategories() =>
        [.. State.CategoryAffinity
            .Where(c => c.Value > 0)
            .OrderByDescending(c => c.Value)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(UserLimits.TopCategories)
            .Select(c => c.Key)];

    /// <summary>Item vectors before the step, and the negatives still to hand out.</summary>
    private sealed class Feedback(Dictionary<string, ItemVector> items, ItemVector[] negatives)
    {
        private int _nextNegative;

        public Dictionary<string, ItemVector> Items { get; } = items;

        public IEnumerable<ItemVector> TakeNegatives(int count)
        {
            for (var i = 0; i < count && _nextNegative < negatives.Length; i++)
            {
                yield return negatives[_nextNegative++];
            }
        }
    }
}
