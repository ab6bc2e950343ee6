using System.Text;
using Personalization.Gateway.Validation;

namespace Personalization.Tests.Validation;

public sealed class JsonStringsTests
{
    [Theory]
    [InlineData("""[{"userId":"\ud800"}]""", "[0].userId")]
    [InlineData("""[{"a":1},{"categories":["ok","\uDFFF"]}]""", "[1].categories[1]")]
    [InlineData("""[{"id":"x","\ud800":1}]""", "[0]")]
    [InlineData("""{"personalization":"\udbff\u0041"}""", "personalization")]
    [InlineData("""{"outer":{"inner":[[1,"\ud800"]]}}""", "outer.inner[0][1]")]
    [InlineData("""["\ud800"]""", "[0]")]
    [InlineData(""" "\ud800" """, "$")]
    public void An_escaped_lone_surrogate_is_reported_at_its_path(string json, string path)
    {
        var errors = new ValidationErrors();

        Assert.False(JsonStrings.Check(Encoding.UTF8.GetBytes(json), string.Empty, errors));

        Assert.Equal([path], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Invalid_utf8_in_a_value_or_a_name_is_reported_at_its_path()
    {
        byte[] Bad(string before, string after) => [.. Encoding.UTF8.GetBytes(before), 0xC3, .. Encoding.UTF8.GetBytes(after)];
        var (inValue, inName) = (new ValidationErrors(), new ValidationErrors());

        Assert.False(JsonStrings.Check(Bad("[{\"itemId\":\"a", "\"}]"), string.Empty, inValue));
        Assert.False(JsonStrings.Check(Bad("{\"id\":\"x\",\"a", "\":1}"), "[7]", inName));

        Assert.Equal(["[0].itemId"], inValue.ToDictionary().Keys);
        Assert.Contains("not valid UTF-8", inValue.ToDictionary()["[0].itemId"][0]);
        Assert.Equal(["[7]"], inName.ToDictionary().Keys);
    }

    [Theory]
    [InlineData("""[{"userId":"caf\u00e9","pair":"\ud83d\ude00","path":"a\\ud800"}]""")]
    [InlineData("""{"text":"plain"}""")]
    public void Escapes_of_whole_characters_and_of_backslashes_pass(string json) =>
        Assert.True(JsonStrings.Check(Encoding.UTF8.GetBytes(json), string.Empty, new ValidationErrors()));

    [Fact]
    public void At_most_100_errors_are_listed_and_the_rest_counted()
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < 250; i++)
        {
            errors.Add($"[{i}].type", "bad");
        }

        var listed = errors.ToDictionary();

        Assert.Equal(ValidationErrors.MaxListed + 1, listed.Count);
        Assert.Equal(["And 150 more errors, not listed: at most 100 are."], listed["$"]);
    }
}
