/**
 * Notebook display helpers: {@link dev.oodlab.notebook.Notebook} shows HTML, tables and images
 * portably across Java kernels (rapaio, IJava, JJava); {@link dev.oodlab.notebook.ImageGrid} draws
 * image grids.
 */
package dev.oodlab.notebook;
