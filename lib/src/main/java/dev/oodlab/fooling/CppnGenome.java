package dev.oodlab.fooling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Compositional pattern-producing network (CPPN) encoding of Nguyen, Yosinski &amp; Clune (CVPR
 * 2015), after Stanley (2007): a small feed-forward network is evaluated at every pixel and its
 * output is the pixel's value, so images are smooth, regular patterns rather than noise.
 *
 * <p>Inputs at pixel (row, column) of an H × W image: x = −1 + 2·column/(W − 1), y = −1 + 2·row/(H
 * − 1), d = √(x² + y²), and a bias of 1. Each hidden and output node applies one of {@link
 * Activation} to the weighted sum of its inputs: sin, a sigmoid rescaled to (−1, 1), a Gaussian
 * e<sup>−p²</sup>, or a linear clamp(p, −3, 3)/3. The pixel is |output|, which lies in [0, 1].
 *
 * <p><b>Variation, as the authors' code</b> (Evolving-AI-Lab/fooling, {@code
 * dl_map_elites_images_mnist.cpp}; the CPPN genotype {@code HyperNn} of sferes2's nn2 module, which
 * is the feed-forward {@code DnnFF}). A new genome connects the four inputs to the output with
 * weights uniform in [−10, 10] and a random output activation. {@link #mutate} runs, in this order:
 *
 * <ol>
 *   <li>every weight, with probability 0.1, by polynomial mutation with η = 15 of its gene (w +
 *       10)/20 ∈ [0, 1] ({@code Params::evo_float}, {@code Params::parameters} min −10, max 10);
 *   <li>every hidden and output node, with probability 0.1, gets an activation drawn uniformly from
 *       the four ({@code Params::cppn::sampled}, unordered; it may draw the same one);
 *   <li>add a connection with probability 0.5: a random source among the nodes that are not the
 *       output, a random target among the nodes that are neither inputs nor the source or one of
 *       its ancestors (so the network stays acyclic; a second connection between the same two nodes
 *       is allowed, as in {@code DnnFF::_add_conn}), weight uniform in [−10, 10];
 *   <li>delete a random connection with probability 0.3;
 *   <li>add a node with probability 0.5: a random connection a → b of weight w is replaced by a → n
 *       and n → b, <em>both</em> of weight w, n with a random activation ({@code
 *       _add_neuron_on_conn});
 *   <li>delete a random hidden node and its connections with probability 0.2.
 * </ol>
 *
 * The rates are the authors' {@code Params::dnn} (add connection 0.5, delete connection 0.3, add
 * node 0.5, delete node 0.2). Their {@code m_rate_change_conn = 0.5} is declared too, but the
 * feed-forward genotype never reads it ({@code DnnFF::_change_conns} only mutates the weights, in
 * sferes2/nn2 and in the lab's own copy in Evolving-AI-Lab/innovation-engine): no connection is
 * rewired. This encoding has no crossover ({@code DnnFF::cross} copies the parents): {@link
 * #crossover} returns a copy.
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

    /** The weights lie in [−MAX_WEIGHT, MAX_WEIGHT] ({@code Params::parameters}). */
    public static final double MAX_WEIGHT = 10;

    /** Per-weight mutation probability ({@code Params::evo_float::mutation_rate}). */
    public static final double WEIGHT_MUTATION_RATE = 0.1;

    /** Distribution index of the weights' polynomial mutation ({@code eta_m}). */
    public static final double WEIGHT_MUTATION_ETA = 15;

    /** Per-node probability of a new activation ({@code Params::cppn::sampled}). */
    public static final double ACTIVATION_MUTATION_RATE = 0.1;

    /** Probability of adding a connection ({@code m_rate_add_conn}). */
    public static final double ADD_CONNECTION_RATE = 0.5;

    /** Probability of deleting a connection ({@code m_rate_del_conn}). */
    public static final double DELETE_CONNECTION_RATE = 0.3;

    /** Probability of adding a node ({@code m_rate_add_neuron}). */
    public static final double ADD_NODE_RATE = 0.5;

    /** Probability of deleting a hidden node ({@code m_rate_del_neuron}). */
    public static final double DELETE_NODE_RATE = 0.2;

    /**
     * A node that computes: the output (id 4) or a hidden node (id ≥ 5). The inputs 0–3 are
     * implicit.
     *
     * @param id unique id
     * @param activation the node's activation
     */
    public record Node(int id, Activation activation) {}

    /**
     * A weighted connection between two nodes.
     *
     * @param from source node id (an input or a hidden node)
     * @param to target node id (a hidden node or the output)
     * @param weight the weight, in [−10, 10]
     */
    public record Connection(int from, int to, double weight) {}

    private final int height;
    private final int width;
    private final List<Node> nodes; // output first, then hidden nodes in order of creation
    private final List<Connection> connections;
    private final int nextId;
    // evaluation plan: the computing nodes in a topological order, each with its incoming links
    private final int[] order;
    private final Activation[] activation;
    private final int[][] incomingFrom;
    private final double[][] incomingWeight;

    /**
     * A genome from explicit nodes and connections (for tests and hand-built patterns).
     *
     * @param height image height
     * @param width image width
     * @param hiddenAndOutput the output node (id 4) and any hidden nodes (ids ≥ 5)
     * @param connections the connections; from an input or hidden node to a hidden node or the
     *     output, without a cycle, weights in [−10, 10]
     * @throws IllegalArgumentException naming the first node or connection that breaks a rule
     */
    public CppnGenome(
            int height, int width, List<Node> hiddenAndOutput, List<Connection> connections) {
        if (height < 2 || width < 2) {
            throw new IllegalArgumentException(
                    "CPPN images must be at least 2x2, got " + height + "x" + width);
        }
        List<Node> computing = new ArrayList<>();
        Node output = null;
        Set<Integer> ids = new HashSet<>();
        int maxId = OUTPUT;
        for (Node n : hiddenAndOutput) {
            if (n.id() < OUTPUT || !ids.add(n.id())) {
                throw new IllegalArgumentException(
                        "node " + n + ": ids are 4 (the output) and >= 5, each once");
            }
            if (n.id() == OUTPUT) {
                output = n;
            } else {
                computing.add(n);
            }
            maxId = Math.max(maxId, n.id());
        }
        if (output == null) {
            throw new IllegalArgumentException("a CPPN needs its output node (id " + OUTPUT + ")");
        }
        computing.add(0, output);
        for (Connection c : connections) {
            boolean fromOk = c.from() >= 0 && (c.from() < INPUTS || c.from() > OUTPUT);
            boolean toOk = c.to() >= OUTPUT;
            if (!fromOk
                    || !toOk
                    || (c.from() >= INPUTS && !ids.contains(c.from()))
                    || !ids.contains(c.to())
                    || !(Math.abs(c.weight()) <= MAX_WEIGHT)) {
                throw new IllegalArgumentException(
                        "connection "
                                + c
                                + " must run from an input or hidden node to a hidden node or the"
                                + " output, with a weight in [-10, 10]");
            }
        }
        this.height = height;
        this.width = width;
        this.nodes = List.copyOf(computing);
        this.connections = List.copyOf(connections);
        this.nextId = maxId + 1;
        this.order = topologicalOrder(this.nodes, this.connections);
        this.activation = new Activation[nextId];
        for (Node n : this.nodes) {
            activation[n.id()] = n.activation();
        }
        this.incomingFrom = new int[nextId][];
        this.incomingWeight = new double[nextId][];
        for (Node n : this.nodes) {
            List<Connection> in = new ArrayList<>();
            for (Connection c : this.connections) {
                if (c.to() == n.id()) {
                    in.add(c);
                }
            }
            incomingFrom[n.id()] = in.stream().mapToInt(Connection::from).toArray();
            incomingWeight[n.id()] = in.stream().mapToDouble(Connection::weight).toArray();
        }
    }

    /**
     * A random starting genome as the authors' {@code DnnFF::random} makes it: the four inputs
     * connected to the output, weights uniform in [−10, 10], a random output activation.
     *
     * @param height image height
     * @param width image width
     * @param random the generator
     * @return the genome
     */
    public static CppnGenome random(int height, int width, SplittableRandom random) {
        return random(height, width, Draws.of(random));
    }

    /** Draws: four weight genes (inputs 0–3 in order), then the output activation index. */
    static CppnGenome random(int height, int width, Draws draws) {
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            conns.add(new Connection(i, OUTPUT, weightOfGene(draws.uniform())));
        }
        return new CppnGenome(
                height, width, List.of(new Node(OUTPUT, randomActivation(draws))), conns);
    }

    /** The output node and the hidden nodes (the inputs are implicit). */
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
        for (int id : order) {
            int[] from = incomingFrom[id];
            double[] weight = incomingWeight[id];
            double p = 0;
            for (int k = 0; k < from.length; k++) {
                p += weight[k] * value[from[k]];
            }
            value[id] = activation[id].apply(p);
        }
        return value[OUTPUT];
    }

    @Override
    public CppnGenome mutate(SplittableRandom random) {
        return mutate(Draws.of(random));
    }

    /**
     * Mutation with the given draws, in this order: per connection the rate test and, when it
     * passes, the polynomial draw; per computing node (output, then hidden) the rate test and, when
     * it passes, the activation index; then for each structural change its rate test followed by
     * that change's own draws ({@link #addConnection}, {@link #deleteConnection}, {@link #addNode},
     * {@link #deleteNode}).
     */
    CppnGenome mutate(Draws draws) {
        List<Connection> conns = new ArrayList<>(connections);
        for (int i = 0; i < conns.size(); i++) {
            if (draws.uniform() < WEIGHT_MUTATION_RATE) {
                Connection c = conns.get(i);
                double gene = (c.weight() + MAX_WEIGHT) / (2 * MAX_WEIGHT);
                double mutated =
                        GeneOperators.polynomialMutation(
                                gene, draws.uniform(), WEIGHT_MUTATION_ETA);
                conns.set(i, new Connection(c.from(), c.to(), weightOfGene(mutated)));
            }
        }
        List<Node> computing = new ArrayList<>(nodes);
        for (int i = 0; i < computing.size(); i++) {
            if (draws.uniform() < ACTIVATION_MUTATION_RATE) {
                computing.set(i, new Node(computing.get(i).id(), randomActivation(draws)));
            }
        }
        CppnGenome g = new CppnGenome(height, width, computing, conns);
        if (draws.uniform() < ADD_CONNECTION_RATE) {
            g = g.addConnection(draws);
        }
        if (draws.uniform() < DELETE_CONNECTION_RATE) {
            g = g.deleteConnection(draws);
        }
        if (draws.uniform() < ADD_NODE_RATE) {
            g = g.addNode(draws);
        }
        if (draws.uniform() < DELETE_NODE_RATE) {
            g = g.deleteNode(draws);
        }
        return g;
    }

    @Override
    public CppnGenome crossover(CppnGenome other, SplittableRandom random) {
        return this;
    }

    /**
     * Adds a connection. Draws: the source index among the non-output nodes (inputs 0–3, then the
     * hidden nodes in {@link #nodes} order), the target index among the candidates (hidden nodes
     * and the output, in {@link #nodes} order, that are neither the source nor one of its
     * ancestors), the weight's gene; unchanged, with no further draw, if there is no candidate.
     */
    CppnGenome addConnection(Draws draws) {
        List<Integer> sources = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            sources.add(i);
        }
        for (Node n : nodes) {
            if (n.id() != OUTPUT) {
                sources.add(n.id());
            }
        }
        int source = sources.get(draws.index(sources.size()));
        Set<Integer> ancestors = ancestorsOf(source);
        List<Integer> targets = new ArrayList<>();
        for (Node n : nodes) {
            if (n.id() != source && !ancestors.contains(n.id())) {
                targets.add(n.id());
            }
        }
        if (targets.isEmpty()) {
            return this;
        }
        int target = targets.get(draws.index(targets.size()));
        List<Connection> conns = new ArrayList<>(connections);
        conns.add(new Connection(source, target, weightOfGene(draws.uniform())));
        return new CppnGenome(height, width, nodes, conns);
    }

    /** Deletes a connection; draw: its index. Unchanged, with no draw, if there is none. */
    CppnGenome deleteConnection(Draws draws) {
        if (connections.isEmpty()) {
            return this;
        }
        List<Connection> conns = new ArrayList<>(connections);
        conns.remove(draws.index(conns.size()));
        return new CppnGenome(height, width, nodes, conns);
    }

    /**
     * Splits a connection a → b of weight w into a → n and n → b, both of weight w, with a new
     * hidden node n. Draws: the connection's index, the new node's activation index. Unchanged,
     * with no draw, if there is no connection.
     */
    CppnGenome addNode(Draws draws) {
        if (connections.isEmpty()) {
            return this;
        }
        int index = draws.index(connections.size());
        Connection split = connections.get(index);
        Node n = new Node(nextId, randomActivation(draws));
        List<Node> computing = new ArrayList<>(nodes);
        computing.add(n);
        List<Connection> conns = new ArrayList<>(connections);
        conns.remove(index);
        conns.add(new Connection(split.from(), n.id(), split.weight()));
        conns.add(new Connection(n.id(), split.to(), split.weight()));
        return new CppnGenome(height, width, computing, conns);
    }

    /**
     * Deletes a hidden node and every connection to or from it; draw: its index among the hidden
     * nodes. Unchanged, with no draw, if there is none.
     */
    CppnGenome deleteNode(Draws draws) {
        if (nodes.size() == 1) {
            return this;
        }
        Node gone = nodes.get(1 + draws.index(nodes.size() - 1));
        List<Node> keep = new ArrayList<>(nodes);
        keep.remove(gone);
        List<Connection> conns = new ArrayList<>();
        for (Connection c : connections) {
            if (c.from() != gone.id() && c.to() != gone.id()) {
                conns.add(c);
            }
        }
        return new CppnGenome(height, width, keep, conns);
    }

    /** The weight of a gene in [0, 1]: the gene mapped linearly onto [−10, 10]. */
    static double weightOfGene(double gene) {
        return gene * 2 * MAX_WEIGHT - MAX_WEIGHT;
    }

    /** Every node from which a path of connections leads to {@code id}. */
    private Set<Integer> ancestorsOf(int id) {
        Set<Integer> seen = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>();
        todo.add(id);
        while (!todo.isEmpty()) {
            int v = todo.poll();
            for (Connection c : connections) {
                if (c.to() == v && seen.add(c.from())) {
                    todo.add(c.from());
                }
            }
        }
        return seen;
    }

    /** The computing nodes' ids in an order where every connection runs forward. */
    private static int[] topologicalOrder(List<Node> nodes, List<Connection> connections) {
        Map<Integer, Integer> pending = new HashMap<>(); // incoming links from computing nodes
        for (Node n : nodes) {
            pending.put(n.id(), 0);
        }
        for (Connection c : connections) {
            if (c.from() >= INPUTS) {
                pending.merge(c.to(), 1, Integer::sum);
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (Node n : nodes) {
            if (pending.get(n.id()) == 0) {
                ready.add(n.id());
            }
        }
        int[] order = new int[nodes.size()];
        int count = 0;
        while (!ready.isEmpty()) {
            int v = ready.poll();
            order[count++] = v;
            for (Connection c : connections) {
                if (c.from() == v && pending.merge(c.to(), -1, Integer::sum) == 0) {
                    ready.add(c.to());
                }
            }
        }
        if (count < nodes.size()) {
            throw new IllegalArgumentException("the connections form a cycle");
        }
        return order;
    }

    private static Activation randomActivation(Draws draws) {
        Activation[] all = Activation.values();
        return all[draws.index(all.length)];
    }
}
