package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PermutationTest {

    @Test
    void drawsBoundsFromNDownToTwo() {
        List<Integer> bounds = new ArrayList<>();
        Permutation.random(
                5,
                b -> {
                    bounds.add(b);
                    return b - 1;
                });
        assertEquals(List.of(5, 4, 3, 2), bounds);
    }

    @Test
    void alwaysSwappingWithTheFirstRotatesLeft() {
        // j = 0 at every step: swap(3,0) [3,1,2,0], swap(2,0) [2,1,3,0], swap(1,0) [1,2,3,0]
        assertArrayEquals(new int[] {1, 2, 3, 0}, Permutation.random(4, b -> 0));
        assertArrayEquals(new int[] {0, 1, 2}, Permutation.random(3, b -> b - 1));
    }

    @Test
    void aSeededPermutationHoldsEveryIndexOnce() {
        int[] p = Permutation.random(1000, new SplittableRandom(7));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(p, Permutation.random(1000, new SplittableRandom(7)));
        assertEquals(0, Permutation.random(0, new SplittableRandom(7)).length);
    }
}
