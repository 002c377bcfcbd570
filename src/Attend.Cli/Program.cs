// Entry point of the `attend` command.
using Attend.Cli.Commands;

return CliApp.Run(args);
