/**
 * oodlab: why neural classifiers are overconfident on inputs they have never seen, and the training
 * methods, detectors, certification and metrics that measure and fix it.
 *
 * <p>Packages: {@code data} (readers and generated sets), {@code nn} (models), {@code attack},
 * {@code train} (training methods and the loop), {@code detect} (post-hoc OOD scorers), {@code
 * metrics}, {@code smoothing} (randomized-smoothing certification), {@code fooling} (evolved
 * fooling images), {@code viz} (charts), {@code report} (result tables), {@code notebook} (display
 * helpers for Java kernels) and {@code cli}. The benchmark harness, {@code oodlab bench}, is a
 * separate module ({@code bench/}, package {@code dev.oodlab.bench}) on top of this library. {@link
 * dev.oodlab.OodLab} holds the process-wide engine settings.
 */
package dev.oodlab;
