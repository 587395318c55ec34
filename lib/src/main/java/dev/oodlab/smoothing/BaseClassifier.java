package dev.oodlab.smoothing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Objects;

/**
 * The base classifier f that randomized smoothing wraps: a batch of images in, one row of logits
 * (or any class scores) per image out. Only the argmax of each row matters to smoothing.
 *
 * <p>Implementations must attach their outputs (and any intermediate arrays) to the manager of the
 * input, so that {@link SmoothedClassifier} can free each batch by closing one sub-manager. DJL's
 * built-in blocks do this.
 */
@FunctionalInterface
public interface BaseClassifier {

    /**
     * Class scores for a batch.
     *
     * @param images a batch of shape (B, C, H, W), pixels in image space (noise included)
     * @return scores of shape (B, K), attached to the manager of {@code images}
     */
    NDArray logits(NDArray images);

    /**
     * Wraps an initialised DJL block for inference: {@code block.forward(new
     * ParameterStore(manager, false), new NDList(x), false)} with the manager of the input.
     *
     * @param block an initialised block whose single output is the logits
     * @return the block as a base classifier
     */
    static BaseClassifier of(Block block) {
        Objects.requireNonNull(block, "block");
        return images ->
                block.forward(
                                new ParameterStore(images.getManager(), false),
                                new NDList(images),
                                false)
                        .singletonOrThrow();
    }
}
