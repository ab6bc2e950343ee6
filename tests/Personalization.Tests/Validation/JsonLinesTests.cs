using System.Text;
using System.Text.Json;
using Personalization.Gateway.Validation;

namespace Personalization.Tests.Validation;

public sealed class JsonLinesTests
{
    [Fact]
    public void Values_come_a_batch_at_a_time_and_again_after_a_rewind()
    {
        var lines = new JsonLines(Encoding.UTF8.GetBytes("{\"n\":1}\n{\"n\":2}\r\n\n{\"n\":3}\n"));

        int[] Batch() => [.. lines.Next(2).Select(value => value.GetProperty("n").GetInt32())];

        Assert.Equal([1, 2], Batch());
        Assert.Equal([3], Batch());
        Assert.Empty(Batch());
        Assert.Equal(3, lines.Read);
        lines.Rewind();
        Assert.Equal([1, 2], Batch());
        Assert.Equal(2, lines.Read);
    }

    [Fact]
    public void A_malformed_value_throws_with_the_values_before_it_counted()
    {
        var lines = new JsonLines(Encoding.UTF8.GetBytes("{\"n\":1}\n{\"n\":2}\n{nope\n{\"n\":4}\n"));

        Assert.Single(lines.Next(1));
        Assert.ThrowsAny<JsonException>(() => lines.Next(10));
        Assert.Equal(2, lines.Read);
    }
}
