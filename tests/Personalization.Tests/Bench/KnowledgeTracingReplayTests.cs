using System.Globalization;
using Personalization.Bench.Data;
using Personalization.Bench.Learning;
using Personalization.Model;
using Personalization.Tests.Infrastructure;

namespace Personalization.Tests.Bench;

/// <summary>
/// <c>bench eval --protocol knowledge-tracing</c> on a small split of its own, in the format of Gervet et al. (2020):
/// the folder's format is recognised, and the replay through the real gateway over HTTP predicts as the in-process one.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class KnowledgeTracingReplayTests(GatewayFactory gateway)
{
    private const int Items = 40;

    [Fact]
    public void A_folder_of_a_Gervet_split_is_read_with_each_student_in_order()
    {
        using var folder = new TempDirectory();
        WriteSplit(folder.Path, GervetSplit.TrainFile, "user_id\titem_id\ttimestamp\tcorrect\tskill_id", "7\t3\t0\t1\t2", "5\t4\t0\t0\t1", "7\t4\t0\t0\t1");
        WriteSplit(folder.Path, GervetSplit.TestFile, "user_id\titem_id\ttimestamp\tcorrect\tskill_id", "9\t3\t0\t1\t2");

        var split = AnswerSet.Load(folder.Path);

        Assert.Equal(new[] { new[] { new SkillAnswer(3, 2, true), new SkillAnswer(4, 1, false) }, [new SkillAnswer(4, 1, false)] }, split.Train);
        Assert.Equal([new SkillAnswer(3, 2, true)], Assert.Single(split.Test).AsEnumerable());
    }

    [Fact]
    public void A_folder_of_neither_format_or_a_file_without_the_header_is_refused_by_name()
    {
        using var folder = new TempDirectory();
        var missing = Assert.Throws<FileNotFoundException>(() => AnswerSet.Load(folder.Path));
        Assert.Contains(Assistments.TrainFile, missing.Message, StringComparison.Ordinal);
        Assert.Contains(GervetSplit.TrainFile, missing.Message, StringComparison.Ordinal);

        WriteSplit(folder.Path, GervetSplit.TrainFile, "user item correct", "1\t2\t1");
        var header = Assert.Throws<FormatException>(() => AnswerSet.Load(folder.Path));
        Assert.Contains("user_id item_id timestamp correct skill_id", header.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_replay_through_the_gateway_predicts_as_the_in_process_one_and_names_its_target()
    {
        using var folder = new TempDirectory();
        WriteSynthetic(folder.Path);
        using var client = gateway.Client();

        var inProcess = await KnowledgeTracingEval.RunAsync(new KnowledgeTracingOptions(folder.Path, false, []), TextWriter.Null);
        var http = await KnowledgeTracingEval.RunAsync(
            new KnowledgeTracingOptions(folder.Path, false, [], client.BaseAddress, ApiKeys.Admin, TrainingBatches.AcrossLearners), TextWriter.Null);

        Assert.Equal("in-process", inProcess.Target);
        Assert.Equal(client.BaseAddress!.ToString(), http.Target);
        Assert.Equal(inProcess.TestAnswers, http.TestAnswers);
        Assert.True(inProcess.Service.Auc > inProcess.Marginal.Auc + 0.05, $"service {inProcess.Service.Auc:F3}, marginal {inProcess.Marginal.Auc:F3}");
        Assert.True(Math.Abs(http.Service.Auc - inProcess.Service.Auc) <= 0.01, $"HTTP {http.Service.Auc:F4}, in process {inProcess.Service.Auc:F4}");
    }

    /// <summary>Students of varied ability answering exercises of varied difficulty (4 skills), right more often with practice.</summary>
    private static void WriteSynthetic(string folder)
    {
        var random = new DeterministicRandom(11);
        var difficulty = Enumerable.Range(0, Items).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        string[] Students(int first, int count) => [.. Enumerable.Range(first, count).SelectMany(user =>
        {
            var ability = random.NextGaussian();
            return Enumerable.Range(0, 30).Select(n =>
            {
                var item = random.Next(Items);
                var right = random.NextDouble() < KnowledgeTracing.Sigmoid(ability - difficulty[item] + 0.05 * n);
                return string.Create(CultureInfo.InvariantCulture, $"{user}\t{item}\t0\t{(right ? 1 : 0)}\t{item % 4}");
            }).ToArray();
        })];

        WriteSplit(folder, GervetSplit.TrainFile, ["user_id\titem_id\ttimestamp\tcorrect\tskill_id", .. Students(0, 200)]);
        WriteSplit(folder, GervetSplit.TestFile, ["user_id\titem_id\ttimestamp\tcorrect\tskill_id", .. Students(1000, 40)]);
    }

    private static void WriteSplit(string folder, string file, params string[] lines) =>
        File.WriteAllLines(Path.Combine(folder, file), lines);
}
