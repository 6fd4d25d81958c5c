package org.sedflow.udf.h2;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.h2.command.Command;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.tools.SimpleResultSet;
import org.h2.value.ValueRow;
import org.sedflow.posterior.ForwardPhotometry;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Quantities;
import org.sedflow.posterior.Summary;
import org.sedflow.sps.Cancellation;
import org.sedflow.udf.SedflowRuntime;
import org.sedflow.udf.SqlPosteriors;

/**
 * The SEDflow functions as H2 static methods ({@code CREATE ALIAS}, see {@link H2Sedflow}).
 * Only type translation: the meanings are {@link SqlPosteriors}'.
 *
 * <p>Row arguments arrive as {@code String...}, H2's exact text of each value (NULL as null; a
 * {@code Double...} would round 64-bit seeds, and {@code Object...} is refused): 15 numbers, then optionally n_samples and seed (steps and seed for the MCMC summary,
 * proposals and seed for the refined summary). Struct results are
 * {@link ValueRow}s with named fields; H2 still types a Java function's ROW result by position,
 * so field access needs {@code CAST(... AS SEDFLOW_SUMMARY)} or a column of that domain.
 */
public final class H2Functions {
    private H2Functions() {}

    private static SqlPosteriors sql() {
        return SedflowRuntime.get();
    }

    // ---- posterior functions (fluxes) ----
    public static ValueRow sedflowPosterior(Connection c, String... args) {
        return cancellable(c, () -> posterior(false, args));
    }

    public static ValueRow sedflowSummary(Connection c, String... args) {
        return cancellable(c, () -> summary(false, args));
    }

    public static Double[][] sedflowSamples(Connection c, String... args) {
        return cancellable(c, () -> samples(false, args));
    }

    public static Double sedflowQuantile(Connection c, String quantity, Double q, String... args) {
        return cancellable(c, () -> quantile(false, quantity, q, args));
    }

    public static String sedflowFlag(String... args) {
        return flag(false, args);
    }

    // ---- 7 fluxes, no errors, no redshift [, n_samples [, seed]]: also the 7-argument calls above ----
    public static ValueRow sedflowPosteriorFluxes(Connection c, String... args) {
        return cancellable(c, () -> posterior(SqlPosteriors.Kind.FLUXES_ONLY, args));
    }

    public static ValueRow sedflowSummaryFluxes(Connection c, String... args) {
        return cancellable(c, () -> summary(SqlPosteriors.Kind.FLUXES_ONLY, args));
    }

    // ---- the same from AB magnitudes and their errors ----
    public static ValueRow sedflowPosteriorMag(Connection c, String... args) {
        return cancellable(c, () -> posterior(true, args));
    }

    public static ValueRow sedflowSummaryMag(Connection c, String... args) {
        return cancellable(c, () -> summary(true, args));
    }

    public static Double[][] sedflowSamplesMag(Connection c, String... args) {
        return cancellable(c, () -> samples(true, args));
    }

    public static Double sedflowQuantileMag(Connection c, String quantity, Double q, String... args) {
        return cancellable(c, () -> quantile(true, quantity, q, args));
    }

    public static String sedflowFlagMag(String... args) {
        return flag(true, args);
    }

    // ---- MCMC fallback: 15 row numbers [, steps [, seed]] ----
    public static ValueRow sedflowMcmcSummary(Connection c, String... args) {
        return cancellable(c, () -> mcmcSummary(false, args));
    }

    public static ValueRow sedflowMcmcSummaryMag(Connection c, String... args) {
        return cancellable(c, () -> mcmcSummary(true, args));
    }

    // ---- the flow refined by importance sampling: 15 row numbers [, proposals [, seed]] ----
    public static ValueRow sedflowRefinedSummary(Connection c, String... args) {
        return cancellable(c, () -> refinedSummary(false, args));
    }

    public static ValueRow sedflowRefinedSummaryMag(Connection c, String... args) {
        return cancellable(c, () -> refinedSummary(true, args));
    }

    /** The code version and the model's name and SHA-256. */
    public static String sedflowVersion() {
        return sql().version();
    }

    /** The quantities' table: {@code SELECT * FROM SEDFLOW_QUANTITIES()}. */
    public static ResultSet sedflowQuantities() {
        SimpleResultSet rs = new SimpleResultSet();
        for (String c : Quantities.COLUMNS) {
            boolean number = c.startsWith("prior_");
            rs.addColumn(c.toUpperCase(Locale.ROOT), number ? Types.DOUBLE : Types.VARCHAR, 0, 0);
        }
        for (Quantities.Quantity q : Quantities.ALL)
            rs.addRow(
                    q.name(),
                    q.unit(),
                    Double.isNaN(q.priorMin()) ? null : q.priorMin(),
                    Double.isNaN(q.priorMax()) ? null : q.priorMax(),
                    q.meaning());
        return rs;
    }

    // ---- forward model ----
    public static Double[] sedPhotometry(Double... args) {
        double[] f = sql().photometry().fluxes(args);
        return f == null ? null : box(f);
    }

    public static Double sedFlux(String band, Double... args) {
        if (band == null) return null; // as in DuckDB and Spark
        int b = SqlPosteriors.band(band);
        double[] f = sql().photometry().fluxes(args);
        return f == null ? null : f[b];
    }

    public static String sedCheck(Double... args) {
        return ForwardPhotometry.check(args);
    }

    // ---- cancel: H2 passes the calling session's connection as a leading Connection parameter ----

    /** Runs work with the session's cancel and QUERY_TIMEOUT as its {@link Cancellation} signal; H2's own error when it fires. */
    private static <T> T cancellable(Connection c, Supplier<T> work) {
        try {
            return Cancellation.during(signal(c), work);
        } catch (Cancellation.Cancelled e) {
            throw e.engineException();
        }
    }

    /**
     * The session's QUERY_TIMEOUT and cancel ({@code SessionLocal.checkCanceled}), and a
     * {@code Statement.cancel()}, which H2 marks on the running command only: its check is
     * protected, so it is called by reflection (H2 is pinned; without the method, only the first).
     */
    private static Cancellation.Signal signal(Connection c) {
        try {
            if (c != null && c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal s)
                return () -> {
                    s.checkCanceled();
                    Command running = s.getCurrentCommand();
                    if (running != null && COMMAND_CHECK != null) {
                        try {
                            COMMAND_CHECK.invoke(running);
                        } catch (InvocationTargetException e) {
                            throw e.getCause() instanceof RuntimeException r
                                    ? r
                                    : new IllegalStateException(e.getCause());
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                };
        } catch (SQLException e) {
            // not an embedded H2 session: nothing to poll
        }
        return () -> {};
    }

    private static final Method COMMAND_CHECK = commandCheck();

    private static Method commandCheck() {
        try {
            Method m = Command.class.getDeclaredMethod("checkCanceled");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    // ---- translation ----
    private static Posterior posteriorOf(boolean mag, String[] args) {
        return posteriorOf(mag ? SqlPosteriors.Kind.MAG : SqlPosteriors.Kind.FLUX, args);
    }

    private static Posterior posteriorOf(SqlPosteriors.Kind kind, String[] args) {
        H2Args a = H2Args.of(kind, args, H2Args.SAMPLING);
        return sql().posterior(a.galaxy(), a.n(), a.seed());
    }

    private static ValueRow posterior(boolean mag, String[] args) {
        return posterior(mag ? SqlPosteriors.Kind.MAG : SqlPosteriors.Kind.FLUX, args);
    }

    private static ValueRow posterior(SqlPosteriors.Kind kind, String[] args) {
        return H2Types.posterior(posteriorOf(kind, args));
    }

    private static ValueRow summary(boolean mag, String[] args) {
        return summary(mag ? SqlPosteriors.Kind.MAG : SqlPosteriors.Kind.FLUX, args);
    }

    private static ValueRow summary(SqlPosteriors.Kind kind, String[] args) {
        return H2Types.summary(Summary.of(posteriorOf(kind, args)));
    }

    private static ValueRow mcmcSummary(boolean mag, String[] args) {
        H2Args a = H2Args.of(mag, args, H2Args.MCMC);
        return H2Types.summary(sql().mcmcSummary(a.galaxy(), a.steps(), a.seed()));
    }

    private static ValueRow refinedSummary(boolean mag, String[] args) {
        H2Args a = H2Args.of(mag, args, H2Args.PROPOSALS);
        return H2Types.summary(sql().refinedSummary(a.galaxy(), a.proposals(), a.seed()));
    }

    private static Double[][] samples(boolean mag, String[] args) {
        Posterior p = posteriorOf(mag, args);
        if (!p.hasSamples()) return null;
        Double[][] m = new Double[p.sampleCount()][];
        double[][] s = p.sampleMatrix();
        for (int i = 0; i < m.length; i++) m[i] = box(s[i]);
        return m;
    }

    private static Double quantile(boolean mag, String quantity, Double q, String[] args) {
        H2Args a = H2Args.of(mag, args, H2Args.SAMPLING);
        return sql().quantile(quantity, q, a.galaxy(), a.n(), a.seed());
    }

    private static String flag(boolean mag, String[] args) {
        GalaxyInput g = H2Args.of(mag, args, null).galaxy();
        return sql().flag(g);
    }

    private static Double[] box(double[] v) {
        return Arrays.stream(v).boxed().toArray(Double[]::new);
    }
}
