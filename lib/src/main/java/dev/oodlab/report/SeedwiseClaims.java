package dev.oodlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A paper's claim "method A beats B and C" checked seed by seed on the tables of a study: for each
 * seed, whether A is strictly better than every reference on an OOD set and column, and the
 * per-seed paired differences behind it. "Better" is the column's direction ({@link
 * ResultsTable.ValueColumn#better()}: lower for FPR@95TPR, detection error and the OOD confidence,
 * higher for AUROC, the AUPRs and the test accuracy).
 *
 * <pre>{@code
 * SeedwiseClaims claims = SeedwiseClaims.of(perSeedTables);
 * claims.seedsBetterThanAll("Adversarial-Mixup", List.of("MSP (baseline)", "Mixup"), "mnist", "OOD confidence");
 * Notebook.table(claims.versus("Adversarial-Mixup", others, sets, OodMetric.AUROC.label()));
 * }</pre>
 *
 * <p>Entry i of the list is seed i's table (one value per method and OOD set); the same seed gives
 * every method the same data order and initialisation, which is what makes the differences paired.
 */
public final class SeedwiseClaims {

    private final List<ResultsTable> perSeed;

    private SeedwiseClaims(List<ResultsTable> perSeed) {
        this.perSeed = perSeed;
    }

    /**
     * The claims over a study's per-seed tables.
     *
     * @param perSeed one table per seed, none aggregated
     * @return the checker
     * @throws IllegalArgumentException if the list is empty or holds an aggregated table
     */
    public static SeedwiseClaims of(List<ResultsTable> perSeed) {
        Objects.requireNonNull(perSeed, "perSeed");
        if (perSeed.isEmpty()) {
            throw new IllegalArgumentException("no per-seed tables");
        }
        for (ResultsTable t : perSeed) {
            if (t.isAggregated()) {
                throw new IllegalArgumentException(
                        "per-seed tables expected, got an aggregated (mean ± sd) table");
            }
        }
        return new SeedwiseClaims(List.copyOf(perSeed));
    }

    /** The number of seeds. */
    public int seeds() {
        return perSeed.size();
    }

    /**
     * Whether higher values of a column are better.
     *
     * @param column a value column of the tables
     * @return true for AUROC, the AUPRs, accuracy; false for FPR@95TPR, detection error, confidence
     * @throws IllegalArgumentException if no table has that column
     */
    public boolean higherIsBetter(String column) {
        for (ResultsTable.ValueColumn c : perSeed.get(0).valueColumns()) {
            if (c.name().equals(column)) {
                return c.better() == ResultsTable.Better.HIGHER;
            }
        }
        throw new IllegalArgumentException("no column named '" + column + "'");
    }

    private boolean better(double a, double b, boolean higher) {
        return higher ? a > b : a < b;
    }

    /**
     * On how many seeds a row is strictly better than every reference on one OOD set.
     *
     * @param row the method that claims to be better
     * @param references the methods it must beat
     * @param oodSet the OOD set
     * @param column the value column
     * @return the number of seeds where the claim holds
     */
    public int seedsBetterThanAll(
            String row, List<String> references, String oodSet, String column) {
        boolean higher = higherIsBetter(column);
        int count = 0;
        for (ResultsTable t : perSeed) {
            double a = t.value(row, oodSet, column);
            boolean all = true;
            for (String ref : references) {
                all &= better(a, t.value(ref, oodSet, column), higher);
            }
            if (all) {
                count++;
            }
        }
        return count;
    }

    /**
     * On how many seeds a row is strictly better than every reference on more than half of the OOD
     * sets (a claim such as "better FPR@95TPR on most OOD sets").
     *
     * @param row the method that claims to be better
     * @param references the methods it must beat
     * @param oodSets the OOD sets
     * @param column the value column
     * @return the number of seeds where the claim holds
     */
    public int seedsBetterOnMostSets(
            String row, List<String> references, List<String> oodSets, String column) {
        boolean higher = higherIsBetter(column);
        int count = 0;
        for (ResultsTable t : perSeed) {
            int sets = 0;
            for (String set : oodSets) {
                double a = t.value(row, set, column);
                boolean all = true;
                for (String ref : references) {
                    all &= better(a, t.value(ref, set, column), higher);
                }
                if (all) {
                    sets++;
                }
            }
            if (2 * sets > oodSets.size()) {
                count++;
            }
        }
        return count;
    }

    /**
     * The per-seed differences row − reference on one OOD set and column.
     *
     * @param row method A
     * @param reference method B
     * @param oodSet the OOD set
     * @param column the value column
     * @return the paired comparison
     */
    public PairedComparison paired(String row, String reference, String oodSet, String column) {
        return PairedComparison.of(perSeed, row, reference, oodSet, column);
    }

    /**
     * The relative improvement of a row over a reference, per seed, in percent of the reference:
     * 100·(ref − row)/ref for a column where lower is better, 100·(row − ref)/ref where higher is
     * better; its mean ± sd over the seeds. "78 % better" in a paper's abstract is of this form.
     *
     * @param row method A
     * @param reference method B
     * @param oodSet the OOD set
     * @param column the value column
     * @return mean ± sd of the per-seed relative improvement (percent)
     */
    public MeanSd relativeImprovement(String row, String reference, String oodSet, String column) {
        boolean higher = higherIsBetter(column);
        double[] v = new double[perSeed.size()];
        for (int i = 0; i < v.length; i++) {
            double a = perSeed.get(i).value(row, oodSet, column);
            double b = perSeed.get(i).value(reference, oodSet, column);
            v[i] = 100 * (higher ? a - b : b - a) / b;
        }
        return MeanSd.of(v);
    }

    /**
     * A row against each reference on each OOD set: the per-seed differences row − reference in
     * percentage points (mean ± sd) and the seeds where the row is better.
     *
     * @param row method A
     * @param references the methods compared with
     * @param oodSets the OOD sets
     * @param column the value column (values are fractions; differences are shown ×100)
     * @return a table with columns "vs", "OOD set", "Δ (points)", "better on"
     */
    public Table versus(String row, List<String> references, List<String> oodSets, String column) {
        boolean higher = higherIsBetter(column);
        StringColumn vs = StringColumn.create("vs");
        StringColumn set = StringColumn.create("OOD set");
        StringColumn delta = StringColumn.create("Δ " + column + " (points)");
        StringColumn won = StringColumn.create(row + " better on");
        for (String ref : references) {
            for (String s : oodSets) {
                PairedComparison d = paired(row, ref, s, column);
                vs.append(ref);
                set.append(s);
                delta.append(points(d));
                won.append((higher ? d.aAbove() : d.aBelow()) + " of " + d.seeds() + " seeds");
            }
        }
        return Table.create(row + " − reference, " + column, vs, set, delta, won);
    }

    /**
     * The two claims of a paper for several candidate rows: per row and OOD set, the paired
     * differences of a confidence column and of a detection column against two references and the
     * seeds where the row is better than both; then, per row, the seeds where it is better than
     * both on more than half of the sets ("most OOD sets").
     *
     * @param rows the candidates (e.g. the readings of a method)
     * @param first the first reference (e.g. the baseline)
     * @param second the second reference (e.g. Mixup)
     * @param oodSets the OOD sets
     * @param confidenceColumn the column of claim (i), e.g. the mean OOD confidence
     * @param detectionColumn the column of claim (ii), e.g. FPR@95TPR
     * @return one row per candidate and OOD set
     */
    public Table claims(
            List<String> rows,
            String first,
            String second,
            List<String> oodSets,
            String confidenceColumn,
            String detectionColumn) {
        StringColumn method = StringColumn.create("method");
        StringColumn set = StringColumn.create("OOD set");
        List<StringColumn> deltas = new ArrayList<>();
        for (String column : List.of(confidenceColumn, detectionColumn)) {
            for (String ref : List.of(first, second)) {
                deltas.add(StringColumn.create("Δ " + column + " vs " + ref));
            }
        }
        IntColumn confidenceSeeds = IntColumn.create("(i) seeds better than both");
        IntColumn detectionSeeds = IntColumn.create(detectionColumn + ": seeds better than both");
        IntColumn most = IntColumn.create("(ii) seeds better on most sets");
        List<String> refs = List.of(first, second);
        for (String row : rows) {
            int mostSets = seedsBetterOnMostSets(row, refs, oodSets, detectionColumn);
            for (String s : oodSets) {
                method.append(row);
                set.append(s);
                int k = 0;
                for (String column : List.of(confidenceColumn, detectionColumn)) {
                    for (String ref : refs) {
                        deltas.get(k++).append(points(paired(row, ref, s, column)));
                    }
                }
                confidenceSeeds.append(seedsBetterThanAll(row, refs, s, confidenceColumn));
                detectionSeeds.append(seedsBetterThanAll(row, refs, s, detectionColumn));
                most.append(mostSets);
            }
        }
        Table t = Table.create("claims over " + seeds() + " seeds", method, set);
        t.addColumns(deltas.get(0), deltas.get(1), confidenceSeeds);
        t.addColumns(deltas.get(2), deltas.get(3), detectionSeeds, most);
        return t;
    }

    private static String points(PairedComparison d) {
        double[] x = d.differences().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= 100;
        }
        MeanSd m = MeanSd.of(x);
        return String.format(Locale.ROOT, "%+.1f", m.mean())
                + (Double.isNaN(m.sd()) ? "" : String.format(Locale.ROOT, " ± %.1f", m.sd()));
    }
}
