package dev.oodlab.fooling;

import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import dev.oodlab.notebook.StatusLine;
import dev.oodlab.viz.ChartOptions;
import dev.oodlab.viz.Figure;
import dev.oodlab.viz.LineChart;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Evolves fooling images against a classifier: images unrecognisable to people that the model
 * labels with high confidence (Nguyen, Yosinski &amp; Clune, "Deep Neural Networks are Easily
 * Fooled", CVPR 2015).
 *
 * <p>The search is MAP-Elites with one cell per class ({@link EliteArchive}): the fitness of an
 * image for class c is the model's probability p_c. Generation 0 is {@code offspring} random
 * genomes; every later generation makes {@code offspring} children, each from a parent picked
 * uniformly among the current elites, crossed (where the encoding allows) with a second random
 * elite with probability ½, then mutated. Each child is offered to every cell. Encodings: {@link
 * DirectGenome} (one gene per pixel) and {@link CppnGenome} (a pattern-producing network).
 *
 * <pre>{@code
 * FoolingSearch.Result<DirectGenome> r = FoolingSearch.direct(model, 10, 28, 28)
 *     .generations(50).seed(1).run();
 * }</pre>
 *
 * @param <G> the genome type
 */
public final class FoolingSearch<G extends Genome<G>> {

    /** Default number of children per generation (as in the paper's runs, about 200). */
    public static final int DEFAULT_OFFSPRING = 200;

    private final ProbabilityModel model;
    private final int numClasses;
    private final Function<SplittableRandom, G> randomGenome;
    private int offspring = DEFAULT_OFFSPRING;
    private int generations = 50;
    private long seed = OodLab.DEFAULT_SEED;
    private boolean progress;

    private FoolingSearch(
            ProbabilityModel model, int numClasses, Function<SplittableRandom, G> randomGenome) {
        this.model = Objects.requireNonNull(model, "model");
        if (numClasses <= 0) {
            throw new IllegalArgumentException("number of classes must be > 0, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.randomGenome = randomGenome;
    }

    /** A search with the direct (pixel) encoding for grey images of height × width. */
    public static FoolingSearch<DirectGenome> direct(
            ProbabilityModel model, int numClasses, int height, int width) {
        return new FoolingSearch<>(model, numClasses, r -> DirectGenome.random(height * width, r));
    }

    /** A search with the CPPN encoding for grey images of height × width. */
    public static FoolingSearch<CppnGenome> cppn(
            ProbabilityModel model, int numClasses, int height, int width) {
        return new FoolingSearch<>(model, numClasses, r -> CppnGenome.random(height, width, r));
    }

    /** Children per generation (default 200). */
    public FoolingSearch<G> offspring(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("offspring must be > 0, got " + n);
        }
        this.offspring = n;
        return this;
    }

    /** Generations after the random first one (default 50). */
    public FoolingSearch<G> generations(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("generations must be >= 0, got " + n);
        }
        this.generations = n;
        return this;
    }

    /** The seed of every random choice; the same seed (and model) gives the same images. */
    public FoolingSearch<G> seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Show progress at every tenth of the run — generation, classes at ≥ 99 %, mean best fitness —
     * as one line that is rewritten in place ({@link StatusLine}: one updated output in a notebook,
     * a carriage-return line elsewhere). The whole curve is in {@link Result#history()}.
     */
    public FoolingSearch<G> progress(boolean on) {
        this.progress = on;
        return this;
    }

    /**
     * The outcome: the final archive and the best fitness of each class after every generation
     * ({@code history[g][c]}; generation 0 is the random population).
     *
     * @param archive the elites
     * @param history best probability per class after each generation
     */
    public record Result<G extends Genome<G>>(EliteArchive<G> archive, double[][] history) {

        /** Number of classes whose elite has probability ≥ {@code threshold}. */
        public int classesAtLeast(double threshold) {
            int n = 0;
            for (double f : archive.fitness()) {
                if (f >= threshold) {
                    n++;
                }
            }
            return n;
        }

        /**
         * Per class, the first generation after which its best probability is ≥ {@code threshold}
         * (0 is the random population), or −1 if no generation reached it.
         *
         * @param threshold the probability, e.g. 0.99
         * @return one generation per class
         */
        public int[] firstGenerationAtLeast(double threshold) {
            int classes = archive.size();
            int[] first = new int[classes];
            java.util.Arrays.fill(first, -1);
            for (int g = history.length - 1; g >= 0; g--) {
                for (int c = 0; c < classes; c++) {
                    if (history[g][c] >= threshold) {
                        first[c] = g; // the history never falls, so the last hit going back
                    }
                }
            }
            return first;
        }

        /**
         * The best probability of each class per generation, on a log(1 − p) axis ({@link
         * LineChart#logOneMinusY}): 0.9, 0.99, 0.999, … equally spaced, so that the last nines of a
         * search stay visible.
         *
         * @param classNames one name per class (the legend)
         * @param title the chart's title
         * @return the chart
         * @throws IllegalArgumentException if the names do not match the classes
         */
        public Figure curves(List<String> classNames, String title) {
            int classes = archive.size();
            if (classNames.size() != classes) {
                throw new IllegalArgumentException(
                        classNames.size() + " class names for " + classes + " classes");
            }
            double[] generations = new double[history.length];
            for (int g = 0; g < history.length; g++) {
                generations[g] = g;
            }
            List<LineChart.Series> series = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                double[] best = new double[history.length];
                for (int g = 0; g < history.length; g++) {
                    best[g] = history[g][c];
                }
                series.add(new LineChart.Series(classNames.get(c), generations, best));
            }
            return LineChart.logOneMinusY(
                    series,
                    ChartOptions.defaults()
                            .withTitle(title)
                            .withLabels(
                                    "generation",
                                    "best confidence for the class (log scale of 1 − p)"));
        }

        /** The elites' images as an unlabelled set of 1 × height × width images, by class. */
        public ImageSet images(int height, int width) {
            float[] pixels = new float[archive.size() * height * width];
            for (int c = 0; c < archive.size(); c++) {
                EliteArchive.Elite<G> e = archive.elite(c);
                if (e != null) {
                    System.arraycopy(e.image(), 0, pixels, c * height * width, height * width);
                }
            }
            return new ImageSet("fooling images", pixels, null, 0, 1, height, width);
        }
    }

    /** Runs the search. */
    public Result<G> run() {
        try (StatusLine status = progress ? StatusLine.open() : null) {
            return run(status);
        }
    }

    private Result<G> run(StatusLine status) {
        SplittableRandom random = new SplittableRandom(seed);
        EliteArchive<G> archive = new EliteArchive<>(numClasses);
        double[][] history = new double[generations + 1][];
        List<G> batch = new ArrayList<>(offspring);
        for (int i = 0; i < offspring; i++) {
            batch.add(randomGenome.apply(random));
        }
        evaluate(batch, archive);
        history[0] = archive.fitness();
        report(0, archive, status);
        for (int g = 1; g <= generations; g++) {
            List<EliteArchive.Elite<G>> elites = archive.elites();
            batch.clear();
            for (int i = 0; i < offspring; i++) {
                G parent = elites.get(random.nextInt(elites.size())).genome();
                if (random.nextDouble() < 0.5) {
                    G mate = elites.get(random.nextInt(elites.size())).genome();
                    parent = parent.crossover(mate, random);
                }
                batch.add(parent.mutate(random));
            }
            evaluate(batch, archive);
            history[g] = archive.fitness();
            report(g, archive, status);
        }
        return new Result<>(archive, history);
    }

    private void evaluate(List<G> batch, EliteArchive<G> archive) {
        float[][] images = new float[batch.size()][];
        for (int i = 0; i < images.length; i++) {
            images[i] = batch.get(i).render();
        }
        float[][] p = model.probabilities(images);
        if (p.length != images.length) {
            throw new IllegalStateException(
                    "the model returned " + p.length + " rows for " + images.length + " images");
        }
        for (int i = 0; i < images.length; i++) {
            archive.offer(batch.get(i), images[i], p[i]);
        }
    }

    private void report(int generation, EliteArchive<G> archive, StatusLine status) {
        int step = Math.max(1, generations / 10);
        if (status == null || (generation % step != 0 && generation != generations)) {
            return;
        }
        double[] f = archive.fitness();
        int high = 0;
        double mean = 0;
        for (double v : f) {
            high += v >= 0.99 ? 1 : 0;
            mean += v;
        }
        status.show(
                String.format(
                        Locale.ROOT,
                        "generation %d/%d  classes >= 99%%: %d/%d  mean best confidence %.4f",
                        generation,
                        generations,
                        high,
                        f.length,
                        mean / f.length));
    }
}
