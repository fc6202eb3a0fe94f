package io.parabench.analysis.cli;

import picocli.CommandLine.Option;

/** The {@code --format} option every command that prints a result shares (a picocli mixin). */
final class FormatOption {
    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text or json; json prints one JSON document on stdout and nothing else (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    /** True for {@code --format json}. */
    boolean json() {
        return format == OutputFormat.JSON;
    }
}
