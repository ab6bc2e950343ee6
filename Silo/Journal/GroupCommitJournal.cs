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
/// acknowledges many users' events. How a batch is inserted is the store's own (<see cref="InsertAsync"/>).
/// </summary>
public abstract class GroupCommitJournal : IEventJournal, IAsyncDisposable
{
    /// <summary>Rows per transaction.</summary>
    private const int MaxBatch = 2000;

    private readonly Serializer _serializer;
    private readonly ILogger<GroupCommitJournal> _logger;
    private readonly string _serviceId;
    private readonly Channel<PendingAppend> _pending = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    protected GroupCommitJournal(DbDataSource dataSource, Serializer serializer, IOptions<ClusterOptions> cluster, ILogger<GroupCommitJournal> logger)
    {
        DataSource = dataSource;
        _serializer = serializer;
        _logger = logger;
        _serviceId = cluster.Value.ServiceId;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The store's connections.</summary>
    protected DbDataSource DataSource { get; }

    public Task AppendAsync(string userId, long sequence, UserEvent[] events)
    {
        var append = new PendingAppend(UserKey(userId), sequence, _serializer.SerializeToArray(events));
        if (!_pending.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(GroupCommitJournal));
        }

        return append.Committed.Task;
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string userId, long afterSequence)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT seq, payload FROM event_journal WHERE service_id = @service AND user_key = @user AND seq > @after ORDER BY seq");
        AddParameter(command, "service", _serviceId);
        AddParameter(command, "user", UserKey(userId));
        AddParameter(command, "after", afterSequence);
        var entries = new List<JournalEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(new JournalEntry(reader.GetInt64(0), _serializer.Deserialize<UserEvent[]>((byte[])reader.GetValue(1)) ?? []));
        }

        return entries;
    }

    public Task TruncateAsync(string userId, long throughSequence) => DeleteAsync(userId, throughSequence);

    public async Task EraseUserAsync(string userId)
    {
        await DeleteAsync(userId, long.MaxValue);
    }

    public virtual Task PurgeDeletedAsync() => Task.CompletedTask;

    /// <summary>The journal's key of a user: SHA-256 of the id, so that the id itself is never stored here.</summary>
    public static string UserKey(string userId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));

    private async Task DeleteAsync(string userId, long throughSequence)
    {
        await using var command = DataSource.CreateCommand(
            "DELETE FROM event_journal WHERE service_id = @service AND user_key = @user AND seq <= @through");
        AddParameter(command, "service", _serviceId);
        AddParameter(command, "user", UserKey(userId));
        AddParameter(command, "through", throughSequence);
        await command.ExecuteNonQueryAsync();
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
        var written = await InsertAsync(connection, transaction, _serviceId, batch);
        await transaction.CommitAsync();
        return written;
    }

    /// <summary>
    /// Inserts the batch within <paramref name="transaction"/>. A sequence already taken is skipped, not an error (the
    /// other appends of the batch must still commit); the result holds the (user key, sequence) pairs actually inserted.
    /// </summary>
    protected abstract Task<HashSet<(string UserKey, long Sequence)>> InsertAsync(
        DbConnection connection, DbTransaction transaction, string serviceId, IReadOnlyList<PendingAppend> batch);

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
