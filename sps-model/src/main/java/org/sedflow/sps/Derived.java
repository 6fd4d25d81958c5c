package org.sedflow.sps;

import java.util.List;

/** Names and units of the derived properties the forward model reports per parameter set. */
public final class Derived {
    /**
     * log_mstar_surviving [log Msun]: living stars + remnants; log_sfr_1gyr, log_sfr_100myr
     * [log Msun/yr]: mean SFR over the last 1 Gyr / 100 Myr, floored at a specific SFR of 1e-14/yr;
     * log_z_mw: log10 of the mass-weighted metallicity (MIST-clipped); t_age_mw [Gyr]:
     * mass-weighted lookback time of formation.
     */
    public static final List<String> NAMES =
            List.of("log_mstar_surviving", "log_sfr_1gyr", "log_sfr_100myr", "log_z_mw", "t_age_mw");

    public static final int COUNT = 5;
    public static final int LOG_MSTAR_SURVIVING = 0, LOG_SFR_1GYR = 1, LOG_SFR_100MYR = 2, LOG_Z_MW = 3, T_AGE_MW = 4;
    /** Specific-SFR floor [1/yr] used when no (or almost no) mass forms in the window. */
    public static final double SSFR_FLOOR = 1e-14;

    private Derived() {}
}
