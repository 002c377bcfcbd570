// Entry point of the `attend` command.
using Attend.Cli.Commands;

StandardOutput.ReportWriteErrors();
return CliApp.Run(args);
