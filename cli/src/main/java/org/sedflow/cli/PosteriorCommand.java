package org.sedflow.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.sedflow.posterior.GalaxyInput;
import org.sedflow.posterior.ImportanceSampler;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.PosteriorBatches;
import org.sedflow.posterior.SedPosterior;
import org.sedflow.sps.Progress;

/**
 * {@code sedflow posterior --in CATALOG.csv|.fits[.gz] --out OUT.csv|OUT.fits [--samples N] [--seed S]
 * [--z-column z] [--columns key=NAME,...] [--units nmgy|njy|ujy|mag] [--samples-out FILE.csv|.fits]
 * [--model FILE] [--proposals N]}: posteriors for a catalogue, by default in the NSA's columns
 * (flux_fuv..flux_z [nanomaggies], ivar_fuv..ivar_z; or the NSA FITS layout NMGY[7],
 * NMGY_IVAR[7], Z), else as {@link Catalog} maps them. The catalogue streams through in batches
 * ({@link PosteriorBatches}), so memory does not grow with its length. Each row gets the input row
 * back, Q_p16, Q_p50, Q_p84, Q_mean for the 18 quantities (z last), flag and time_ms
 * ({@link PosteriorSink}). A row without a redshift, or every row with {@code --photo-z}, gets
 * the photo-z model's joint posterior of z and the rest.
 * With {@code --proposals N} each posterior is the flow's refined by importance sampling on N
 * flow draws ({@link ImportanceSampler}), and an {@code ess} column follows.
 */
final class PosteriorCommand {
    private PosteriorCommand() {}

    static void run(String[] argv) throws IOException {
        Args a = new Args(argv, Set.of("quiet", "photo-z"));
        Path in = a.path("in"), out = a.path("out");
        int n = a.intValue("samples", SedPosterior.DEFAULT_SAMPLES);
        long seed = a.longValue("seed", 0);
        String zCol = a.string("z-column", "z");
        String columns = a.string("columns", null);
        Catalog.Units units = Catalog.Units.of(a.string("units", "nmgy"));
        String samplesOut = a.string("samples-out", null);
        String model = a.string("model", null);
        boolean quiet = a.flag("quiet"), photoZ = a.flag("photo-z");
        int proposals = SamplerSpec.proposals(a, 0);
        a.finish();
        if (n < 1 || n > SedPosterior.MAX_SAMPLES)
            throw new CliException("--samples must be in 1.." + SedPosterior.MAX_SAMPLES);
        CatalogTable.isFitsName(out); // refuses .gz before any work
        if (samplesOut != null) CatalogTable.isFitsName(Path.of(samplesOut));
        SedPosterior service = Models.posterior(model);
        if (photoZ && !service.hasPhotoZ()) throw new CliException("--photo-z: the service has no photo-z model");
        ImportanceSampler refiner = proposals > 0 ? new ImportanceSampler(service) : null;
        int[] counts = new int[3]; // rows, flagged, without a posterior
        long t0 = System.nanoTime();
        try (CatalogTable table = CatalogTable.open(in)) {
            Catalog cat = Catalog.of(table, zCol, columns, units, photoZ);
            Progress progress = new Progress("posterior", table.rows(), !quiet);
            try (PosteriorSink sink = PosteriorSink.open(out, table, service, refiner != null);
                    SamplesSink samples =
                            samplesOut == null ? null : SamplesSink.open(Path.of(samplesOut), n, service)) {
                // the refined path's effective sample sizes, by posterior, until the row is written
                Map<Posterior, Double> ess = new IdentityHashMap<>();
                PosteriorBatches.Compute compute = refiner == null
                        ? service::posteriors
                        : (gs, nn, sd) -> {
                            List<Posterior> ps = new ArrayList<>(gs.size());
                            for (GalaxyInput g : gs) {
                                ImportanceSampler.Result rr = refiner.refine(g, proposals, nn, sd);
                                ps.add(rr.posterior());
                                ess.put(rr.posterior(), rr.ess());
                            }
                            return ps;
                        };
                // the service, not the SQL cache: one pass over a catalogue answers each row once
                for (var it = new PosteriorBatches<>(rows(table), r -> cat.galaxy(r, service), n, seed, compute);
                        it.hasNext(); ) {
                    PosteriorBatches.Answer<CatalogTable.Row> answer = it.next();
                    Posterior p = answer.posterior();
                    Double e = ess.remove(p);
                    counts[0]++;
                    if (!p.hasSamples()) counts[2]++;
                    else if (!Posterior.trusted(p.flag())) counts[1]++;
                    sink.write(answer.row(), p, e == null ? Double.NaN : e);
                    if (samples != null) samples.write(answer.row().index(), p);
                    progress.advance(1);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            progress.finish();
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        System.err.printf(
                "posterior: %d galaxies, %d samples each, %.1f s (%.2f ms per galaxy wall clock); "
                        + "%d flagged (outside the training support%s; noise_inflated alone is not), %d without a posterior -> %s%n",
                counts[0],
                n,
                sec,
                1e3 * sec / Math.max(1, counts[0]),
                counts[1],
                refiner == null ? "" : " or ESS < " + ImportanceSampler.MIN_ESS,
                counts[2],
                out);
    }

    /** The table's rows as an iterator (its read errors unchecked, rethrown by the caller). */
    private static Iterator<CatalogTable.Row> rows(CatalogTable table) {
        return new Iterator<>() {
            private CatalogTable.Row pending;

            @Override
            public boolean hasNext() {
                if (pending == null) {
                    try {
                        pending = table.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return pending != null;
            }

            @Override
            public CatalogTable.Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                CatalogTable.Row r = pending;
                pending = null;
                return r;
            }
        };
    }
}
