package org.sedflow.sps;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the reference data live. Never copied into the repository: read from
 * {@code ../shared/data} beside the checkout, or wherever the user points.
 *
 * <p>Resolution order for the data root: system property {@code sedflow.data},
 * environment variable {@code SEDFLOW_DATA}, then {@code ../shared/data}
 * relative to the checkout root ({@code sedflow.root} property, else the
 * working directory and its parents are searched). The SSP folder is
 * {@code sedflow.ssp} / {@code SEDFLOW_SSP}, default
 * {@code <data>/ssp/bc03_2016_lr_basel_chabrier}.
 */
public final class DataPaths {
    public static final String DEFAULT_SSP = "ssp/bc03_2016_lr_basel_chabrier";

    private DataPaths() {}

    /** The reference-data root folder; throws with a clear message if it cannot be found. */
    public static Path dataRoot() {
        String explicit = setting("sedflow.data", "SEDFLOW_DATA");
        if (explicit != null)
            return requireDir(Path.of(explicit), "reference data folder (sedflow.data / SEDFLOW_DATA)");
        String root = System.getProperty("sedflow.root");
        Path start = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path d = start.toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared").resolve("data");
            if (d.getParent() != null && Files.isDirectory(candidate)) return candidate.normalize();
        }
        throw new IllegalStateException("cannot find the reference data: set -Dsedflow.data=DIR or SEDFLOW_DATA=DIR "
                + "(expected ../shared/data beside the checkout, searched upward from " + start + ")");
    }

    /** The SSP folder (BC03 .ised/.4color set). */
    public static Path sspDir() {
        String explicit = setting("sedflow.ssp", "SEDFLOW_SSP");
        if (explicit != null) return requireDir(Path.of(explicit), "SSP folder (sedflow.ssp / SEDFLOW_SSP)");
        return requireDir(dataRoot().resolve(DEFAULT_SSP), "SSP folder");
    }

    /** True when the user named a data or SSP folder (then those are read, not the packaged {@link DataPack}). */
    public static boolean named() {
        return setting("sedflow.data", "SEDFLOW_DATA") != null || setting("sedflow.ssp", "SEDFLOW_SSP") != null;
    }

    public static Path nsaDir() {
        return requireDir(dataRoot().resolve("nsa"), "NSA photometry folder");
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) v = System.getenv(env);
        return v == null || v.isBlank() ? null : v;
    }

    private static Path requireDir(Path p, String what) {
        if (!Files.isDirectory(p)) throw new IllegalStateException(what + " does not exist: " + p.toAbsolutePath());
        return p;
    }
}
