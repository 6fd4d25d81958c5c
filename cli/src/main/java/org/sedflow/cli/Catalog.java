package org.sedflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Csv;
import org.sedflow.udf.core.GalaxyInput;
import org.sedflow.udf.core.SedPosterior;

/**
 * A catalogue's photometry columns, in the catalogue's own names and units: which column holds
 * each band's value and its error, and the redshift.
 *
 * <ul>
 * <li>{@code --units nmgy} (default; the NSA's nanomaggies), {@code njy}, {@code ujy} (fluxes,
 *     converted: 1 nanomaggy = 3631 nJy = 3.631 uJy), or {@code mag} (AB magnitudes and errors).</li>
 * <li>{@code --columns key=NAME,...} (or {@code @FILE} with one {@code key=NAME} per line) names
 *     the columns; keys {@code flux_<band>}, {@code ivar_<band>} (inverse variance) or
 *     {@code err_<band>} (1-sigma error), {@code mag_<band>}, {@code magerr_<band>}, {@code z}.
 *     Unnamed keys default to the key itself (the NSA's names); an empty name
 *     ({@code flux_fuv=}) says the catalogue has no such column: the band is missing.</li>
 * <li>A flux band's error is an inverse variance unless {@code err_<band>} is named (or the
 *     catalogue has an {@code err_<band>} column and no {@code ivar_<band>}).</li>
 * <li>Sentinels (-99, -999, -9999) are passed on unconverted, so the input rules still see
 *     them; an error of 0 or below is refused ({@code bad_input_<band>}).</li>
 * </ul>
 */
record Catalog(Csv csv, Units units, int[] value, int[] error, boolean[] inverseVariance, int z) {
    /** Flux units, as nanomaggies per unit, or magnitudes. */
    enum Units {
        NMGY(1), NJY(1 / 3631.0), UJY(1 / 3.631), MAG(Double.NaN);

        final double nanomaggies;

        Units(double nanomaggies) { this.nanomaggies = nanomaggies; }

        static Units of(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CliException("--units must be nmgy, njy, ujy or mag, got '" + s + "'");
            }
        }
    }

    static Csv read(Path in) {
        try {
            return Csv.read(in);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** The NSA's names and units: flux_X, ivar_X [nanomaggies], and the given redshift column. */
    static Catalog of(Csv csv, String zCol) {
        return of(csv, zCol, null, Units.NMGY);
    }

    /** {@code columns}: the --columns text (null: none), {@code units}: the --units value. */
    static Catalog of(Csv csv, String zCol, String columns, Units units) {
        Map<String, String> map = mapping(columns);
        int[] v = new int[Bands.COUNT], e = new int[Bands.COUNT];
        boolean[] ivar = new boolean[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            String band = Bands.NAMES.get(b);
            if (units == Units.MAG) {
                v[b] = column(csv, map, "mag_" + band);
                e[b] = column(csv, map, "magerr_" + band);
                continue;
            }
            v[b] = column(csv, map, "flux_" + band);
            boolean err = map.containsKey("err_" + band)
                    || (!map.containsKey("ivar_" + band) && !csv.has("ivar_" + band) && csv.has("err_" + band));
            ivar[b] = !err;
            e[b] = column(csv, map, (err ? "err_" : "ivar_") + band);
        }
        return new Catalog(csv, units, v, e, ivar, column(csv, map, map.containsKey("z") ? "z" : zCol, "z"));
    }

    static Map<String, String> mapping(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        if (spec == null) return m;
        List<String> items;
        try {
            items = spec.startsWith("@") ? Files.readAllLines(Path.of(spec.substring(1)))
                    : List.of(spec.split(","));
        } catch (java.io.IOException e) {
            throw new CliException("cannot read the column map " + spec.substring(1) + ": " + e.getMessage());
        }
        for (String item : items) {
            String t = item.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            int eq = t.indexOf('=');
            if (eq < 0) throw new CliException("--columns: '" + t + "' is not key=NAME");
            String key = t.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (!known(key)) throw new CliException("--columns: unknown key '" + key + "' (flux_<band>, ivar_<band>, err_<band>, "
                    + "mag_<band>, magerr_<band> with band in " + String.join(", ", Bands.NAMES) + ", or z)");
            m.put(key, t.substring(eq + 1).strip());
        }
        return m;
    }

    private static boolean known(String key) {
        if (key.equals("z")) return true;
        for (String p : List.of("flux_", "ivar_", "err_", "mag_", "magerr_"))
            if (key.startsWith(p) && Bands.NAMES.contains(key.substring(p.length()))) return true;
        return false;
    }

    private static int column(Csv csv, Map<String, String> map, String key) {
        return column(csv, map, key, key);
    }

    /** The column for {@code key} (named {@code dflt} unless mapped); -1 for an empty name (the catalogue lacks it). */
    private static int column(Csv csv, Map<String, String> map, String dflt, String key) {
        String name = map.getOrDefault(key, dflt);
        if (name.isEmpty()) return -1;
        if (!csv.has(name))
            throw new CliException(csv.source() + ": missing column '" + name + "' (for " + key + "); name it with --columns "
                    + key + "=NAME, or " + key + "= if the catalogue has none");
        return csv.column(name);
    }

    GalaxyInput galaxy(int r, SedPosterior service) {
        Double[] val = new Double[Bands.COUNT], err = new Double[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            Double x = value(r, value[b]), s = value(r, error[b]);
            if (units == Units.MAG) {
                val[b] = x;
                err[b] = s;
            } else {
                double k = units.nanomaggies;
                val[b] = x == null || sentinel(x) ? x : Double.valueOf(x * k); // boxed: a NULL stays NULL
                if (s == null || sentinel(s)) err[b] = s;
                else if (inverseVariance[b]) err[b] = s / (k * k);
                else { // an error: its inverse variance, keeping the sign (a negative error is refused); 0 gives NaN (refused)
                    double e = s * k;
                    err[b] = Math.signum(e) / (e * e);
                }
            }
        }
        Double zv = value(r, z);
        return units == Units.MAG ? service.fromMagnitudes(val, err, zv) : service.fromFluxes(val, err, zv);
    }

    private static boolean sentinel(double v) {
        return GalaxyInput.SENTINELS.contains(v);
    }

    private Double value(int r, int c) {
        if (c < 0) return null;
        String s = csv.row(r)[c].trim();
        if (s.isEmpty()) return null;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new CliException(csv.source() + " row " + r + " (line " + (r + 2) + ") column '" + csv.header().get(c)
                    + "': not a number: '" + s + "'");
        }
    }
}
