package dev.oodlab.train;

/**
 * What one training epoch did.
 *
 * @param epoch the epoch, counted from 0
 * @param loss the mean training loss over the epoch's samples
 * @param accuracy the share of training samples classified correctly during the epoch (by the model
 *     as it was at each step), in [0, 1]
 * @param imagesPerSecond training throughput
 * @param seconds wall time of the epoch
 * @param learningRate the learning rate at the epoch's last step
 */
public record EpochResult(
        int epoch,
        double loss,
        double accuracy,
        double imagesPerSecond,
        double seconds,
        double learningRate) {

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "epoch %d: loss %.4f, accuracy %.2f%%, %.0f img/s, %.1f s, lr %.3g",
                epoch + 1,
                loss,
                100 * accuracy,
                imagesPerSecond,
                seconds,
                learningRate);
    }
}
