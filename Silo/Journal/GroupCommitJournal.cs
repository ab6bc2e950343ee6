using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Personalization.Grains.Journal;
using Personalization.Grains.Telemetry;
using Personalization.Interfaces;

namespace Personalization.Silo.Journal;

/// <summary>
/// <see cref="IEventJournal"/> on a relational store. One writer loop takes every append and truncation waiting at that
/// moment and commits them in one transaction, so while one transaction is being made durable the next batch gathers:
/// one fsync acknowledges many users' events, and the rows snapshots made obsolete go in the same commit. How a batch is
/// inserted (<see cref="InsertAsync"/>) and deleted (<see cref="DeleteAsync"/>), and how a user's rows are found again,
/// are the store's own.
/// </summary>
public abstract class GroupCommitJournal : IEventJournal, IAsyncDisposable
{
    /// <summary>Appends and truncations per transaction.</summary>
    private const int MaxBatch = 2000;

    /// <summary>The traces of the journal: one span per append, from the call until its group commit is durable.</summary>
    public const string ActivitySourceName = "Personalization.Journal";

    private static readonly ActivitySource _activities = new(ActivitySourceName);

    private readonly Serializer _serializer;
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

    protected GroupCommitJournal(DbDataSource dataSource, Serializer serializer, IOptions<ClusterOptions> cluster, SiloMetrics metrics, ILogger<GroupCommitJournal> logger)
    {
        DataSource = dataSource;
        _serializer = serializer;
        _metrics = metrics;
        _logger = logger;
        ServiceId = cluster.Value.ServiceId;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The store's connections.</summary>
    protected DbDataSource DataSource { get; }

    /// <summary>This cluster's service id: journals of several services can share a database.</summary>
    protected string ServiceId { get; }

    public Task AppendAsync(string userId, long sequence, UserEvent[] events) =>
        Enqueue(new PendingAppend(UserKey(userId), sequence, _serializer.SerializeToArray(events)) { Span = _activities.StartActivity("journal commit") });

    public abstract Task<IReadOnlyList<JournalEntry>> ReadAsync(string userId, long afterSequence);

    /// <summary>
    /// Committed with the next batch: a delete of its own per snapshot cost a transaction each, and visited the same
    /// heap pages (rows of many users, in arrival order) again for every user with rows on them.
    /// </summary>
    public Task TruncateAsync(string userId, long throughSequence) => Enqueue(new PendingTruncation(UserKey(userId), throughSequence));

    public Task EraseUserAsync(string userId) => TruncateAsync(userId, long.MaxValue);

    public virtual Task PurgeDeletedAsync() => Task.CompletedTask;

    /// <summary>The journal's key of a user: SHA-256 of the id, so that the id itself is never stored here.</summary>
    public static string UserKey(string userId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));

    /// <summary>Entries from a reader of (seq, payload) rows.</summary>
    protected async Task<IReadOnlyList<JournalEntry>> ReadEntriesAsync(DbDataReader reader)
    {
        var entries = new List<JournalEntry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new JournalEntry(reader.GetInt64(0), _serializer.Deserialize<UserEvent[]>((byte[])reader.GetValue(1)) ?? []));
        }

        return entries;
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

    /// <summary>One transaction for the whole batch; returns the (user key, sequence) pairs actually inserted.</summary>
    private async Task<HashSet<(string, long)>> WriteAsync(List<PendingAppend> appends, List<PendingTruncation> truncations)
    {
        try
        {
            _connection ??= await DataSource.OpenConnectionAsync();
            await using var transaction = await _connection.BeginTransactionAsync();
            var written = await InsertAsync(_connection, transaction, appends);
            await DeleteAsync(_connection, transaction, truncations);
            await transaction.CommitAsync();
            OnCommitted();
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
    /// Deletes, within <paramref name="transaction"/> and after the batch's inserts, each truncated user's rows through
    /// its sequence. Called for every batch, with an empty list too.
    /// </summary>
    protected abstract Task DeleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingTruncation> truncations);

    /// <summary>Called once the transaction of the last <see cref="InsertAsync"/> and <see cref="DeleteAsync"/> has committed, before any write is acknowledged.</summary>
    protected virtual void OnCommitted()
    {
    }

    /// <summary>Adds <c>@name</c>; named with its prefix, as in the SQL, so that SQLite binds it without searching for it.</summary>
    protected static DbParameter AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A write waiting for the next commit, and how its caller learns the outcome.</summary>
    protected abstract record PendingWrite
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One append waiting for the next commit.</summary>
    protected sealed record PendingAppend(string UserKey, long Sequence, byte[] Payload) : PendingWrite
    {
        /// <summary>The append's span (when traced), ended once its commit is decided.</summary>
        public Activity? Span { get; init; }
    }

    /// <summary>A user's rows through a sequence, to delete in the next commit.</summary>
    protected sealed record PendingTruncation(string UserKey, long ThroughSequence) : PendingWrite;
}
