using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Personalization.Gateway.Validation;

/// <summary>
/// A newline-delimited JSON body (one value per line, <c>application/x-ndjson</c>) spooled to a seekable stream (a
/// temporary file) and parsed a batch of values at a time, so that an import holds neither its text nor all its values
/// in memory: the parsed form of a value is several times its text, and the memory a process once grew to is not given
/// back. A line is at most <see cref="JsonBody.MaxBytes"/>.
/// </summary>
public sealed class JsonLines(Stream utf8) : IAsyncDisposable
{
    /// <summary>Text parsed into one batch at most, whatever its count of values.</summary>
    public const int MaxBatchBytes = 16 << 20;

    private readonly byte[] _line = ArrayPool<byte>.Shared.Rent(JsonBody.MaxBytes);
    private PipeReader _pipe = Open(utf8);

    /// <summary>Values read since the start (or the last <see cref="Rewind"/>).</summary>
    public int Read { get; private set; }

    /// <summary>
    /// The next values, at most <paramref name="max"/>; empty at the end of the body, or after a line that is too long,
    /// not valid JSON or not Unicode, which is reported (keyed by its index, <c>[n]</c>) among <paramref name="errors"/>.
    /// </summary>
    public async Task<List<JsonElement>> NextAsync(int max, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var values = new List<JsonElement>(Math.Min(max, 1024));
        for (long bytes = 0; values.Count < max && bytes < MaxBatchBytes;)
        {
            var length = await NextLineAsync(cancellationToken);
            if (length > JsonBody.MaxBytes)
            {
                errors.Add($"[{Read}]", $"Line {Read + 1} is longer than {JsonBody.MaxBytes >> 20} MiB.");
            }

            if (length is 0 or > JsonBody.MaxBytes || Parse(_line.AsSpan(0, length), errors) is not { } value)
            {
                return length == 0 ? values : [];
            }

            values.Add(value);
            bytes += length;
            Read++;
        }

        return values;
    }

    /// <summary>Back to the first value, for a second pass.</summary>
    public void Rewind()
    {
        utf8.Position = 0;
        (_pipe, Read) = (Open(utf8), 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _pipe.CompleteAsync();
        ArrayPool<byte>.Shared.Return(_line);
        await utf8.DisposeAsync();
    }

    private static PipeReader Open(Stream stream) => PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 << 10, leaveOpen: true));

    private JsonElement? Parse(ReadOnlySpan<byte> line, ValidationErrors errors)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            var value = JsonElement.ParseValue(ref reader);
            if (reader.BytesConsumed < line.Length)
            {
                throw new JsonException("it holds more than one value.");
            }

            return JsonStrings.Check(line, $"[{Read}]", errors) ? value : null;
        }
        catch (JsonException ex)
        {
            // The reader's position counts within the line: the line number here is the body's.
            errors.Add($"[{Read}]", $"Line {Read + 1} is not valid JSON: {ex.Message.Split(" LineNumber:")[0]}");
            return null;
        }
    }

    /// <summary>
    /// Copies the next line that is not blank into the line buffer and returns its length: 0 at the end, and past
    /// <see cref="JsonBody.MaxBytes"/> (without copying) when it is longer.
    /// </summary>
    private async Task<int> NextLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _pipe.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var end = buffer.PositionOf((byte)'\n');
            if (end is null && buffer.Length <= JsonBody.MaxBytes && !result.IsCompleted)
            {
                _pipe.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            var line = end is { } newline ? buffer.Slice(0, newline) : buffer;
            var length = (int)Math.Min(line.Length, JsonBody.MaxBytes + 1);
            if (length <= JsonBody.MaxBytes)
            {
                line.CopyTo(_line);
            }

            _pipe.AdvanceTo(end is { } at ? buffer.GetPosition(1, at) : buffer.End);
            if (length > JsonBody.MaxBytes)
            {
                return length;
            }

            var text = _line.AsSpan(0, length).Trim(" \t\r"u8);
            if (text.Length > 0 || (end is null && result.IsCompleted))
            {
                text.CopyTo(_line);
                return text.Length;
            }
        }
    }
}
