package dev.oodlab.fooling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.oodlab.OodLab;

/**
 * A classifier seen from outside: a batch of images in, class probabilities out. The fooling search
 * needs nothing more from a model.
 */
@FunctionalInterface
public interface ProbabilityModel {

    /**
     * Class probabilities of each image.
     *
     * @param images images, each a flat channels × height × width array in [0, 1]
     * @return one probability vector per image
     */
    float[][] probabilities(float[][] images);

    /**
     * Wraps a DJL block that maps (N, C, H, W) images to logits; probabilities are their softmax.
     * Each call runs one inference forward pass under its own NDManager, closed on return.
     *
     * @param block an initialised block producing logits of shape (N, K)
     * @param channels image channels
     * @param height image height
     * @param width image width
     * @return the model
     */
    static ProbabilityModel of(Block block, int channels, int height, int width) {
        OodLab.init();
        int size = channels * height * width;
        return images -> {
            float[] flat = new float[images.length * size];
            for (int i = 0; i < images.length; i++) {
                if (images[i].length != size) {
                    throw new IllegalArgumentException(
                            "image "
                                    + i
                                    + " has "
                                    + images[i].length
                                    + " values, expected "
                                    + size);
                }
                System.arraycopy(images[i], 0, flat, i * size, size);
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray x = manager.create(flat, new Shape(images.length, channels, height, width));
                NDArray logits =
                        block.forward(new ParameterStore(manager, false), new NDList(x), false)
                                .singletonOrThrow();
                float[] p = logits.softmax(1).toFloatArray();
                int k = p.length / images.length;
                float[][] out = new float[images.length][k];
                for (int i = 0; i < images.length; i++) {
                    System.arraycopy(p, i * k, out[i], 0, k);
                }
                return out;
            }
        };
    }
}
