package org.sedflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Bands;
import org.sedflow.sps.Csv;

/**
 * A catalogue's photometry columns, in the catalogue's own names and units: which column holds
 * each band's value and its error, and the redshift.
 *
 * <ul>
 * <li>{@code --units nmgy} (default; the NSA's nanomaggies), {@code njy}, {@code ujy} (fluxes,
 *     converted: 1 nanomaggy = 3631 nJy = 3.631 uJy), or {@code mag} (AB magnitudes and errors).</li>
 * <li>{@code --columns key=NAME,...} (or {@code @FILE} with one {@code key=NAME} per line) names
 *     the columns; keys {@code flux_<band>}, {@code ivar_<band>} (inverse variance) or
 *     {@code err_<band>} (1-sigma error), {@code mag_<band>}, {@code magerr_<band>}, {@code z},
 *     {@code z_err} (the redshift's Gaussian 1-sigma error: used when named, or when the catalogue
 *     has a {@code z_err} column).
 *     Unnamed keys default to the key itself (the NSA's names); an empty name
 *     ({@code flux_fuv=}) says the catalogue has no such column: the band is missing.</li>
 * <li>A flux band's error is an inverse variance unless {@code err_<band>} is named (or the
 *     catalogue has an {@code err_<band>} column and no {@code ivar_<band>}).</li>
 * <li>Sentinels (-99, -999, -9999) are passed on unconverted, so the input rules still see
 *     them; an error of 0 or below is refused ({@code bad_input_<band>}).</li>
 * <li>Column names match exactly, else ignoring case when that names one column (FITS
 *     writes {@code Z}, users type {@code z}). A FITS vector element is {@code NAME[i]}, 0-based.</li>
 * <li>The NSA layout: a table with the vector columns {@code NMGY[7]} and {@code NMGY_IVAR[7]}
 *     (bands FUV, NUV, u, g, r, i, z) and no {@code flux_fuv} column reads them as the fluxes and
 *     inverse variances, and {@code Z} as the redshift, with no {@code --columns}.</li>
 * <li>An empty redshift cell (or {@code z=}, or {@code --photo-z}, which ignores any redshift
 *     column) leaves z to the photo-z model.</li>
 * </ul>
 */
record Catalog(
        List<String> cells,
        String source,
        Units units,
        int[] value,
        int[] error,
        boolean[] inverseVariance,
        int z,
        int zErr,
        Csv csv) {
    /** Flux units, as nanomaggies per unit, or magnitudes. */
    enum Units {
        NMGY(1),
        NJY(1 / 3631.0),
        UJY(1 / 3.631),
        MAG(Double.NaN);

        final double nanomaggies;

        Units(double nanomaggies) {
            this.nanomaggies = nanomaggies;
        }

        static Units of(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CliException("--units must be nmgy, njy, ujy or mag, got '" + s + "'");
            }
        }
    }

    /** The NSA's own vector columns, in band order. */
    static final String NSA_FLUX = "NMGY", NSA_IVAR = "NMGY_IVAR", NSA_Z = "Z";

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

    /** A catalogue held in memory (the commands that read a few hundred rows). */
    static Catalog of(Csv csv, String zCol, String columns, Units units) {
        Catalog c = of(csv.header(), csv.source(), zCol, columns, units, false);
        return new Catalog(c.cells, c.source, c.units, c.value, c.error, c.inverseVariance, c.z, c.zErr, csv);
    }

    /**
     * A streamed catalogue: {@code columns} is the --columns text (null: none), {@code units} the
     * --units value; {@code photoZ}: no redshift is read (the photo-z model infers it).
     */
    static Catalog of(CatalogTable t, String zCol, String columns, Units units, boolean photoZ) {
        return of(t.cells(), t.source(), zCol, columns, units, photoZ);
    }

    private static Catalog of(
            List<String> cells, String source, String zCol, String columns, Units units, boolean photoZ) {
        Map<String, String> map = mapping(columns);
        if (units != Units.MAG && nsaLayout(cells, map)) {
            for (int b = 0; b < Bands.COUNT; b++) {
                map.putIfAbsent("flux_" + Bands.NAMES.get(b), NSA_FLUX + "[" + b + "]");
                map.putIfAbsent("ivar_" + Bands.NAMES.get(b), NSA_IVAR + "[" + b + "]");
            }
            if (!map.containsKey("z") && zCol.equals("z") && CatalogTable.find(cells, NSA_Z) >= 0) map.put("z", NSA_Z);
        }
        int[] v = new int[Bands.COUNT], e = new int[Bands.COUNT];
        boolean[] ivar = new boolean[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            String band = Bands.NAMES.get(b);
            if (units == Units.MAG) {
                v[b] = column(cells, source, map, "mag_" + band);
                e[b] = column(cells, source, map, "magerr_" + band);
                continue;
            }
            v[b] = column(cells, source, map, "flux_" + band);
            boolean err = map.containsKey("err_" + band)
                    || (!map.containsKey("ivar_" + band)
                            && CatalogTable.find(cells, "ivar_" + band) < 0
                            && CatalogTable.find(cells, "err_" + band) >= 0);
            ivar[b] = !err;
            e[b] = column(cells, source, map, (err ? "err_" : "ivar_") + band);
        }
        int zc = photoZ ? -1 : column(cells, source, map, map.containsKey("z") ? "z" : zCol, "z");
        int zErr = photoZ || (!map.containsKey(Z_ERR) && CatalogTable.find(cells, Z_ERR) < 0)
                ? -1
                : column(cells, source, map, Z_ERR);
        return new Catalog(cells, source, units, v, e, ivar, zc, zErr, null);
    }

    /** NMGY[0..6] and NMGY_IVAR[0..6] present, no flux_fuv column, and no flux or ivar key named. */
    private static boolean nsaLayout(List<String> cells, Map<String, String> map) {
        for (String k : map.keySet())
            if (k.startsWith("flux_") || k.startsWith("ivar_") || k.startsWith("err_")) return false;
        if (CatalogTable.find(cells, "flux_fuv") >= 0) return false;
        for (int b = 0; b < Bands.COUNT; b++)
            if (CatalogTable.find(cells, NSA_FLUX + "[" + b + "]") < 0
                    || CatalogTable.find(cells, NSA_IVAR + "[" + b + "]") < 0) return false;
        return CatalogTable.find(cells, NSA_FLUX + "[" + Bands.COUNT + "]") < 0;
    }

    static final String Z_ERR = "z_err";

    static Map<String, String> mapping(String spec) {
        Map<String, String> m = new LinkedHashMap<>();
        if (spec == null) return m;
        List<String> items;
        try {
            items = spec.startsWith("@") ? Files.readAllLines(Path.of(spec.substring(1))) : List.of(spec.split(","));
        } catch (IOException e) {
            throw new CliException("cannot read the column map " + spec.substring(1) + ": " + e.getMessage());
        }
        for (String item : items) {
            String t = item.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            int eq = t.indexOf('=');
            if (eq < 0) throw new CliException("--columns: '" + t + "' is not key=NAME");
            String key = t.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (!known(key))
                throw new CliException("--columns: unknown key '" + key + "' (flux_<band>, ivar_<band>, err_<band>, "
                        + "mag_<band>, magerr_<band> with band in " + String.join(", ", Bands.NAMES) + ", z or z_err)");
            m.put(key, t.substring(eq + 1).strip());
        }
        return m;
    }

    private static boolean known(String key) {
        if (key.equals("z") || key.equals(Z_ERR)) return true;
        for (String p : List.of("flux_", "ivar_", "err_", "mag_", "magerr_"))
            if (key.startsWith(p) && Bands.NAMES.contains(key.substring(p.length()))) return true;
        return false;
    }

    private static int column(List<String> cells, String source, Map<String, String> map, String key) {
        return column(cells, source, map, key, key);
    }

    /** The column for {@code key} (named {@code dflt} unless mapped); -1 for an empty name (the catalogue lacks it). */
    private static int column(List<String> cells, String source, Map<String, String> map, String dflt, String key) {
        String name = map.getOrDefault(key, dflt);
        if (name.isEmpty()) return -1;
        int c = CatalogTable.find(cells, name);
        if (c < 0)
            throw new CliException(source + ": missing column '" + name + "' (for " + key + "); name it with --columns "
                    + key + "=NAME, or " + key + "= if the catalogue has none");
        return c;
    }

    /** Row {@code r} of the catalogue held in memory. */
    GalaxyInput galaxy(int r, SedPosterior service) {
        return galaxy(new CsvTable.TextRow(source, cells, r, r + 2, csv.row(r)), service);
    }

    GalaxyInput galaxy(CatalogTable.Row row, SedPosterior service) {
        Double[] val = new Double[Bands.COUNT], err = new Double[Bands.COUNT];
        for (int b = 0; b < Bands.COUNT; b++) {
            Double x = value(row, value[b]), s = value(row, error[b]);
            if (units == Units.MAG) {
                val[b] = x;
                err[b] = s;
            } else {
                double k = units.nanomaggies;
                val[b] = x == null || sentinel(x) ? x : Double.valueOf(x * k); // boxed: a NULL stays NULL
                if (s == null || sentinel(s)) err[b] = s;
                else if (inverseVariance[b]) err[b] = s / (k * k);
                else { // an error: its inverse variance, keeping the sign (a negative error is refused); 0 gives NaN
                    // (refused)
                    double e = s * k;
                    err[b] = Math.signum(e) / (e * e);
                }
            }
        }
        Double zv = value(row, z), ze = value(row, zErr);
        return units == Units.MAG ? service.fromMagnitudes(val, err, zv, ze) : service.fromFluxes(val, err, zv, ze);
    }

    private static boolean sentinel(double v) {
        return GalaxyInput.SENTINELS.contains(v);
    }

    private static Double value(CatalogTable.Row row, int c) {
        return c < 0 ? null : row.number(c);
    }
}
