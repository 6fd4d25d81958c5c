package org.sedflow.udf;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sedflow.posterior.ForwardPhotometry;
import org.sedflow.posterior.ImportanceSampler;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Bands;

/**
 * The one list of SQL functions: name, what it computes, how the galaxy arrives, the argument
 * names, the optional arguments with their defaults, and a line of documentation. Every engine's
 * install code (and so the install scripts), H2's aliases and the README's function table are
 * generated from it; the argument names are the same in every engine.
 *
 * <p>Engines differ only in spelling: DuckDB and H2 overload a name (the array and fluxes-only
 * forms are more overloads of it), Spark cannot, so there the array forms are named
 * {@code <name>_arrays} ({@link Function#sparkName}) and the fluxes-only ones only go by their
 * {@code _fluxes} names.
 */
public final class SqlCatalog {
    /** What a function computes. */
    public enum Family {
        QUANTILE,
        SUMMARY,
        SAMPLES,
        POSTERIOR,
        FLAG,
        MCMC_SUMMARY,
        REFINED_SUMMARY,
        FLUXES_POSTERIOR,
        FLUXES_SUMMARY,
        PHOTOMETRY,
        FLUX,
        CHECK,
        VERSION,
        QUANTITIES
    }

    /** How the galaxy (or the model parameters) arrive. */
    public enum Input {
        /** 15 numbers: 7 values, 7 errors, z ({@link SqlPosteriors.Kind#arguments}). */
        ROW,
        /** Two arrays of 7 (values, errors) and z. */
        ARRAYS,
        /** 7 fluxes without errors or redshift. */
        FLUXES,
        /** The forward model's 12 parameters and z. */
        PARAMETERS,
        NONE
    }

    /** An optional argument: name, Spark type, default (SQL text), and how DuckDB passes it on ({@link Pass}). */
    public record Option(String name, String sparkType, String defaultValue, Pass pass) {}

    /** How a DuckDB macro hands an optional argument to the Java function. */
    public enum Pass {
        /** A count as DOUBLE: the Java side refuses a fraction a CAST to INTEGER would round. */
        COUNT,
        /** A seed as BIGINT, exactly, a fraction an error. */
        SEED,
        /** As it is. */
        PLAIN
    }

    /** Counts are DOUBLE and seeds DECIMAL(38, 18) in Spark, so a fraction or a 64-bit seed reaches the Java rules exactly. */
    static final String COUNT_TYPE = "DOUBLE", SEED_TYPE = "DECIMAL(38, 18)";

    static final Option N_SAMPLES =
            new Option("n_samples", COUNT_TYPE, Integer.toString(SedPosterior.DEFAULT_SAMPLES), Pass.COUNT);
    static final Option SEED = new Option("seed", SEED_TYPE, Long.toString(SqlPosteriors.DEFAULT_SEED), Pass.SEED);
    static final Option Z_ERR = new Option(SqlPosteriors.Z_ERR, "DOUBLE", "NULL", Pass.PLAIN);
    static final Option STEPS =
            new Option("steps", COUNT_TYPE, Integer.toString(SqlPosteriors.DEFAULT_MCMC_STEPS), Pass.COUNT);
    static final Option PROPOSALS =
            new Option("proposals", COUNT_TYPE, Integer.toString(SqlPosteriors.DEFAULT_PROPOSALS), Pass.COUNT);

    /** One SQL function (one form of it: a name may have several, told apart by input). */
    public record Function(
            String name,
            Family family,
            Input input,
            SqlPosteriors.Kind kind,
            List<String> leading,
            List<Option> options,
            String returns,
            String doc) {
        /** The galaxy's (or parameters') argument names. */
        public List<String> row() {
            return switch (input) {
                case ROW, FLUXES -> kind.arguments();
                case ARRAYS -> List.of(values(), errors(), "z");
                case PARAMETERS -> ForwardPhotometry.ARGUMENTS;
                case NONE -> List.of();
            };
        }

        /** The arrays form's value and error array names. */
        public String values() {
            return kind == SqlPosteriors.Kind.MAG ? "mag" : "flux";
        }

        public String errors() {
            return kind == SqlPosteriors.Kind.MAG ? "magerr" : "ivar";
        }

        /** Every argument name, in order: leading, row, options. */
        public List<String> arguments() {
            List<String> a = new ArrayList<>(leading);
            a.addAll(row());
            for (Option o : options) a.add(o.name());
            return a;
        }

        /** Spark's name: the array forms get their own, as Spark cannot overload. */
        public String sparkName() {
            return input == Input.ARRAYS ? name + "_arrays" : name;
        }

        /** The call as the README writes it: {@code sedflow_summary(ROW [, n_samples [, seed [, z_err]]])}. */
        public String signature() {
            List<String> head = new ArrayList<>(leading);
            switch (input) {
                case ROW -> head.add(kind == SqlPosteriors.Kind.MAG ? "MAGROW" : "ROW");
                case ARRAYS -> head.addAll(row());
                case FLUXES -> head.add(String.join(", ", row()));
                case PARAMETERS -> head.add(String.join(", ", row()));
                case NONE -> {}
            }
            StringBuilder sb = new StringBuilder(name).append('(').append(String.join(", ", head));
            for (Option o : options) sb.append(head.isEmpty() ? "[" : " [, ").append(o.name());
            sb.append("]".repeat(options.size()));
            return sb.append(')').toString();
        }
    }

    public static final List<Function> ALL = build();

    private SqlCatalog() {}

    private static List<Function> build() {
        List<Function> f = new ArrayList<>();
        List<Option> sampling = List.of(N_SAMPLES, SEED), zSampling = List.of(N_SAMPLES, SEED, Z_ERR);
        for (SqlPosteriors.Kind k : List.of(SqlPosteriors.Kind.FLUX, SqlPosteriors.Kind.MAG)) {
            String sfx = k == SqlPosteriors.Kind.MAG ? "_mag" : "";
            for (Input in : List.of(Input.ROW, Input.ARRAYS)) {
                List<Option> s = in == Input.ROW ? zSampling : sampling;
                f.add(new Function(
                        "sedflow_quantile" + sfx,
                        Family.QUANTILE,
                        in,
                        k,
                        List.of("quantity", "q"),
                        s,
                        "DOUBLE",
                        "one number: the q-quantile (linear interpolation) of a quantity"));
                f.add(new Function(
                        "sedflow_summary" + sfx,
                        Family.SUMMARY,
                        in,
                        k,
                        List.of(),
                        s,
                        "summary",
                        "struct: per quantity a struct `p16, p50, p84, mean`, then `flag` (`s.log_mstar.p50`)"));
                f.add(
                        new Function(
                                "sedflow_samples" + sfx,
                                Family.SAMPLES,
                                in,
                                k,
                                List.of(),
                                s,
                                "samples",
                                "the n x " + Posterior.Q
                                        + " samples alone (`DOUBLE[][]`, one row per sample, quantities in `sedflow_quantities()` order)"));
                f.add(new Function(
                        "sedflow_posterior" + sfx,
                        Family.POSTERIOR,
                        in,
                        k,
                        List.of(),
                        s,
                        "posterior",
                        "struct `flag, samples, summary`: samples n x " + Posterior.Q
                                + ", summary as `sedflow_summary`'s"));
                f.add(new Function(
                        "sedflow_mcmc_summary" + sfx,
                        Family.MCMC_SUMMARY,
                        in,
                        k,
                        List.of(),
                        List.of(STEPS, SEED),
                        "mcmc_summary",
                        "the MCMC fallback for rows the flow flags (30 walkers x `steps`, default "
                                + SqlPosteriors.DEFAULT_MCMC_STEPS + ", " + SqlPosteriors.MIN_MCMC_STEPS + ".."
                                + SqlPosteriors.MAX_MCMC_STEPS + "): `sedflow_summary`'s struct from an exact "
                                + "chain, then `max_autocorr_steps, steps_per_autocorr, max_split_rhat, acceptance, "
                                + "time_ms`; flag `ok` when the chain converged (every split R-hat < 1.1, >= 50 kept "
                                + "steps per autocorrelation time), else `not_converged`; `z_required` without an "
                                + "exact redshift"));
                f.add(new Function(
                        "sedflow_refined_summary" + sfx,
                        Family.REFINED_SUMMARY,
                        in,
                        k,
                        List.of(),
                        List.of(PROPOSALS, SEED),
                        "summary",
                        "the flow refined by importance sampling on eq. 1 (`proposals` flow draws, default "
                                + ImportanceSampler.DEFAULT_PROPOSALS + ", 1.." + ImportanceSampler.MAX_PROPOSALS
                                + "; doubled up to 8x while fewer than " + ImportanceSampler.MIN_ESS
                                + " effective samples remain): `sedflow_summary`'s struct; `low_importance_ess` "
                                + "joins the flag when the effective sample size stays below that, "
                                + "`no_importance_weight` (NULL numbers) when no draw has a positive likelihood; "
                                + "`z_required` without an exact redshift"));
                f.add(new Function(
                        "sedflow_flag" + sfx,
                        Family.FLAG,
                        in,
                        k,
                        List.of(),
                        List.of(),
                        "STRING",
                        "`ok`, or the reasons (`;`-separated) the row is outside the training support, or its "
                                + "input problem; no sampling"));
            }
        }
        SqlPosteriors.Kind fluxes = SqlPosteriors.Kind.FLUXES_ONLY;
        f.add(new Function(
                "sedflow_posterior_fluxes",
                Family.FLUXES_POSTERIOR,
                Input.FLUXES,
                fluxes,
                List.of(),
                sampling,
                "posterior",
                "`sedflow_posterior` from 7 fluxes [nanomaggies] alone: the noise model's typical errors "
                        + "(`assumed_errors`) and the photo-z model (`photo_z`); DuckDB and H2 also take it as "
                        + "`sedflow_posterior(flux_fuv, ..., flux_z [, n_samples [, seed]])`"));
        f.add(new Function(
                "sedflow_summary_fluxes",
                Family.FLUXES_SUMMARY,
                Input.FLUXES,
                fluxes,
                List.of(),
                sampling,
                "summary",
                "the same as `sedflow_summary`'s struct (DuckDB and H2: also a 7-argument `sedflow_summary`)"));
        f.add(new Function(
                "sed_photometry",
                Family.PHOTOMETRY,
                Input.PARAMETERS,
                null,
                List.of(),
                List.of(),
                "ARRAY<DOUBLE>",
                "the forward model's 7 fluxes [nanomaggies], fuv..z"));
        f.add(new Function(
                "sed_flux",
                Family.FLUX,
                Input.PARAMETERS,
                null,
                List.of("band"),
                List.of(),
                "DOUBLE",
                "one band's model flux (`'fuv'` .. `'z'`)"));
        f.add(new Function(
                "sed_check",
                Family.CHECK,
                Input.PARAMETERS,
                null,
                List.of(),
                List.of(),
                "STRING",
                "NULL when the parameters are valid, else why not"));
        f.add(new Function(
                "sedflow_version",
                Family.VERSION,
                Input.NONE,
                null,
                List.of(),
                List.of(),
                "STRING",
                "`sedflow VERSION; model NAME sha256:HEX[; photo-z model NAME sha256:HEX]`: what answers"));
        f.add(new Function(
                "sedflow_quantities",
                Family.QUANTITIES,
                Input.NONE,
                null,
                List.of(),
                List.of(),
                "TABLE",
                "a table: `name, unit, prior_min, prior_max, meaning` of the " + Posterior.Q + " quantities"));
        return List.copyOf(f);
    }

    /** The distinct names DuckDB and H2 know (array and fluxes-only forms are overloads of them, or their own). */
    public static List<String> names() {
        Set<String> n = new LinkedHashSet<>();
        for (Function f : ALL) n.add(f.name());
        return List.copyOf(n);
    }

    /** The forms of one name, in catalogue order. */
    public static List<Function> forms(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).toList();
    }

    /** The fluxes-only form DuckDB and H2 also answer under a plain name (sedflow_posterior, sedflow_summary), or null. */
    public static Function fluxesFormOf(String name) {
        return ALL.stream()
                .filter(f -> f.input() == Input.FLUXES && f.name().equals(name + "_fluxes"))
                .findFirst()
                .orElse(null);
    }

    /** The row's meaning, for the README: ROW and MAGROW. */
    static final String ROWS = "`ROW` = `flux_fuv, ..., flux_z, ivar_fuv, ..., ivar_z, z` ("
            + Bands.COUNT + " fluxes [nanomaggies], their inverse variances, the redshift); `MAGROW` = `mag_fuv, "
            + "..., mag_z, magerr_fuv, ..., magerr_z, z` (AB magnitudes and their errors)";

    /** README.md's markers around the generated table. */
    public static final String BEGIN = "<!-- functions: generated by org.sedflow.udf.SqlCatalog -->",
            END = "<!-- end of functions -->";

    /** The README's function table (a test keeps README.md's copy equal). */
    public static String markdown() {
        StringBuilder sb = new StringBuilder("| function | result |\n|---|---|\n");
        List<String> mags = new ArrayList<>(), arrays = new ArrayList<>();
        for (Function f : ALL) {
            if (f.input() == Input.ARRAYS) {
                arrays.add("`" + f.sparkName() + "`");
                continue;
            }
            if (f.kind() == SqlPosteriors.Kind.MAG) {
                mags.add("`" + f.name() + "`");
                continue;
            }
            sb.append("| `")
                    .append(f.signature())
                    .append("` | ")
                    .append(f.doc())
                    .append(" |\n");
        }
        sb.append("| ").append(String.join(", ", mags)).append(" | the same from `MAGROW` |\n");
        Function a =
                ALL.stream().filter(f -> f.input() == Input.ARRAYS).findFirst().orElseThrow();
        sb.append("| `")
                .append(a.signature())
                .append("` and likewise each function of a row (`_mag`: `mag, magerr, z`) | the row as two arrays of ")
                .append(Bands.COUNT)
                .append(" in band order fuv..z (an NSA-style `NMGY`/`NMGY_IVAR` pair as it is), the same answers; "
                        + "another length is an SQL error, a NULL array ")
                .append(Bands.COUNT)
                .append(" NULLs. DuckDB and H2 overload the names; Spark cannot, so there they are ")
                .append(String.join(", ", arrays))
                .append(" |\n");
        return sb.append('\n').append(ROWS).append(".\n").toString();
    }

    /** Prints the README table. */
    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
