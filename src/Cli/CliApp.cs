using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using CommandLine;
using CommandLine.Text;
using Mapt.Platform;

namespace Mapt.Cli;

/// <summary>
/// The command line: verbs bound by CommandLineParser, errors rendered by mapt itself so that
/// every usage error names the flag, the value and the accepted form, and exits with 2.
/// </summary>
internal static class CliApp
{
    private const DynamicallyAccessedMemberTypes OptionMembers =
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicProperties;

    // The verbs in the order help lists them.
    private static readonly Type[] Verbs =
    {
        typeof(RunOptions), typeof(CalcOptions), typeof(ProbeOptions), typeof(PlanOptions),
        typeof(StatusOptions), typeof(TeardownOptions), typeof(LogOptions),
    };

    // CommandLineParser binds through reflection; these roots keep every options type's
    // constructor and properties (with their attributes) in the trimmed binary. Proven by the
    // published-binary tests in tests/Cli, which bind every flag of every verb.
    [DynamicDependency(OptionMembers, typeof(RunOptions))]
    [DynamicDependency(OptionMembers, typeof(CalcOptions))]
    [DynamicDependency(OptionMembers, typeof(ProbeOptions))]
    [DynamicDependency(OptionMembers, typeof(PlanOptions))]
    [DynamicDependency(OptionMembers, typeof(StatusOptions))]
    [DynamicDependency(OptionMembers, typeof(TeardownOptions))]
    [DynamicDependency(OptionMembers, typeof(LogOptions))]
    [DynamicDependency(OptionMembers, typeof(RuleOptions))]
    [DynamicDependency(OptionMembers, typeof(VerbOptions))]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Options types are rooted above.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Options types are rooted above.")]
    public static int Run(string[] args)
    {
        // Answered before the parser is built: init scripts and inventory tools call it often,
        // and it must cost no more than a process start.
        if (args.Length == 1 && args[0] is "--version" or "version")
        {
            Console.Out.Write(VersionText());
            return ExitCodes.Success;
        }

        using var parser = new Parser(settings =>
        {
            settings.AutoHelp = true;
            settings.AutoVersion = false;
            settings.HelpWriter = null;
            settings.CaseSensitive = true;
            settings.CaseInsensitiveEnumValues = true;
            settings.AllowMultiInstance = true;
            settings.IgnoreUnknownArguments = false;
        });
        args = SplitLongAssignments(args);
        ParserResult<object> result = parser.ParseArguments(args, Verbs);
        if (result is NotParsed<object> notParsed)
            return ReportErrors(notParsed, args);

        object options = ((Parsed<object>)result).Value;
        string? misuse = FindMisuse(options, args);
        if (misuse is not null)
        {
            Console.Error.WriteLine($"mapt {VerbName(options.GetType())}: {misuse}");
            return ExitCodes.Usage;
        }
        if (EnvironmentSwitches.CliEcho)
            return Echo(options);
        try
        {
            return options switch
            {
                RunOptions o => RunVerb.Execute(o),
                CalcOptions o => CalcVerb.Execute(o),
                ProbeOptions o => ProbeVerb.Execute(o),
                PlanOptions o => PlanVerb.Execute(o),
                StatusOptions o => StatusVerb.Execute(o),
                TeardownOptions o => TeardownVerb.Execute(o),
                LogOptions o => LogVerb.Execute(o),
                _ => throw new InvalidOperationException("verb without a handler: " + options.GetType().Name),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"mapt {VerbName(options.GetType())}: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    internal static string VersionText()
    {
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            var other => other.ToString().ToLowerInvariant(),
        };
        // A test build says so: it must never end up on a gateway.
        string hooks = EnvironmentSwitches.TestHooks ? "build test hooks (test-only MAPT_* switches honoured; not for gateways)\n" : "";
        return $"mapt {BuildInfo.Version}\ncommit {BuildInfo.Commit}\narch {arch}\n{hooks}";
    }

    private static int ReportErrors(NotParsed<object> result, string[] args)
    {
        IEnumerable<Error> errors = result.Errors;
        Type? verbType = result.TypeInfo.Current;
        string verb = verbType is null || verbType == typeof(NullInstance) ? "" : VerbName(verbType);
        string who = verb.Length == 0 ? "mapt" : "mapt " + verb;
        var lines = new List<string>();
        foreach (Error error in errors)
        {
            switch (error)
            {
                case HelpRequestedError:
                case HelpVerbRequestedError:
                    Console.Out.Write(HelpText.AutoBuild(result, h => { h.AddDashesToOption = true; h.AutoVersion = false; h.Copyright = ""; h.Heading = "mapt " + BuildInfo.Version + ": MAP-T customer edge (RFC 7599)"; return h; }, e => e, verbsIndex: verb.Length == 0));
                    Console.Out.WriteLine();
                    return ExitCodes.Success;
                case NoVerbSelectedError:
                    lines.Add("no verb given; verbs: " + VerbList() + " (mapt --help)");
                    break;
                case BadVerbSelectedError bad:
                    lines.Add($"unknown verb '{bad.Token}'; verbs: {VerbList()}");
                    break;
                case UnknownOptionError unknown:
                    lines.Add($"unknown flag '{Dashed(unknown.Token)}'; see '{who} --help'");
                    break;
                case MissingRequiredOptionError missing:
                    lines.Add($"{Dashed(missing.NameInfo.LongName)} is required{Accepted(verbType, missing.NameInfo.LongName)}");
                    break;
                case MissingValueOptionError noValue:
                    lines.Add($"{Dashed(noValue.NameInfo.LongName)} needs a value{Accepted(verbType, noValue.NameInfo.LongName)}");
                    break;
                case BadFormatConversionError badValue:
                    lines.Add($"{Dashed(badValue.NameInfo.LongName)}: '{ValueOf(args, badValue.NameInfo.LongName)}' is not valid{Accepted(verbType, badValue.NameInfo.LongName)}");
                    break;
                case RepeatedOptionError repeated:
                    lines.Add($"{Dashed(repeated.NameInfo.LongName)} is given more than once");
                    break;
                case SequenceOutOfRangeError range:
                    lines.Add($"{Dashed(range.NameInfo.LongName)}: wrong number of values{Accepted(verbType, range.NameInfo.LongName)}");
                    break;
                case SetValueExceptionError set:
                    lines.Add($"{Dashed(set.NameInfo.LongName)}: '{set.Value}' is not valid{Accepted(verbType, set.NameInfo.LongName)}");
                    break;
                case BadFormatTokenError token:
                    lines.Add($"'{token.Token}' is not a flag or a value this verb takes; see '{who} --help'");
                    break;
                case MutuallyExclusiveSetError exclusive:
                    lines.Add($"{Dashed(exclusive.NameInfo.LongName)} cannot be combined with the other flags of set '{exclusive.SetName}'");
                    break;
                default:
                    lines.Add($"command line not understood ({error.Tag}); see '{who} --help'");
                    break;
            }
        }
        foreach (string line in lines)
            Console.Error.WriteLine($"{who}: {line}");
        return ExitCodes.Usage;
    }

    /// <summary>
    /// "--name=value" becomes "--name" "value" before the parser sees it: the parser would split
    /// it with a Regex, whose engine is a tenth of the binary (toolchain/ILLink.Substitutions.xml
    /// removes that call site). Everything after the first '=' is the value, '=' included.
    /// </summary>
    internal static string[] SplitLongAssignments(string[] args)
    {
        List<string>? split = null;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            int equals = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=') : -1;
            if (equals > 2)
            {
                split ??= new List<string>(args[..i]);
                split.Add(arg[..equals]);
                split.Add(arg[(equals + 1)..]);
            }
            else
            {
                split?.Add(arg);
            }
        }
        return split?.ToArray() ?? args;
    }

    /// <summary>
    /// What CommandLineParser lets through: stray words, and a valued flag with its value
    /// missing ("--boot" last, or followed by another flag).
    /// </summary>
    private static string? FindMisuse(object options, string[] args)
    {
        if (options is VerbOptions { Stray: var stray })
            foreach (string word in stray)
                return $"unexpected argument '{word}'; every value follows its flag (see 'mapt {VerbName(options.GetType())} --help')";
        for (int i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Contains('='))
                continue;
            PropertyInfo? property = FindProperty(options.GetType(), args[i].Substring(2));
            if (property is null || property.PropertyType == typeof(bool))
                continue;
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                return $"{args[i]} needs a value{Accepted(options.GetType(), args[i].Substring(2))}";
        }
        return null;
    }

    private static PropertyInfo? FindProperty(Type type, string name)
    {
        foreach (PropertyInfo property in PropertiesOf(type))
            if (property.GetCustomAttribute<OptionAttribute>()?.LongName == name)
                return property;
        return null;
    }

    private static string Dashed(string name) => name.StartsWith('-') ? name : "--" + name;

    /// <summary>The raw text given for a flag, for the error message (--flag V or --flag=V).</summary>
    private static string ValueOf(string[] args, string name)
    {
        string flag = "--" + name;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == flag && i + 1 < args.Length)
                return args[i + 1];
            if (args[i].StartsWith(flag + "=", StringComparison.Ordinal))
                return args[i].Substring(flag.Length + 1);
        }
        return "";
    }

    /// <summary>" (expected FORM)" from the option's MetaValue, which every valued option sets.</summary>
    private static string Accepted(Type? verbType, string name)
    {
        OptionAttribute? option = verbType is null ? null : FindOption(verbType, name);
        return option is null || string.IsNullOrEmpty(option.MetaValue) ? "" : $" (expected {option.MetaValue})";
    }

    private static OptionAttribute? FindOption(Type type, string name) =>
        FindProperty(type, name)?.GetCustomAttribute<OptionAttribute>();

    private static string VerbName(Type type) => type.GetCustomAttribute<VerbAttribute>()?.Name ?? type.Name;

    private static string VerbList()
    {
        var names = new List<string>();
        foreach (Type verb in Verbs)
            names.Add(VerbName(verb));
        return string.Join(", ", names);
    }

    /// <summary>
    /// MAPT_CLI_ECHO=1 (test builds only, <see cref="EnvironmentSwitches.CliEcho"/>): prints "verb" then "flag=value" per option as bound, so that tests of
    /// the published binary can prove every flag of every verb binds under NativeAOT.
    /// </summary>
    private static int Echo(object options)
    {
        Type type = options.GetType();
        var text = new StringBuilder();
        text.Append("verb=").Append(VerbName(type)).Append('\n');
        foreach (PropertyInfo property in PropertiesOf(type))
        {
            OptionAttribute? option = property.GetCustomAttribute<OptionAttribute>();
            if (option is null)
                continue;
            object? value = property.GetValue(options);
            text.Append(option.LongName).Append('=');
            if (value is IEnumerable<string> many && value is not string)
                text.Append(string.Join(";", many));
            else if (value is bool b)
                text.Append(b ? "true" : "false");
            else
                text.Append(value?.ToString() ?? "");
            text.Append('\n');
        }
        Console.Out.Write(text.ToString());
        return ExitCodes.Success;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Every options type is rooted with its public properties by Run's DynamicDependency attributes.")]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = "Every options type is rooted with its public properties by Run's DynamicDependency attributes.")]
    private static PropertyInfo[] PropertiesOf(Type type) => type.GetProperties();
}
