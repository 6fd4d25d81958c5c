package org.sedflow.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sedflow.flow.kernel.Activation;
import org.sedflow.flow.kernel.Mlp;
import org.sedflow.flow.transform.CompositeTransform;
import org.sedflow.flow.transform.ConditionalAffine;
import org.sedflow.flow.transform.Permutation;
import org.sedflow.flow.transform.Transform;

/**
 * The hand-written back-propagation against ND4J SameDiff's autodiff, an independent implementation:
 * the same flow (same weights, read from the documented parameter layout) is rebuilt as a SameDiff
 * graph in double precision and both gradients of the summed NLL are compared weight by weight.
 */
class SameDiffGradientTest {
    static final int D = 4, C = 3, ROWS = 9;

    @Test
    void gradientsMatchSameDiff() {
        FlowArchitecture[] archs = {
            new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 3, 20, 2, Activation.TANH, 3, 4),
            new FlowArchitecture(FlowArchitecture.Kind.COUPLING, 2, 24, 3, Activation.RELU, 2, 5),
            new FlowArchitecture(FlowArchitecture.Kind.MAF, 3, 18, 2, Activation.TANH, 3, 6),
        };
        for (FlowArchitecture arch : archs) {
            TestFlows.GradientCase g = TestFlows.GradientCase.of(arch, D, C, ROWS, 17);
            float[] p = g.params(), ours = g.grad();
            double nll = g.nll();

            Oracle o = new Oracle(g.transform(), p, g.batch());
            assertEquals(o.loss, nll, 1e-4 * Math.abs(nll), arch + ": loss");
            double worst = 0;
            int compared = 0;
            for (int i = 0; i < p.length; i++) {
                if (p[i] == 0) {
                    assertTrue(ours[i] == 0, arch + ": masked or padding weight " + i + " must get no gradient");
                    continue;
                }
                double ref = o.grad[i], err = Math.abs(ref - ours[i]) / Math.max(1e-2, Math.abs(ref));
                worst = Math.max(worst, err);
                assertTrue(err < 1e-3, arch + ": weight " + i + " ours " + ours[i] + " SameDiff " + ref);
                compared++;
            }
            System.out.printf(
                    "%s %s: %d weights, worst relative difference %.1e%n",
                    arch.kind(), arch.activation(), compared, worst);
        }
    }

    /** The flow as a SameDiff graph; the gradient is scattered back into our flat layout. */
    static final class Oracle {
        final SameDiff sd = SameDiff.create();
        final List<String> names = new ArrayList<>();
        final List<int[]> slots = new ArrayList<>(); // {offset, rows, cols}
        final double loss;
        final double[] grad;

        Oracle(CompositeTransform flow, float[] p, NllLoss.Buffers b) {
            SDVariable state = sd.constant(matrix(b.u, ROWS, D));
            double[] ctxD = new double[ROWS * C];
            for (int i = 0; i < ctxD.length; i++) ctxD[i] = b.ctx[i];
            SDVariable ctx = sd.constant(matrix(ctxD, ROWS, C));
            SDVariable logDet = sd.constant(Nd4j.zeros(DataType.DOUBLE, ROWS));
            for (Transform part : flow.parts()) {
                if (part instanceof Permutation perm) {
                    int[] idx = perm.indices();
                    double[] m = new double[D * D];
                    for (int j = 0; j < D; j++) m[idx[j] * D + j] = 1;
                    state = state.mmul(sd.constant(matrix(m, D, D)));
                } else {
                    ConditionalAffine a = (ConditionalAffine) part;
                    int[] cond = a.conditionerColumns(), tr = a.transformedColumns();
                    int nb = tr.length;
                    SDVariable out = mlp(a.net(), p, state.mmul(sd.constant(selector(cond))), ctx);
                    int op = a.net().outWidth();
                    double[] ss = new double[op * nb], st = new double[op * nb];
                    for (int k = 0; k < nb; k++) {
                        ss[k * nb + k] = 1;
                        st[(nb + k) * nb + k] = 1;
                    }
                    SDVariable raw = out.mmul(sd.constant(matrix(ss, op, nb)));
                    SDVariable shift = out.mmul(sd.constant(matrix(st, op, nb)));
                    double sb = a.scaleBound();
                    SDVariable s = sd.math().tanh(raw.div(sb)).mul(sb);
                    SDVariable sel = sd.constant(selector(tr)),
                            back = sd.constant(selector(tr).transpose().dup());
                    SDVariable z = state.mmul(sel).mul(sd.math().exp(s)).add(shift);
                    double[] keep = new double[D * D];
                    for (int j = 0; j < D; j++) keep[j * D + j] = 1;
                    for (int c : tr) keep[c * D + c] = 0;
                    state = state.mmul(sd.constant(matrix(keep, D, D))).add(z.mmul(back));
                    logDet = logDet.add(s.sum(1));
                }
            }
            SDVariable nll = state.mul(state)
                    .sum(1)
                    .mul(0.5)
                    .add(0.5 * D * Math.log(2 * Math.PI))
                    .sub(logDet)
                    .sum();
            nll.markAsLoss();
            loss = sd.outputSingle(Map.of(), nll.name()).getDouble(0);
            Map<String, INDArray> g = sd.calculateGradients(Map.of(), names.toArray(new String[0]));
            grad = new double[p.length];
            for (int k = 0; k < names.size(); k++) {
                int[] slot = slots.get(k);
                INDArray gk = g.get(names.get(k));
                for (int r = 0; r < slot[1]; r++)
                    for (int c = 0; c < slot[2]; c++) grad[slot[0] + r * slot[2] + c] = gk.getDouble(r, c);
            }
        }

        /** Dense layers read from the layout documented in {@link Mlp}. */
        SDVariable mlp(Mlp net, float[] p, SDVariable in, SDVariable ctx) {
            int hp = net.hiddenWidth(), op = net.outWidth(), off = net.offset();
            SDVariable wx = weight(p, off, net.inputs(), hp);
            off += net.inputs() * hp;
            SDVariable wc = weight(p, off, net.contextInputs(), hp);
            off += net.contextInputs() * hp;
            SDVariable h = act(net, in.mmul(wx).add(ctx.mmul(wc)).add(weight(p, off, 1, hp)));
            off += hp;
            for (int l = 1; l < net.hiddenLayers(); l++) {
                SDVariable w = weight(p, off, hp, hp);
                off += hp * hp;
                h = act(net, h.mmul(w).add(weight(p, off, 1, hp)));
                off += hp;
            }
            SDVariable wo = weight(p, off, hp, op);
            off += hp * op;
            return h.mmul(wo).add(weight(p, off, 1, op));
        }

        SDVariable act(Mlp net, SDVariable x) {
            return net.activation() == Activation.TANH
                    ? sd.math().tanh(x)
                    : sd.nn().relu(x, 0);
        }

        SDVariable weight(float[] p, int off, int rows, int cols) {
            double[] w = new double[rows * cols];
            for (int i = 0; i < w.length; i++) w[i] = p[off + i];
            String name = "w" + names.size();
            names.add(name);
            slots.add(new int[] {off, rows, cols});
            return sd.var(name, matrix(w, rows, cols));
        }

        /** D x k matrix picking the given columns of the state. */
        static INDArray selector(int[] cols) {
            double[] m = new double[D * cols.length];
            for (int k = 0; k < cols.length; k++) m[cols[k] * cols.length + k] = 1;
            return matrix(m, D, cols.length);
        }

        static INDArray matrix(double[] v, int rows, int cols) {
            return Nd4j.create(v, new long[] {rows, cols}, DataType.DOUBLE);
        }
    }
}
