package dev.oodlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.notebook.NotebookLint.Finding;
import dev.oodlab.notebook.NotebookLint.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The notebook lint: each rule passes on a clean fixture notebook and fails on a fixture that
 * breaks it (src/test/resources/dev/oodlab/notebook/lint/); then the committed notebooks.
 */
class NotebookLintTest {

    private static List<Finding> lint(String fixture) throws IOException {
        try (InputStream in = NotebookLintTest.class.getResourceAsStream("lint/" + fixture)) {
            if (in == null) {
                throw new IllegalStateException("fixture " + fixture + " missing");
            }
            return NotebookLint.check(
                    fixture, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Finding only(List<Finding> findings) {
        assertEquals(1, findings.size(), findings.toString());
        return findings.get(0);
    }

    @Test
    void aCleanNotebookPassesEveryRule() throws IOException {
        // Its training cell has exactly 20 lines; its output one progress line rewritten with
        // carriage returns (counted once) and, after a plain line, exactly 5 epoch lines: at the
        // limits, not over them.
        assertEquals(List.of(), lint("clean.ipynb"));
    }

    @Test
    void anAnsiEscapeInAnOutputFails() throws IOException {
        Finding f = only(lint("ansi.ipynb"));
        assertEquals(Rule.ANSI_ESCAPE, f.rule());
        assertEquals(1, f.cell());
        assertEquals("ansi.ipynb cell 1: ANSI escape code in a stdout output", f.toString());
    }

    @Test
    void moreThanFiveConsecutiveProgressLinesFail() throws IOException {
        Finding f = only(lint("progress.ipynb"));
        assertEquals(Rule.PROGRESS_LINES, f.rule());
        assertEquals(2, f.cell());
        assertEquals("6 consecutive progress lines in a stdout output (at most 5)", f.message());
    }

    @Test
    void progressSplitOverAdjacentChunksOfOneStreamStillCounts() throws IOException {
        Finding f = only(lint("progress-split.ipynb"));
        assertEquals(Rule.PROGRESS_LINES, f.rule());
        assertTrue(f.message().startsWith("6 consecutive"), f.message());
    }

    @Test
    void aCodeCellOverTwentyLinesFails() throws IOException {
        Finding f = only(lint("long-cell.ipynb"));
        assertEquals(Rule.LONG_CODE_CELL, f.rule());
        assertEquals("code cell of 21 lines (at most 20)", f.message());
    }

    @Test
    void aNotebookWithoutASummaryHeadingFails() throws IOException {
        Finding f = only(lint("no-summary.ipynb"));
        assertEquals(Rule.NO_SUMMARY, f.rule());
        assertEquals(-1, f.cell());
        assertEquals("no-summary.ipynb: no \"Summary\" heading", f.toString());
    }

    @Test
    void aNotebookWithoutAnExercisesHeadingFails() throws IOException {
        assertEquals(Rule.NO_EXERCISES, only(lint("no-exercises.ipynb")).rule());
    }

    @Test
    void progressLinesAreLoopCountersAndBars() {
        for (String line :
                List.of(
                        "epoch 1/3 [##......................] 47/469  loss 1.2128  acc  60.4%",
                        "epoch 2/5: loss 0.3811, 3.9 s, 15451 img/s, rss 1157.9 MB",
                        "generation   50/500  classes >= 99%:  4/10  mean best confidence 0.9599",
                        "seed 2/3: adversarial-mixup",
                        " 45%|#########          | 45/100")) {
            assertTrue(NotebookLint.isProgressLine(line), line);
        }
        for (String line :
                List.of(
                        "ce                seed 0: F1 in 0.142, F1 out 0.046",
                        "pairs 20: in scores higher in 13, tied in 2",
                        "sigma = 0.25: SmoothMix >= Gaussian on 3/3 seeds",
                        "gap      2: AUROC 0.5480  FPR@95TPR 0.9999",
                        "== seed 1: ce ==")) {
            assertFalse(NotebookLint.isProgressLine(line), line);
        }
        assertEquals(1, NotebookLint.longestProgressRun("\repoch 1/2 [#...]\repoch 2/2 [####]\n"));
    }

    @Test
    void textThatIsNoNotebookIsRejectedByName() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> NotebookLint.check("x.ipynb", "[1]"));
        assertEquals("x.ipynb: not a notebook (no \"cells\" array)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NotebookLint.check("y.ipynb", "{"));
    }

    /** The repository's notebooks/ folder, found upwards from the working directory. */
    private static Path notebooks() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("notebooks")) && Files.isDirectory(p.resolve("lib"))) {
                return p.resolve("notebooks");
            }
        }
        throw new IllegalStateException("notebooks/ not found");
    }

    @Test
    void theCommandLinePrintsFindingsAndExitsWithOneWhenAnyIsFound() throws IOException {
        Path dir = Files.createTempDirectory("lint");
        try {
            for (String fixture : List.of("clean.ipynb", "no-summary.ipynb")) {
                try (InputStream in =
                        NotebookLintTest.class.getResourceAsStream("lint/" + fixture)) {
                    Files.write(dir.resolve(fixture), in.readAllBytes());
                }
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            assertEquals(
                    0,
                    NotebookLint.run(new String[] {dir.resolve("clean.ipynb").toString()}, o, e));
            assertEquals(
                    "clean.ipynb: passes every rule", out.toString(StandardCharsets.UTF_8).trim());
            out.reset();
            assertEquals(
                    1,
                    NotebookLint.run(
                            new String[] {
                                dir.resolve("clean.ipynb").toString(),
                                dir.resolve("no-summary.ipynb").toString()
                            },
                            o,
                            e));
            assertTrue(
                    out.toString(StandardCharsets.UTF_8).contains("no-summary.ipynb: "),
                    out.toString());
            assertEquals(
                    2,
                    NotebookLint.run(new String[] {dir.resolve("missing.ipynb").toString()}, o, e));
            assertTrue(
                    err.toString(StandardCharsets.UTF_8)
                            .startsWith(dir.resolve("missing.ipynb").toString()));
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void theCommittedNotebooksPassEveryRule() throws IOException {
        List<Finding> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(notebooks())) {
            for (Path nb : files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList()) {
                all.addAll(NotebookLint.check(nb));
            }
        }
        assertEquals(
                List.of(), all, String.join("\n", all.stream().map(Finding::toString).toList()));
    }
}
