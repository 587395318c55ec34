/**
 * Writing outputs so that a reader never sees half of them: {@link dev.oodlab.io.AtomicFile} writes
 * one file through a temporary file renamed over the target; {@link dev.oodlab.io.StagedDirectory}
 * fills a temporary folder and renames it into place. Depends on nothing else in the library.
 */
package dev.oodlab.io;
