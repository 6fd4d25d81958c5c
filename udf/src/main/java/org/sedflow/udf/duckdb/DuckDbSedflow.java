package org.sedflow.udf.duckdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBFunctions;
import org.duckdb.DuckDBScalarFunction;
import org.sedflow.posterior.ForwardPhotometry;
import org.sedflow.posterior.Quantities;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Bands;
import org.sedflow.udf.SedflowRuntime;
import org.sedflow.udf.SqlPosteriors;

/**
 * Installs the SEDflow functions in DuckDB (JDBC >= 1.5.2): the Java scalar functions
 * ({@code _sedflow_*}, {@code sed_flux}, {@code sed_check}) once per database, then the macros
 * users call, as TEMP macros of the connection ({@link #macros()} is the text of
 * {@code sql/duckdb/install.sql}; a test keeps them equal).
 *
 * <p>Why macros: DuckDB's Java functions take and return scalars only. Summaries come back from
 * one call per row as a struct literal cast to a STRUCT (one posterior per row, ~2 us of cast);
 * samples likewise as a list literal cast to DOUBLE[][] (a lambda of 17 n per-element calls
 * measured slower);
 * {@code sed_photometry} is a list of 7 {@code sed_flux} calls. Whole tables go faster through
 * {@link DuckDbPosteriorWriter}, which appends summaries and DOUBLE[17][n] sample arrays.
 */
public final class DuckDbSedflow {
    private DuckDbSedflow() {}

    /** The Java functions {@link #register} adds (DuckDB keeps them in its system catalog). */
    static final List<String> JAVA_FUNCTIONS = List.of(
            "_sedflow_quantile",
            "_sedflow_summary",
            "_sedflow_samples_text",
            "_sedflow_mcmc_summary",
            "_sedflow_refined_summary",
            "_sedflow_flag",
            "sed_flux",
            "sed_check",
            "_sedflow_version");

    /** Installs with the process's service ({@link SedflowRuntime}); returns what it replaced (see the other form). */
    public static List<String> install(Connection conn) throws SQLException {
        return install(conn, SedflowRuntime.get());
    }

    /**
     * Registers the Java functions (unless this database has them) and creates the macros for this
     * connection, owning their names: a persistent macro named like one of the Java functions
     * would shadow it, so it is dropped; the TEMP macros replace any of their names. Returns one
     * line per object dropped.
     */
    public static List<String> install(Connection conn, SqlPosteriors sql) throws SQLException {
        List<String> replaced = dropShadowingMacros(conn);
        synchronized (DuckDbSedflow.class) { // connections opened at once must not both register
            if (!registered(conn)) register(conn, new DuckDbFunctions(sql));
        }
        try (Statement st = conn.createStatement()) {
            for (String m : macros()) st.execute(m);
        }
        return replaced;
    }

    /**
     * Persistent macros named like a Java function of ours in the default database and schema:
     * they would win over it in name lookup. Macros of other attached databases shadow nothing and stay.
     */
    private static List<String> dropShadowingMacros(Connection conn) throws SQLException {
        List<String> drops = new ArrayList<>(), replaced = new ArrayList<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT DISTINCT database_name, schema_name, function_name, function_type FROM duckdb_functions() "
                                + "WHERE function_type IN ('macro', 'table_macro') AND database_name = current_database() "
                                + "AND schema_name = current_schema() AND function_name IN ('"
                                + String.join("', '", JAVA_FUNCTIONS) + "')")) {
            while (rs.next()) {
                String name = '"' + rs.getString(1) + "\".\"" + rs.getString(2) + "\".\"" + rs.getString(3) + '"';
                drops.add("DROP MACRO " + (rs.getString(4).equals("table_macro") ? "TABLE " : "") + name);
                replaced.add("dropped macro " + rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3)
                        + ": it shadowed SEDflow's function of that name");
            }
        }
        try (Statement st = conn.createStatement()) {
            for (String d : drops) st.execute(d);
        }
        return replaced;
    }

    private static boolean registered(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM duckdb_functions() WHERE function_name = '_sedflow_quantile' "
                                + "AND function_type = 'scalar'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    private static void register(Connection conn, DuckDbFunctions f) throws SQLException {
        DuckDBColumnType D = DuckDBColumnType.DOUBLE, V = DuckDBColumnType.VARCHAR;
        scalar(conn, "_sedflow_quantile", D, f::quantile, params(List.of(V, D), true));
        scalar(conn, "_sedflow_summary", V, f::summary, params(List.of(), true));
        scalar(conn, "_sedflow_samples_text", V, f::samplesText, params(List.of(), true));
        scalar(conn, "_sedflow_mcmc_summary", V, f::mcmcSummary, params(List.of(), true));
        scalar(conn, "_sedflow_refined_summary", V, f::refinedSummary, params(List.of(), true));
        scalar(conn, "_sedflow_flag", V, f::flag, params(List.of(), false));
        List<DuckDBColumnType> flux = new ArrayList<>(List.of(V));
        flux.addAll(Collections.nCopies(ForwardPhotometry.ARGS, D));
        scalar(conn, "sed_flux", D, f::flux, flux);
        scalar(conn, "sed_check", V, f::check, Collections.nCopies(ForwardPhotometry.ARGS, D));
        scalar(conn, "_sedflow_version", V, f::version, List.of());
    }

    /** prefix..., the row's 16 doubles (15 and z_err), then (with options) n DOUBLE, seed BIGINT; always kind INTEGER last. */
    private static List<DuckDBColumnType> params(List<DuckDBColumnType> prefix, boolean options) {
        List<DuckDBColumnType> p = new ArrayList<>(prefix);
        p.addAll(Collections.nCopies(DuckDbFunctions.ROW, DuckDBColumnType.DOUBLE));
        if (options) p.addAll(List.of(DuckDBColumnType.DOUBLE, DuckDBColumnType.BIGINT));
        p.add(DuckDBColumnType.INTEGER);
        return p;
    }

    private static void scalar(
            Connection conn, String name, DuckDBColumnType ret, DuckDBScalarFunction fn, List<DuckDBColumnType> params)
            throws SQLException {
        if (!JAVA_FUNCTIONS.contains(name)) throw new IllegalStateException(name + " is missing from JAVA_FUNCTIONS");
        // deterministic: DuckDB may fold constant calls, which is right for a pure function of its arguments
        DuckDBScalarFunction clean = (in, out) -> {
            try {
                fn.apply(in, out);
            } catch (RuntimeException e) { // one line of SQL error, no Java stack
                throw DuckDbError.of(e);
            }
        };
        DuckDBFunctions.scalarFunction()
                .withName(name)
                .withParameters(params.toArray(DuckDBColumnType[]::new))
                .withReturnType(ret)
                .withVectorizedFunction(clean)
                .register(conn);
    }

    /** The macro statements (sql/duckdb/install.sql). */
    public static List<String> macros() {
        List<String> m = new ArrayList<>();
        // the sampling functions' overloads: the row, + n_samples, + seed, + z_err (the row's 16th number)
        String[] sizes = {"", ", n_samples", ", n_samples, seed", ", n_samples, seed, " + SqlPosteriors.Z_ERR};
        String n = count("n_samples"), seed = SEED;
        String[] values = {
            ", NULL, " + SedPosterior.DEFAULT_SAMPLES + ", " + SqlPosteriors.DEFAULT_SEED,
            ", NULL, " + n + ", " + SqlPosteriors.DEFAULT_SEED,
            ", NULL, " + n + ", " + seed,
            ", " + SqlPosteriors.Z_ERR + ", " + n + ", " + seed
        };
        for (String suffix : new String[] {"", "_mag"}) {
            boolean mg = !suffix.isEmpty();
            SqlPosteriors.Kind kind = mg ? SqlPosteriors.Kind.MAG : SqlPosteriors.Kind.FLUX;
            String row = String.join(", ", kind.arguments());
            String mag = Integer.toString(kind.code());
            String args = row + "%s, " + mag; // %s: z_err, n, seed
            String plain = row + ", NULL, " + mag; // the flag's: no options
            String[] counts = {"", ", n_samples", ", n_samples, seed"};
            m.add(overloads(
                            "sedflow_quantile" + suffix,
                            "quantity, q, " + row,
                            sizes,
                            values,
                            "_sedflow_quantile(quantity, q, " + args + ")")
                    + arrays("sedflow_quantile" + suffix, "quantity, q, ", counts, mg));
            m.add(overloads(
                            "sedflow_summary" + suffix,
                            row,
                            sizes,
                            values,
                            "CAST(_sedflow_summary(" + args + ") AS " + DuckDbTypes.summaryType() + ")")
                    + arrays("sedflow_summary" + suffix, "", counts, mg)
                    + (mg ? "" : fluxesOnly("sedflow_summary", true)));
            m.add(overloads("sedflow_samples" + suffix, row, sizes, values, samplesExpr(args))
                    + arrays("sedflow_samples" + suffix, "", counts, mg));
            m.add(overloads(
                            "sedflow_posterior" + suffix,
                            row,
                            sizes,
                            values,
                            "{'flag': _sedflow_flag(" + plain + "), 'samples': " + samplesExpr(args)
                                    + ", 'summary': CAST(_sedflow_summary(" + args + ") AS " + DuckDbTypes.summaryType()
                                    + ")}")
                    + arrays("sedflow_posterior" + suffix, "", counts, mg)
                    + (mg ? "" : fluxesOnly("sedflow_posterior", true)));
            m.add(optionOverloads(
                            "sedflow_mcmc_summary" + suffix,
                            row,
                            "steps",
                            SqlPosteriors.DEFAULT_MCMC_STEPS,
                            "CAST(_sedflow_mcmc_summary(" + args + ") AS " + DuckDbTypes.summaryType(true) + ")")
                    + arrays("sedflow_mcmc_summary" + suffix, "", new String[] {"", ", steps", ", steps, seed"}, mg));
            m.add(optionOverloads(
                            "sedflow_refined_summary" + suffix,
                            row,
                            "proposals",
                            SqlPosteriors.DEFAULT_PROPOSALS,
                            "CAST(_sedflow_refined_summary(" + args + ") AS " + DuckDbTypes.summaryType() + ")")
                    + arrays(
                            "sedflow_refined_summary" + suffix,
                            "",
                            new String[] {"", ", proposals", ", proposals, seed"},
                            mg));
            m.add("CREATE OR REPLACE TEMP MACRO sedflow_flag" + suffix + "(" + row + ") AS _sedflow_flag(" + plain + ")"
                    + arrays("sedflow_flag" + suffix, "", new String[] {""}, mg));
        }
        m.add(fluxesOnly("sedflow_posterior_fluxes", false));
        m.add(fluxesOnly("sedflow_summary_fluxes", false));
        // the registered functions' service, whichever connection installed them first
        m.add("CREATE OR REPLACE TEMP MACRO sedflow_version() AS _sedflow_version()");
        m.add("CREATE OR REPLACE TEMP MACRO sedflow_quantities() AS TABLE SELECT * FROM (VALUES\n    "
                + Quantities.sqlValues() + ") t(" + String.join(", ", Quantities.COLUMNS) + ")");
        String params = String.join(", ", ForwardPhotometry.ARGUMENTS);
        StringBuilder phot = new StringBuilder("[");
        for (int b = 0; b < 7; b++)
            phot.append(b > 0 ? ", " : "")
                    .append("sed_flux('")
                    .append(Bands.NAMES.get(b))
                    .append("', ")
                    .append(params)
                    .append(")");
        m.add("CREATE OR REPLACE TEMP MACRO sed_photometry(" + params + ") AS CASE WHEN sed_check(" + params
                + ") IS NULL THEN " + phot + "] END");
        return m;
    }

    /**
     * More overloads of a macro: the row as two arrays of 7 (flux and ivar, or mag and magerr, band
     * order fuv..z) and z, e.g. an NSA-style {@code NMGY} column as it is; each calls the 15-number
     * overload with the elements. Arrays of another length are an SQL error; a NULL array is 7 NULLs.
     */
    private static String arrays(String name, String prefix, String[] options, boolean mag) {
        String v = mag ? "mag" : "flux", e = mag ? "magerr" : "ivar";
        StringBuilder elements = new StringBuilder();
        for (String a : new String[] {v, e})
            for (int b = 1; b <= Bands.COUNT; b++)
                elements.append(a).append('[').append(b).append("], ");
        String check =
                "(" + v + " IS NOT NULL AND len(" + v + ") <> 7) OR (" + e + " IS NOT NULL AND len(" + e + ") <> 7)";
        String error = "error('" + v + " and " + e + " arrays need 7 values (" + String.join(", ", Bands.NAMES)
                + "), got ' || coalesce(len(" + v + "), 0) || ' and ' || coalesce(len(" + e + "), 0))";
        StringBuilder sb = new StringBuilder();
        for (String o : options) {
            String call = name + "(" + prefix + elements + "z" + o + ")";
            sb.append(",\n  (")
                    .append(prefix)
                    .append(v)
                    .append(", ")
                    .append(e)
                    .append(", z")
                    .append(o)
                    .append(") AS CASE WHEN ")
                    .append(check)
                    .append(" THEN ")
                    .append(error)
                    .append(" ELSE ")
                    .append(call)
                    .append(" END");
        }
        return sb.toString();
    }

    /** NULL for rows without a posterior, else n lists of the 17 quantities (text cast back to the same doubles). */
    private static String samplesExpr(String args) {
        return "CAST(_sedflow_samples_text(" + args + ") AS DOUBLE[][])";
    }

    /** A count argument as DOUBLE: the Java side refuses a fraction (a CAST to INTEGER would round 2.5 to 3). */
    private static String count(String name) {
        return "CAST(" + name + " AS DOUBLE)";
    }

    /** The seed as BIGINT, exactly: a fraction is an error here rather than rounded by the CAST. */
    private static final String SEED =
            "CASE WHEN seed IS NULL OR CAST(seed AS BIGINT) = seed THEN CAST(seed AS BIGINT) "
                    + "ELSE error('seed must be a whole number within 64 bits, got ' || CAST(seed AS VARCHAR)) END";

    /** {@link #overloads} with a count option other than n_samples (steps, proposals) and its default; no z_err. */
    private static String optionOverloads(String name, String head, String option, int defaultValue, String body) {
        String o = count(option), seed = SEED;
        String[] sizes = {"", ", " + option, ", " + option + ", seed"};
        String[] values = {
            ", NULL, " + defaultValue + ", " + SqlPosteriors.DEFAULT_SEED,
            ", NULL, " + o + ", " + SqlPosteriors.DEFAULT_SEED,
            ", NULL, " + o + ", " + seed
        };
        return overloads(name, head, sizes, values, body);
    }

    /**
     * The fluxes-only form of sedflow_posterior or sedflow_summary: 7 fluxes [nanomaggies] without
     * errors or redshift [, n_samples [, seed]]; {@code more}: as more overloads of the plain name
     * (",\n  (..) AS .."), else as the macro {@code name} ({@code _fluxes}, which Spark, having
     * no overloads, also has).
     */
    private static String fluxesOnly(String name, boolean more) {
        SqlPosteriors.Kind kind = SqlPosteriors.Kind.FLUXES_ONLY;
        String head = String.join(", ", kind.arguments());
        String row = head + ", " + String.join(", ", Collections.nCopies(SqlPosteriors.ROW_ARGS - Bands.COUNT, "NULL"));
        String args = row + "%s, " + kind.code(), plain = row + ", NULL, " + kind.code();
        String n = count("n_samples");
        String[] sizes = {"", ", n_samples", ", n_samples, seed"};
        String[] values = {
            ", NULL, " + SedPosterior.DEFAULT_SAMPLES + ", " + SqlPosteriors.DEFAULT_SEED,
            ", NULL, " + n + ", " + SqlPosteriors.DEFAULT_SEED,
            ", NULL, " + n + ", " + SEED
        };
        String summary = "CAST(_sedflow_summary(" + args + ") AS " + DuckDbTypes.summaryType() + ")";
        String body = name.startsWith("sedflow_posterior")
                ? "{'flag': _sedflow_flag(" + plain + "), 'samples': " + samplesExpr(args) + ", 'summary': " + summary
                        + "}"
                : summary;
        String macro = overloads(name, head, sizes, values, body);
        return more ? ",\n  " + macro.substring(macro.indexOf('(')) : macro;
    }

    /** One macro with an overload per entry of {@code sizes} (head + sizes[k]), its body with %s replaced by values[k]. */
    private static String overloads(String name, String head, String[] sizes, String[] values, String body) {
        StringBuilder sb = new StringBuilder("CREATE OR REPLACE TEMP MACRO ").append(name);
        for (int k = 0; k < sizes.length; k++) {
            sb.append(k > 0 ? ",\n  " : "")
                    .append("(")
                    .append(head)
                    .append(sizes[k])
                    .append(") AS ")
                    .append(body.replace("%s", values[k]));
        }
        return sb.toString();
    }

    /** Prints the script (how sql/duckdb/install.sql is made). */
    public static void main(String[] args) {
        System.out.print(script());
    }

    /** The macros as a script. */
    public static String script() {
        return "-- SEDflow macros for DuckDB (generated by org.sedflow.udf.duckdb.DuckDbSedflow; keep in step).\n"
                + "-- They call Java functions that only DuckDbSedflow.install(connection) can register:\n"
                + "-- ./sedflow sql does it for you. TEMP macros: install once per connection.\n"
                + String.join(";\n\n", macros()) + ";\n";
    }
}
