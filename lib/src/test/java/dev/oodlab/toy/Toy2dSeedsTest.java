package dev.oodlab.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oodlab.report.PairedComparison;
import dev.oodlab.report.ResultsTable;
import dev.oodlab.train.MixupConfidenceLoss;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class Toy2dSeedsTest {

    @Test
    void runsEveryVariantOnTheSameSeedsAsSingleStudiesDoAndPairsThem() {
        Toy2dSeeds runs =
                Toy2dSeeds.builder()
                        .add(Toy2dSeeds.Variant.of("ce"))
                        .add(Toy2dSeeds.Variant.mixup(MixupConfidenceLoss.Form.REPLACING))
                        .optSeeds(2)
                        .optEpochs(3, 3)
                        .optProgress(false)
                        .build()
                        .run();
        assertEquals(List.of("ce", "mixup-confidence (replacing)"), runs.labels());
        // Seed 1 of each variant is the single study with seed 1.
        Toy2dStudy.Result ce1 =
                Toy2dStudy.builder().setMethod("ce").optSeed(1).optEpochs(3).build().run();
        Toy2dStudy.Result mix1 =
                Toy2dStudy.builder()
                        .setMethod("mixup-confidence")
                        .optMixupForm(MixupConfidenceLoss.Form.REPLACING)
                        .optSeed(1)
                        .optEpochs(3)
                        .build()
                        .run();
        double[] ceF1 = runs.values("ce", Toy2dSeeds.Measure.F1_IN);
        double[] mixF1 = runs.values("mixup-confidence (replacing)", Toy2dSeeds.Measure.F1_IN);
        assertEquals(ce1.f1InPositive(), ceF1[1], 1e-12);
        assertEquals(mix1.f1InPositive(), mixF1[1], 1e-12);
        // The pairing is seed by seed.
        PairedComparison p =
                runs.paired("mixup-confidence (replacing)", "ce", Toy2dSeeds.Measure.F1_IN);
        assertArrayEquals(
                new double[] {mixF1[0] - ceF1[0], mixF1[1] - ceF1[1]}, p.differences(), 1e-12);
        // The per-seed table has one row per seed and one column per variant.
        Table perSeed = runs.perSeed(Toy2dSeeds.Measure.F1_IN);
        assertEquals(2, perSeed.rowCount());
        assertEquals(ceF1[0], perSeed.doubleColumn("ce").get(0), 1e-12);
        // One map per variant, side by side.
        assertEquals(
                2 * runs.results("ce").get(0).decisionMap().getWidth(),
                runs.decisionMaps(0, 2).getWidth());
        // The summary is mean ± sd over the two seeds.
        ResultsTable t = runs.table();
        assertEquals(
                (ceF1[0] + ceF1[1]) / 2,
                t.value("ce", Toy2dSeeds.EVALUATION_SET, Toy2dSeeds.Measure.F1_IN.label()),
                1e-9);
    }

    @Test
    void badVariantsAndUnknownLabelsAreOneLineErrors() {
        IllegalArgumentException form =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new Toy2dSeeds.Variant(
                                        "x", "ce", MixupConfidenceLoss.Form.ADDITIVE, 0, 1));
        assertEquals("a mixup form applies to mixup-confidence only, not to ce", form.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Toy2dSeeds.Variant.of("dropout"));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Toy2dSeeds.builder()
                                .add(Toy2dSeeds.Variant.of("ce"))
                                .add(Toy2dSeeds.Variant.of("ce")));
        assertThrows(IllegalStateException.class, () -> Toy2dSeeds.builder().build());
        Toy2dSeeds notRun = Toy2dSeeds.builder().add(Toy2dSeeds.Variant.of("ce")).build();
        assertThrows(IllegalArgumentException.class, () -> notRun.results("ce"));
    }
}
