package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.oodlab.OodLab;
import org.junit.jupiter.api.Test;

class TorchScriptFunctionTest {

    private static final TorchScriptFunction AFFINE =
            TorchScriptFunction.of(
                    "Affine",
                    """
                    def forward(self, x: Tensor, w: Tensor) -> Tensor:
                      return torch.add(torch.mul(x, w), 1.)
                    """);

    @Test
    void computesItsSourceAndBackPropagatesThroughIt() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3});
            NDArray w = m.create(new float[] {0.5f, -1, 2});
            w.setRequiresGradient(true);
            NDArray y;
            try (GradientScope scope = GradientScope.open()) {
                y = AFFINE.apply(x, w);
                scope.backward(y.sum());
            }
            assertArrayEquals(new float[] {1.5f, -1, 7}, y.toFloatArray());
            // ∂Σ(x·w + 1)/∂w = x
            assertArrayEquals(new float[] {1, 2, 3}, w.getGradient().toFloatArray());
        }
    }

    @Test
    void anArrayWhoseNameDjlWouldReadAsAStructureIsPassedAsATensor() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2});
            x.setName("batch.images");
            NDArray w = m.create(new float[] {3, 4});
            w.setName("w[]");
            assertArrayEquals(new float[] {4, 9}, AFFINE.apply(x, w).toFloatArray());
        }
    }

    @Test
    void aNameThatIsNotAnIdentifierIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> TorchScriptFunction.of("not a name", "def forward(self): return None"));
    }
}
