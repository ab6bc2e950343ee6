using System.Buffers;
using System.Text.Json;

namespace Personalization.Gateway.Validation;

/// <summary>
/// Reads a JSON request body (an array of a bounded size, or one object), enforcing the 1 MiB limit; or, for bulk
/// imports, newline-delimited JSON under a larger limit.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 1 << 20;

    /// <summary>Root-level errors are keyed "$", as ASP.NET keys body-level JSON errors.</summary>
    public const string RootKey = "$";

    public static async Task<BodyResult> ReadArrayAsync(HttpRequest request, int maxItems, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(request, cancellationToken);
        if (body.Elements is not [var root])
        {
            return body;
        }

        var errors = body.Errors;
        if (root.ValueKind != JsonValueKind.Array)
        {
            errors.Add(RootKey, "The body must be a JSON array, even of one element.");
        }
        else if (root.GetArrayLength() == 0)
        {
            errors.Add(RootKey, "The array must hold at least one element.");
        }
        else if (root.GetArrayLength() > maxItems)
        {
            errors.Add(RootKey, $"The array holds {root.GetArrayLength()} elements; at most {maxItems} are allowed per request.");
        }

        return errors.Any ? new BodyResult(null, errors, false) : new BodyResult([.. root.EnumerateArray()], errors, false);
    }

    /// <summary>
    /// Reads a newline-delimited JSON body (<c>application/x-ndjson</c>) of at most <paramref name="maxBytes"/>, to be
    /// parsed a batch at a time; null when it is longer.
    /// </summary>
    public static async Task<JsonLines?> ReadLinesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken) =>
        await ReadBytesAsync(request, maxBytes, cancellationToken) is { } buffer
            ? new JsonLines(buffer.GetBuffer().AsMemory(0, (int)buffer.Length))
            : null;

    /// <summary>Reads a body that must be one JSON object; <see cref="BodyResult.Elements"/> then holds just it.</summary>
    public static async Task<BodyResult> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(request, cancellationToken);
        if (body.Elements is [{ ValueKind: not JsonValueKind.Object }])
        {
            body.Errors.Add(RootKey, "The body must be a JSON object.");
            return new BodyResult(null, body.Errors, false);
        }

        return body;
    }

    /// <summary>The parsed body as a single root element, or why there is none.</summary>
    private static async Task<BodyResult> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (await ReadBytesAsync(request, MaxBytes, cancellationToken) is not { } buffer)
        {
            return BodyResult.TooLarge;
        }

        var errors = new ValidationErrors();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (JsonException ex)
        {
            errors.Add(RootKey, $"The body is not valid JSON: {ex.Message}");
            return new BodyResult(null, errors, false);
        }

        // The document's buffers are pooled: they go back once the response is done with the elements.
        request.HttpContext.Response.RegisterForDispose(document);
        return new BodyResult([document.RootElement], errors, false);
    }

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    private static async Task<MemoryStream?> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        // Read at most one chunk past the limit: enough to know the body is too large without buffering it all. The
        // chunk is pooled; the buffer starts at the declared length, when there is one.
        var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 0, maxBytes));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > maxBytes)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer;
    }
}

/// <summary>The parsed elements (array elements, or the one object), or why there are none.</summary>
public sealed record BodyResult(JsonElement[]? Elements, ValidationErrors Errors, bool IsTooLarge)
{
    public static BodyResult TooLarge { get; } = new(null, new ValidationErrors(), true);
}
