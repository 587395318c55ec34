package dev.oodlab.train;

/** The argument check the training methods' builders share. */
final class Checks {

    private Checks() {}

    /** Throws an exception naming the option when {@code ok} is false. */
    static void option(boolean ok, String option, String requirement, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(
                    option + " must be " + requirement + ", got " + value);
        }
    }
}
