package org.sedflow.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sedflow.posterior.ForwardPhotometry;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Quantities;
import org.sedflow.posterior.SlowSummaries;
import org.sedflow.sps.Bands;

/**
 * Issue #18 and #12's fuzz: 10,000 catalogue rows mixing every value a DOUBLE column can hold
 * (NULL, NaN, +-inf, +-1e308, +-4.9e-324, -0.0) and the catalogues' sentinels (-99, -999, -9999,
 * 99) through every posterior function, as fluxes and as magnitudes, in H2, DuckDB and Spark:
 * no SQL error, the same answers in all three and from the service itself, the same answers in
 * another row order, and no row that held a garbage value flagged {@code ok}.
 */
class FuzzAllEnginesTest {
    static final int ROWS = 10_000, SLOW_ROWS = 60, N = 16;
    static final long SEED = 7;
    static final Double[] PALETTE = {
        null,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        1e308,
        -1e308,
        4.9e-324,
        -4.9e-324,
        -0.0,
        0.0,
        -99.0,
        -999.0,
        -9999.0,
        99.0
    };

    static SparkSession spark;
    static List<Double[]> fluxRows, magRows;
    static boolean[] fluxGarbage, magGarbage;

    @BeforeAll
    static void start() {
        spark = Engine.Spark.session("sedflow-fuzz");
        List<Double[]> base = SqlFixture.nsa(200);
        fluxRows = fuzz(base, 101);
        magRows = fuzz(SqlFixture.toMagnitudes(base), 202);
        fluxGarbage = new boolean[ROWS];
        magGarbage = new boolean[ROWS];
        for (int i = 0; i < ROWS; i++) {
            fluxGarbage[i] = garbage(fluxRows.get(i), base, false);
            magGarbage[i] = garbage(magRows.get(i), base, true);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** Real rows with, per row, 0-4 arguments replaced by palette values (z included); every 7th row pairs NULL with NaN. */
    static List<Double[]> fuzz(List<Double[]> base, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Double[]> rows = new ArrayList<>(ROWS);
        while (rows.size() < ROWS) {
            Double[] r = base.get(rng.nextInt(base.size())).clone();
            int changes = rng.nextInt(5);
            for (int c = 0; c < changes; c++) r[rng.nextInt(r.length)] = PALETTE[rng.nextInt(PALETTE.length)];
            rows.add(r);
            if (rows.size() % 7 == 0
                    && rows.size() < ROWS) { // the same row with NULL where NaN (and back): caches must tell them apart
                Double[] twin = r.clone();
                for (int k = 0; k < twin.length; k++) {
                    if (twin[k] == null) twin[k] = Double.NaN;
                    else if (twin[k].isNaN()) twin[k] = null;
                }
                rows.add(twin);
            }
        }
        return rows;
    }

    /**
     * True when the row holds a value no catalogue means as a measurement: non-finite, a sentinel,
     * a changed redshift, fluxes or inverse variances of +-1e308, inverse variances of +-4.9e-324;
     * for magnitudes also 99, +-1e308 and errors <= 0 or denormal.
     */
    static boolean garbage(Double[] r, List<Double[]> base, boolean mag) {
        for (int k = 0; k < r.length; k++) {
            Double v = r[k];
            if (k == 2 * Bands.COUNT) {
                boolean real = false;
                for (Double[] b : base) real |= v != null && v.equals(b[k]);
                if (!real) return true;
                continue;
            }
            if (v == null) continue;
            double d = v;
            if (!Double.isFinite(d) || d == -99 || d == -999 || d == -9999 || Math.abs(d) == 1e308) return true;
            boolean error = k >= Bands.COUNT;
            if (!mag && error && Math.abs(d) == 4.9e-324) return true;
            if (mag && (d == 99 || (error && (d <= 0 || Math.abs(d) == 4.9e-324)))) return true;
        }
        return false;
    }

    /**
     * Issue #19: a NULL in each argument of each function, one at a time, in every engine: the
     * same outcome everywhere (an SQL error, a NULL answer, or an answer), and no errors at all:
     * NULL data is a missing band or no posterior, a NULL quantity, level or band is NULL, and a
     * NULL count or seed is its default.
     */
    @Test
    void aNullInEveryArgumentOfEveryFunctionIsTheSameInEveryEngine() throws Exception {
        String row = Arrays.stream(SqlFixture.nsa(1).get(0))
                .map(String::valueOf)
                .reduce((a, b) -> a + ", " + b)
                .orElseThrow();
        String mags = Arrays.stream(SqlFixture.toMagnitudes(SqlFixture.nsa(1)).get(0))
                .map(String::valueOf)
                .reduce((a, b) -> a + ", " + b)
                .orElseThrow();
        String theta = "10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3, 0.05";
        List<String> calls = List.of(
                "sedflow_quantile('log_mstar', 0.5, " + row + ", 50, 1)",
                "sedflow_summary(" + row + ", 50, 1)",
                "sedflow_summary(" + row + ", 50, 1, 0.01)",
                "sedflow_summary_fluxes(" + row.substring(0, nth(row, ", ", 7)) + ", 50, 1)",
                "sedflow_samples(" + row + ", 50, 1)",
                "sedflow_posterior(" + row + ", 50, 1)",
                "sedflow_flag(" + row + ")",
                "sedflow_mcmc_summary(" + row + ", 100, 1)",
                "sedflow_refined_summary(" + row + ", 200, 1)",
                "sedflow_quantile_mag('log_mstar', 0.5, " + mags + ", 50, 1)",
                "sed_photometry(" + theta + ")",
                "sed_flux('r', " + theta + ")",
                "sed_check(" + theta + ")");
        Map<String, List<String>> outcomes = new LinkedHashMap<>();
        int queries = 0;
        for (Engine e : engines()) {
            try (e) {
                List<String> got = new ArrayList<>();
                for (String call : calls) {
                    List<String> args = arguments(call);
                    for (int k = 0; k < args.size(); k++) {
                        List<String> a = new ArrayList<>(args);
                        a.set(k, "NULL");
                        String c = call.substring(0, call.indexOf('(') + 1) + String.join(", ", a) + ")";
                        String outcome;
                        try {
                            Object v =
                                    e.query("SELECT (" + c + ") IS NULL").get(0).get(0);
                            outcome = Boolean.TRUE.equals(v) ? "NULL" : "answer";
                        } catch (Exception ex) {
                            outcome = "error: "
                                    + ex.getMessage().lines().findFirst().orElse("");
                        }
                        got.add(c.substring(0, c.indexOf('(')) + " arg " + k + ": " + outcome);
                        queries++;
                    }
                }
                outcomes.put(e.getClass().getSimpleName() + outcomes.size(), got);
            }
        }
        List<List<String>> all = new ArrayList<>(outcomes.values());
        assertEquals(all.get(0), all.get(1), "h2 and duckdb");
        assertEquals(all.get(0), all.get(2), "h2 and spark");
        List<String> errors =
                all.get(0).stream().filter(o -> o.contains("error")).toList();
        assertTrue(errors.isEmpty(), "errors: " + errors);
        Map<String, Long> counts = new TreeMap<>();
        for (String o : all.get(0)) counts.merge(o.substring(o.lastIndexOf(": ") + 2), 1L, Long::sum);
        System.out.println("a NULL in each argument: " + all.get(0).size() + " calls per engine (" + queries
                + " queries), the same in h2, duckdb, spark: " + counts);
        // the documented answers: a NULL quantity or band is NULL; a NULL count or seed is the default
        assertTrue(all.get(0).contains("sedflow_quantile arg 0: NULL")
                && all.get(0).contains("sedflow_quantile arg 1: NULL"));
        assertTrue(all.get(0).contains("sed_flux arg 0: NULL"));
        assertTrue(all.get(0).contains("sedflow_quantile arg 17: answer")
                && all.get(0).contains("sedflow_quantile arg 18: answer"));
    }

    /** Index of the n-th occurrence of {@code sep} in {@code s}. */
    private static int nth(String s, String sep, int n) {
        int i = -1;
        for (int k = 0; k < n; k++) i = s.indexOf(sep, i + 1);
        return i;
    }

    /**
     * Issue #15 in every engine: a NULL redshift is inferred (flag photo_z, z among the
     * quantities), z_err is marginalised over, the fluxes-only form assumes the noise model's
     * errors and infers z (DuckDB and H2 also as a 7-argument sedflow_summary), a bad z_err is
     * no posterior, and the MCMC summary refuses a row without a redshift; each answer equal to
     * the service's own.
     */
    @Test
    void redshiftsUnknownOrUncertainAreAnsweredAlikeInEveryEngine() throws Exception {
        Double[] r = SqlFixture.nsa(1).get(0);
        String row = Arrays.stream(r)
                .map(String::valueOf)
                .reduce((a, b) -> a + ", " + b)
                .orElseThrow();
        String noZ = row.substring(0, row.lastIndexOf(", ")) + ", NULL";
        String fluxes = row.substring(0, nth(row, ", ", 7));
        double z = r[2 * Bands.COUNT];
        SqlPosteriors sql = SqlFixture.sql();
        Double[] withErr = Arrays.copyOf(r, SqlPosteriors.ROW_ARGS + 1), noZRow = r.clone();
        withErr[SqlPosteriors.ROW_ARGS] = 0.01;
        noZRow[2 * Bands.COUNT] = null;
        Double[] fluxRow = new Double[SqlPosteriors.ROW_ARGS];
        System.arraycopy(r, 0, fluxRow, 0, Bands.COUNT);
        Posterior pz = sql.service().posterior(sql.galaxy(false, noZRow), 50, 1);
        Posterior pe = sql.service().posterior(sql.galaxy(SqlPosteriors.Kind.FLUX, withErr), 50, 1);
        Posterior pf = sql.service().posterior(sql.galaxy(SqlPosteriors.Kind.FLUXES_ONLY, fluxRow), 50, 1);
        assertEquals("photo_z", pz.flag());
        assertEquals(Posterior.OK, pe.flag());
        assertEquals("assumed_errors;photo_z", pf.flag());
        double zp16 = pe.quantile(Posterior.Z, 0.16), zp84 = pe.quantile(Posterior.Z, 0.84);
        assertTrue(zp16 < z && z < zp84 && zp84 - zp16 > 0.01 && zp84 - zp16 < 0.03, zp16 + " " + zp84);
        for (Engine e : engines()) {
            try (e) {
                String s = "sedflow_summary(" + noZ + ", 50, 1)";
                assertEquals("photo_z", value(e, "SELECT " + e.summary(s, "flag")), e + " photo-z flag");
                assertEquals(pz.quantile(Posterior.Z, 0.5), value(e, "SELECT " + e.summary(s, "z.p50")), e + " z");
                s = "sedflow_summary(" + row + ", 50, 1, 0.01)";
                assertEquals(zp84, value(e, "SELECT " + e.summary(s, "z.p84")), e + " z_err");
                assertEquals(
                        pe.quantile(0, 0.5), value(e, "SELECT " + e.summary(s, "log_mstar.p50")), e + " z_err mass");
                s = "sedflow_summary(" + row + ", 50, 1, -0.01)";
                assertEquals(GalaxyInput.BAD_Z_ERR, value(e, "SELECT " + e.summary(s, "flag")), e + " bad z_err");
                assertNull(value(e, "SELECT " + e.summary(s, "z.p50")), e + " bad z_err");
                // the posterior struct's own flag reads the z_err too
                String post = "sedflow_posterior(" + row + ", 50, 1, ";
                assertEquals(GalaxyInput.BAD_Z_ERR, value(e, "SELECT " + e.posterior(post + "-0.01)", "flag")), e + "");
                assertEquals(pe.flag(), value(e, "SELECT " + e.posterior(post + "0.01)", "flag")), e + " z_err flag");
                List<String> forms = new ArrayList<>(List.of("sedflow_summary_fluxes(" + fluxes + ", 50, 1)"));
                if (!(e.kind() == Engine.Kind.SPARK)) forms.add("sedflow_summary(" + fluxes + ", 50, 1)");
                for (String f : forms) {
                    assertEquals(pf.flag(), value(e, "SELECT " + e.summary(f, "flag")), e + " " + f);
                    assertEquals(pf.quantile(Posterior.Z, 0.5), value(e, "SELECT " + e.summary(f, "z.p50")), e + f);
                }
                String p = e.kind() == Engine.Kind.SPARK ? "sedflow_posterior_fluxes(" : "sedflow_posterior(";
                assertEquals(pf.flag(), value(e, "SELECT " + e.posterior(p + fluxes + ")", "flag")), e + " posterior");
                String m = "sedflow_mcmc_summary(" + noZ + ", 100, 1)";
                assertEquals(
                        SlowSummaries.Z_REQUIRED + ";" + GalaxyInput.PHOTO_Z,
                        value(e, "SELECT " + e.mcmc(m, "flag")),
                        e + " mcmc");
            }
        }
        System.out.printf(
                "photo-z z p50 %.4f (true %.4f), z_err 0.01: z 68%% [%.4f, %.4f]; the same in h2, duckdb, spark%n",
                pz.quantile(Posterior.Z, 0.5), z, zp16, zp84);
    }

    /** The top-level arguments of a call's text (no nested calls in these). */
    private static List<String> arguments(String call) {
        String inner = call.substring(call.indexOf('(') + 1, call.lastIndexOf(')'));
        List<String> out = new ArrayList<>();
        for (String a : inner.split(",")) out.add(a.strip());
        return out;
    }

    static List<Engine> engines() throws SQLException {
        List<Engine> out = new ArrayList<>();
        for (Engine.Kind k : Engine.Kind.values()) out.add(k.open(spark, null, false));
        return out;
    }

    /** id, then per row: flag, quantile, summary p50 and flag, posterior flag, samples NULL? (as fluxes or magnitudes). */
    static String posteriorQuery(Engine e, String table, boolean mag) {
        String sfx = mag ? "_mag" : "",
                cols = String.join(", ", mag ? SqlPosteriors.MAG_ARGUMENTS : SqlPosteriors.FLUX_ARGUMENTS);
        String args = cols + ", " + N + ", " + SEED;
        return "SELECT id, sedflow_flag" + sfx + "(" + cols + "), sedflow_quantile" + sfx + "('log_mstar', 0.5, " + args
                + "), "
                + e.summary("sedflow_summary" + sfx + "(" + args + ")", "log_mstar_surviving.p50") + ", "
                + e.summary("sedflow_summary" + sfx + "(" + args + ")", "flag") + ", "
                + e.posterior("sedflow_posterior" + sfx + "(" + args + ")", "flag") + ", "
                + "CASE WHEN sedflow_samples" + sfx + "(" + args + ") IS NULL THEN 0 ELSE 1 END FROM " + table
                + " ORDER BY id";
    }

    @Test
    void tenThousandFuzzRowsAnswerEveryRowTheSameInEveryEngine() throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (boolean mag : new boolean[] {false, true}) {
            List<Double[]> rows = mag ? magRows : fluxRows;
            boolean[] garbage = mag ? magGarbage : fluxGarbage;
            List<String> columns = mag ? SqlPosteriors.MAG_ARGUMENTS : SqlPosteriors.FLUX_ARGUMENTS;
            List<List<Object>> first = null;
            for (Engine e : engines()) {
                try (e) {
                    e.load("fuzz", rows, columns);
                    List<List<Object>> got = e.query(posteriorQuery(e, "fuzz", mag));
                    assertEquals(ROWS, got.size(), e + " rows");
                    if (first == null) first = got;
                    else assertSameRows(first, got, e + " vs h2 (" + (mag ? "magnitudes" : "fluxes") + ")");
                }
            }
            int okGarbage = 0;
            for (List<Object> r : first) {
                int id = ((Number) r.get(0)).intValue();
                String flag = (String) r.get(1);
                Posterior p =
                        mag ? SqlFixture.directMag(rows.get(id), N, SEED) : SqlFixture.direct(rows.get(id), N, SEED);
                assertEquals(p.flag(), flag, "row " + id);
                assertEquals(flag, r.get(4), "summary flag, row " + id);
                assertEquals(flag, r.get(5), "posterior flag, row " + id);
                assertEquals(p.hasSamples() ? p.quantile(0, 0.5) : null, r.get(2), "row " + id);
                assertEquals(p.hasSamples() ? 1 : 0, ((Number) r.get(6)).intValue(), "row " + id);
                if (garbage[id] && Posterior.OK.equals(flag) && okGarbage++ < 5)
                    System.out.println("garbage row flagged ok: " + Arrays.toString(rows.get(id)));
                outcomes.merge((mag ? "mag " : "flux ") + outcome(flag), 1, Integer::sum);
            }
            assertEquals(0, okGarbage, "rows holding garbage flagged ok");
        }
        System.out.println("fuzz outcomes per 10,000 rows, identical in h2, duckdb, spark: " + outcomes);
        assertTrue(
                outcomes.getOrDefault("flux ok", 0) > 1000 && outcomes.getOrDefault("flux bad_input", 0) > 1000,
                outcomes.toString());
    }

    /** The flag's first reason, without the band: ok, bad_input, z_out_of_range, noise_inflated, ... */
    static String outcome(String flag) {
        String first = flag.split(";")[0];
        for (boolean cut = true; cut; ) {
            cut = false;
            for (String b : Bands.NAMES) {
                if (first.endsWith("_" + b)) {
                    first = first.substring(0, first.length() - b.length() - 1);
                    cut = true;
                }
            }
        }
        return first;
    }

    /** Equal tables, numbers compared as doubles (H2's, DuckDB's and Spark's integer types differ); names the first differing row. */
    static void assertSameRows(List<List<Object>> want, List<List<Object>> got, String what) {
        assertEquals(want.size(), got.size(), what + ": rows");
        List<List<Object>> a = normal(want), b = normal(got);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), what + ": row " + i);
        }
    }

    /** Numbers as doubles, so H2's and Spark's integer types compare with DuckDB's. */
    static List<List<Object>> normal(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            List<Object> v = new ArrayList<>();
            for (Object o : r) v.add(o instanceof Number x ? (Object) x.doubleValue() : o);
            out.add(v);
        }
        return out;
    }

    @Test
    void theSameRowsInAnotherOrderGiveTheSameAnswers() throws Exception {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) order.add(i);
        Collections.shuffle(order, new Random(3));
        try (Engine.Jdbc h2 = (Engine.Jdbc) Engine.Kind.H2.open(spark, null, false)) {
            h2.load("fuzz", fluxRows, SqlPosteriors.FLUX_ARGUMENTS);
            SqlFixture.sql().cache().clear();
            List<List<Object>> forward = h2.query(posteriorQuery(h2, "fuzz", false));
            // the same rows inserted shuffled (ids kept), so computed in another order from a cold cache, then warm
            try (Statement st = h2.c.createStatement()) {
                st.execute("CREATE TABLE shuffled AS SELECT * FROM fuzz WHERE FALSE");
                for (int i : order) st.execute("INSERT INTO shuffled SELECT * FROM fuzz WHERE id = " + i);
            }
            SqlFixture.sql().cache().clear();
            assertEquals(forward, h2.query(posteriorQuery(h2, "shuffled", false)));
            assertEquals(forward, h2.query(posteriorQuery(h2, "shuffled", false)));
        }
    }

    @Test
    void slowFunctionsAndTheForwardModelAnswerFuzzRowsWithoutErrors() throws Exception {
        List<Double[]> slow = fluxRows.subList(0, SLOW_ROWS);
        List<Double[]> params = forwardRows(2000);
        List<String> pcols =
                ForwardPhotometry.ARGUMENTS.stream().map(a -> "p_" + a).toList();
        String pargs = String.join(", ", pcols);
        List<List<Object>> first = null;
        Map<String, Integer> checks = new HashMap<>();
        for (Engine e : engines()) {
            try (e) {
                e.load("slow", slow, SqlPosteriors.FLUX_ARGUMENTS);
                e.load("params", params, pcols);
                String cols = SqlFixture.COLUMNS;
                String mc = "sedflow_mcmc_summary(" + cols + ", 100, 3)",
                        is = "sedflow_refined_summary(" + cols + ", 200, 3)";
                List<List<Object>> got = new ArrayList<>(e.query("SELECT id, " + e.mcmc(mc, "log_mstar.p50") + ", "
                        + e.mcmc(mc, "flag") + ", " + e.summary(is, "log_mstar.p50") + ", " + e.summary(is, "flag")
                        + " FROM slow ORDER BY id"));
                List<List<Object>> fwd = e.query("SELECT id, sed_check(" + pargs + "), sed_flux('r', " + pargs + "), "
                        + "CASE WHEN sed_photometry(" + pargs + ") IS NULL THEN 0 ELSE 1 END FROM params ORDER BY id");
                for (List<Object> r : fwd) {
                    // sed_check says why exactly when there are no fluxes
                    assertEquals(r.get(1) == null, ((Number) r.get(3)).intValue() == 1, e + " " + r);
                    assertEquals(r.get(1) == null, r.get(2) != null, e + " " + r);
                    if (r.get(2) != null) assertTrue(Double.isFinite((Double) r.get(2)), e + " " + r);
                    checks.merge(e + (r.get(1) == null ? " valid" : " refused"), 1, Integer::sum);
                }
                got.addAll(fwd);
                if (first == null) first = got;
                else assertSameRows(first, got, e + " vs h2");
            }
        }
        for (int i = 0; i < SLOW_ROWS; i++) {
            List<Object> r = first.get(i);
            if (fluxGarbage[i]) {
                assertNotEquals(Posterior.OK, r.get(2), "mcmc row " + i);
                assertNotEquals(Posterior.OK, r.get(4), "refined row " + i);
            }
        }
        System.out.println("forward-model fuzz: " + new LinkedHashMap<>(new TreeMap<>(checks)));
    }

    /** One argument case: the SQL literals of n_samples and seed, and what the Java rules make of them (null: an error). */
    record ArgCase(String n, String seed, Integer wantN, Long wantSeed, boolean engineRefuses) {
        ArgCase(String n, String seed, Integer wantN, Long wantSeed) {
            this(n, seed, wantN, wantSeed, false);
        }
    }

    static final List<ArgCase> ARG_CASES = List.of(
            new ArgCase("NULL", "NULL", 1000, 0L),
            new ArgCase("2.5", "1", null, null),
            new ArgCase("0", "1", null, null),
            new ArgCase("1", "1", 1, 1L),
            new ArgCase("3.0", "1", 3, 1L),
            new ArgCase("CAST(7 AS BIGINT)", "1", 7, 1L),
            new ArgCase("100001", "1", null, null),
            new ArgCase("-1", "1", null, null),
            new ArgCase("'abc'", "1", null, null, true),
            new ArgCase("5", "2.5", null, null),
            new ArgCase("5", "9007199254740993", 5, 9007199254740993L),
            new ArgCase("5", "-9223372036854775808", 5, Long.MIN_VALUE),
            new ArgCase("5", "9223372036854775807", 5, Long.MAX_VALUE),
            new ArgCase("5", "1e300", null, null, true),
            new ArgCase("5", "CAST(6 AS DOUBLE)", 5, 6L));

    @Test
    void argumentsMeanTheSameInEveryEngine() throws Exception {
        List<Double[]> one = SqlFixture.nsa(1);
        String cols = SqlFixture.COLUMNS;
        Map<String, List<Object>> seen = new LinkedHashMap<>();
        for (Engine e : engines()) {
            try (e) {
                e.load("one", one, SqlPosteriors.FLUX_ARGUMENTS);
                List<Object> got = new ArrayList<>();
                for (ArgCase c : ARG_CASES) {
                    Object v = value(
                            e,
                            "SELECT sedflow_quantile('log_mstar', 0.5, " + cols + ", " + c.n + ", " + c.seed
                                    + ") FROM one");
                    got.add(
                            c.engineRefuses && "error".equals(v)
                                    ? "engine error"
                                    : v); // refused by a cast or by our rule alike
                }
                got.add(value(e, "SELECT sedflow_quantile(NULL, 0.5, " + cols + ") FROM one"));
                got.add(value(e, "SELECT sedflow_quantile('log_mstar', NULL, " + cols + ") FROM one"));
                got.add(value(
                        e,
                        "SELECT sed_flux(NULL, 10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3, 0.05)"
                                + (e.kind() == Engine.Kind.SPARK ? "" : " FROM one")));
                got.add(value(
                        e, "SELECT " + e.mcmc("sedflow_mcmc_summary(" + cols + ", 150.5)", "flag") + " FROM one"));
                got.add(value(
                        e, "SELECT " + e.summary("sedflow_refined_summary(" + cols + ", 20.5)", "flag") + " FROM one"));
                got.add(value(
                        e,
                        "SELECT " + e.summary("sedflow_refined_summary(" + cols + ", 20, 1.5)", "flag") + " FROM one"));
                seen.put(e.toString(), got);
            }
        }
        List<Object> want = new ArrayList<>();
        for (ArgCase c : ARG_CASES)
            want.add(
                    c.wantN == null
                            ? (c.engineRefuses ? "engine error" : "error")
                            : SqlFixture.direct(one.get(0), c.wantN, c.wantSeed).quantile(0, 0.5));
        want.addAll(Arrays.asList(null, null, null, "error", "error", "error"));
        for (Map.Entry<String, List<Object>> e : seen.entrySet()) assertEquals(want, e.getValue(), e.getKey());
        System.out.println("argument cases, identical in h2, duckdb, spark: " + want);
    }

    @Test
    void theQuantitiesTableIsTheCatalogueInEveryEngine() throws Exception {
        List<List<Object>> want = new ArrayList<>();
        for (Quantities.Quantity q : Quantities.ALL)
            want.add(Arrays.asList(
                    q.name(),
                    q.unit(),
                    Double.isNaN(q.priorMin()) ? null : q.priorMin(),
                    Double.isNaN(q.priorMax()) ? null : q.priorMax(),
                    q.meaning()));
        assertEquals(Posterior.QUANTITIES, want.stream().map(r -> r.get(0)).toList());
        for (Engine e : engines()) {
            try (e) {
                assertEquals(want, normal(e.query("SELECT * FROM sedflow_quantities()")), e.toString());
            }
        }
    }

    /**
     * The first column of the first row, or "error" when the engine refuses the statement with
     * one of the argument rules' messages ("... must be ..."), or "engine error" for any other refusal.
     */
    static Object value(Engine e, String sql) {
        try {
            List<List<Object>> r = e.query(sql);
            Object v = r.get(0).get(0);
            return v instanceof Number x ? (Object) x.doubleValue() : v;
        } catch (Exception ex) {
            for (Throwable t = ex; t != null; t = t.getCause())
                if (String.valueOf(t.getMessage()).contains(" must be ")) return "error";
            return "engine error";
        }
    }

    /** Valid parameter rows with, per row, 0-3 arguments replaced by palette values. */
    static List<Double[]> forwardRows(int count) {
        SplittableRandom rng = new SplittableRandom(5);
        List<Double[]> rows = new ArrayList<>();
        Double[] good = {10.5, 0.25, 0.25, 0.25, 0.25, 0.1, 5.0, 0.001, 0.001, 0.5, 0.5, -0.3, 0.05};
        for (int i = 0; i < count; i++) {
            Double[] r = good.clone();
            int changes = rng.nextInt(4);
            for (int c = 0; c < changes; c++) r[rng.nextInt(r.length)] = PALETTE[rng.nextInt(PALETTE.length)];
            if (rng.nextInt(10) == 0) r[12] = 1e-300; // fluxes would overflow
            rows.add(r);
        }
        return rows;
    }
}
