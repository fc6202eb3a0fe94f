package io.parabench.analysis.cli;

import picocli.CommandLine;

/**
 * What the {@code parabench} root command is besides its list of subcommands: the inherited
 * {@code --debug} option and the refusal to run without a command. Shared by {@link Parabench}
 * (the whole tree) and {@link Parabench.SingleCommandRoot} (the root built when the first
 * argument already names the command), so both parse and fail alike.
 */
abstract class RootCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Inherited by every subcommand, so it may be given anywhere on the line. */
    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "on failure, print the stack trace after the one-line message")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see --help)");
    }
}
