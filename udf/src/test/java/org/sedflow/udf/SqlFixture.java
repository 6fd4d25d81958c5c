package org.sedflow.udf;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assertions;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.posterior.Summary;
import org.sedflow.posterior.TinyModel;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Csv;
import org.sedflow.sps.DataPaths;

/** Shared by the engine tests: the tiny model's functions, catalogue rows (good, bad, random) and the direct answers. */
public final class SqlFixture {
    /** Samples per posterior in tests: small, but more than one chunk of the service. */
    public static final int N = 160;

    public static final long SEED = 11;
    public static final String COLUMNS = String.join(", ", SqlPosteriors.FLUX_ARGUMENTS);
    private static SqlPosteriors sql;

    private SqlFixture() {}

    /** The functions every engine uses in tests (also installed as the process's runtime). */
    public static synchronized SqlPosteriors sql() {
        if (sql == null) {
            sql = new SqlPosteriors(TinyModel.service(), 256L << 20);
            SedflowRuntime.use(sql);
        }
        return sql;
    }

    /** The direct answer: the service itself, no cache, no engine. */
    public static Posterior direct(Double[] row, int n, long seed) {
        SedPosterior s = TinyModel.service();
        return s.posterior(sql().galaxy(false, row), n, seed);
    }

    /** The direct answer for a row of magnitudes and errors. */
    public static Posterior directMag(Double[] row, int n, long seed) {
        return TinyModel.service().posterior(sql().galaxy(true, row), n, seed);
    }

    /** The same rows as AB magnitudes and errors (NULL where the flux is not positive or ivar not > 0). */
    public static List<Double[]> toMagnitudes(List<Double[]> rows) {
        List<Double[]> out = new ArrayList<>();
        for (Double[] r : rows) {
            Double[] m = new Double[SqlPosteriors.ROW_ARGS];
            for (int b = 0; b < Bands.COUNT; b++) {
                Double f = r[b], iv = r[Bands.COUNT + b];
                if (f == null || iv == null || !(f > 0) || !(iv > 0) || Double.isInfinite(f)) continue;
                m[b] = 22.5 - 2.5 * Math.log10(f);
                m[Bands.COUNT + b] = 2.5 / Math.log(10) / Math.sqrt(iv) / f;
            }
            m[2 * Bands.COUNT] = r[2 * Bands.COUNT];
            out.add(m);
        }
        return out;
    }

    public static final String MAG_COLUMNS = String.join(", ", SqlPosteriors.MAG_ARGUMENTS);

    /** Steps and seed of the MCMC-summary tests: short chains, so the tests stay fast. */
    public static final int MCMC_STEPS = 150;

    public static final long MCMC_SEED = 9;

    /** Two NSA rows and three without a chain (z out of range, NULL z, no photometry) for the MCMC summary. */
    public static List<Double[]> mcmcRows() {
        List<Double[]> rows = new ArrayList<>(nsa(2));
        Double[] r = rows.get(0);
        int z = 2 * Bands.COUNT;
        rows.add(with(r, z, 0.9));
        rows.add(with(r, z, null));
        Double[] none = new Double[SqlPosteriors.ROW_ARGS];
        none[z] = 0.03;
        rows.add(none);
        return rows;
    }

    /** The MCMC summary from a fresh SqlPosteriors (no shared cache), so it is recomputed from the seed. */
    public static Summary directMcmc(Double[] row, boolean mag) {
        SqlPosteriors fresh = new SqlPosteriors(TinyModel.service(), 1L << 20);
        return fresh.mcmcSummary(fresh.galaxy(mag, row), MCMC_STEPS, MCMC_SEED);
    }

    /** Proposals of the refined-summary tests (the tiny test flow: few effective samples, flagged). */
    public static final int PROPOSALS = 300;

    /** The refined summary from a fresh SqlPosteriors (no shared cache). */
    public static Summary directRefined(Double[] row, boolean mag) {
        SqlPosteriors fresh = new SqlPosteriors(TinyModel.service(), 1L << 20);
        return fresh.refinedSummary(fresh.galaxy(mag, row), PROPOSALS, MCMC_SEED);
    }

    /** A summary's fields as SQL paths: quantity.stat ..., flag. */
    public static List<String> summaryFields() {
        List<String> f = new ArrayList<>();
        for (String q : Posterior.QUANTITIES) for (String st : Summary.STATS) f.add(q + "." + st);
        f.add("flag");
        return f;
    }

    /** The expected values of {@link #summaryFields}, in order (null for SQL NULL). */
    public static List<Object> summaryValues(Summary s) {
        List<Object> v = new ArrayList<>();
        for (int q = 0; q < Posterior.Q; q++)
            for (int k = 0; k < Summary.STATS.size(); k++) v.add(s.has() ? s.value(q, k) : null);
        v.add(s.flag());
        return v;
    }

    /** The MCMC summary's fields as SQL paths: quantity.stat ..., flag, diagnostics ... */
    public static List<String> mcmcFields() {
        List<String> f = summaryFields();
        f.addAll(Summary.DIAGNOSTICS);
        return f;
    }

    /**
     * Checks an engine's MCMC summary fields ({@link #mcmcFields} order) against the service's:
     * equal, except time_ms (wall clock), which must be positive where there is a chain.
     */
    public static void assertMcmcEquals(Summary want, List<Object> got) {
        List<Object> w = mcmcValues(want);
        int t = w.size() - Summary.DIAGNOSTICS.size() + Summary.DIAGNOSTICS.indexOf("time_ms");
        Object time = got.get(t);
        if (want.has()) Assertions.assertTrue(((Number) time).doubleValue() > 0, "time_ms " + time);
        else Assertions.assertNull(time);
        w = new ArrayList<>(w);
        List<Object> g = new ArrayList<>(got);
        w.remove(t);
        g.remove(t);
        Assertions.assertEquals(w, g);
    }

    /** The expected values of {@link #mcmcFields}, in order (null for SQL NULL). */
    public static List<Object> mcmcValues(Summary s) {
        List<Object> v = summaryValues(s);
        for (int k = 0; k < Summary.DIAGNOSTICS.size(); k++) v.add(s.has() ? s.diagnostic(k) : null);
        return v;
    }

    public static Summary directSummary(Double[] row) {
        return Summary.of(direct(row, N, SEED));
    }

    /** The first rows of the Coma/Hercules NSA table: flux_*, ivar_*, z_best. */
    public static List<Double[]> nsa(int count) {
        Csv csv = Csv.read(DataPaths.nsaDir().resolve("nsa_v0_1_2_coma_hercules.csv"));
        List<Double[]> rows = new ArrayList<>();
        for (int r = 0; r < Math.min(count, csv.size()); r++) {
            Double[] row = new Double[SqlPosteriors.ROW_ARGS];
            for (int b = 0; b < Bands.COUNT; b++) {
                row[b] = value(csv, r, "flux_" + Bands.NAMES.get(b));
                row[Bands.COUNT + b] = value(csv, r, "ivar_" + Bands.NAMES.get(b));
            }
            row[2 * Bands.COUNT] = value(csv, r, "z_best");
            rows.add(row);
        }
        return rows;
    }

    private static Double value(Csv csv, int r, String col) {
        double v = csv.number(r, csv.column(col));
        return Double.isNaN(v) ? null : v;
    }

    /** One row of each bad-input kind (each starts from a good row). */
    public static List<Double[]> badRows() {
        Double[] good = nsa(1).get(0);
        List<Double[]> rows = new ArrayList<>();
        rows.add(with(good, 2, null)); // NULL flux: band missing
        rows.add(with(good, 3, Double.NaN)); // NaN flux: missing + note
        rows.add(with(good, 4, Double.POSITIVE_INFINITY)); // +inf
        rows.add(with(good, 5, Double.NEGATIVE_INFINITY)); // -inf
        rows.add(with(good, 0, -0.5)); // negative flux: a measurement
        rows.add(with(good, 9, 0.0)); // ivar 0: missing
        rows.add(with(good, 10, -1.0)); // negative ivar: missing + note
        rows.add(with(good, 14, null)); // z NULL
        rows.add(with(good, 14, Double.NaN)); // z NaN
        rows.add(with(good, 14, -0.01)); // z below range
        rows.add(with(good, 14, 3.0)); // z above range
        rows.add(new Double[SqlPosteriors.ROW_ARGS]); // all NULL
        Double[] none = good.clone();
        for (int b = 0; b < Bands.COUNT; b++) none[Bands.COUNT + b] = 0.0;
        rows.add(none); // no photometry
        return rows;
    }

    static Double[] with(Double[] row, int k, Double v) {
        Double[] r = row.clone();
        r[k] = v;
        return r;
    }

    private static final Double[] ODD = {
        null, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -1.0, -1e-300, 1e300, 1e-300
    };

    /** Random rows: mostly real NSA rows, with each number replaced by an odd value at some rate. */
    public static List<Double[]> randomRows(int count, long seed) {
        List<Double[]> base = nsa(200);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Double[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Double[] r = base.get(rng.nextInt(base.size())).clone();
            for (int k = 0; k < r.length; k++) {
                double u = rng.nextDouble();
                if (u < 0.06) r[k] = ODD[rng.nextInt(ODD.length)];
                else if (u < 0.12 && r[k] != null) r[k] = r[k] * (rng.nextDouble() * 4 - 1); // includes negatives
            }
            if (rng.nextDouble() < 0.05) r[14] = rng.nextDouble() * 2 - 0.5;
            rows.add(r);
        }
        return rows;
    }

    /** Creates {@code table(id INTEGER, flux_fuv .. ivar_z, z DOUBLE)} and inserts the rows. */
    public static void createGalaxies(Connection c, String table, List<Double[]> rows) throws SQLException {
        createGalaxies(c, table, rows, COLUMNS);
    }

    public static void createGalaxies(Connection c, String table, List<Double[]> rows, String columns)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id INTEGER, " + columns.replace(",", " DOUBLE,") + " DOUBLE)");
        }
        String marks = "?, ".repeat(columns.split(",").length) + "?";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
            for (int i = 0; i < rows.size(); i++) {
                ps.setInt(1, i);
                Double[] r = rows.get(i);
                for (int k = 0; k < r.length; k++) {
                    if (r[k] == null) ps.setNull(k + 2, Types.DOUBLE);
                    else ps.setDouble(k + 2, r[k]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The rows of a query over a JDBC connection, as the driver gives each value. */
    public static List<List<Object>> table(Connection c, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int k = 1; k <= cols; k++) r.add(rs.getObject(k));
                out.add(r);
            }
        }
        return out;
    }
}
