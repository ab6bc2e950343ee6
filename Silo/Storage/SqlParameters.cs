using System.Data.Common;

namespace Personalization.Silo.Storage;

/// <summary>Parameters of SQL that SQLite and PostgreSQL both run.</summary>
public static class SqlParameters
{
    /// <summary>Adds <c>@name</c>; named with its prefix, as in the SQL, so that SQLite binds it without searching for it.</summary>
    public static DbParameter AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
