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
     * Writes {@code results.json}, {@code results.csv} and the charts into a folder, all at once.
     *
     * @param out the folder
     * @throws IOException if it cannot be written
     */
    public void write(Path out) throws IOException {
        RunFiles.write(out, null, info, result, evaluation);
    }
}
