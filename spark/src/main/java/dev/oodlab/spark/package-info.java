/**
 * oodlab on Apache Spark: sweeps of {@code oodlab train} runs as Spark jobs ({@link
 * dev.oodlab.spark.Sweep}, {@code oodlab sweep}) and OOD scoring of large image sets over a cluster
 * ({@link dev.oodlab.spark.DistributedScoring}). An optional module: the library jar the notebooks
 * load carries no Spark.
 */
package dev.oodlab.spark;
