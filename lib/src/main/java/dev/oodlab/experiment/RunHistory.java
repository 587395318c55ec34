package dev.oodlab.experiment;

import dev.oodlab.train.EpochResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the {@code history} record of a run's results back into epochs for learning curves. */
final class RunHistory {

    private RunHistory() {}

    /**
     * The epochs of a {@code history} record (a list of maps with {@code epoch}, counted from 1,
     * {@code loss}, {@code images_per_second} and {@code seconds}); the record holds no training
     * accuracy or memory figure, so those are NaN. Anything but a list gives no epochs.
     */
    static List<EpochResult> epochs(Object history) {
        List<EpochResult> epochs = new ArrayList<>();
        if (history instanceof List<?> entries) {
            for (Object o : entries) {
                Map<?, ?> m = (Map<?, ?>) o;
                epochs.add(
                        new EpochResult(
                                ((Number) m.get("epoch")).intValue() - 1,
                                number(m.get("loss")),
                                Double.NaN,
                                number(m.get("images_per_second")),
                                number(m.get("seconds")),
                                Double.NaN));
            }
        }
        return epochs;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
