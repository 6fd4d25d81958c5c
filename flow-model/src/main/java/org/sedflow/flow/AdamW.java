package org.sedflow.flow;

/** Adam with decoupled weight decay (Loshchilov & Hutter) and global-norm gradient clipping. */
final class AdamW {
    private static final double B1 = 0.9, B2 = 0.999, EPS = 1e-8;
    final float[] m, v;
    long step;

    AdamW(int n) {
        m = new float[n];
        v = new float[n];
    }

    /** One update of {@code p} with gradient {@code g}; false (and no update) if g is not finite. */
    boolean update(float[] p, float[] g, double lr, double weightDecay, double clipNorm) {
        return update(p, g, lr, weightDecay, clipNorm, null);
    }

    /** As above, each parameter's step scaled by {@code lrScale[i]} (null: all 1). */
    boolean update(float[] p, float[] g, double lr, double weightDecay, double clipNorm, float[] lrScale) {
        double sq = 0;
        for (float x : g) sq += (double) x * x;
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm)) return false;
        double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
        step++;
        double c1 = 1 - Math.pow(B1, step), c2 = 1 - Math.pow(B2, step);
        float a = (float) (lr / c1), decay = (float) (1 - lr * weightDecay), invC2 = (float) (1 / c2);
        for (int i = 0; i < p.length; i++) {
            float gi = (float) (g[i] * scale);
            m[i] = (float) (B1 * m[i] + (1 - B1) * gi);
            v[i] = (float) (B2 * v[i] + (1 - B2) * gi * gi);
            float step = a * m[i] / ((float) Math.sqrt(v[i] * invC2) + (float) EPS);
            p[i] = lrScale == null ? p[i] * decay - step : p[i] * (1 - (1 - decay) * lrScale[i]) - lrScale[i] * step;
        }
        return true;
    }
}
