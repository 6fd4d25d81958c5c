package org.sedflow.flow.transform;

/** Fixed per-dimension {@code z = (y - shift) / scale}, fitted on the training data. */
public final class Standardize implements Transform {
    private static final Scratch NONE = new Scratch() {};
    private final double[] shift, scale;
    private final double logDetConst;

    public Standardize(double[] shift, double[] scale) {
        this.shift = shift.clone();
        this.scale = scale.clone();
        double ld = 0;
        for (double s : scale) ld -= Math.log(s);
        logDetConst = ld;
    }

    @Override
    public int dim() {
        return shift.length;
    }

    @Override
    public int paramCount() {
        return 0;
    }

    @Override
    public Scratch newScratch(int maxRows) {
        return NONE;
    }

    @Override
    public void forward(float[] p, double[] in, double[] out, int rows, Context c, double[] logDet, Scratch s) {
        int d = shift.length;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) out[r * d + j] = (in[r * d + j] - shift[j]) / scale[j];
            logDet[r] += logDetConst;
        }
    }

    @Override
    public void inverse(float[] p, double[] in, double[] out, int rows, Context c, double[] logDet, Scratch s) {
        int d = shift.length;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < d; j++) out[r * d + j] = in[r * d + j] * scale[j] + shift[j];
            if (logDet != null) logDet[r] -= logDetConst;
        }
    }

    @Override
    public void backward(
            float[] p,
            float[] grad,
            double[] in,
            double[] gOut,
            double gLogDet,
            double[] gIn,
            int rows,
            Context c,
            Scratch s) {
        int d = shift.length;
        for (int i = 0; i < rows * d; i++) gIn[i] = gOut[i] / scale[i % d];
    }
}
