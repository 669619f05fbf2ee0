using Acre.Cli;

return await AcreCommand.InvokeAsync(args);
