package dev.oodlab.fooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.fooling.CppnGenome.Activation;
import dev.oodlab.fooling.CppnGenome.Connection;
import dev.oodlab.fooling.CppnGenome.Node;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The variation operators of both encodings with fixed draws, against values computed by hand from
 * sferes2's formulas (evo_float's polynomial mutation and SBX; nn2's DnnFF mutation).
 */
class VariationOperatorsTest {

    /** Replays uniforms and indices in order, checks each index's bound, and nothing is left. */
    static final class Scripted implements Draws {
        private final Deque<double[]> script = new ArrayDeque<>();

        /** A uniform draw u. */
        Scripted u(double u) {
            script.add(new double[] {0, u});
            return this;
        }

        /** An index draw: {@code index} of {@code bound}. */
        Scripted i(int index, int bound) {
            script.add(new double[] {1, index, bound});
            return this;
        }

        @Override
        public double uniform() {
            double[] next = next();
            assertEquals(0, next[0], "expected an index draw, got a uniform one");
            return next[1];
        }

        @Override
        public int index(int bound) {
            double[] next = next();
            assertEquals(1, next[0], "expected a uniform draw, got an index one");
            assertEquals((int) next[2], bound, "bound of the index draw");
            return (int) next[1];
        }

        private double[] next() {
            assertTrue(!script.isEmpty(), "more draws than scripted");
            return script.poll();
        }

        void assertUsedUp() {
            assertTrue(script.isEmpty(), script.size() + " scripted draws left");
        }
    }

    // ------------------------------------------------------------------ gene operators

    @Test
    void polynomialMutationIsEvoFloatsUnboundedFormClipped() {
        // r < 1/2: delta = (2r)^(1/16) - 1; 0.4^(1/16) = 0.9443408...
        assertEquals(
                0.3 + Math.pow(0.4, 1.0 / 16) - 1,
                GeneOperators.polynomialMutation(0.3, 0.2, 15),
                1e-15);
        assertEquals(0.24434079083638888, GeneOperators.polynomialMutation(0.3, 0.2, 15), 1e-15);
        // r >= 1/2: delta = 1 - (2(1 - r))^(1/16)
        assertEquals(0.3556592091636111, GeneOperators.polynomialMutation(0.3, 0.8, 15), 1e-15);
        assertEquals(0.5, GeneOperators.polynomialMutation(0.5, 0.5, 15), 0.0);
        // no scaling by the distance to the bounds: the gene is clipped at 0 and at 1
        assertEquals(0.0, GeneOperators.polynomialMutation(0.05, 0.01, 15), 0.0);
        assertEquals(1.0, GeneOperators.polynomialMutation(0.97, 0.99, 15), 0.0);
    }

    @Test
    void sbxIsTheBoundedFormOfDebsCode() {
        // y1 = 0.2, y2 = 0.6, r = 0.3, eta = 10:
        //   beta = 1 + 2 * 0.2 / 0.4 = 2, alpha = 2 - 2^-11, r <= 1/alpha: betaq = (r alpha)^(1/11)
        //   c1 = (0.8 - betaq * 0.4) / 2 = 0.2090796...
        //   beta = 1 + 2 * 0.4 / 0.4 = 3, alpha = 2 - 3^-11,  c2 = (0.8 + betaq' * 0.4) / 2
        double alphaLow = 2 - Math.pow(2, -11);
        double alphaHigh = 2 - Math.pow(3, -11);
        double c1 = 0.5 * (0.8 - Math.pow(0.3 * alphaLow, 1.0 / 11) * 0.4);
        double c2 = 0.5 * (0.8 + Math.pow(0.3 * alphaHigh, 1.0 / 11) * 0.4);
        assertArrayEquals(new double[] {c1, c2}, GeneOperators.sbx(0.2, 0.6, 0.3, 10), 1e-15);
        assertArrayEquals(
                new double[] {0.20907962120886686, 0.5909245677675491},
                GeneOperators.sbx(0.6, 0.2, 0.3, 10),
                1e-15);
        // r > 1/alpha: betaq = (1 / (2 - r alpha))^(1/11)
        assertArrayEquals(
                new double[] {0.07147418327039795, 0.928525816729602},
                GeneOperators.sbx(0.9, 0.1, 0.8, 10),
                1e-15);
        // the bounds pull the children: at r = 1/2 they are not exactly the parents
        assertArrayEquals(
                new double[] {0.2000044394131315, 0.5999999486814862},
                GeneOperators.sbx(0.2, 0.6, 0.5, 10),
                1e-15);
    }

    // ------------------------------------------------------------------ direct encoding

    @Test
    void directMutationDrawsARateTestPerGeneAndRWhenItPasses() {
        DirectGenome g = DirectGenome.of(new float[] {0.3f, 0.7f, 0.5f});
        Scripted draws = new Scripted().u(0.05).u(0.2).u(0.5).u(0.09).u(0.9);
        float[] mutated = g.mutate(draws).render();
        draws.assertUsedUp();
        // 0.3 + 0.4^(1/16) - 1; 0.7 kept; 0.5 + 1 - 0.2^(1/16)
        assertArrayEquals(new float[] {0.2443408f, 0.7f, 0.59569615f}, mutated, 1e-7f);
    }

    @Test
    void directCrossoverAppliesSbxToEveryDifferingGeneAndCopiesEqualOnes() {
        DirectGenome a = DirectGenome.of(new float[] {0.2f, 0.5f, 0.9f});
        DirectGenome b = DirectGenome.of(new float[] {0.6f, 0.5f, 0.1f});
        // gene 0: r = 0.3, coin 0.7 -> c2; gene 1: equal, copied, no draw; gene 2: r = 0.8, coin
        // 0.2 -> c1
        Scripted draws = new Scripted().u(0.3).u(0.7).u(0.8).u(0.2);
        float[] child = a.crossover(b, draws).render();
        draws.assertUsedUp();
        assertArrayEquals(new float[] {0.5909246f, 0.5f, 0.071474195f}, child, 1e-7f);
    }

    // ------------------------------------------------------------------ CPPN

    @Test
    void aNewCppnConnectsTheInputsToTheOutputWithWeightsOnMinusTenToTen() {
        Scripted draws = new Scripted().u(0.0).u(0.25).u(0.5).u(0.95).i(2, 4);
        CppnGenome g = CppnGenome.random(3, 3, draws);
        draws.assertUsedUp();
        assertEquals(List.of(new Node(CppnGenome.OUTPUT, Activation.GAUSSIAN)), g.nodes());
        assertEquals(
                List.of(
                        new Connection(0, 4, -10.0),
                        new Connection(1, 4, -5.0),
                        new Connection(2, 4, 0.0),
                        new Connection(3, 4, 9.0)),
                g.connections());
    }

    /** Output linear; hidden 5 sine; 0 -> 5 (2), 5 -> 4 (-4), 3 -> 4 (1.5). */
    private static CppnGenome small() {
        return new CppnGenome(
                3,
                3,
                List.of(new Node(4, Activation.LINEAR), new Node(5, Activation.SINE)),
                List.of(
                        new Connection(0, 5, 2),
                        new Connection(5, 4, -4),
                        new Connection(3, 4, 1.5)));
    }

    @Test
    void cppnMutationRunsTheAuthorsOperatorsInOrderWithTheirRates() {
        // Each rate test is drawn just below its rate where it passes and at the rate where it
        // does not, so that every rate is pinned.
        Scripted draws =
                new Scripted()
                        // weights (rate 0.1): 0 -> 5 mutated with r = 0.8; the others not
                        .u(0.0999)
                        .u(0.8)
                        .u(0.1)
                        .u(0.1)
                        // activations (rate 0.1): output kept; node 5 redrawn as Gaussian
                        .u(0.1)
                        .u(0.0999)
                        .i(2, 4)
                        // add connection (rate 0.5): source 1 of {0, 1, 2, 3, 5}, target 5 of
                        // {4, 5}, weight gene 0.75
                        .u(0.4999)
                        .i(1, 5)
                        .i(1, 2)
                        .u(0.75)
                        // delete connection (rate 0.3): no
                        .u(0.3)
                        // add node (rate 0.5): split connection 2 (3 -> 4), new node sine
                        .u(0.4999)
                        .i(2, 4)
                        .i(0, 4)
                        // delete node (rate 0.2): no
                        .u(0.2);
        CppnGenome g = small().mutate(draws);
        draws.assertUsedUp();
        // gene (2 + 10)/20 = 0.6 -> 0.6 + 1 - 0.4^(1/16) -> weight 20 gene - 10 = 3.1131841...
        double weight = 20 * (0.6 + 1 - Math.pow(0.4, 1.0 / 16)) - 10;
        assertEquals(3.113184183272221, weight, 1e-12);
        assertEquals(
                List.of(
                        new Node(4, Activation.LINEAR),
                        new Node(5, Activation.GAUSSIAN),
                        new Node(6, Activation.SINE)),
                g.nodes());
        List<Connection> c = g.connections();
        assertEquals(5, c.size());
        assertEquals(0, c.get(0).from());
        assertEquals(5, c.get(0).to());
        assertEquals(weight, c.get(0).weight(), 1e-12);
        // the split connection 3 -> 4 (weight 1.5) became 3 -> 6 and 6 -> 4, both of weight 1.5
        assertEquals(
                List.of(
                        new Connection(5, 4, -4),
                        new Connection(1, 5, 5.0),
                        new Connection(3, 6, 1.5),
                        new Connection(6, 4, 1.5)),
                c.subList(1, 5));
    }

    @Test
    void addedConnectionsNeverTargetTheSourceOrItsAncestors() {
        // 0 -> 5 -> 6 -> 4: from source 6 the only target is the output (5 is an ancestor)
        CppnGenome chain =
                new CppnGenome(
                        3,
                        3,
                        List.of(
                                new Node(4, Activation.LINEAR),
                                new Node(5, Activation.SINE),
                                new Node(6, Activation.SINE)),
                        List.of(
                                new Connection(0, 5, 1),
                                new Connection(5, 6, 1),
                                new Connection(6, 4, 1)));
        Scripted draws = new Scripted().i(5, 6).i(0, 1).u(0.5);
        CppnGenome g = chain.addConnection(draws);
        draws.assertUsedUp();
        // a second 6 -> 4 connection, weight 0: duplicates are allowed, as in DnnFF::_add_conn
        assertEquals(new Connection(6, 4, 0.0), g.connections().get(3));
        // from input 0 the targets are 4, 5 and 6
        Scripted fromInput = new Scripted().i(0, 6).i(1, 3).u(1.0);
        assertEquals(
                new Connection(0, 5, 10.0), chain.addConnection(fromInput).connections().get(3));
    }

    @Test
    void deleteOperatorsPickUniformlyAndNodesTakeTheirConnections() {
        Scripted one = new Scripted().i(1, 3);
        assertEquals(
                List.of(new Connection(0, 5, 2), new Connection(3, 4, 1.5)),
                small().deleteConnection(one).connections());
        one.assertUsedUp();
        Scripted node = new Scripted().i(0, 1);
        CppnGenome g = small().deleteNode(node);
        node.assertUsedUp();
        assertEquals(List.of(new Node(4, Activation.LINEAR)), g.nodes());
        assertEquals(List.of(new Connection(3, 4, 1.5)), g.connections());
        // nothing to delete: no draw
        Scripted none = new Scripted();
        assertEquals(g.nodes(), g.deleteNode(none).nodes());
        none.assertUsedUp();
    }
}
