package dev.oodlab.experiment;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.report.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A saved model re-scored: the model folder is loaded ({@link ModelInfo#load}), its data set's test
 * split and the OOD sets are scored with a detector, and the result has the same shape as the one
 * {@code oodlab train} wrote (extra key {@code model_directory}).
 *
 * @param info the model's description
 * @param evaluation the scores and metrics
 * @param result the results record
 */
public record RunEvaluation(ModelInfo info, OodEvaluation evaluation, RunResult result) {

    /**
     * Loads and scores a model folder.
     *
     * @param modelDirectory the folder written by {@code oodlab train}
     * @param dataset the in-distribution data set to test on, or {@code null} for the one in {@code
     *     model.json}
     * @param oodSets OOD set names or paths, or {@code null} for the data set's default ({@link
     *     Datasets#defaultOodSets})
     * @param oodCount images per generated OOD set, cap for the others
     * @param detector one of {@link Detectors#NAMES}
     * @return the evaluation
     * @throws IllegalArgumentException if the folder holds no model, or a set is unknown
     */
    public static RunEvaluation of(
            Path modelDirectory,
            String dataset,
            List<String> oodSets,
            int oodCount,
            String detector) {
        String name = Detectors.checkName(detector);
        ModelInfo info = ModelInfo.read(modelDirectory);
        String data = dataset == null ? info.dataset() : dataset;
        if (oodSets != null) {
            Datasets.checkOodSets(data, oodSets);
        }
        ImageSet[] splits = Datasets.inDistribution(data);
        ImageSet test = splits[1];
        Map<String, ImageSet> ood =
                Experiment.loadOodSets(
                        oodSets == null ? Datasets.defaultOodSets(data) : oodSets,
                        oodCount,
                        new Shape(test.channels(), test.height(), test.width()));
        try (ModelInfo.Loaded loaded = ModelInfo.load(modelDirectory)) {
            ImageSet train =
                    info.subset() > 0 && info.subset() < splits[0].size()
                            ? splits[0].sample(info.subset(), info.seed())
                            : splits[0];
            OodEvaluation evaluation =
                    OodEvaluation.of(loaded.network(), splits[1], ood, name, () -> train);
            Map<String, Object> extra = Experiment.describe(info, splits[1].size(), ood);
            extra.put("model_directory", modelDirectory.toString());
            if (dataset != null) {
                extra.put("tested_on", dataset);
            }
            return new RunEvaluation(info, evaluation, evaluation.toResult(info, extra));
        }
    }

    /**
     * Scores a loaded model (a model folder or a TorchScript file, {@link BenchmarkModel}). For a
     * TorchScript file the record's {@code model} is the file name, {@code method} {@value
     * #EXTERNAL}, seed and epochs 0: oodlab did not train it.
     *
     * @param model the loaded model and its data
     * @param oodSets OOD set names or paths, or {@code null} for the data set's default
     * @param oodCount images per generated OOD set, cap for the others
     * @param detector one of {@link Detectors#NAMES}
     * @return the evaluation
     */
    public static RunEvaluation of(
            BenchmarkModel model, List<String> oodSets, int oodCount, String detector) {
        String name = Detectors.checkName(detector);
        String data = model.dataset();
        if (oodSets != null) {
            Datasets.checkOodSets(data, oodSets);
        }
        Map<String, ImageSet> ood =
                Experiment.loadOodSets(
                        oodSets == null ? Datasets.defaultOodSets(data) : oodSets,
                        oodCount,
                        model.imageShape());
        ModelInfo info =
                model.info() != null
                        ? model.info()
                        : new ModelInfo(
                                model.source().getFileName().toString(),
                                model.imageShape().getShape(),
                                model.network().numClasses(),
                                data,
                                EXTERNAL,
                                0,
                                0,
                                OodEvaluation.BATCH_SIZE,
                                0,
                                Map.of(),
                                null);
        OodEvaluation evaluation =
                OodEvaluation.of(model.network(), model.test(), ood, name, model::train);
        Map<String, Object> extra = Experiment.describe(info, model.test().size(), ood);
        extra.put(
                model.info() != null ? "model_directory" : "model_file", model.source().toString());
        if (model.info() != null && !data.equals(model.info().dataset())) {
            extra.put("tested_on", data);
        }
        return new RunEvaluation(info, evaluation, evaluation.toResult(info, extra));
    }

    /** The {@code method} of a TorchScript model's record: trained outside oodlab. */
    public static final String EXTERNAL = "external";

    /**
     * Writes {@code results.json}, {@code results.csv} and the charts into a folder, all at once.
     *
     * @param out the folder
     * @throws IOException if it cannot be written
     */
    public void write(Path out) throws IOException {
        RunFiles.write(out, null, info, result, evaluation);
    }
}
