package org.sedflow.sps;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What the service needs of the reference data, derived at build time into one resource of the
 * jar ({@value #RESOURCE}), so the functions run where {@code ../shared/data} is not: the BC03
 * SSP grid as read (float32 spectra, surviving fractions), the seven filter curves, the NMF
 * bases, and the noise model fitted to the NSA rows (its binned medians and spreads and the
 * missing-band patterns, not the rows). {@link #provenance()} lists every source file with its
 * SHA-256. Loading it gives the same objects, bit for bit, as reading the folders (tested).
 *
 * <p>Used by {@link SedModel#load()} and {@link NoiseModel#fromNsa()} unless the user names a
 * data folder ({@code sedflow.data}/{@code SEDFLOW_DATA}, {@code sedflow.ssp}/{@code SEDFLOW_SSP}).
 * Built by {@code java org.sedflow.sps.DataPack OUT} (the sps-model build runs it).
 *
 * <p>Layout (gzip of big-endian {@code DataOutputStream} values): magic {@code SEDFLOWD}, version,
 * provenance text, SSP grid, 7 filters, NMF tables, noise model.
 */
public final class DataPack {
    public static final String RESOURCE = "/org/sedflow/sps/reference-data.pack";
    static final String MAGIC = "SEDFLOWD";
    static final int VERSION = 1;

    private final SspGrid ssp;
    private final Filter[] filters;
    private final NmfHistory nmf;
    private final NoiseModel noise;
    private final String provenance;
    private static volatile DataPack packaged;

    private DataPack(SspGrid ssp, Filter[] filters, NmfHistory nmf, NoiseModel noise, String provenance) {
        this.ssp = ssp;
        this.filters = filters;
        this.nmf = nmf;
        this.noise = noise;
        this.provenance = provenance;
    }

    public SspGrid ssp() {
        return ssp;
    }

    public Filter[] filters() {
        return filters.clone();
    }

    public NmfHistory nmf() {
        return nmf;
    }

    public NoiseModel noise() {
        return noise;
    }
    /** The source files and their SHA-256, one per line. */
    public String provenance() {
        return provenance;
    }

    /** True when the loaders should use the packaged data: it is on the classpath and no data folder is named. */
    public static boolean inUse() {
        return !DataPaths.named() && DataPack.class.getResource(RESOURCE) != null;
    }

    /** The packaged data (read once). */
    public static DataPack get() {
        DataPack p = packaged;
        if (p != null) return p;
        synchronized (DataPack.class) {
            if (packaged == null) {
                try (InputStream in = DataPack.class.getResourceAsStream(RESOURCE)) {
                    if (in == null)
                        throw new IllegalStateException(
                                "no packaged reference data (" + RESOURCE + ") on the classpath");
                    packaged = read(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(
                            "packaged reference data " + RESOURCE + " is damaged: " + e.getMessage(), e);
                }
            }
            return packaged;
        }
    }

    /** The pack of the folders {@link DataPaths} finds. */
    public static DataPack fromFolders(Path sspDir, Path dataRoot) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (Path d : List.of(
                sspDir, dataRoot.resolve("filters"), dataRoot.resolve("provabgs_nmf"), dataRoot.resolve("nsa"))) {
            try (Stream<Path> s = Files.list(d)) {
                s.filter(Files::isRegularFile).sorted().forEach(sources::add);
            }
        }
        StringBuilder prov = new StringBuilder();
        for (Path f : sources)
            prov.append(sha256(f))
                    .append("  ")
                    .append(dataRoot.relativize(f.toAbsolutePath()))
                    .append('\n');
        return new DataPack(
                Bc03Reader.read(sspDir),
                Bands.read(dataRoot.resolve("filters")),
                new NmfHistory(dataRoot.resolve("provabgs_nmf")),
                NoiseModel.fromNsa(dataRoot.resolve("nsa")),
                prov.toString());
    }

    /** Writes the pack (through a temporary file). */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(tmp))))) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            byte[] p = provenance.getBytes(StandardCharsets.UTF_8);
            out.writeInt(p.length);
            out.write(p);
            writeGrid(out, ssp);
            for (Filter f : filters) {
                out.writeUTF(f.name());
                double[] w = new double[f.size()], r = new double[f.size()];
                for (int i = 0; i < w.length; i++) {
                    w[i] = f.wave(i);
                    r[i] = f.resp(i);
                }
                doubles(out, w);
                doubles(out, r);
            }
            for (double[][] table : nmf.tables()) {
                out.writeInt(table.length);
                for (double[] c : table) doubles(out, c);
            }
            noise.write(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static DataPack read(InputStream raw) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw)))) {
            if (!MAGIC.equals(in.readUTF())) throw new IOException("not a SEDflow data pack");
            int v = in.readInt();
            if (v != VERSION) throw new IOException("data pack version " + v + ", this build reads " + VERSION);
            byte[] p = new byte[in.readInt()];
            in.readFully(p);
            SspGrid grid = readGrid(in);
            Filter[] filters = new Filter[Bands.COUNT];
            for (int b = 0; b < filters.length; b++) filters[b] = new Filter(in.readUTF(), doubles(in), doubles(in));
            double[][][] tables = new double[2][][];
            for (int t = 0; t < 2; t++) {
                tables[t] = new double[in.readInt()][];
                for (int c = 0; c < tables[t].length; c++) tables[t][c] = doubles(in);
            }
            return new DataPack(
                    grid,
                    filters,
                    new NmfHistory(tables[0], tables[1]),
                    NoiseModel.read(in),
                    new String(p, StandardCharsets.UTF_8));
        }
    }

    private static void writeGrid(DataOutputStream out, SspGrid g) throws IOException {
        double[] ages = new double[g.ageCount()], zs = new double[g.metallicityCount()];
        for (int a = 0; a < ages.length; a++) ages[a] = g.age(a);
        for (int z = 0; z < zs.length; z++) zs[z] = g.metallicity(z);
        doubles(out, ages);
        doubles(out, zs);
        doubles(out, g.wavelengths());
        for (int z = 0; z < zs.length; z++) {
            for (int a = 0; a < ages.length; a++) {
                for (float f : g.spectrum(z, a)) out.writeFloat(f);
                out.writeDouble(g.survivingFraction(z, a));
            }
        }
        out.writeDouble(g.lsunErgPerS());
        out.writeUTF(g.description());
    }

    private static SspGrid readGrid(DataInputStream in) throws IOException {
        double[] ages = doubles(in), zs = doubles(in), wave = doubles(in);
        float[][][] spectra = new float[zs.length][ages.length][wave.length];
        double[][] surviving = new double[zs.length][ages.length];
        for (int z = 0; z < zs.length; z++) {
            for (int a = 0; a < ages.length; a++) {
                for (int w = 0; w < wave.length; w++) spectra[z][a][w] = in.readFloat();
                surviving[z][a] = in.readDouble();
            }
        }
        return new SspGrid(ages, zs, wave, spectra, surviving, in.readDouble(), in.readUTF());
    }

    static void doubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double d : v) out.writeDouble(d);
    }

    static double[] doubles(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) v[i] = in.readDouble();
        return v;
    }

    private static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code DataPack OUT}: derives the pack from the reference data folders and writes it. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: DataPack OUT.pack");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        fromFolders(DataPaths.sspDir(), DataPaths.dataRoot()).write(out);
        System.out.println("DataPack: wrote " + out + " (" + Files.size(out) + " bytes) from " + DataPaths.dataRoot());
    }
}
