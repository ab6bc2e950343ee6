using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using Personalization.Grains.Journal;
using Personalization.Interfaces;
using Personalization.Silo.Journal;
using Personalization.Silo.Storage;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Grains;

/// <summary>
/// The event journal's contract on both stores: what a user grain relies on to replay after a crash. "Reopened" is a
/// second journal over the same database, built the way a restarted silo builds it.
/// </summary>
public abstract class JournalConformanceTests(IServiceProvider siloServices)
{
    private IEventJournal Journal => siloServices.GetRequiredService<IEventJournal>();

    [Fact]
    public async Task Entries_after_a_sequence_read_back_in_order_and_truncation_drops_those_through_it()
    {
        var user = NewUser();
        for (var sequence = 1; sequence <= 4; sequence++)
        {
            await Journal.AppendAsync(user, sequence, [Event($"e{sequence}")]);
        }

        Assert.Equal([2L, 3, 4], (await Journal.ReadAsync(user, 1)).Select(e => e.Sequence));
        Assert.Equal("e3", (await Journal.ReadAsync(user, 2))[0].Events.Single().EventId);

        await Journal.TruncateAsync(user, 3);
        Assert.Equal([4L], (await Journal.ReadAsync(user, 0)).Select(e => e.Sequence));
        Assert.Equal(1, await RowsAsync(user));
    }

    [Fact]
    public async Task A_sequence_already_written_gets_InconsistentStateException_and_the_first_entry_stays()
    {
        var user = NewUser();
        await Journal.AppendAsync(user, 1, [Event("first")]);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Journal.AppendAsync(user, 1, [Event("second")]));
        Assert.Equal("first", (await Journal.ReadAsync(user, 0)).Single().Events.Single().EventId);
    }

    [Fact]
    public async Task Concurrent_appends_of_many_users_each_commit_once_and_another_users_rows_stay()
    {
        var users = Enumerable.Range(0, 50).Select(_ => NewUser()).ToArray();
        await Task.WhenAll(users.SelectMany(user => Enumerable.Range(1, 3).Select(sequence => Journal.AppendAsync(user, sequence, [Event($"{user}-{sequence}")]))));

        await Journal.EraseUserAsync(users[0]);

        Assert.Empty(await Journal.ReadAsync(users[0], 0));
        Assert.Equal(0, await RowsAsync(users[0]));
        foreach (var user in users.Skip(1))
        {
            Assert.Equal([$"{user}-1", $"{user}-2", $"{user}-3"], (await Journal.ReadAsync(user, 0)).Select(e => e.Events.Single().EventId));
        }
    }

    [Fact]
    public async Task A_reopened_journal_finds_what_was_acknowledged_and_keeps_sequences_taken()
    {
        var user = NewUser();
        await Journal.AppendAsync(user, 1, [Event("a")]);
        await Journal.AppendAsync(user, 2, [Event("b"), Event("c")]);

        await using var reopened = Reopen();

        Assert.Equal(["b", "c"], (await reopened.ReadAsync(user, 1)).Single().Events.Select(e => e.EventId));
        await Assert.ThrowsAsync<InconsistentStateException>(() => reopened.AppendAsync(user, 2, [Event("d")]));
        await reopened.TruncateAsync(user, 2);
        Assert.Equal(0, await RowsAsync(user));
    }

    /// <summary>A second journal over the store, as a restarted silo makes it.</summary>
    protected GroupCommitJournal Reopen() => Reopen(siloServices);

    protected abstract GroupCommitJournal Reopen(IServiceProvider services);

    /// <summary>The user's rows, counted in the database.</summary>
    protected abstract Task<long> RowsAsync(string userId);

    protected static TJournal Open<TJournal>(IServiceProvider services, DbDataSource dataSource) where TJournal : GroupCommitJournal =>
        ActivatorUtilities.CreateInstance<TJournal>(services, dataSource);

    private static string NewUser() => "journal-" + Guid.NewGuid().ToString("N");

    private static UserEvent Event(string id) => new(id, "item-1", "click", null, null, DateTimeOffset.UnixEpoch);
}

[Collection(SqliteClusterCollection.Name)]
public sealed class SqliteJournalConformanceTests(SqliteClusterFixture fixture) : JournalConformanceTests(fixture.SiloServices)
{
    protected override GroupCommitJournal Reopen(IServiceProvider services) =>
        Open<SqliteEventJournal>(services, new SqliteDataSource(SqliteStore.ConnectionString(fixture.DataPath)));

    protected override Task<long> RowsAsync(string userId) => new SqliteInspector(fixture.DataPath).JournalRowsAsync(userId);
}

[Collection(PostgresClusterCollection.Name)]
public sealed class PostgresJournalConformanceTests(PostgresClusterFixture fixture) : JournalConformanceTests(fixture.SiloServices)
{
    protected override GroupCommitJournal Reopen(IServiceProvider services) =>
        Open<PostgresEventJournal>(services, NpgsqlDataSource.Create(fixture.ConnectionString));

    protected override Task<long> RowsAsync(string userId) => new PostgresInspector(fixture.ConnectionString).JournalRowsAsync(userId);

    /// <summary>A journal user key as the journal writes them (64 hex digits).</summary>
    private static readonly string SomeUserKey = new('a', 64);

    [Fact]
    public async Task A_users_journal_read_finds_its_rows_through_the_key() =>
        AssertUsesTheKey(await PlanOverManyUsersAsync(PostgresEventJournal.ReadSql, parameters =>
        {
            parameters.AddWithValue("user", SomeUserKey);
            parameters.AddWithValue("after", 5L);
        }));

    [Fact]
    public async Task A_batch_of_truncations_finds_each_users_rows_through_the_key() =>
        AssertUsesTheKey(await PlanOverManyUsersAsync(PostgresEventJournal.DeleteSql, parameters =>
        {
            parameters.AddWithValue("users", NpgsqlDbType.Array | NpgsqlDbType.Text, new[] { SomeUserKey });
            parameters.AddWithValue("throughs", NpgsqlDbType.Array | NpgsqlDbType.Bigint, new[] { 5L });
        }));

    /// <summary>
    /// A plan that filters on the user instead of seeking it reads every user's rows at each activation and each
    /// truncation after a snapshot.
    /// </summary>
    private static void AssertUsesTheKey(List<string> plan) =>
        Assert.True(plan.Any(line => line.Contains("Index Cond") && line.Contains("user_key")), string.Join('\n', plan));

    /// <summary>
    /// The plan of <paramref name="sql"/> over a journal of 20,000 users, analyzed (both rolled back afterwards), with the
    /// parameters typed as the journal sends them.
    /// </summary>
    private async Task<List<string>> PlanOverManyUsersAsync(string sql, Action<NpgsqlParameterCollection> addUserParameters)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        // A scan of the whole table remains only where the key cannot serve.
        await using (var noScans = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await noScans.ExecuteNonQueryAsync();
        }

        await using var transaction = await connection.BeginTransactionAsync();
        await using (var manyUsers = new NpgsqlCommand(
            "INSERT INTO event_journal SELECT 'service', md5(i::text) || md5((-i)::text), 1, '\\x00' FROM generate_series(1, 20000) AS i", connection, transaction))
        {
            await manyUsers.ExecuteNonQueryAsync();
        }

        // Statistics of the table as it is now, as autovacuum keeps them in service: from the last analysis (of a table
        // with a few rows, say) the planner may take the key's prefix and filter each user's rows instead.
        await using (var analyze = new NpgsqlCommand("ANALYZE event_journal", connection, transaction))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + sql, connection, transaction);
        explain.Parameters.AddWithValue("service", "service");
        addUserParameters(explain.Parameters);
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return plan;
    }
}
