package dev.oodlab.viz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
