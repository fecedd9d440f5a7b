package dev.vitcap.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    @Test
    void aNamedCommandIsTheOnlyOneRegistered() {
        assertEquals(java.util.Set.of("caption"), Main.commandLine("caption").getSubcommands().keySet());
    }

    @Test
    void helpAndUnknownWordsSeeEveryCommand() {
        int all = Main.commandLine().getSubcommands().size();
        assertTrue(all > 10, "commands: " + all);
        assertEquals(all, Main.commandLine("help").getSubcommands().size());
        assertEquals(all, Main.commandLine("--help").getSubcommands().size());
        assertEquals(all, Main.commandLine("captionn").getSubcommands().size());
    }

    @Test
    void helpForOneCommandStillWorks() {
        CommandLine cl = Main.commandLine("help");
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("help", "serve"));
        assertTrue(out.toString().startsWith("Usage: vitcap serve"), out.toString());
    }
}
