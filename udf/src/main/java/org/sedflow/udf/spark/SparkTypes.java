package org.sedflow.udf.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.ResultSchema;
import org.sedflow.posterior.Summary;

/** Spark types and values of the struct results, derived from {@link ResultSchema}. */
final class SparkTypes {
    private SparkTypes() {}

    static final ArrayType SAMPLES =
            DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    static final StructType SUMMARY = struct(ResultSchema.SUMMARY);
    static final StructType MCMC_SUMMARY = struct(ResultSchema.MCMC_SUMMARY);
    static final StructType POSTERIOR = struct(ResultSchema.POSTERIOR);

    private static StructType struct(List<ResultSchema.Field> fields) {
        StructType t = new StructType();
        for (ResultSchema.Field f : fields) t = t.add(f.name(), type(f), nullable(f));
        return t;
    }

    private static DataType type(ResultSchema.Field f) {
        return switch (f.kind()) {
            case DOUBLE -> DataTypes.DoubleType;
            case STRING -> DataTypes.StringType;
            case SAMPLES -> SAMPLES;
            case STRUCT -> struct(f.fields());
        };
    }

    /** Numbers and samples are NULL for a row without a posterior; flags and structs never are. */
    private static boolean nullable(ResultSchema.Field f) {
        return f.kind() == ResultSchema.Kind.DOUBLE || f.kind() == ResultSchema.Kind.SAMPLES;
    }

    /** The SQL spelling of {@link #SUMMARY}, for function declarations. */
    static String summaryDdl() {
        return SUMMARY.sql();
    }

    static Row summaryRow(Summary s) {
        return row(ResultSchema.fieldsOf(s), ResultSchema.values(s));
    }

    static Row posteriorRow(Posterior p) {
        return row(ResultSchema.POSTERIOR, ResultSchema.values(p));
    }

    private static Row row(List<ResultSchema.Field> fields, Object[] values) {
        Object[] out = new Object[values.length];
        for (int k = 0; k < out.length; k++)
            out[k] = fields.get(k).kind() == ResultSchema.Kind.STRUCT
                    ? row(fields.get(k).fields(), (Object[]) values[k])
                    : values[k];
        return RowFactory.create(out);
    }
}
