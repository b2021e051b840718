using Mapt.Cli;

namespace Mapt;

internal static class Program
{
    private static int Main(string[] args) => CliApp.Run(args);
}
