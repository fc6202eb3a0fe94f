package io.parabench.analysis.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line built for one known command behaves as the whole tree does for that command. */
class ParabenchCommandLineTest {
    @Test
    void shouldBuildOnlyTheNamedCommandWithTheSameUsageAndInheritedDebug() {
        Map<String, CommandLine> full = new CommandLine(new Parabench()).getSubcommands();
        int checked = 0;
        for (Map.Entry<String, CommandLine> e : full.entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            CommandLine single = Parabench.commandLine(new String[]{e.getKey(), "--help"});
            assertEquals(1, single.getSubcommands().size(), e.getKey());
            CommandLine command = single.getSubcommands().get(e.getKey());
            assertEquals(e.getValue().getUsageMessage(), command.getUsageMessage(), e.getKey());
            assertEquals(e.getValue().getCommandSpec().qualifiedName(), command.getCommandSpec().qualifiedName());
            assertTrue(command.getCommandSpec().findOption("--debug") != null, e.getKey() + " inherits --debug");
            checked++;
        }
        assertEquals(full.size() - 1, checked);
    }

    @Test
    void shouldBuildTheWholeTreeWhenTheFirstArgumentIsNoCommand() {
        for (String[] args : new String[][]{{}, {"help", "trace-stats"}, {"--debug", "trace-stats"}, {"trace-stat"}}) {
            CommandLine cli = Parabench.commandLine(args);
            assertTrue(cli.getSubcommands().size() > 10, String.join(" ", args));
            assertFalse(cli.getCommand() instanceof Parabench.SingleCommandRoot);
        }
    }
}
