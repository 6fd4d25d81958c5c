package org.sedflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sedflow.sps.Csv;

class PhotometryCommandTest {
    static final String HEADER =
            "name,log_mstar,beta1,beta2,beta3,beta4,fburst,tburst,gamma1,gamma2,tau_bc,tau_ism,n_dust,z";

    private static String errorFor(Path dir, String body) throws Exception {
        Path in = dir.resolve("theta.csv");
        Files.writeString(in, body);
        CliException e = assertThrows(
                CliException.class,
                () -> PhotometryCommand.run(new String[] {
                    "--in", in.toString(), "--out", dir.resolve("o.csv").toString()
                }));
        return e.getMessage();
    }

    @Test
    void writesFluxesAndCarriesColumnsThrough(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("theta.csv"), out = dir.resolve("out.csv");
        Files.writeString(
                in,
                HEADER + "\n\"M31, sort of\",10.5,0.25,0.25,0.25,0.25,0.1,2,1e-3,2e-3,0.5,0.3,-0.2,0.05\n"
                        + "dwarf,8,0.5,0.3,0.1,0.1,0,0.5,1e-4,1e-4,0,0,0,0.01\n");
        PhotometryCommand.run(new String[] {"--in", in.toString(), "--out", out.toString()});
        Csv c = Csv.read(out);
        assertEquals(2, c.size());
        assertEquals("M31, sort of", c.row(0)[c.column("name")]);
        for (String b : new String[] {"fuv", "nuv", "u", "g", "r", "i", "z"})
            assertTrue(c.number(0, c.column("flux_" + b)) > 0);
        for (String d : new String[] {"log_mstar_surviving", "log_sfr_1gyr", "log_sfr_100myr", "log_z_mw", "t_age_mw"})
            assertTrue(Double.isFinite(c.number(1, c.column(d))));
        // 10^10.5 Msun at z = 0.05 is r ~ 16-17 mag; the dwarf at z = 0.01 ~ 18-20
        double r0 = 22.5 - 2.5 * Math.log10(c.number(0, c.column("flux_r")));
        assertTrue(r0 > 14 && r0 < 18, "r = " + r0);
    }

    @Test
    void clearErrors(@TempDir Path dir) throws Exception {
        String ok = ",10,0.25,0.25,0.25,0.25,0.1,2,1e-3,2e-3,0.5,0.3,-0.2,0.05";
        assertTrue(errorFor(dir, HEADER + "\na" + ok + "\nb,10,0.25,0.25,0.25,0.25,0.1,2,1e-3,2e-3,0.5,0.3,1.5,0.05\n")
                .matches(".*row 1 \\(line 3\\).*n_dust = 1.5 is outside the prior.*"));
        assertTrue(errorFor(dir, HEADER + "\na,ten,0.25,0.25,0.25,0.25,0.1,2,1e-3,2e-3,0.5,0.3,0,0.05\n")
                .matches(".*row 0 column 'log_mstar': not a number: 'ten'.*"));
        assertTrue(errorFor(
                        dir, HEADER.replace(",tau_ism", "") + "\na,10,0.25,0.25,0.25,0.25,0.1,2,1e-3,2e-3,0.5,0,0.05\n")
                .contains("missing column 'tau_ism'"));
        assertTrue(errorFor(dir, HEADER + "\na,10,0.25,0.25,0.25,0.25,0.1,2,1e-3,2e-3,0.5,0.3,0,0\n")
                .matches(".*row 0 \\(line 2\\), column 'z': 0.0 is outside the model's range.*"));
        assertTrue(errorFor(dir, HEADER + "\na,10,0.25,0.25,0.25,0.25,0.1,2,1e-3,2e-3,0.5,,0,0.1\n")
                .contains("column 'tau_ism': empty or NaN"));
        assertTrue(errorFor(dir, HEADER + "\na,10,0.25\n").contains("3 fields, the header has 14"));
    }
}
