package org.sedflow.flow.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;

/**
 * A small PNG chart on Java2D (no plotting dependency): line series, points, bars and
 * shaded bands in data coordinates, linear axes with ticks. Several panels can share one
 * image through {@link Grid}.
 */
public final class Chart {
    public static final Color[] PALETTE = {
        new Color(31, 119, 180),
        new Color(255, 127, 14),
        new Color(44, 160, 44),
        new Color(214, 39, 40),
        new Color(148, 103, 189),
        new Color(140, 86, 75)
    };

    private final String title, xLabel, yLabel;
    private double xMin = Double.NaN, xMax, yMin = Double.NaN, yMax;
    private final List<Item> items = new ArrayList<>();
    private final List<String> legend = new ArrayList<>();
    private final List<Color> legendColors = new ArrayList<>();

    private sealed interface Item permits Line, Points, Bars, Band {}

    private record Line(double[] x, double[] y, Color c, float width, boolean dashed) implements Item {}

    private record Points(double[] x, double[] y, Color c, int size) implements Item {}

    private record Bars(double[] left, double[] right, double[] h, Color c) implements Item {}

    private record Band(double[] x, double[] lo, double[] hi, Color c) implements Item {}

    public Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public Chart xRange(double lo, double hi) {
        xMin = lo;
        xMax = hi;
        return this;
    }

    public Chart yRange(double lo, double hi) {
        yMin = lo;
        yMax = hi;
        return this;
    }

    public Chart line(double[] x, double[] y, Color c, String label) {
        items.add(new Line(x, y, c, 2f, false));
        return label(label, c);
    }

    public Chart dashed(double[] x, double[] y, Color c, String label) {
        items.add(new Line(x, y, c, 1.5f, true));
        return label(label, c);
    }

    public Chart points(double[] x, double[] y, Color c, int size, String label) {
        items.add(new Points(x, y, c, size));
        return label(label, c);
    }

    /** Histogram bars: bin i spans [edges[i], edges[i+1]] with height h[i]. */
    public Chart bars(double[] edges, double[] h, Color c, String label) {
        double[] l = new double[h.length], r = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            l[i] = edges[i];
            r[i] = edges[i + 1];
        }
        items.add(new Bars(l, r, h, c));
        return label(label, c);
    }

    /** A shaded band between lo(x) and hi(x). */
    public Chart band(double[] x, double[] lo, double[] hi, Color c, String label) {
        items.add(new Band(x, lo, hi, c));
        return label(label, c);
    }

    private Chart label(String label, Color c) {
        if (label != null) {
            legend.add(label);
            legendColors.add(c);
        }
        return this;
    }

    /** Writes this chart alone as a PNG. */
    public void write(Path file, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        draw(g, 0, 0, width, height);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** Several charts in a rows x cols grid, one PNG. */
    public static void grid(Path file, List<Chart> charts, int cols, int cellW, int cellH) throws IOException {
        int rows = (charts.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * cellW, rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < charts.size(); i++)
            charts.get(i).draw(g, (i % cols) * cellW, (i / cols) * cellH, cellW, cellH);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private void autoRange() {
        if (!Double.isNaN(xMin) && !Double.isNaN(yMin)) return;
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (Item it : items) {
            double[][] xs, ys;
            if (it instanceof Line l) {
                xs = new double[][] {l.x};
                ys = new double[][] {l.y};
            } else if (it instanceof Points p) {
                xs = new double[][] {p.x};
                ys = new double[][] {p.y};
            } else if (it instanceof Bars b) {
                xs = new double[][] {b.left, b.right};
                ys = new double[][] {b.h, {0}};
            } else {
                Band b = (Band) it;
                xs = new double[][] {b.x};
                ys = new double[][] {b.lo, b.hi};
            }
            for (double[] a : xs)
                for (double v : a)
                    if (Double.isFinite(v)) {
                        x0 = Math.min(x0, v);
                        x1 = Math.max(x1, v);
                    }
            for (double[] a : ys)
                for (double v : a)
                    if (Double.isFinite(v)) {
                        y0 = Math.min(y0, v);
                        y1 = Math.max(y1, v);
                    }
        }
        if (x0 > x1) {
            x0 = 0;
            x1 = 1;
        }
        if (y0 > y1) {
            y0 = 0;
            y1 = 1;
        }
        if (x0 == x1) {
            x0 -= 0.5;
            x1 += 0.5;
        }
        if (y0 == y1) {
            y0 -= 0.5;
            y1 += 0.5;
        }
        double pad = 0.04 * (y1 - y0);
        if (Double.isNaN(xMin)) {
            xMin = x0;
            xMax = x1;
        }
        if (Double.isNaN(yMin)) {
            yMin = y0 - pad;
            yMax = y1 + pad;
        }
    }

    private void draw(Graphics2D g, int ox, int oy, int w, int h) {
        autoRange();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int left = ox + 62, right = ox + w - 12, top = oy + 28, bottom = oy + h - 42;
        DoubleUnaryOperator px = v -> left + (v - xMin) / (xMax - xMin) * (right - left);
        DoubleUnaryOperator py = v -> bottom - (v - yMin) / (yMax - yMin) * (bottom - top);
        Shape clip = g.getClip();
        g.setClip(left, top, right - left, bottom - top);
        for (Item it : items) {
            if (it instanceof Band b) {
                g.setColor(new Color(b.c.getRed(), b.c.getGreen(), b.c.getBlue(), 60));
                Path2D.Double p = new Path2D.Double();
                for (int i = 0; i < b.x.length; i++) {
                    if (i == 0) p.moveTo(px.applyAsDouble(b.x[i]), py.applyAsDouble(b.hi[i]));
                    else p.lineTo(px.applyAsDouble(b.x[i]), py.applyAsDouble(b.hi[i]));
                }
                for (int i = b.x.length - 1; i >= 0; i--) p.lineTo(px.applyAsDouble(b.x[i]), py.applyAsDouble(b.lo[i]));
                p.closePath();
                g.fill(p);
            } else if (it instanceof Bars b) {
                for (int i = 0; i < b.h.length; i++) {
                    double x0 = px.applyAsDouble(b.left[i]), x1 = px.applyAsDouble(b.right[i]);
                    double y0 = py.applyAsDouble(Math.max(yMin, 0)), y1 = py.applyAsDouble(b.h[i]);
                    g.setColor(new Color(b.c.getRed(), b.c.getGreen(), b.c.getBlue(), 150));
                    g.fill(new Rectangle2D.Double(x0, Math.min(y0, y1), Math.max(1, x1 - x0 - 1), Math.abs(y0 - y1)));
                }
            } else if (it instanceof Line l) {
                g.setColor(l.c);
                g.setStroke(
                        l.dashed
                                ? new BasicStroke(
                                        l.width,
                                        BasicStroke.CAP_BUTT,
                                        BasicStroke.JOIN_ROUND,
                                        1f,
                                        new float[] {6f, 4f},
                                        0f)
                                : new BasicStroke(l.width));
                for (int i = 1; i < l.x.length; i++) {
                    if (!Double.isFinite(l.y[i - 1]) || !Double.isFinite(l.y[i])) continue;
                    g.draw(new Line2D.Double(
                            px.applyAsDouble(l.x[i - 1]),
                            py.applyAsDouble(l.y[i - 1]),
                            px.applyAsDouble(l.x[i]),
                            py.applyAsDouble(l.y[i])));
                }
            } else if (it instanceof Points p) {
                g.setColor(new Color(p.c.getRed(), p.c.getGreen(), p.c.getBlue(), 110));
                for (int i = 0; i < p.x.length; i++) {
                    if (!Double.isFinite(p.x[i]) || !Double.isFinite(p.y[i])) continue;
                    g.fill(new Ellipse2D.Double(
                            px.applyAsDouble(p.x[i]) - p.size / 2.0,
                            py.applyAsDouble(p.y[i]) - p.size / 2.0,
                            p.size,
                            p.size));
                }
            }
        }
        g.setClip(clip);
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double t : ticks(xMin, xMax)) {
            int x = (int) px.applyAsDouble(t);
            g.drawLine(x, bottom, x, bottom + 4);
            String s = fmt(t);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, bottom + 16);
        }
        for (double t : ticks(yMin, yMax)) {
            int y = (int) py.applyAsDouble(t);
            g.drawLine(left - 4, y, left, y);
            String s = fmt(t);
            g.drawString(s, left - 6 - g.getFontMetrics().stringWidth(s), y + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(xLabel, (left + right) / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, bottom + 34);
        AffineTransform at = g.getTransform();
        g.rotate(-Math.PI / 2, ox + 14, (top + bottom) / 2.0);
        g.drawString(yLabel, ox + 14 - g.getFontMetrics().stringWidth(yLabel) / 2, (top + bottom) / 2 + 4);
        g.setTransform(at);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, left, oy + 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < legend.size(); i++) {
            int y = top + 14 + 14 * i;
            g.setColor(legendColors.get(i));
            g.fillRect(right - 130, y - 8, 10, 8);
            g.setColor(Color.DARK_GRAY);
            g.drawString(legend.get(i), right - 116, y);
        }
    }

    static double[] ticks(double lo, double hi) {
        double span = hi - lo, raw = span / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        List<Double> t = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step)
            t.add(Math.abs(v) < 1e-12 * step ? 0 : v);
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return Long.toString((long) v);
        return String.format("%.3g", v);
    }
}
