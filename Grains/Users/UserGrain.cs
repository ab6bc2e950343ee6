using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Runtime;
using Personalization.Grains.Journal;
using Personalization.Grains.Persistence;
using Personalization.Grains.Telemetry;
using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Users;

/// <summary>
/// A person's live model. Every accepted event takes one learning step on the user vector here and one on the item
/// vector in the owning catalog shard. The events are journaled before the call returns (durable ack); what is stored,
/// and when, is its <see cref="UserStore"/>'s, and the journal entries its snapshot does not hold are replayed on activation.
/// Placed on the silo that receives its first call: a client sends all calls for one grain through the same gateway
/// silo, so the user's later calls run there instead of being forwarded to another silo. A gateway of the same process
/// reads the user's query in place (<see cref="LocalUsers"/>), between changes: each change closes those reads until
/// it is durable, and a read that finds them closed calls the grain, which answers after the change.
/// </summary>
[PreferLocalPlacement]
public sealed class UserGrain(
    [PersistentState("user", SealedState.StorageName)] IPersistentState<UserState> state,
    IEventJournal journal,
    IOptions<LearningOptions> learning,
    IOptions<CatalogOptions> catalog,
    IOptions<RetentionOptions> retention,
    IOptions<KnowledgeOptions> knowledge,
    TimeProvider clock,
    SiloMetrics metrics,
    LocalUsers localUsers) : Grain, IUserGrain
{
    private readonly LearningOptions _settings = learning.Value;
    private readonly KnowledgeOptions _knowledge = knowledge.Value;
    private readonly TimeSpan? _maxAge = retention.Value.MaxAge;
    private readonly CatalogOptions _catalog = catalog.Value;
    private readonly RememberedEventIds _eventIds = new();
    private UserStore _store = null!;
    private RecentSet _seen = null!;

    /// <summary>Taken by a read in place and by every opening or closing of such reads.</summary>
    private readonly Lock _readGate = new();

    /// <summary>Whether a read in place may run: not during a change (it may yet fail), nor once the activation goes.</summary>
    private bool _readable;

    private UserState State => _store.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = new UserStore(state, journal, this.GetPrimaryKeyString());
        LoadMemory();
        await ReplayJournalAsync();
        if (DropExpiredInteractions())
        {
            await SnapshotAsync();
        }

        metrics.UserActivated();
        SetReadable(true);
        localUsers.Activated(this.GetPrimaryKeyString(), this);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        SetReadable(false);
        localUsers.Deactivating(this.GetPrimaryKeyString(), this);
        metrics.UserDeactivated();
        if (_store.SnapshotBehind)
        {
            await SnapshotAsync();
        }
    }

    public async Task<RecordOutcome> RecordEventsAsync(UserEvent[] events, InteractionContext context)
    {
        if (State.PersonalizationOff)
        {
            // Nothing about the user is kept, ids included; the items still count the interactions anonymously.
            return new RecordOutcome(events.Length, 0, new InteractionBatch([], [.. events.Select(Signal)], []), []);
        }

        var fresh = new List<UserEvent>(events.Length);
        var batchIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (!_eventIds.Contains(State.Interactions, e.EventId) && batchIds.Add(e.EventId))
            {
                fresh.Add(e);
            }
        }

        if (fresh.Count == 0)
        {
            return new RecordOutcome(0, events.Length, null, []);
        }

        SetReadable(false);
        var before = UserVector().ToArray();
        var steps = new StepContext(context);
        try
        {
            var engagements = new List<Engagement>();
            foreach (var e in fresh)
            {
                ApplyUserHalf(e, steps, engagements);
            }

            if (await _store.AppendAsync([.. fresh]) || DropExpiredInteractions())
            {
                await SnapshotAsync();
            }

            SetReadable(true);
            var negatives = steps.UsedNegatives.Select(n => new ItemSignal(n.ItemId, -_settings.NegativeWeight, n.At, SampledNegative: true));
            return new RecordOutcome(
                fresh.Count,
                events.Length - fresh.Count,
                new InteractionBatch(before, [.. fresh.Select(Signal), .. negatives], [.. steps.Answers]),
                [.. engagements]);
        }
        catch
        {
            // The in-memory state is ahead of storage: drop this activation (reads in place stay closed) so that the next
            // one reloads what is durable.
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<UserQuery> GetQueryAsync(string? sessionId, bool includeSeen, DateTimeOffset asOf) => Task.FromResult(Query(sessionId, includeSeen, asOf));

    /// <summary><see cref="GetQueryAsync"/> on the caller's thread, unless reads in place are closed (false).</summary>
    internal bool TryReadQuery(string? sessionId, bool includeSeen, DateTimeOffset asOf, [NotNullWhen(true)] out UserQuery? query)
    {
        lock (_readGate)
        {
            query = _readable ? Query(sessionId, includeSeen, asOf) : null;
        }

        return query is not null;
    }

    private UserQuery Query(string? sessionId, bool includeSeen, DateTimeOffset asOf)
    {
        var session = State.Sessions.GetValueOrDefault(sessionId ?? State.LatestSessionId ?? string.Empty);
        var query = OnlineUpdate.Query(State.Vector, session?.Vector ?? [], _settings.SessionBlend);
        var history = Affinity.Recent(
            State.Interactions,
            e => (e.ItemId, EventSignal.Weight(e.Type, e.Value, _settings), e.Timestamp),
            _settings.HistoryLength,
            asOf,
            _settings.AffinityHalfLife,
            _settings.RecentBoost);
        return new UserQuery(
            query,
            OnlineUpdate.PopularityBlend(State.InteractionCount, _settings),
            includeSeen ? _seen.Newest(_seen.Count) : [],
            State.InteractionCount,
            TopCategories(),
            history);
    }

    public Task<LearnerSnapshot> GetLearnerAsync() => Task.FromResult(LearnerSteps.Copy(State));

    public Task<UserProfile> GetProfileAsync() => Task.FromResult(Profile());

    public Task<UserExport> ExportAsync()
    {
        return Task.FromResult(new UserExport(
            Profile(),
            [.. State.Vector],
            [.. State.Sessions.Select(s => new SessionExport(s.Key, [.. s.Value.Vector], s.Value.LastEventAt))],
            [.. State.Interactions],
            [.. _seen.OldestFirst()],
            new Dictionary<string, double>(State.CategoryAffinity),
            LearnerSteps.Copy(State)));
    }

    public async Task EraseAsync()
    {
        // Closed for good: the activation goes once the data has.
        SetReadable(false);
        await EraseStoredAsync();
        DeactivateOnIdle();
    }

    public async Task SetConsentAsync(bool personalization)
    {
        if (personalization == !State.PersonalizationOff)
        {
            return;
        }

        // Either way the history goes: opting out keeps nothing but the choice, opting back in starts fresh.
        SetReadable(false);
        await EraseStoredAsync();
        if (!personalization)
        {
            State.PersonalizationOff = true;
            await _store.WriteAsync();
        }

        SetReadable(true);
    }

    /// <summary>Opens or closes reads in place; closing waits for a read under way, so that no read sees a change half made.</summary>
    private void SetReadable(bool readable)
    {
        lock (_readGate)
        {
            _readable = readable;
        }
    }

    /// <summary>Erases what is stored about the user (see <see cref="UserStore.EraseAsync"/>); the in-memory state starts empty.</summary>
    private async Task EraseStoredAsync()
    {
        await _store.EraseAsync();
        LoadMemory();
    }

    private void LoadMemory()
    {
        SharedStrings.Share(State);
        _seen = new RecentSet(UserLimits.SeenCapacity, State.Seen);
        // The recent set holds the seen items from now on; a snapshot writes them into the state again.
        State.Seen = [];
        _eventIds.Reset();
    }

    private UserProfile Profile() =>
        new(State.InteractionCount, TopCategories(), State.LastSeen, !State.PersonalizationOff);

    /// <summary>
    /// Retention: drops stored interactions older than the configured age (event time), and recent items known only
    /// from them. True when something was dropped, so that the caller writes a snapshot (and the journal is truncated).
    /// </summary>
    private bool DropExpiredInteractions()
    {
        if (_maxAge is not { } maxAge)
        {
            return false;
        }

        var cutoff = clock.GetUtcNow() - maxAge;
        if (!State.Interactions.Any(e => e.Timestamp < cutoff))
        {
            return false;
        }

        State.Interactions = [.. State.Interactions.Where(e => e.Timestamp >= cutoff)];
        _eventIds.Reset();
        var kept = State.Interactions.Select(e => e.ItemId).ToHashSet(StringComparer.Ordinal);
        _seen = new RecentSet(UserLimits.SeenCapacity, _seen.OldestFirst().Where(kept.Contains));
        return true;
    }

    private ItemSignal Signal(UserEvent e) => new(e.ItemId, EventSignal.Weight(e.Type, e.Value, _settings), e.Timestamp, SampledNegative: false);

    private Task SnapshotAsync() => _store.SnapshotAsync(_seen.OldestFirst());

    /// <summary>
    /// Re-applies the user half of the journal entries the snapshot does not hold (after a crash), with the items'
    /// current vectors. The item halves were applied when the events arrived; item data is persisted on its own.
    /// </summary>
    private async Task ReplayJournalAsync()
    {
        var entries = await _store.UnsnapshottedAsync();
        if (entries.Count == 0)
        {
            return;
        }

        // Items seen only in these events may have been lost with their shard's write-behind data: this re-creates them.
        var itemIds = entries.SelectMany(entry => entry.Events).Select(e => e.ItemId).Distinct(StringComparer.Ordinal);
        var contexts = await Task.WhenAll(itemIds
            .GroupBy(_catalog.ShardOf)
            .Select(shard => GrainFactory.Shard(shard.Key).PrepareInteractionsAsync([.. shard], 0)));
        var steps = new StepContext(new InteractionContext([.. contexts.SelectMany(c => c.Items)], [], [.. contexts.SelectMany(c => c.Exercises)]));
        foreach (var entry in entries)
        {
            foreach (var e in entry.Events.Where(e => !_eventIds.Contains(State.Interactions, e.EventId)))
            {
                // Co-occurrences were counted when the events arrived; the shards keep them.
                ApplyUserHalf(e, steps, engagements: []);
            }

            _store.Replayed(entry);
        }
    }

    private void ApplyUserHalf(UserEvent e, StepContext steps, List<Engagement> engagements)
    {
        var vector = UserVector();
        var item = steps.Items[e.ItemId];
        var weight = EventSignal.Weight(e.Type, e.Value, _settings);
        var gradient = OnlineUpdate.Gradient(VectorMath.Dot(vector, item.Vector), weight);
        OnlineUpdate.Step(vector, item.Vector, gradient, _settings.UserLearningRate, _settings.Regularization);

        if (weight > 0)
        {
            // Negatives are shared out over the batch's positive events, a few per event.
            foreach (var negative in steps.TakeNegatives(_settings.NegativeSamples, e.ItemId, e.Timestamp))
            {
                var push = OnlineUpdate.Gradient(VectorMath.Dot(vector, negative.Vector), -_settings.NegativeWeight);
                OnlineUpdate.Step(vector, negative.Vector, push, _settings.UserLearningRate, _settings.Regularization);
            }

            foreach (var category in item.Categories)
            {
                State.CategoryAffinity[category] = State.CategoryAffinity.GetValueOrDefault(category) + weight;
                CappedMaps.DropLeast(State.CategoryAffinity, UserLimits.CategoryCapacity, affinity => affinity, keep: category);
            }
        }

        Sessions.Update(State, e, item.Vector, weight, _settings);
        if (weight > 0 && !_seen.Contains(e.ItemId))
        {
            var previous = _seen.Newest(_settings.CoOccurrenceWindow);
            engagements.Add(new Engagement(e.ItemId, previous, previous.Length));
        }

        if (e.Type == EventSignal.Answer && steps.Exercises.TryGetValue(e.ItemId, out var exercise))
        {
            steps.Answers.Add(LearnerSteps.Answer(State, e, exercise, _knowledge));
        }

        _seen.Touch(e.ItemId);
        Remember(e);
    }

    private void Remember(UserEvent e)
    {
        State.Interactions.Add(e);
        _eventIds.Added(e.EventId);
        State.InteractionCount++;
        State.LastSeen = State.LastSeen is { } last && last > e.Timestamp ? last : e.Timestamp;
        if (State.Interactions.Count > UserLimits.IdempotencyWindow + UserLimits.TrimChunk)
        {
            foreach (var old in State.Interactions.Take(UserLimits.TrimChunk))
            {
                _eventIds.Removed(old.EventId);
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
}
