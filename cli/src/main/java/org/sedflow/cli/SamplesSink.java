package org.sedflow.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Quantities;
import org.sedflow.posterior.SedPosterior;

/**
 * {@code --samples-out}: every posterior sample. CSV: one line per sample (row, sample, the 17
 * quantities). FITS: one row per galaxy (row, flag, then each quantity as an array of the
 * samples, float32; NaN where a galaxy has no posterior).
 */
interface SamplesSink extends Closeable {
    void write(long row, Posterior p) throws IOException;

    static SamplesSink open(Path out, int samples, SedPosterior service) throws IOException {
        return CatalogTable.isFitsName(out) ? new Fits(out, samples, service) : new CsvSink(out);
    }

    final class CsvSink implements SamplesSink {
        private final BufferedWriter w;
        private final StringBuilder sb = new StringBuilder();

        CsvSink(Path out) throws IOException {
            w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
            w.write("row,sample," + String.join(",", Posterior.QUANTITIES));
            w.newLine();
        }

        @Override
        public void write(long row, Posterior p) throws IOException {
            for (int i = 0; i < p.sampleCount(); i++) {
                sb.setLength(0);
                sb.append(row).append(',').append(i);
                for (int q = 0; q < Posterior.Q; q++) sb.append(',').append((float) p.sample(i, q));
                w.write(sb.toString());
                w.newLine();
            }
        }

        @Override
        public void close() throws IOException {
            w.close();
        }
    }

    final class Fits implements SamplesSink {
        private final FitsTableWriter w;
        private final int n;

        Fits(Path out, int n, SedPosterior service) throws IOException {
            this.n = n;
            List<FitsTableWriter.Column> cols = new ArrayList<>();
            cols.add(FitsTableWriter.Column.of("row", "1K", 8, null));
            cols.add(FitsTableWriter.Column.of("flag", PosteriorSink.FLAG_WIDTH + "A", PosteriorSink.FLAG_WIDTH, null));
            for (Quantities.Quantity q : Quantities.ALL)
                cols.add(FitsTableWriter.Column.of(q.name(), n + "E", 4 * n, q.unit()));
            w = new FitsTableWriter(out, PosteriorSink.provenance(service, "posterior --samples-out"), cols);
        }

        @Override
        public void write(long row, Posterior p) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(w.rowBytes());
            b.putLong(row);
            PosteriorSink.putFlag(b, p.flag());
            boolean has = p.hasSamples() && p.sampleCount() == n;
            for (int q = 0; q < Posterior.Q; q++)
                for (int i = 0; i < n; i++) b.putFloat(has ? (float) p.sample(i, q) : Float.NaN);
            w.write(b.array());
        }

        @Override
        public void close() throws IOException {
            w.close();
        }
    }
}
