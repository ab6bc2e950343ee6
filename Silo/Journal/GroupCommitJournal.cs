using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Personalization.Grains.Journal;
using Personalization.Grains.Telemetry;
using Personalization.Interfaces;
using Personalization.Silo.Privacy;

namespace Personalization.Silo.Journal;

/// <summary>
/// <see cref="IEventJournal"/> on a relational store. One writer loop takes every append and truncation waiting at that
/// moment and commits them in one transaction, so while one transaction is being made durable the next batch gathers:
/// one fsync acknowledges many users' events, and the rows snapshots made obsolete go in the same commit. How a batch is
/// inserted (<see cref="InsertAsync"/>) and deleted (<see cref="DeleteAsync"/>), and how a user's rows are found again,
/// are the store's own. Payloads are sealed with the person's key (<see cref="PersonKeyVault"/>) before they are queued,
/// and rows carry the person's key id, never the user id; a new person's key is inserted in the same commit as the
/// person's first entry, and an erased person's key is deleted in the same commit as the person's rows.
/// </summary>
public abstract class GroupCommitJournal : IEventJournal, IAsyncDisposable
{
    /// <summary>Appends and truncations per transaction.</summary>
    private const int MaxBatch = 2000;

    /// <summary>The traces of the journal: one span per append, from the call until its group commit is durable.</summary>
    public const string ActivitySourceName = "Personalization.Journal";

    private static readonly ActivitySource _activities = new(ActivitySourceName);

    private readonly Serializer _serializer;
    private readonly PersonKeyVault _keys;
    private readonly SiloMetrics _metrics;
    private readonly ILogger<GroupCommitJournal> _logger;
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <summary>
    /// The writer loop's own connection, kept from one batch to the next and reopened after a failure. A pooled one
    /// would come back as a different database session each time (Npgsql hands out the longest idle), each of them
    /// cold for the journal's pages: on PostgreSQL that cost more than the inserts themselves.
    /// </summary>
    private DbConnection? _connection;

    protected GroupCommitJournal(
        DbDataSource dataSource, Serializer serializer, PersonKeyVault keys, IOptions<ClusterOptions> cluster, SiloMetrics metrics,
        ILogger<GroupCommitJournal> logger)
    {
        DataSource = dataSource;
        _serializer = serializer;
        _keys = keys;
        _metrics = metrics;
        _logger = logger;
        ServiceId = cluster.Value.ServiceId;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The store's connections.</summary>
    protected DbDataSource DataSource { get; }

    /// <summary>This cluster's service id: journals of several services can share a database.</summary>
    protected string ServiceId { get; }

    public async Task AppendAsync(string userId, long sequence, UserEvent[] events)
    {
        var span = _activities.StartActivity("journal commit");
        var key = await _keys.ForWriteAsync(_keys.KeyIdOf(userId));
        var payload = key.Seal(_serializer.SerializeToArray(events), PersonKey.JournalPayload);
        await Enqueue(new PendingAppend(key.Id, sequence, payload, key.Stored ? null : key) { Span = span });
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string userId, long afterSequence)
    {
        var userKey = _keys.KeyIdOf(userId);
        var rows = await ReadRowsAsync(userKey, afterSequence);
        if (rows.Count == 0)
        {
            return [];
        }

        var key = await _keys.FindAsync(userKey)
            ?? throw new InvalidOperationException($"Journal rows of user {userKey} have no person key: they cannot be read.");
        return [.. rows.Select(row => new JournalEntry(row.Sequence, _serializer.Deserialize<UserEvent[]>(key.Open(row.Payload, PersonKey.JournalPayload)) ?? []))];
    }

    /// <summary>
    /// Committed with the next batch: a delete of its own per snapshot cost a transaction each, and visited the same
    /// heap pages (rows of many users, in arrival order) again for every user with rows on them.
    /// </summary>
    public Task TruncateAsync(string userId, long throughSequence) => Enqueue(new PendingTruncation(_keys.KeyIdOf(userId), throughSequence, EraseKey: false));

    /// <summary>The person's rows and key go in one commit: no row outlives the key that opens it, nor the key the rows.</summary>
    public Task EraseUserAsync(string userId) => Enqueue(new PendingTruncation(_keys.KeyIdOf(userId), long.MaxValue, EraseKey: true));

    public virtual Task PurgeDeletedAsync() => Task.CompletedTask;

    /// <summary>The user's (sequence, sealed payload) rows after <paramref name="afterSequence"/>, in order.</summary>
    protected abstract Task<List<(long Sequence, byte[] Payload)>> ReadRowsAsync(string userKey, long afterSequence);

    /// <summary>The rows of a reader of (seq, payload).</summary>
    protected static async Task<List<(long Sequence, byte[] Payload)>> RowsOf(DbDataReader reader)
    {
        var rows = new List<(long, byte[])>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
        await CloseConnectionAsync();
    }

    private Task Enqueue(PendingWrite write) =>
        _pending.Writer.TryWrite(write) ? write.Committed.Task : throw new ObjectDisposedException(nameof(GroupCommitJournal));

    private async Task WriteLoopAsync()
    {
        var reader = _pending.Reader;
        var appends = new List<PendingAppend>(MaxBatch);
        var truncations = new List<PendingTruncation>();
        while (await reader.WaitToReadAsync())
        {
            appends.Clear();
            truncations.Clear();
            while (appends.Count + truncations.Count < MaxBatch && reader.TryRead(out var write))
            {
                if (write is PendingAppend append)
                {
                    appends.Add(append);
                }
                else
                {
                    truncations.Add((PendingTruncation)write);
                }
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                var written = await WriteAsync(appends, truncations);
                _metrics.JournalCommitted(appends.Count + truncations.Count, Stopwatch.GetElapsedTime(started));
                foreach (var truncation in truncations)
                {
                    truncation.Committed.TrySetResult();
                }

                foreach (var append in appends)
                {
                    if (written.Contains((append.UserKey, append.Sequence)))
                    {
                        append.Committed.TrySetResult();
                    }
                    else
                    {
                        append.Committed.TrySetException(new InconsistentStateException(
                            $"Journal sequence {append.Sequence} of user {append.UserKey} was already written by another activation."));
                    }
                }
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Journal commit of {Appends} appends and {Truncations} truncations failed", appends.Count, truncations.Count);
                foreach (var write in appends.Concat<PendingWrite>(truncations))
                {
                    write.Committed.TrySetException(ex);
                }
            }

            foreach (var append in appends)
            {
                append.Span?.SetTag("personalization.journal.batch", appends.Count + truncations.Count).Dispose();
            }
        }
    }

    /// <summary>
    /// One transaction for the whole batch; returns the (user key, sequence) pairs actually inserted. An append whose new
    /// person key lost to a key another activation stored first is left out (its payload is sealed with the loser).
    /// </summary>
    private async Task<HashSet<(string, long)>> WriteAsync(List<PendingAppend> appends, List<PendingTruncation> truncations)
    {
        // A key stored by an earlier batch (the person's appends before this one) is not inserted again.
        var newKeys = appends.Select(a => a.NewKey).OfType<PersonKey>().Where(k => !k.Stored).DistinctBy(k => k.Id).ToList();
        var erasedKeys = truncations.Where(t => t.EraseKey).Select(t => t.UserKey).ToList();
        try
        {
            _connection ??= await DataSource.OpenConnectionAsync();
            await using var transaction = await _connection.BeginTransactionAsync();
            var keysInserted = newKeys.Count == 0 ? [] : await InsertKeysAsync(_connection, transaction, newKeys);
            var written = await InsertAsync(_connection, transaction, [.. appends.Where(a => a.NewKey is null || a.NewKey.Stored || keysInserted.Contains(a.UserKey))]);
            await DeleteAsync(_connection, transaction, truncations);
            if (erasedKeys.Count > 0)
            {
                await _keys.DeleteAsync(_connection, transaction, erasedKeys);
            }

            await transaction.CommitAsync();
            OnCommitted();
            foreach (var key in newKeys)
            {
                if (keysInserted.Contains(key.Id))
                {
                    _keys.MarkStored(key);
                }
                else
                {
                    _keys.Forget(key.Id);
                }
            }

            erasedKeys.ForEach(_keys.Forget);
            return written;
        }
        catch
        {
            // The session may be gone (the database restarted): the next batch opens a new one.
            await CloseConnectionAsync();
            throw;
        }
    }

    private async Task CloseConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Inserts the batch within <paramref name="transaction"/>. A sequence already taken is skipped, not an error (the
    /// other appends of the batch must still commit); the result holds the (user key, sequence) pairs actually inserted.
    /// Called for every batch, with an empty list too.
    /// </summary>
    protected abstract Task<HashSet<(string UserKey, long Sequence)>> InsertAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingAppend> batch);

    /// <summary>
    /// Inserts new persons' wrapped keys within <paramref name="transaction"/>, before the entries sealed with them; a key
    /// id already taken is skipped. Returns the key ids inserted. One statement per key, unless the store has better.
    /// </summary>
    protected virtual Task<HashSet<string>> InsertKeysAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PersonKey> keys) =>
        _keys.InsertNewAsync(connection, transaction, keys);

    /// <summary>
    /// Deletes, within <paramref name="transaction"/> and after the batch's inserts, each truncated user's rows through
    /// its sequence. Called for every batch, with an empty list too.
    /// </summary>
    protected abstract Task DeleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingTruncation> truncations);

    /// <summary>Called once the transaction of the last <see cref="InsertAsync"/> and <see cref="DeleteAsync"/> has committed, before any write is acknowledged.</summary>
    protected virtual void OnCommitted()
    {
    }

    /// <summary>A write waiting for the next commit, and how its caller learns the outcome.</summary>
    protected abstract record PendingWrite
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One append waiting for the next commit.</summary>
    /// <param name="NewKey">The person's key when not stored yet: inserted in the same commit.</param>
    protected sealed record PendingAppend(string UserKey, long Sequence, byte[] Payload, PersonKey? NewKey) : PendingWrite
    {
        /// <summary>The append's span (when traced), ended once its commit is decided.</summary>
        public Activity? Span { get; init; }
    }

    /// <summary>A user's rows through a sequence, to delete in the next commit; with the person's key on erasure.</summary>
    protected sealed record PendingTruncation(string UserKey, long ThroughSequence, bool EraseKey) : PendingWrite;
}
