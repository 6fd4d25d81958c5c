package org.sedflow.sps;

import java.nio.file.Path;
import java.util.List;

/** The seven bands SEDflow-SQL models, in catalogue order: GALEX FUV, NUV, SDSS u, g, r, i, z. */
public final class Bands {
    public static final List<String> NAMES = List.of("fuv", "nuv", "u", "g", "r", "i", "z");
    public static final int COUNT = 7;
    private static final String[] FILES = {
        "galex_fuv.txt",
        "galex_nuv.txt",
        "sdss2010_u.txt",
        "sdss2010_g.txt",
        "sdss2010_r.txt",
        "sdss2010_i.txt",
        "sdss2010_z.txt"
    };

    private Bands() {}

    /** The seven filters from a folder holding the files of {@code ../shared/data/filters}. */
    public static Filter[] read(Path dir) {
        Filter[] f = new Filter[COUNT];
        for (int i = 0; i < COUNT; i++) f[i] = Filter.read(NAMES.get(i), dir.resolve(FILES[i]));
        return f;
    }

    public static int index(String band) {
        int i = NAMES.indexOf(band);
        if (i < 0) throw new IllegalArgumentException("unknown band '" + band + "' (known: " + NAMES + ")");
        return i;
    }
}
