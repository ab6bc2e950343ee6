using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Personalization.Grains.Journal;
using Personalization.Interfaces;

namespace Personalization.Silo.Journal;

/// <summary>
/// <see cref="IEventJournal"/> on a relational store. One writer loop takes every append waiting at that moment and
/// commits them in one transaction, so while one transaction is being made durable the next batch gathers: one fsync
/// acknowledges many users' events. How a batch is inserted (<see cref="InsertAsync"/>) and how a user's rows are found
/// again are the store's own.
/// </summary>
public abstract class GroupCommitJournal : IEventJournal, IAsyncDisposable
{
    /// <summary>Rows per transaction.</summary>
    private const int MaxBatch = 2000;

    private readonly Serializer _serializer;
    private readonly ILogger<GroupCommitJournal> _logger;
    private readonly Channel<PendingAppend> _pending = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    protected GroupCommitJournal(DbDataSource dataSource, Serializer serializer, IOptions<ClusterOptions> cluster, ILogger<GroupCommitJournal> logger)
    {
        DataSource = dataSource;
        _serializer = serializer;
        _logger = logger;
        ServiceId = cluster.Value.ServiceId;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The store's connections.</summary>
    protected DbDataSource DataSource { get; }

    /// <summary>This cluster's service id: journals of several services can share a database.</summary>
    protected string ServiceId { get; }

    public Task AppendAsync(string userId, long sequence, UserEvent[] events)
    {
        var append = new PendingAppend(UserKey(userId), sequence, _serializer.SerializeToArray(events));
        if (!_pending.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(GroupCommitJournal));
        }

        return append.Committed.Task;
    }

    public abstract Task<IReadOnlyList<JournalEntry>> ReadAsync(string userId, long afterSequence);

    public abstract Task TruncateAsync(string userId, long throughSequence);

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
    }

    private async Task WriteLoopAsync()
    {
        var reader = _pending.Reader;
        var batch = new List<PendingAppend>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var append))
            {
                batch.Add(append);
            }

            try
            {
                var written = await WriteAsync(batch);
                foreach (var append in batch)
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
                _logger.LogWarning(ex, "Journal commit of {Count} entries failed", batch.Count);
                foreach (var append in batch)
                {
                    append.Committed.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>One transaction for the whole batch; returns the (user key, sequence) pairs actually inserted.</summary>
    private async Task<HashSet<(string, long)>> WriteAsync(List<PendingAppend> batch)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var written = await InsertAsync(connection, transaction, batch);
        await transaction.CommitAsync();
        OnCommitted();
        return written;
    }

    /// <summary>
    /// Inserts the batch within <paramref name="transaction"/>. A sequence already taken is skipped, not an error (the
    /// other appends of the batch must still commit); the result holds the (user key, sequence) pairs actually inserted.
    /// </summary>
    protected abstract Task<HashSet<(string UserKey, long Sequence)>> InsertAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingAppend> batch);

    /// <summary>Called once the transaction of the last <see cref="InsertAsync"/> has committed, before any append is acknowledged.</summary>
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

    /// <summary>One append waiting for the next commit.</summary>
    protected sealed record PendingAppend(string UserKey, long Sequence, byte[] Payload)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
