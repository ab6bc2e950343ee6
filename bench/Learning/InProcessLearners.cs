using Personalization.Bench.Eval;
using Personalization.Interfaces;

namespace Personalization.Bench.Learning;

/// <summary>The real grains in an in-process silo, asked through the services the gateway calls; answers keep their timestamps.</summary>
public sealed class InProcessLearners(InProcessTarget silo) : ILearnerTarget
{
    public string Name => "in-process";

    public static async Task<InProcessLearners> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings) =>
        new(await InProcessTarget.StartAsync(settings, seed: 0));

    public Task UpsertExercisesAsync(IReadOnlyList<(string ItemId, string[] Skills)> exercises) =>
        silo.Catalog.UpsertAsync([.. exercises.Select(e => new ItemUpsert(e.ItemId, [], [], true, e.Skills, null))]);

    public Task RecordAsync(IReadOnlyList<(string UserId, UserEvent Answer)> answers) => silo.Ingest.RecordAsync(answers);

    public async Task<double> PredictAsync(string userId, string itemId, DateTimeOffset asOf) =>
        (await silo.Learners.PredictAsync(userId, [itemId], asOf)).Single().PCorrect;

    public ValueTask DisposeAsync() => silo.DisposeAsync();
}
