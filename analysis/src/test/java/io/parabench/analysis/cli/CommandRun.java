package io.parabench.analysis.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The outcome of one command line run in-process: exit code, stdout and stderr. */
record CommandRun(int exit, String out, String err) {

    /** Runs {@code parabench <args>} with captured streams. */
    static CommandRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Parabench.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandRun(exit, out.toString(), err.toString());
    }
}
