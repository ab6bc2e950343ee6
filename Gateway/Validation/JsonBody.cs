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
    /// Spools a newline-delimited JSON body (<c>application/x-ndjson</c>) of at most <paramref name="maxBytes"/> to a
    /// temporary file, to be parsed a batch at a time; null when it is longer, without a file or a read when its
    /// declared length says so. Memory stays bounded whatever its length.
    /// </summary>
    public static async Task<JsonLines?> SpoolLinesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var file = new FileStream(
            Path.Combine(Path.GetTempPath(), Path.GetRandomFileName()), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
            bufferSize: 64 << 10, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var copied = false;
        try
        {
            copied = await CopyAsync(request, file, maxBytes, cancellationToken);
            file.Position = 0;
            return copied ? new JsonLines(file) : null;
        }
        finally
        {
            if (!copied)
            {
                await file.DisposeAsync();
            }
        }
    }

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
        // Up to the limit, the buffer starts at the declared length, so that a body is copied once.
        var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 0, MaxBytes));
        if (!await CopyAsync(request, buffer, MaxBytes, cancellationToken))
        {
            return BodyResult.TooLarge;
        }

        var errors = new ValidationErrors();
        var utf8 = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException ex)
        {
            errors.Add(RootKey, $"The body is not valid JSON: {ex.Message}");
            return new BodyResult(null, errors, false);
        }

        // The document's buffers are pooled: they go back once the response is done with the elements.
        request.HttpContext.Response.RegisterForDispose(document);
        return JsonStrings.Check(utf8.Span, string.Empty, errors)
            ? new BodyResult([document.RootElement], errors, false)
            : new BodyResult(null, errors, false);
    }

    /// <summary>
    /// Copies the body to <paramref name="target"/>; false, as soon as it is known, when it is longer than
    /// <paramref name="maxBytes"/>: at once when its declared length is, else after one chunk past the limit.
    /// </summary>
    private static async Task<bool> CopyAsync(HttpRequest request, Stream target, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return false;
        }

        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                await target.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
                length += read;
                if (length > maxBytes)
                {
                    return false;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return true;
    }
}

/// <summary>The parsed elements (array elements, or the one object), or why there are none.</summary>
public sealed record BodyResult(JsonElement[]? Elements, ValidationErrors Errors, bool IsTooLarge)
{
    public static BodyResult TooLarge { get; } = new(null, new ValidationErrors(), true);
}
