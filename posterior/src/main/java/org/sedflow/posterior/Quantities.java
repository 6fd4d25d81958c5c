package org.sedflow.posterior;

import java.util.ArrayList;
import java.util.List;
import org.sedflow.sps.Prior;

/**
 * What each reported quantity is: {@code sedflow_quantities()} in every engine, in
 * {@link Posterior#QUANTITIES} order. Prior ranges come from {@link Prior}; the derived
 * properties have none (NaN: they are functions of the parameters, not drawn).
 */
public final class Quantities {
    /** One quantity: its name, unit, prior interval (NaN for derived properties) and meaning. */
    public record Quantity(String name, String unit, double priorMin, double priorMax, String meaning) {}

    /** The table's columns, in order. */
    public static final List<String> COLUMNS = List.of("name", "unit", "prior_min", "prior_max", "meaning");

    private static final String[][] TEXT = {
        {"log10 Msun", "total stellar mass formed"},
        {"", "weight of NMF star-formation-history basis 1 (the four sum to 1)"},
        {"", "weight of NMF star-formation-history basis 2"},
        {"", "weight of NMF star-formation-history basis 3"},
        {"", "weight of NMF star-formation-history basis 4"},
        {"", "fraction of the mass formed in the starburst"},
        {"Gyr", "lookback time of the starburst"},
        {"Z (metal mass fraction)", "coefficient of NMF metallicity-history basis 1"},
        {"Z (metal mass fraction)", "coefficient of NMF metallicity-history basis 2"},
        {"", "birth-cloud dust optical depth (Charlot & Fall), stars younger than 10 Myr"},
        {"", "diffuse-ISM dust optical depth"},
        {"", "slope offset of the Kriek & Conroy dust curve"},
        {"log10 Msun", "surviving stellar mass: living stars and remnants (what other catalogues call stellar mass)"},
        {"log10 Msun/yr", "mean star-formation rate over the last 1 Gyr (specific-SFR floor 1e-14/yr)"},
        {"log10 Msun/yr", "mean star-formation rate over the last 100 Myr (specific-SFR floor 1e-14/yr)"},
        {"log10 Z", "mass-weighted metallicity"},
        {"Gyr", "mass-weighted lookback time of formation"},
        {
            "",
            "redshift: as given; drawn from N(z, z_err) when z_err is given; inferred (photo-z model, log-uniform prior over the model's range) when z is NULL"
        },
    };

    public static final List<Quantity> ALL = all();

    private Quantities() {}

    private static List<Quantity> all() {
        if (TEXT.length != Posterior.Q) throw new IllegalStateException("one line of text per quantity");
        List<Quantity> q = new ArrayList<>();
        for (int i = 0; i < Posterior.Q; i++) {
            double[] r = i < Prior.N_PHYSICAL ? Prior.physicalRange(i) : new double[] {Double.NaN, Double.NaN};
            q.add(new Quantity(Posterior.QUANTITIES.get(i), TEXT[i][0], r[0], r[1], TEXT[i][1]));
        }
        return List.copyOf(q);
    }

    /** The rows as SQL VALUES tuples ('name', 'unit', lo, hi, 'meaning'), NULL for NaN; for the engines' install code. */
    public static String sqlValues() {
        List<String> rows = new ArrayList<>();
        for (Quantity q : ALL)
            rows.add("(" + text(q.name()) + ", " + text(q.unit()) + ", " + number(q.priorMin()) + ", "
                    + number(q.priorMax()) + ", " + text(q.meaning()) + ")");
        return String.join(",\n    ", rows);
    }

    private static String text(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "CAST(NULL AS DOUBLE)" : "CAST(" + v + " AS DOUBLE)";
    }
}
