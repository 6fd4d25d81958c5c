package org.sedflow.udf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQL values as JSON text, for people and programs reading {@code sedflow sql} output: a STRUCT
 * or ROW is an object of its fields, a LIST or ARRAY an array; NULL is null, and NaN or an
 * infinity (which JSON cannot hold) the strings "NaN", "Infinity", "-Infinity".
 *
 * <p>Engines hand composite values over as: DuckDB a {@link Struct} with {@code getMap()} and a
 * {@link java.sql.Array}; H2 a one-row {@link ResultSet} for a ROW and an {@code Object[]} for an
 * ARRAY; Spark (through {@link org.sedflow.udf.spark.SparkSql}) maps and lists.
 */
public final class SqlJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SqlJson() {}

    /** True for the values {@link #text} writes as JSON rather than as the engine's text. */
    public static boolean composite(Object v) {
        return v instanceof Struct
                || v instanceof java.sql.Array
                || v instanceof ResultSet
                || v instanceof Map
                || v instanceof List
                || (v != null && v.getClass().isArray() && !(v instanceof byte[]));
    }

    public static String text(Object v) throws SQLException {
        return text(v, null);
    }

    /**
     * {@code sqlType}: the column's type name as JDBC gives it; H2 names a ROW's fields only
     * there ({@code ROW("LOG_MSTAR" ROW("P16" DOUBLE PRECISION, ...), ...)}), its values come
     * with fields C1, C2, ...
     */
    public static String text(Object v, String sqlType) throws SQLException {
        try {
            return JSON.writeValueAsString(plain(v, RowType.parse(sqlType)));
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write a value as JSON: " + e.getMessage(), e);
        }
    }

    static Object plain(Object v) throws SQLException {
        return plain(v, null);
    }

    /** The value as maps, lists, numbers, strings and booleans; {@code type}: the ROW's field names, if known. */
    private static Object plain(Object v, RowType type) throws SQLException {
        if (v == null
                || v instanceof String
                || v instanceof Boolean
                || v instanceof Long
                || v instanceof Integer
                || v instanceof Short
                || v instanceof Byte
                || v instanceof BigDecimal) return v;
        if (v instanceof Double d) return Double.isFinite(d) ? d : d.toString();
        if (v instanceof Float f) return Float.isFinite(f) ? f : f.toString();
        if (v instanceof Number n) return n.toString();
        if (v instanceof Struct s) return struct(s);
        if (v instanceof java.sql.Array a) return plain(a.getArray());
        if (v instanceof ResultSet rs) return row(rs, type);
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), plain(e.getValue()));
            return out;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            for (Object o : it) out.add(plain(o));
            return out;
        }
        if (v.getClass().isArray() && !(v instanceof byte[])) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) out.add(plain(Array.get(v, i)));
            return out;
        }
        return v.toString();
    }

    /** A struct's fields by name where the driver says them (DuckDB's getMap), else its values in order. */
    private static Object struct(Struct s) throws SQLException {
        try {
            Method m = s.getClass().getMethod("getMap");
            if (m.invoke(s) instanceof Map<?, ?> map) return plain(map);
        } catch (ReflectiveOperationException e) { // a driver without names: the values alone
        }
        return plain(s.getAttributes());
    }

    /**
     * H2's ROW value: a result set of one row whose columns are the fields, named from the
     * column's type ({@link RowType}) in lower case as the other engines name them (H2
     * upper-cases unquoted names). Fields H2 names only by position (C1, C2, ...) make an array.
     */
    private static Object row(ResultSet rs, RowType type) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        if (!rs.next()) return null;
        int n = md.getColumnCount();
        boolean named = type != null && type.names.size() == n;
        boolean positional = !named;
        for (int k = 1; k <= n && !named; k++)
            positional &= md.getColumnLabel(k).equals("C" + k);
        if (positional) {
            List<Object> out = new ArrayList<>();
            for (int k = 1; k <= n; k++) out.add(plain(rs.getObject(k)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int k = 1; k <= n; k++) {
            String name = named ? type.names.get(k - 1) : md.getColumnLabel(k);
            out.put(name.toLowerCase(Locale.ROOT), plain(rs.getObject(k), named ? type.fields.get(k - 1) : null));
        }
        return out;
    }

    /** The field names of a ROW type as H2 writes it: {@code ROW("A" DOUBLE PRECISION, "B" ROW("X" INTEGER))}. */
    record RowType(List<String> names, List<RowType> fields) {
        static RowType parse(String sql) {
            if (sql == null || !sql.startsWith("ROW(")) return null;
            int[] at = {0};
            try {
                return read(sql, at);
            } catch (RuntimeException e) { // a type text we do not know: no names
                return null;
            }
        }

        /** Reads ROW( "name" type, ... ) from at[0]; null for a type that is not a ROW. */
        private static RowType read(String s, int[] at) {
            if (!s.startsWith("ROW(", at[0])) return null;
            at[0] += 4;
            List<String> names = new ArrayList<>();
            List<RowType> fields = new ArrayList<>();
            while (true) {
                while (s.charAt(at[0]) == ' ') at[0]++;
                if (s.charAt(at[0]) != '"') throw new IllegalArgumentException("a field name at " + at[0]);
                int end = s.indexOf('"', at[0] + 1);
                names.add(s.substring(at[0] + 1, end));
                at[0] = end + 1;
                while (s.charAt(at[0]) == ' ') at[0]++;
                fields.add(read(s, at));
                skip(s, at);
                if (s.charAt(at[0]++) == ')') return new RowType(names, fields);
            }
        }

        /** To the next ',' or ')' outside parentheses (past a type such as DECIMAL(10, 2) or ... ARRAY[7]). */
        private static void skip(String s, int[] at) {
            int depth = 0;
            for (; ; at[0]++) {
                char c = s.charAt(at[0]);
                if (c == '(') depth++;
                else if (c == ')' && depth > 0) depth--;
                else if ((c == ',' || c == ')') && depth == 0) return;
            }
        }
    }
}
