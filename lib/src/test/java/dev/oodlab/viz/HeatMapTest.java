package dev.oodlab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heat maps with a colour bar. */
class HeatMapTest {

    @TempDir Path dir;

    @Test
    void rowZeroIsDrawnAtTheBottom() {
        // Row 0 holds the smallest value (dark purple), row 1 the largest (yellow).
        Figure map =
                HeatMap.builder()
                        .setValues(new double[][] {{0, 0}, {1, 1}})
                        .optXRange(-1, 1)
                        .optYRange(-1, 1)
                        .build();
        Images.assertDrawn(map, 600, 400);
        int plotColumns = 300; // left half: inside the plot, away from the colour bar
        double darkRow = Images.meanRow(map, Palette.viridis(0), 0, plotColumns);
        double brightRow = Images.meanRow(map, Palette.viridis(1), 0, plotColumns);
        assertTrue(darkRow > brightRow, "dark at y " + darkRow + " below bright at " + brightRow);
    }

    @Test
    void continuousMapWithPointsAndColourBar() throws IOException {
        int n = 80;
        double[][] values = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = -10 + 20 * (j + 0.5) / n;
                double y = -10 + 20 * (i + 0.5) / n;
                values[i][j] = 0.5 + 0.5 * Math.tanh((x * x + y * y) / 40 - 1);
            }
        }
        Figure map =
                HeatMap.builder()
                        .setValues(values)
                        .optXRange(-10, 10)
                        .optYRange(-10, 10)
                        .optValueRange(0.5, 1)
                        .optTitle("Max softmax")
                        .optAxisTitles("x1", "x2")
                        .optColorBarTitle("max softmax")
                        .optPoints("class 0", new double[] {-2, -2.5}, new double[] {-2, -1.5})
                        .optSize(500, 450)
                        .build();
        Images.assertDrawn(map, 500, 450);
        assertTrue(Images.count(map, Palette.series(1)) > 5, "the points are drawn");
        map.savePng(dir.resolve("map.png"));
        map.saveSvg(dir.resolve("map.svg"));
        assertTrue(Files.size(dir.resolve("map.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("map.svg")).contains("max softmax"));
    }

    @Test
    void categoricalSweepWithAnnotatedCells() {
        Figure map =
                HeatMap.builder()
                        .setValues(new double[][] {{0.81, 0.85, 0.90}, {0.84, 0.91, 0.95}})
                        .optXLabels("0.0005", "0.001", "0.002")
                        .optYLabels("T=1", "T=1000")
                        .optAxisTitles("epsilon", "temperature")
                        .optAnnotate(true, "%.2f")
                        .build();
        Images.assertDrawn(map, 600, 400);
    }

    @Test
    void labelsMustMatchTheGrid() {
        assertThrows(
                IllegalArgumentException.class,
                () -> HeatMap.builder().setValues(new double[][] {{1, 2}}).optXLabels("a").build());
    }

    @Test
    void valuesAreRequired() {
        assertThrows(IllegalStateException.class, () -> HeatMap.builder().build());
    }

    /** A detector × OOD set map: 17 rows of equal-width labels, 4 columns, values in percent. */
    private static Figure detectorMap(int rows, double[] range) {
        double[][] v = new double[rows][4];
        String[] labels = new String[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = String.format("det-%02d", i);
            for (int j = 0; j < 4; j++) {
                v[i][j] = 100.0 * (i * 4 + j) / (rows * 4 - 1);
            }
        }
        HeatMap.Builder b =
                HeatMap.builder()
                        .setValues(v)
                        .optYLabels(labels)
                        .optXLabels("MNIST", "uniform", "Gaussian", "fooling")
                        .optAxisTitles("", "")
                        .optAnnotate(true, "%.1f")
                        .optColorBarTitle("AUROC (%), mean over 3 seeds")
                        .optTitle("AUROC of every detector, ce models");
        if (range != null) {
            b.optValueRange(range[0], range[1]);
        }
        return b.build();
    }

    @Test
    void everyCategoryLabelIsDrawnWhereItFits() {
        // 17 detectors on 600 × 400: every row is taller than a line of text, so all 17 labels
        // are drawn (the equal-width labels sit in the strip left of x = 60).
        Figure map = detectorMap(17, new double[] {0, 100});
        Images.assertDrawn(map, 600, 400);
        assertEquals(17, Images.textRows(map, 0, 60, 30, 345), "row labels");
        // 60 rows do not fit: labels are thinned, never overlapping (each a separate run of text).
        Figure crowded = detectorMap(60, null);
        int drawn = Images.textRows(crowded, 0, 60, 30, 345);
        assertTrue(drawn > 10 && drawn < 60, drawn + " labels for 60 rows");
    }

    @Test
    void aFixedColourScaleMapsItsEndsToTheEndsOfViridis() {
        // Values 0 and 100 on the fixed range [0, 100]: the cells are exactly viridis(0) and (1);
        // on the range [0, 200] the value 100 is the middle of the scale.
        Figure fixed =
                HeatMap.builder()
                        .setValues(new double[][] {{0, 100}})
                        .optValueRange(0, 100)
                        .build();
        assertTrue(Images.count(fixed, Palette.viridis(0)) > 10_000, "viridis(0) cells");
        assertTrue(Images.count(fixed, Palette.viridis(1)) > 10_000, "viridis(1) cells");
        Figure wide =
                HeatMap.builder()
                        .setValues(new double[][] {{0, 100}})
                        .optValueRange(0, 200)
                        .build();
        assertTrue(Images.count(wide, Palette.viridis(0.5)) > 10_000, "value 100 of [0, 200]");
    }

    @Test
    void nothingIsClippedAtTheEdgesAndTheColourBarHasItsTitle() {
        BufferedImage map = detectorMap(17, new double[] {0, 100});
        int dark = 0;
        for (int y = 0; y < map.getHeight(); y++) {
            for (int x : new int[] {0, 1, map.getWidth() - 2, map.getWidth() - 1}) {
                dark += luminance(map.getRGB(x, y)) < 200 ? 1 : 0;
            }
        }
        for (int x = 0; x < map.getWidth(); x++) {
            for (int y : new int[] {0, 1, map.getHeight() - 2, map.getHeight() - 1}) {
                dark += luminance(map.getRGB(x, y)) < 200 ? 1 : 0;
            }
        }
        assertEquals(0, dark, "pixels drawn on the outer two pixels of the image");
        // the rotated colour-bar title: text right of the colour bar's tick labels
        assertTrue(Images.textRows(map, 575, 598, 40, 340) >= 1, "colour bar title");
    }

    private static int luminance(int rgb) {
        Color c = new Color(rgb);
        return (c.getRed() + c.getGreen() + c.getBlue()) / 3;
    }
}
