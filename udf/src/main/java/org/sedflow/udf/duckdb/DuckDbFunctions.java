package org.sedflow.udf.duckdb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBReadableVector;
import org.duckdb.DuckDBWritableVector;
import org.sedflow.posterior.ForwardPhotometry;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Summary;
import org.sedflow.udf.SqlPosteriors;

/**
 * The vectorized DuckDB callbacks behind the SEDflow macros ({@link DuckDbSedflow}). DuckDB
 * Java functions take and return scalars only, so each returns one number or one string per
 * row; the macros assemble lists and structs from them.
 *
 * <p>Each callback sees a chunk of up to 2048 rows and asks for all of its posteriors in one
 * batch (both cores, through the cache), so a chunk evaluated by several expressions computes
 * each row's posterior once.
 */
final class DuckDbFunctions {
    private final SqlPosteriors sql;

    DuckDbFunctions(SqlPosteriors sql) {
        this.sql = sql;
    }

    /**
     * Columns: [prefix...] the row's {@link #ROW} numbers (15, then z_err), n_samples (or steps,
     * proposals) DOUBLE, seed BIGINT, the row's kind INTEGER ({@link SqlPosteriors.Kind#code}).
     */
    private record Rows(List<GalaxyInput> galaxies, int[] n, long[] seed) {}

    /** The numbers of a row as the Java functions take it: the 15, then z_err. */
    static final int ROW = SqlPosteriors.ROW_ARGS + 1;

    /** The chunk's galaxies: {@link #ROW} numbers from column {@code first}, the row kind in {@code kindColumn}. */
    private List<GalaxyInput> galaxies(DuckDBDataChunkReader in, int first, int kindColumn) {
        int count = (int) in.rowCount();
        DuckDBReadableVector[] v = new DuckDBReadableVector[ROW];
        for (int k = 0; k < v.length; k++) v[k] = in.vector(first + k);
        DuckDBReadableVector kv = in.vector(kindColumn);
        List<GalaxyInput> gs = new ArrayList<>(count);
        Double[] row = new Double[v.length];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < v.length; k++) row[k] = v[k].isNull(i) ? null : v[k].getDouble(i);
            gs.add(sql.galaxy(SqlPosteriors.Kind.of(kv.isNull(i) ? null : kv.getInt(i)), row));
        }
        return gs;
    }

    /** Galaxies and options, every row's options checked ({@code option}: n_samples or steps) before any work. */
    private Rows rows(DuckDBDataChunkReader in, int first, ToIntFunction<Number> option) {
        int count = (int) in.rowCount(), o = first + ROW;
        DuckDBReadableVector nv = in.vector(o), sv = in.vector(o + 1);
        int[] n = new int[count];
        long[] seed = new long[count];
        for (int i = 0; i < count; i++) {
            n[i] = option.applyAsInt(
                    nv.isNull(i) ? null : nv.getDouble(i)); // a DOUBLE, so 2.5 is refused rather than rounded
            seed[i] = SqlPosteriors.seed(sv.isNull(i) ? null : sv.getLong(i));
        }
        return new Rows(galaxies(in, first, o + 2), n, seed);
    }

    private Rows rows(DuckDBDataChunkReader in, int first) {
        return rows(in, first, SqlPosteriors::samples);
    }

    /** A chunk's posteriors, batch by batch, for each distinct (n, seed) (normally one): each(row, posterior). */
    private void forEach(Rows r, ObjIntConsumer<Posterior> each) {
        Map<List<Long>, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < r.n.length; i++)
            groups.computeIfAbsent(List.of((long) r.n[i], r.seed[i]), k -> new ArrayList<>())
                    .add(i);
        for (List<Integer> idx : groups.values()) {
            List<GalaxyInput> gs = new ArrayList<>(idx.size());
            for (int i : idx) gs.add(r.galaxies.get(i));
            int first = idx.get(0);
            sql.forEach(gs, r.n[first], r.seed[first], (p, j) -> each.accept(p, idx.get(j)));
        }
    }

    /** _sedflow_quantile(quantity VARCHAR, q DOUBLE, 16 x DOUBLE, n, seed, kind) -> DOUBLE. */
    void quantile(DuckDBDataChunkReader in, DuckDBWritableVector out) {
        DuckDBReadableVector qv = in.vector(0), lv = in.vector(1);
        int count = (int) in.rowCount();
        int[] k = new int[count];
        double[] level = new double[count];
        for (int i = 0;
                i < count;
                i++) { // argument errors first, whether or not a row has a posterior (as in H2 and Spark)
            k[i] = qv.isNull(i) ? -1 : Posterior.index(qv.getString(i));
            level[i] = lv.isNull(i) ? Double.NaN : SqlPosteriors.level(lv.getDouble(i));
        }
        forEach(rows(in, 2), (p, i) -> {
            if (k[i] < 0 || Double.isNaN(level[i]) || !p.hasSamples()) out.setNull(i);
            else out.setDouble(i, p.quantile(k[i], level[i]));
        });
    }

    /** _sedflow_summary(16 x DOUBLE, n, seed, kind) -> VARCHAR, a struct literal the macro casts. */
    void summary(DuckDBDataChunkReader in, DuckDBWritableVector out) {
        forEach(rows(in, 0), (p, i) -> out.setString(i, DuckDbTypes.summaryLiteral(Summary.of(p))));
    }

    /** _sedflow_mcmc_summary(16 x DOUBLE, steps DOUBLE, seed BIGINT, kind INTEGER) -> VARCHAR, a struct literal the macro casts. */
    void mcmcSummary(DuckDBDataChunkReader in, DuckDBWritableVector out) {
        Rows r = rows(in, 0, SqlPosteriors::mcmcSteps);
        for (int i = 0; i < r.n.length; i++) // row by row: each chain already keeps every core busy
        out.setString(i, DuckDbTypes.summaryLiteral(sql.mcmcSummary(r.galaxies.get(i), r.n[i], r.seed[i])));
    }

    /** _sedflow_refined_summary(16 x DOUBLE, proposals DOUBLE, seed BIGINT, kind INTEGER) -> VARCHAR, a struct literal the macro casts. */
    void refinedSummary(DuckDBDataChunkReader in, DuckDBWritableVector out) {
        Rows r = rows(in, 0, SqlPosteriors::proposals);
        for (int i = 0; i < r.n.length; i++) // row by row: each row's proposals already keep every core busy
        out.setString(i, DuckDbTypes.summaryLiteral(sql.refinedSummary(r.galaxies.get(i), r.n[i], r.seed[i])));
    }

    /** _sedflow_samples_text(16 x DOUBLE, n, seed, kind) -> VARCHAR: the n x Q samples as a list literal the macro casts; NULL without a posterior. */
    void samplesText(DuckDBDataChunkReader in, DuckDBWritableVector out) {
        forEach(rows(in, 0), (p, i) -> {
            if (!p.hasSamples()) out.setNull(i);
            else out.setString(i, DuckDbTypes.samplesLiteral(p));
        });
    }

    /** _sedflow_flag(16 x DOUBLE, kind INTEGER) -> VARCHAR. */
    void flag(DuckDBDataChunkReader in, DuckDBWritableVector out) {
        List<GalaxyInput> gs = galaxies(in, 0, ROW);
        for (int i = 0; i < gs.size(); i++) out.setString(i, sql.flag(gs.get(i)));
    }

    /** _sedflow_version() -> VARCHAR: the code and model of the service these functions were registered with. */
    void version(DuckDBDataChunkReader in, DuckDBWritableVector out) {
        for (int i = 0; i < in.rowCount(); i++) out.setString(i, sql.version());
    }

    /** sed_flux(band VARCHAR, 13 x DOUBLE) -> DOUBLE; NULL for bad parameters. */
    void flux(DuckDBDataChunkReader in, DuckDBWritableVector out) {
        DuckDBReadableVector bv = in.vector(0);
        Double[] args = new Double[ForwardPhotometry.ARGS];
        for (int i = 0; i < in.rowCount(); i++) {
            if (bv.isNull(i)) {
                out.setNull(i);
                continue;
            }
            int b = SqlPosteriors.band(bv.getString(i));
            double[] f = sql.photometry().fluxes(parameters(in, 1, i, args));
            if (f == null) out.setNull(i);
            else out.setDouble(i, f[b]);
        }
    }

    /** sed_check(13 x DOUBLE) -> VARCHAR: NULL when valid, else why not. */
    void check(DuckDBDataChunkReader in, DuckDBWritableVector out) {
        Double[] args = new Double[ForwardPhotometry.ARGS];
        for (int i = 0; i < in.rowCount(); i++) {
            String m = ForwardPhotometry.check(parameters(in, 0, i, args));
            if (m == null) out.setNull(i);
            else out.setString(i, m);
        }
    }

    private static Double[] parameters(DuckDBDataChunkReader in, int first, int row, Double[] args) {
        for (int k = 0; k < args.length; k++) {
            DuckDBReadableVector v = in.vector(first + k);
            args[k] = v.isNull(row) ? null : v.getDouble(row);
        }
        return args;
    }
}
