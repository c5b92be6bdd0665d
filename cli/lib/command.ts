/** One `hisgate <command>`. run returns the exit code; bad input throws a CliError (one line on stderr). */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}
