using System.Text;
using Personalization.Gateway.Validation;

namespace Personalization.Tests.Validation;

public sealed class JsonLinesTests
{
    [Fact]
    public async Task Values_come_a_batch_at_a_time_and_again_after_a_rewind()
    {
        await using var lines = Lines("{\"n\":1}\n{\"n\":2}\r\n\n  \n{\"n\":3}");
        var errors = new ValidationErrors();

        async Task<int[]> Batch() => [.. (await lines.NextAsync(2, errors, default)).Select(value => value.GetProperty("n").GetInt32())];

        var (first, second, end) = (await Batch(), await Batch(), await Batch());
        var read = lines.Read;
        lines.Rewind();
        var again = await Batch();

        Assert.Equal([1, 2], first);
        Assert.Equal([3], second);
        Assert.Empty(end);
        Assert.Equal(3, read);
        Assert.Equal([1, 2], again);
        Assert.Equal(2, lines.Read);
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData("{\"n\":1}\n{\"n\":2}\n{nope\n{\"n\":4}\n", "[2]")]
    [InlineData("{\"n\":1}\n{\"n\":2}\n{} {}\n", "[2]")]
    [InlineData("{\"n\":1}\n{\"n\":2}\n{\"id\":\"\\ud800\"}\n", "[2].id")]
    [InlineData("{\"n\":1}\n{\"n\":2}\n{\"\\udc00\":1}\n", "[2]")]
    public async Task A_bad_line_ends_the_values_and_is_reported_by_its_index(string text, string path)
    {
        await using var lines = Lines(text);
        var errors = new ValidationErrors();

        Assert.Single(await lines.NextAsync(1, errors, default));
        Assert.Empty(await lines.NextAsync(10, errors, default));

        Assert.Equal(2, lines.Read);
        Assert.Equal([path], errors.ToDictionary().Keys);
    }

    [Fact]
    public async Task A_line_longer_than_the_body_limit_is_reported_without_being_buffered_whole()
    {
        await using var lines = Lines($"{{\"n\":1}}\n\"{new string('x', JsonBody.MaxBytes + 10)}\"\n");
        var errors = new ValidationErrors();

        Assert.Single(await lines.NextAsync(1, errors, default));
        Assert.Empty(await lines.NextAsync(10, errors, default));

        Assert.StartsWith("Line 2 is longer than 1 MiB", Assert.Single(errors.ToDictionary()["[1]"]));
    }

    private static JsonLines Lines(string text) => new(new MemoryStream(Encoding.UTF8.GetBytes(text)));
}
