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
 * value and the rule, with exit code {@value #EXIT_BAD_INPUT}; a result that fails the check
 * the command makes exits {@value #EXIT_CHECK_FAILED}; {@code --help} everywhere. Every failure,
 * including running out of heap or stack, is one line ({@link FailureReport});
 * {@code --debug} adds the stack trace.
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
                TraceDiffCommand.class,
                ReportCommand.class,
                BenchReportCommand.class,
                CalibrateCommand.class,
                TrainCommand.class,
                MoeCommand.class,
                PredictCommand.class,
                PlanCommand.class,
                DeviceCommand.class,
        })
public final class Parabench extends RootCommand {
    /** Exit code for input the user must fix (bad parameters, malformed files, sizes beyond the heap). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a run whose result failed its check (and for internal errors). */
    public static final int EXIT_CHECK_FAILED = 1;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. Used by tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, ignored) -> {
            String command = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(FailureReport.oneLine(command + ": " + ex.getMessage() + " (see '" + command + " --help')"));
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                FailureReport.report(ex, "parabench " + commandLine.getCommandName(), debug(args), err));
        try {
            return cli.execute(args);
        } catch (Throwable t) {
            // errors (OutOfMemoryError, StackOverflowError) pass picocli's handler: same one line
            return FailureReport.report(t, "parabench", debug(args), err);
        }
    }

    /**
     * The command line these arguments need. Picocli builds the model of every subcommand it is
     * given, by reflection, before parsing: for the 15 commands that took about 0.3 s of a cold
     * start (half of what {@code ./parabench trace-stats FILE} spent before reading its first
     * byte). So when the first argument names a subcommand, only that one is built, under a
     * root of the same name with the same inherited {@code --debug} ({@link SingleCommandRoot});
     * anything else (no command, {@code help}, an option first, a misspelt command) gets the
     * whole tree, whose help and messages list every command.
     */
    static CommandLine commandLine(String[] args) {
        Class<?> chosen = args.length == 0 ? null : subcommandNamed(args[0]);
        if (chosen == null || chosen == CommandLine.HelpCommand.class) {
            return new CommandLine(new Parabench());
        }
        CommandLine root = new CommandLine(new SingleCommandRoot());
        root.addSubcommand(new CommandLine(chosen));
        return root;
    }

    /** The subcommand class of {@link Parabench}'s list whose {@code @Command} name is {@code name}, or null. */
    private static Class<?> subcommandNamed(String name) {
        for (Class<?> c : Parabench.class.getAnnotation(Command.class).subcommands()) {
            Command command = c.getAnnotation(Command.class);
            if (command != null && command.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** {@link Parabench} without its list of subcommands: the root when the command is known from the first argument. */
    @Command(name = "parabench", mixinStandardHelpOptions = true, versionProvider = Parabench.Version.class)
    static final class SingleCommandRoot extends RootCommand {
    }

    /** Read from the arguments, not from the parsed command: it must work when parsing failed too. */
    private static boolean debug(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--debug")) {
                return true;
            }
        }
        return false;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Parabench.class.getPackage().getImplementationVersion();
            return new String[]{"parabench " + (v == null ? "development build" : v)};
        }
    }
}
