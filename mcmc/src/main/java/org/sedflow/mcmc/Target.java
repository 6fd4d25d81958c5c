package org.sedflow.mcmc;

import java.util.function.ToDoubleFunction;

/**
 * A log-density to sample (up to a constant). Evaluation may need scratch space, so each
 * sampler thread asks for its own function with {@link #newEvaluator()}.
 */
public interface Target {
    int dim();

    /** A log-density function for one thread: -infinity outside the support. */
    ToDoubleFunction<double[]> newEvaluator();
}
