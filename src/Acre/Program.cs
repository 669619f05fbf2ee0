using Acre.Cli;

return await AcreCommand.Create().Parse(args).InvokeAsync();
