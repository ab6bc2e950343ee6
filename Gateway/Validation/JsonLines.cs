using System.Text.Json;

namespace Personalization.Gateway.Validation;

/// <summary>
/// A newline-delimited JSON body (one value per line, <c>application/x-ndjson</c>) parsed a batch of values at a time,
/// so that a bulk import never holds all its values parsed at once: the parsed form of a value is several times its
/// text, and the memory a process once grew to is not given back.
/// </summary>
public sealed class JsonLines(ReadOnlyMemory<byte> utf8)
{
    private static readonly JsonReaderOptions _options = new() { AllowMultipleValues = true };

    private int _offset;

    /// <summary>Values read since the start (or the last <see cref="Rewind"/>).</summary>
    public int Read { get; private set; }

    /// <summary>
    /// The next values, at most <paramref name="max"/>; empty at the end of the body. Throws <see cref="JsonException"/>
    /// when the next value is not valid JSON (it is then value number <see cref="Read"/> + 1).
    /// </summary>
    public List<JsonElement> Next(int max)
    {
        var reader = new Utf8JsonReader(utf8.Span[_offset..], _options);
        var values = new List<JsonElement>(Math.Min(max, 1024));
        while (values.Count < max && reader.Read())
        {
            values.Add(JsonElement.ParseValue(ref reader));
            Read++;
        }

        _offset += (int)reader.BytesConsumed;
        return values;
    }

    /// <summary>Back to the first value, for a second pass.</summary>
    public void Rewind() => (_offset, Read) = (0, 0);
}
