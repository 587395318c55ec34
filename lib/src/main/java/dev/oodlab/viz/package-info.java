/**
 * Charts for OOD experiments, drawn with XChart (and plain Java2D for heat maps): ROC and
 * precision–recall curves, confidence histograms, reliability diagrams, grouped bar charts, heat
 * maps, line charts and scatter plots.
 *
 * <p>Every factory returns a {@link dev.oodlab.viz.Figure}: a {@link java.awt.image.BufferedImage}
 * (600×400 by default) that a notebook cell displays as its last expression, and that can be saved
 * as PNG or SVG. The factories call {@link dev.oodlab.OodLab#init()} first, so AWT runs headless.
 *
 * <p>One visual language for every chart of the series:
 *
 * <ul>
 *   <li>a method, a detector or a data set has one colour everywhere ({@link
 *       dev.oodlab.viz.Palette#method}, {@link dev.oodlab.viz.Palette#oodSet}; Okabe–Ito and Tol's
 *       colour-blind-safe colours); heat maps use viridis;
 *   <li>the legend sits outside the plot, below it when it fits in one row, else to its right;
 *   <li>maps of a plane keep one unit of x as long as one of y ({@link
 *       dev.oodlab.viz.HeatMap.Builder#optEqualAspect});
 *   <li>bar axes are zoomed to the data; means over seeds carry ± sd error bars, cut at the axis
 *       range; a bar too low to see is labelled with its value ({@link
 *       dev.oodlab.viz.GroupedBarChart});
 *   <li>histograms can count on a logarithmic axis, and panels of one row share their y axis
 *       ({@link dev.oodlab.viz.HistogramChart});
 *   <li>reliability diagrams print each bin's count and draw no bar for an empty bin;
 *   <li>titles, axis titles and legend entries are typeset: {@code sigma}, {@code alpha}, {@code
 *       eps}, {@code PhiInv}, {@code x^2}, {@code >=} … become σ, α, ε, Φ⁻¹, x², ≥.
 * </ul>
 */
package dev.oodlab.viz;
