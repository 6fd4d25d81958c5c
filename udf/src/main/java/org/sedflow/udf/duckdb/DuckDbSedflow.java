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
import org.sedflow.sps.Bands;
import org.sedflow.udf.SedflowRuntime;
import org.sedflow.udf.SqlCatalog;
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
 * {@link DuckDbPosteriorWriter}, which appends summaries and DOUBLE[Q][n] sample arrays.
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

    /**
     * The macro statements (sql/duckdb/install.sql), one per name of {@link SqlCatalog}: each form
     * of the name gives one overload per count of its optional arguments given (DuckDB macros have
     * no defaults), the array forms call the 15-number one, and sedflow_posterior and
     * sedflow_summary also take their fluxes-only form.
     */
    public static List<String> macros() {
        List<String> m = new ArrayList<>();
        for (String name : SqlCatalog.names()) {
            List<SqlCatalog.Function> forms = new ArrayList<>(SqlCatalog.forms(name));
            if (forms.get(0).family() == SqlCatalog.Family.FLUX || forms.get(0).family() == SqlCatalog.Family.CHECK)
                continue; // Java functions of their own (register)
            SqlCatalog.Function fluxes = SqlCatalog.fluxesFormOf(name);
            if (fluxes != null) forms.add(fluxes);
            StringBuilder sb = new StringBuilder("CREATE OR REPLACE TEMP MACRO ").append(name);
            String sep = "";
            for (SqlCatalog.Function f : forms)
                for (int given = 0; given <= f.options().size(); given++) {
                    List<String> head = new ArrayList<>(f.leading());
                    head.addAll(f.row());
                    for (int o = 0; o < given; o++) head.add(f.options().get(o).name());
                    sb.append(sep).append('(').append(String.join(", ", head)).append(") AS ");
                    sb.append(body(f, given));
                    sep = ",\n  ";
                }
            m.add(sb.toString());
        }
        return m;
    }

    /** The body of form f with its first {@code given} options given (the rest at their defaults). */
    private static String body(SqlCatalog.Function f, int given) {
        if (f.input() == SqlCatalog.Input.ARRAYS) return arrays(f, given);
        String row = String.join(", ", rowNumbers(f));
        String kind = f.kind() == null ? "" : Integer.toString(f.kind().code());
        String plain = row + ", " + zErr(f, given) + ", " + kind; // the flag's: the row and its z_err
        String args = row + options(f, given) + ", " + kind;
        String summary = "CAST(_sedflow_summary(" + args + ") AS " + DuckDbTypes.summaryType() + ")";
        return switch (f.family()) {
            case QUANTILE -> "_sedflow_quantile(quantity, q, " + args + ")";
            case SUMMARY, FLUXES_SUMMARY -> summary;
            case SAMPLES -> samplesExpr(args);
            case POSTERIOR, FLUXES_POSTERIOR ->
                "{'flag': _sedflow_flag(" + plain + "), 'samples': " + samplesExpr(args) + ", 'summary': " + summary
                        + "}";
            case MCMC_SUMMARY -> "CAST(_sedflow_mcmc_summary(" + args + ") AS " + DuckDbTypes.summaryType(true) + ")";
            case REFINED_SUMMARY -> "CAST(_sedflow_refined_summary(" + args + ") AS " + DuckDbTypes.summaryType() + ")";
            case FLAG -> "_sedflow_flag(" + plain + ")";
            // the registered functions' service, whichever connection installed them first
            case VERSION -> "_sedflow_version()";
            case QUANTITIES ->
                "TABLE SELECT * FROM (VALUES\n    " + Quantities.sqlValues() + ") t("
                        + String.join(", ", Quantities.COLUMNS) + ")";
            case PHOTOMETRY -> photometry();
            case FLUX, CHECK -> throw new IllegalStateException(f.name() + " is a Java function");
        };
    }

    /** The row's 15 numbers as the Java functions take them (the fluxes-only form: 7 fluxes, then NULLs). */
    private static List<String> rowNumbers(SqlCatalog.Function f) {
        List<String> r = new ArrayList<>(f.row());
        while (f.input() == SqlCatalog.Input.FLUXES && r.size() < SqlPosteriors.ROW_ARGS) r.add("NULL");
        return r;
    }

    /**
     * The Java function's z_err, then count and seed (or the NULL z_err of the row when the form
     * has no options: the flag's), from the first {@code given} options and defaults.
     */
    private static String options(SqlCatalog.Function f, int given) {
        String count = "", seed = "";
        for (int o = 0; o < f.options().size(); o++) {
            SqlCatalog.Option opt = f.options().get(o);
            String v = o < given ? passed(opt) : opt.defaultValue();
            if (opt.name().equals(SqlPosteriors.Z_ERR)) continue;
            if (opt.pass() == SqlCatalog.Pass.SEED) seed = v;
            else count = v;
        }
        return ", " + zErr(f, given) + (count.isEmpty() ? "" : ", " + count + ", " + seed);
    }

    /** The z_err form f passes with its first {@code given} options: its argument when given, else NULL (exact). */
    private static String zErr(SqlCatalog.Function f, int given) {
        for (int o = 0; o < Math.min(given, f.options().size()); o++)
            if (f.options().get(o).name().equals(SqlPosteriors.Z_ERR))
                return passed(f.options().get(o));
        return "NULL";
    }

    private static String passed(SqlCatalog.Option o) {
        return switch (o.pass()) {
            case COUNT -> count(o.name());
            case SEED -> SEED;
            case PLAIN -> o.name();
        };
    }

    /** sed_photometry: the 7 sed_flux calls as a list, NULL for bad parameters. */
    private static String photometry() {
        String params = String.join(", ", ForwardPhotometry.ARGUMENTS);
        StringBuilder phot = new StringBuilder("[");
        for (int b = 0; b < Bands.COUNT; b++)
            phot.append(b > 0 ? ", " : "")
                    .append("sed_flux('")
                    .append(Bands.NAMES.get(b))
                    .append("', ")
                    .append(params)
                    .append(")");
        return "CASE WHEN sed_check(" + params + ") IS NULL THEN " + phot + "] END";
    }

    /**
     * An array form: the row as two arrays of 7 (flux and ivar, or mag and magerr, band order
     * fuv..z) and z, e.g. an NSA-style {@code NMGY} column as it is, calling the 15-number form
     * with the elements. Arrays of another length are an SQL error; a NULL array is 7 NULLs.
     */
    private static String arrays(SqlCatalog.Function f, int given) {
        String v = f.values(), e = f.errors();
        StringBuilder call = new StringBuilder(f.name()).append('(');
        for (String l : f.leading()) call.append(l).append(", ");
        for (String a : new String[] {v, e})
            for (int b = 1; b <= Bands.COUNT; b++)
                call.append(a).append('[').append(b).append("], ");
        call.append('z');
        for (int o = 0; o < given; o++)
            call.append(", ").append(f.options().get(o).name());
        call.append(')');
        String check = "(" + v + " IS NOT NULL AND len(" + v + ") <> " + Bands.COUNT + ") OR (" + e
                + " IS NOT NULL AND len(" + e + ") <> " + Bands.COUNT + ")";
        String error = "error('" + v + " and " + e + " arrays need " + Bands.COUNT + " values ("
                + String.join(", ", Bands.NAMES) + "), got ' || coalesce(len(" + v + "), 0) || ' and ' || coalesce(len("
                + e + "), 0))";
        return "CASE WHEN " + check + " THEN " + error + " ELSE " + call + " END";
    }

    /** NULL for rows without a posterior, else n lists of the Q quantities (text cast back to the same doubles). */
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
