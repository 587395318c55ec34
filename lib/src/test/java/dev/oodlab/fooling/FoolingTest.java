package dev.oodlab.fooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.fooling.CppnGenome.Activation;
import dev.oodlab.fooling.CppnGenome.Connection;
import dev.oodlab.fooling.CppnGenome.Node;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FoolingTest {

    @Test
    void directMutationChangesAboutOneGeneInTen() {
        SplittableRandom r = new SplittableRandom(1);
        DirectGenome g = DirectGenome.random(10000, r);
        float[] before = g.render();
        float[] after = g.mutate(r).render();
        int changed = 0;
        for (int i = 0; i < before.length; i++) {
            assertTrue(after[i] >= 0 && after[i] <= 1);
            changed += before[i] != after[i] ? 1 : 0;
        }
        // binomial(10000, 0.1): mean 1000, sd 30
        assertEquals(1000, changed, 120);
    }

    @Test
    void cppnRendersTheLinearXPatternAsAbsoluteX() {
        // output = clamp(3x, -3, 3) / 3 = x; pixel = |x| with x in {-1, 0, 1} across 3 columns
        CppnGenome g =
                new CppnGenome(
                        2,
                        3,
                        List.of(new Node(CppnGenome.OUTPUT, Activation.LINEAR)),
                        List.of(new Connection(0, CppnGenome.OUTPUT, 3)));
        assertArrayEquals(new float[] {1, 0, 1, 1, 0, 1}, g.render(), 1e-6f);
    }

    @Test
    void cppnGaussianOfDistanceIsOneAtTheCentreAndExpMinusTwoAtTheCorners() {
        CppnGenome g =
                new CppnGenome(
                        3,
                        3,
                        List.of(new Node(CppnGenome.OUTPUT, Activation.GAUSSIAN)),
                        List.of(new Connection(2, CppnGenome.OUTPUT, 1)));
        float[] p = g.render();
        assertEquals(1.0, p[4], 1e-6);
        assertEquals(Math.exp(-2), p[0], 1e-6);
        assertEquals(Math.exp(-1), p[1], 1e-6);
    }

    @Test
    void cppnHiddenNodesComposeInOrder() {
        // hidden h = sin(pi/2 * bias) = 1; output = linear(3 * h) = 1 everywhere
        CppnGenome g =
                new CppnGenome(
                        2,
                        2,
                        List.of(
                                new Node(CppnGenome.OUTPUT, Activation.LINEAR),
                                new Node(5, Activation.SINE)),
                        List.of(new Connection(3, 5, Math.PI / 2), new Connection(5, 4, 3)));
        assertArrayEquals(new float[] {1, 1, 1, 1}, g.render(), 1e-6f);
        assertEquals(Math.tanh(0.5), Activation.SIGMOID.apply(1), 1e-12);
        assertEquals(2 / (1 + Math.exp(-1)) - 1, Activation.SIGMOID.apply(1), 1e-12);
    }

    @Test
    void connectionsIntoInputsOutOfTheOutputOrInACycleAreRejected() {
        List<Node> output = List.of(new Node(CppnGenome.OUTPUT, Activation.LINEAR));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new CppnGenome(
                                2, 2, output, List.of(new Connection(CppnGenome.OUTPUT, 0, 1))));
        List<Node> two =
                List.of(
                        new Node(CppnGenome.OUTPUT, Activation.LINEAR),
                        new Node(5, Activation.SINE),
                        new Node(6, Activation.SINE));
        IllegalArgumentException cycle =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new CppnGenome(
                                        2,
                                        2,
                                        two,
                                        List.of(
                                                new Connection(5, 6, 1),
                                                new Connection(6, 5, 1),
                                                new Connection(6, 4, 1))));
        assertEquals("the connections form a cycle", cycle.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new CppnGenome(2, 2, output, List.of(new Connection(0, 4, 10.5))));
    }

    @Test
    void cppnMutationsKeepTheNetworkValid() {
        SplittableRandom r = new SplittableRandom(3);
        CppnGenome g = CppnGenome.random(8, 8, r);
        for (int i = 0; i < 300; i++) {
            g = g.mutate(r);
            for (float v : g.render()) {
                assertTrue(v >= 0 && v <= 1, "pixel " + v);
            }
            for (Connection c : g.connections()) {
                assertTrue(Math.abs(c.weight()) <= CppnGenome.MAX_WEIGHT, c.toString());
            }
        }
        assertTrue(g.nodes().size() > 1, "300 mutations at rate 0.5 grow hidden nodes");
    }

    @Test
    void archiveKeepsTheBestImagePerClassAndOneImageCanWinSeveral() {
        EliteArchive<DirectGenome> archive = new EliteArchive<>(2);
        DirectGenome a = DirectGenome.of(new float[] {0.1f});
        DirectGenome b = DirectGenome.of(new float[] {0.2f});
        DirectGenome c = DirectGenome.of(new float[] {0.3f});
        assertEquals(2, archive.offer(a, a.render(), new float[] {0.6f, 0.4f}));
        assertEquals(1, archive.offer(b, b.render(), new float[] {0.7f, 0.1f}));
        assertEquals(1, archive.offer(c, c.render(), new float[] {0.5f, 0.5f}));
        assertEquals(0, archive.offer(c, c.render(), new float[] {0.5f, 0.5f}));
        assertSame(b, archive.elite(0).genome());
        assertSame(c, archive.elite(1).genome());
        assertArrayEquals(new double[] {0.7f, 0.5f}, archive.fitness(), 1e-9);
    }

    /** Two classes decided by the mean pixel: p1 = sigmoid(20 (mean - 0.5)). */
    private static final ProbabilityModel MEAN_PIXEL =
            images -> {
                float[][] out = new float[images.length][2];
                for (int i = 0; i < images.length; i++) {
                    double mean = 0;
                    for (float v : images[i]) {
                        mean += v;
                    }
                    mean /= images[i].length;
                    double p1 = 1 / (1 + Math.exp(-20 * (mean - 0.5)));
                    out[i][0] = (float) (1 - p1);
                    out[i][1] = (float) p1;
                }
                return out;
            };

    @Test
    void searchReachesHighConfidenceForEveryClassOfAToyModel() {
        FoolingSearch.Result<DirectGenome> r =
                FoolingSearch.direct(MEAN_PIXEL, 2, 4, 4)
                        .offspring(50)
                        .generations(40)
                        .seed(7)
                        .run();
        assertEquals(2, r.classesAtLeast(0.99));
        // the first generation at or above a threshold, counted here from the history
        int[] first = r.firstGenerationAtLeast(0.99);
        for (int c = 0; c < 2; c++) {
            int g = 0;
            while (r.history()[g][c] < 0.99) {
                g++;
            }
            assertEquals(g, first[c]);
            assertTrue(first[c] == 0 || r.history()[first[c] - 1][c] < 0.99);
        }
        assertArrayEquals(new int[] {-1, -1}, r.firstGenerationAtLeast(1.5));
        assertTrue(r.curves(List.of("dark", "bright"), "toy").getWidth() > 0);
        assertThrows(IllegalArgumentException.class, () -> r.curves(List.of("one"), "toy"));
        // best fitness never decreases from one generation to the next
        for (int g = 1; g < r.history().length; g++) {
            for (int c = 0; c < 2; c++) {
                assertTrue(r.history()[g][c] >= r.history()[g - 1][c]);
            }
        }
    }

    @Test
    void sameSeedSameSearch() {
        double[][] h1 =
                FoolingSearch.cppn(MEAN_PIXEL, 2, 6, 6)
                        .offspring(20)
                        .generations(5)
                        .seed(2)
                        .run()
                        .history();
        double[][] h2 =
                FoolingSearch.cppn(MEAN_PIXEL, 2, 6, 6)
                        .offspring(20)
                        .generations(5)
                        .seed(2)
                        .run()
                        .history();
        assertArrayEquals(h1, h2);
    }

    @Test
    void progressIsOneLineRewrittenAtEveryTenthOfTheRun() {
        // A model that gives every image the same probabilities: the search runs, nothing learns.
        ProbabilityModel flat =
                images -> {
                    float[][] p = new float[images.length][3];
                    for (float[] row : p) {
                        java.util.Arrays.fill(row, 1f / 3);
                    }
                    return p;
                };
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(
                new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            FoolingSearch.direct(flat, 3, 2, 2)
                    .offspring(4)
                    .generations(20)
                    .seed(1)
                    .progress(true)
                    .run();
        } finally {
            System.setOut(saved);
        }
        String out = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line: " + out);
        // Generations 0, 2, 4, ..., 20: eleven states of the line, the last one standing.
        assertEquals(11, out.chars().filter(c -> c == '\r').count(), out);
        String shown = out.substring(out.lastIndexOf('\r') + 1).strip();
        assertEquals("generation 20/20  classes >= 99%: 0/3  mean best confidence 0.3333", shown);
    }
}
