package dev.oodlab.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oodlab bench all}: runs every other subcommand of {@code oodlab bench}, whichever are
 * registered, with their defaults, then prints a summary: each benchmark's exit code and wall time,
 * and every ratio (unit {@code x}) found in their JSON files.
 *
 * <p>Options are passed on where a subcommand declares them: {@code --compare}, {@code --peers},
 * {@code --python}, {@code --repeats} (given here, else each benchmark's default) and {@code
 * --output-dir}. Nothing here names the benchmarks, so a new one joins by being added to {@link
 * BenchCommand}'s list. {@code --skip NAME} leaves one out.
 */
@Command(
        name = "all",
        mixinStandardHelpOptions = true,
        description = {
            "Run every bench subcommand with its defaults and summarise the ratios.",
            "Writes build/bench/all.json (and each benchmark its own file)."
        })
public final class BenchAllCommand implements Callable<Integer> {

    @Option(
            names = "--compare",
            description = "pass --compare to every benchmark that has it (runs the peers)")
    boolean compare;

    @Option(
            names = "--skip",
            split = ",",
            paramLabel = "NAME",
            description = "benchmarks to leave out")
    List<String> skip = new ArrayList<>();

    @Option(
            names = "--peers",
            paramLabel = "DIR",
            description = "passed to the benchmarks that have --peers")
    Path peers;

    @Option(
            names = "--python",
            paramLabel = "EXE",
            description = "passed to the benchmarks that have --python")
    String python;

    @Option(
            names = "--repeats",
            paramLabel = "N",
            description =
                    "passed to the benchmarks that have --repeats (train: N alternating runs of"
                            + " each configuration and its peer; about N times as long)")
    Integer repeats;

    @Mixin BenchReport.Output output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Runs the benchmarks one after the other; the exit code is the largest of theirs. */
    @Override
    public Integer call() throws IOException {
        Peers.checkOption(peers, spec);
        output.check(spec);
        if (repeats != null && repeats < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--repeats must be at least 1, got " + repeats);
        }
        PrintWriter out = spec.commandLine().getOut();
        CommandLine group = spec.commandLine().getParent();
        BenchReport report = new BenchReport("all");
        report.detail("compare", compare)
                .detail("repeats", repeats == null ? "default" : repeats.toString())
                .detail("load_average_start", BenchMachine.loadAverageText());
        List<String> ratios = new ArrayList<>();
        Map<CommandLine, Boolean> seen = new IdentityHashMap<>();
        int worst = 0;
        long allStart = System.nanoTime();
        for (Map.Entry<String, CommandLine> e : group.getSubcommands().entrySet()) {
            CommandLine sub = e.getValue();
            String name = sub.getCommandName();
            if (sub == spec.commandLine()
                    || seen.put(sub, Boolean.TRUE) != null
                    || name.equals("help")
                    || skip.contains(name)) {
                continue;
            }
            List<String> args = arguments(sub.getCommandSpec());
            out.println(
                    "== oodlab bench "
                            + name
                            + (args.isEmpty() ? "" : " " + String.join(" ", args)));
            out.flush();
            long start = System.nanoTime();
            int code = sub.execute(args.toArray(new String[0]));
            double seconds = (System.nanoTime() - start) / 1e9;
            worst = Math.max(worst, code);
            report.add(name + " exit code", code, "");
            report.add(name + " wall time", seconds, "s");
            Path json = output.directory().resolve(name + ".json");
            for (JsonObject figure : ratioFigures(json, start)) {
                String label = name + ": " + figure.get("figure").getAsString();
                report.add(label, figure.get("value").getAsDouble(), "x");
                ratios.add(label);
            }
            out.println();
        }
        report.add("total wall time", (System.nanoTime() - allStart) / 1e9, "s");
        report.detail("load_average_end", BenchMachine.loadAverageText());
        out.println("== summary");
        report.print(out);
        if (!ratios.isEmpty()) {
            out.println("ratios: ours / theirs for throughput, > 1 means oodlab is faster");
            out.println(Peers.STACK_NOTE);
        }
        out.println("load average (1, 5, 15 min): " + BenchMachine.loadAverageText());
        Path file = report.write(output.directory());
        out.println("wrote " + file);
        out.flush();
        return worst;
    }

    /** The options this command passes on to a benchmark that declares them. */
    private List<String> arguments(CommandLine.Model.CommandSpec sub) {
        List<String> args = new ArrayList<>();
        if (compare && sub.findOption("--compare") != null) {
            args.add("--compare");
        }
        if (peers != null && sub.findOption("--peers") != null) {
            args.add("--peers");
            args.add(peers.toString());
        }
        if (python != null && sub.findOption("--python") != null) {
            args.add("--python");
            args.add(python);
        }
        if (repeats != null && sub.findOption("--repeats") != null) {
            args.add("--repeats");
            args.add(Integer.toString(repeats));
        }
        if (sub.findOption("--output-dir") != null) {
            args.add("--output-dir");
            args.add(output.directory().toString());
        }
        return args;
    }

    /** The figures with unit {@code x} of a benchmark's JSON file written after {@code start}. */
    static List<JsonObject> ratioFigures(Path json, long startNanos) {
        List<JsonObject> list = new ArrayList<>();
        try {
            if (!Files.isRegularFile(json)) {
                return list;
            }
            long ageMillis =
                    System.currentTimeMillis() - Files.getLastModifiedTime(json).toMillis();
            long runMillis = (System.nanoTime() - startNanos) / 1_000_000;
            if (ageMillis > runMillis + 1000) {
                return list; // left over from an earlier run
            }
            JsonObject root =
                    JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            if (!root.has("figures")) {
                return list;
            }
            for (JsonElement e : root.getAsJsonArray("figures")) {
                JsonObject figure = e.getAsJsonObject();
                if (figure.has("unit")
                        && figure.get("unit").getAsString().toLowerCase(Locale.ROOT).equals("x")) {
                    list.add(figure);
                }
            }
        } catch (IOException | RuntimeException e) {
            return list;
        }
        return list;
    }
}
