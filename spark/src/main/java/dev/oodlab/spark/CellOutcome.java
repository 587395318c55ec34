package dev.oodlab.spark;

import java.io.Serializable;

/**
 * What became of one cell of a sweep.
 *
 * @param id the cell's id (its folder name under {@code cells/})
 * @param status {@link #DONE} (run now), {@link #SKIPPED} (complete from an earlier submission) or
 *     {@link #FAILED}
 * @param attempts how many times the cell's run was started by this submission (0 when skipped)
 * @param message why it failed (the run's one-line error), or {@code null}
 * @param resultsJson the cell's {@code results.json}, or {@code null} when it failed
 */
public record CellOutcome(
        String id, String status, int attempts, String message, String resultsJson)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The cell was run by this submission. */
    public static final String DONE = "done";

    /** The cell's folder was complete already. */
    public static final String SKIPPED = "skipped";

    /** The cell's run failed on its last attempt. */
    public static final String FAILED = "failed";

    /** Whether the cell has results. */
    public boolean hasResults() {
        return resultsJson != null;
    }
}
