/**
 * Charts for OOD experiments, drawn with XChart (and plain Java2D for heat maps): ROC and
 * precision–recall curves, confidence histograms, reliability diagrams, grouped bar charts, heat
 * maps, line charts and scatter plots.
 *
 * <p>Every factory returns a {@link dev.oodlab.viz.Figure}: a {@link java.awt.image.BufferedImage}
 * (600×400 by default) that a notebook cell displays as its last expression, and that can be saved
 * as PNG or SVG. Colours follow the Okabe–Ito palette ({@link dev.oodlab.viz.Palette}), which stays
 * distinguishable with the common colour-vision deficiencies; heat maps use viridis. The factories
 * call {@link dev.oodlab.OodLab#init()} first, so AWT runs headless.
 */
package dev.oodlab.viz;
