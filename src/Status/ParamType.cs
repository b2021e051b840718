namespace Mapt.Status;

/// <summary>
/// The TR-106 base types a parameter of the view has (TR-106 section 3.2; StatsCounter32 is an
/// unsignedInt, StatsCounter64 an unsignedLong, IPv4Prefix and the references are strings).
/// Carried with every line so that <c>--json</c> types values as the model does.
/// </summary>
public enum ParamType
{
    String,
    Boolean,
    Int,
    UnsignedInt,
    UnsignedLong,
    DateTime,
}

/// <summary>The TR-106 spelling of a <see cref="ParamType"/>: the state file's type column.</summary>
public static class ParamTypes
{
    public static string Name(ParamType type) => type switch
    {
        ParamType.Boolean => "boolean",
        ParamType.Int => "int",
        ParamType.UnsignedInt => "unsignedInt",
        ParamType.UnsignedLong => "unsignedLong",
        ParamType.DateTime => "dateTime",
        _ => "string",
    };

    public static bool TryParse(string name, out ParamType type)
    {
        type = name switch
        {
            "string" => ParamType.String,
            "boolean" => ParamType.Boolean,
            "int" => ParamType.Int,
            "unsignedInt" => ParamType.UnsignedInt,
            "unsignedLong" => ParamType.UnsignedLong,
            "dateTime" => ParamType.DateTime,
            _ => (ParamType)(-1),
        };
        return (int)type >= 0;
    }
}
