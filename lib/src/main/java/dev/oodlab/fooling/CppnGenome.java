package dev.oodlab.fooling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Compositional pattern-producing network (CPPN) encoding of Nguyen, Yosinski &amp; Clune (CVPR
 * 2015), after Stanley (2007): a small feed-forward network is evaluated at every pixel and its
 * output is the pixel's value, so images are smooth, regular patterns rather than noise.
 *
 * <p>Inputs at pixel (row, column) of an H × W image: x = −1 + 2·column/(W − 1), y = −1 + 2·row/(H
 * − 1), d = √(x² + y²), and a bias of 1. Each hidden and output node applies one of {@link
 * Activation}: sin, a sigmoid rescaled to (−1, 1), a Gaussian e<sup>−p²</sup>, or a linear clamp(p,
 * −3, 3)/3. The pixel is |output|, which lies in [0, 1].
 *
 * <p>Mutation changes weights (each connection with probability 0.3, by N(0, 0.5²), kept in [−3,
 * 3]) and structure: add a connection (0.2), remove one (0.1), add a node by splitting a connection
 * (0.1), remove a hidden node (0.05), change a node's activation (0.1). Nodes carry a position in
 * [0, 1] (inputs 0, output 1) and connections only run forward, so the network stays acyclic. This
 * encoding has no crossover: {@link #crossover} returns a copy.
 */
public final class CppnGenome implements Genome<CppnGenome> {

    /** The activation functions a node can have. */
    public enum Activation {
        /** sin(p). */
        SINE(Math::sin),
        /** 2σ(p) − 1 = tanh(p/2), a sigmoid rescaled to (−1, 1). */
        SIGMOID(p -> Math.tanh(p / 2)),
        /** e^(−p²). */
        GAUSSIAN(p -> Math.exp(-p * p)),
        /** clamp(p, −3, 3)/3. */
        LINEAR(p -> Math.max(-3, Math.min(3, p)) / 3);

        private final DoubleUnaryOperator f;

        Activation(DoubleUnaryOperator f) {
            this.f = f;
        }

        /** The activation of pre-activation {@code p}. */
        public double apply(double p) {
            return f.applyAsDouble(p);
        }
    }

    /** Number of input nodes: x, y, d, bias. */
    public static final int INPUTS = 4;

    /** Id of the output node. */
    public static final int OUTPUT = INPUTS;

    /**
     * A node.
     *
     * @param id unique id; 0–3 are the inputs, 4 the output
     * @param position place in the feed-forward order: 0 for inputs, 1 for the output
     * @param activation the node's activation (ignored for inputs)
     */
    public record Node(int id, double position, Activation activation) {}

    /**
     * A weighted connection between two nodes, from lower to higher position.
     *
     * @param from source node id
     * @param to target node id
     * @param weight the weight
     */
    public record Connection(int from, int to, double weight) {}

    private static final double MAX_WEIGHT = 3;

    private final int height;
    private final int width;
    private final List<Node> nodes;
    private final List<Connection> connections;
    private final int nextId;

    /**
     * A genome from explicit nodes and connections (for tests and hand-built patterns).
     *
     * @param height image height
     * @param width image width
     * @param hiddenAndOutput the output node (id 4) and any hidden nodes; inputs are implicit
     * @param connections the connections; each must run from a lower to a higher position
     */
    public CppnGenome(
            int height, int width, List<Node> hiddenAndOutput, List<Connection> connections) {
        if (height < 2 || width < 2) {
            throw new IllegalArgumentException(
                    "CPPN images must be at least 2x2, got " + height + "x" + width);
        }
        List<Node> all = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            all.add(new Node(i, 0, Activation.LINEAR));
        }
        all.addAll(hiddenAndOutput);
        all.sort(Comparator.comparingDouble(Node::position).thenComparingInt(Node::id));
        if (all.stream().noneMatch(n -> n.id() == OUTPUT)) {
            throw new IllegalArgumentException("a CPPN needs its output node (id " + OUTPUT + ")");
        }
        int maxId = 0;
        for (Node n : all) {
            maxId = Math.max(maxId, n.id());
        }
        for (Connection c : connections) {
            Node from = find(all, c.from());
            Node to = find(all, c.to());
            if (from == null || to == null || from.position() >= to.position()) {
                throw new IllegalArgumentException("connection " + c + " does not run forward");
            }
        }
        this.height = height;
        this.width = width;
        this.nodes = List.copyOf(all);
        this.connections = List.copyOf(connections);
        this.nextId = maxId + 1;
    }

    /**
     * A random starting genome: the four inputs connected to the output with weights uniform in
     * [−2, 2], two hidden nodes split into random connections, random activations.
     */
    public static CppnGenome random(int height, int width, SplittableRandom random) {
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            conns.add(new Connection(i, OUTPUT, -2 + 4 * random.nextDouble()));
        }
        CppnGenome g =
                new CppnGenome(
                        height,
                        width,
                        List.of(new Node(OUTPUT, 1, randomActivation(random))),
                        conns);
        return g.addNode(random).addNode(random);
    }

    /** The nodes, inputs included, in feed-forward order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The connections. */
    public List<Connection> connections() {
        return connections;
    }

    @Override
    public float[] render() {
        float[] pixels = new float[height * width];
        double[] value = new double[nextId];
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                double x = -1 + 2.0 * col / (width - 1);
                double y = -1 + 2.0 * row / (height - 1);
                pixels[row * width + col] = (float) Math.min(1, Math.abs(evaluate(x, y, value)));
            }
        }
        return pixels;
    }

    /** The network's output at (x, y); {@code value} is scratch space indexed by node id. */
    double evaluate(double x, double y, double[] value) {
        value[0] = x;
        value[1] = y;
        value[2] = Math.sqrt(x * x + y * y);
        value[3] = 1;
        for (Node n : nodes) {
            if (n.id() < INPUTS) {
                continue;
            }
            double p = 0;
            for (Connection c : connections) {
                if (c.to() == n.id()) {
                    p += c.weight() * value[c.from()];
                }
            }
            value[n.id()] = n.activation().apply(p);
        }
        return value[OUTPUT];
    }

    @Override
    public CppnGenome mutate(SplittableRandom random) {
        CppnGenome g = this;
        boolean changed = false;
        if (random.nextDouble() < 0.2) {
            CppnGenome next = g.addConnection(random);
            changed |= next != g;
            g = next;
        }
        if (random.nextDouble() < 0.1 && g.connections.size() > 1) {
            g = g.removeConnection(random);
            changed = true;
        }
        if (random.nextDouble() < 0.1) {
            g = g.addNode(random);
            changed = true;
        }
        if (random.nextDouble() < 0.05) {
            CppnGenome next = g.removeNode(random);
            changed |= next != g;
            g = next;
        }
        if (random.nextDouble() < 0.1) {
            g = g.changeActivation(random);
            changed = true;
        }
        return g.perturbWeights(random, 0.3, !changed);
    }

    @Override
    public CppnGenome crossover(CppnGenome other, SplittableRandom random) {
        return this;
    }

    CppnGenome perturbWeights(SplittableRandom random, double rate, boolean atLeastOne) {
        List<Connection> conns = new ArrayList<>(connections);
        boolean any = false;
        for (int i = 0; i < conns.size(); i++) {
            if (random.nextDouble() < rate) {
                conns.set(i, perturbed(conns.get(i), random));
                any = true;
            }
        }
        if (!any && atLeastOne && !conns.isEmpty()) {
            int i = random.nextInt(conns.size());
            conns.set(i, perturbed(conns.get(i), random));
        }
        return new CppnGenome(height, width, hiddenAndOutput(), conns);
    }

    /** Adds a forward connection between two unconnected nodes; unchanged if none is free. */
    CppnGenome addConnection(SplittableRandom random) {
        List<int[]> free = new ArrayList<>();
        for (Node a : nodes) {
            for (Node b : nodes) {
                if (a.position() < b.position() && !connected(a.id(), b.id())) {
                    free.add(new int[] {a.id(), b.id()});
                }
            }
        }
        if (free.isEmpty()) {
            return this;
        }
        int[] pick = free.get(random.nextInt(free.size()));
        List<Connection> conns = new ArrayList<>(connections);
        conns.add(new Connection(pick[0], pick[1], -2 + 4 * random.nextDouble()));
        return new CppnGenome(height, width, hiddenAndOutput(), conns);
    }

    CppnGenome removeConnection(SplittableRandom random) {
        List<Connection> conns = new ArrayList<>(connections);
        conns.remove(random.nextInt(conns.size()));
        return new CppnGenome(height, width, hiddenAndOutput(), conns);
    }

    /**
     * Splits a random connection a → b into a → n (weight 1) and n → b (the old weight), with a new
     * node n placed between a and b.
     */
    CppnGenome addNode(SplittableRandom random) {
        if (connections.isEmpty()) {
            return this;
        }
        Connection split = connections.get(random.nextInt(connections.size()));
        double lo = find(nodes, split.from()).position();
        double hi = find(nodes, split.to()).position();
        Node n =
                new Node(
                        nextId,
                        lo + (hi - lo) * (0.25 + 0.5 * random.nextDouble()),
                        randomActivation(random));
        List<Node> hidden = hiddenAndOutput();
        hidden.add(n);
        List<Connection> conns = new ArrayList<>(connections);
        conns.remove(split);
        conns.add(new Connection(split.from(), n.id(), 1.0));
        conns.add(new Connection(n.id(), split.to(), split.weight()));
        return new CppnGenome(height, width, hidden, conns);
    }

    /** Removes a random hidden node and its connections; unchanged if there is none. */
    CppnGenome removeNode(SplittableRandom random) {
        List<Node> hidden = hiddenAndOutput();
        hidden.removeIf(n -> n.id() == OUTPUT);
        if (hidden.isEmpty()) {
            return this;
        }
        Node gone = hidden.get(random.nextInt(hidden.size()));
        List<Node> keep = hiddenAndOutput();
        keep.remove(gone);
        List<Connection> conns = new ArrayList<>();
        for (Connection c : connections) {
            if (c.from() != gone.id() && c.to() != gone.id()) {
                conns.add(c);
            }
        }
        return new CppnGenome(height, width, keep, conns);
    }

    CppnGenome changeActivation(SplittableRandom random) {
        List<Node> hidden = hiddenAndOutput();
        int i = random.nextInt(hidden.size());
        Node n = hidden.get(i);
        hidden.set(i, new Node(n.id(), n.position(), randomActivation(random)));
        return new CppnGenome(height, width, hidden, connections);
    }

    private List<Node> hiddenAndOutput() {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.id() >= INPUTS) {
                out.add(n);
            }
        }
        return out;
    }

    private boolean connected(int from, int to) {
        for (Connection c : connections) {
            if (c.from() == from && c.to() == to) {
                return true;
            }
        }
        return false;
    }

    private static Connection perturbed(Connection c, SplittableRandom random) {
        double w = c.weight() + 0.5 * gaussian(random);
        return new Connection(c.from(), c.to(), Math.max(-MAX_WEIGHT, Math.min(MAX_WEIGHT, w)));
    }

    private static Activation randomActivation(SplittableRandom random) {
        Activation[] all = Activation.values();
        return all[random.nextInt(all.length)];
    }

    private static Node find(List<Node> nodes, int id) {
        for (Node n : nodes) {
            if (n.id() == id) {
                return n;
            }
        }
        return null;
    }

    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
