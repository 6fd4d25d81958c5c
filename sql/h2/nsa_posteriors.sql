-- SEDflow posteriors in H2 for the Coma/Hercules NSA galaxies (run from the checkout):
--   ./sedflow sql --engine h2 --db nsa-h2 < sql/h2/nsa_posteriors.sql
-- In your own H2: put the udf jar (and its dependencies) on H2's classpath, start the JVM with
-- --add-modules jdk.incubator.vector -Dsedflow.model=models/sedflow-v3.flow, and RUNSCRIPT FROM 'sql/h2/install.sql'.

-- 1. Load the photometry with H2's CSV reader (empty fields are NULL: a missing band), as the
--    NSA stores it: NMGY and NMGY_IVAR arrays of 7 (FUV, NUV, u, g, r, i, z; 1-based in SQL).
DROP TABLE IF EXISTS nsa;
CREATE TABLE nsa AS
SELECT CAST(nsaid AS INT) AS nsaid, CAST(z_best AS DOUBLE PRECISION) AS z,
       CAST(ARRAY[flux_fuv, flux_nuv, flux_u, flux_g, flux_r, flux_i, flux_z] AS DOUBLE PRECISION ARRAY[7]) AS nmgy,
       CAST(ARRAY[ivar_fuv, ivar_nuv, ivar_u, ivar_g, ivar_r, ivar_i, ivar_z] AS DOUBLE PRECISION ARRAY[7]) AS nmgy_ivar,
       CASE WHEN gswlc_z_consistent = '1' THEN CAST(gswlc_logmstar AS DOUBLE PRECISION) END AS gswlc_logmstar
FROM CSVREAD('../shared/data/nsa/nsa_v0_1_2_coma_hercules.csv', NULL, 'null=')
WHERE ugriz_valid = '1';

-- 2. Quality cuts: all five SDSS bands measured with positive flux.
DELETE FROM nsa WHERE NOT (nmgy_ivar[3] > 0 AND nmgy_ivar[4] > 0 AND nmgy_ivar[5] > 0 AND nmgy_ivar[6] > 0 AND nmgy_ivar[7] > 0
                           AND nmgy[3] > 0 AND nmgy[4] > 0 AND nmgy[5] > 0 AND nmgy[6] > 0 AND nmgy[7] > 0);

-- 3. Posteriors into a results table of plain columns. In an H2 *file*, keep results as DOUBLE and
--    VARCHAR columns: no H2 release (2.0.206-2.5.252) reopens a file killed while a transaction that
--    wrote ROW values was open (see README, Reliability); plain columns survive. Field access on H2's
--    ROW results needs the domain SEDFLOW_SUMMARY_T (H2 types a Java function's ROW result by position only).
DROP TABLE IF EXISTS posteriors;
CREATE TABLE posteriors AS
SELECT nsaid, z, gswlc_logmstar,
       (s).LOG_MSTAR_SURVIVING.P16 AS logm_p16, (s).LOG_MSTAR_SURVIVING.P50 AS logm_p50,
       (s).LOG_MSTAR_SURVIVING.P84 AS logm_p84, (s).LOG_SFR_1GYR.P50 AS log_sfr_1gyr_p50, (s).FLAG AS flag,
       SEDFLOW_VERSION() AS sedflow_version
FROM (SELECT nsaid, z, gswlc_logmstar,
             CAST(SEDFLOW_SUMMARY(nmgy, nmgy_ivar, z, 1000, 0) AS SEDFLOW_SUMMARY_T) AS s
      FROM nsa) t;

-- 4. Against GSWLC-2, and a few rows (one quantile directly, served from the same cached posterior).
SELECT COUNT(*) AS galaxies, COUNT(gswlc_logmstar) AS with_gswlc,
       ROUND(MEDIAN(logm_p50 - gswlc_logmstar), 3) AS median_dex_vs_gswlc
FROM posteriors;

SELECT p.nsaid, ROUND(logm_p50, 2) AS logm_p50,
       ROUND(SEDFLOW_QUANTILE('log_mstar_surviving', 0.975, nmgy, nmgy_ivar, n.z, 1000, 0), 2) AS logm_p975,
       p.flag AS flag
FROM posteriors p JOIN nsa n ON n.nsaid = p.nsaid ORDER BY p.nsaid LIMIT 5;
