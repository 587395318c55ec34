package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.oodlab.nn.Classifier;
import dev.oodlab.nn.Network;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixtures and expected values written by {@code reference/training_losses.py} (PyTorch): a
 * tiny network flatten(1×2×2) → Linear 5 → ReLU → Linear 3 with fixed weights, a batch, outliers
 * and the draws each method takes.
 */
final class ReferenceFixture {

    final Map<String, double[]> values = new HashMap<>();

    ReferenceFixture() {
        load("/reference/training-losses.txt");
    }

    /** The fixture, with the keys of a second file of the same format added under a prefix. */
    ReferenceFixture(String resource, String prefix) {
        this();
        Map<String, double[]> base = new HashMap<>(values);
        values.clear();
        load(resource);
        Map<String, double[]> extra = new HashMap<>(values);
        values.clear();
        values.putAll(base);
        extra.forEach((k, v) -> values.put(prefix + k, v));
    }

    private void load(String resource) {
        try (InputStream in = ReferenceFixture.class.getResourceAsStream(resource);
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                double[] v = new double[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    v[i - 1] = Double.parseDouble(parts[i]);
                }
                values.put(parts[0], v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    double[] get(String key) {
        double[] v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + key + " in the reference files");
        }
        return v;
    }

    double scalar(String key) {
        return get(key)[0];
    }

    int[] ints(String key) {
        return Arrays.stream(get(key)).mapToInt(d -> (int) d).toArray();
    }

    float[] floats(String key) {
        double[] d = get(key);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** The tiny network with the reference weights. */
    Network network() {
        SequentialBlock features =
                new SequentialBlock()
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(5).build())
                        .add(Activation.reluBlock());
        Classifier c =
                new Classifier(
                        "tiny",
                        features,
                        Linear.builder().setUnits(3).build(),
                        3,
                        new Shape(1, 2, 2));
        Network net = Network.of(c, new Shape(1, 2, 2), 3, 1);
        List<Parameter> params = net.trainableParameters();
        String[] keys = {"W1", "B1", "W2", "B2"};
        for (int i = 0; i < keys.length; i++) {
            params.get(i).getArray().set(floats(keys[i]));
        }
        return net;
    }

    NDArray images(NDManager manager, String key) {
        float[] v = floats(key);
        return manager.create(v, new Shape(v.length / 4, 1, 2, 2));
    }

    NDArray labels(NDManager manager) {
        return manager.create(ints("Y"));
    }

    /** A random source that replays fixed draws and fails on any draw it was not given. */
    static final class Scripted implements RandomSource {
        final Deque<Double> betas = new ArrayDeque<>();
        final Deque<Double> uniforms = new ArrayDeque<>();
        final Deque<Integer> ints = new ArrayDeque<>();
        final Deque<int[]> permutations = new ArrayDeque<>();
        final Deque<float[]> normals = new ArrayDeque<>();

        @Override
        public double beta(double alpha) {
            return next(betas, "beta");
        }

        @Override
        public double uniform() {
            return next(uniforms, "uniform");
        }

        @Override
        public int nextInt(int bound) {
            return next(ints, "nextInt");
        }

        @Override
        public int[] permutation(int n) {
            int[] p = next(permutations, "permutation");
            if (p.length != n) {
                throw new AssertionError("scripted permutation of " + p.length + ", asked " + n);
            }
            return p;
        }

        @Override
        public NDArray normal(NDManager manager, Shape shape, double sigma) {
            float[] v = next(normals, "normal");
            if (v.length != shape.size()) {
                throw new AssertionError("scripted noise of " + v.length + ", asked " + shape);
            }
            return manager.create(v, shape);
        }

        boolean exhausted() {
            return betas.isEmpty()
                    && uniforms.isEmpty()
                    && ints.isEmpty()
                    && permutations.isEmpty()
                    && normals.isEmpty();
        }

        private static <T> T next(Deque<T> queue, String what) {
            if (queue.isEmpty()) {
                throw new AssertionError("unexpected draw: " + what);
            }
            return queue.removeFirst();
        }
    }
}
