/**
 * The benchmark harness, {@code oodlab bench} (its own Maven module, so the library jar carries no
 * benchmark code): {@link dev.oodlab.bench.BenchCommand} and one command per benchmark, the report
 * they write ({@link dev.oodlab.bench.BenchReport}), the machine's figures ({@link
 * dev.oodlab.bench.BenchMachine}), FLOP counts ({@link dev.oodlab.bench.TrainingFlops}) and the
 * Python peers they compare with ({@link dev.oodlab.bench.Peers}). {@link
 * dev.oodlab.bench.BenchMain} is the launcher's main class: the library's command line plus {@code
 * bench}.
 */
package dev.oodlab.bench;
