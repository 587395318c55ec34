package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import dev.oodlab.nn.SavedModel;
import dev.oodlab.smoothing.BaseClassifier;
import dev.oodlab.smoothing.CertificationLog;
import dev.oodlab.smoothing.CertificationResults;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CertifyCommandTest {

    @TempDir Path dir;

    /** Always class 2 of 3. */
    private static final BaseClassifier ALWAYS_TWO =
            images ->
                    images.getManager()
                            .zeros(new Shape(images.getShape().get(0), 3))
                            .add(images.getManager().create(new float[] {0, 0, 1}));

    /** Four 1×2×2 images; the first three are labelled 2, the last 0. */
    private static final ImageSet FOUR =
            new ImageSet("four", new float[16], new int[] {2, 2, 2, 0}, 3, 1, 2, 2);

    private static Object[] run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Object[] {code, out.toString(), err.toString()};
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\": ([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void printsTheSummaryAsOneJsonObject() {
        CommandLine cli = new CommandLine(new CertifyCommand((d, m) -> ALWAYS_TWO, d -> FOUR));
        Path out = dir.resolve("log.tsv");
        Object[] r =
                run(
                        cli,
                        "--model",
                        dir.toString(),
                        "--sigma",
                        "0.25",
                        "--n",
                        "100",
                        "--n0",
                        "10",
                        "--count",
                        "3",
                        "--batch",
                        "40",
                        "--out",
                        out.toString());
        assertEquals(0, r[0], (String) r[2]);
        String json = ((String) r[1]).strip();
        assertTrue(json.startsWith("{") && json.endsWith("}") && json.lines().count() == 1, json);
        // every copy agrees: R = σ·Φ⁻¹(α^(1/n)) = 0.25·Φ⁻¹(0.001^0.01) ≈ 0.375 on each point
        double radius =
                0.25
                        * new NormalDistribution(0, 1)
                                .inverseCumulativeProbability(Math.pow(0.001, 0.01));
        assertEquals(radius, number(json, "acr"), 1e-9);
        assertEquals(1.0, number(json, "0.0"));
        assertEquals(1.0, number(json, "0.25"));
        assertEquals(0.0, number(json, "0.5"));
        assertEquals(0.0, number(json, "2.0"));
        assertEquals(0.0, number(json, "abstain_rate"));
        assertEquals(100, number(json, "n"));
        assertEquals(3, number(json, "count"));
        CertificationResults log = CertificationLog.read(out);
        assertEquals(3, log.size());
        assertEquals(radius, log.acr(), 1e-9);
    }

    @Test
    void theSummaryHasTheKeysAndDefaultsOfTheIssue() {
        // issue #7: keys acr, certified_accuracy (radius as a string like "0.25" -> accuracy),
        // abstain_rate, n, count; defaults --n0 100 --n 1000 --alpha 0.001
        CommandLine cli = new CommandLine(new CertifyCommand((d, m) -> ALWAYS_TWO, d -> FOUR));
        Object[] r = run(cli, "--model", dir.toString(), "--sigma", "0.25");
        assertEquals(0, r[0], (String) r[2]);
        JsonObject json = JsonParser.parseString((String) r[1]).getAsJsonObject();
        assertEquals(
                Set.of(
                        "acr",
                        "certified_accuracy",
                        "abstain_rate",
                        "n",
                        "count",
                        "sigma",
                        "n0",
                        "alpha",
                        "seconds"),
                json.keySet());
        assertEquals(100, json.get("n0").getAsInt());
        assertEquals(1000, json.get("n").getAsInt());
        assertEquals(0.001, json.get("alpha").getAsDouble());
        assertEquals(4, json.get("count").getAsInt(), "all four images (fewer than 500)");
        assertEquals(0.0, json.get("abstain_rate").getAsDouble());
        // every copy says 2: n_A = n, p = alpha^(1/n), R = sigma * PhiInv(p) on the three images
        // labelled 2, the fourth (labelled 0) wrong
        double radius =
                0.25
                        * new NormalDistribution(0, 1)
                                .inverseCumulativeProbability(Math.pow(0.001, 1.0 / 1000));
        assertEquals(0.75 * radius, json.get("acr").getAsDouble(), 1e-9);
        JsonObject accuracy = json.getAsJsonObject("certified_accuracy");
        List<String> radii =
                List.of("0.0", "0.25", "0.5", "0.75", "1.0", "1.25", "1.5", "1.75", "2.0");
        assertEquals(radii, List.copyOf(accuracy.keySet()));
        for (String key : radii) {
            double expected = Double.parseDouble(key) <= radius ? 0.75 : 0.0;
            assertEquals(expected, accuracy.get(key).getAsDouble(), key);
        }
    }

    /**
     * Class 2 when the first pixel is below 0.32, else class 0: on a black image under N(0, 0.25²)
     * noise the top class has probability Φ(1.28) ≈ 0.9, so n_A, and the radius, depend on the
     * draws.
     */
    private static final BaseClassifier FIRST_PIXEL =
            images -> {
                long b = images.getShape().get(0);
                NDArray below =
                        images.reshape(b, -1)
                                .get(new NDIndex(":, 0"))
                                .lt(0.32f)
                                .toType(DataType.FLOAT32, false)
                                .reshape(b, 1);
                return below.neg().add(1f).concat(below.zerosLike(), 1).concat(below, 1);
            };

    private List<String> radii(String... seed) {
        Path log = dir.resolve("log-" + String.join("", seed) + ".tsv");
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--model",
                                dir.toString(),
                                "--sigma",
                                "0.25",
                                "--n0",
                                "10",
                                "--out",
                                log.toString()));
        args.addAll(List.of(seed));
        CommandLine cli = new CommandLine(new CertifyCommand((d, m) -> FIRST_PIXEL, d -> FOUR));
        Object[] r = run(cli, args.toArray(String[]::new));
        assertEquals(0, r[0], (String) r[2]);
        return CertificationLog.read(log).points().stream()
                .map(c -> c.prediction() + " " + c.radius())
                .toList();
    }

    @Test
    void theSeedPicksTheNoiseAndDefaultsTo42() {
        List<String> seven = radii("--seed", "7");
        assertEquals(seven, radii("--seed", "7"), "the same seed certifies the same radii");
        assertNotEquals(seven, radii("--seed", "8"), "another seed, other draws");
        assertEquals(radii("--seed", "42"), radii(), "the default seed is 42");
    }

    /**
     * Saves an MLP for 1×2×2 images whose weights are all zero and whose last bias is (0, 0, 5): it
     * answers class 2 for every input, which only holds if the parameters were really loaded.
     */
    private Path constantModel(double sigma) {
        Path folder = dir.resolve("model");
        try (Network net = Network.create("mlp", new Shape(1, 2, 2), 3, 1)) {
            for (Pair<String, Parameter> p : net.block().getParameters()) {
                p.getValue().getArray().muli(0);
            }
            PairList<String, Parameter> parameters = net.block().getParameters();
            Parameter headBias = parameters.get(parameters.size() - 1).getValue();
            assertEquals(new Shape(3), headBias.getArray().getShape(), "the head's bias");
            headBias.getArray().set(new NDIndex("2"), 5f);
            SavedModel.describe(net, "gaussian", sigma, "mnist", 42, 42, 1, "constant")
                    .save(net, folder);
        }
        return folder;
    }

    @Test
    void certifiesASavedModelFolder() {
        Path folder = constantModel(0.25);
        CommandLine cli =
                new CommandLine(new CertifyCommand(CertifyCommand.SAVED_MODEL, d -> FOUR));
        Object[] r =
                run(cli, "--model", folder.toString(), "--n", "100", "--n0", "10", "--count", "4");
        assertEquals(0, r[0], (String) r[2]);
        String json = ((String) r[1]).strip();
        // σ from model.json; three of four points are labelled 2, each certified at σ·Φ⁻¹(α^(1/n))
        double radius =
                0.25
                        * new NormalDistribution(0, 1)
                                .inverseCumulativeProbability(Math.pow(0.001, 0.01));
        assertEquals(0.25, number(json, "sigma"));
        assertEquals(0.75 * radius, number(json, "acr"), 1e-9);
        assertEquals(0.75, number(json, "0.25"));
        assertEquals(4, number(json, "count"));
    }

    @Test
    void theSigmaOptionOverridesTheModels() {
        Path folder = constantModel(0.25);
        CommandLine cli =
                new CommandLine(new CertifyCommand(CertifyCommand.SAVED_MODEL, d -> FOUR));
        Object[] r =
                run(
                        cli,
                        "--model",
                        folder.toString(),
                        "--sigma",
                        "0.5",
                        "--n",
                        "100",
                        "--n0",
                        "10");
        assertEquals(0, r[0], (String) r[2]);
        double radius =
                0.5
                        * new NormalDistribution(0, 1)
                                .inverseCumulativeProbability(Math.pow(0.001, 0.01));
        assertEquals(0.75 * radius, number(((String) r[1]), "acr"), 1e-9);
    }

    @Test
    void withoutSigmaAnywhereItIsAUsageError() {
        Path folder = constantModel(Double.NaN);
        Object[] r = DataCommandTest.run("certify", "--model", folder.toString());
        assertEquals(Main.EXIT_USAGE, r[0]);
        assertTrue(((String) r[2]).startsWith("oodlab: --sigma is required"), "" + r[2]);
    }

    @Test
    void aFolderWithoutAModelIsNamed() {
        Object[] r = DataCommandTest.run("certify", "--model", dir.toString(), "--sigma", "0.25");
        assertEquals(Main.EXIT_FAILURE, r[0]);
        assertEquals(
                "oodlab: " + dir + " is not a model folder: it has no model.json",
                ((String) r[2]).lines().findFirst().orElse(""));
    }

    @Test
    void badSigmaIsAUsageError() {
        Object[] r = DataCommandTest.run("certify", "--model", dir.toString(), "--sigma", "-1");
        assertEquals(Main.EXIT_USAGE, r[0]);
        assertTrue(((String) r[2]).startsWith("oodlab: --sigma must be positive"), "" + r[2]);
    }

    @Test
    void missingModelFolderIsNamed() {
        Object[] r =
                DataCommandTest.run(
                        "certify", "--model", dir.resolve("nope").toString(), "--sigma", "0.5");
        assertEquals(Main.EXIT_FAILURE, r[0]);
        assertTrue(((String) r[2]).contains("--model: no such folder"), "" + r[2]);
    }
}
