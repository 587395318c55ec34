package dev.oodlab.fooling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The MAP-Elites archive of the fooling search: one cell per class, each holding the image with the
 * highest probability for that class found so far (its "elite").
 *
 * <p>A candidate is offered to every cell at once: it replaces the elite of each class whose
 * probability it beats, so one image can become the elite of several classes.
 *
 * @param <G> the genome type
 */
public final class EliteArchive<G extends Genome<G>> {

    /**
     * An elite: the genome, its rendered image and its probability for the cell's class.
     *
     * @param genome the genome
     * @param image the rendered image
     * @param fitness probability of the cell's class
     */
    public record Elite<G>(G genome, float[] image, double fitness) {}

    private final List<Elite<G>> cells;

    /** An empty archive of {@code numClasses} cells. */
    public EliteArchive(int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("number of classes must be > 0, got " + numClasses);
        }
        cells = new ArrayList<>(Collections.nCopies(numClasses, null));
    }

    /**
     * Offers a candidate to every cell.
     *
     * @param genome the candidate's genome
     * @param image its rendered image
     * @param probabilities its class probabilities, one per cell
     * @return the number of cells whose elite it replaced
     */
    public int offer(G genome, float[] image, float[] probabilities) {
        if (probabilities.length != cells.size()) {
            throw new IllegalArgumentException(
                    probabilities.length + " probabilities for " + cells.size() + " classes");
        }
        int replaced = 0;
        for (int c = 0; c < cells.size(); c++) {
            Elite<G> e = cells.get(c);
            if (e == null || probabilities[c] > e.fitness()) {
                cells.set(c, new Elite<>(genome, image, probabilities[c]));
                replaced++;
            }
        }
        return replaced;
    }

    /** The elite of class {@code c}, or {@code null} while the cell is empty. */
    public Elite<G> elite(int c) {
        return cells.get(c);
    }

    /** Number of cells (classes). */
    public int size() {
        return cells.size();
    }

    /** The elites' fitness per class (NaN for an empty cell). */
    public double[] fitness() {
        double[] f = new double[cells.size()];
        for (int c = 0; c < f.length; c++) {
            f[c] = cells.get(c) == null ? Double.NaN : cells.get(c).fitness();
        }
        return f;
    }

    /** The filled cells' elites. */
    public List<Elite<G>> elites() {
        List<Elite<G>> out = new ArrayList<>();
        for (Elite<G> e : cells) {
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }
}
