package dev.oodlab.train;

/**
 * The options several methods share, declared once so that their name, range and help agree: α of
 * the mixing methods, ε of the FGSM step, β of the confidence losses, σ of the noise methods.
 */
final class SharedOptions {

    /** α of Beta(α, α), the mixing weight's distribution. */
    static final MethodOption ALPHA =
            MethodOption.real(
                    "alpha",
                    MethodOption.Range.POSITIVE,
                    "1",
                    "Beta(alpha, alpha) of the mixing methods");

    /** ε, the FGSM step in pixel units. */
    static final MethodOption EPSILON =
            MethodOption.real(
                    "epsilon",
                    MethodOption.Range.NON_NEGATIVE,
                    "0.1; 8/255 on cifar10",
                    "FGSM step, pixel units");

    /** β, the weight of the outlier term of the confidence losses. */
    static final MethodOption BETA =
            MethodOption.real(
                    "beta",
                    MethodOption.Range.NON_NEGATIVE,
                    "1",
                    "Outlier weight of the confidence losses");

    /** σ, the standard deviation of the Gaussian noise, pixel units. */
    static final MethodOption SIGMA =
            MethodOption.real(
                    "sigma", MethodOption.Range.POSITIVE, "0.25", "Noise sd, pixel units");

    private SharedOptions() {}
}
