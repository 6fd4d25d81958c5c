package org.sedflow.sps;

/**
 * Every random stream's seed, derived in one place from the caller's seed and the stream's
 * coordinates with SplitMix64's output mix (Steele, Lea & Flood 2014), so a stream depends only
 * on what names it, never on thread, batch or call order. The named constants keep streams
 * that share coordinates apart.
 */
public final class Seeds {
    /** Row streams that are not a sampling chunk: the MCMC chain's start, the importance resampling. */
    public static final int MCMC_CHAIN = -1, RESAMPLING = -2;
    /**
     * Seeds xor-ed with these start streams of their own: noisy realisations, inflated test sigmas,
     * MCMC independence proposals, redshift draws within a quoted z error, the galaxies whose
     * refined posteriors a training run distils.
     */
    public static final long NOISE = 0x4E4F495345L,
            INFLATION = 0x494E464CL,
            INDEPENDENCE_PROPOSALS = 0x1D1DL,
            REDSHIFT = 0x5A4552524FL,
            DISTILLATION = 0x44495354494CL;

    private Seeds() {}

    /** A row's stream: chunk k of its posterior draws (0, 1, ...), or one of the named slots above. */
    public static long row(long seed, long rowHash, int chunk) {
        return finalizer(seed * 0x9E3779B97F4A7C15L + rowHash + 0xD1B54A32D192ED03L * (chunk + 1L));
    }

    /** An ensemble sampler's stream for one walker (or half-ensemble) at one step. */
    public static long walker(long seed, int step, int walker) {
        return finalizer(seed * 0x9E3779B97F4A7C15L
                + step * 0xBF58476D1CE4E5B9L
                + walker * 0x94D049BB133111EBL
                + 0x2545F4914F6CDD1DL);
    }

    /** SplitMix64's output mix. */
    static long finalizer(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
