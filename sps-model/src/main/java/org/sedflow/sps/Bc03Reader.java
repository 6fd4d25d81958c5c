package org.sedflow.sps;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a folder of Bruzual & Charlot (2003) SSP files: one {@code .ised} (or
 * {@code .ised.gz}) per metallicity, Fortran unformatted little-endian records,
 * plus its {@code .4color} table for the surviving mass (column 11,
 * M*_liv+M_rem). Any BC03 set with this layout loads (other IMFs, resolutions).
 */
public final class Bc03Reader {
    /** BC03's solar luminosity [erg/s]. */
    public static final double BC03_LSUN = 3.826e33;

    private static final Pattern Z_TEXT = Pattern.compile("Z=\\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)");

    private Bc03Reader() {}

    public static SspGrid read(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("SSP folder does not exist: " + dir);
        List<Path> iseds;
        try (Stream<Path> s = Files.list(dir)) {
            iseds = s.filter(p -> p.getFileName().toString().matches(".*\\.ised(\\.gz)?$"))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list SSP folder " + dir + ": " + e.getMessage(), e);
        }
        if (iseds.isEmpty()) throw new IllegalArgumentException("no .ised or .ised.gz files in SSP folder " + dir);
        List<OneZ> sets = new ArrayList<>();
        for (Path p : iseds) {
            try {
                sets.add(readOne(p));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("damaged SSP file " + p + ": " + e.getMessage(), e);
            }
        }
        sets.sort(Comparator.comparingDouble(o -> o.z));
        OneZ first = sets.get(0);
        int nz = sets.size();
        double[] zs = new double[nz];
        float[][][] spectra = new float[nz][][];
        double[][] surv = new double[nz][];
        for (int k = 0; k < nz; k++) {
            OneZ o = sets.get(k);
            if (k > 0 && o.z == sets.get(k - 1).z)
                throw new IllegalArgumentException("two SSP files with the same metallicity Z=" + o.z + ": " + o.file
                        + ", " + sets.get(k - 1).file);
            if (!Arrays.equals(o.ages, first.ages) || !Arrays.equals(o.waves, first.waves))
                throw new IllegalArgumentException(
                        "SSP file " + o.file + " has other ages or wavelengths than " + first.file);
            zs[k] = o.z;
            spectra[k] = o.spectra;
            surv[k] = o.surviving;
        }
        String desc = dir.getFileName() + ": " + nz + " metallicities, " + first.ages.length + " ages, "
                + first.waves.length + " wavelengths";
        return new SspGrid(toDouble(first.ages), zs, toDouble(first.waves), spectra, surv, BC03_LSUN, desc);
    }

    private record OneZ(Path file, double z, float[] ages, float[] waves, float[][] spectra, double[] surviving) {}

    private static OneZ readOne(Path ised) throws IOException {
        byte[] all;
        try (InputStream in = open(ised)) {
            all = in.readAllBytes();
        }
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer r0 = record(buf, "header");
        int nt = r0.getInt();
        if (nt <= 1 || nt > 100000) throw new IOException("implausible number of ages " + nt);
        float[] ages = floats(r0, nt, "ages");
        byte[] text = new byte[r0.remaining()];
        r0.get(text);
        double z = parseZ(new String(text, StandardCharsets.ISO_8859_1));
        ByteBuffer r1 = record(buf, "wavelengths");
        int nw = r1.getInt();
        if (nw <= 1 || nw > 1_000_000) throw new IOException("implausible number of wavelengths " + nw);
        float[] waves = floats(r1, nw, "wavelengths");
        float[][] spectra = new float[nt][];
        for (int i = 0; i < nt; i++) {
            ByteBuffer r = record(buf, "spectrum " + i);
            int n = r.getInt();
            if (n != nw) throw new IOException("spectrum " + i + " has " + n + " points, expected " + nw);
            spectra[i] = floats(r, nw, "spectrum " + i);
        }
        double[] surviving = readSurviving(ised, ages);
        return new OneZ(ised, z, ages, waves, spectra, surviving);
    }

    /** One Fortran record: int32 n, n bytes, int32 n. */
    private static ByteBuffer record(ByteBuffer buf, String what) throws IOException {
        if (buf.remaining() < 8) throw new EOFException("file ends before the " + what + " record");
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining() - 4)
            throw new IOException("bad record length " + n + " for the " + what + " record");
        ByteBuffer rec = buf.slice(buf.position(), n).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(buf.position() + n);
        int n2 = buf.getInt();
        if (n2 != n)
            throw new IOException("record lengths differ (" + n + " vs " + n2 + ") in the " + what + " record");
        return rec;
    }

    private static float[] floats(ByteBuffer r, int n, String what) throws IOException {
        if (r.remaining() < 4L * n) throw new IOException("the " + what + " record is too short");
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.getFloat();
            if (!Float.isFinite(out[i])) throw new IOException("non-finite value in the " + what + " record at " + i);
        }
        return out;
    }

    static double parseZ(String headerText) throws IOException {
        Matcher m = Z_TEXT.matcher(headerText);
        if (!m.find()) throw new IOException("no 'Z=' metallicity in the header text");
        double z = Double.parseDouble(m.group(1));
        if (!(z > 0 && z < 1)) throw new IOException("implausible metallicity Z=" + z);
        return z;
    }

    /** Surviving mass per age from the matching .4color file (age 0: 1, nothing has died). */
    private static double[] readSurviving(Path ised, float[] ages) throws IOException {
        String name = ised.getFileName().toString().replaceFirst("\\.ised(\\.gz)?$", "");
        Path color = ised.resolveSibling(name + ".4color.gz");
        if (!Files.exists(color)) color = ised.resolveSibling(name + ".4color");
        if (!Files.exists(color)) throw new IOException("missing mass table " + name + ".4color(.gz) beside it");
        double[] surv = new double[ages.length];
        int i = 0;
        while (i < ages.length && ages[i] <= 0) surv[i++] = 1.0;
        try (BufferedReader br = new BufferedReader(new InputStreamReader(open(color), StandardCharsets.US_ASCII))) {
            String line;
            int lineNo = 0;
            while ((line = br.readLine()) != null) {
                lineNo++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) continue;
                String[] f = t.split("\\s+");
                if (f.length < 11)
                    throw new IOException(color.getFileName() + " line " + lineNo + ": fewer than 11 columns");
                if (i >= ages.length) throw new IOException(color.getFileName() + ": more rows than SSP ages");
                double logAge = Double.parseDouble(f[0]);
                if (Math.abs(logAge - Math.log10(ages[i])) > 2e-3)
                    throw new IOException(color.getFileName() + " line " + lineNo + ": log age " + logAge
                            + " does not match the SSP age " + ages[i]);
                surv[i++] = Double.parseDouble(f[10]);
            }
        }
        if (i != ages.length)
            throw new IOException(color.getFileName() + ": " + i + " ages, the .ised has " + ages.length);
        return surv;
    }

    static InputStream open(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        return p.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
