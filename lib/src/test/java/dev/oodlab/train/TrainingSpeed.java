package dev.oodlab.train;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import java.util.List;
import java.util.Random;

/**
 * Not a test: a throughput probe for the training loop (timings vary ±20 % run to run on a small
 * VM, so they are printed, never asserted).
 *
 * <pre>
 *   mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -pl lib
 *   java -cp lib/target/classes:lib/target/test-classes:$(cat lib/target/cp.txt) \
 *       dev.oodlab.train.TrainingSpeed mlp ce [images] [epochs] [freeze=true|false]
 * </pre>
 *
 * Random 28×28 images, batch 128, Adam 1e−3, no training-accuracy pass; every epoch's img/s and the
 * process's resident memory after it are printed (the first epoch includes warm-up).
 */
public final class TrainingSpeed {

    private TrainingSpeed() {}

    /** Runs the probe; see the class comment for the arguments. */
    public static void main(String[] args) {
        OodLab.init();
        String model = args.length > 0 ? args[0] : "mlp";
        String method = args.length > 1 ? args[1] : "ce";
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 38_400;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        boolean freeze = args.length <= 4 || Boolean.parseBoolean(args[4]);
        Random r = new Random(1);
        float[] px = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        ImageSet train = new ImageSet("random", px, labels, 10, 1, 28, 28);
        try (Network net = Network.create(model, new Shape(1, 28, 28), 10, 1)) {
            net.setFreezeForInputGradients(freeze);
            Fit fit =
                    Fit.builder()
                            .setMethod(TrainingMethods.create(method))
                            .optEpochs(epochs)
                            .optBatchSize(128)
                            .optTrainingAccuracy(false)
                            .optProgress(ProgressBar.Mode.OFF)
                            .optEpochListener(
                                    e ->
                                            System.out.printf(
                                                    "%s/%s freeze=%s epoch %d: %.0f img/s, loss"
                                                            + " %.4f, rss %d MB%n",
                                                    model,
                                                    method,
                                                    freeze,
                                                    e.epoch() + 1,
                                                    e.imagesPerSecond(),
                                                    e.loss(),
                                                    rssMb()))
                            .build();
            List<EpochResult> history = fit.run(net, train);
            double best =
                    history.stream()
                            .skip(1)
                            .mapToDouble(EpochResult::imagesPerSecond)
                            .max()
                            .orElse(history.get(0).imagesPerSecond());
            System.out.printf("%s/%s best after warm-up: %.0f img/s%n", model, method, best);
        }
    }

    private static long rssMb() {
        try {
            for (String line :
                    java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
