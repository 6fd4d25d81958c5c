package org.sedflow.udf;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.sedflow.udf.duckdb.DuckDbSedflow;
import org.sedflow.udf.h2.H2Sedflow;

/** A user's program: install in DuckDB and H2 with one call each, one query each; prints the answers. */
public final class LibraryProgram {
    private LibraryProgram() {}

    static final String ROW =
            "0.81, 0.080, 13.6, 71.7, 136.5, 177.4, 252.9, 0.213, 1.254, 0.426, 0.464, 0.138, 0.044, 0.0126, 0.0413";

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            DuckDbSedflow.install(c);
            print(
                    c,
                    "SELECT sedflow_version(), sedflow_quantile('log_mstar_surviving', 0.5, " + ROW
                            + ", 200, 1), sedflow_flag(" + ROW + ")");
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:lib")) {
            H2Sedflow.install(c);
            print(
                    c,
                    "SELECT SEDFLOW_VERSION(), SEDFLOW_QUANTILE('log_mstar_surviving', 0.5, " + ROW
                            + ", 200, 1), SEDFLOW_FLAG(" + ROW + ")");
        }
    }

    private static void print(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            System.out.println(rs.getString(1) + "|" + rs.getDouble(2) + "|" + rs.getString(3));
        }
    }
}
