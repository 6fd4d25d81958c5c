package org.sedflow.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Quantities;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.posterior.Summary;
import org.sedflow.sps.Csv;

/**
 * Where {@code sedflow posterior} writes each galaxy's answer: the input row as it was, then
 * Q_p16, Q_p50, Q_p84, Q_mean for the 18 quantities ({@link SummaryColumns}), flag, time_ms (and ess when refined).
 * CSV (summaries to 5 significant digits, a sedflow_version column) or FITS (.fits: doubles,
 * units from {@link Quantities}, the code version and model SHA-256 in the primary header).
 */
interface PosteriorSink extends Closeable {
    /** The width of the FITS flag column; no flag comes near it (7 band reasons and 3 others are ~150 characters). */
    int FLAG_WIDTH = 192;

    void write(CatalogTable.Row row, Posterior p, double ess) throws IOException;

    static PosteriorSink open(Path out, CatalogTable in, SedPosterior service, boolean refined) throws IOException {
        return CatalogTable.isFitsName(out)
                ? new Fits(out, in, service, refined)
                : new CsvSink(out, in, service, refined);
    }

    /** The primary-header cards of a FITS output: what made it. */
    static Map<String, String> provenance(SedPosterior service, String what) {
        Map<String, String> k = new LinkedHashMap<>();
        String model = service.model();
        int at = model.lastIndexOf(" sha256:");
        k.put("CREATOR", "sedflow " + what);
        k.put("SEDFVER", SedPosterior.CODE_VERSION);
        k.put("MODEL", at < 0 ? model : model.substring(0, at));
        if (at >= 0) k.put("MODELSHA", model.substring(at + 8));
        return k;
    }

    /** The FITS flag cell; a flag wider than the column would be cut, so it is an error instead. */
    static void putFlag(ByteBuffer b, String flag) {
        if (flag.length() > FLAG_WIDTH)
            throw new IllegalStateException("a flag of " + flag.length() + " characters: " + flag);
        FitsTableWriter.putText(b, FLAG_WIDTH, flag);
    }

    final class CsvSink implements PosteriorSink {
        private final BufferedWriter w;
        private final int cells;
        private final boolean refined;
        private final String version;
        private final StringBuilder sb = new StringBuilder();

        CsvSink(Path out, CatalogTable in, SedPosterior service, boolean refined) throws IOException {
            this.w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
            this.cells = in.cells().size();
            this.refined = refined;
            this.version = Csv.quote(service.provenance());
            for (String h : in.cells()) sb.append(Csv.quote(h)).append(',');
            SummaryColumns.header(sb);
            sb.append(refined ? "flag,time_ms,ess" : "flag,time_ms").append(",sedflow_version");
            w.write(sb.toString());
            w.newLine();
        }

        @Override
        public void write(CatalogTable.Row row, Posterior p, double ess) throws IOException {
            sb.setLength(0);
            for (int c = 0; c < cells; c++) sb.append(Csv.quote(row.text(c))).append(',');
            SummaryColumns.values(sb, Summary.of(p));
            sb.append(Csv.quote(p.flag())).append(',').append(String.format("%.2f", p.threadMillis()));
            if (refined) sb.append(',').append(Double.isNaN(ess) ? "" : String.format("%.0f", ess));
            sb.append(',').append(version); // provenance: code version, model file and its SHA-256
            w.write(sb.toString());
            w.newLine();
        }

        @Override
        public void close() throws IOException {
            w.close();
        }
    }

    final class Fits implements PosteriorSink {
        private final FitsTableWriter w;
        private final Passthrough pass;
        private final boolean refined;

        Fits(Path out, CatalogTable in, SedPosterior service, boolean refined) throws IOException {
            this.pass = Passthrough.of(in);
            this.refined = refined;
            List<FitsTableWriter.Column> cols = new ArrayList<>(pass.columns());
            for (int c = 0; c < SummaryColumns.NAMES.size(); c++)
                cols.add(FitsTableWriter.Column.of(SummaryColumns.NAMES.get(c), "1D", 8, SummaryColumns.UNITS.get(c)));
            cols.add(FitsTableWriter.Column.of("flag", FLAG_WIDTH + "A", FLAG_WIDTH, null));
            cols.add(FitsTableWriter.Column.of("time_ms", "1D", 8, "ms"));
            if (refined) cols.add(FitsTableWriter.Column.of("ess", "1D", 8, null));
            this.w = new FitsTableWriter(out, provenance(service, "posterior"), cols);
        }

        @Override
        public void write(CatalogTable.Row row, Posterior p, double ess) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(w.rowBytes());
            pass.put(b, row);
            for (double v : SummaryColumns.numbers(Summary.of(p))) b.putDouble(v);
            putFlag(b, p.flag());
            b.putDouble(p.threadMillis());
            if (refined) b.putDouble(ess);
            w.write(b.array());
        }

        @Override
        public void close() throws IOException {
            w.close();
        }
    }
}
