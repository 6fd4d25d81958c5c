package org.sedflow.flow.kernel;

/** Hidden-layer non-linearity of the conditioner networks. */
public enum Activation {
    /** Rational-approximation tanh (smooth; the default of SEDflow's MAF). */
    TANH,
    /** max(0, x): cheapest. */
    RELU
}
