package org.sedflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sedflow.posterior.Posterior;

/** The main job's SQL script counts trusted rows with Posterior's own pattern, and DuckDB reads it as Java does. */
class TrustedPatternTest {
    static final String MACRO = "CREATE OR REPLACE MACRO trusted(flag) AS regexp_matches(flag, '";

    @Test
    void theScriptsPatternIsPosteriorsAndDuckDbAgreesWithJava() throws Exception {
        String script = Files.readString(Path.of("..", "sql", "duckdb", "nsa_posteriors.sql"));
        int at = script.indexOf(MACRO);
        assertTrue(at >= 0, "the script defines no trusted() macro");
        String regex = script.substring(at + MACRO.length(), script.indexOf("')", at));
        assertEquals(Posterior.TRUSTED_REGEX, regex);
        List<String> flags = List.of(
                "ok",
                "noise_inflated_r",
                "band_masked_i;band_masked_z",
                "photo_z;noise_inflated_fuv;band_masked_r",
                "assumed_errors",
                "colour_outside_r_i",
                "band_masked_r;colour_outside_g_i",
                "mag_outside_r",
                "sigma_low_u;noise_inflated_g",
                "okay",
                "ok;",
                "z_out_of_range",
                "");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                PreparedStatement ps = c.prepareStatement("SELECT regexp_matches(?, ?)")) {
            int trusted = 0;
            for (String f : flags) {
                ps.setString(1, f);
                ps.setString(2, regex);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(Posterior.trusted(f), rs.getBoolean(1), f);
                }
                if (Posterior.trusted(f)) trusted++;
            }
            assertEquals(5, trusted);
        }
    }
}
