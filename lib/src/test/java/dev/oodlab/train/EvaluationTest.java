package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void predictedSharesCountTheArgMaxOfEachImagesLogits() {
        // 4 images, 3 classes: arg-max 2, 0, 2, 1
        float[] logits = {0, 1, 3, 5, -1, 2, 0.5f, 0.4f, 0.6f, -2, 7, 6};
        Evaluation e = new Evaluation("e", 3, logits, null);
        assertArrayEquals(new double[] {0.25, 0.25, 0.5}, e.predictedShares(), 0);
    }
}
