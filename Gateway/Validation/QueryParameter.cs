namespace Personalization.Gateway.Validation;

/// <summary>What a query parameter holds: how <see cref="QueryReader"/> parses it and how the API document shows it.</summary>
public enum QueryKind
{
    Integer,
    Number,
    Boolean,
    Id,
    Label,
    IdList,
    Choice,
}

/// <summary>
/// One query parameter, declared once per API module: listed on its endpoints with
/// <see cref="QueryParameterExtensions.WithQuery"/>, read through <see cref="QueryReader"/> (which refuses a parameter
/// its endpoint does not list) and described in the OpenAPI document from the same bounds.
/// </summary>
public sealed record QueryParameter(string Name, QueryKind Kind, string Description)
{
    /// <summary>Bounds of a number; for an id list, <see cref="Maximum"/> is the most ids.</summary>
    public double? Minimum { get; private init; }

    public double? Maximum { get; private init; }

    /// <summary>The bounds themselves are refused (a probability strictly between 0 and 1).</summary>
    public bool ExclusiveBounds { get; private init; }

    /// <summary>The value when absent; null when there is none or it comes from configuration (the description says so).</summary>
    public object? Default { get; private init; }

    public bool Required { get; private init; }

    /// <summary>The values a <see cref="QueryKind.Choice"/> accepts.</summary>
    public IReadOnlyList<string> Allowed { get; private init; } = [];

    public static QueryParameter Integer(string name, string description, int min, int max, int @default) =>
        new(name, QueryKind.Integer, description) { Minimum = min, Maximum = max, Default = @default };

    /// <summary>A number whose default the caller passes (one from configuration) unless <paramref name="default"/> is given.</summary>
    public static QueryParameter Number(string name, string description, double min, double max, double? @default = null) =>
        new(name, QueryKind.Number, description) { Minimum = min, Maximum = max, Default = @default };

    public static QueryParameter Probability(string name, string description, double @default) =>
        Number(name, description, 0, 1, @default) with { ExclusiveBounds = true };

    public static QueryParameter Boolean(string name, string description, bool @default) =>
        new(name, QueryKind.Boolean, description) { Default = @default };

    public static QueryParameter Id(string name, string description) => new(name, QueryKind.Id, description);

    public static QueryParameter Label(string name, string description) => new(name, QueryKind.Label, description);

    /// <summary>Comma-separated ids, at most <paramref name="max"/>; a required list's description names what it holds.</summary>
    public static QueryParameter IdList(string name, string description, int max, bool required = false) =>
        new(name, QueryKind.IdList, description) { Maximum = max, Required = required };

    public static QueryParameter Choice(string name, string description, params string[] allowed) =>
        new(name, QueryKind.Choice, description) { Allowed = allowed };
}

public static class QueryParameterExtensions
{
    /// <summary>Declares the query parameters the endpoint reads: the reader allows only these, the document lists them.</summary>
    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder builder, params QueryParameter[] parameters) =>
        builder.WithMetadata([.. parameters]);
}
