package dev.oodlab.cli;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.oodlab.toy.Toy2dStudy;
import dev.oodlab.train.MixupConfidenceLoss;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oodlab toy2d --method ce|confidence-loss|mixup-confidence|joint --seed S [--mixup-form
 * additive|replacing] [--out DIR]}: one run of the 2-D toy study ({@link Toy2dStudy}), printed as
 * one JSON object with the keys {@code method}, {@code seed}, {@code threshold}, {@code
 * f1_in_positive}, {@code f1_out_positive} (and {@code mixup_form} for {@code mixup-confidence}).
 *
 * <p>With {@code --out DIR} the max-softmax map is written to {@code
 * DIR/toy2d-<method>-seed<S>.png} (through a temporary file renamed into place). An unknown method,
 * an invalid number, a {@code --mixup-form} for another method or an {@code --out} that is a file
 * is a usage error (exit code 2, one line).
 */
@Command(
        name = "toy2d",
        mixinStandardHelpOptions = true,
        description = {
            "The 2-D toy study (two discs, Kim & Chung): train one method, print F1 as JSON.",
            "\"In\" is predicted where max-softmax > 0.8; F1 with in-distribution positive and with"
                    + " OOD positive on 2000 points uniform in [-10, 10]^2."
        })
public final class Toy2dCommand implements Callable<Integer> {

    @Option(
            names = "--method",
            required = true,
            paramLabel = "METHOD",
            description = "ce, confidence-loss, mixup-confidence or joint")
    String method;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "42",
            description = "seed of the data, the initialisation and the shuffles (default 42)")
    long seed;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "write the max-softmax map as DIR/toy2d-METHOD-seedS.png")
    Path out;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "training epochs (default 100; 150 for joint)")
    Integer epochs;

    @Option(
            names = "--mixup-form",
            paramLabel = "FORM",
            description =
                    "mixup-confidence: additive (default; clean plus mixed terms, Kim & Chung) or"
                            + " replacing (the mixed terms alone)")
    String mixupForm;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Trains, evaluates, prints the JSON line and writes the map. */
    @Override
    public Integer call() {
        String key = method.toLowerCase(Locale.ROOT);
        if (!Toy2dStudy.METHODS.contains(key)) {
            throw usage(
                    "unknown method '"
                            + method
                            + "' for --method; known: "
                            + String.join(", ", Toy2dStudy.METHODS));
        }
        if (epochs != null && epochs < 1) {
            throw usage("--epochs must be >= 1, got " + epochs);
        }
        if (out != null) {
            OutputPath.folder(spec, "--out", out);
        }
        Toy2dStudy.Builder builder = Toy2dStudy.builder().setMethod(key).optSeed(seed);
        if (epochs != null) {
            builder.optEpochs(epochs);
        }
        MixupConfidenceLoss.Form form = null;
        if (mixupForm != null) {
            form = mixupForm(key);
            builder.optMixupForm(form);
        } else if (key.equals("mixup-confidence")) {
            form = MixupConfidenceLoss.builder().build().form();
        }
        Toy2dStudy.Result result = builder.build().run();
        if (out != null) {
            Path png = out.resolve("toy2d-" + key + "-seed" + seed + ".png");
            try {
                result.decisionMap().savePng(png);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
            }
        }
        JsonObject json = new JsonObject();
        json.addProperty("method", key);
        json.addProperty("seed", seed);
        json.addProperty("threshold", result.threshold());
        json.addProperty("f1_in_positive", result.f1InPositive());
        json.addProperty("f1_out_positive", result.f1OutPositive());
        if (form != null) {
            json.addProperty("mixup_form", form.key());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(new Gson().toJson(json));
        stdout.flush();
        return 0;
    }

    private MixupConfidenceLoss.Form mixupForm(String key) {
        if (!key.equals("mixup-confidence")) {
            throw usage("--mixup-form applies to mixup-confidence only, not to " + key);
        }
        for (MixupConfidenceLoss.Form f : MixupConfidenceLoss.Form.values()) {
            if (f.key().equals(mixupForm.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw usage("--mixup-form must be additive or replacing, got '" + mixupForm + "'");
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
