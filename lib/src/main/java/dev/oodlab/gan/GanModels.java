package dev.oodlab.gan;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.oodlab.nn.Convolutions;

/**
 * Generator and discriminator architectures for the joint confidence loss.
 *
 * <table>
 *   <caption>Architectures</caption>
 *   <tr><th>method</th><th>layers</th><th>input → output</th></tr>
 *   <tr><td>{@link #toyGenerator}</td><td>64 ReLU, 64 ReLU, 2 linear</td><td>z (L) → point (2)
 *       </td></tr>
 *   <tr><td>{@link #toyDiscriminator}</td><td>64 LeakyReLU(0.2), 64 LeakyReLU(0.2), 1 linear</td>
 *       <td>point (2) → logit (1)</td></tr>
 *   <tr><td>{@link #imageGenerator}</td><td>fc 64·7·7, batch norm, ReLU; upsample ×2, conv
 *       32@3×3, batch norm, ReLU; upsample ×2, conv 1@3×3; sigmoid</td><td>z (L) → image
 *       (1, 28, 28) in [0, 1]</td></tr>
 *   <tr><td>{@link #imageDiscriminator}</td><td>conv 32@4×4 stride 2, LeakyReLU(0.2); conv
 *       64@4×4 stride 2, LeakyReLU(0.2); fc 1</td><td>image (1, 28, 28) → logit (1)</td></tr>
 * </table>
 *
 * The image pair follows DCGAN (Radford, Metz &amp; Chintala, ICLR 2016) at a size that trains on a
 * CPU: strided (transposed) convolutions instead of pooling, batch norm in the generator, LeakyReLU
 * in the discriminator, a sigmoid output so that generated pixels lie in [0, 1] like the data. The
 * convolutions come from {@link Convolutions#conv2d}, so the generator's one-filter convolution
 * takes its input gradient from the im2col path (oneDNN's is wrong for it). Build a trainable
 * network with {@code Network.of(block, inputShape, width, seed)}.
 */
public final class GanModels {

    private GanModels() {}

    /** The 2-D toy's generator: latent vector (L) → point (2). */
    public static Block toyGenerator() {
        return new SequentialBlock()
                .add(linear(64))
                .add(Activation.reluBlock())
                .add(linear(64))
                .add(Activation.reluBlock())
                .add(linear(2));
    }

    /** The 2-D toy's discriminator: point (2) → one logit. */
    public static Block toyDiscriminator() {
        return new SequentialBlock()
                .add(linear(64))
                .add(Activation.leakyReluBlock(0.2f))
                .add(linear(64))
                .add(Activation.leakyReluBlock(0.2f))
                .add(linear(1));
    }

    /** A small DCGAN-style generator: latent vector (L) → grey 28×28 image in [0, 1]. */
    public static Block imageGenerator() {
        return new SequentialBlock()
                .add(linear(64 * 7 * 7))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(
                        new LambdaBlock(
                                list -> new NDList(list.singletonOrThrow().reshape(-1, 64, 7, 7)),
                                "reshape"))
                .add(upsample())
                .add(conv3x3(32))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(upsample())
                .add(conv3x3(1))
                .add(Activation.sigmoidBlock());
    }

    /** A small DCGAN-style discriminator: grey 28×28 image → one logit. */
    public static Block imageDiscriminator() {
        return new SequentialBlock()
                .add(stridedConv(32))
                .add(Activation.leakyReluBlock(0.2f))
                .add(stridedConv(64))
                .add(Activation.leakyReluBlock(0.2f))
                .add(Blocks.batchFlattenBlock())
                .add(linear(1));
    }

    private static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    /** Nearest-neighbour upsampling ×2 of (N, C, H, W). */
    private static Block upsample() {
        return new LambdaBlock(
                list -> new NDList(list.singletonOrThrow().repeat(2, 2).repeat(3, 2)), "upsample");
    }

    /** 3×3, padding 1: keeps height and width. */
    private static Block conv3x3(int filters) {
        return Convolutions.conv2d(filters, 3, 1, 1);
    }

    /** 4×4, stride 2, padding 1: halves height and width. */
    private static Block stridedConv(int filters) {
        return Convolutions.conv2d(filters, 4, 2, 1);
    }
}
