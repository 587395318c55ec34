/**
 * The {@code oodlab} command line (picocli): {@link dev.oodlab.cli.Main} and one class per
 * subcommand.
 */
package dev.oodlab.cli;
