package dev.oodlab.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import dev.oodlab.nn.Classifier;
import dev.oodlab.train.MethodDescriptor;
import dev.oodlab.train.TrainingMethods;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * FLOPs per image of a network, counted from its layer shapes, and the multiple of the forward
 * FLOPs that one training step of a method costs.
 *
 * <p>The convention is the peer scripts' ({@code cpu_peak.py}, {@code train_fmnist.py}): only
 * {@code Linear} and {@code Conv2d} layers count, 2 FLOPs per multiply-add (bias, ReLU, pooling,
 * the loss and the optimizer are left out); a training step with its backward pass costs 3× the
 * forward FLOPs (the backward pass computes the input and the weight gradients, each as costly as
 * the forward pass); an input-only backward pass (an attack's gradient, with the parameters frozen)
 * costs 1×. So:
 *
 * <ul>
 *   <li>{@code ce}, {@code mixup}: 3× forward;
 *   <li>{@code adversarial-mixup}: 5× (the FGSM forward and input-only backward, then the training
 *       step);
 *   <li>{@code smoothmix} with m noise samples and T attack steps: 2·m·T + 6·m (each attack step: m
 *       noisy forwards and their input backward; then two training passes, clean and mixed, over m
 *       noisy copies each).
 * </ul>
 *
 * Achieved GFLOP/s = images per second × forward FLOPs × factor / 10⁹.
 */
public final class TrainingFlops {

    private TrainingFlops() {}

    /**
     * Forward FLOPs of one image: 2 × the multiply-adds of every {@code Linear} and convolution.
     *
     * @param block an initialised block (a {@link Classifier}, {@link SequentialBlock}s, layers)
     * @param inputShape one input's shape, e.g. (1, 28, 28)
     * @return FLOPs per image
     * @throws IllegalArgumentException for a block with parameters whose FLOPs are not counted
     */
    public static long forwardFlops(Block block, Shape inputShape) {
        return count(block, new Shape(1).addAll(inputShape)).flops;
    }

    /**
     * The cost of one training step of {@code method} in forward passes, as its descriptor states
     * it ({@link MethodDescriptor#forwardPasses}; the rule in the class comment).
     *
     * @param method a method of {@link TrainingMethods#NAMES} whose descriptor has the rule ({@code
     *     ce}, {@code mixup}, {@code adversarial-mixup}, {@code smoothmix})
     * @param noiseSamples SmoothMix's m (ignored by the other methods)
     * @param attackSteps SmoothMix's T (ignored by the other methods)
     * @return the factor
     * @throws IllegalArgumentException for another method
     */
    public static int factor(String method, int noiseSamples, int attackSteps) {
        String key = method.toLowerCase(Locale.ROOT);
        if (!TrainingMethods.NAMES.contains(key)) {
            throw new IllegalArgumentException(
                    "no FLOPs rule for training method '" + method + "'");
        }
        MethodDescriptor descriptor = TrainingMethods.descriptor(key);
        Map<String, Object> options = new LinkedHashMap<>();
        if (descriptor.hasOption("noise-draws")) {
            options.put("noise-draws", noiseSamples);
        }
        if (descriptor.hasOption("steps")) {
            options.put("steps", attackSteps);
        }
        return descriptor
                .forwardPasses(options)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "no FLOPs rule for training method '" + method + "'"));
    }

    private record Count(long flops, Shape output) {}

    private static Count count(Block block, Shape input) {
        if (block instanceof Classifier c) {
            Count features = count(c.features(), input);
            Count head = count(c.head(), features.output);
            return new Count(features.flops + head.flops, head.output);
        }
        if (block instanceof SequentialBlock) {
            long flops = 0;
            Shape shape = input;
            for (Pair<String, Block> child : block.getChildren()) {
                Count inner = count(child.getValue(), shape);
                flops += inner.flops;
                shape = inner.output;
            }
            return new Count(flops, shape);
        }
        Shape output = block.getOutputShapes(new Shape[] {input})[0];
        if (block instanceof Linear) {
            Shape weight = weightShape(block);
            // weight (out, in); every leading position of the input but the batch is one product.
            long positions = output.size() / (output.get(0) * weight.get(0));
            return new Count(2 * positions * weight.get(0) * weight.get(1), output);
        }
        if (block instanceof Convolution) {
            Shape weight = weightShape(block); // (cout, cin / groups, kh, kw)
            long perOutput = weight.size() / weight.get(0);
            long outputs = output.size() / output.get(0);
            return new Count(2 * outputs * perOutput, output);
        }
        if (!block.getParameters().isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot count the FLOPs of a "
                            + block.getClass().getSimpleName()
                            + " (only Linear, convolutions and sequences of them)");
        }
        return new Count(0, output);
    }

    private static Shape weightShape(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                return p.getValue().getArray().getShape();
            }
        }
        throw new IllegalArgumentException(
                "the " + block.getClass().getSimpleName() + " has no weight parameter");
    }
}
