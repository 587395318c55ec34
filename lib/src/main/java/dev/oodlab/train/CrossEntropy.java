package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Losses;

/**
 * Plain cross-entropy, mean over the batch of CE(p(x), y) = −log p_y(x): the baseline every other
 * method is compared with.
 */
public final class CrossEntropy implements TrainingMethod {

    /** The descriptor of {@code ce} (it has no options). */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("ce")
                    .summary("plain cross-entropy, the baseline")
                    .factory(values -> new CrossEntropy())
                    .forwardPasses(3)
                    .build();

    /** The method (it has no options). */
    public CrossEntropy() {}

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray logits = step.logits(step.x());
        step.reportCleanLogits(logits);
        return Losses.meanCrossEntropyWithLabels(logits, step.labels());
    }

    @Override
    public String name() {
        return "ce";
    }

    @Override
    public String toString() {
        return "CrossEntropy";
    }
}
