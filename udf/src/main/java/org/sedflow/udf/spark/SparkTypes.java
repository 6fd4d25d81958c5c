package org.sedflow.udf.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.Summary;

/** Spark types and values of the struct results (same layout as DuckDB's and H2's). */
final class SparkTypes {
    private SparkTypes() {}

    static final StructType STATS = stats();
    static final StructType SUMMARY = summary(false);
    static final StructType MCMC_SUMMARY = summary(true);
    static final ArrayType SAMPLES =
            DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    static final StructType POSTERIOR = new StructType()
            .add("flag", DataTypes.StringType)
            .add("samples", SAMPLES, true)
            .add("summary", SUMMARY);

    private static StructType stats() {
        StructType t = new StructType();
        for (String s : Summary.STATS) t = t.add(s, DataTypes.DoubleType, true);
        return t;
    }

    /** The quantities' statistics and the flag; for MCMC also the chain's diagnostics. */
    private static StructType summary(boolean mcmc) {
        StructType t = new StructType();
        for (String q : Posterior.QUANTITIES) t = t.add(q, STATS, false);
        t = t.add("flag", DataTypes.StringType, false);
        if (mcmc) for (String d : Summary.DIAGNOSTICS) t = t.add(d, DataTypes.DoubleType, true);
        return t;
    }

    /** The SQL spelling of {@link #SUMMARY}, for function declarations. */
    static String summaryDdl() {
        return SUMMARY.sql();
    }

    static Row summaryRow(Summary s) {
        int extra = s.hasDiagnostics() ? Summary.DIAGNOSTICS.size() : 0;
        Object[] fields = new Object[Posterior.Q + 1 + extra];
        for (int q = 0; q < Posterior.Q; q++) {
            Object[] st = new Object[Summary.STATS.size()];
            for (int k = 0; k < st.length; k++) st[k] = s.has() ? s.value(q, k) : null;
            fields[q] = RowFactory.create(st);
        }
        fields[Posterior.Q] = s.flag();
        for (int k = 0; k < extra; k++) fields[Posterior.Q + 1 + k] = s.has() ? s.diagnostic(k) : null;
        return RowFactory.create(fields);
    }

    static Row posteriorRow(Posterior p) {
        return RowFactory.create(p.flag(), p.sampleMatrix(), summaryRow(Summary.of(p)));
    }
}
