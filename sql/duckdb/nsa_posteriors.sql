-- SEDflow posteriors for the real NSA galaxies in ../shared/data/nsa, in DuckDB.
-- Run from the checkout:  ./sedflow sql --db nsa.duckdb < sql/duckdb/nsa_posteriors.sql
-- (./sedflow run runs this same file with the data folder and output paths filled in.)

-- 1. Load the photometry with DuckDB's CSV reader: one table, both fields, the photometry as
--    the NSA itself stores it: nmgy DOUBLE[7] in nanomaggies and nmgy_ivar DOUBLE[7] their
--    inverse variances (0 = not measured), bands FUV, NUV, u, g, r, i, z. Every function takes
--    such a pair as (flux, ivar, z).
CREATE OR REPLACE TABLE nsa AS
SELECT 'nsa' || nsaid AS id, cluster AS field, ra, dec, z_best AS z,
       [flux_fuv, flux_nuv, flux_u, flux_g, flux_r, flux_i, flux_z] AS nmgy,
       [ivar_fuv, ivar_nuv, ivar_u, ivar_g, ivar_r, ivar_i, ivar_z] AS nmgy_ivar,
       ugriz_valid, CASE WHEN gswlc_z_consistent = 1 THEN gswlc_logmstar END AS gswlc_logmstar
FROM read_csv('../shared/data/nsa/nsa_v0_1_2_coma_hercules.csv')
UNION ALL
SELECT 'virgo' || "row", 'Virgo', ra, dec, z_isedfit,
       [flux_fuv, flux_nuv, flux_u, flux_g, flux_r, flux_i, flux_z],
       [ivar_fuv, ivar_nuv, ivar_u, ivar_g, ivar_r, ivar_i, ivar_z],
       ugriz_valid, CASE WHEN abs(gswlc_z - z_isedfit) <= 0.01 THEN gswlc_logmstar END
FROM read_csv('../shared/data/nsa/nsa_v0_1_2_virgo.csv');

-- 2. SEDflow-style quality cuts: all five SDSS bands measured (ivar > 0) with positive flux,
--    the NSA's own validity flag, and a redshift inside the model's trained range.
--    GALEX bands may be missing: the flow is trained with missing bands.
CREATE OR REPLACE VIEW sample AS
SELECT * FROM nsa
WHERE ugriz_valid = 1
  AND list_min(nmgy_ivar[3:7]) > 0 AND list_min(nmgy[3:7]) > 0   -- u..z: elements 3 to 7
  AND sedflow_flag(nmgy, nmgy_ivar, z) <> 'z_out_of_range';

-- 3. Posteriors: 1000 samples per galaxy, seed 0; a summary STRUCT per galaxy
--    (p16/p50/p84/mean of the 12 parameters and 5 derived properties, and the flag), and
--    what made it (carried into the Parquet file below).
CREATE OR REPLACE TABLE posteriors AS
SELECT id, field, z, gswlc_logmstar,
       sedflow_summary(nmgy, nmgy_ivar, z, 1000, 0) AS s,
       sedflow_version() AS sedflow_version  -- provenance: code version, model file and SHA-256
FROM sample;

-- 4. Write a Parquet file and read it back.
COPY posteriors TO 'nsa_posteriors.parquet' (FORMAT parquet);

-- Trusted: flag 'ok', or only notes of how the posterior was made, each validated: noise_inflated_<band>
-- (errors larger than the training set's, marginalised over), band_masked_<band> (a band whose
-- colours no model has, left out), photo_z, assumed_errors. Any other reason means an
-- extrapolation. (The pattern is org.sedflow.posterior.Posterior.TRUSTED_REGEX; a test keeps it equal.)
CREATE OR REPLACE MACRO trusted(flag) AS regexp_matches(flag, '^(ok|photo_z|assumed_errors|noise_inflated_[a-z]+|band_masked_[a-z]+)(;(ok|photo_z|assumed_errors|noise_inflated_[a-z]+|band_masked_[a-z]+))*$');
SELECT count(*) AS galaxies_in_parquet,
       count(*) FILTER (WHERE trusted(s.flag)) AS trusted
FROM read_parquet('nsa_posteriors.parquet');

-- 5. Join with the catalogue's other columns: SEDflow's surviving stellar mass against GSWLC-2.
SELECT field, count(*) AS galaxies,
       count(gswlc_logmstar) AS with_gswlc,
       round(median(s.log_mstar_surviving.p50 - gswlc_logmstar), 3) AS median_dex_vs_gswlc,
       round(mad(s.log_mstar_surviving.p50 - gswlc_logmstar), 3) AS mad_dex_vs_gswlc
FROM posteriors GROUP BY field ORDER BY field;

-- 6. A few posteriors.
SELECT id, round(z, 4) AS z,
       round(s.log_mstar_surviving.p16, 2) AS logm_p16,
       round(s.log_mstar_surviving.p50, 2) AS logm_p50,
       round(s.log_mstar_surviving.p84, 2) AS logm_p84,
       round(gswlc_logmstar, 2) AS gswlc_logm,
       round(s.log_sfr_100myr.p50, 2) AS log_sfr_100myr_p50,
       s.flag
FROM posteriors ORDER BY id LIMIT 10;

-- 7. The MCMC fallback for galaxies the flow flags (outside its training support): the exact
--    posterior by sampling, ~10 s per galaxy at the default 10,000 steps; here 2 galaxies at
--    3,000 steps to keep the run short. The flow's answer next to it, and the chain's diagnostics.
SELECT id, p.s.flag AS flow_flag,
       round(p.s.log_mstar_surviving.p50, 2) AS flow_logm_p50,
       round(m.log_mstar_surviving.p50, 2) AS mcmc_logm_p50,
       round(m.log_mstar_surviving.p84 - m.log_mstar_surviving.p16, 3) AS mcmc_logm_width,
       round(m.max_split_rhat, 3) AS max_split_rhat, round(m.steps_per_autocorr, 1) AS steps_per_tau,
       m.flag AS mcmc_flag
FROM (SELECT id, s, sedflow_mcmc_summary(n.nmgy, n.nmgy_ivar, n.z, 3000) AS m
      FROM (SELECT * FROM posteriors WHERE NOT trusted(s.flag)
            ORDER BY id LIMIT 2) AS p JOIN sample n USING (id)) AS p;

-- 8. The flow refined by importance sampling on eq. 1 (20,000 flow draws reweighted by the
--    exact likelihood, ~0.4 s per galaxy): MCMC's answer where the flow covers the posterior.
--    The flag gains 'low_importance_ess' where it does not (then use sedflow_mcmc_summary).
SELECT id,
       round(p.s.log_mstar_surviving.p50, 3) AS flow_logm_p50, round(r.log_mstar_surviving.p50, 3) AS refined_logm_p50,
       round(p.s.log_z_mw.p50, 2) AS flow_log_z_mw_p50, round(r.log_z_mw.p50, 2) AS refined_log_z_mw_p50,
       round(p.s.tau_ism.p50, 2) AS flow_tau_ism_p50, round(r.tau_ism.p50, 2) AS refined_tau_ism_p50,
       r.flag AS refined_flag
FROM (SELECT id, s, sedflow_refined_summary(n.nmgy, n.nmgy_ivar, n.z) AS r
      FROM (SELECT * FROM posteriors WHERE s.flag = 'ok' ORDER BY id LIMIT 10) AS p JOIN sample n USING (id)) AS p
ORDER BY id;
