package dev.oodlab.smoothing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SmoothedClassifierTest {

    private static final NormalDistribution PHI = new NormalDistribution(0, 1);
    private static final int K = 3;

    private static NDManager manager;

    @BeforeAll
    static void startEngine() {
        OodLab.init();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stopEngine() {
        manager.close();
    }

    /** Always class 2: logits (0, 0, 1) for every image of the batch. */
    private static final BaseClassifier ALWAYS_TWO =
            images -> {
                long b = images.getShape().get(0);
                return images.getManager()
                        .zeros(new Shape(b, K))
                        .add(images.getManager().create(new float[] {0, 0, 1}));
            };

    /**
     * Class 1 if the first pixel is positive, else class 0, as a DJL block: on x + N(0, σ²) it
     * picks class 1 with probability Φ(x₀/σ).
     */
    private static BaseClassifier signOfFirstPixel() {
        LambdaBlock block =
                LambdaBlock.singleton(
                        images -> {
                            NDArray first =
                                    images.reshape(images.getShape().get(0), -1).get(":, 0");
                            NDArray never = first.zerosLike().sub(100);
                            return NDArrays.stack(new NDList(first.neg(), first, never), 1);
                        });
        return BaseClassifier.of(block);
    }

    /** A 1×2×2 image whose first pixel is {@code first}, the others 0.5. */
    private static NDArray image(float first) {
        return manager.create(new float[] {first, 0.5f, 0.5f, 0.5f}, new Shape(1, 2, 2));
    }

    @Test
    void lowerBoundMatchesSpecWhenEveryCopyAgrees() {
        double p = SmoothedClassifier.lowerConfidenceBound(100_000, 100_000, 0.001);
        assertEquals(0.99993092, p, 5e-9);
        OptionalDouble r = SmoothedClassifier.certifiedRadius(100_000, 100_000, 0.001, 0.5);
        assertEquals(3.8115, r.getAsDouble() / 0.5, 5e-5);
    }

    @Test
    void lowerBoundMatchesSpecAt99000Of100000() {
        double p = SmoothedClassifier.lowerConfidenceBound(99_000, 100_000, 0.001);
        assertEquals(0.98898934, p, 5e-9);
        OptionalDouble r = SmoothedClassifier.certifiedRadius(99_000, 100_000, 0.001, 0.25);
        assertEquals(2.2900, r.getAsDouble() / 0.25, 5e-5);
    }

    @Test
    void boundBelowOneHalfAbstains() {
        assertEquals(0.44098, SmoothedClassifier.lowerConfidenceBound(60, 100, 0.001), 5e-6);
        assertTrue(SmoothedClassifier.certifiedRadius(60, 100, 0.001, 0.5).isEmpty());
    }

    @Test
    void boundOfZeroSuccessesIsZero() {
        assertEquals(0.0, SmoothedClassifier.lowerConfidenceBound(0, 50, 0.01));
    }

    @Test
    void constantClassifierGetsTheClosedFormRadius() {
        // n_A = n: Beta(n, 1) has CDF p^n, so the bound is α^(1/n) exactly.
        double sigma = 0.5;
        int n = 1000;
        double alpha = 0.001;
        SmoothedClassifier smoothed = new SmoothedClassifier(ALWAYS_TWO, sigma, K, 1, 300);
        Certification c = smoothed.certify(image(0.3f), 2, 100, n, alpha);
        assertEquals(2, c.prediction());
        assertEquals(n, c.countTop());
        assertTrue(c.correct());
        double expected = sigma * PHI.inverseCumulativeProbability(Math.pow(alpha, 1.0 / n));
        assertEquals(expected, c.radius(), 1e-9);
    }

    @Test
    void countsFollowPhiOfPixelOverSigma() {
        double sigma = 0.5;
        float x0 = 0.3f;
        int n = 4000;
        SmoothedClassifier smoothed = new SmoothedClassifier(signOfFirstPixel(), sigma, K, 7);
        int[] counts = smoothed.classCounts(image(x0), n);
        assertEquals(n, counts[0] + counts[1] + counts[2]);
        assertEquals(0, counts[2]);
        double p = PHI.cumulativeProbability(x0 / sigma); // 0.7257
        double sd = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, counts[1] / (double) n, 5 * sd);
    }

    @Test
    void certifiedRadiusIsBelowTheTrueRadiusAndNotFarBelow() {
        // Φ(x₀/σ) = 0.9, so the exact radius of the smoothed sign classifier is σ·Φ⁻¹(0.9).
        double sigma = 0.25;
        float x0 = (float) (sigma * PHI.inverseCumulativeProbability(0.9));
        int n = 2000;
        SmoothedClassifier smoothed = new SmoothedClassifier(signOfFirstPixel(), sigma, K, 11);
        Certification c = smoothed.certify(image(x0), 1, 100, n, 0.001);
        assertEquals(1, c.prediction());
        assertTrue(c.correct());
        double sd = Math.sqrt(0.9 * 0.1 / n);
        assertEquals(0.9, c.countTop() / (double) n, 5 * sd);
        assertTrue(c.radius() < sigma * PHI.inverseCumulativeProbability(0.9), "" + c);
        assertTrue(c.radius() > sigma * PHI.inverseCumulativeProbability(0.84), "" + c);
    }

    @Test
    void predictAbstainsOnACoinFlip() {
        SmoothedClassifier smoothed = new SmoothedClassifier(signOfFirstPixel(), 0.5, K, 3);
        Prediction p = smoothed.predict(image(0f), 1000, 0.001);
        assertTrue(p.abstained(), "" + p);
        assertEquals(SmoothedClassifier.ABSTAIN, p.prediction());
        assertTrue(p.pValue() > 0.001);
    }

    @Test
    void predictReturnsTheClassOfACertainClassifier() {
        SmoothedClassifier smoothed = new SmoothedClassifier(ALWAYS_TWO, 0.5, K, 3);
        Prediction p = smoothed.predict(image(0f), 100, 0.001);
        assertFalse(p.abstained());
        assertEquals(2, p.prediction());
        assertEquals(100, p.countTop());
        assertEquals(0, p.countSecond());
    }

    @Test
    void predictUsesTheTwoSidedBinomialPValue() {
        // 10 of 10 copies agree: two-sided p-value = 2·2⁻¹⁰ = 0.001953.
        SmoothedClassifier smoothed = new SmoothedClassifier(ALWAYS_TWO, 0.5, K, 3);
        Prediction strict = smoothed.predict(image(0f), 10, 0.001);
        assertEquals(2 * Math.pow(0.5, 10), strict.pValue(), 1e-12);
        assertTrue(strict.abstained());
        assertEquals(2, smoothed.predict(image(0f), 10, 0.01).prediction());
    }

    @Test
    void noiseIsClassifiedInBatchesOfTheConfiguredSize() {
        List<Long> batchSizes = new ArrayList<>();
        BaseClassifier recording =
                images -> {
                    batchSizes.add(images.getShape().get(0));
                    return ALWAYS_TWO.logits(images);
                };
        new SmoothedClassifier(recording, 0.5, K, 1, 1000).classCounts(image(0f), 2500);
        assertEquals(List.of(1000L, 1000L, 500L), batchSizes);
    }

    @Test
    void sameSeedGivesSameCountsAndAnotherSeedOthers() {
        BaseClassifier sign = signOfFirstPixel();
        SmoothedClassifier a = new SmoothedClassifier(sign, 0.5, K, 42, 64);
        SmoothedClassifier b = new SmoothedClassifier(sign, 0.5, K, 42, 64);
        SmoothedClassifier c = new SmoothedClassifier(sign, 0.5, K, 43, 64);
        int[] fromA = new int[5];
        int[] fromB = new int[5];
        int[] fromC = new int[5];
        for (int i = 0; i < 5; i++) {
            fromA[i] = a.classCounts(image(0f), 500)[1];
            fromB[i] = b.classCounts(image(0f), 500)[1];
            fromC[i] = c.classCounts(image(0f), 500)[1];
        }
        assertArrayEquals(fromA, fromB);
        assertFalse(Arrays.equals(fromA, fromC));
    }

    /** A 1×4×4 image (16 pixels, one fill block of libtorch's normal_) with pixels j / 16. */
    private static NDArray ramp() {
        float[] pixels = new float[16];
        for (int j = 0; j < 16; j++) {
            pixels[j] = j / 16f;
        }
        return manager.create(pixels, new Shape(1, 4, 4));
    }

    /** A base classifier that always says class 2 and keeps a copy of every batch it was shown. */
    private static BaseClassifier recording(List<float[]> seen) {
        return images -> {
            seen.add(images.toFloatArray());
            return ALWAYS_TWO.logits(images);
        };
    }

    @Test
    void engineNoiseHasMeanXAndVarianceSigmaSquaredPerPixelAndNoCorrelation() {
        double sigma = 0.3;
        int n = 4000;
        List<float[]> seen = new ArrayList<>();
        new SmoothedClassifier(recording(seen), sigma, K, 21, 500).classCounts(ramp(), n);
        assertEquals(8, seen.size());
        double[] sum = new double[16];
        double[] sumSq = new double[16];
        double lag = 0; // Σ z_j z_{j+1} within a copy, and z of pixel 0 of copy i with copy i+1
        double across = 0;
        float[] previous = null;
        for (float[] batch : seen) {
            for (int copy = 0; copy < batch.length / 16; copy++) {
                for (int j = 0; j < 16; j++) {
                    double z = batch[copy * 16 + j] - j / 16.0;
                    sum[j] += z;
                    sumSq[j] += z * z;
                    if (j < 15) {
                        lag += z * (batch[copy * 16 + j + 1] - (j + 1) / 16.0);
                    }
                }
                if (previous != null) {
                    across += batch[copy * 16] * (double) previous[0];
                }
                previous = Arrays.copyOfRange(batch, copy * 16, copy * 16 + 16);
            }
        }
        double var = sigma * sigma;
        for (int j = 0; j < 16; j++) {
            // mean of z: sd σ/√n; sample variance: sd σ²·√(2/n); 5 standard deviations each
            assertEquals(0, sum[j] / n, 5 * sigma / Math.sqrt(n), "mean of pixel " + j);
            assertEquals(var, sumSq[j] / n, 5 * var * Math.sqrt(2.0 / n), "variance of " + j);
        }
        // neighbouring pixels and consecutive copies uncorrelated: E[z z'] = 0, sd σ²/√count
        assertEquals(0, lag / (15.0 * n), 5 * var / Math.sqrt(15.0 * n));
        assertEquals(0, across / (n - 1), 5 * var / Math.sqrt(n - 1));
    }

    /** Reference noise: one draw of n copies, z from a generator seeded as classCounts seeds it. */
    private static final dev.oodlab.nn.TorchScriptFunction REFERENCE_NOISE =
            dev.oodlab.nn.TorchScriptFunction.of(
                    "ReferenceSmoothingNoise",
                    """
                    def forward(self, x: Tensor, n: int, sigma: float, seed: int) -> Tensor:
                      g = torch.Generator(device="cpu", seed=seed)
                      z = torch.normal_(torch.empty([n, 1, 4, 4], dtype=6), 0., sigma, generator=g)
                      return torch.add(z, x)
                    """);

    @Test
    void countsEqualAReferenceComputationOnAFixedSeed() {
        double sigma = 0.5;
        long seed = 1234;
        int n = 3000;
        NDArray x = ramp().sub(0.2f); // first pixel -0.2: class 1 with probability Φ(-0.4)
        int[] counts =
                new SmoothedClassifier(signOfFirstPixel(), sigma, K, seed, 256).classCounts(x, n);
        // the reference: the first call of an instance seeds its generator with the first number
        // of SplittableRandom(seed); one draw of all n copies, classified by the sign in Java
        long callSeed = new java.util.SplittableRandom(seed).nextLong();
        float[] noisy;
        try (ai.djl.pytorch.jni.IValue xi =
                        ai.djl.pytorch.jni.IValue.from((ai.djl.pytorch.engine.PtNDArray) x);
                ai.djl.pytorch.jni.IValue ni = ai.djl.pytorch.jni.IValue.from((long) n);
                ai.djl.pytorch.jni.IValue si = ai.djl.pytorch.jni.IValue.from(sigma);
                ai.djl.pytorch.jni.IValue di = ai.djl.pytorch.jni.IValue.from(callSeed);
                ai.djl.pytorch.jni.IValue r = REFERENCE_NOISE.invoke(xi, ni, si, di);
                NDManager scope = manager.newSubManager()) {
            noisy = r.toTensor((ai.djl.pytorch.engine.PtNDManager) scope).toFloatArray();
        }
        int[] expected = new int[K];
        for (int copy = 0; copy < n; copy++) {
            float first = noisy[copy * 16];
            expected[first > -first ? 1 : 0]++; // argmax of (-x₀, x₀, -100), first index on ties
        }
        assertArrayEquals(expected, counts);
        double p = PHI.cumulativeProbability(-0.2 / sigma);
        assertEquals(p, counts[1] / (double) n, 5 * Math.sqrt(p * (1 - p) / n));
    }

    @Test
    void theNoiseOfEachCopyDoesNotDependOnTheBatchSize() {
        List<float[]> inBatchesOf7 = new ArrayList<>();
        List<float[]> inOneBatch = new ArrayList<>();
        new SmoothedClassifier(recording(inBatchesOf7), 0.25, K, 99, 7).classCounts(ramp(), 50);
        new SmoothedClassifier(recording(inOneBatch), 0.25, K, 99, 1000).classCounts(ramp(), 50);
        assertEquals(8, inBatchesOf7.size());
        float[] joined = new float[50 * 16];
        int at = 0;
        for (float[] batch : inBatchesOf7) {
            System.arraycopy(batch, 0, joined, at, batch.length);
            at += batch.length;
        }
        assertArrayEquals(inOneBatch.get(0), joined);
        // and the counts of a classifier that looks at the noise agree too
        assertArrayEquals(
                new SmoothedClassifier(signOfFirstPixel(), 0.25, K, 5, 7).classCounts(ramp(), 500),
                new SmoothedClassifier(signOfFirstPixel(), 0.25, K, 5, 1000)
                        .classCounts(ramp(), 500));
    }

    @Test
    void certifyingASetGivesEachPointItsOwnNoise() {
        ImageSet set =
                new ImageSet(
                        "three",
                        new float[] {1f, 0, 0, 0, 0f, 0, 0, 0, -1f, 0, 0, 0},
                        new int[] {1, 0, 0},
                        K,
                        1,
                        2,
                        2);
        SmoothedClassifier smoothed = new SmoothedClassifier(signOfFirstPixel(), 0.25, K, 5);
        List<Certification> seen = new ArrayList<>();
        CertificationResults all = smoothed.certify(set, 10, 50, 500, 0.001, manager, seen::add);
        assertEquals(3, all.size());
        assertEquals(all.points(), seen);
        Certification sure = all.points().get(0);
        assertEquals(0, sure.index());
        assertEquals(1, sure.prediction());
        assertTrue(sure.correct());
        assertTrue(all.points().get(1).abstained(), "first pixel 0 is a coin flip");
        assertFalse(all.points().get(1).correct());
        assertEquals(0, all.points().get(2).prediction());
        assertTrue(all.points().get(2).correct());
        // the first two points do not depend on whether the third is certified too
        CertificationResults two = smoothed.certify(set, 2, 50, 500, 0.001, manager);
        assertEquals(all.points().get(1).countTop(), two.points().get(1).countTop());
        assertEquals(all.points().get(0).radius(), two.points().get(0).radius());
    }

    @Test
    void manyCallsLeakNoArrays() {
        try (NDManager model = NDManager.newBaseManager();
                NDManager inputs = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
            block.add(Linear.builder().setUnits(K).build());
            block.initialize(model, DataType.FLOAT32, new Shape(1, 1, 2, 2));
            model.cap(); // anything attached to the model's manager from here on throws
            SmoothedClassifier smoothed =
                    new SmoothedClassifier(BaseClassifier.of(block), 0.5, K, 9, 16);
            NDArray x = inputs.create(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, new Shape(1, 2, 2));
            int before = ((BaseNDManager) inputs).getManagedArrays().size();
            int modelBefore = ((BaseNDManager) model).getManagedArrays().size();
            for (int i = 0; i < 40; i++) {
                smoothed.predict(x, 50, 0.01);
                smoothed.certify(x, 0, 10, 40, 0.01);
            }
            assertEquals(before, ((BaseNDManager) inputs).getManagedArrays().size());
            assertEquals(modelBefore, ((BaseNDManager) model).getManagedArrays().size());
        }
    }

    @Test
    void wrongOutputShapeIsReported() {
        BaseClassifier twoClasses =
                images -> images.reshape(images.getShape().get(0), -1).get(":, :2");
        SmoothedClassifier smoothed = new SmoothedClassifier(twoClasses, 0.5, K, 1);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> smoothed.classCounts(image(0), 5));
        assertTrue(e.getMessage().contains("expected (5, 3)"), e.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        SmoothedClassifier smoothed = new SmoothedClassifier(ALWAYS_TWO, 0.5, K, 1);
        NDArray x = image(0f);
        assertNamed("sigma", () -> new SmoothedClassifier(ALWAYS_TWO, 0, K, 1));
        assertNamed("sigma", () -> new SmoothedClassifier(ALWAYS_TWO, -0.25, K, 1));
        assertNamed("sigma", () -> new SmoothedClassifier(ALWAYS_TWO, Double.NaN, K, 1));
        assertNamed("numClasses", () -> new SmoothedClassifier(ALWAYS_TWO, 0.5, 1, 1));
        assertNamed("batchSize", () -> new SmoothedClassifier(ALWAYS_TWO, 0.5, K, 1, 0));
        assertNamed("n0", () -> smoothed.certify(x, 0, 100, 0.001));
        assertNamed("n0", () -> smoothed.certify(x, -3, 100, 0.001));
        assertNamed("n", () -> smoothed.certify(x, 10, 0, 0.001));
        assertNamed("n", () -> smoothed.predict(x, 0, 0.001));
        assertNamed("alpha", () -> smoothed.certify(x, 10, 100, 0));
        assertNamed("alpha", () -> smoothed.certify(x, 10, 100, 1));
        assertNamed("alpha", () -> smoothed.predict(x, 100, 1.5));
        assertNamed("alpha", () -> SmoothedClassifier.lowerConfidenceBound(5, 10, -0.1));
        assertNamed("successes", () -> SmoothedClassifier.lowerConfidenceBound(11, 10, 0.1));
        assertNamed("x", () -> smoothed.predict(manager.zeros(new Shape(2, 4)), 10, 0.1));
    }

    private static void assertNamed(String argument, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument + " "), e.getMessage());
    }
}
