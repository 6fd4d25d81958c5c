-- SEDflow posteriors in Spark SQL for the Coma/Hercules NSA galaxies (run from the checkout):
--   ./sedflow sql --engine spark < sql/spark/nsa_posteriors.sql
-- In your own Spark: the udf jar and its dependencies on the driver and executors, JVMs started with
-- --add-modules jdk.incubator.vector -Dsedflow.model=FILE, then org.sedflow.udf.spark.SparkSedflow.install(spark)
-- (registers the Java UDFs and runs sql/spark/install.sql).

-- 1. Load the photometry with Spark's CSV reader.
CREATE OR REPLACE TEMPORARY VIEW nsa USING csv
OPTIONS (path '../shared/data/nsa/nsa_v0_1_2_coma_hercules.csv', header 'true', inferSchema 'true');

-- 2. Quality cuts: the NSA's validity flag, all five SDSS bands measured with positive flux; the
--    photometry as the NSA stores it, nmgy and nmgy_ivar arrays of 7 (FUV, NUV, u, g, r, i, z).
CREATE OR REPLACE TEMPORARY VIEW sample AS
SELECT nsaid, z_best, gswlc_z_consistent, gswlc_logmstar,
       array(flux_fuv, flux_nuv, flux_u, flux_g, flux_r, flux_i, flux_z) AS nmgy,
       array(ivar_fuv, ivar_nuv, ivar_u, ivar_g, ivar_r, ivar_i, ivar_z) AS nmgy_ivar
FROM nsa
WHERE ugriz_valid = 1 AND ivar_u > 0 AND ivar_g > 0 AND ivar_r > 0 AND ivar_i > 0 AND ivar_z > 0
  AND flux_u > 0 AND flux_g > 0 AND flux_r > 0 AND flux_i > 0 AND flux_z > 0;

-- 3. Posteriors (a STRUCT per galaxy), written to Parquet and read back. Spark cannot overload a
--    function name: the array forms are named <function>_arrays.
INSERT OVERWRITE DIRECTORY 'nsa_posteriors_spark.parquet' USING parquet
SELECT nsaid, z_best AS z, IF(gswlc_z_consistent = 1, gswlc_logmstar, NULL) AS gswlc_logmstar,
       sedflow_summary_arrays(nmgy, nmgy_ivar, z_best, 1000, 0) AS s
FROM sample;

SELECT count(*) AS galaxies, count(gswlc_logmstar) AS with_gswlc,
       round(median(s.log_mstar_surviving.p50 - gswlc_logmstar), 3) AS median_dex_vs_gswlc
FROM parquet.`nsa_posteriors_spark.parquet`;

SELECT nsaid, round(s.log_mstar_surviving.p16, 2) AS logm_p16, round(s.log_mstar_surviving.p50, 2) AS logm_p50,
       round(s.log_mstar_surviving.p84, 2) AS logm_p84, s.flag
FROM parquet.`nsa_posteriors_spark.parquet` ORDER BY nsaid LIMIT 5;
