using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;

namespace Personalization.Silo.Storage;

/// <summary>The cluster store: PostgreSQL, schema applied by the silos on start under an advisory lock.</summary>
public sealed class PostgresStore(string connectionString, ILogger<PostgresStore> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public const string Invariant = "Npgsql";

    /// <summary>Arbitrary but fixed key of the advisory lock that serializes schema application.</summary>
    private const long SchemaLockKey = 0x5045_5253_4F4E_414C;

    private static readonly TimeSpan _startupBudget = TimeSpan.FromSeconds(60);

    /// <summary>Before membership and storage initialize, both of which need the schema.</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresStore), ServiceLifecycleStage.RuntimeInitialize - 1, ApplySchemaAsync);

    /// <summary>
    /// Applies deploy/postgres/schema.sql (idempotent) in one transaction holding an advisory lock, so that silos
    /// starting together never apply it concurrently. Waits for the database for up to a minute: containers start in
    /// any order.
    /// </summary>
    private async Task ApplySchemaAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _startupBudget;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey});\n{EmbeddedSql.Read("postgres-schema.sql")}", connection, transaction);
                await command.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (DateTime.UtcNow < deadline && ex.IsTransient)
            {
                logger.LogWarning("PostgreSQL not ready (attempt {Attempt}): {Message}", attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }
}
