package dev.oodlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.metrics.OodMetric;
import dev.oodlab.metrics.OodMetrics;
import dev.oodlab.report.ResultsTable.Better;
import dev.oodlab.report.ResultsTable.ValueFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The results table and its renderings. */
class ResultsTableTest {

    @TempDir Path dir;

    // MSP is better on FPR@95TPR, AUROC and AUPR-Out; ODIN on AUPR-In and detection error.
    private static final OodMetrics MSP = new OodMetrics(0.40, 0.912, 0.80, 0.95, 0.20);
    private static final OodMetrics ODIN = new OodMetrics(0.45, 0.900, 0.85, 0.90, 0.15);
    private static final OodMetrics NOISE = new OodMetrics(0.05, 0.99, 0.99, 0.99, 0.02);

    private static ResultsTable twoMethods() {
        return ResultsTable.builder()
                .optExtraColumn("accuracy", Better.HIGHER, ValueFormat.PERCENT)
                .add("MSP", "MNIST", MSP, Map.of("accuracy", 0.91))
                .add("ODIN", "MNIST", ODIN, Map.of("accuracy", 0.90))
                .add("ODIN", "uniform", NOISE)
                .build();
    }

    @Test
    void tablesawTableHasMethodSetAndOneColumnPerMetric() {
        Table table = twoMethods().table();
        assertEquals(
                List.of(
                        "method",
                        "OOD set",
                        "FPR@95TPR",
                        "AUROC",
                        "AUPR-In",
                        "AUPR-Out",
                        "Detection error",
                        "accuracy"),
                table.columnNames());
        assertEquals(3, table.rowCount());
        assertEquals(0.912, table.doubleColumn("AUROC").getDouble(0), 0.0);
        assertTrue(table.doubleColumn("accuracy").isMissing(2));
    }

    @Test
    void markdownShowsPercentWithOneDecimalAndBoldsTheBestPerColumn() {
        String md = twoMethods().toMarkdown();
        List<String> lines = md.lines().toList();
        assertEquals(
                "| method | OOD set | FPR@95TPR (%) | AUROC (%) | AUPR-In (%) | AUPR-Out (%) |"
                        + " Detection error (%) | accuracy (%) |",
                lines.get(0));
        assertEquals("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |", lines.get(1));
        // Lower FPR and detection error win; higher AUROC/AUPR/accuracy win.
        assertEquals(
                "| MSP | MNIST | **40.0** | **91.2** | 80.0 | **95.0** | 20.0 | **91.0** |",
                lines.get(2));
        assertEquals(
                "| ODIN | MNIST | 45.0 | 90.0 | **85.0** | 90.0 | **15.0** | 90.0 |", lines.get(3));
    }

    @Test
    void bestIsMarkedAmongTheMethodsOnTheSameOodSet() {
        // The only row on "uniform" is best there, whatever the MNIST rows hold.
        String line = twoMethods().toMarkdown().lines().toList().get(4);
        assertEquals(
                "| ODIN | uniform | **5.0** | **99.0** | **99.0** | **99.0** | **2.0** |  |", line);
    }

    @Test
    void markBestOffRendersEveryValuePlainly() {
        ResultsTable plain =
                ResultsTable.builder()
                        .optMarkBest(false)
                        .add("MSP", "MNIST", MSP)
                        .add("ODIN", "MNIST", ODIN)
                        .build();
        assertEquals(
                "| MSP | MNIST | 40.0 | 91.2 | 80.0 | 95.0 | 20.0 |",
                plain.toMarkdown().lines().toList().get(2));
        assertFalse(plain.toHtml().contains("<b>"), plain.toHtml());
        assertFalse(plain.toText().contains("*"), plain.toText());
        // Aggregating keeps the choice.
        assertFalse(plain.meanAndSd().toMarkdown().contains("**"));
    }

    @Test
    void htmlBoldsTheBestCellsAndEscapesNames() {
        String html =
                ResultsTable.builder()
                        .add("A<script>", "MNIST", MSP)
                        .add("B", "MNIST", ODIN)
                        .build()
                        .toHtml();
        assertTrue(html.contains("<table class=\"oodlab-results\">"), html);
        assertTrue(html.contains("<th>FPR@95TPR (%)</th>"), html);
        assertTrue(html.contains("<td><b>40.0</b></td>"), html);
        assertTrue(html.contains("<td>45.0</td>"), html);
        assertTrue(html.contains("A&lt;script&gt;"), html);
        assertFalse(html.contains("<script>"), html);
    }

    @Test
    void csvKeepsFullPrecisionFractions() {
        String csv = twoMethods().toCsv();
        List<String> lines = csv.lines().toList();
        assertEquals(
                "method,OOD set,FPR@95TPR,AUROC,AUPR-In,AUPR-Out,Detection error,accuracy",
                lines.get(0));
        assertEquals("MSP,MNIST,0.4,0.912,0.8,0.95,0.2,0.91", lines.get(1));
        assertEquals("ODIN,uniform,0.05,0.99,0.99,0.99,0.02,", lines.get(3));
    }

    @Test
    void meanAndSdAggregatesRunsOfTheSameMethodAndSet() {
        ResultsTable seed1 =
                ResultsTable.builder()
                        .add("MSP", "MNIST", new OodMetrics(0.40, 0.90, 0.8, 0.9, 0.2))
                        .build();
        ResultsTable seed2 =
                ResultsTable.builder()
                        .add("MSP", "MNIST", new OodMetrics(0.50, 0.92, 0.8, 0.9, 0.2))
                        .build();
        ResultsTable seed3 =
                ResultsTable.builder()
                        .add("MSP", "MNIST", new OodMetrics(0.60, 0.94, 0.8, 0.9, 0.2))
                        .build();
        ResultsTable mean = ResultsTable.meanAndSd(List.of(seed1, seed2, seed3));
        assertTrue(mean.isAggregated());
        assertEquals(1, mean.rowCount());
        assertEquals(0.5, mean.value("MSP", "MNIST", OodMetric.FPR_AT_95_TPR.label()), 1e-12);
        Table t = mean.table();
        assertEquals(3, t.intColumn("runs").getInt(0));
        assertEquals(0.1, t.doubleColumn("FPR@95TPR sd").getDouble(0), 1e-12); // sample sd
        assertEquals(0.02, t.doubleColumn("AUROC sd").getDouble(0), 1e-12);
        String md = mean.toMarkdown();
        assertTrue(md.contains("| MSP | MNIST | 3 | **50.0 ± 10.0** | **92.0 ± 2.0** |"), md);
    }

    @Test
    void singleRunHasNoSd() {
        ResultsTable mean = ResultsTable.builder().add("MSP", "MNIST", MSP).build().meanAndSd();
        assertTrue(Double.isNaN(mean.table().doubleColumn("AUROC sd").getDouble(0)));
        assertTrue(mean.toMarkdown().contains("| MSP | MNIST | 1 | **40.0** |"));
    }

    @Test
    void textRenderingMarksTheBestWithAStar() {
        String text = twoMethods().toText();
        assertTrue(text.contains("40.0 *"), text);
        assertTrue(text.contains("45.0"), text);
        assertFalse(text.contains("45.0 *"), text);
    }

    @Test
    void writesFilesThroughATemporaryFile() throws IOException {
        ResultsTable table = twoMethods();
        Path csv = dir.resolve("sub/results.csv");
        Path md = dir.resolve("results.md");
        Path html = dir.resolve("results.html");
        table.writeCsv(csv);
        table.writeMarkdown(md);
        table.writeHtml(html);
        assertEquals(table.toCsv(), Files.readString(csv));
        assertEquals(table.toMarkdown(), Files.readString(md));
        assertEquals(table.toHtml(), Files.readString(html));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "sub/, results.md, results.html and no temp file");
        }
    }

    @Test
    void undeclaredExtraColumnIsRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ResultsTable.builder().add("MSP", "MNIST", MSP, Map.of("accuracy", 0.9)));
    }

    @Test
    void aggregatingTablesWithDifferentColumnsIsRejected() {
        ResultsTable plain = ResultsTable.builder().add("MSP", "MNIST", MSP).build();
        assertThrows(
                IllegalArgumentException.class,
                () -> ResultsTable.meanAndSd(List.of(plain, twoMethods())));
    }
}
