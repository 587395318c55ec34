package dev.oodlab.nn;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.Locale;

/**
 * The architectures of the notebooks and papers, by name.
 *
 * <table>
 *   <caption>Model names</caption>
 *   <tr><th>name</th><th>architecture</th><th>for</th></tr>
 *   <tr><td>{@code mlp}</td><td>flatten, 256 ReLU, 256 ReLU, K</td><td>28×28 grey</td></tr>
 *   <tr><td>{@code lenet}</td><td>conv 6@5×5 pad 2, ReLU, max-pool 2; conv 16@5×5, ReLU,
 *       max-pool 2; fc 120 ReLU, 84 ReLU, K (LeNet-5 style)</td><td>28×28 grey</td></tr>
 *   <tr><td>{@code smoothmix-lenet}</td><td>conv 20@5×5, ReLU, max-pool 2; conv 50@5×5, ReLU,
 *       max-pool 2; fc 500 ReLU, K (the LeNet of the SmoothMix code)</td><td>28×28 grey</td></tr>
 *   <tr><td>{@code toy-mlp}</td><td>64 ReLU, 64 ReLU, K</td><td>2-D points, input shape (2)</td>
 *   </tr>
 *   <tr><td>{@code resnet18}</td><td>DJL's {@link ResNetV1} with 18 layers (3×3 stem for
 *       ≤ 32 px)</td><td>32×32 colour</td></tr>
 *   <tr><td>{@code vgg16}</td><td>the CIFAR VGG-16: 13 conv 3×3 + batch norm + ReLU in five
 *       stages with max-pooling, one linear layer K</td><td>32×32 colour</td></tr>
 * </table>
 *
 * <p>The features of each model are the input of its last linear layer (for the convolutional
 * networks after global pooling), so {@link Classifier#features()} is what the Mahalanobis detector
 * fits. DJL's own VGG (ImageNet-style 4096-wide heads, no batch norm) does not fit 32×32 inputs, so
 * VGG-16 is assembled here from DJL blocks in the layout common in CIFAR OOD papers.
 *
 * <p>The two LeNets take their grey batch in channels-last memory order (a free view for one
 * channel), so that libtorch runs their convolutions, ReLUs and max-pools on its channels-last
 * kernels: the same function and parameters, faster (see {@code ChannelsLastBlock}). Their first
 * convolution takes its input gradient from libtorch's im2col convolution, since oneDNN's is wrong
 * for one input channel (see {@code Im2colInputGradientConv2d}); outputs and weight gradients are
 * unchanged. Their 2×2 max-pools take the maximum of strided views outside training (see {@code
 * MaxPool2x2}): the same values, faster.
 */
public final class Models {

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES =
            List.of("mlp", "lenet", "smoothmix-lenet", "toy-mlp", "resnet18", "vgg16");

    private Models() {}

    /**
     * Builds the named architecture (uninitialised; {@link Network#create} initialises it).
     *
     * @param name one of {@link #NAMES}
     * @param inputShape the shape of one input, e.g. (1, 28, 28), (3, 32, 32) or (2) for the toy
     * @param numClasses K
     * @return the classifier
     * @throws IllegalArgumentException for an unknown name, or an input too small for the
     *     CIFAR-style architectures (resnet18, vgg16 take at least 32×32 pixels)
     */
    public static Classifier create(String name, Shape inputShape, int numClasses) {
        String key = name.toLowerCase(Locale.ROOT);
        if ((key.equals("resnet18") || key.equals("vgg16"))
                && (inputShape.dimension() != 3
                        || inputShape.get(1) < 32
                        || inputShape.get(2) < 32)) {
            // DJL's ResNet builder would fail with "no experiments done on num_layers 18", and
            // VGG's five poolings leave nothing of a smaller image.
            throw new IllegalArgumentException(
                    "model "
                            + key
                            + " takes images of at least 32x32 pixels (CIFAR-style), not "
                            + shapeText(inputShape)
                            + "; use lenet or mlp for 28x28 images");
        }
        return switch (key) {
            case "mlp" -> mlp(inputShape, numClasses, 256, 256);
            case "toy-mlp" ->
                    new Classifier(key, hidden(64, 64), linear(numClasses), numClasses, inputShape);
            case "lenet" -> lenet(inputShape, numClasses);
            case "smoothmix-lenet" -> smoothMixLenet(inputShape, numClasses);
            case "resnet18" -> resnet18(inputShape, numClasses);
            case "vgg16" -> vgg16(inputShape, numClasses);
            default ->
                    throw new IllegalArgumentException(
                            "unknown model '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }

    private static String shapeText(Shape shape) {
        StringBuilder text = new StringBuilder();
        for (long d : shape.getShape()) {
            text.append(text.length() == 0 ? "" : "x").append(d);
        }
        return text.toString();
    }

    /**
     * A multi-layer perceptron: flatten, then one ReLU layer per width, then a linear head.
     *
     * @param inputShape the shape of one input (flattened by the first layer)
     * @param numClasses K
     * @param widths the hidden widths, e.g. 256, 256 (at least one)
     * @return the classifier, named {@code mlp}
     */
    public static Classifier mlp(Shape inputShape, int numClasses, int... widths) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("an MLP needs at least one hidden width");
        }
        SequentialBlock features = new SequentialBlock().add(Blocks.batchFlattenBlock());
        features.add(hidden(widths));
        return new Classifier("mlp", features, linear(numClasses), numClasses, inputShape);
    }

    /** The peer's LeNet-5 style network for 28×28 grey images (61,706 parameters for K = 10). */
    public static Classifier lenet(Shape inputShape, int numClasses) {
        SequentialBlock features =
                new ChannelsLastBlock()
                        .add(new Im2colInputGradientConv2d(6, 5, 2))
                        .add(Activation.reluBlock())
                        .add(MaxPool2x2.block())
                        .add(conv(16, 5, 0))
                        .add(Activation.reluBlock())
                        .add(MaxPool2x2.block())
                        .add(Blocks.batchFlattenBlock())
                        .add(hidden(120, 84));
        return new Classifier("lenet", features, linear(numClasses), numClasses, inputShape);
    }

    /** The LeNet of the SmoothMix code (Jeong et al. 2021): conv20-conv50-fc500. */
    public static Classifier smoothMixLenet(Shape inputShape, int numClasses) {
        SequentialBlock features =
                new ChannelsLastBlock()
                        .add(new Im2colInputGradientConv2d(20, 5, 0))
                        .add(Activation.reluBlock())
                        .add(MaxPool2x2.block())
                        .add(conv(50, 5, 0))
                        .add(Activation.reluBlock())
                        .add(MaxPool2x2.block())
                        .add(Blocks.batchFlattenBlock())
                        .add(hidden(500));
        return new Classifier(
                "smoothmix-lenet", features, linear(numClasses), numClasses, inputShape);
    }

    /** ResNet-18 from DJL's basic model zoo, split before its last linear layer. */
    public static Classifier resnet18(Shape inputShape, int numClasses) {
        SequentialBlock full =
                ResNetV1.builder()
                        .setImageShape(inputShape)
                        .setNumLayers(18)
                        .setOutSize(numClasses)
                        .build();
        // DJL's layout ends with: global average pool, flatten, linear, flatten (a no-op).
        List<Block> blocks = full.getChildren().values();
        SequentialBlock features = new SequentialBlock();
        features.addAll(blocks.subList(0, blocks.size() - 2));
        Block head = blocks.get(blocks.size() - 2);
        return new Classifier("resnet18", features, head, numClasses, inputShape);
    }

    /** The CIFAR VGG-16 (13 conv + batch norm layers, one linear head). */
    public static Classifier vgg16(Shape inputShape, int numClasses) {
        int[][] stages = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        SequentialBlock features = new SequentialBlock();
        for (int[] stage : stages) {
            for (int filters : stage) {
                features.add(conv(filters, 3, 1))
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock());
            }
            features.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        // Global average pooling makes the features (N, 512) for any input of at least 32 px.
        features.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
        return new Classifier("vgg16", features, linear(numClasses), numClasses, inputShape);
    }

    private static SequentialBlock hidden(int... widths) {
        SequentialBlock block = new SequentialBlock();
        for (int width : widths) {
            block.add(linear(width)).add(Activation.reluBlock());
        }
        return block;
    }

    private static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static Block conv(int filters, int kernel, int padding) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(padding, padding))
                .build();
    }
}
