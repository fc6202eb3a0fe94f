package io.parabench.analysis.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code ./parabench} command line: one subcommand per capability.
 *
 * <p>Conventions every subcommand follows: results go to stdout and nothing else does
 * ({@code --format json} prints one JSON document, so the output pipes into {@code jq});
 * progress and logs go to stderr; bad input is one line on stderr naming the parameter, the
 * value and the rule, with exit code {@value #EXIT_BAD_INPUT}; {@code --help} everywhere.
 */
@Command(name = "parabench",
        mixinStandardHelpOptions = true,
        versionProvider = Parabench.Version.class,
        description = "Reproduce, measure and explain DeepSeek's DualPipe, EPLB and profile data.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ScheduleCommand.class,
                SimulateCommand.class,
                CompareCommand.class,
                EplbCommand.class,
                TraceStatsCommand.class,
                ReportCommand.class,
                BenchReportCommand.class,
                CalibrateCommand.class,
                TrainCommand.class,
                MoeCommand.class,
                PredictCommand.class,
        })
public final class Parabench implements Runnable {
    /** Exit code for input the user must fix (bad parameters, malformed files). */
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. Used by tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Parabench());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, ignored) -> {
            String command = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(command + ": " + ex.getMessage() + " (see '" + command + " --help')");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
                // Jackson's own message spans lines and hides the source; say where, in one line
                var at = json.getLocation();
                err.println("parabench " + commandLine.getCommandName() + ": malformed JSON"
                        + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr()
                        + " (byte " + at.getByteOffset() + ")") + ": " + json.getOriginalMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.UncheckedIOException
                    || ex instanceof java.io.IOException) {
                err.println("parabench " + commandLine.getCommandName() + ": " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Parabench.class.getPackage().getImplementationVersion();
            return new String[]{"parabench " + (v == null ? "development build" : v)};
        }
    }
}
