package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DataCommandTest {

    /** Runs the CLI in-process; returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Object[] {code, out.toString(), err.toString()};
    }

    @Test
    void dataInfoListsEveryKnownSet() {
        Object[] r = run("data", "info");
        assertEquals(0, r[0]);
        String out = (String) r[1];
        for (String name :
                new String[] {"fashion-mnist", "mnist", "uniform", "gaussian", "cifar10"}) {
            assertTrue(out.contains(name), out);
        }
    }

    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        Object[] r = run("data", "info", "--nope");
        assertEquals(Main.EXIT_USAGE, r[0]);
        String err = (String) r[2];
        assertTrue(err.startsWith("oodlab: Unknown option: '--nope'"), err);
    }

    @Test
    void unknownCommandIsAUsageError() {
        Object[] r = run("frobnicate");
        assertEquals(Main.EXIT_USAGE, r[0]);
    }
}
