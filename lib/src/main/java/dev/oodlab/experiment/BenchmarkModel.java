package dev.oodlab.experiment;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import dev.oodlab.nn.TorchScriptModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model to evaluate with its data: a model folder written by {@code oodlab train} ({@link
 * ModelInfo#load}) or a TorchScript file saved by PyTorch ({@link TorchScriptModel}), loaded
 * together with the in-distribution data set it is scored on. What {@code oodlab evaluate} and
 * {@code oodlab benchmark} take as {@code --model}.
 *
 * @param source the folder or file given
 * @param network the loaded model; {@link #close} frees it
 * @param info the folder's {@code model.json}, or {@code null} for a TorchScript file
 * @param dataset the in-distribution data set's name or folder
 * @param train the training images the fitted detectors estimate their statistics from: for a model
 *     folder trained on a subset, that subset; else the whole training split
 * @param test the labelled test split
 */
public record BenchmarkModel(
        Path source, Network network, ModelInfo info, String dataset, ImageSet train, ImageSet test)
        implements AutoCloseable {

    /**
     * Whether a path names a TorchScript file rather than a model folder.
     *
     * @param model the {@code --model} value
     * @return true for a regular file
     */
    public static boolean isTorchScript(Path model) {
        return Files.isRegularFile(model);
    }

    /**
     * Loads a model and its data set.
     *
     * @param model a model folder or a TorchScript {@code .pt} file
     * @param dataset the data set to test on: {@code null} for a folder's own ({@code model.json});
     *     required for a TorchScript file, whose input shape it sets
     * @param normalization for a TorchScript file, the input normalisation ({@code null} for none);
     *     must be {@code null} for a folder
     * @return the loaded model
     * @throws IllegalArgumentException one line naming what is wrong: no such file or folder, no
     *     data set for a TorchScript file, a normalisation for a folder, a model whose classes are
     *     not the data set's, or the TorchScript errors of {@link TorchScriptModel#load}
     */
    public static BenchmarkModel load(
            Path model, String dataset, TorchScriptModel.Normalization normalization) {
        if (Files.isDirectory(model)) {
            if (normalization != null) {
                throw new IllegalArgumentException(
                        "input normalisation (--mean, --std) applies to TorchScript models only;"
                                + " "
                                + model
                                + " is a model folder, whose model takes images in [0, 1]");
            }
            ModelInfo info = ModelInfo.read(model);
            String data = dataset == null ? info.dataset() : dataset;
            ImageSet[] splits = Datasets.inDistribution(data);
            ImageSet train =
                    info.subset() > 0 && info.subset() < splits[0].size()
                            ? splits[0].sample(info.subset(), info.seed())
                            : splits[0];
            ModelInfo.Loaded loaded = ModelInfo.load(model);
            return checked(
                    new BenchmarkModel(model, loaded.network(), info, data, train, splits[1]));
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(
                    "--model " + model + ": no such model folder or TorchScript file");
        }
        if (dataset == null) {
            throw new IllegalArgumentException(
                    "--model "
                            + model
                            + " is a TorchScript file, which does not say what it was trained on:"
                            + " give --dataset (e.g. fashion-mnist)");
        }
        ImageSet[] splits = Datasets.inDistribution(dataset);
        ImageSet test = splits[1];
        Network network =
                TorchScriptModel.load(
                        model,
                        new Shape(test.channels(), test.height(), test.width()),
                        normalization);
        return checked(new BenchmarkModel(model, network, null, dataset, splits[0], test));
    }

    private static BenchmarkModel checked(BenchmarkModel m) {
        int k = m.network.numClasses();
        if (k != m.test.numClasses()) {
            m.close();
            throw new IllegalArgumentException(
                    "the model "
                            + m.source.getFileName()
                            + " has "
                            + k
                            + " outputs, but "
                            + m.dataset
                            + " has "
                            + m.test.numClasses()
                            + " classes");
        }
        return m;
    }

    /** The image shape of the data set (C, H, W). */
    public Shape imageShape() {
        return new Shape(test.channels(), test.height(), test.width());
    }

    /**
     * Why the feature-based detectors cannot run on this model, or {@code null} if they can.
     *
     * @return one line, or {@code null}
     */
    public String featureNote() {
        return TorchScriptModel.featureNote(network);
    }

    @Override
    public void close() {
        network.close();
    }
}
