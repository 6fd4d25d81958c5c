package org.sedflow.udf.h2;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import org.h2.value.ExtTypeInfoRow;
import org.h2.value.TypeInfo;
import org.h2.value.Value;
import org.h2.value.ValueArray;
import org.h2.value.ValueDouble;
import org.h2.value.ValueNull;
import org.h2.value.ValueRow;
import org.h2.value.ValueVarchar;
import org.sedflow.posterior.Posterior;
import org.sedflow.posterior.ResultSchema;
import org.sedflow.posterior.Summary;

/** H2's ROW types (as DDL for the domains, and as TypeInfo) and values of the struct results, derived from {@link ResultSchema}. */
final class H2Types {
    private H2Types() {}

    static final TypeInfo SAMPLE_ROW = TypeInfo.getTypeInfo(Value.ARRAY, -1, 0, TypeInfo.TYPE_DOUBLE);
    static final TypeInfo SUMMARY = typeInfo(ResultSchema.SUMMARY);
    static final TypeInfo MCMC_SUMMARY = typeInfo(ResultSchema.MCMC_SUMMARY);
    static final TypeInfo POSTERIOR = typeInfo(ResultSchema.POSTERIOR);

    /** ROW(LOG_MSTAR ROW(P16 DOUBLE PRECISION, ...), ..., FLAG VARCHAR): a domain's definition. */
    static String ddl(List<ResultSchema.Field> fields) {
        StringBuilder sb = new StringBuilder("ROW(");
        for (int k = 0; k < fields.size(); k++) {
            ResultSchema.Field f = fields.get(k);
            sb.append(k > 0 ? ", " : "")
                    .append(f.name().toUpperCase(Locale.ROOT))
                    .append(' ');
            sb.append(
                    switch (f.kind()) {
                        case DOUBLE -> "DOUBLE PRECISION";
                        case STRING -> "VARCHAR";
                        case SAMPLES -> "DOUBLE PRECISION ARRAY ARRAY";
                        case STRUCT -> ddl(f.fields());
                    });
        }
        return sb.append(')').toString();
    }

    private static TypeInfo typeInfo(List<ResultSchema.Field> fields) {
        LinkedHashMap<String, TypeInfo> m = new LinkedHashMap<>();
        for (ResultSchema.Field f : fields)
            m.put(
                    f.name().toUpperCase(Locale.ROOT),
                    switch (f.kind()) {
                        case DOUBLE -> TypeInfo.TYPE_DOUBLE;
                        case STRING -> TypeInfo.TYPE_VARCHAR;
                        case SAMPLES -> TypeInfo.getTypeInfo(Value.ARRAY, -1, 0, SAMPLE_ROW);
                        case STRUCT -> typeInfo(f.fields());
                    });
        return TypeInfo.getTypeInfo(Value.ROW, -1, -1, new ExtTypeInfoRow(m));
    }

    static ValueRow summary(Summary s) {
        List<ResultSchema.Field> fields = ResultSchema.fieldsOf(s);
        return row(fields, s.hasDiagnostics() ? MCMC_SUMMARY : SUMMARY, ResultSchema.values(s));
    }

    static ValueRow posterior(Posterior p) {
        return row(ResultSchema.POSTERIOR, POSTERIOR, ResultSchema.values(p));
    }

    private static ValueRow row(List<ResultSchema.Field> fields, TypeInfo type, Object[] values) {
        ExtTypeInfoRow ext = (ExtTypeInfoRow) type.getExtTypeInfo();
        List<TypeInfo> types = ext.getFields().stream().map(e -> e.getValue()).toList();
        Value[] out = new Value[values.length];
        for (int k = 0; k < out.length; k++) {
            Object v = values[k];
            ResultSchema.Field f = fields.get(k);
            out[k] = v == null
                    ? ValueNull.INSTANCE
                    : switch (f.kind()) {
                        case DOUBLE -> ValueDouble.get((Double) v);
                        case STRING -> ValueVarchar.get((String) v);
                        case STRUCT -> row(f.fields(), types.get(k), (Object[]) v);
                        case SAMPLES -> samples((double[][]) v);
                    };
        }
        return ValueRow.get(type, out);
    }

    private static Value samples(double[][] s) {
        Value[] rows = new Value[s.length];
        for (int i = 0; i < rows.length; i++) {
            Value[] row = new Value[s[i].length];
            for (int q = 0; q < row.length; q++) row[q] = ValueDouble.get(s[i][q]);
            rows[i] = ValueArray.get(TypeInfo.TYPE_DOUBLE, row, null);
        }
        return ValueArray.get(SAMPLE_ROW, rows, null);
    }
}
