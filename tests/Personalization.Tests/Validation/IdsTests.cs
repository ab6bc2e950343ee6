using System.Text.RegularExpressions;
using Personalization.Gateway.Validation;

namespace Personalization.Tests.Validation;

public sealed class IdsTests
{
    /// <summary>The document states the id rule as <see cref="Ids.Pattern"/>; the validators use <see cref="Ids.IsValid"/>.</summary>
    [Fact]
    public void The_documented_pattern_accepts_exactly_the_ids_the_validators_accept()
    {
        // JSON Schema patterns are ECMA-262, where a final $ ends the input; .NET's also matches before a final newline.
        Assert.EndsWith("$", Ids.Pattern);
        var pattern = new Regex(Ids.Pattern[..^1] + @"\z", RegexOptions.CultureInvariant);
        IEnumerable<string> ids = [
            .. Enumerable.Range(0, 256).Select(c => ((char)c).ToString()),
            "", "é", new string('a', Ids.MaxLength), new string('a', Ids.MaxLength + 1), "user-7_a.b:c@d", "a b", "a\n"];

        Assert.All(ids, id => Assert.True(pattern.IsMatch(id) == Ids.IsValid(id), $"'{id}' (U+{(id.Length == 1 ? (int)id[0] : 0):X4})"));
    }
}
