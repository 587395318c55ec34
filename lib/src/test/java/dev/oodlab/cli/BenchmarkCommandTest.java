package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.data.DataFormatException;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.experiment.Detectors;
import dev.oodlab.experiment.TinyData;
import dev.oodlab.metrics.Metrics;
import dev.oodlab.nn.Network;
import dev.oodlab.nn.TorchScriptModel;
import dev.oodlab.train.Evaluation;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oodlab benchmark} and {@code oodlab evaluate} on TorchScript models written by PyTorch
 * ({@code reference/torchscript_models.py}), on a tiny IDX data set: results.json against metrics
 * computed here from the detectors' scores through {@link Metrics}, the files, the skipped
 * detectors of a model without features, and the bad inputs (one line, non-zero exit, nothing
 * written).
 */
class BenchmarkCommandTest {

    private static final Set<String> ROW_KEYS =
            new TreeSet<>(
                    List.of(
                            "detector",
                            "ood",
                            "group",
                            "auroc",
                            "aupr_in",
                            "aupr_out",
                            "fpr_at_95_tpr",
                            "fpr_at_95_tpr_ood_positive",
                            "detection_error"));

    @TempDir Path dir;

    private Path data;
    private Path near;

    @BeforeEach
    void writeData() throws IOException {
        data = TinyData.write(dir.resolve("tiny"), 120, 40);
        near = TinyData.writeNoiseImages(dir.resolve("near-idx3-ubyte.gz"), 25, 7);
    }

    static Path model(String name) {
        try {
            return Path.of(
                    BenchmarkCommandTest.class
                            .getResource("/reference/torchscript/" + name)
                            .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> args(Path model, Path out, String detectors) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "benchmark",
                                "--model",
                                model.toString(),
                                "--dataset",
                                data.toString(),
                                "--detectors",
                                detectors,
                                "--ood",
                                "near:" + near,
                                "far:uniform,gaussian",
                                "--ood-count",
                                "30",
                                "--quiet"));
        if (out != null) {
            a.addAll(List.of("--out", out.toString()));
        }
        return a;
    }

    @Test
    void resultsJsonHoldsTheMetricsOfTheDetectorsScores() throws IOException {
        Path out = dir.resolve("bench");
        List<String> detectors = List.of("msp", "energy", "knn", "vim");
        CliRun r =
                CliRun.of(
                        args(model("tiny-features.pt"), out, String.join(",", detectors))
                                .toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(
                Set.of("results.json", "table.csv", "table.md", "table.html"),
                Set.of(out.toFile().list()));
        assertTrue(r.out().contains("mean near"), r.out());
        JsonObject json =
                JsonParser.parseString(Files.readString(out.resolve("results.json")))
                        .getAsJsonObject();
        ImageSet[] splits = Datasets.inDistribution(data.toString());
        Map<String, ImageSet> ood = new LinkedHashMap<>();
        ood.put("near-idx3-ubyte", Datasets.outOfDistribution(near.toString(), 30, 42));
        ood.put("uniform", Datasets.outOfDistribution("uniform", 30, 42));
        ood.put("gaussian", Datasets.outOfDistribution("gaussian", 30, 42));
        try (Network network =
                TorchScriptModel.load(model("tiny-features.pt"), new Shape(1, 28, 28))) {
            assertEquals(
                    Evaluation.of(network, splits[1], 256).accuracy(),
                    json.get("accuracy").getAsDouble(),
                    1e-12);
            JsonArray rows = json.getAsJsonArray("rows");
            assertEquals(detectors.size() * 3, rows.size());
            int i = 0;
            for (String d : detectors) {
                OodScorer scorer = Detectors.create(d, network, () -> splits[0], 256);
                double[] in = scorer.scores(network, splits[1], 256);
                double[][] groupSum = new double[2][6];
                for (Map.Entry<String, ImageSet> e : ood.entrySet()) {
                    JsonObject row = rows.get(i++).getAsJsonObject();
                    assertEquals(ROW_KEYS, new TreeSet<>(row.keySet()));
                    assertEquals(d, row.get("detector").getAsString());
                    assertEquals(e.getKey(), row.get("ood").getAsString());
                    String group = e.getKey().startsWith("near") ? "near" : "far";
                    assertEquals(group, row.get("group").getAsString());
                    Metrics m = Metrics.of(in, scorer.scores(network, e.getValue(), 256));
                    double[] expected = {
                        m.auroc(),
                        m.auprIn(),
                        m.auprOut(),
                        m.fprAt95Tpr(),
                        m.fprAt95TprOodPositive(),
                        m.detectionError()
                    };
                    String[] keys = {
                        "auroc",
                        "aupr_in",
                        "aupr_out",
                        "fpr_at_95_tpr",
                        "fpr_at_95_tpr_ood_positive",
                        "detection_error"
                    };
                    for (int k = 0; k < keys.length; k++) {
                        assertEquals(
                                expected[k],
                                row.get(keys[k]).getAsDouble(),
                                1e-12,
                                d + " " + e.getKey() + " " + keys[k]);
                        groupSum[group.equals("near") ? 0 : 1][k] += expected[k];
                    }
                }
                // the group means: near has one set, far two
                for (JsonElement g : json.getAsJsonArray("group_means")) {
                    JsonObject o = g.getAsJsonObject();
                    if (!o.get("detector").getAsString().equals(d)) {
                        continue;
                    }
                    boolean isNear = o.get("group").getAsString().equals("near");
                    assertEquals(
                            groupSum[isNear ? 0 : 1][0] / (isNear ? 1 : 2),
                            o.get("auroc").getAsDouble(),
                            1e-12);
                }
            }
        }
        JsonObject settings = json.getAsJsonObject("settings");
        assertEquals(data.toString(), settings.get("dataset").getAsString());
        assertEquals(30, settings.get("ood_count").getAsInt());
        assertEquals(120, settings.get("fit_images").getAsInt());
        assertEquals(42, settings.getAsJsonArray("seeds").get(0).getAsLong());
        assertEquals("torchscript", settings.get("model_format").getAsString());
        assertEquals(
                List.of("uniform", "gaussian"),
                settings.getAsJsonObject("ood").getAsJsonArray("far").asList().stream()
                        .map(JsonElement::getAsString)
                        .toList());
        String csv = Files.readString(out.resolve("table.csv"));
        assertTrue(csv.startsWith("detector,OOD set,group,FPR@95TPR,AUROC"), csv);
    }

    @Test
    void severalSeedsAverageTheirGeneratedSets() throws IOException {
        Path out = dir.resolve("seeds");
        List<String> a = args(model("tiny-features.pt"), out, "energy");
        a.addAll(List.of("--seeds", "1,2"));
        CliRun r = CliRun.of(a.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json =
                JsonParser.parseString(Files.readString(out.resolve("results.json")))
                        .getAsJsonObject();
        ImageSet[] splits = Datasets.inDistribution(data.toString());
        try (Network network =
                TorchScriptModel.load(model("tiny-features.pt"), new Shape(1, 28, 28))) {
            OodScorer energy = Detectors.create("energy", network, () -> splits[0], 256);
            double[] in = energy.scores(network, splits[1], 256);
            double mean = 0;
            for (long seed : new long[] {1, 2}) {
                mean +=
                        Metrics.of(
                                                in,
                                                energy.scores(
                                                        network,
                                                        Datasets.outOfDistribution(
                                                                "uniform", 30, seed),
                                                        256))
                                        .auroc()
                                / 2;
            }
            JsonObject uniform = json.getAsJsonArray("rows").get(1).getAsJsonObject();
            assertEquals("uniform", uniform.get("ood").getAsString());
            assertEquals(mean, uniform.get("auroc").getAsDouble(), 1e-12);
        }
        String md = Files.readString(out.resolve("table.md"));
        assertTrue(md.contains("mean ± sd over seeds [1, 2]") && md.contains(" ± "), md);
    }

    @Test
    void aModelWithoutFeaturesSkipsTheFeatureDetectorsWithOneLine() throws IOException {
        Path out = dir.resolve("logits");
        CliRun r = CliRun.of(args(model("tiny-logits.pt"), out, "all").toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        List<String> skipped = r.err().lines().filter(l -> l.startsWith("skipped")).toList();
        assertEquals(1, skipped.size(), r.err());
        assertTrue(skipped.get(0).contains("returns only logits"), skipped.get(0));
        JsonObject json =
                JsonParser.parseString(Files.readString(out.resolve("results.json")))
                        .getAsJsonObject();
        Set<String> run = new TreeSet<>();
        json.getAsJsonArray("rows")
                .forEach(e -> run.add(e.getAsJsonObject().get("detector").getAsString()));
        assertEquals(new TreeSet<>(Detectors.OUTPUT_ONLY), run);
        assertEquals(
                Detectors.NAMES.size() - Detectors.OUTPUT_ONLY.size(),
                json.getAsJsonObject("skipped").size());
    }

    @Test
    void evaluateTakesATorchScriptFileAndSeveralDetectors() {
        CliRun one =
                CliRun.of(
                        "evaluate",
                        "--model",
                        model("tiny-features.pt").toString(),
                        "--dataset",
                        data.toString(),
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "20",
                        "--detector",
                        "knn");
        assertEquals(0, one.exitCode(), one.err());
        JsonObject json = JsonParser.parseString(one.out()).getAsJsonObject();
        assertEquals("external", json.get("method").getAsString());
        CliRun all =
                CliRun.of(
                        "evaluate",
                        "--model",
                        model("tiny-logits.pt").toString(),
                        "--dataset",
                        data.toString(),
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "20",
                        "--detector",
                        "all");
        assertEquals(0, all.exitCode(), all.err());
        assertEquals(
                Detectors.OUTPUT_ONLY.size(),
                JsonParser.parseString(all.out()).getAsJsonArray().size());
        assertTrue(all.err().contains("skipped mahalanobis"), all.err());
    }

    @Test
    void badInputsAreOneLineAndWriteNothing() throws Exception {
        Path out = dir.resolve("never");
        Path notTorchScript = Files.writeString(dir.resolve("model.pt"), "not a model\n");
        Path small = smallImages(dir.resolve("small"));
        List<Object[]> cases = new ArrayList<>();
        cases.add(
                new Object[] {
                    args(notTorchScript, out, "msp"),
                    1,
                    "" + notTorchScript + " is not a TorchScript module"
                });
        cases.add(
                new Object[] {
                    args(model("tiny-wrong-shape.pt"), out, "msp"),
                    1,
                    "the TorchScript model tiny-wrong-shape.pt returns a tensor of shape (8)"
                });
        List<String> mismatched = args(model("tiny-logits.pt"), out, "msp");
        mismatched.set(mismatched.indexOf(data.toString()), small.toString());
        mismatched.set(mismatched.indexOf("near:" + near), "far:uniform");
        mismatched.remove("far:uniform,gaussian");
        cases.add(
                new Object[] {
                    mismatched,
                    1,
                    "the TorchScript model tiny-logits.pt does not take a batch of shape (8, 1, 14, 14)"
                });
        cases.add(
                new Object[] {
                    args(model("tiny-features.pt"), out, "msp,nope"), 2, "unknown detector 'nope'"
                });
        cases.add(
                new Object[] {
                    args(model("tiny-logits.pt"), out, "msp,knn"),
                    1,
                    "detector knn needs penultimate features, but the TorchScript model tiny-logits.pt returns only logits"
                });
        List<String> noData = args(model("tiny-logits.pt"), out, "msp");
        int at = noData.indexOf("--dataset");
        noData.remove(at);
        noData.remove(at);
        cases.add(
                new Object[] {
                    noData, 1, "--model " + model("tiny-logits.pt") + " is a TorchScript file"
                });
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            List<String> a = (List<String>) c[0];
            CliContract.assertFails(
                    dir,
                    a,
                    (Integer) c[1],
                    (String) c[2],
                    null,
                    () -> CliRun.of(a.toArray(String[]::new)));
            assertFalse(Files.exists(out), "" + a);
        }
    }

    @Test
    void aTorchScriptModelOnFashionMnistNeedsNoFurtherOptions() {
        // no input shape, normalisation or class count to give: the data set sets them
        assumeTrue(fashionMnistPresent(), "Fashion-MNIST not installed");
        CliRun b =
                CliRun.of(
                        "benchmark",
                        "--model",
                        model("tiny-features.pt").toString(),
                        "--dataset",
                        "fashion-mnist",
                        "--detectors",
                        "msp,energy",
                        "--ood-count",
                        "500",
                        "--quiet");
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(b.out().contains("mean near") && b.out().contains("mean far"), b.out());
    }

    private static boolean fashionMnistPresent() {
        try {
            Datasets.fashionMnistDirectory();
            return true;
        } catch (DataFormatException e) {
            return false;
        }
    }

    /** An IDX data set of 14×14 images: a shape the 28×28 models do not take. */
    private static Path smallImages(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String prefix : List.of("train", "t10k")) {
            int n = 20;
            try (DataOutputStream out =
                    new DataOutputStream(
                            new GZIPOutputStream(
                                    Files.newOutputStream(
                                            folder.resolve(prefix + "-images-idx3-ubyte.gz"))))) {
                out.writeInt(0x00000803);
                out.writeInt(n);
                out.writeInt(14);
                out.writeInt(14);
                out.write(new byte[n * 196]);
            }
            try (DataOutputStream out =
                    new DataOutputStream(
                            new GZIPOutputStream(
                                    Files.newOutputStream(
                                            folder.resolve(prefix + "-labels-idx1-ubyte.gz"))))) {
                out.writeInt(0x00000801);
                out.writeInt(n);
                byte[] labels = new byte[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = (byte) (i % 10);
                }
                out.write(labels);
            }
        }
        return folder;
    }
}
